"""Places on the service and activity pages, and on the staff dashboard, that the apps above
fill (common.sections).

The answer spine adds answer coverage, "You said, we did", follow buttons, the moderation row,
the inbox and the overdue flag, and the open-data links. A part is included with the page's own
context (``service``, ``activity``, ``request`` …) plus ``section``.
"""

from __future__ import annotations

from typing import Any

from coproduce.accounts.models import User
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
