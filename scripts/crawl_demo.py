"""Follow every link of the seeded demo as one person, with Django's test client, and report what
a reader would trip on: links that answer an error, pages in Welsh whose title shows markup, and
pages where one query shape repeats (a query per row).

    .venv/bin/python manage.py seed_demo        # on the database DATABASE_URL names
    .venv/bin/python scripts/crawl_demo.py --as mo.ahmed@nca.example --language cy

GET only: nothing is changed. Each URL pattern is visited at most ``--per-pattern`` times (ids
replaced by N), so a long list of ideas costs a few pages, not thousands. It found the links of
decision 0119 and the queries per row fixed with it. Exits 1 when it reports anything.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter, deque
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


def crawl(client: Client, starts: list[str], per_pattern: int, repeats: int) -> list[str]:
    """Visit the pages reachable from ``starts``; return the problems found, in words."""
    problems: list[str] = []
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
    parser.add_argument("start", nargs="*", default=["/", "/staff/", "/account/contributions/"])
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    if args.language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = args.language
    if args.email:
        client.force_login(User.objects.get(email=args.email))
    problems = crawl(client, args.start, args.per_pattern, args.repeats)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
