"""Insight forms sent twice (Back, then submit) make one story, asset, answer or question."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.common.tests.one_time import send_twice
from coproduce.insight.models import Asset, AssetKind, QuestionKind, Story, SurveySubmission
from coproduce.insight.tests.factories import NeedsSurveyFactory, StoryCollectionFactory
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityState
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def test_a_story_sent_twice_is_told_once() -> None:
    activity = StoryCollectionFactory()
    web = client_for(UserFactory())
    url = reverse("insight:story_create", args=[activity.pk])
    data = {
        "title": "Asking for help",
        "body": "It took me a year.",
        "author_display": "named",
        "consent": "on",
    }
    assert send_twice(web, url, data) == Story.objects.get().get_absolute_url()


def test_an_asset_sent_twice_is_recorded_once() -> None:
    survey = NeedsSurveyFactory()
    web = client_for(UserFactory())
    url = reverse("insight:asset_create", args=[survey.pk])
    data = {
        "kind": AssetKind.EQUIPMENT,
        "name": "Community minibus",
        "description": "Free on Sundays for groups.",
        "author_display": "named",
    }
    assert send_twice(web, url, data) == Asset.objects.get().get_absolute_url()


def test_an_anonymous_answer_sent_twice_is_kept_once() -> None:
    """Signed-in people can answer once anyway; an anonymous copy of the form now can too."""
    activity = NeedsSurveyFactory(anonymous_answers=True)
    kinds: dict[str, Any] = {q.kind: q for q in activity.survey.questions.all()}
    data = {
        kinds[QuestionKind.MULTIPLE_CHOICE].field_name: ["Weekday evenings", "Weekends"],
        kinds[QuestionKind.SCALE].field_name: "2",
        kinds[QuestionKind.SINGLE_CHOICE].field_name: "Online",
        "email": "me@example.org",
    }
    url = reverse("insight:survey_answer", args=[activity.pk])
    where = send_twice(Client(), url, data)
    assert where == reverse("insight:survey_results", kwargs={"pk": activity.pk})
    assert SurveySubmission.objects.count() == 1


def test_a_question_sent_twice_is_added_once() -> None:
    activity = NeedsSurveyFactory(state=ActivityState.DRAFT, questions=())
    staff = client_for(staff_of(activity, Role.FACILITATOR))
    url = reverse("insight:question_create", args=[activity.pk])
    send_twice(staff, url, {"text": "Why?", "kind": "free_text"})
    assert activity.survey.questions.count() == 1
    # Changing a question needs no token: sent again, it saves the same words.
    edit = reverse("insight:question_edit", args=[activity.survey.questions.get().pk])
    assert 'name="one_time_token"' not in staff.get(edit).content.decode()
