"""Paths, accounts and Django for benchmarks/scale.py: the run's people seeded, their targets found.

Where the topology of scripts/scale.sh keeps its files (var/scale/: its environment, the pid files,
the proxy's certificate, the mail sink's file) and the run's accounts (one password for all, one
person in ten signing in through the form; decision 0912). load_env reads the topology's
environment and django_setup loads the web processes' production settings in this process; then
seed_people creates the run's residents (nine in ten with a session made here, as a sign-in would)
and find_targets the ideas, challenges, surveys, budgets and opinion maps a signed-in resident may
take part in. The invariants of scale_checks.py read the database through the same set-up.

Imported by scale.py, which puts benchmarks/ on sys.path; not run on its own.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCALE = REPO / "scripts" / "scale.sh"
VAR = REPO / "var" / "scale"
PASSWORD = "scale-benchmark-password-1"  # noqa: S105 (throwaway accounts of a local benchmark)
SIGN_IN_EVERY = 10  # one person in ten signs in through the form


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
