"""The simulated people of benchmarks/scale.py, each a thread with its own cookies, through the proxy.

Load is the shared state of one run: when it started and ends, every Hit (request kind, start,
latency, status), the Journal of what the server acknowledged, and the pacing of form sign-ins
(under allauth's 30 a minute from one address) and of anonymous survey answers (a few per run).
Person is one resident in a browser: it reads pages, signs in through the form, supports ideas,
comments, answers surveys (signed in or anonymously), casts a budget ballot and votes on opinion
maps, through the pages' own forms (scale_forms.py), pausing 2-8 s between steps, and notes each
acknowledged write in the journal for scale_checks.py to find in the database.
"""

from __future__ import annotations

import random
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from scale_forms import Form, fill, forms_of
from scale_setup import PASSWORD, Targets

SIGN_IN_GAP = 2.6  # seconds between form sign-ins: about 23 a minute, under allauth's 30/m/ip
ANONYMOUS_ANSWERS = 6  # per run: each sends a confirmation email (10 an hour from one address)


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
