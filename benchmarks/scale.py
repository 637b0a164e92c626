"""Load and faults on the scale-out topology of `make scale`: nothing acknowledged is lost or doubled.

Drives the production shape that scripts/scale.sh starts (HAProxy with TLS, two gunicorn instances,
two task workers, PostgreSQL, Redis, a mail sink) through the proxy, as --people simulated people at
once, each a thread with its own cookies. Every person reads pages (home, an idea challenge, ideas,
a budget, an opinion map, survey results) and, signed in, supports ideas, comments, answers a needs
survey once, casts a budget ballot once and votes on an opinion map, pausing 2-8 s between steps.
One person in ten signs in through the sign-in form (paced under allauth's 30 sign-ins a minute
from one address: here every person shares 127.0.0.1); the others get a session made beforehand,
as if they had signed in yesterday. Each keeps a journal of what the server acknowledged.

Mid-run it kills web1's and worker1's process groups with SIGKILL and starts them again, as a
supervisor would, then restarts PostgreSQL once (pg_ctlcluster). Afterwards it waits for the task
workers to finish and checks, in the database and the mail sink's file:

- every acknowledged write (support, comment, survey answer, ballot, vote) is there exactly once;
- every denormalised counter (ideas' supports and comments, comments' agreements) equals its rows;
- every task enqueued during the run has finished successfully;
- no email was sent twice (same recipients, subject and text);
- no 5xx outside the database restart window (besides requests in flight on the killed instance,
  counted apart).

It prints throughput, p50/p95/p99 per request kind and the verdicts; exits 1 if one fails.

    make scale && .venv/bin/python benchmarks/scale.py --quick   # 60 people, 45 s
    .venv/bin/python benchmarks/scale.py                          # 200 people, 150 s
    .venv/bin/python benchmarks/scale.py --no-faults --json /tmp/scale.json

If the topology is not running it starts it (scripts/scale.sh start) and stops it at the end. It
restarts the machine's PostgreSQL cluster: other users of that server see it go away for a moment
(--no-db-restart leaves it alone). Results: docs/performance.md ("Scale-out under load and faults").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
import urllib3

REPO = Path(__file__).resolve().parent.parent
SCALE = REPO / "scripts" / "scale.sh"
VAR = REPO / "var" / "scale"
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]
PASSWORD = "scale-benchmark-password-1"  # noqa: S105 (throwaway accounts of a local benchmark)
SIGN_IN_EVERY = 10  # one person in ten signs in through the form
SIGN_IN_GAP = 2.6  # seconds between form sign-ins: about 23 a minute, under allauth's 30/m/ip
ANONYMOUS_ANSWERS = 6  # per run: each sends a confirmation email (10 an hour from one address)
POSTCODE = "NF1 4QT"  # in the demo's Northfield districts (coproduce/demo/budgeting.py)


# --- Settings and Django, for seeding people and checking the database -------------------------


def load_env() -> dict[str, str]:
    """The variables of var/scale/env (written by scripts/scale.sh), without running a shell."""
    found: dict[str, str] = {}
    for line in (VAR / "env").read_text(encoding="utf-8").splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            found[name] = value.strip("'")
    return found


def django_setup(env: dict[str, str]) -> None:
    """The same production settings as the web processes, in this process."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "coproduce.config.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


@dataclass
class Targets:
    """What the simulated people act on, found in the database."""

    ideas: list[int]
    challenges: list[int]
    surveys: list[int]
    budgets: list[int]
    conversations: list[int]
    pages: list[str]


