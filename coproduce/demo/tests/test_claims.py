"""The demo makes no promise the site cannot keep (issue 9, item 9).

Activities of a method no app runs yet (opinion maps, panels …) happen offline in the
story: their texts and their pages must not invite anyone to vote online, react to statements or
read a map. See docs/decisions/0015-activity-methods-registry.md.
"""

from __future__ import annotations

import html

import pytest
from django.test import Client

from coproduce.services.methods import method_for
from coproduce.services.models import Activity, ActivityState
from coproduce.services.tests.test_methods import CLAIMS, OFFLINE_NOW, OFFLINE_PAST

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]

# The activity's own words must not point at something on the site either.
TEXT_CLAIMS = [*CLAIMS, "on this site", "on this website", "see below", "this page"]


def test_the_demos_offline_activities_make_no_claims(demo_story: None) -> None:
    offline = [
        activity
        for activity in Activity.objects.select_related("service_stage__service").order_by("id")
        # A "meeting" activity with no board behind it still runs offline (decision 0029).
        if method_for(activity.kind) is None
        or (activity.kind == "meeting" and not hasattr(activity, "meeting"))
        # Nor does a citizen-panel activity whose panel is not set up on the site.
        or (activity.kind == "citizen_panel" and not hasattr(activity, "panel"))
        # Nor an assessment, peer review, self-reflection or mystery shop that rates against no
        # standards on the site (the drivers' reflection of years ago, on paper).
        or (
            activity.kind in ("assessment", "peer_review", "self_reflection", "mystery_shop")
            and not hasattr(activity, "service_assessment")
        )
    ]
    # Participatory budgets, opinion maps, citizen panels and user assessments run on the site
    # now (coproduce/demo/budgeting.py, conversations.py, panels.py, assessment.py).
    assert {activity.kind for activity in offline} >= {"self_reflection", "meeting"}
    client = Client()
    shown = 0
    for activity in offline:
        words = " ".join(
            [activity.title, activity.summary, activity.how_to_take_part, activity.outcome]
        ).lower()
        assert [claim for claim in TEXT_CLAIMS if claim in words] == [], activity.title
        if activity.state == ActivityState.DRAFT or not activity.service.is_published:
            continue
        response = client.get(activity.get_absolute_url())
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert [claim for claim in CLAIMS if claim in page.lower()] == [], activity.title
        expected = OFFLINE_NOW if activity.state == ActivityState.OPEN else OFFLINE_PAST
        assert expected in page, activity.title
        if activity.state == ActivityState.OPEN:
            assert activity.how_to_take_part, f"{activity.title}: say how to take part offline"
        shown += 1
    # The recovery commissioning panel, the passengers' assessment and both mystery shops (the
    # booking line, the 101 line) run on the site now.
    assert shown >= 6
