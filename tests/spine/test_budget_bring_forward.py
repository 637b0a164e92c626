"""An idea from an idea challenge, or a statement all groups agreed with on an opinion map,
brought forward to a participatory budget (issues 10 and 14): the budgeting app reaches them
through the spine only, so this check of the apps together lives here."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.budgeting import actions
from coproduce.budgeting.tests.factories import make_budget
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.contributions.models import Response
from coproduce.conversations.models import MapRun, MapStatus
from coproduce.conversations.tests.factories import make_conversation

pytestmark = pytest.mark.django_db


def test_an_idea_brought_forward_keeps_its_author_and_is_answered() -> None:
    setup = make_budget()
    challenge = IdeaChallengeFactory(service=setup.budget.activity.service)
    idea = IdeaFactory(activity=challenge, title="A quiet room at school")
    proposal = actions.proposal_bring_forward(
        budget=setup.budget,
        by=setup.staff,
        idea=idea.contribution,
        area=setup.area,
        estimated_cost=12_000,
    )
    assert proposal.contribution.author == idea.contribution.author
    assert proposal.from_contribution == idea.contribution
    assert proposal.title == "A quiet room at school"
    assert "P1" in Response.objects.get(contribution=idea.contribution).body
    with pytest.raises(ValidationError):
        actions.proposal_bring_forward(
            budget=setup.budget,
            by=setup.staff,
            idea=idea.contribution,
            area=setup.area,
            estimated_cost=12_000,
        )
    elsewhere = IdeaFactory(activity=IdeaChallengeFactory())
    with pytest.raises(ValidationError):
        actions.proposal_bring_forward(
            budget=setup.budget,
            by=setup.staff,
            idea=elsewhere.contribution,
            area=setup.area,
            estimated_cost=1_000,
        )


def test_only_a_statement_all_groups_agreed_with_on_the_latest_map_goes_forward() -> None:
    setup = make_budget()
    conversation = make_conversation(seeds=2)
    agreed, divisive = conversation.statements
    activity = conversation.conversation.activity
    activity.service_stage = setup.budget.activity.service_stage
    activity.save(update_fields=["service_stage"])
    MapRun.objects.create(  # a map as the map task stores it (tasks.map_json)
        conversation=conversation.conversation,
        status=MapStatus.DONE,
        finished_at=timezone.now(),
        result={"consensus": {"agree": [{"statement_id": agreed.pk}], "disagree": []}},
    )
    client = Client()
    client.force_login(setup.staff)
    page = client.get(reverse("budgeting:bring_forward", args=[setup.budget.pk])).content.decode()
    assert agreed.text in page
    assert divisive.text not in page
    with pytest.raises(ValidationError) as refused:
        actions.proposal_bring_forward(
            budget=setup.budget,
            by=setup.staff,
            idea=divisive.contribution,
            area=setup.area,
            estimated_cost=1_000,
        )
    assert "idea" in refused.value.message_dict
    proposal = actions.proposal_bring_forward(
        budget=setup.budget,
        by=setup.staff,
        idea=agreed.contribution,
        area=setup.area,
        estimated_cost=1_000,
    )
    assert proposal.description == agreed.text
