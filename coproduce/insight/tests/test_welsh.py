"""Survey questions in English and Welsh: written with the question or added later (also once the
survey has closed), shown in the visitor's language, and answers still stored in English
(decision 0025)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.insight import actions
from coproduce.insight.models import Answer, Question, QuestionKind
from coproduce.insight.tests.factories import NeedsSurveyFactory
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityState
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db

WELSH = {"Accept-Language": "cy"}
NOTE = 'id="language-note"'
COUNT = "Give one Welsh option for each English option, in the same order, or leave them all empty."


def choice_question(activity: Any) -> Question:
    question: Question = activity.survey.questions.get(kind=QuestionKind.SINGLE_CHOICE)
    return question


def test_a_question_is_written_with_its_welsh() -> None:
    activity = NeedsSurveyFactory(state=ActivityState.DRAFT, questions=())
    client = client_for(staff_of(activity, Role.FACILITATOR))
    url = reverse("insight:question_create", args=[activity.pk])
    form = client.get(url).content.decode()
    assert "Question in Welsh (optional)" in form
    assert "Options in Welsh (optional)" in form
    data = {
        "text": "How do you travel?",
        "text_cy": "Sut ydych chi'n teithio?",
        "kind": "single_choice",
        "options": "Bus\nTrain",
        "options_cy": "Bws\n",
    }
    page = client.post(url, data).content.decode()
    assert COUNT in page
    assert 'href="#id_options_cy"' in page  # on the field
    assert not Question.objects.exists()
    assert client.post(url, {**data, "options_cy": "Bws\nTrên"}).status_code == 302
    question = Question.objects.get()
    assert (question.text_cy, question.options_cy) == ("Sut ydych chi'n teithio?", ["Bws", "Trên"])


def test_the_actions_refuse_welsh_without_english_and_mismatched_options() -> None:
    activity = NeedsSurveyFactory()
    user = staff_of(activity, Role.FACILITATOR)
    question = choice_question(activity)
    with pytest.raises(ValidationError) as refused:
        actions.question_set_welsh(question=question, user=user, options_cy=["Gartref"])
    assert refused.value.message_dict == {"options_cy": [COUNT]}
    free = activity.survey.questions.get(kind=QuestionKind.SCALE)  # it has no hint
    with pytest.raises(ValidationError) as refused:
        actions.question_set_welsh(question=free, user=user, help_text_cy="Awgrym")
    assert list(refused.value.message_dict) == ["help_text_cy"]


def test_staff_add_the_welsh_of_a_question_once_the_survey_has_closed() -> None:
    activity = NeedsSurveyFactory(state=ActivityState.CLOSED)
    question = choice_question(activity)
    client = client_for(staff_of(activity, Role.FACILITATOR))
    url = reverse("insight:question_welsh", args=[question.pk])
    page = client.get(url).content.decode()
    assert "In English: Where would you most like to get help?" in page
    assert "At home / In a community centre / Online" in page
    assert "Hint in Welsh" not in page  # the question has no hint to translate
    bad = client.post(url, {"text_cy": "Ble?", "options_cy": "Gartref\nAr-lein"})
    assert COUNT in bad.content.decode()
    assert 'href="#id_options_cy"' in bad.content.decode()
    done = client.post(
        url,
        {
            "text_cy": "Ble hoffech chi gael help?",
            "options_cy": "Gartref\nMewn canolfan gymunedol\nAr-lein",
        },
    )
    assert done.status_code == 302
    question.refresh_from_db()
    assert question.options_cy == ["Gartref", "Mewn canolfan gymunedol", "Ar-lein"]
    results = reverse("insight:survey_results", args=[activity.pk])
    welsh = Client().get(results, headers=WELSH).content.decode()
    assert "Ble hoffech chi gael help?" in welsh  # the results still show the question


def test_residents_answer_in_welsh_and_the_answers_are_kept_in_english() -> None:
    activity = NeedsSurveyFactory()
    question = choice_question(activity)
    actions.question_set_welsh(
        question=question,
        user=staff_of(activity, Role.FACILITATOR),
        text_cy="Ble hoffech chi gael help?",
        options_cy=["Gartref", "Mewn canolfan gymunedol", "Ar-lein"],
    )
    url = reverse("insight:survey_answer", args=[activity.pk])
    resident = client_for(UserFactory())
    page = resident.get(url, headers=WELSH).content.decode()
    assert "Ble hoffech chi gael help?" in page
    assert 'value="Online"' in page  # the value is the English option; its label the Welsh
    assert "Ar-lein" in page
    # The questions without Welsh are shown in English, marked, with one note.
    assert '<span lang="en" data-untranslated>When would you use the service?</span>' in page
    assert page.count(NOTE) == 1
    multiple = activity.survey.questions.get(kind=QuestionKind.MULTIPLE_CHOICE)
    response = resident.post(
        url,
        {
            multiple.field_name: ["Weekends"],
            question.field_name: "Online",
            "author_display": "first_name",
        },
        headers=WELSH,
    )
    assert response.status_code == 302
    assert Answer.objects.get(question=question).choices == ["Online"]


def test_staff_see_questions_without_welsh() -> None:
    activity = NeedsSurveyFactory()
    question = choice_question(activity)
    client = client_for(staff_of(activity))
    url = reverse("services:staff_welsh", kwargs={"slug": activity.service.slug})
    page = client.get(url).content.decode()
    assert reverse("insight:question_welsh", args=[question.pk]) in page
    assert "Where would you most like to get help?" in page
    manage = client.get(reverse("insight:survey_manage", args=[activity.pk])).content.decode()
    assert "No Welsh yet for: question, options" in manage
    actions.question_set_welsh(
        question=question,
        user=staff_of(activity, Role.FACILITATOR),
        text_cy="Ble?",
        options_cy=["Gartref", "Mewn canolfan gymunedol", "Ar-lein"],
    )
    page = client.get(url).content.decode()
    assert reverse("insight:question_welsh", args=[question.pk]) not in page
