"""The answer spine's pages with every kind of contribution side by side: ideas and comments
(codesign), stories, assets and survey answers (insight). The method apps' own tests cover their
kinds one at a time; these cover the spine's pages holding them together."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.contributions.models import Contribution, Visibility
from coproduce.insight.models import InsightKind
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def test_the_answer_form_works_for_insight_contributions() -> None:
    from coproduce.insight.models import Story

    activity: Any = ActivityFactory(kind=ActivityKind.STORY_COLLECTION, state=ActivityState.OPEN)
    author: Any = UserFactory()
    contribution = Contribution.objects.create(
        activity=activity, kind=InsightKind.STORY, author=author
    )
    Story.objects.create(
        contribution=contribution, title="The night I asked for help", body="…", consent=True
    )
    staff = client_for(staff_of(activity))
    url = reverse("contributions:respond", kwargs={"pk": contribution.pk})
    assert "The night I asked for help" in staff.get(url).content.decode()
    assert staff.post(url, {"body": "Thank you for telling us."}).status_code == 302
    assert contribution.responses.get().body == "Thank you for telling us."


def test_the_moderation_queue_shows_counts_reasons_and_every_kind() -> None:
    from coproduce.insight.models import Asset, AssetKind, Story

    challenge = IdeaChallengeFactory(premoderation=True)
    service = challenge.service
    held_idea = IdeaFactory(activity=challenge, title="Held idea")
    stories: Any = ActivityFactory(
        service=service, kind=ActivityKind.STORY_COLLECTION, state=ActivityState.OPEN
    )
    survey: Any = ActivityFactory(
        service=service, kind=ActivityKind.NEEDS_SURVEY, state=ActivityState.OPEN
    )
    story = Contribution.objects.create(
        activity=stories, kind=InsightKind.STORY, visibility=Visibility.PENDING
    )
    Story.objects.create(contribution=story, title="My first week", body="…", consent=True)
    asset = Contribution.objects.create(
        activity=survey,
        kind=InsightKind.ASSET,
        visibility=Visibility.PENDING,
        held_reason="Contains 3 links",
    )
    Asset.objects.create(
        contribution=asset, kind=AssetKind.PLACE, name="Church hall", description="Free on Mondays"
    )
    facilitator = client_for(staff_of(challenge, Role.FACILITATOR))
    url = reverse("contributions:moderation", kwargs={"slug": service.slug})

    page = facilitator.get(url).content.decode()
    for text in [
        "Held idea",
        "My first week",
        "Church hall",
        "Checked by a moderator before it appears",
        "Contains 3 links",
    ]:
        assert text in page
    assert facilitator.get(url).context["counts"]["pending"] == 3
    for bad in ("?show=everything", "?page=x", "?show=hidden&page=-1"):
        assert facilitator.get(url + bad).status_code == 200

    moderate = reverse("contributions:moderate", kwargs={"pk": held_idea.pk})
    response = facilitator.post(moderate, {"decision": "approve", "next": url})
    assert response["Location"] == url
    held_idea.contribution.refresh_from_db()
    assert held_idea.contribution.visibility == Visibility.PUBLISHED
    facilitator.post(
        reverse("contributions:moderate", kwargs={"pk": story.pk}), {"decision": "hide"}
    )
    story.refresh_from_db()
    assert story.visibility == Visibility.HIDDEN
    assert "My first week" in facilitator.get(url + "?show=hidden").content.decode()
    assert facilitator.post(moderate, {"decision": "delete"}).status_code == 302
    assert facilitator.get(url).context["counts"] == {
        "pending": 1,
        "hidden": 1,
        "reports": 0,
        "reported": 0,
    }
