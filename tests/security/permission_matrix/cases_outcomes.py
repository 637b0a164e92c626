"""Outcomes: the pages (the outcomes API is in tests/security/test_api_matrix_outcomes.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    DENIED,
    HIDDEN,
    LOGIN,
    MANAGE_DRAFT,
    MANAGE_SERVICE,
    OWNER_MEMBERS,
    PUBLIC,
    SIGNED_IN,
    Case,
    draft,
    published,
    row,
)


# --- Outcomes (issue 11): public with their service; kept by the service's admins and
# professionals; a resident check answered by signed-in people on a published service.
def _outcomes(w: World, which: str) -> Any:
    """An outcome with a staff-measured and a resident-reported indicator, in the published
    service ("published") or the draft one ("draft"), made once per world."""
    made = w.people.setdefault("_outcomes", {})
    if which not in made:
        from coproduce.outcomes.tests.factories import (
            make_check_indicator,
            make_indicator,
            make_outcome,
        )

        service = w.service if which == "published" else w.draft_service
        keeper = w.people["professional"]
        outcome = make_outcome(service, keeper)
        made[which] = {
            "outcome": outcome,
            "indicator": make_indicator(outcome, keeper),
            "check": make_check_indicator(outcome, keeper),
        }
    return made[which]


def outcomes_of(which: str, thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _outcomes(w, which)[thing].pk}


CHECK_ON_DRAFT = row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED)
OUTCOME_CASES = [
    Case("outcomes:service_outcomes", published, PUBLIC),
    Case("outcomes:service_outcomes", draft, OWNER_MEMBERS, label="draft service"),
    Case("outcomes:indicator", outcomes_of("published", "indicator"), PUBLIC),
    Case("outcomes:indicator", outcomes_of("draft", "indicator"), OWNER_MEMBERS, label="draft"),
    Case(
        "outcomes:check_answer",
        outcomes_of("published", "check"),
        SIGNED_IN,
        method="post",
        data=lambda w: {"rating": "4"},
    ),
    Case(
        "outcomes:check_answer",
        outcomes_of("published", "indicator"),
        row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
        method="post",
        data=lambda w: {"rating": "4"},
        label="measured by staff",
    ),
    Case(
        "outcomes:check_answer",
        outcomes_of("draft", "check"),
        CHECK_ON_DRAFT,
        method="post",
        data=lambda w: {"rating": "4"},
        label="draft",
    ),
    Case("outcomes:manage", published, MANAGE_SERVICE),
    Case("outcomes:manage", draft, MANAGE_DRAFT, label="draft"),
    Case("outcomes:outcome_create", published, MANAGE_SERVICE),
    Case("outcomes:measurements_import", published, MANAGE_SERVICE),
    Case("outcomes:outcome_edit", outcomes_of("published", "outcome"), MANAGE_SERVICE),
    Case("outcomes:outcome_edit", outcomes_of("draft", "outcome"), MANAGE_DRAFT, label="draft"),
    Case("outcomes:indicator_create", outcomes_of("published", "outcome"), MANAGE_SERVICE),
    Case("outcomes:indicator_edit", outcomes_of("published", "indicator"), MANAGE_SERVICE),
    Case("outcomes:measurement_add", outcomes_of("published", "indicator"), MANAGE_SERVICE),
    Case(
        "outcomes:measurement_add",
        outcomes_of("published", "indicator"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {
            "measured_on_0": "1",
            "measured_on_1": "1",
            "measured_on_2": "2026",
            "value": "51",
        },
        label="post",
    ),
]
