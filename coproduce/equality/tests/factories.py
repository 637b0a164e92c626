"""Test data for equality monitoring, made through the real actions."""

from __future__ import annotations

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions.models import Contribution
from coproduce.equality import actions
from coproduce.equality.models import PopulationArea, PopulationCount
from coproduce.services.models import Activity


def took_part(activity: Activity, answers: dict[str, str] | None = None) -> User:
    """A person who said something in the activity, with these equality answers (None: none)."""
    person = UserFactory()
    Contribution.objects.create(activity=activity, kind="idea", author=person)
    if answers is not None:
        actions.record_save(user=person, answers=answers, consent=True)
    return person


def population(area: PopulationArea, category: str, counts: dict[str, int]) -> None:
    for value, count in counts.items():
        PopulationCount.objects.create(area=area, category=category, value=value, count=count)
