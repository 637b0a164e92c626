"""What the tests of an idea challenge's pages share: the address of its list of ideas, and
closing it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityState


def list_url(activity: Any, **query: str) -> str:
    """The address of the challenge's list of ideas, with ``query`` as its query string."""
    url = reverse("codesign:idea_list", kwargs={"pk": activity.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def close(activity: Any) -> None:
    """Close the challenge."""
    service_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    activity.refresh_from_db()
