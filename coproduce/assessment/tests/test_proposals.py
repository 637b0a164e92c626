"""Residents' proposals for the standards: made in an open user assessment, answered through the
spine, taken into the draft by those who keep the framework; a resident who proposed a standard
later rates the service against it (decision 0089)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_assessments, actions_framework, actions_proposals
from coproduce.assessment.models import (
    Assessment,
    FrameworkVersion,
    Standard,
    StandardProposal,
    VersionStatus,
)
from coproduce.assessment.queries_proposals import open_assessment, proposals_of
from coproduce.assessment.tests.factories import make_framework, next_draft
from coproduce.contributions import actions as spine
from coproduce.contributions.models import Visibility
from coproduce.services import actions as services_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

NEW_STANDARD = "I can book a journey on the day I need it"


def _assessment(state: str = ActivityState.OPEN) -> tuple[Assessment, User]:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    if state != ActivityState.OPEN:
        services_actions.activity_transition(activity=activity, to_state=state)
    return Assessment.objects.get(pk=assessment.pk), staff


def _propose(assessment: Assessment, author: User, **extra: Any) -> StandardProposal:
    return actions_proposals.proposal_add(
        assessment=assessment,
        author=author,
        text=extra.pop("text", NEW_STANDARD),
        why=extra.pop("why", "My hospital appointments are often made at short notice."),
        **extra,
    )


def _first_standard(assessment: Assessment) -> Standard:
    standard = Standard.objects.filter(version=assessment.version).order_by("position").first()
    assert standard is not None
    return standard


def _url(name: str, *args: Any) -> str:
    return reverse(f"assessment:{name}", args=list(args))


# --- Proposing ------------------------------------------------------------------------------------


def test_a_resident_proposes_a_new_standard_or_comments_on_one() -> None:
    assessment, _staff = _assessment()
    resident = UserFactory()
    new = _propose(assessment, resident, text="  I can book a journey\n on the day I need it ")
    assert new.text == NEW_STANDARD
    assert new.standard is None
    assert new.framework_id == assessment.version.framework_id
    assert new.contribution.activity_id == assessment.pk
    assert new.contribution.status == "received"
    assert new.contribution.needs_answer is True
    assert new.contribution.visibility == Visibility.PUBLISHED
    standard = _first_standard(assessment)
    comment = _propose(
        assessment,
        resident,
        text="Say “book online or by phone”: not everyone is online.",
        standard=standard,
    )
    assert comment.standard == standard


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your proposal."),
        ("Too short", "Write your proposal in 10 characters or more."),
        ("x" * 501, "Your proposal must be 500 characters or fewer."),
    ],
)
def test_a_proposal_is_10_to_500_characters(text: str, message: str) -> None:
    assessment, _staff = _assessment()
    with pytest.raises(ValidationError) as error:
        _propose(assessment, UserFactory(), text=text)
    assert error.value.message_dict["text"] == [message]
    assert not StandardProposal.objects.exists()


def test_a_comment_is_on_a_standard_of_the_assessments_version() -> None:
    assessment, _staff = _assessment()
    elsewhere, _ = _assessment()
    with pytest.raises(ValidationError) as error:
        _propose(assessment, UserFactory(), standard=_first_standard(elsewhere))
    assert error.value.message_dict["standard"] == [
        "Choose one of the standards this assessment uses."
    ]


def test_the_same_text_twice_is_refused_but_others_may_send_it() -> None:
    assessment, _staff = _assessment()
    resident = UserFactory()
    _propose(assessment, resident)
    with pytest.raises(ValidationError) as error:
        _propose(assessment, resident, text=NEW_STANDARD.upper() + "  ")
    assert "You have already sent this proposal" in error.value.message_dict["text"][0]
    assert _propose(assessment, UserFactory()).text == NEW_STANDARD


def test_no_proposals_once_the_assessment_has_closed() -> None:
    assessment, _staff = _assessment(ActivityState.CLOSED)
    with pytest.raises(PermissionDenied):
        _propose(assessment, UserFactory())
    client = client_for(UserFactory())
    page = client.get(_url("propose", assessment.pk))
    assert page.status_code == 200
    assert "Proposals have closed" in page.content.decode()
    sent = client.post(
        _url("propose", assessment.pk),
        {"about": "new", "text": NEW_STANDARD, "author_display": "first_name"},
    )
    assert sent.status_code == 403
    assert not StandardProposal.objects.exists()


def test_only_user_assessments_take_proposals() -> None:
    activity = ActivityFactory(kind=ActivityKind.PEER_REVIEW, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    peer = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    with pytest.raises(PermissionDenied):
        _propose(peer, UserFactory())
    assert client_for(UserFactory()).get(_url("propose", peer.pk)).status_code == 404
    assert open_assessment(activity.service) is None


# --- The propose page -----------------------------------------------------------------------------


def test_the_propose_page_asks_to_sign_in_and_preselects_a_standard() -> None:
    assessment, _staff = _assessment()
    assert Client().get(_url("propose", assessment.pk)).status_code == 302
    standard = _first_standard(assessment)
    page = client_for(UserFactory()).get(f"{_url('propose', assessment.pk)}?standard={standard.pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{standard.pk}" selected>' in text
    assert 'value="comment" checked' in text


def test_proposing_through_the_page_shows_errors_then_the_proposal() -> None:
    assessment, _staff = _assessment()
    resident = UserFactory()
    client = client_for(resident)
    bad = client.post(
        _url("propose", assessment.pk),
        {"about": "comment", "standard": "", "text": "short", "author_display": "first_name"},
    )
    text = bad.content.decode()
    assert bad.status_code == 200
    assert "<title>Error:" in text
    assert "Choose the standard you are commenting on." in text
    assert "Write your proposal in 10 characters or more." in text
    assert not StandardProposal.objects.exists()
    standard = _first_standard(assessment)
    sent = client.post(
        _url("propose", assessment.pk),
        {
            "about": "comment",
            "standard": str(standard.pk),
            "text": "Add “or by text message”: I am deaf and cannot phone.",
            "why": "I have to ask my neighbour to ring for me.",
            "author_display": "named",
        },
        follow=True,
    )
    proposal = StandardProposal.objects.get()
    assert sent.redirect_chain[-1][0] == _url("proposal", proposal.pk)
    page = sent.content.decode()
    assert "The service’s staff will answer it here" in page
    assert "A comment on a standard" in page
    assert standard.statement in page
    assert resident.name in page
    assert proposal.standard == standard


def test_a_new_standard_ignores_a_chosen_standard() -> None:
    assessment, _staff = _assessment()
    client_for(UserFactory()).post(
        _url("propose", assessment.pk),
        {
            "about": "new",
            "standard": str(_first_standard(assessment).pk),
            "text": NEW_STANDARD,
            "author_display": "anonymous",
        },
    )
    assert StandardProposal.objects.get().standard is None


# --- Answers, statuses and taking in --------------------------------------------------------------


def test_staff_answer_through_the_spine_and_the_answer_shows(
    django_capture_on_commit_callbacks: Any,
) -> None:
    assessment, staff = _assessment()
    proposal = _propose(assessment, UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        spine.response_create(
            contribution=proposal.contribution,
            author=staff,
            body="Thank you. We will discuss it at the next standards workshop in May.",
        )
    page = client_for(UserFactory()).get(_url("proposal", proposal.pk)).content.decode()
    assert "We will discuss it at the next standards workshop in May." in page
    staff_page = client_for(staff).get(_url("proposal", proposal.pk)).content.decode()
    assert reverse("contributions:respond", args=[proposal.pk]) in staff_page
    assert _url("proposal_take_in", proposal.pk) in staff_page
    assert _url("proposal_take_in", proposal.pk) not in page


def test_taking_in_adds_a_standard_to_the_draft_and_sets_the_status() -> None:
    assessment, staff = _assessment()
    draft = next_draft(assessment.version, staff)
    proposal = _propose(assessment, UserFactory())
    client = client_for(staff)
    form = client.get(_url("proposal_take_in", proposal.pk)).content.decode()
    assert NEW_STANDARD in form
    sent = client.post(
        _url("proposal_take_in", proposal.pk),
        {"theme": "Booking a journey", "statement": NEW_STANDARD, "evidence_prompt": ""},
        follow=True,
    )
    proposal.refresh_from_db()
    proposal.contribution.refresh_from_db()
    assert proposal.became is not None
    assert proposal.became.version == draft
    assert proposal.became.statement == NEW_STANDARD
    assert proposal.contribution.status == "taken_in"
    assert "The proposal is in the draft of version 2" in sent.content.decode()
    public = client_for(UserFactory()).get(_url("proposal", proposal.pk)).content.decode()
    assert "Taken into the draft standards" in public
    assert "It is in the draft of version 2" in public
    with pytest.raises(ValidationError):
        actions_proposals.proposal_take_in(
            proposal=proposal, by=staff, theme="Booking a journey", statement="Another one here"
        )
    assert draft.standards.count() == 5


def test_taking_in_shows_the_drafts_errors_on_the_form() -> None:
    assessment, staff = _assessment()
    next_draft(assessment.version, staff)
    proposal = _propose(assessment, UserFactory())
    taken = _first_standard(assessment).statement
    page = client_for(staff).post(
        _url("proposal_take_in", proposal.pk),
        {"theme": "Booking a journey", "statement": taken},
    )
    assert page.status_code == 200
    assert "The framework already has this standard." in page.content.decode()
    proposal.contribution.refresh_from_db()
    assert proposal.contribution.status == "received"


def test_taking_in_needs_a_draft() -> None:
    assessment, staff = _assessment()
    proposal = _propose(assessment, UserFactory())
    with pytest.raises(ValidationError) as error:
        actions_proposals.proposal_take_in(
            proposal=proposal, by=staff, theme="Booking", statement=NEW_STANDARD
        )
    assert "no draft version" in error.value.messages[0]
    page = client_for(staff).get(_url("proposal_take_in", proposal.pk)).content.decode()
    assert 'id="no-draft"' in page
    proposal.refresh_from_db()
    assert proposal.became is None


def test_a_proposal_not_taken_in_cannot_be_taken_in_later() -> None:
    assessment, staff = _assessment()
    next_draft(assessment.version, staff)
    proposal = _propose(assessment, UserFactory())
    spine.contribution_set_status(
        contribution=proposal.contribution,
        to_status="not_taken",
        changed_by=staff,
        reason="It is already covered by “I can book by phone, online or in person”.",
    )
    with pytest.raises(ValidationError):
        actions_proposals.proposal_take_in(
            proposal=proposal, by=staff, theme="Booking", statement=NEW_STANDARD
        )
    page = client_for(staff).get(_url("proposal_take_in", proposal.pk))
    assert page.status_code == 302


def test_only_those_who_keep_the_framework_take_in() -> None:
    assessment, staff = _assessment()
    next_draft(assessment.version, staff)
    resident = UserFactory()
    proposal = _propose(assessment, resident)
    other = staff_of(ActivityFactory())
    for person in (resident, UserFactory(), other):
        with pytest.raises(PermissionDenied):
            actions_proposals.proposal_take_in(
                proposal=proposal, by=person, theme="Booking", statement=NEW_STANDARD
            )
        assert client_for(person).get(_url("proposal_take_in", proposal.pk)).status_code == 403
    anonymous = Client().get(_url("proposal_take_in", proposal.pk))
    assert anonymous.status_code == 302


# --- Lists and visibility -------------------------------------------------------------------------


def test_the_list_shows_published_proposals_and_ones_own_waiting_ones() -> None:
    assessment, staff = _assessment()
    slug = assessment.activity.service.slug
    empty = Client().get(_url("proposals", slug)).content.decode()
    assert 'id="no-proposals"' in empty
    assert _url("propose", assessment.pk) in empty
    shown = _propose(assessment, UserFactory())
    hidden = _propose(assessment, UserFactory(), text="Something rude about the drivers here")
    spine.moderation_hide(contribution=hidden.contribution, moderator=staff)
    Activity.objects.filter(pk=assessment.pk).update(premoderation=True)
    assessment.activity.refresh_from_db()
    waiting_author = UserFactory()
    waiting = _propose(assessment, waiting_author, text="I get a text when the bus is late")
    assert waiting.contribution.visibility == Visibility.PENDING
    service = assessment.activity.service
    assert list(proposals_of(service, UserFactory())) == [shown]
    assert list(proposals_of(service, waiting_author)) == [waiting, shown]
    page = Client().get(_url("proposals", slug)).content.decode()
    assert NEW_STANDARD in page
    assert "Something rude" not in page
    assert "when the bus is late" not in page
    assert client_for(UserFactory()).get(_url("proposal", hidden.pk)).status_code == 404
    assert client_for(staff).get(_url("proposal", hidden.pk)).status_code == 200


def test_the_invitation_waits_for_the_next_assessment_once_closed() -> None:
    assessment, _staff = _assessment(ActivityState.CLOSED)
    service = assessment.activity.service
    assert open_assessment(service) is None
    page = Client().get(_url("proposals", service.slug)).content.decode()
    assert "Proposals open with the next assessment" in page
    assert _url("propose", assessment.pk) not in page


def test_the_spines_summary_shows_the_proposal_in_the_inbox() -> None:
    assessment, staff = _assessment()
    proposal = _propose(assessment, UserFactory(), standard=_first_standard(assessment))
    inbox = client_for(staff).get(
        reverse("contributions:service_inbox", args=[assessment.activity.service.slug])
    )
    text = inbox.content.decode()
    assert proposal.text in text
    assert "A comment on the standard:" in text


# --- The acceptance: propose a standard, and later rate the service against it --------------------


def test_a_resident_proposes_a_standard_and_later_rates_the_service() -> None:
    assessment, staff = _assessment()
    resident = UserFactory()
    client_for(resident).post(
        _url("propose", assessment.pk),
        {"about": "new", "text": NEW_STANDARD, "author_display": "named"},
    )
    proposal = StandardProposal.objects.get()
    draft = next_draft(assessment.version, staff)
    taken = actions_proposals.proposal_take_in(
        proposal=proposal, by=staff, theme="Booking a journey", statement=NEW_STANDARD
    )
    agreed = actions_framework.version_agree(
        version=draft, by=staff, change_note="Added same-day booking, as a passenger proposed."
    )
    assert agreed.status == VersionStatus.AGREED
    services_actions.activity_transition(
        activity=assessment.activity, to_state=ActivityState.CLOSED
    )
    activity = ActivityFactory(
        service=assessment.activity.service, kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN
    )
    next_one = actions_assessments.assessment_set_up(
        activity=activity, by=staff, version=FrameworkVersion.objects.get(pk=agreed.pk)
    )
    assert taken.became is not None
    ratings = {s.pk: (4, "") for s in Standard.objects.filter(version=agreed)}
    actions_assessments.response_save(
        assessment=next_one, person=resident, ratings=ratings, named=False
    )
    assert next_one.responses.get().ratings.filter(standard=taken.became).exists()
