"""Follow every link of the seeded demo as one person, with Django's test client, and report what
a reader would trip on: links that answer an error, pages in Welsh whose title shows markup, and
pages where one query shape repeats (a query per row). With ``--bad-input``, also send every form
on the way (once per form) with bad values — very long, huge numbers, empty, a NUL byte, markup —
and report any that answers a server error.

    .venv/bin/python manage.py seed_demo        # on the database DATABASE_URL names
    .venv/bin/python scripts/crawl_demo.py --as mo.ahmed@nca.example --language cy

Without ``--bad-input`` it only reads: nothing is changed. With it, forms that accept the values
change the database: crawl a copy. Each URL pattern is visited at most ``--per-pattern`` times
(ids replaced by N), so a long list of ideas costs a few pages, not thousands. It found the links
of decision 0119 and the queries per row fixed with it, and the server error of decision 0120.
Exits 1 when it reports anything.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from coproduce.accounts.models import User  # noqa: E402
from coproduce.common.tests.query_shapes import shape_counts  # noqa: E402

LINK = re.compile(r'href="(/[^"#]*)')
SKIP = re.compile(r"^/(static|media|admin|api)/|logout|\.pdf$")
# Forms not sent with bad values: signing out or in, the language switch, deleting.
NOT_SENT = re.compile(r"logout|/accounts/|/language/|delete")
# Values a form must refuse with a message, never a server error; fields the form itself fills
# (hidden ones, buttons) keep their own values except where the value is one a hand could type.
BAD_VALUES = {
    "long": "x" * 20_000,
    "huge number": "9" * 23,
    "empty": "",
    "NUL byte": "a\x00b",
    "negative": "-1",
    "markup": "<script>alert(1)</script>%s{{ x }}",
}
KEEP_OWN = {"empty", "negative", "markup"}


class _Forms(HTMLParser):
    """The POST forms of a page: (action, [(field name, type, value)])."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str, str]]]] = []
        self._open: tuple[str, list[tuple[str, str, str]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("method", "get").lower() == "post":
            self._open = (found.get("action", ""), [])
        elif (
            self._open is not None and tag in ("input", "textarea", "select") and found.get("name")
        ):
            self._open[1].append((found["name"], found.get("type", tag), found.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._open is not None:
            self.forms.append(self._open)
            self._open = None


def send_bad_values(client: Client, url: str, page: str, sent: set[tuple[str, ...]]) -> list[str]:
    """Send each POST form of the page not sent yet (by URL pattern and field names) with each of
    BAD_VALUES; return the server errors, in words."""
    parser = _Forms()
    parser.feed(page)
    problems = []
    for action, fields in parser.forms:
        action = action.replace("&amp;", "&") or url
        names = tuple(sorted(name for name, _type, _value in fields))
        key = (re.sub(r"\d+", "N", action.split("?")[0]), *names)
        if NOT_SENT.search(action) or key in sent:
            continue
        sent.add(key)
        for label, bad in BAD_VALUES.items():
            data = {
                name: value if kind in ("hidden", "submit") and label in KEEP_OWN else bad
                for name, kind, value in fields
                if kind != "file" and name != "csrfmiddlewaretoken"
            }
            status = client.post(action, data).status_code
            if status >= 500:
                problems.append(f"HTTP {status} for {label} values: POST {action} (form on {url})")
    return problems


def crawl(
    client: Client, starts: list[str], per_pattern: int, repeats: int, bad_input: bool = False
) -> list[str]:
    """Visit the pages reachable from ``starts`` (and, with ``bad_input``, send their forms bad
    values); return the problems found, in words."""
    problems: list[str] = []
    sent: set[tuple[str, ...]] = set()
    queue = deque(starts)
    seen: set[str] = set()
    found_on: dict[str, str] = {}
    visits: Counter[str] = Counter()
    welsh = client.cookies.get(settings.LANGUAGE_COOKIE_NAME) is not None
    while queue:
        url = queue.popleft().replace("&amp;", "&")
        pattern = re.sub(r"\d+", "N", url.split("?")[0])
        if url in seen or SKIP.search(url) or visits[pattern] >= per_pattern:
            continue
        seen.add(url)
        visits[pattern] += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code >= 400:
            if url in found_on:  # a start page the person may not open is no broken link
                problems.append(f"HTTP {response.status_code}: {url} (from {found_on[url]})")
            continue
        shapes = shape_counts(queries.captured_queries)
        for most, times in shapes.most_common(1):
            if times >= repeats:
                problems.append(f"{times} of {len(queries)} queries alike: {url}: {most[:160]}")
        if "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode(errors="replace")
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        if welsh and title and "<" in title.group(1):
            problems.append(f"markup in the title: {url}: {title.group(1)[:120]}")
        for link in LINK.findall(page):
            found_on.setdefault(link, url)
            queue.append(link)
        if bad_input:
            problems += send_bad_values(client, url, page, sent)
    print(f"{len(seen)} pages visited", file=sys.stderr)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--as", dest="email", default="", help="a demo account (default: a visitor)"
    )
    parser.add_argument("--language", default="", help="cy for Welsh (default: English)")
    parser.add_argument("--per-pattern", type=int, default=3, help="pages per URL pattern")
    parser.add_argument("--repeats", type=int, default=8, help="a query shape this often: report")
    parser.add_argument(
        "--bad-input", action="store_true", help="send every form bad values (changes the data)"
    )
    parser.add_argument("start", nargs="*", default=["/", "/staff/", "/account/contributions/"])
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client(raise_request_exception=False)  # a server error is reported, not raised
    if args.language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = args.language
    if args.email:
        client.force_login(User.objects.get(email=args.email))
    problems = crawl(client, args.start, args.per_pattern, args.repeats, args.bad_input)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
