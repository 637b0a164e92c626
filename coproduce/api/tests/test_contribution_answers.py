"""Official answers and idea statuses: who may answer or move an idea, and the emails that
follow only once the request commits; and the kinds made outside the spine's own endpoints
(opinion statements, budget proposals, panel questions and recommendations, weightings,
findings, standard proposals): what each shows, and that every kind can be answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from coproduce.accounts.tests.factories import UserFactory
from coproduce.api.contribution_schemas import ContributionKind
from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.contributions_helpers import idea_in
from coproduce.api.tests.loop import Loop
from coproduce.codesign.models import IdeaStatus
from coproduce.codesign.tests.factories import IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.actions import follow_set
from coproduce.contributions.kinds import all_kinds
from coproduce.contributions.models import Contribution
from coproduce.contributions.tests.world import World
from coproduce.notifications.models import Notification

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]


# --- Official answers and statuses --------------------------------------------------------------
def test_an_answer_is_emailed_only_after_the_commit(
    world: World, loop: Loop, as_role: AsRole, django_capture_on_commit_callbacks: Any
) -> None:
    follower = UserFactory(email="follower@example.org")
    follow_set(user=follower, target=world.service, follow=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_role("professional").post(
            f"/contributions/{loop.asset.pk}/responses", {"body": "We will list it."}
        )
        assert response.status_code == 201, response.content
        assert mail.outbox == []  # recorded, but nothing sent before the commit
        assert Notification.objects.filter(url=loop.asset.get_absolute_url()).count() == 2
    assert len(callbacks) == 1
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["author@example.org", "follower@example.org"]
    body = response.json()
    assert (body["body"], body["organisation"]) == ("We will list it.", "owner-council")
    loop.asset.contribution.refresh_from_db()
    assert loop.asset.contribution.first_response_at is not None


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_emailed_when_the_request_commits(world: World, as_role: AsRole) -> None:
    """With real transactions: the API leaves no transaction open, so the email really goes."""
    idea = IdeaFactory(activity=world.open_activity)
    response = as_role("org_admin").post(
        f"/contributions/{idea.pk}/responses", {"body": "Yes, from May."}
    )
    assert response.status_code == 201
    author = idea.contribution.author
    assert author is not None
    assert [m.to[0] for m in mail.outbox] == [author.email]


@pytest.mark.parametrize(
    ("target", "viewer", "status"),
    [
        ("published", "professional", 201),
        ("pending", "professional", 201),  # staff may answer before moderation
        ("published", "facilitator", 403),  # facilitators moderate; they do not answer
        ("published", "resident", 403),
        ("published", "other_professional", 403),
        ("pending", "other_professional", 404),
        ("published", "anonymous", 401),
    ],
)
def test_who_may_answer(
    world: World, loop: Loop, as_role: AsRole, target: str, viewer: str, status: int
) -> None:
    idea = idea_in(loop, target)
    response = as_role(viewer).post(f"/contributions/{idea.pk}/responses", {"body": "Thanks."})
    assert response.status_code == status, response.content


def test_idea_status_changes(
    world: World, loop: Loop, as_role: AsRole, django_capture_on_commit_callbacks: Any
) -> None:
    api = as_role("professional")
    path = f"/ideas/{loop.idea.pk}/status"
    with django_capture_on_commit_callbacks(execute=True):
        adapted = api.post(path, {"to_status": "adapted", "reason": "  Saturdays in summer.  "})
    assert adapted.status_code == 200, adapted.content
    idea = adapted.json()["idea"]
    assert (idea["status"], idea["status_reason"]) == ("adapted", "Saturdays in summer.")
    assert idea["next_statuses"] == ["in_delivery", "not_taken_forward"]
    assert [m.to[0] for m in mail.outbox] == ["author@example.org"]
    assert "adapted" in mail.outbox[0].body.lower()


def test_a_status_change_that_breaks_a_rule_is_422_rule(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    api = as_role("professional")
    path = f"/ideas/{loop.idea.pk}/status"
    no_reason = api.post(path, {"to_status": "not_taken_forward"})
    assert fields(no_reason) == {("body", "reason"): "rule"}
    too_far = api.post(path, {"to_status": "delivered"})
    assert fields(too_far) == {("body", "to_status"): "rule"}
    assert "cannot become delivered" in too_far.json()["detail"][0]["msg"]
    assert fields(api.post(path, {"to_status": "done"})) == {("body", "to_status"): "enum"}
    loop.idea.contribution.refresh_from_db()
    assert loop.idea.contribution.status == IdeaStatus.RECEIVED


def test_only_owning_staff_change_statuses(world: World, loop: Loop, as_role: AsRole) -> None:
    path = f"/ideas/{loop.idea.pk}/status"
    for viewer in ("resident", "facilitator", "other_professional"):
        assert as_role(viewer).post(path, {"to_status": "adopted"}).status_code == 403
    assert (
        as_role("other_professional")
        .post(f"/ideas/{loop.hidden_idea.pk}/status", {"to_status": "adopted"})
        .status_code
        == 404
    )
    assert as_role("org_admin").post(path, {"to_status": "adopted"}).status_code == 200


def test_a_comment_is_no_idea_to_move(world: World, loop: Loop, as_role: AsRole) -> None:
    response = as_role("professional").post(
        f"/ideas/{loop.question.pk}/status", {"to_status": "adopted"}
    )
    assert response.status_code == 404


# --- The other kinds: what each shows, and answering every kind -----------------------------------
def _budget_proposal(world: World) -> Any:
    """A proposal in a participatory budget of the world's published service."""
    from coproduce.budgeting.tests.factories import make_budget, make_proposal
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN
    )
    return make_proposal(make_budget(activity=activity), feasibility=None)


