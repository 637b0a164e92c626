"""An anonymous answer waiting for its author's email confirmation is nobody's to publish
(decisions 0601 and 0127): moderators cannot approve it, the moderation page leaves it out, and
the purge of unconfirmed answers never deletes one that a decision links to, so that the public
ledger still finds the link."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import client_for
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Decision, Visibility
from coproduce.equality.models import SurveyEqualityRecord
from coproduce.insight import actions, queries
from coproduce.insight.models import SurveySubmission
from coproduce.insight.tests.factories import (
    NeedsSurveyFactory,
    SubmissionFactory,
    facilitator_of,
)
from coproduce.services.models import Activity
from coproduce.services.tests.factories import staff_of
from coproduce.transparency.queries import Checked, check_ledger

pytestmark = pytest.mark.django_db

WAITS = "Its author has not confirmed it by email yet, so it cannot be published."


def _unconfirmed(activity: Activity, email: str = "me@example.org", **extra: Any) -> Contribution:
    """An anonymous answer with written text, its emailed link not used."""
    submission = SubmissionFactory(
        activity=activity, author=None, email=email, text="A crèche, please.", **extra
    )
    contribution = submission.contribution
    assert (contribution.visibility, submission.confirmed_at) == (Visibility.HIDDEN, None)
    return contribution


def _confirm(contribution: Contribution) -> None:
    SurveySubmission.objects.filter(pk=contribution.pk).update(
        confirmation_token_hash=SurveySubmission.hash_token("the-link")
    )
    actions.submission_confirm(raw_token="the-link")


def _decided(contribution: Contribution) -> Decision:
    """A decision linking the contribution, as a moderator's publishing once made possible."""
    activity = contribution.activity
    service = activity.service
    return spine_actions.decision_create(
        service=service,
        stage=service.current_stage,
        title="A crèche at the hub",
        description="Because people asked for one.",
        decided_by="The board",
        decided_on=dt.date.today(),
        recorded_by=staff_of(activity),
        contributions=[contribution],
    )


def _ago(contribution: Contribution, days: int) -> None:
    Contribution.objects.filter(pk=contribution.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def _ledger_verify() -> str:
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    return out.getvalue()


def test_a_moderator_cannot_publish_an_answer_before_its_author_confirms_it() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    contribution = _unconfirmed(activity)
    moderator = facilitator_of(activity)
    with pytest.raises(ValidationError) as error:
        spine_actions.moderation_approve(contribution=contribution, moderator=moderator)
    assert error.value.messages == [WAITS]
    contribution.refresh_from_db()
    assert (contribution.visibility, contribution.moderated_at) == (Visibility.HIDDEN, None)
    _confirm(contribution)  # now written text waits for a moderator, who may publish it
    contribution.refresh_from_db()
    assert contribution.visibility == Visibility.PENDING
    spine_actions.moderation_approve(contribution=contribution, moderator=moderator)
    contribution.refresh_from_db()
    assert contribution.visibility == Visibility.PUBLISHED


def test_the_moderation_page_leaves_out_answers_waiting_for_their_author() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    waiting = _unconfirmed(activity, "waiting@example.org")
    hidden = _unconfirmed(activity, "hidden@example.org")
    _confirm(hidden)
    moderator = facilitator_of(activity)
    spine_actions.moderation_hide(contribution=hidden, moderator=moderator)
    client = client_for(moderator)
    queue = reverse("contributions:moderation", kwargs={"slug": activity.service.slug})
    page = client.get(queue, {"show": "hidden"})
    assert [c.pk for c in page.context["items"]] == [hidden.pk]  # hidden by a moderator
    assert page.context["counts"] == {"pending": 0, "hidden": 1, "reports": 0, "reported": 0}
    text = page.content.decode()
    assert text.count("Publish it again") == 1
    assert f'action="{reverse("contributions:moderate", args=[waiting.pk])}"' not in text
    assert client.get(queue).context["items"] == []  # nor among those waiting for moderation


def test_publishing_it_from_the_page_says_why_not(django_capture_on_commit_callbacks: Any) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    contribution = _unconfirmed(activity)
    client = client_for(facilitator_of(activity))
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("contributions:moderate", args=[contribution.pk]),
            {"decision": "approve"},
            follow=True,
        )
    assert sent.status_code == 200
    assert WAITS in sent.content.decode()
    contribution.refresh_from_db()
    assert contribution.visibility == Visibility.HIDDEN


def test_the_purge_keeps_an_unconfirmed_answer_a_decision_links_to() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    linked = _unconfirmed(activity, "linked@example.org", about_me={"age": "16_24"})
    Contribution.objects.filter(pk=linked.pk).update(visibility=Visibility.PUBLISHED)  # as before
    decision = _decided(linked)
    other = _unconfirmed(activity, "other@example.org")
    for contribution in (linked, other):
        _ago(contribution, 8)
    assert actions.submissions_purge_unconfirmed() == 1
    assert not Contribution.objects.filter(pk=other.pk).exists()
    kept = SurveySubmission.objects.select_related("contribution").get(pk=linked.pk)
    assert list(decision.contributions.all()) == [kept.contribution]
    assert (kept.confirmation_email, kept.confirmation_token_hash, kept.confirmed_at) == (
        "",
        "",
        None,
    )
    assert kept.contribution.visibility == Visibility.HIDDEN
    assert not SurveyEqualityRecord.objects.exists()
    assert queries.survey_results(activity).respondents == 0  # never counted
    assert isinstance(check_ledger(), Checked)
    assert "entries match" in _ledger_verify()  # the command, as operators run it
    assert actions.submissions_purge_unconfirmed() == 0  # and again the next day


def test_a_new_answer_from_the_same_address_does_not_replace_a_linked_one() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    linked = _unconfirmed(activity)
    Contribution.objects.filter(pk=linked.pk).update(visibility=Visibility.PUBLISHED)  # as before
    _decided(linked)
    _ago(linked, 2)
    newer = _unconfirmed(activity)
    assert set(SurveySubmission.objects.values_list("pk", flat=True)) == {linked.pk, newer.pk}
    assert SurveySubmission.objects.get(pk=linked.pk).confirmation_email == ""
    assert isinstance(check_ledger(), Checked)


def test_confirming_it_does_not_undo_a_moderators_hide() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    contribution = _unconfirmed(activity)
    spine_actions.moderation_hide(contribution=contribution, moderator=facilitator_of(activity))
    _confirm(contribution)
    contribution.refresh_from_db()
    assert contribution.visibility == Visibility.HIDDEN  # the moderator decided
    assert SurveySubmission.objects.get(pk=contribution.pk).confirmed_at is not None


def test_a_decision_cannot_link_an_answer_waiting_for_its_author() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    contribution = _unconfirmed(activity)
    with pytest.raises(ValidationError) as error:
        _decided(contribution)
    assert error.value.message_dict == {
        "contributions": [
            f"Link only published contributions. These are not published: “{contribution.title}”."
        ]
    }
    assert not Decision.objects.exists()
