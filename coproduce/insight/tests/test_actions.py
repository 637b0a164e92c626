"""Surveys, assets and stories: composing, answering, confirming by email, moderation, results."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.tests.concurrency import in_progress, only_on_postgresql, waits
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Visibility
from coproduce.insight import actions, queries
from coproduce.insight.models import Answer, Asset, Question, QuestionKind, SurveySubmission
from coproduce.insight.tests.factories import (
    AssetFactory,
    NeedsSurveyFactory,
    StoryCollectionFactory,
    StoryFactory,
    SubmissionFactory,
    approve,
    facilitator_of,
    move_to,
    sample_answers,
)
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services.models import Activity, ActivityState

pytestmark = pytest.mark.django_db


def questions_of(activity: Any) -> list[Any]:
    return list(activity.survey.questions.order_by("position", "id"))


def by_kind(activity: Any, kind: str) -> Any:
    return next(q for q in questions_of(activity) if q.kind == kind)


# --- Composing --------------------------------------------------------------------------------


def test_staff_add_questions_in_order_move_and_remove_them() -> None:
    activity = NeedsSurveyFactory(state=ActivityState.DRAFT, questions=())
    staff = facilitator_of(activity)
    first = actions.question_create(activity=activity, user=staff, text="One?", kind="free_text")
    second = actions.question_create(
        activity=activity, user=staff, text="Two?", kind="scale", options=["ignored"]
    )
    third = actions.question_create(
        activity=activity,
        user=staff,
        text="Three?",
        kind="single_choice",
        options=[" Yes ", "No", ""],
    )
    assert [q.text for q in questions_of(activity)] == ["One?", "Two?", "Three?"]
    assert second.options == []  # only choice questions keep options
    assert third.options == ["Yes", "No"]
    actions.question_move(question=third, user=staff, direction="up")
    assert [q.text for q in questions_of(activity)] == ["One?", "Three?", "Two?"]
    actions.question_move(question=first, user=staff, direction="up")  # already first: no change
    actions.question_move(question=first, user=staff, direction="down")
    assert [q.text for q in questions_of(activity)] == ["Three?", "One?", "Two?"]
    actions.question_delete(question=first, user=staff)
    assert [(q.text, q.position) for q in questions_of(activity)] == [("Three?", 0), ("Two?", 1)]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["Only one"], "at least 2"),
        (["Same", "same "], "twice"),
        (["x" * 101, "y"], "100 characters"),
        ([f"Option {n}" for n in range(21)], "no more than 20"),
    ],
)
def test_choice_questions_need_two_to_twenty_distinct_options(
    options: list[str], message: str
) -> None:
    activity = NeedsSurveyFactory(questions=())
    with pytest.raises(ValidationError, match=message) as error:
        actions.question_create(
            activity=activity,
            user=facilitator_of(activity),
            text="Pick",
            kind="multiple_choice",
            options=options,
        )
    assert "options" in error.value.message_dict


def test_a_question_needs_text_and_a_real_kind() -> None:
    activity = NeedsSurveyFactory(questions=())
    staff = facilitator_of(activity)
    with pytest.raises(ValidationError) as error:
        actions.question_create(activity=activity, user=staff, text="  ", kind="free_text")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.question_create(activity=activity, user=staff, text="Why?", kind="essay")
    assert "kind" in error.value.message_dict


def test_once_answered_a_question_keeps_its_type_and_options() -> None:
    activity = NeedsSurveyFactory()
    staff = facilitator_of(activity)
    SubmissionFactory(activity=activity)
    choice = by_kind(activity, QuestionKind.SINGLE_CHOICE)
    with pytest.raises(ValidationError, match="type of answer cannot change"):
        actions.question_update(question=choice, user=staff, kind=QuestionKind.FREE_TEXT)
    with pytest.raises(ValidationError, match="options cannot change"):
        actions.question_update(question=choice, user=staff, options=["At home", "Elsewhere"])
    with pytest.raises(ValidationError, match="cannot be removed"):
        actions.question_delete(question=choice, user=staff)
    actions.question_update(question=choice, user=staff, text="Where would you like help?")
    choice.refresh_from_db()
    assert choice.text == "Where would you like help?"
    assert choice.options == ["At home", "In a community centre", "Online"]


def test_a_question_removed_since_the_page_was_read_is_not_brought_back() -> None:
    activity = NeedsSurveyFactory(state=ActivityState.DRAFT)
    staff = facilitator_of(activity)
    stale = by_kind(activity, QuestionKind.SINGLE_CHOICE)
    actions.question_delete(question=by_kind(activity, QuestionKind.SINGLE_CHOICE), user=staff)
    for attempt in (
        lambda: actions.question_update(question=stale, user=staff, text="Reworded?"),
        lambda: actions.question_move(question=stale, user=staff, direction="up"),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.messages == ["This question has been removed."]
    actions.question_delete(question=stale, user=staff)  # removed already: it stays removed
    assert not Question.objects.filter(pk=stale.pk).exists()


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_removing_a_question_waits_for_answers_being_sent_then_is_refused() -> None:
    activity = NeedsSurveyFactory()
    staff = facilitator_of(activity)
    scale = by_kind(activity, QuestionKind.SCALE)
    with in_progress(
        lambda: actions.survey_submit(
            activity=activity, author=UserFactory(), answers=sample_answers(questions_of(activity))
        )
    ):
        waits(lambda: actions.question_delete(question=scale, user=staff))
    with pytest.raises(ValidationError, match="cannot be removed"):
        actions.question_delete(question=scale, user=staff)
    assert Answer.objects.filter(question=scale).count() == 1


def test_only_staff_compose_and_only_until_the_survey_closes() -> None:
    activity = NeedsSurveyFactory()
    resident = UserFactory()
    other = UserFactory(mfa=True)
    MembershipFactory(user=other, organisation=OrganisationFactory(), role=Role.ADMIN)
    for user in (resident, other, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            actions.question_create(
                activity=activity,
                user=user,  # type: ignore[arg-type]  # a visitor is refused too
                text="Hi?",
                kind="free_text",
            )
    staff = facilitator_of(activity)
    activity = move_to(activity, ActivityState.CLOSED)
    with pytest.raises(PermissionDenied):
        actions.question_create(activity=activity, user=staff, text="Late?", kind="free_text")
    with pytest.raises(PermissionDenied):
        actions.survey_settings_update(
            activity=activity, user=staff, introduction="", anonymous_answers=True
        )


# --- Answering --------------------------------------------------------------------------------


def test_signed_in_answers_count_at_once_and_only_once() -> None:
    activity = NeedsSurveyFactory()
    resident = UserFactory()
    submission = SubmissionFactory(activity=activity, author=resident)
    assert submission.confirmed_at is not None
    assert submission.respondent == resident
    assert submission.contribution.visibility == Visibility.PUBLISHED  # no free text to check
    with pytest.raises(actions.AlreadyAnswered):
        SubmissionFactory(activity=activity, author=resident)
    assert SurveySubmission.objects.count() == 1
    assert queries.survey_results(activity).respondents == 1


def test_the_database_refuses_a_second_submission_from_the_same_person() -> None:
    from django.db import IntegrityError, transaction

    first = SubmissionFactory()
    second = SubmissionFactory(activity=first.contribution.activity)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveySubmission.objects.filter(pk=second.pk).update(respondent=first.respondent)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (QuestionKind.MULTIPLE_CHOICE, None, "at least one option"),
        (QuestionKind.MULTIPLE_CHOICE, ["Weekends", "Midnight"], "only the options shown"),
        (QuestionKind.MULTIPLE_CHOICE, [3], "only the options shown"),
        (QuestionKind.SINGLE_CHOICE, "Underwater", "one of the options shown"),
        (QuestionKind.SINGLE_CHOICE, ["At home"], "one of the options shown"),
        (QuestionKind.SCALE, 0, "from 1 to 5"),
        (QuestionKind.SCALE, 6, "from 1 to 5"),
        (QuestionKind.SCALE, "four", "from 1 to 5"),
        (QuestionKind.SCALE, 2.5, "from 1 to 5"),
        (QuestionKind.SCALE, True, "from 1 to 5"),
        (QuestionKind.FREE_TEXT, "x" * 5001, "5,000 characters"),
        (QuestionKind.FREE_TEXT, ["not", "text"], "as text"),
    ],
)
def test_bad_answers_are_refused_on_their_question_and_nothing_is_stored(
    kind: str, value: Any, message: str
) -> None:
    activity = NeedsSurveyFactory()
    question = by_kind(activity, kind)
    answers = sample_answers(questions_of(activity), "Fine.")
    answers[question.pk] = value
    with pytest.raises(ValidationError) as error:
        SubmissionFactory(activity=activity, answers=answers)
    assert list(error.value.message_dict) == [question.field_name]
    assert message in error.value.message_dict[question.field_name][0]
    assert not Contribution.objects.exists()
    assert not Answer.objects.exists()


def test_required_questions_need_an_answer_and_some_answer_is_needed() -> None:
    activity = NeedsSurveyFactory()
    required = by_kind(activity, QuestionKind.MULTIPLE_CHOICE)
    scale = by_kind(activity, QuestionKind.SCALE)
    with pytest.raises(ValidationError) as error:
        SubmissionFactory(activity=activity, answers={scale.pk: 3})
    assert list(error.value.message_dict) == [required.field_name]
    optional_only = NeedsSurveyFactory(
        questions=[{"text": "Anything else?", "kind": QuestionKind.FREE_TEXT}]
    )
    with pytest.raises(ValidationError, match="at least one question"):
        SubmissionFactory(activity=optional_only, answers={})


def test_answers_to_other_surveys_questions_are_refused() -> None:
    activity = NeedsSurveyFactory()
    elsewhere = by_kind(NeedsSurveyFactory(), QuestionKind.SCALE)
    answers = {**sample_answers(questions_of(activity)), elsewhere.pk: 3}
    with pytest.raises(ValidationError, match="only the questions of this survey"):
        SubmissionFactory(activity=activity, answers=answers)


def test_choices_are_stored_in_option_order_without_duplicates() -> None:
    activity = NeedsSurveyFactory()
    question = by_kind(activity, QuestionKind.MULTIPLE_CHOICE)
    answers = sample_answers(questions_of(activity))
    answers[question.pk] = ["Weekends", "Weekday daytime", "Weekends"]
    submission = SubmissionFactory(activity=activity, answers=answers)
    assert submission.answers.get(question=question).choices == ["Weekday daytime", "Weekends"]


def test_nobody_answers_a_closed_or_draft_survey() -> None:
    for state in (ActivityState.DRAFT, ActivityState.CLOSED, ActivityState.REPORTED):
        activity = NeedsSurveyFactory(state=state)
        with pytest.raises(PermissionDenied):
            SubmissionFactory(activity=activity, answers=sample_answers(questions_of(activity)))


def test_free_text_waits_for_a_moderator_but_the_choices_count_at_once() -> None:
    activity = NeedsSurveyFactory()
    submission = SubmissionFactory(activity=activity, text="A crèche, please.")
    contribution = submission.contribution
    assert contribution.visibility == Visibility.PENDING
    assert "moderator" in contribution.held_reason
    results = queries.survey_results(activity)
    assert results.respondents == 1
    free = next(r for r in results.questions if r.is_free_text)
    assert (free.answered, free.published_texts) == (1, 0)
    assert list(queries.published_submissions(activity)) == []
    approve(contribution)
    free = next(r for r in queries.survey_results(activity).questions if r.is_free_text)
    assert free.published_texts == 1
    assert list(queries.published_submissions(activity)) == [submission]


def test_hidden_submissions_do_not_count() -> None:
    activity = NeedsSurveyFactory()
    submission = SubmissionFactory(activity=activity)
    SubmissionFactory(activity=activity)
    spine_actions.moderation_hide(
        contribution=submission.contribution, moderator=facilitator_of(activity)
    )
    assert queries.survey_results(activity).respondents == 1


def test_results_count_each_option_and_scale_point() -> None:
    activity = NeedsSurveyFactory()
    multiple = by_kind(activity, QuestionKind.MULTIPLE_CHOICE)
    single = by_kind(activity, QuestionKind.SINGLE_CHOICE)
    scale = by_kind(activity, QuestionKind.SCALE)
    given = [
        ({multiple.pk: ["Weekday evenings", "Weekends"], single.pk: "Online", scale.pk: 1}),
        ({multiple.pk: ["Weekends"], single.pk: "Online", scale.pk: 2}),
        ({multiple.pk: ["Weekday evenings"], scale.pk: 2}),
        ({multiple.pk: ["Weekends"], single.pk: "At home"}),
    ]
    for answers in given:
        SubmissionFactory(activity=activity, answers=answers)
    results = {r.question.pk: r for r in queries.survey_results(activity).questions}
    assert [(o.label, o.count, o.percent) for o in results[multiple.pk].options] == [
        ("Weekday daytime", 0, 0),
        ("Weekday evenings", 2, 50),
        ("Weekends", 3, 75),
    ]
    assert results[single.pk].answered == 3
    assert [(o.label, o.count, o.percent) for o in results[single.pk].options] == [
        ("At home", 1, 33),
        ("In a community centre", 0, 0),
        ("Online", 2, 67),
    ]
    assert [o.count for o in results[scale.pk].options] == [1, 2, 0, 0, 0]
    assert results[scale.pk].average == round(5 / 3, 1)


def test_results_need_only_four_queries_however_many_answers(
    django_assert_num_queries: Any,
) -> None:
    activity = NeedsSurveyFactory()
    for _ in range(12):
        SubmissionFactory(activity=activity, text="More buses")
    with django_assert_num_queries(4):
        results = queries.survey_results(activity)
    assert results.respondents == 12


# --- Answering without an account -----------------------------------------------------------


def confirmation_token(message: Any) -> str:
    match = re.search(r"token=([\w-]+)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_anonymous_answers_only_where_the_activity_allows_them() -> None:
    activity = NeedsSurveyFactory()
    with pytest.raises(PermissionDenied):
        SubmissionFactory(activity=activity, author=None, email="me@example.org")


def test_an_anonymous_answer_counts_once_confirmed_and_then_the_email_is_erased(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = SubmissionFactory(
            activity=activity, author=None, email="me@example.org", text="A quiet room."
        )
    assert mail.outbox == []  # nothing is sent before the commit
    assert submission.contribution.visibility == Visibility.HIDDEN
    assert submission.contribution.author is None
    assert queries.survey_results(activity).respondents == 0
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["me@example.org"]]
    token = confirmation_token(mail.outbox[0])
    submission.refresh_from_db()
    assert token not in submission.confirmation_token_hash  # only the hash is stored
    assert submission.confirmation_token_hash == SurveySubmission.hash_token(token)
    confirmed = actions.submission_confirm(raw_token=token)
    assert confirmed.pk == submission.pk
    confirmed.refresh_from_db()
    assert confirmed.confirmed_at is not None
    assert confirmed.confirmation_email == ""
    assert confirmed.confirmation_token_hash == ""
    assert confirmed.contribution.visibility == Visibility.PENDING  # free text: moderator next
    assert queries.survey_results(activity).respondents == 1
    with pytest.raises(ValidationError, match="does not work"):
        actions.submission_confirm(raw_token=token)  # a link works once


def test_an_anonymous_answer_without_free_text_is_published_on_confirmation() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    submission = SubmissionFactory(activity=activity, author=None, email="me@example.org")
    SurveySubmission.objects.filter(pk=submission.pk).update(
        confirmation_token_hash=SurveySubmission.hash_token("abc")
    )
    confirmed = actions.submission_confirm(raw_token="abc")
    assert confirmed.contribution.visibility == Visibility.PUBLISHED
    assert confirmed.contribution.author_display == "anonymous"


@pytest.mark.parametrize("token", ["", "nope", "x" * 500])
def test_bad_confirmation_tokens_get_a_clear_message(token: str) -> None:
    with pytest.raises(ValidationError, match="does not work"):
        actions.submission_confirm(raw_token=token)


def test_confirmation_links_expire_and_close_with_the_survey() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    old = SubmissionFactory(activity=activity, author=None, email="old@example.org")
    late = SubmissionFactory(activity=activity, author=None, email="late@example.org")
    for submission, token in ((old, "old"), (late, "late")):
        SurveySubmission.objects.filter(pk=submission.pk).update(
            confirmation_token_hash=SurveySubmission.hash_token(token)
        )
    Contribution.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    with pytest.raises(ValidationError, match="expired"):
        actions.submission_confirm(raw_token="old")
    move_to(activity, ActivityState.CLOSED)
    with pytest.raises(ValidationError, match="closed before you confirmed"):
        actions.submission_confirm(raw_token="late")
    assert queries.survey_results(activity).respondents == 0


def test_anonymous_answers_need_a_real_email_address() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    for email, message in [("", "Enter your email"), ("not-an-email", "correct format")]:
        with pytest.raises(ValidationError, match=message) as error:
            SubmissionFactory(activity=activity, author=None, email=email)
        assert list(error.value.message_dict) == ["email"]


def test_one_confirmation_email_per_address_per_survey_per_day() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    first = SubmissionFactory(activity=activity, author=None, email="me@example.org")
    with pytest.raises(ValidationError, match="already sent a link"):
        SubmissionFactory(activity=activity, author=None, email="ME@example.org")
    Contribution.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    second = SubmissionFactory(activity=activity, author=None, email="me@example.org")
    assert list(SurveySubmission.objects.values_list("pk", flat=True)) == [second.pk]


def test_unconfirmed_answers_are_deleted_after_seven_days() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    stale = SubmissionFactory(activity=activity, author=None, email="stale@example.org")
    fresh = SubmissionFactory(activity=activity, author=None, email="fresh@example.org")
    signed_in = SubmissionFactory(activity=activity)
    Contribution.objects.filter(pk__in=[stale.pk, signed_in.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    assert actions.submissions_purge_unconfirmed() == 1
    assert set(SurveySubmission.objects.values_list("pk", flat=True)) == {fresh.pk, signed_in.pk}
    assert not SurveySubmission.objects.filter(confirmation_email="stale@example.org").exists()


# --- Assets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("cr2 6xh", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("", ""),
    ],
)
def test_postcodes_are_normalised(raw: str, expected: str) -> None:
    assert actions.normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw", ["NF1", "12345", "SW1A 1AAA", "QQ1 1AA", "SW1A 1CA", "hello world", "ＳＷ1Ａ 1ＡＡ"]
)
def test_bad_postcodes_get_a_clear_message(raw: str) -> None:
    with pytest.raises(ValidationError, match="real UK postcode"):
        actions.normalise_postcode(raw)


def test_assets_are_recorded_with_a_normalised_place() -> None:
    asset = AssetFactory(
        postcode="ls1 4dy", place_description="  The  library ", area=" Westbrook "
    )
    assert (asset.postcode, asset.place_description, asset.area) == (
        "LS1 4DY",
        "The library",
        "Westbrook",
    )
    assert asset.contribution.kind == "asset"
    assert asset.contribution.visibility == Visibility.PUBLISHED
    with pytest.raises(ValidationError) as error:
        AssetFactory(postcode="nowhere")
    assert list(error.value.message_dict) == ["postcode"]
    assert Asset.objects.count() == 1


def test_organisations_record_assets_only_as_their_own_staff() -> None:
    activity = NeedsSurveyFactory()
    charity = OrganisationFactory(name="Westbrook Charity")
    volunteer = UserFactory(email="volunteer@example.org")
    with pytest.raises(ValidationError) as error:
        AssetFactory(activity=activity, author=volunteer, organisation=charity)
    assert list(error.value.message_dict) == ["organisation"]
    MembershipFactory(user=volunteer, organisation=charity, role=Role.FACILITATOR)
    again = User.objects.get(email="volunteer@example.org")  # forget the cached roles
    asset = AssetFactory(activity=activity, author=again, organisation=charity)
    assert asset.organisation == charity


def test_assets_only_in_open_needs_surveys_and_from_people_signed_in() -> None:
    with pytest.raises(PermissionDenied):
        AssetFactory(activity=NeedsSurveyFactory(state=ActivityState.CLOSED))
    with pytest.raises(PermissionDenied):
        AssetFactory(activity=StoryCollectionFactory())
    with pytest.raises(PermissionDenied):
        AssetFactory(author=AnonymousUser())


def test_premoderation_holds_assets() -> None:
    activity = NeedsSurveyFactory()
    Activity.objects.filter(pk=activity.pk).update(premoderation=True)
    activity.refresh_from_db()
    asset = AssetFactory(activity=activity)
    assert asset.contribution.visibility == Visibility.PENDING


# --- Stories ----------------------------------------------------------------------------------


def test_every_story_waits_for_a_moderator() -> None:
    story = StoryFactory(author_display="anonymous")
    assert story.contribution.visibility == Visibility.PENDING
    assert story.contribution.author_name == "Anonymous"
    assert list(queries.published_stories(story.contribution.activity)) == []
    approve(story.contribution)
    assert list(queries.published_stories(story.contribution.activity)) == [story]


def test_stories_need_explicit_consent_and_a_valid_name_choice() -> None:
    with pytest.raises(ValidationError) as error:
        StoryFactory(consent=False)
    assert list(error.value.message_dict) == ["consent"]
    with pytest.raises(ValidationError) as error:
        StoryFactory(consent="yes")  # only True is consent
    with pytest.raises(ValidationError) as error:
        StoryFactory(author_display="nickname")
    assert list(error.value.message_dict) == ["author_display"]
    assert not Contribution.objects.exists()


def test_stories_only_in_open_story_collections() -> None:
    with pytest.raises(PermissionDenied):
        StoryFactory(activity=StoryCollectionFactory(state=ActivityState.CLOSED))
    with pytest.raises(PermissionDenied):
        StoryFactory(activity=NeedsSurveyFactory())


def test_names_are_shown_as_the_author_chose() -> None:
    author = UserFactory(name="Jo Bennett")
    activity = StoryCollectionFactory()
    shown = [
        StoryFactory(activity=activity, author=author, author_display=d).contribution.author_name
        for d in ("named", "first_name", "anonymous")
    ]
    assert shown == ["Jo Bennett", "Jo", "Anonymous"]


def test_the_purge_deletes_stale_unconfirmed_answers() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    stale = SubmissionFactory(activity=activity, author=None, email="stale@example.org")
    Contribution.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    assert actions.submissions_purge_unconfirmed() == 1  # run daily by retention_enforce
    assert not SurveySubmission.objects.exists()