def _opinion_statement(world: World) -> Any:
    """A seed statement of an open opinion map in the world's published service."""
    from coproduce.conversations import actions as conversation_actions
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.OPINION_MAP, state=ActivityState.OPEN
    )
    staff = world.people["professional"]
    conversation = conversation_actions.conversation_create(activity=activity, by=staff)
    return conversation_actions.statement_add(
        conversation=conversation, by=staff, text="Evening buses should run later."
    )


def test_an_opinion_statement_shows_its_text(world: World, anonymous: Api) -> None:
    statement = _opinion_statement(world)
    body = anonymous.get(f"/contributions/{statement.pk}").json()
    assert body["kind"] == "opinion_statement"
    assert body["opinion_statement"] == {
        "conversation": statement.conversation_id,
        "text": "Evening buses should run later.",
        "is_seed": True,
        "is_meta": False,
    }
    assert body["budget_proposal"] is None


def test_a_budget_proposal_shows_its_project(world: World, anonymous: Api) -> None:
    proposal = _budget_proposal(world)
    body = anonymous.get(f"/contributions/{proposal.pk}").json()
    assert body["kind"] == "budget_proposal"
    assert body["budget_proposal"]["reference"] == proposal.reference
    assert body["budget_proposal"]["budget"] == proposal.budget_id
    assert body["budget_proposal"]["feasibility"] == "pending"


def _panel_contributions(world: World) -> tuple[Any, Any]:
    """A question and a passed recommendation of a deliberating panel of the world's service."""
    from coproduce.panels import actions as panel_actions
    from coproduce.panels import actions_deliberation
    from coproduce.panels.models import Panel, Phase
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    coordinator = world.people["professional"]
    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.OPEN
    )
    panel = panel_actions.panel_create(
        activity=activity, by=coordinator, question="How should the park be used?", size=4
    )
    Panel.objects.filter(pk=panel.pk).update(phase=Phase.DELIBERATION)
    panel.refresh_from_db()
    member = world.people["resident"]
    actions_deliberation.member_add(panel=panel, by=coordinator, email=member.email)
    question = actions_deliberation.question_ask(panel=panel, by=member, text="Who owns the park?")
    recommendation = actions_deliberation.recommendation_draft(
        panel=panel, by=member, title="Open the park later", text="Until 10pm in summer."
    )
    actions_deliberation.voting_open(panel=panel, by=coordinator)
    actions_deliberation.vote_cast(recommendation=recommendation, by=member, supports=True)
    actions_deliberation.voting_close(panel=panel, by=coordinator)
    recommendation.refresh_from_db()
    assert recommendation.contribution is not None
    return question.contribution, recommendation.contribution


def test_panel_questions_and_recommendations_show_their_fields(
    world: World, anonymous: Api
) -> None:
    question, recommendation = _panel_contributions(world)
    body = anonymous.get(f"/contributions/{recommendation.pk}").json()
    assert body["kind"] == "panel_recommendation"
    assert body["panel_recommendation"]["title"] == "Open the park later"
    assert body["panel_recommendation"]["support_count"] == 1
    assert body["panel_question"] is None
    assert question.visibility == "published"
    shown = anonymous.get(f"/contributions/{question.pk}").json()
    assert shown["panel_question"] == {"panel": question.activity_id, "text": "Who owns the park?"}


def _weighting(world: World) -> Any:
    """A resident's weighting of a commissioning round's criteria in the world's service."""
    from coproduce.commissioning.tests.factories import make_criteria, make_round, make_weighting
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
    )
    round_ = make_round(activity=activity, staff=world.people["professional"])
    criteria = make_criteria(round_, world.people["professional"])
    return make_weighting(
        round_, {criteria[0].pk: 70, criteria[1].pk: 30}, person=world.people["resident"]
    )