def find_targets() -> Targets:
    """Open ideas, surveys, budgets and opinion maps a signed-in resident may take part in."""
    from coproduce.accounts.models import User
    from coproduce.budgeting import rules as budgeting_rules
    from coproduce.budgeting.models import Budget
    from coproduce.codesign import rules as codesign_rules
    from coproduce.codesign.models import Idea
    from coproduce.conversations.models import Conversation
    from coproduce.insight import rules as insight_rules
    from coproduce.insight.models import Survey

    probe = User.objects.filter(email__startswith="scale-").first()
    if probe is None:
        raise SystemExit("No benchmark people yet: seed them first.")
    ideas = [
        idea.pk
        for idea in Idea.objects.select_related("contribution__activity")
        if codesign_rules.can_support(probe, idea) and codesign_rules.can_comment(probe, idea)
    ]
    challenges = sorted(
        {
            idea.contribution.activity_id
            for idea in Idea.objects.filter(pk__in=ideas).select_related("contribution")
        }
    )
    surveys = [
        survey.activity_id
        for survey in Survey.objects.select_related("activity")
        if insight_rules.can_take_survey(probe, survey.activity)
    ]
    budgets = [
        budget.pk
        for budget in Budget.objects.all()
        if budgeting_rules.can_vote_online(probe, budget)
    ]
    conversations = [conversation.pk for conversation in Conversation.objects.all()]
    pages = ["/"]
    pages += [f"/challenges/{pk}/ideas/" for pk in challenges]
    pages += [f"/ideas/{pk}/" for pk in ideas]
    pages += [f"/budgets/{pk}/" for pk in budgets]
    pages += [f"/conversations/{pk}/" for pk in conversations]
    pages += [f"/insight/surveys/{pk}/results/" for pk in surveys]
    return Targets(ideas, challenges, surveys, budgets, conversations, pages)


def seed_people(count: int, run: str) -> list[tuple[int, str, str | None]]:
    """Residents for this run (verified addresses, one password hash for all) and, for nine in
    ten, a session made here as a sign-in would: (user id, email, session key or None)."""
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password

    from coproduce.accounts.models import User

    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=f"scale-{run}-{index:04d}@example.org", name=f"Scale {index}", password=hashed
            )
            for index in range(count)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    people: list[tuple[int, str, str | None]] = []
    for index, user in enumerate(users):
        key = None
        if index % SIGN_IN_EVERY:
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            key = session.session_key
        people.append((user.pk, user.email, key))
    return people


# --- Forms, read from the pages as a browser would ----------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """Every form of a page with its inputs, selects, textareas and named submit buttons."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self._select: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(urljoin(self.url, a.get("action") or self.url), a.get("method", "get").lower())
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                form.buttons.append((a["name"], a.get("value", "")))
            else:
                form.fields.append(
                    {
                        "name": a["name"],
                        "type": kind,
                        "value": a.get("value", ""),
                        "checked": "checked" in a,
                    }
                )
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "options": []}
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": ""}
            form.fields.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data


def forms_of(url: str, html: str, action_part: str) -> list[Form]:
    parser = FormParser(url)
    parser.feed(html)
    return [form for form in parser.forms if action_part in urlsplit(form.action).path]


def fill(form: Form, rng: random.Random, text: str) -> list[tuple[str, str]]:
    """Answers a person might give: one choice per radio group, one box per checkbox group (and
    every lone box, such as "I am 16 or over"), words in text boxes, the postcode where asked."""
    data: list[tuple[str, str]] = []
    radios: dict[str, list[str]] = defaultdict(list)
    boxes: dict[str, list[str]] = defaultdict(list)
    for item in form.fields:
        name, kind = item["name"], item["type"]
        if kind == "hidden":
            data.append((name, item["value"]))
        elif kind == "radio":
            radios[name].append(item["value"])
        elif kind == "checkbox":
            boxes[name].append(item["value"] or "on")
        elif kind == "select":
            options = [option for option in item["options"] if option]
            if options:
                data.append((name, rng.choice(options)))
        elif "postcode" in name:
            data.append((name, POSTCODE))
        elif kind in {"number", "range"}:
            data.append((name, "1"))
        elif kind == "email":
            continue
        elif kind in {"text", "textarea", "search"} and "author_display" not in name:
            data.append((name, text))
    data += [(name, rng.choice(values)) for name, values in radios.items()]
    data += [(name, rng.choice(values)) for name, values in boxes.items()]
    return data


