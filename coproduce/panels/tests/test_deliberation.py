"""Deliberation: members, sessions and evidence, questions, drafts, the members' private vote
with its threshold, published recommendations answered through the spine, and overdue answers.
Actions first, then the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions import actions as spine
from coproduce.contributions.models import Contribution, Visibility
from coproduce.contributions.queries_inbox import answer_due_of
from coproduce.organisations.models import Role
from coproduce.panels import actions, actions_deliberation, actions_selection, queries
from coproduce.panels.models import (
    ANSWER_DAYS,
    RECOMMENDATION,
    AnswerStatus,
    Panel,
    Phase,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    RegistrantStatus,
)
from coproduce.panels.tasks import run_selection
from coproduce.panels.tests.factories import make_panel, make_pool, small_pool
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


@dataclass
class Deliberating:
    """A panel deliberating, its coordinator and its members (with accounts)."""

    panel: Panel
    staff: User
    members: list[User] = field(default_factory=list)


def deliberating(members: int = 5, **panel_fields: Any) -> Deliberating:
    setup = make_panel(phase=Phase.DELIBERATION, **panel_fields)
    people = [UserFactory() for _ in range(members)]
    for person in people:
        actions_deliberation.member_add(panel=setup.panel, by=setup.staff, email=person.email)
    return Deliberating(panel=setup.panel, staff=setup.staff, members=people)


def draft(world: Deliberating, title: str = "Open the drop-in on Saturdays") -> Recommendation:
    return actions_deliberation.recommendation_draft(
        panel=world.panel, by=world.members[0], title=title, text=f"{title}, because …"
    )


def vote_all(
    recommendation: Recommendation, world: Deliberating, support: int, against: int
) -> None:
    voters = iter(world.members)
    for supports, count in ((True, support), (False, against)):
        for _ in range(count):
            actions_deliberation.vote_cast(
                recommendation=recommendation, by=next(voters), supports=supports
            )


def _text(response: Any) -> str:
    return str(response.content.decode())


def _url(name: str, pk: int) -> str:
    return reverse(f"panels:{name}", args=[pk])


# --- Members -----------------------------------------------------------------------------------


def test_coordinators_add_members_by_their_account_email_and_remove_them() -> None:
    world = deliberating(members=0)
    person = UserFactory(email="sam@example.org")
    member = actions_deliberation.member_add(
        panel=world.panel, by=world.staff, email="  SAM@example.org "
    )
    assert member.user == person
    with pytest.raises(ValidationError) as error:
        actions_deliberation.member_add(panel=world.panel, by=world.staff, email="sam@example.org")
    assert "already a member" in str(error.value.message_dict["email"])
    with pytest.raises(ValidationError) as error:
        actions_deliberation.member_add(
            panel=world.panel, by=world.staff, email="nobody@example.org"
        )
    assert "No account has this email address" in str(error.value.message_dict["email"])
    with pytest.raises(PermissionDenied):
        actions_deliberation.member_add(
            panel=world.panel, by=UserFactory(), email="sam@example.org"
        )
    actions_deliberation.member_remove(member=member, by=world.staff)
    assert not world.panel.members.exists()


def test_members_are_added_only_once_the_panel_is_selected() -> None:
    setup = make_panel(phase=Phase.REGISTRATION)
    person = UserFactory()
    with pytest.raises(ValidationError, match="once the panel is selected"):
        actions_deliberation.member_add(panel=setup.panel, by=setup.staff, email=person.email)


def test_a_member_is_linked_to_a_selected_person_only() -> None:
    setup, registrants = make_pool(small_pool(12))
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=7)
    actions_selection.selection_start(selection=committed, by=setup.staff)
    run_selection(committed.pk)
    chosen = setup.panel.registrants.filter(status=RegistrantStatus.SELECTED).first()
    left_out = setup.panel.registrants.filter(status=RegistrantStatus.REGISTERED).first()
    assert chosen is not None
    assert left_out is not None
    with pytest.raises(ValidationError) as error:
        actions_deliberation.member_add(
            panel=setup.panel, by=setup.staff, email=UserFactory().email, registrant=left_out
        )
    assert "registrant" in error.value.message_dict
    member = actions_deliberation.member_add(
        panel=setup.panel, by=setup.staff, email=UserFactory().email, registrant=chosen
    )
    assert member.registrant == chosen
    with pytest.raises(ValidationError, match="already linked"):
        actions_deliberation.member_add(
            panel=setup.panel, by=setup.staff, email=UserFactory().email, registrant=chosen
        )
    # The members page offers the selected people not linked yet, by pool id.
    page = _text(client_for(setup.staff).get(_url("members", setup.panel.pk)))
    assert member.user.email in page
    assert chosen.external_id in page
    assert list(queries.linkable_registrants(setup.panel)).count(chosen) == 0
    assert registrants  # the pool the selection drew from


def test_the_members_page_adds_and_removes_and_shows_errors_on_the_field() -> None:
    world = deliberating(members=0)
    client = client_for(world.staff)
    url = _url("members", world.panel.pk)
    response = client.post(url, {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "govuk-error-summary" in _text(response)
    assert "No account has this email address" in _text(response)
    person = UserFactory()
    assert client.post(url, {"email": person.email}).status_code == 302
    member = world.panel.members.get()
    assert client.post(url, {"remove": str(member.pk)}).status_code == 302
    assert not world.panel.members.exists()
    assert client.post(url, {"remove": "99999999"}).status_code == 404


# --- Sessions and evidence ---------------------------------------------------------------------


def _session_data(**overrides: str) -> dict[str, str]:
    day = timezone.localdate() + dt.timedelta(days=7)
    data = {
        "title": "How policing works now",
        "day_day": str(day.day),
        "day_month": str(day.month),
        "day_year": str(day.year),
        "starts": "18:30",
        "place": "Northfield library",
        "online_link": "",
        "agenda": "Welcome\nEvidence from the police",
        "speakers": "Inspector Jones, Northfield police",
    }
    return {**data, **overrides}


def test_coordinators_add_a_session_with_evidence_papers() -> None:
    world = deliberating(members=1)
    client = client_for(world.staff)
    response = client.post(_url("session_add", world.panel.pk), _session_data())
    assert response.status_code == 302
    session = world.panel.sessions.get()
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "18:30"
    edit = reverse("panels:session_edit", args=[session.pk])
    assert 'value="18:30"' in _text(client.get(edit))
    moved = _session_data(starts="19:00", title="How policing works today")
    assert client.post(edit, moved).status_code == 302
    session.refresh_from_db()
    assert session.title == "How policing works today"
    paper = {"paper-title": "Crime figures 2025", "paper-url": "https://example.org/crime.pdf"}
    assert client.post(edit, paper).status_code == 302
    assert session.papers.get().title == "Crime figures 2025"
    # Members see the session and the paper in their workspace; everyone on the public page.
    member_page = _text(client_for(world.members[0]).get(_url("workspace", world.panel.pk)))
    public_page = _text(Client().get(_url("recommendations", world.panel.pk)))
    for page in (member_page, public_page):
        assert "How policing works today" in page
        assert "https://example.org/crime.pdf" in page
    paper_pk = session.papers.get().pk
    assert client.post(edit, {"remove_paper": str(paper_pk)}).status_code == 302
    assert not session.papers.exists()


def test_a_session_needs_a_place_or_a_link_and_bad_input_is_shown_on_the_form() -> None:
    world = deliberating(members=0)
    client = client_for(world.staff)
    url = _url("session_add", world.panel.pk)
    response = client.post(url, _session_data(place="", starts="25:99", day_month="13"))
    assert response.status_code == 200
    assert "Enter the time like 18:30." in _text(response)
    response = client.post(url, _session_data(place=""))
    assert response.status_code == 200
    assert "Enter the place, or a link to join online, or both." in _text(response)
    assert not world.panel.sessions.exists()
    assert (
        client.post(url, _session_data(place="", online_link="meet.example.org/x")).status_code
        == 302
    )


def test_only_coordinators_plan_sessions() -> None:
    world = deliberating(members=1)
    url = _url("session_add", world.panel.pk)
    assert client_for(world.members[0]).get(url).status_code == 403
    assert Client().get(url).status_code == 302


# --- Questions ---------------------------------------------------------------------------------


def test_a_members_question_is_answered_in_public_through_the_spine() -> None:
    world = deliberating(members=2)
    member = client_for(world.members[0])
    url = _url("workspace", world.panel.pk)
    response = member.post(url, {"text": "How many officers cover the north?"})
    assert response.status_code == 302
    question = world.panel.questions.get()
    contribution = question.contribution
    assert contribution.needs_answer
    assert contribution.author_name == "Anonymous"
    public = _url("recommendations", world.panel.pk)
    assert "How many officers" not in _text(Client().get(public))  # shown once answered
    answer = client_for(world.staff).post(
        reverse("contributions:respond", args=[contribution.pk]), {"body": "Twelve officers."}
    )
    assert answer.status_code == 302
    page = _text(Client().get(public))
    assert "How many officers cover the north?" in page
    assert "Twelve officers." in page
    with pytest.raises(PermissionDenied):
        actions_deliberation.question_ask(
            panel=world.panel, by=UserFactory(), text="Am I a member?"
        )


# --- Drafts and the vote -----------------------------------------------------------------------


def test_members_draft_recommendations_through_the_page() -> None:
    world = deliberating(members=2)
    url = _url("recommendation_add", world.panel.pk)
    client = client_for(world.members[1])
    empty = client.post(url, {"title": "", "text": ""})
    assert empty.status_code == 200
    assert "govuk-error-summary" in _text(empty)
    response = client.post(url, {"title": "More patrols at night", "text": "Because …"})
    assert response.status_code == 302
    recommendation = world.panel.recommendations.get()
    assert recommendation.status == RecommendationStatus.DRAFT
    assert recommendation.contribution is None  # not on the spine until the members pass it
    assert "More patrols at night" in _text(client.get(_url("workspace", world.panel.pk)))
    assert "More patrols at night" not in _text(
        Client().get(_url("recommendations", world.panel.pk))
    )
    assert client_for(UserFactory()).get(url).status_code == 403
    assert client_for(world.staff).get(url).status_code == 403  # coordinators do not draft
    assert Client().get(url).status_code == 302


def test_coordinators_open_and_close_the_vote() -> None:
    world = deliberating(members=3)
    with pytest.raises(ValidationError, match="no draft"):
        actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    first = draft(world, "First")
    voting_round = actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    first.refresh_from_db()
    assert first.status == RecommendationStatus.VOTING
    assert first.voting_round == voting_round
    assert voting_round.threshold == 80
    later = draft(world, "Drafted during the vote")
    with pytest.raises(ValidationError, match="already open"):
        actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    with pytest.raises(PermissionDenied):
        actions_deliberation.voting_close(panel=world.panel, by=world.members[0])
    actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    later.refresh_from_db()
    assert later.status == RecommendationStatus.DRAFT  # waits for the next vote
    with pytest.raises(ValidationError, match="not open"):
        actions_deliberation.voting_close(panel=world.panel, by=world.staff)


def test_the_voting_page_opens_and_closes_and_explains_what_stops_it() -> None:
    world = deliberating(members=2)
    client = client_for(world.staff)
    url = _url("voting", world.panel.pk)
    refused = client.post(url, {"action": "open"})
    assert refused.status_code == 400
    assert "There are no draft recommendations to vote on." in _text(refused)
    assert client.post(url, {"action": "sideways"}).status_code == 400
    recommendation = draft(world)
    assert client.post(url, {"action": "open"}).status_code == 302
    vote_all(recommendation, world, support=2, against=0)
    assert client.post(url, {"action": "close"}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PUBLISHED
    assert client_for(world.members[0]).post(url, {"action": "open"}).status_code == 403


def test_the_panel_ends_only_once_the_members_vote_is_closed() -> None:
    """Closing the panel mid-vote would leave its recommendations in the vote for ever and keep
    who voted what (decisions 0065, 0124)."""
    world = deliberating(members=2)
    recommendation = draft(world)
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    vote_all(recommendation, world, support=2, against=0)
    with pytest.raises(ValidationError) as error:
        actions.phase_set(panel=world.panel, by=world.staff, phase=Phase.CLOSED)
    assert error.value.messages == ["Close the members' vote before the panel ends."]
    world.panel.refresh_from_db()
    assert world.panel.phase == Phase.DELIBERATION
    assert RecommendationVote.objects.count() == 2  # still open: members may change them
    actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    closed = actions.phase_set(panel=world.panel, by=world.staff, phase=Phase.CLOSED)
    assert closed.phase == Phase.CLOSED
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PUBLISHED
    assert not RecommendationVote.objects.exists()


def test_the_panel_s_page_says_to_close_the_vote_before_it_ends() -> None:
    world = deliberating(members=2)
    recommendation = draft(world)
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    vote_all(recommendation, world, support=1, against=0)
    client = client_for(world.staff)
    manage = _url("manage", world.panel.pk)
    page = _text(client.get(manage))
    assert "Move to the next phase" not in page  # no button that cannot work
    assert 'id="phase-blocked">Close the members&#x27; vote before the panel ends.' in page
    assert _url("voting", world.panel.pk) in page
    # A page loaded before the vote opened: the error summary says why nothing changed.
    response = client.post(_url("phase_set", world.panel.pk), {"phase": Phase.CLOSED})
    assert response.status_code == 200
    page = _text(response)
    assert "<title>Error:" in page
    assert "The panel cannot move to that phase" in page
    assert '<a href="#phase">Close the members&#x27; vote before the panel ends.</a>' in page
    world.panel.refresh_from_db()
    assert world.panel.phase == Phase.DELIBERATION
    assert RecommendationVote.objects.filter(recommendation=recommendation).count() == 1
    actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    assert "Move to the next phase: Closed" in _text(client.get(manage))
    response = client.post(_url("phase_set", world.panel.pk), {"phase": Phase.CLOSED})
    assert response["Location"] == manage
    world.panel.refresh_from_db()
    assert world.panel.phase == Phase.CLOSED


def test_one_vote_per_member_which_they_may_change_while_the_vote_is_open() -> None:
    world = deliberating(members=2)
    recommendation = draft(world)
    with pytest.raises(PermissionDenied):  # not open yet
        actions_deliberation.vote_cast(
            recommendation=recommendation, by=world.members[0], supports=True
        )
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    actions_deliberation.vote_cast(
        recommendation=recommendation, by=world.members[0], supports=True
    )
    actions_deliberation.vote_cast(
        recommendation=recommendation, by=world.members[0], supports=False
    )
    vote = RecommendationVote.objects.get()
    assert vote.supports is False
    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationVote.objects.create(
            recommendation=recommendation, member=vote.member, supports=True
        )
    with pytest.raises(PermissionDenied):
        actions_deliberation.vote_cast(
            recommendation=recommendation, by=UserFactory(), supports=True
        )
    with pytest.raises(PermissionDenied):
        actions_deliberation.vote_cast(recommendation=recommendation, by=world.staff, supports=True)
    actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    with pytest.raises(PermissionDenied):
        actions_deliberation.vote_cast(
            recommendation=recommendation, by=world.members[0], supports=True
        )


def test_a_member_votes_and_changes_their_vote_on_the_page() -> None:
    world = deliberating(members=2)
    recommendation = draft(world)
    url = reverse("panels:recommendation_vote", args=[recommendation.pk])
    member = client_for(world.members[0])
    assert member.get(url).status_code == 403  # the vote is not open
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    missing = member.post(url, {})
    assert missing.status_code == 200
    assert "Choose whether you support the recommendation." in _text(missing)
    assert member.post(url, {"supports": "yes"}).status_code == 302
    assert member.post(url, {"supports": "no"}).status_code == 302
    assert RecommendationVote.objects.get().supports is False
    assert 'value="no" checked' in _text(member.get(url))
    assert client_for(UserFactory()).post(url, {"supports": "yes"}).status_code == 403
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize(
    ("support", "against", "threshold", "published"),
    [
        (4, 1, 80, True),  # 80 %: exactly the threshold
        (3, 1, 80, False),  # 75 %
        (0, 0, 80, False),  # nobody voted
        (3, 1, 75, True),
        (2, 2, 50, True),
        (2, 3, 50, False),
    ],
)
def test_results_and_the_threshold(
    support: int, against: int, threshold: int, published: bool
) -> None:
    world = deliberating(members=5, recommendation_threshold=threshold)
    recommendation = draft(world)
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    vote_all(recommendation, world, support=support, against=against)
    [result] = actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    assert (result.support_count, result.against_count) == (support, against)
    assert result.members_count == 5
    assert (result.status == RecommendationStatus.PUBLISHED) is published
    contribution = result.contribution
    if published:
        assert contribution is not None
        assert contribution.kind == RECOMMENDATION
        assert contribution.visibility == Visibility.PUBLISHED
        assert contribution.needs_answer
        assert contribution.status == AnswerStatus.WAITING
        assert result.answer_due == timezone.localdate() + dt.timedelta(days=ANSWER_DAYS)
    else:
        assert contribution is None
        assert result.status == RecommendationStatus.NOT_PASSED


def test_the_threshold_in_force_when_the_vote_opened_decides() -> None:
    world = deliberating(members=4)
    recommendation = draft(world)
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    Panel.objects.filter(pk=world.panel.pk).update(recommendation_threshold=50)
    vote_all(recommendation, world, support=3, against=1)  # 75 %: below 80, above 50
    [result] = actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    assert result.status == RecommendationStatus.NOT_PASSED


# --- Privacy of the vote -----------------------------------------------------------------------


def test_votes_are_never_shown_individually_not_even_to_coordinators() -> None:
    world = deliberating(members=3)
    recommendation = draft(world, "Street lights on the towpath")
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    actions_deliberation.vote_cast(
        recommendation=recommendation, by=world.members[0], supports=True
    )
    actions_deliberation.vote_cast(
        recommendation=recommendation, by=world.members[1], supports=False
    )
    coordinator = client_for(world.staff)
    pages = [
        _text(coordinator.get(_url("voting", world.panel.pk))),
        _text(coordinator.get(_url("workspace", world.panel.pk))),
        _text(coordinator.get(recommendation.get_absolute_url())),
        _text(coordinator.get(_url("members", world.panel.pk))),
    ]
    for page in pages:
        assert "You support" not in page
        assert "do not support it" not in page
        assert "members who voted support it" not in page  # no totals while the vote is open
    # Another member sees only their own (absent) vote.
    other = _text(client_for(world.members[2]).get(_url("workspace", world.panel.pk)))
    assert "You have not voted yet." in other
    assert "You support it." not in other
    mine = _text(client_for(world.members[0]).get(_url("workspace", world.panel.pk)))
    assert "You support it." in mine
    # After closing: totals only, and who voted what is no longer kept.
    actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    assert not RecommendationVote.objects.exists()
    public = _text(Client().get(recommendation.get_absolute_url()))
    assert "1 of 2 members who voted support it" in public
    for member in world.members:
        assert member.email not in public
        assert member.email not in _text(coordinator.get(_url("voting", world.panel.pk)))


# --- Who sees the workspace --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("other organisation", 403),
        ("member", 200),
        ("coordinator", 200),
        ("facilitator", 200),
    ],
)
def test_the_workspace_is_for_members_and_coordinators(who: str, status: int) -> None:
    world = deliberating(members=1)
    draft(world, "A private draft")
    activity = world.panel.activity
    people = {
        "resident": lambda: UserFactory(),
        "other organisation": lambda: staff_of(make_panel().panel.activity, Role.ADMIN),
        "member": lambda: world.members[0],
        "coordinator": lambda: world.staff,
        "facilitator": lambda: staff_of(activity, Role.FACILITATOR),
    }
    client = Client() if who == "anonymous" else client_for(people[who]())
    response = client.get(_url("workspace", world.panel.pk))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    draft_page = client.get(world.panel.recommendations.get().get_absolute_url())
    assert draft_page.status_code == status
    assert client.get(_url("workspace", 987654)).status_code == 404


# --- Published recommendations, their answers and "You said, we did" ---------------------------


def _published(world: Deliberating, title: str = "Open the drop-in on Saturdays") -> Recommendation:
    recommendation = draft(world, title)
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    vote_all(recommendation, world, support=len(world.members), against=0)
    actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    recommendation.refresh_from_db()
    return recommendation


def test_published_recommendations_show_publicly_and_in_you_said_we_did_once_answered() -> None:
    world = deliberating(members=3)
    recommendation = _published(world)
    failing = draft(world, "Close the library")
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)
    vote_all(failing, world, support=1, against=2)
    actions_deliberation.voting_close(panel=world.panel, by=world.staff)
    public = _text(Client().get(_url("recommendations", world.panel.pk)))
    assert "Open the drop-in on Saturdays" in public
    assert "3 of 3 members who voted support it (100%; 80% needed)" in public
    assert "Close the library" in public  # its result is public too
    assert "1 of 3 members who voted support it (33%; 80% needed)" in public
    assert "at least 80% of the members who vote" in public
    assert Client().get(failing.get_absolute_url()).status_code == 200

    contribution = recommendation.contribution
    assert contribution is not None
    service = world.panel.activity.service
    loop = reverse("contributions:you_said_we_did", kwargs={"slug": service.slug})
    assert "Open the drop-in on Saturdays" not in _text(Client().get(loop))
    assert "Open the drop-in on Saturdays" in _text(Client().get(loop + "?show=waiting"))
    respond = reverse("contributions:respond", args=[contribution.pk])
    assert "Open the drop-in on Saturdays" in _text(client_for(world.staff).get(respond))
    spine.contribution_set_status(
        contribution=contribution,
        to_status=AnswerStatus.ACCEPTED_IN_PART,
        changed_by=world.staff,
        reason="Saturdays from April; Sundays cost too much.",
    )
    spine.response_create(
        contribution=contribution,
        author=world.staff,
        body="We will open on Saturdays from 4 April 2027. Sam Patel leads it.",
    )
    assert "Open the drop-in on Saturdays" in _text(Client().get(loop))
    detail = _text(Client().get(recommendation.get_absolute_url()))
    assert "Accepted in part" in detail
    assert "Sundays cost too much." in detail
    assert "We will open on Saturdays from 4 April 2027." in detail


def test_not_accepted_needs_a_reason_through_the_spine() -> None:
    world = deliberating(members=2)
    contribution = _published(world).contribution
    assert contribution is not None
    with pytest.raises(ValidationError):
        spine.contribution_set_status(
            contribution=contribution, to_status=AnswerStatus.NOT_ACCEPTED, changed_by=world.staff
        )


def test_the_answer_comes_from_the_organisation_not_the_panel() -> None:
    world = deliberating(members=2)
    contribution = _published(world).contribution
    assert contribution is not None
    respond = reverse("contributions:respond", args=[contribution.pk])
    assert client_for(world.members[0]).post(respond, {"body": "Yes"}).status_code == 403
    assert contribution.author is None  # the panel's, not a member's


# --- Overdue answers ---------------------------------------------------------------------------


def test_an_unanswered_recommendation_is_overdue_after_the_stated_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = deliberating(members=2)
    recommendation = _published(world)
    service = world.panel.activity.service
    public = _url("recommendations", world.panel.pk)
    assert not queries.overdue_recommendations(service).exists()
    assert "overdue" not in _text(Client().get(service.get_absolute_url()))

    later = timezone.localdate() + dt.timedelta(days=ANSWER_DAYS + 1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert list(queries.overdue_recommendations(service)) == [recommendation]
    service_page = _text(Client().get(service.get_absolute_url()))
    assert "The answer to 1 citizen panel recommendation is overdue." in service_page
    assert recommendation.get_absolute_url() in service_page
    assert "The answer to 1 recommendation is overdue." in _text(Client().get(public))
    assert "Answer overdue" in _text(Client().get(recommendation.get_absolute_url()))

    contribution = recommendation.contribution
    assert contribution is not None
    spine.response_create(contribution=contribution, author=world.staff, body="Accepted.")
    assert not queries.overdue_recommendations(service).exists()
    assert "overdue" not in _text(Client().get(public))


def test_the_staff_inbox_knows_when_the_answer_is_due() -> None:
    world = deliberating(members=2)
    recommendation = _published(world)
    contribution = Contribution.objects.get(panel_recommendation=recommendation)
    assert answer_due_of(contribution) == recommendation.answer_due
    assert answer_due_of(contribution) == timezone.localdate() + dt.timedelta(days=ANSWER_DAYS)
