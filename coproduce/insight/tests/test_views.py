"""Insight pages: answering, confirming, results, assets, stories and the staff survey pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Visibility
from coproduce.insight.models import Asset, AssetKind, QuestionKind, Story, SurveySubmission
from coproduce.insight.tests.factories import (
    AssetFactory,
    NeedsSurveyFactory,
    StoryCollectionFactory,
    StoryFactory,
    SubmissionFactory,
    approve,
    facilitator_of,
)
from coproduce.insight.views import ANONYMOUS_ANSWERS
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services.models import ActivityState
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_client(activity: Any, role: str = Role.PROFESSIONAL) -> tuple[Client, User]:
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=activity.service.organisation, role=role)
    return signed_in(user), user


def questions(activity: Any) -> dict[str, Any]:
    return {q.kind: q for q in activity.survey.questions.all()}


def good_answers(activity: Any, text: str = "") -> dict[str, Any]:
    q = questions(activity)
    data = {
        q[QuestionKind.MULTIPLE_CHOICE].field_name: ["Weekday evenings", "Weekends"],
        q[QuestionKind.SCALE].field_name: "2",
        q[QuestionKind.SINGLE_CHOICE].field_name: "Online",
        "author_display": "first_name",
    }
    if text:
        data[q[QuestionKind.FREE_TEXT].field_name] = text
    return data


# --- Answering --------------------------------------------------------------------------------


def test_the_survey_uses_govuk_fields_with_legends_hints_and_optional_labels() -> None:
    activity = NeedsSurveyFactory()
    page = signed_in(UserFactory()).get(reverse("insight:survey_answer", args=[activity.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('<fieldset class="govuk-fieldset"') == 4  # 3 questions + name choice
    assert "When would you use the service?</legend>" in body  # required: no "(optional)"
    assert "How easy is it to get help today? (optional)</legend>" in body
    assert "1 – Very hard" in body
    assert 'class="govuk-textarea' in body
    assert "Tell us in your own words." in body


def test_bad_answers_get_field_errors_and_nothing_typed_is_lost() -> None:
    activity = NeedsSurveyFactory()
    q = questions(activity)
    client = signed_in(UserFactory())
    response = client.post(
        reverse("insight:survey_answer", args=[activity.pk]),
        {
            q[QuestionKind.SCALE].field_name: "9",
            q[QuestionKind.SINGLE_CHOICE].field_name: "Online",
            q[QuestionKind.FREE_TEXT].field_name: "Evening sessions & a crèche",
            "author_display": "first_name",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert f'href="#id_{q[QuestionKind.MULTIPLE_CHOICE].field_name}_0"' in body
    assert "Select at least one option." in body
    assert "Select a number from 1 to 5." in body
    assert "Evening sessions &amp; a crèche</textarea>" in body
    assert re.search(r'value="Online"\s+checked', body)
    assert not SurveySubmission.objects.exists()


def test_a_resident_answers_once_and_is_told_clearly_if_they_try_again() -> None:
    activity = NeedsSurveyFactory()
    resident = UserFactory(name="Jo Bennett")
    client = signed_in(resident)
    url = reverse("insight:survey_answer", args=[activity.pk])
    response = client.post(url, good_answers(activity, "Evening sessions"), follow=True)
    submission = SurveySubmission.objects.get()
    assert response.redirect_chain[-1][0] == submission.get_absolute_url()
    body = response.content.decode()
    assert "Your answers have been counted" in body
    assert "A moderator will read your written answers" in body
    assert submission.contribution.author_display == "first_name"
    again = client.get(url, follow=True)
    assert "You have already answered this survey" in again.content.decode()
    again = client.post(url, good_answers(activity), follow=True)
    assert "You have already answered this survey" in again.content.decode()
    assert SurveySubmission.objects.count() == 1


def test_visitors_sign_in_to_answer_unless_the_survey_allows_anonymous_answers() -> None:
    closed_to_anonymous = NeedsSurveyFactory()
    response = Client().get(reverse("insight:survey_answer", args=[closed_to_anonymous.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    open_to_anonymous = NeedsSurveyFactory(anonymous_answers=True)
    page = Client().get(reverse("insight:survey_answer", args=[open_to_anonymous.pk]))
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
    assert 'name="author_display"' not in page.content.decode()


def test_an_anonymous_answer_is_confirmed_through_the_emailed_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    client = Client()
    data = {**good_answers(activity), "email": "me@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("insight:survey_answer", args=[activity.pk]), data, follow=True
        )
    assert "Check your email" in response.content.decode()
    assert "0 people have answered" in response.content.decode()
    link = re.search(r"http://\S+", str(mail.outbox[0].body))
    assert link
    path = link.group(0).removeprefix("http://127.0.0.1:8000")
    page = client.get(path)  # visiting the link (or a mail scanner) does not confirm
    assert page.status_code == 200
    assert "Confirm my answers" in page.content.decode()
    assert SurveySubmission.objects.get().confirmed_at is None
    token = re.search(r"token=([\w-]+)", path)
    assert token
    response = client.post(
        reverse("insight:survey_confirm"), {"token": token.group(1)}, follow=True
    )
    body = response.content.decode()
    assert "Your answers are confirmed" in body
    assert "1 person has answered" in body
    assert SurveySubmission.objects.get().confirmation_email == ""


def test_a_connection_sending_many_anonymous_answers_is_refused_and_keeps_its_answers(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, ANONYMOUS_ANSWERS: "2/h/ip"}
    activity = NeedsSurveyFactory(anonymous_answers=True)
    url = reverse("insight:survey_answer", args=[activity.pk])
    for n in range(2):
        data = {**good_answers(activity, text="More buses"), "email": f"person{n}@example.org"}
        with django_capture_on_commit_callbacks(execute=True):
            assert Client().post(url, data).status_code == 302
    data = {**good_answers(activity, text="More buses"), "email": "third@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        refused = Client().post(url, data)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Many answers have been sent from your connection" in page
    assert "More buses" in page  # nothing typed is lost
    assert "third@example.org" in page
    assert SurveySubmission.objects.count() == 2
    assert len(mail.outbox) == 2
    # Signed in, people are counted one answer per survey instead, and not limited here.
    resident = UserFactory()
    web = Client()
    web.force_login(resident)
    assert web.post(url, good_answers(activity)).status_code == 302
    assert SurveySubmission.objects.count() == 3


def test_broken_confirmation_links_explain_themselves() -> None:
    client = Client()
    response = client.get(reverse("insight:survey_confirm"), {"token": "nope"})
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    response = client.get(reverse("insight:survey_confirm"))
    assert response.status_code == 404
    response = client.post(reverse("insight:survey_confirm"), {"token": "x" * 1000})
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_closed_survey_says_so_instead_of_showing_the_form() -> None:
    activity = NeedsSurveyFactory(state=ActivityState.CLOSED)
    for client in (Client(), signed_in(UserFactory())):
        response = client.get(reverse("insight:survey_answer", args=[activity.pk]))
        assert response.status_code == 403
        assert "This activity has closed" in response.content.decode()
    response = signed_in(UserFactory()).post(
        reverse("insight:survey_answer", args=[activity.pk]), good_answers(activity)
    )
    assert response.status_code == 403
    assert not SurveySubmission.objects.exists()


# --- Results and answers ------------------------------------------------------------------------


def test_results_show_a_chart_and_a_table_and_free_text_only_after_moderation() -> None:
    activity = NeedsSurveyFactory()
    held = SubmissionFactory(activity=activity, text="Please open on Saturdays")
    SubmissionFactory(activity=activity)
    client = Client()
    results = client.get(reverse("insight:survey_results", args=[activity.pk])).content.decode()
    assert "2 people have answered" in results
    assert 'class="app-chart" aria-hidden="true"' in results
    assert '<rect x="0" y="0" width="100%"' in results  # both chose the first two options
    assert "<caption" in results
    assert "Answers to question 1" in results
    assert "Average score: 4.0 out of 5." in results
    assert "Please open on Saturdays" not in results
    answers_url = reverse("insight:survey_answers", args=[activity.pk])
    assert "Please open on Saturdays" not in client.get(answers_url).content.decode()
    assert client.get(held.get_absolute_url()).status_code == 404  # pending: not public
    approve(held.contribution)
    assert "Please open on Saturdays" in client.get(answers_url).content.decode()
    assert "Please open on Saturdays" in client.get(held.get_absolute_url()).content.decode()


def test_lists_stay_within_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    survey = NeedsSurveyFactory()
    stories = StoryCollectionFactory(service=survey.service)
    for n in range(22):
        author = UserFactory()
        approve(SubmissionFactory(activity=survey, author=author, text=f"Need {n}").contribution)
        AssetFactory(activity=survey, author=author, area=f"Area {n % 3}")
        approve(StoryFactory(activity=stories, author=author).contribution)
    client = Client()
    pages = [
        reverse("insight:survey_results", args=[survey.pk]),
        reverse("insight:survey_answers", args=[survey.pk]),
        reverse("insight:asset_list", args=[survey.service.slug]),
        reverse("insight:story_list", args=[stories.pk]),
    ]
    for url in pages:
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(pages[1]).context["page"].paginator.num_pages == 2
    assert client.get(pages[2]).context["page"].paginator.num_pages == 2
    assert client.get(pages[3]).context["page"].paginator.num_pages == 2


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-4"},
        {"page": "99999"},
        {"kind": "volcano"},
        {"area": "Atlantis"},
        {"q": "x" * 500},
        {"q": "\x00"},
    ],
)
def test_bad_query_strings_never_fail(query: dict[str, str]) -> None:
    survey = NeedsSurveyFactory()
    stories = StoryCollectionFactory(service=survey.service)
    AssetFactory(activity=survey)
    client = Client()
    for url in [
        reverse("insight:asset_list", args=[survey.service.slug]),
        reverse("insight:story_list", args=[stories.pk]),
        reverse("insight:survey_answers", args=[survey.pk]),
        reverse("insight:survey_results", args=[survey.pk]),
    ]:
        response = client.get(url, query)
        assert response.status_code == 200, (url, query)


def test_contribution_pages_show_answers_decisions_and_the_answer_link_to_staff_who_answer(
    django_capture_on_commit_callbacks: Any,
) -> None:
    survey = NeedsSurveyFactory()
    asset = AssetFactory(activity=survey, name="Westbrook tenants' group")
    professional, professional_user = staff_client(survey)
    facilitator, _user = staff_client(survey, Role.FACILITATOR)
    with django_capture_on_commit_callbacks(execute=True):
        spine_actions.response_create(
            contribution=asset.contribution,
            author=professional_user,
            body="We will invite the group to the design workshop.",
        )
        spine_actions.decision_create(
            service=survey.service,
            stage=survey.service.current_stage,
            title="Work with tenants' groups",
            description="They reach people we do not.",
            decided_by="Service board",
            decided_on=dt.date.today(),
            recorded_by=professional_user,
            contributions=[asset.contribution],
        )
    public = Client().get(asset.get_absolute_url()).content.decode()
    assert "We will invite the group to the design workshop." in public
    assert "Work with tenants&#x27; groups" in public
    assert (
        reverse("contributions:decision_detail", args=[asset.contribution.decisions.get().pk])
        in public
    )
    respond = reverse("contributions:respond", args=[asset.pk])
    assert respond not in public
    assert respond in professional.get(asset.get_absolute_url()).content.decode()
    assert respond not in facilitator.get(asset.get_absolute_url()).content.decode()


def test_one_persons_choices_are_shown_only_to_them_and_to_moderators() -> None:
    survey = NeedsSurveyFactory()
    author = UserFactory()
    submission = SubmissionFactory(activity=survey, author=author, text="More buses")
    approve(submission.contribution)
    url = submission.get_absolute_url()
    public = Client().get(url).content.decode()
    assert "More buses" in public
    assert "Weekday daytime, Weekday evenings" not in public
    assert "Weekday daytime, Weekday evenings" in signed_in(author).get(url).content.decode()
    moderator, _user = staff_client(survey, Role.FACILITATOR)
    assert "Weekday daytime, Weekday evenings" in moderator.get(url).content.decode()


# --- Assets -------------------------------------------------------------------------------------


def test_asset_list_filters_by_kind_area_and_words() -> None:
    survey = NeedsSurveyFactory()
    AssetFactory(activity=survey, name="Bike repair skills", kind=AssetKind.PEOPLE, area="Eastgate")
    AssetFactory(activity=survey, name="Allotment society", kind=AssetKind.GROUP, area="Westbrook")
    AssetFactory(activity=survey, name="Church hall", kind=AssetKind.PLACE, area="Westbrook")
    hidden = AssetFactory(activity=survey, name="Spam asset", kind=AssetKind.PLACE)
    spine_actions.moderation_hide(
        contribution=hidden.contribution, moderator=facilitator_of(survey)
    )
    url = reverse("insight:asset_list", args=[survey.service.slug])
    client = Client()

    def names(query: dict[str, str]) -> list[str]:
        return [a.name for a in client.get(url, query).context["page"].object_list]

    assert names({}) == ["Church hall", "Allotment society", "Bike repair skills"]
    assert names({"kind": AssetKind.PLACE}) == ["Church hall"]
    assert names({"area": "Westbrook"}) == ["Church hall", "Allotment society"]
    assert names({"q": "bike skills"}) == ["Bike repair skills"]
    response = client.get(url, {"kind": "volcano"})
    assert "Choose one of the kinds in the list." in response.content.decode()
    assert names({"kind": "volcano"}) == []


def test_recording_an_asset_normalises_the_postcode_and_keeps_input_on_errors() -> None:
    survey = NeedsSurveyFactory()
    client = signed_in(UserFactory())
    url = reverse("insight:asset_create", args=[survey.pk])
    data = {
        "kind": AssetKind.EQUIPMENT,
        "name": "Community minibus",
        "description": "Free on Sundays for groups.",
        "postcode": "nowhere",
        "area": "Westbrook",
        "author_display": "named",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert "Enter a real UK postcode" in body
    assert 'value="Community minibus"' in body
    assert "organisation" not in response.context["form"].fields  # residents have none
    response = client.post(url, {**data, "postcode": "nf12ab"})
    asset = Asset.objects.get()
    assert response["Location"] == asset.get_absolute_url()
    assert asset.postcode == "NF1 2AB"
    assert asset.contribution.author_display == "named"


def test_staff_can_offer_an_asset_on_behalf_of_their_organisation() -> None:
    survey = NeedsSurveyFactory()
    client, _user = staff_client(survey, Role.FACILITATOR)
    organisation = survey.service.organisation
    url = reverse("insight:asset_create", args=[survey.pk])
    response = client.post(
        url,
        {
            "kind": AssetKind.PLACE,
            "name": "Meeting room",
            "description": "Free for resident groups.",
            "organisation": organisation.pk,
            "author_display": "first_name",
        },
    )
    assert response.status_code == 302
    assert Asset.objects.get().organisation == organisation


# --- Stories ------------------------------------------------------------------------------------


def test_telling_a_story_needs_consent_and_it_waits_for_a_facilitator() -> None:
    activity = StoryCollectionFactory()
    author = UserFactory(name="Priya Sharma")
    client = signed_in(author)
    url = reverse("insight:story_create", args=[activity.pk])
    data = {"title": "Asking for help", "body": "It took me a year.", "author_display": "named"}
    response = client.post(url, data)
    body = response.content.decode()
    assert "Select the box to agree that your story can be published." in body
    assert "It took me a year.</textarea>" in body
    assert not Story.objects.exists()
    response = client.post(url, {**data, "consent": "on"}, follow=True)
    story = Story.objects.get()
    assert "A facilitator will read it before it appears" in response.content.decode()
    assert story.contribution.visibility == Visibility.PENDING
    assert Client().get(story.get_absolute_url()).status_code == 404
    list_url = reverse("insight:story_list", args=[activity.pk])
    assert "Asking for help" not in Client().get(list_url).content.decode()
    approve(story.contribution)
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "By Priya Sharma" in page
    assert "Asking for help" in Client().get(list_url).content.decode()


# --- Staff pages --------------------------------------------------------------------------------


def test_staff_compose_a_survey_through_the_pages() -> None:
    activity = NeedsSurveyFactory(state=ActivityState.DRAFT, questions=())
    client, _user = staff_client(activity, Role.FACILITATOR)
    create = reverse("insight:question_create", args=[activity.pk])
    response = client.post(create, {"text": "Which?", "kind": "single_choice", "options": "One"})
    assert "Give at least 2 options, one on each line." in response.content.decode()
    client.post(create, {"text": "Which?", "kind": "single_choice", "options": "Bus\r\nTrain\r\n"})
    client.post(create, {"text": "Why?", "kind": "free_text", "required": "on"})
    first, second = activity.survey.questions.order_by("position")
    assert (first.options, second.required) == (["Bus", "Train"], True)
    client.post(reverse("insight:question_move", args=[second.pk]), {"direction": "up"})
    manage = client.get(reverse("insight:survey_manage", args=[activity.pk])).content.decode()
    assert manage.index("Why?") < manage.index("Which?")
    client.post(
        reverse("insight:survey_settings", args=[activity.pk]),
        {"introduction": "Help us plan.", "anonymous_answers": "on"},
    )
    activity.refresh_from_db()
    assert activity.anonymous_answers is True
    assert activity.survey.introduction == "Help us plan."
    response = client.post(
        reverse("insight:question_edit", args=[first.pk]),
        {
            "text": "Which way do you travel?",
            "kind": "single_choice",
            "options": "Bus\nTrain\nBike",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.options == ["Bus", "Train", "Bike"]
    client.post(reverse("insight:question_delete", args=[first.pk]))
    assert list(activity.survey.questions.values_list("text", flat=True)) == ["Why?"]


def test_staff_cannot_change_answered_questions_through_the_pages() -> None:
    activity = NeedsSurveyFactory()
    SubmissionFactory(activity=activity)
    client, _user = staff_client(activity)
    choice = questions(activity)[QuestionKind.SINGLE_CHOICE]
    edit = reverse("insight:question_edit", args=[choice.pk])
    page = client.get(edit).content.decode()  # shown, but fixed (decision 0134)
    assert 'name="kind" type="radio" value="single_choice" checked disabled' in page
    assert "the options cannot change" in page
    # From a page loaded before the first answer: refused on the field.
    response = client.post(edit, {"text": choice.text, "kind": "free_text"})
    assert 'id="id_kind-error"' in response.content.decode()
    assert "the type of answer cannot change" in response.content.decode()
    # As a browser sends it now (no disabled fields): the wording changes, the rest is kept.
    assert client.post(edit, {"text": "Where would help be best?"}).status_code == 302
    choice.refresh_from_db()
    assert (choice.text, choice.kind) == ("Where would help be best?", QuestionKind.SINGLE_CHOICE)
    response = client.post(reverse("insight:question_delete", args=[choice.pk]), follow=True)
    assert "its questions cannot be removed" in response.content.decode()
    assert activity.survey.questions.count() == 4


# --- The activity page, and links to pages of other apps ----------------------------------------


def test_the_activity_page_leads_residents_to_take_part() -> None:
    survey = NeedsSurveyFactory()
    stories = StoryCollectionFactory(service=survey.service)
    page = Client().get(survey.get_absolute_url()).content.decode()
    assert reverse("insight:survey_answer", args=[survey.pk]) in page
    assert reverse("insight:asset_create", args=[survey.pk]) in page
    assert reverse("insight:survey_results", args=[survey.pk]) in page
    page = Client().get(stories.get_absolute_url()).content.decode()
    assert reverse("insight:story_create", args=[stories.pk]) in page
    assert reverse("insight:story_list", args=[stories.pk]) in page
    closed = NeedsSurveyFactory(service=ServiceFactory(), state=ActivityState.CLOSED)
    page = Client().get(closed.get_absolute_url()).content.decode()
    assert f'href="{reverse("insight:survey_answer", args=[closed.pk])}"' not in page
    assert reverse("insight:survey_results", args=[closed.pk]) in page