# --- The simulated people -----------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    started: float  # seconds since the load began
    ms: float
    status: int  # 0: the connection failed or timed out


@dataclass
class Journal:
    """What the server acknowledged, to be found in the database afterwards."""

    supports: list[tuple[int, int]] = field(default_factory=list)  # (user, idea)
    comments: list[tuple[int, str]] = field(default_factory=list)  # (idea, marker)
    surveys: list[tuple[int, int]] = field(default_factory=list)  # (user, activity)
    ballots: list[tuple[int, int]] = field(default_factory=list)  # (user, budget)
    votes: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # (user, conversation, statement)
    sign_ins: int = 0


class Load:
    """The shared state of one run: timings, the journal and the sign-in pacing."""

    def __init__(self, base: str, verify: str, targets: Targets, seconds: float) -> None:
        self.base = base
        self.verify = verify
        self.targets = targets
        self.started = time.monotonic()
        self.ends = self.started + seconds
        self.hits: list[Hit] = []
        self.journal = Journal()
        self.lock = threading.Lock()
        self.next_sign_in = self.started
        self.anonymous_answers_left = ANONYMOUS_ANSWERS

    def now(self) -> float:
        return time.monotonic() - self.started

    def anonymous_answer_turn(self) -> bool:
        """Anonymous survey answers send an email each and are limited to 10 an hour from one
        address (decision 0606): a few per run, so that the email check has something to count."""
        with self.lock:
            if self.anonymous_answers_left <= 0:
                return False
            self.anonymous_answers_left -= 1
            return True

    def sign_in_turn(self) -> bool:
        with self.lock:
            if time.monotonic() < self.next_sign_in:
                return False
            self.next_sign_in = time.monotonic() + SIGN_IN_GAP
            return True

    def note(self, kind: str, started: float, status: int) -> None:
        with self.lock:
            self.hits.append(Hit(kind, started, (self.now() - started) * 1000, status))