def _finding(world: World) -> Any:
    """A concern found by a closed assessment of the world's service, with an improvement action."""
    import datetime as dt

    from django.utils import timezone

    from coproduce.assessment import actions_assessments, actions_findings
    from coproduce.assessment.models import Assessment
    from coproduce.assessment.tests.factories import make_framework
    from coproduce.services.actions import activity_transition
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    staff = world.people["professional"]
    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN
    )
    version = make_framework(world.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    finding = actions_findings.finding_add(
        assessment=Assessment.objects.get(pk=assessment.pk),
        by=staff,
        kind="concern",
        title="Late pick-ups",
        evidence="Half said they are picked up on time.",
        standards=list(version.standards.all()[:1]),
    )
    actions_findings.action_add(
        finding=finding,
        by=staff,
        description="Text when late",
        owner="Coordinator",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    return finding


def _standard_proposal(world: World) -> Any:
    """A resident's proposal for a new standard, made in an open user assessment of the world's
    service (directly, with the spine's contribution_start, as the proposal's own action will)."""
    from coproduce.assessment import actions_assessments
    from coproduce.assessment.models import (
        STANDARD_PROPOSAL,
        FrameworkVersion,
        StandardProposal,
        VersionStatus,
    )
    from coproduce.assessment.tests.factories import make_framework
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    staff = world.people["professional"]
    version = FrameworkVersion.objects.filter(
        framework_id=world.service.pk, status=VersionStatus.AGREED
    ).first() or make_framework(world.service, staff)
    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN
    )
    actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    text = "I can bring my wheelchair on every bus"
    contribution = spine_actions.contribution_start(
        activity=activity, kind=STANDARD_PROPOSAL, author=world.people["resident"], text=text
    )
    return StandardProposal.objects.create(
        contribution=contribution,
        framework_id=world.service.pk,
        standard=version.standards.first(),
        text=text,
        why="Twice this year the driver said there was no room.",
    )


def test_a_standard_proposal_shows_its_framework_and_standard(
    world: World, as_role: AsRole
) -> None:
    proposal = _standard_proposal(world)
    shown = as_role("anonymous").get(f"/contributions/{proposal.pk}").json()
    assert shown["kind"] == "standard_proposal"
    assert shown["standard_proposal"] == {
        "framework": world.service.slug,
        "standard": proposal.standard_id,
        "text": "I can bring my wheelchair on every bus",
        "why": "Twice this year the driver said there was no room.",
        "became": None,
    }
    assert shown["assessment_finding"] is None


def test_a_finding_shows_its_standards_and_actions(world: World, as_role: AsRole) -> None:
    finding = _finding(world)
    shown = as_role("anonymous").get(f"/contributions/{finding.pk}").json()
    assert shown["kind"] == "assessment_finding"
    detail = shown["assessment_finding"]
    assert detail["kind"] == "concern"
    assert detail["standards"] == [finding.standards.get().pk]
    assert [a["description"] for a in detail["actions"]] == ["Text when late"]
    assert detail["actions"][0]["overdue"] is False


def test_a_weighting_shows_its_points(world: World, as_role: AsRole) -> None:
    weighting = _weighting(world)
    shown = as_role("anonymous").get(f"/contributions/{weighting.pk}").json()
    assert shown["kind"] == "criteria_weighting"
    given = sorted(weighting.points.values_list("criterion_id", "points"))
    assert shown["criteria_weighting"] == {
        "round": weighting.round_id,
        "points": [{"criterion": pk, "points": points} for pk, points in given],
    }


def test_every_kind_is_answerable_through_the_api(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    from coproduce.governance.actions import question_ask
    from coproduce.governance.tests.factories import make_board, make_meeting

    api = as_role("professional")
    clerk = world.people["professional"]
    meeting = make_meeting(make_board(world.service, clerk), clerk)
    asked = question_ask(meeting=meeting, author=world.people["resident"], text="Parking?")
    proposal = _budget_proposal(world)
    statement = _opinion_statement(world)
    panel_question, recommendation = _panel_contributions(world)
    weighting = _weighting(world)
    finding = _finding(world)
    standard_proposal = _standard_proposal(world)
    for contribution in (
        loop.idea,
        loop.question,
        loop.asset,
        loop.story,
        loop.submission,
        asked,
        proposal.contribution,
        statement.contribution,
        panel_question,
        recommendation,
        weighting.contribution,
        finding.contribution,
        standard_proposal.contribution,
    ):
        response = api.post(f"/contributions/{contribution.pk}/responses", {"body": "Thank you."})
        assert response.status_code == 201, (contribution, response.content)
    kinds = set(
        Contribution.objects.filter(first_response_at__isnull=False).values_list("kind", flat=True)
    )
    assert kinds == set(ContributionKind) == {kind.code for kind in all_kinds()}
