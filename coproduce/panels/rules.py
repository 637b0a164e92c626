"""Who may see and run a citizen panel, and who may see registration data.

A panel is seen with its activity. Its coordinators are the people who run the service's
activities (administrators, professionals and facilitators of the organisation): they set up
quotas and invitations, commit seeds, run selections and draw replacements, and they alone see
registration data (answers, contact details, access needs), which are special-category data.
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.panels.models import Panel
from coproduce.services.rules import can_manage_activity, can_view_activity


def can_view_panel(user: Visitor, panel: Panel) -> bool:
    return can_view_activity(user, panel.activity)


def can_coordinate(user: Visitor, panel: Panel) -> bool:
    """Set up, invite, select and replace: the panel's coordinators."""
    return can_manage_activity(user, panel.activity)


def can_view_registration_data(user: Visitor, panel: Panel) -> bool:
    """Answers, contact details and access needs: the coordinators only."""
    return can_coordinate(user, panel)
