"""Places on the service and activity pages, and on the staff dashboard, that the apps above
fill (common.sections).

The answer spine adds answer coverage, "You said, we did", follow buttons, the moderation row,
the inbox and the overdue flag, and the open-data links. A part is included with the page's own
context (``service``, ``activity``, ``request`` …) plus ``section``.

``MISSING_WELSH`` lists, for the staff page "What has no Welsh yet", the things a service shows
that have English and no Welsh beside them: this app adds the service and its activities, the apps
above add survey questions, decisions and answers (docs/decisions/0025).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from coproduce.accounts.models import User
from coproduce.common.languages import Shown
from coproduce.common.pagination import Chain
from coproduce.common.sections import Sections
from coproduce.services.models import Activity, Service

SERVICE_MAIN: Sections[Service] = Sections("The service page, under the index")
SERVICE_ASIDE: Sections[Service] = Sections("The service page's side column")
STAFF_SERVICE_ROWS: Sections[Service] = Sections("The staff service page's summary list")
STAFF_SERVICE_MAIN: Sections[Service] = Sections("The staff service page, under its summary")
ACTIVITY_MAIN: Sections[Activity] = Sections("The activity page, at the end")
STAFF_DASHBOARD: Sections[User] = Sections("The staff dashboard, under its heading")


def service_parts(service: Service) -> dict[str, Any]:
    return {
        "service_main": SERVICE_MAIN.render_list(service),
        "service_aside": SERVICE_ASIDE.render_list(service),
    }


def staff_service_parts(service: Service) -> dict[str, Any]:
    return {
        "staff_service_rows": STAFF_SERVICE_ROWS.render_list(service),
        "staff_service_main": STAFF_SERVICE_MAIN.render_list(service),
    }


def activity_parts(activity: Activity) -> dict[str, Any]:
    return {"activity_main": ACTIVITY_MAIN.render_list(activity)}


def staff_dashboard_parts(user: User) -> dict[str, Any]:
    return {"staff_dashboard": STAFF_DASHBOARD.render_list(user)}


@dataclass(frozen=True)
class Untranslated:
    """One thing on a service's pages with English and no Welsh beside it."""

    what: str  # the kind of thing: "Activity", "Answer" …
    name: Shown | str  # its name or title (Shown: in Welsh if that is written, else English)
    missing: list[str]  # the names of its fields that have no Welsh
    url: str  # the staff page where the Welsh is written
    where: Shown | str = ""  # what it belongs to, to find it by (a question's activity)


@dataclass(frozen=True)
class WelshGaps:
    """Things of one kind that lack Welsh: ``rows(service)`` in a stable order, each ``shown``."""

    order: int
    rows: Callable[[Service], QuerySet[Any]]
    shown: Callable[[Any], Untranslated]


MISSING_WELSH: list[WelshGaps] = []


def register_missing_welsh(
    order: int, rows: Callable[[Service], QuerySet[Any]], shown: Callable[[Any], Untranslated]
) -> None:
    """Add a kind of thing to "What has no Welsh yet"; kinds are listed by ``order``."""
    MISSING_WELSH.append(WelshGaps(order, rows, shown))
    MISSING_WELSH.sort(key=lambda gaps: gaps.order)


def missing_welsh(service: Service) -> Chain:
    """Everything the service shows that lacks Welsh, kind by kind, for a paginator."""
    return Chain([(gaps.rows(service), gaps.shown) for gaps in MISSING_WELSH])
