"""Contributions for the spine's tests, made as residents make them.

The spine's tests may not import a method app (import-linter), so contributions are made here
through the kinds the installed apps registered: ``contribution_start``, then the kind's own row
through its one-to-one relation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions import actions
from coproduce.contributions.kinds import get_kind
from coproduce.contributions.models import Contribution
from coproduce.services.models import Activity

# The fields of each kind's own row that these tests make (the kinds' apps define them).
DETAILS = {
    "idea": lambda title: {"title": title, "description": f"Why: {title}."},
    "story": lambda title: {"title": title, "body": f"What happened: {title}.", "consent": True},
}


def said(
    activity: Activity,
    title: str,
    *,
    kind: str = "idea",
    days: float = 0,
    needs_answer: bool | None = None,
) -> Contribution:
    """A published contribution of a registered kind, made ``days`` ago."""
    contribution = actions.contribution_start(
        activity=activity, kind=kind, author=UserFactory(), text=title, needs_answer=needs_answer
    )
    row: Any = Contribution._meta.get_field(get_kind(kind).detail).related_model
    row._default_manager.create(contribution=contribution, **DETAILS[kind](title))
    if days:
        Contribution.objects.filter(pk=contribution.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days)
        )
    contribution.refresh_from_db()
    return contribution


def answered(contribution: Contribution, by: Any) -> Contribution:
    actions.response_create(contribution=contribution, author=by, body="Thank you.")
    return contribution
