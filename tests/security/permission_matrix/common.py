"""What every part of the permission matrix shares: the outcomes, a row of them per role, the rows
used everywhere, a case of the view matrix and of the API matrices, and the world's things most
cases visit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coproduce.contributions.tests.world import ROLES, World

OK, LOGIN, DENIED, HIDDEN = "ok", "login", "denied", "hidden"


def row(
    anonymous: str,
    resident: str,
    facilitator: str,
    professional: str,
    other_professional: str,
    org_admin: str,
    superuser: str,
) -> dict[str, str]:
    return dict(
        zip(
            ROLES,
            [
                anonymous,
                resident,
                facilitator,
                professional,
                other_professional,
                org_admin,
                superuser,
            ],
            strict=True,
        )
    )


PUBLIC = row(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(LOGIN, OK, OK, OK, OK, OK, OK)
OWNER_MEMBERS = row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK)
STAFF_ANYWHERE = row(LOGIN, DENIED, OK, OK, OK, OK, OK)
CREATE_SERVICE = row(LOGIN, DENIED, DENIED, OK, OK, OK, OK)
RUN_ACTIVITIES = row(LOGIN, DENIED, OK, OK, DENIED, OK, OK)
MANAGE_SERVICE = row(LOGIN, DENIED, DENIED, OK, DENIED, OK, OK)
MANAGE_DRAFT = row(HIDDEN, HIDDEN, DENIED, OK, HIDDEN, OK, OK)
DRAFT_ACTIVITY_STAFF = row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK)
ORG_ADMINS = row(LOGIN, DENIED, DENIED, DENIED, DENIED, OK, OK)
# Taking part in a draft activity: not there to outsiders, refused to its staff.
DRAFT_TAKE_PART = row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED)
# Taking part in a closed activity (or one not open for it yet).
CLOSED_TO_ALL = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
STAFF_ONLY_HIDDEN = row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK)


@dataclass
class Case:
    name: str
    kwargs: Callable[[World], dict[str, Any]]
    expected: dict[str, str]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    label: str = ""


def published(w: World) -> dict[str, Any]:
    return {"slug": w.service.slug}


def draft(w: World) -> dict[str, Any]:
    return {"slug": w.draft_service.slug}


def open_activity(w: World) -> dict[str, Any]:
    return {"pk": w.open_activity.pk}


def draft_activity(w: World) -> dict[str, Any]:
    return {"pk": w.draft_activity.pk}


def nothing(w: World) -> dict[str, Any]:
    return {}


def posted(**data: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: data


# The API matrices (here for budgets and conversations; tests/security/test_api_matrix_*.py for
# the others), with each role's token: 401 without one on what needs it, 404 for what the caller
# may not see, 403 for what it may not do, 422 (a rule) where the thing does not allow it now.
@dataclass
class ApiCase:
    method: str
    path: str  # an OpenAPI path of the operation
    which: str  # the thing, as the world helper of its area names it
    expected: dict[str, int]
    label: str = ""


def api_row(*statuses: int) -> dict[str, int]:
    return dict(zip(ROLES, statuses, strict=True))


API_PUBLIC = api_row(200, 200, 200, 200, 200, 200, 200)
API_OWNER_MEMBERS = api_row(404, 404, 200, 200, 404, 200, 200)
API_STAFF_RESULTS = api_row(404, 404, 200, 200, 404, 200, 200)
API_NOTHING = api_row(404, 404, 404, 404, 404, 404, 404)
API_WITH_TOKEN = api_row(401, 200, 200, 200, 200, 200, 200)
API_VOTE_CLOSED = api_row(401, 422, 422, 422, 422, 422, 422)