class Person:
    """One resident in a browser: cookies, a CSRF token, and a few things to do."""

    def __init__(self, load: Load, user: int, email: str, session: str | None, seed: int) -> None:
        self.load = load
        self.user = user
        self.email = email
        self.signed_in = session is not None
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.http.headers["Origin"] = load.base
        if session:
            host = urlsplit(load.base).hostname or "127.0.0.1"
            self.http.cookies.set("sessionid", session, domain=host, secure=True)
        self.answered: set[int] = set()
        self.voted_budgets: set[int] = set()
        self.supported: set[int] = set()

    def send(self, kind: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        started = self.load.now()
        url = urljoin(self.load.base, path)
        try:
            # verify on each request: requests 2.34 ignores a Session's own CA file here.
            response = self.http.request(
                method, url, timeout=30, allow_redirects=False, verify=self.load.verify, **kwargs
            )
        except requests.RequestException:
            self.load.note(kind, started, 0)
            return None
        self.load.note(kind, started, response.status_code)
        return response

    def post(
        self, kind: str, form: Form, data: list[tuple[str, str]], page: str, **extra: Any
    ) -> Any:
        headers = {"Referer": page, **extra.pop("headers", {})}
        return self.send(kind, "POST", form.action, data=data, headers=headers, **extra)

    def run(self) -> None:
        while time.monotonic() < self.load.ends:
            try:
                self.step()
            except Exception as error:
                print(f"  person {self.user}: {type(error).__name__}: {error}", file=sys.stderr)
            time.sleep(self.rng.uniform(2.0, 8.0))

    def step(self) -> None:
        if not self.signed_in:
            if self.load.sign_in_turn():
                self.sign_in()
            elif self.rng.random() < 0.5 and self.load.anonymous_answer_turn():
                self.survey(anonymous=True)
            else:
                self.read()
            return
        actions = [
            (self.read, 50),
            (self.support, 14),
            (self.comment, 8),
            (self.survey, 6),
            (self.ballot, 6),
            (self.conversation_vote, 16),
        ]
        choice = self.rng.choices([a for a, _ in actions], [w for _, w in actions])[0]
        choice()

    def read(self) -> None:
        self.send("read page", "GET", self.rng.choice(self.load.targets.pages))

    def sign_in(self) -> None:
        page = urljoin(self.load.base, "/accounts/login/")
        shown = self.send("sign in (form)", "GET", page)
        if shown is None or shown.status_code != 200:
            return
        forms = forms_of(page, shown.text, "/accounts/login/")
        if not forms:
            return
        data = [(f["name"], f["value"]) for f in forms[0].fields if f["type"] == "hidden"]
        data += [("login", self.email), ("password", PASSWORD)]
        answer = self.post("sign in (post)", forms[0], data, page)
        if (
            answer is not None
            and answer.status_code == 302
            and "login" not in answer.headers.get("Location", "login")
        ):
            self.signed_in = True
            with self.load.lock:
                self.load.journal.sign_ins += 1

    def _idea_page(self, idea: int) -> tuple[str, requests.Response | None]:
        page = urljoin(self.load.base, f"/ideas/{idea}/")
        return page, self.send("idea page (signed in)", "GET", page)

    def support(self) -> None:
        left = [pk for pk in self.load.targets.ideas if pk not in self.supported]
        if not left:
            return self.read()
        idea = self.rng.choice(left)
        page, shown = self._idea_page(idea)
        if shown is None or shown.status_code != 200:
            return None
        forms = forms_of(page, shown.text, f"/ideas/{idea}/support/")
        if not forms:
            return None
        data = [(f["name"], f["value"]) for f in forms[0].fields if f["type"] == "hidden"]
        data = [(name, value) for name, value in data if name != "support"] + [("support", "add")]
        answer = self.post("support", forms[0], data, page, headers={"HX-Request": "true"})
        if answer is not None and answer.status_code == 200 and 'value="withdraw"' in answer.text:
            self.supported.add(idea)
            with self.load.lock:
                self.load.journal.supports.append((self.user, idea))
        return None

    def comment(self) -> None:
        idea = self.rng.choice(self.load.targets.ideas)
        page, shown = self._idea_page(idea)
        if shown is None or shown.status_code != 200:
            return
        forms = forms_of(page, shown.text, f"/ideas/{idea}/comments/new/")
        if not forms:
            return
        marker = f"scale-{uuid.uuid4().hex[:12]}"
        data = [
            (f["name"], f["value"])
            for f in forms[0].fields
            if (f["type"] == "hidden" and f["name"] != "parent") or f.get("checked")
        ]
        data.append(("body", f"I would use this on my way to work. ({marker})"))
        answer = self.post("comment", forms[0], data, page)
        if (
            answer is not None
            and answer.status_code == 302
            and "#comment-" in answer.headers.get("Location", "")
        ):
            with self.load.lock:
                self.load.journal.comments.append((idea, marker))

    def survey(self, anonymous: bool = False) -> None:
        left = [pk for pk in self.load.targets.surveys if pk not in self.answered]
        if not left:
            return self.read()
        activity = self.rng.choice(left)
        page = urljoin(self.load.base, f"/insight/surveys/{activity}/")
        shown = self.send("survey page", "GET", page)
        if shown is None or shown.status_code != 200:
            self.answered.add(activity)  # answered already, or closed
            return None
        forms = [
            f
            for f in forms_of(page, shown.text, f"/insight/surveys/{activity}/")
            if f.method == "post"
        ]
        if not forms:
            return None
        data = fill(forms[0], self.rng, "More evening sessions.")
        if anonymous:
            data.append(("email", self.email))
            self.answered.add(activity)
        kind = "survey answer (anonymous)" if anonymous else "survey answer"
        answer = self.post(kind, forms[0], data, page)
        acknowledged = answer is not None and answer.status_code == 302
        if acknowledged and not anonymous and "/insight/answers/" in answer.headers["Location"]:
            self.answered.add(activity)
            with self.load.lock:
                self.load.journal.surveys.append((self.user, activity))
        return None

    def ballot(self) -> None:
        left = [pk for pk in self.load.targets.budgets if pk not in self.voted_budgets]
        if not left:
            return self.read()
        budget = self.rng.choice(left)
        self.voted_budgets.add(budget)  # one try: a refused ballot is not tried again
        page = urljoin(self.load.base, f"/budgets/{budget}/vote/")
        for _step in range(5):  # the area, the projects, the review, then done
            shown = self.send("ballot page", "GET", page)
            if shown is None:
                return None
            if shown.status_code == 302:
                page = urljoin(page, shown.headers["Location"])
                continue
            forms = [
                f
                for f in forms_of(page, shown.text, f"/budgets/{budget}/vote")
                if f.method == "post" or "area" in {x["name"] for x in f.fields}
            ]
            if shown.status_code != 200 or not forms:
                return None
            form = forms[0]
            data = fill(form, self.rng, "")
            if form.method == "get":  # choosing the area
                page = f"{form.action}?{urlencode(data)}"
                continue
            kind = "ballot cast" if "/review/" in page else "ballot choose"
            answer = self.post(kind, form, data, page)
            if answer is None or answer.status_code != 302:
                return None
            page = urljoin(page, answer.headers["Location"])
            if "/vote/done/" in page:
                with self.load.lock:
                    self.load.journal.ballots.append((self.user, budget))
                return None
        return None

    def conversation_vote(self) -> None:
        if not self.load.targets.conversations:
            return self.read()
        conversation = self.rng.choice(self.load.targets.conversations)
        page = urljoin(self.load.base, f"/conversations/{conversation}/")
        shown = self.send("opinion map page", "GET", page)
        if shown is None or shown.status_code != 200:
            return None
        forms = forms_of(page, shown.text, f"/conversations/{conversation}/vote/")
        if not forms or not forms[0].buttons:
            return None
        data = fill(forms[0], self.rng, "")
        data.append(self.rng.choice(forms[0].buttons))
        statement = next((value for name, value in data if name == "statement"), "")
        answer = self.post("opinion vote", forms[0], data, page)
        if answer is not None and answer.status_code in (302, 303):
            with self.load.lock:
                self.load.journal.votes.append((self.user, conversation, statement))
        return None


# --- Faults ------------------------------------------------------------------------------------


@dataclass
class Faults:
    web_killed_at: float | None = None
    worker_killed_at: float | None = None
    db_down: tuple[float, float] | None = None  # from the restart to both instances in service
    workers_restarted_after_db: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def group_of(name: str) -> int:
    return int((VAR / f"{name}.pid").read_text())


def alive(name: str) -> bool:
    try:
        os.killpg(group_of(name), 0)
    except (OSError, ValueError):
        return False
    return True


def kill_and_restart(name: str, load: Load, pause: float) -> float:
    """SIGKILL a process group, as when a machine dies, then start it again after ``pause``."""
    killed = load.now()
    os.killpg(group_of(name), signal.SIGKILL)
    time.sleep(pause)
    subprocess.run([str(SCALE), "restart", name], check=True, capture_output=True)
    return killed


def proxy_sees_both_up(stats: str) -> bool:
    """Both web instances pass the proxy's health checks (its statistics, which queue nothing)."""
    try:
        table = requests.get(f"{stats}/;csv", timeout=5).text
    except requests.RequestException:
        return False
    rows = [line.split(",") for line in table.splitlines()]
    # Columns: pxname, svname, ... and status in the 18th (HAProxy's CSV statistics).
    up = [row for row in rows if row[:2] in (["web", "web1"], ["web", "web2"]) and row[17] == "UP"]
    return len(up) == 2


def inject(load: Load, faults: Faults, seconds: float, db_restart: bool, stats: str) -> None:
    """The fault schedule: web1 at 25 % of the run, worker1 at 40 %, PostgreSQL at 55 %."""

    def at(share: float) -> None:
        time.sleep(max(0.0, load.started + share * seconds - time.monotonic()))

    at(0.25)
    faults.web_killed_at = kill_and_restart("web1", load, 3.0)
    at(0.40)
    faults.worker_killed_at = kill_and_restart("worker1", load, 2.0)
    if not db_restart:
        return
    at(0.55)
    began = load.now()
    subprocess.run(PG_RESTART, check=True, capture_output=True)
    # pg_ctlcluster returns once PostgreSQL accepts connections. The window ends when the proxy's
    # health checks (every second, two to change state) have seen both instances answer again.
    time.sleep(2.5)
    give_up = time.monotonic() + 120
    while not proxy_sees_both_up(stats):
        if time.monotonic() > give_up:
            faults.notes.append("the proxy did not see both instances up within 120 s")
            break
        time.sleep(0.1)
    faults.db_down = (began, load.now())
    time.sleep(5.0)
    for name in ("worker1", "worker2"):
        if not alive(name):  # a supervisor would start it again
            subprocess.run([str(SCALE), "restart", name], check=True, capture_output=True)
            faults.workers_restarted_after_db.append(name)


# --- Invariants --------------------------------------------------------------------------------


def wait_for_tasks(since: Any, seconds: float) -> dict[str, int]:
    """Every task enqueued since the run began, by status, once none is waiting or running (or
    after ``seconds``)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + seconds
    while True:
        rows = DBTaskResult.objects.filter(enqueued_at__gte=since).values("status")
        counts = {row["status"]: row["n"] for row in rows.annotate(n=Count("id"))}
        if (not counts.get("READY") and not counts.get("RUNNING")) or time.monotonic() > deadline:
            return counts
        time.sleep(1.0)


def check_writes(journal: Journal) -> dict[str, Any]:
    """Each acknowledged write, counted in the database: it must be there exactly once."""
    from coproduce.budgeting.models import Ballot
    from coproduce.codesign.models import Comment, Support
    from coproduce.conversations.models import Vote
    from coproduce.insight.models import SurveySubmission

    found: dict[str, Any] = {}

    def tally(kind: str, counts: list[int]) -> None:
        found[kind] = {
            "acknowledged": len(counts),
            "missing": sum(1 for n in counts if n == 0),
            "doubled": sum(1 for n in counts if n > 1),
        }

    tally(
        "supports",
        [Support.objects.filter(user_id=u, idea_id=i).count() for u, i in journal.supports],
    )
    tally(
        "comments",
        [Comment.objects.filter(idea_id=i, body__contains=m).count() for i, m in journal.comments],
    )
    tally(
        "survey answers",
        [
            SurveySubmission.objects.filter(respondent_id=u, survey__activity_id=a).count()
            for u, a in journal.surveys
        ],
    )
    tally(
        "ballots",
        [Ballot.objects.filter(voter_id=u, budget_id=b).count() for u, b in journal.ballots],
    )
    tally(
        "opinion votes",
        [
            Vote.objects.filter(
                participant__user_id=u, participant__conversation_id=c, statement_id=int(s or 0)
            ).count()
            for u, c, s in set(journal.votes)
        ],
    )
    return found


def check_counters() -> dict[str, int]:
    """Rows whose stored count differs from the rows it counts (0 everywhere is the pass)."""
    from django.db.models import Count, F

    from coproduce.codesign.models import Comment, Idea

    ideas = Idea.objects.annotate(supports_n=Count("supports", distinct=True))
    commented = Idea.objects.annotate(comments_n=Count("comments", distinct=True))
    comments = Comment.objects.annotate(agreements_n=Count("agreements", distinct=True))
    return {
        "ideas' support_count": ideas.exclude(support_count=F("supports_n")).count(),
        "ideas' comment_count": commented.exclude(comment_count=F("comments_n")).count(),
        "comments' agreement_count": comments.exclude(agreement_count=F("agreements_n")).count(),
    }


def check_emails(since: float) -> dict[str, int]:
    """Messages the mail sink received since the run began, and how many repeat an earlier one
    (same recipients, subject and text)."""
    seen: Counter[str] = Counter()
    path = VAR / "mail.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        record = json.loads(line)
        if record["received"] >= since:
            key = json.dumps([sorted(record["to"]), record["subject"], record.get("text_sha256")])
            seen[key] += 1
    return {"sent": sum(seen.values()), "sent twice or more": sum(n - 1 for n in seen.values())}


# --- Report ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(load: Load, faults: Faults, seconds: float) -> dict[str, Any]:
    """Throughput, latency per kind and the 5xx, split by when they happened."""
    hits = list(load.hits)
    kinds: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        kinds[hit.kind].append(hit)

    def in_db_window(hit: Hit) -> bool:
        if faults.db_down is None:
            return False
        began, ended = faults.db_down
        return hit.started + hit.ms / 1000 >= began and hit.started <= ended + 1.0

    def in_flight_at_kill(hit: Hit) -> bool:
        killed = faults.web_killed_at
        return killed is not None and hit.started <= killed <= hit.started + hit.ms / 1000

    failed = [hit for hit in hits if hit.status >= 500 or hit.status == 0]
    split = Counter(
        "database restart window"
        if in_db_window(hit)
        else "in flight on the killed web instance"
        if in_flight_at_kill(hit)
        else "elsewhere"
        for hit in failed
    )
    elsewhere = [
        {"kind": hit.kind, "at_s": round(hit.started, 2), "ms": round(hit.ms), "status": hit.status}
        for hit in failed
        if not in_db_window(hit) and not in_flight_at_kill(hit)
    ]
    rows = {}
    for kind, group in sorted(kinds.items()):
        ms = [hit.ms for hit in group if hit.status]
        rows[kind] = {
            "requests": len(group),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "5xx": sum(1 for hit in group if hit.status >= 500),
            "no answer": sum(1 for hit in group if hit.status == 0),
            "4xx": sum(1 for hit in group if 400 <= hit.status < 500),
        }
    return {
        "requests": len(hits),
        "requests_per_s": round(len(hits) / seconds, 1),
        "kinds": rows,
        "failures": dict(split),
        "failures_elsewhere": split.get("elsewhere", 0),
        "failures_elsewhere_first": elsewhere[:20],
        "median_ms_all": round(statistics.median([h.ms for h in hits]), 1) if hits else 0.0,
    }


def show(results: dict[str, Any]) -> None:
    load = results["load"]
    print(
        f"\n{results['people']} people for {results['seconds']:.0f} s: {load['requests']} requests, "
        f"{load['requests_per_s']} requests/s; sign-ins through the form: {results['sign_ins']}"
    )
    print(f"{'kind':26} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'5xx':>5} "
          f"{'none':>5} {'4xx':>5}")  # fmt: skip
    for kind, row in load["kinds"].items():
        print(
            f"{kind:26} {row['requests']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['p99_ms']:>8} {row['5xx']:>5} {row['no answer']:>5} {row['4xx']:>5}"
        )
    faults = results["faults"]
    print(f"\nFaults (seconds into the load): {json.dumps(faults)}")
    print(f"5xx or no answer, by when: {json.dumps(load['failures'])}")
    for hit in load["failures_elsewhere_first"]:
        print(f"  elsewhere: {json.dumps(hit)}")
    print("\nInvariants:")
    for name, verdict in results["verdicts"].items():
        print(f"  {'PASS' if verdict['pass'] else 'FAIL'}  {name}: {json.dumps(verdict['detail'])}")


# --- Main --------------------------------------------------------------------------------------


def topology_running() -> bool:
    return (VAR / "env").exists() and all(
        alive(name) for name in ("smtp", "web1", "web2", "worker1", "worker2", "proxy")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 people for 45 s: a smoke run")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--no-faults", action="store_true", help="load only")
    parser.add_argument("--no-db-restart", action="store_true", help="leave PostgreSQL alone")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    people_n = args.people or (60 if args.quick else 200)
    seconds = args.seconds or (45.0 if args.quick else 150.0)

    started_topology = not topology_running()
    try:
        if started_topology:
            print("Starting the topology (scripts/scale.sh start)...")
            subprocess.run([str(SCALE), "start"], check=True)
        return run(people_n, seconds, args)
    finally:
        if started_topology:
            subprocess.run([str(SCALE), "stop"], check=False)


def reset_anonymous_answer_limit() -> None:
    """Start the run with a fresh hourly limit on anonymous answers from this machine's address,
    so that the runs of the last hour do not leave the email check nothing to count."""
    from django.core.cache import cache

    client = cache._cache.get_client()  # type: ignore[attr-defined]  # Django's Redis cache
    for key in client.scan_iter(match="*:insight_anonymous_answer:*"):
        client.delete(key)


def run(people_n: int, seconds: float, args: argparse.Namespace) -> int:
    env = load_env()
    django_setup(env)
    from django.db import close_old_connections
    from django.utils import timezone

    urllib3.disable_warnings()
    base = f"https://{env['SCALE_PROXY_HOST']}:{env['SCALE_PROXY_PORT']}"
    stats = f"http://{env['SCALE_PROXY_HOST']}:{env['SCALE_PROXY_STATS_PORT']}"
    run_id = uuid.uuid4().hex[:6]
    since_db, since_wall = timezone.now(), time.time()
    print(f"Seeding {people_n} people (run {run_id})...")
    people = seed_people(people_n, run_id)
    reset_anonymous_answer_limit()
    targets = find_targets()
    print(
        f"Targets: {len(targets.ideas)} ideas, {len(targets.surveys)} surveys, "
        f"{len(targets.budgets)} budgets, {len(targets.conversations)} opinion maps; "
        f"load through {base} for {seconds:.0f} s"
    )
    close_old_connections()  # PostgreSQL restarts mid-run: no connection kept across it
    load = Load(base, str(VAR / "proxy.crt"), targets, seconds)
    threads = [
        threading.Thread(target=Person(load, user, email, key, index).run, daemon=True)
        for index, (user, email, key) in enumerate(people)
    ]
    faults = Faults()
    injector = None
    if not args.no_faults:
        injector = threading.Thread(
            target=inject,
            args=(load, faults, seconds, not args.no_db_restart, stats),
            daemon=True,
        )
        injector.start()
    for thread in threads:
        thread.start()
        time.sleep(min(0.02, 2.0 / len(threads)))  # people arrive over a second or two
    for thread in threads:
        thread.join(timeout=seconds + 120)
    if injector is not None:
        injector.join(timeout=120)
    elapsed = load.now()
    print(f"Load done after {elapsed:.0f} s; waiting for the task workers...")
    close_old_connections()
    tasks = wait_for_tasks(since_db, 120.0)
    time.sleep(2.0)  # the mail sink writes each message as it arrives
    writes = check_writes(load.journal)
    counters = check_counters()
    emails = check_emails(since_wall)
    measured = report(load, faults, elapsed)
    unfinished = {status: n for status, n in tasks.items() if status != "SUCCESSFUL"}
    verdicts = {
        "every acknowledged write is there exactly once": {
            "pass": all(not row["missing"] and not row["doubled"] for row in writes.values()),
            "detail": writes,
        },
        "every counter equals its rows": {
            "pass": not any(counters.values()),
            "detail": counters,
        },
        "every task enqueued has finished": {"pass": not unfinished, "detail": tasks},
        "no email sent twice": {"pass": not emails["sent twice or more"], "detail": emails},
        "no 5xx outside the database restart": {
            "pass": measured["failures_elsewhere"] == 0,
            "detail": measured["failures"],
        },
    }
    results = {
        "people": people_n,
        "seconds": elapsed,
        "sign_ins": load.journal.sign_ins,
        "load": measured,
        "faults": asdict(faults),
        "verdicts": verdicts,
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }
    show(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(verdict["pass"] for verdict in verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
