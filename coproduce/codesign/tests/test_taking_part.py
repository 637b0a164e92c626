"""Backing an idea is taking part: equality monitoring counts supporters with the authors."""

from __future__ import annotations

import pytest

from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign.models import Support
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.equality.participation import participants

pytestmark = pytest.mark.django_db


def test_supporters_and_authors_took_part() -> None:
    challenge = IdeaChallengeFactory()
    idea = IdeaFactory(activity=challenge)
    supporter = UserFactory()
    Support.objects.create(idea=idea, user=supporter)
    IdeaFactory(activity=IdeaChallengeFactory())  # another activity's author
    found = participants([challenge.pk])
    assert found[challenge.pk] == {("user", supporter.pk), ("user", idea.contribution.author_id)}
