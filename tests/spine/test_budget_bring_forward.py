"""An idea from an idea challenge brought forward to a participatory budget (issue 10): the
budgeting app reaches the idea through the spine only, so this check of both lives here."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import actions
from coproduce.budgeting.tests.factories import make_budget
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.contributions.models import Response

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
