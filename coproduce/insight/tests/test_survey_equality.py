"""The equality questions at the end of an anonymous survey answer (issue 16; decision 0110):
kept with the answer only with consent, counted once it is confirmed, gone with it if it is not."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.equality import queries
from coproduce.equality.models import SurveyEqualityRecord
from coproduce.insight.models import SurveySubmission
from coproduce.insight.tests.factories import NeedsSurveyFactory
from coproduce.insight.tests.test_views import good_answers

pytestmark = pytest.mark.django_db


def _answer(activity: Any, about: dict[str, str], hooks: Any) -> tuple[Client, Any]:
    client = Client()
    data = {**good_answers(activity), "email": "me@example.org", **about}
    with hooks(execute=True):
        response = client.post(
            reverse("insight:survey_answer", args=[activity.pk]), data, follow=True
        )
    return client, response


def _confirm(client: Client) -> None:
    token = re.search(r"token=([\w-]+)", str(mail.outbox[-1].body))
    assert token
    client.post(reverse("insight:survey_confirm"), {"token": token.group(1)})


def test_the_questions_are_offered_only_without_an_account() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    url = reverse("insight:survey_answer", args=[activity.pk])
    page = Client().get(url).content.decode()
    assert "About you: equality questions (optional)" in page
    assert 'name="about-age"' in page
    signed_in = Client()
    signed_in.force_login(UserFactory())
    assert 'name="about-age"' not in signed_in.get(url).content.decode()


def test_answers_with_consent_are_kept_encrypted_and_count_once_confirmed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    about = {"about-age": "16_24", "about-postcode_district": "nf1 2ab", "about-consent": "on"}
    client, response = _answer(activity, about, django_capture_on_commit_callbacks)
    assert "Check your email" in response.content.decode()
    record = SurveyEqualityRecord.objects.get()
    assert record.contribution_id == SurveySubmission.objects.get().contribution_id
    assert "16_24" not in record.answers  # encrypted
    assert record.decrypted() == {"age": "16_24", "postcode_district": "NF1"}
    service = activity.service
    # Not counted until the answer is confirmed...
    assert (
        queries.representation(service).participants,
        queries.representation(service).answered,
    ) == (0, 0)
    _confirm(client)
    report = queries.representation(service, activity)
    assert (report.participants, report.answered) == (1, 1)


def test_answers_without_consent_are_refused_and_nothing_is_kept(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    _client, response = _answer(
        activity, {"about-age": "16_24"}, django_capture_on_commit_callbacks
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tick the box to say you agree to us keeping your answers about you" in page
    assert 'data-module="govuk-details" open>' in page  # opened, so the problem can be seen
    assert "me@example.org" in page  # nothing typed is lost
    assert not SurveySubmission.objects.exists()
    assert not SurveyEqualityRecord.objects.exists()
    assert mail.outbox == []


def test_no_answers_and_no_box_keep_the_survey_answer_alone(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    client, _response = _answer(activity, {}, django_capture_on_commit_callbacks)
    assert SurveySubmission.objects.count() == 1
    assert not SurveyEqualityRecord.objects.exists()
    _confirm(client)
    report = queries.representation(activity.service, activity)
    assert (report.participants, report.answered) == (1, 0)


def test_an_unconfirmed_answer_takes_its_equality_answers_with_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    about = {"about-sex": "female", "about-consent": "on"}
    _answer(activity, about, django_capture_on_commit_callbacks)
    assert SurveyEqualityRecord.objects.count() == 1
    # A second answer from the same address replaces the first, unconfirmed one.
    _answer(activity, about, django_capture_on_commit_callbacks)
    assert SurveyEqualityRecord.objects.count() == 1
    SurveySubmission.objects.get().contribution.delete()  # as the retention task does
    assert not SurveyEqualityRecord.objects.exists()


def test_a_bad_postcode_district_is_explained(django_capture_on_commit_callbacks: Any) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    about = {"about-postcode_district": "12345", "about-consent": "on"}
    _client, response = _answer(activity, about, django_capture_on_commit_callbacks)
    assert "Enter the first half of a postcode" in response.content.decode()
    assert not SurveySubmission.objects.exists()
