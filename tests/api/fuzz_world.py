"""The world the API fuzzer reaches: the stand-in ids and slugs it draws, and the builders of the
objects they stand for (services, activities in every state, contributions of every kind and
moderation state, decisions, and each method's objects), each returning stand-in → real id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign.tests.factories import (
    CommentFactory,
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.contributions import actions as spine_actions
from coproduce.insight.tests.factories import (
    AssetFactory,
    NeedsSurveyFactory,
    StoryCollectionFactory,
    StoryFactory,
    SubmissionFactory,
)
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

# Slugs of what the world fixture creates: a published service and a draft of our organisation,
# a draft of another organisation (a 404 even to our staff), and both organisations.
SLUGS = [
    "youth-mental-health",
    "our-draft-service",
    "their-draft-service",
    "northfield-council",
    "southside-trust",
]
# Ids differ between databases (PostgreSQL sequences survive rollbacks), so the fuzzer draws
# these stand-ins and the test swaps in the real id before sending; see `test_schemathesis._use_world`.
ACTIVITY_STAND_INS = {
    1_000_001: ActivityState.DRAFT,
    1_000_002: ActivityState.OPEN,
    1_000_003: ActivityState.CLOSED,
    1_000_004: ActivityState.REPORTED,
}
# Beyond the needs surveys above: an open and a closed idea challenge, an open survey with
# questions and answers, an open story collection.
MORE_ACTIVITIES = [1_000_005, 1_000_006, 1_000_007, 1_000_008]
# Contributions (an idea's id is its contribution's): a published, a held, a hidden idea and
# one in the closed challenge; a question (a comment); an asset; a published and a held story;
# published answers.
CONTRIBUTIONS = list(range(2_000_001, 2_000_010))
DECISIONS = [3_000_001, 3_000_002, 3_000_003]  # ours, our draft service's, theirs (a draft)
CATEGORIES = [4_000_001]
BOARDS = [5_000_001]  # a board of the published service
MEETINGS = [6_000_001, 6_000_002]  # its public and its private meeting
# Participatory budgets: one in its voting phase, one with published results, one taking
# proposals, and another organisation's draft; the areas of the first two. Their projects are
# P1 to P4 (references are the same on both databases).
BUDGETS = [7_000_001, 7_000_002, 7_000_003, 7_000_004]
AREAS = [8_000_001, 8_000_002]
PROJECTS = ["P1", "P2", "P3", "P4"]
# Conversations (opinion maps): an open one with a computed map, a closed one, and another
# organisation's draft; the open one's statements: published, waiting for a moderator, hidden.
CONVERSATIONS = [9_000_001, 9_000_002, 9_000_003]
STATEMENTS = [9_100_001, 9_100_002, 9_100_003]
# Citizen panels: one registering, one selected (with a draw of replacements), one deliberating,
# and another organisation's draft; the deliberating one's recommendations: passed, not passed,
# and a draft.
PANELS = [9_200_001, 9_200_002, 9_200_003, 9_200_004]
RECOMMENDATIONS = [9_300_001, 9_300_002, 9_300_003]
# Outcome indicators: the published service's, measured by staff and reported by residents (with
# answers), our draft service's and another organisation's draft's.
INDICATORS = [9_400_001, 9_400_002, 9_400_003, 9_400_004]
# Commissioning rounds: an open one with criteria and a weighting, one with published weights, our
# draft service's draft and another organisation's draft; then one open for bids (our
# organisation's draft bid, with a commitment), one whose bids have closed (our bid and theirs,
# submitted) and one awarded. The open round's three criteria, then the bidding round's (two
# quality, one social value) and the indicator its social-value criterion serves.
ROUNDS = [9_500_001, 9_500_002, 9_500_003, 9_500_004, 9_500_005, 9_500_006, 9_500_007]
CRITERIA = [9_600_001, 9_600_002, 9_600_003, 9_600_004, 9_600_005, 9_600_006]
BID_INDICATORS = [9_650_001]
# Bids: ours in the bidding round (a draft), ours and theirs in the closed round, the winner.
BIDS = [9_700_001, 9_700_002, 9_700_003, 9_700_004]
COMMITMENTS = [9_800_001, 9_800_002]  # in the bidding round's bid and in the closed round's
# Assessments: a closed user assessment of the published service with results, a finding and an
# improvement action; a published peer review; a self-reflection with a draft report; a mystery
# shop; and a user assessment of another organisation's draft service.
ASSESSMENTS = [9_900_001, 9_900_002, 9_900_003, 9_900_004, 9_900_005]
# Entries of the public ledger: the decisions above and their links are recorded as they are made,
# numbered from 1 (the numbers are the ledger's own, the same on both databases).
ENTRIES = [1, 2, 3, 4, 5]


def loop_objects(
    ours: Any, published: Any, our_draft: Any, their_draft: Any, admin: Any
) -> dict[int, int]:
    """Contributions of every kind and state, and decisions: stand-in → real id."""
    author = UserFactory(email="fuzz-author@example.org", name="Robin Ashdown")
    moderator = MembershipFactory.create(organisation=ours, role=Role.FACILITATOR).user
    challenge = IdeaChallengeFactory(service=published, title="Ideas")
    idea = IdeaFactory(activity=challenge, author=author, author_display="named")
    held = IdeaFactory(activity=challenge, author=author, description="http://a http://b http://c")
    hidden = IdeaFactory(activity=challenge, author=author)
    spine_actions.moderation_hide(contribution=hidden.contribution, moderator=moderator)
    closed = IdeaChallengeFactory(service=published, title="Closed ideas")
    closed_idea = IdeaFactory(activity=closed, author=author)
    service_actions.activity_transition(activity=closed, to_state=ActivityState.CLOSED)
    survey = NeedsSurveyFactory(service=published, title="Survey")
    answers = SubmissionFactory(activity=survey, author=author, text="Evenings.")
    # Published, as a decision links only published contributions (decision 0129).
    spine_actions.moderation_approve(contribution=answers.contribution, moderator=moderator)
    stories = StoryCollectionFactory(service=published, title="Stories")
    story = StoryFactory(activity=stories, author=author)
    spine_actions.moderation_approve(contribution=story.contribution, moderator=moderator)
    contributions = [
        idea,
        held,
        hidden,
        closed_idea,
        CommentFactory(idea=idea, author=author, is_question=True),
        AssetFactory(activity=survey, author=author),
        story,
        StoryFactory(activity=stories, author=author),
        answers,
    ]
    theirs = MembershipFactory.create(organisation=their_draft.organisation, role=Role.ADMIN).user
    decisions = [
        spine_actions.decision_create(
            service=service,
            stage=service.current_stage,
            title="Decided",
            description="Because.",
            decided_by="The board",
            decided_on=timezone.localdate(),
            recorded_by=recorder,
            contributions=linked,
        )
        for service, recorder, linked in [
            (published, admin, [idea.contribution, answers.contribution]),
            (our_draft, admin, []),
            (their_draft, theirs, []),
        ]
    ]
    return {
        **dict(zip(MORE_ACTIVITIES, [challenge.pk, closed.pk, survey.pk, stories.pk], strict=True)),
        **dict(zip(CONTRIBUTIONS, [c.pk for c in contributions], strict=True)),
        **dict(zip(DECISIONS, [d.pk for d in decisions], strict=True)),
        CATEGORIES[0]: IdeaCategoryFactory(activity=challenge, name="Opening hours").pk,
    }


def governance_objects(published: Any, admin: Any) -> dict[int, int]:
    """A board with a member, and a public meeting with its agenda and a private one."""
    from coproduce.governance import actions as governance
    from coproduce.governance.tests.factories import make_board, make_meeting, make_member

    board = make_board(published, admin)
    make_member(board, admin)
    public = make_meeting(board, admin)
    governance.agenda_item_add(meeting=public, title="Welcome", added_by=admin)
    governance.agenda_publish(meeting=public, published_by=admin)
    private = make_meeting(board, admin, title="In camera", is_public=False)
    return {BOARDS[0]: board.pk, MEETINGS[0]: public.pk, MEETINGS[1]: private.pk}


def budget_objects(published: Any, their_draft: Any) -> dict[int, int]:
    """Budgets in their voting, results and proposals phases, and another organisation's draft
    budget; the areas of the first two."""
    from coproduce.budgeting import actions as budgeting
    from coproduce.budgeting.models import Phase
    from coproduce.budgeting.tests.factories import (
        close_and_count,
        make_budget,
        make_proposal,
        make_voting,
        vote,
    )

    def activity(service: Any, state: str = ActivityState.OPEN) -> Any:
        return ActivityFactory.create(
            service=service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=state
        )

    voting = make_voting(activity=activity(published), max_choices=3)
    counted = make_voting(activity=activity(published))
    vote(counted, counted.proposals[:2])
    vote(counted, counted.proposals[1:3])
    close_and_count(counted)
    budgeting.phase_set(budget=counted.budget, by=counted.staff, phase=Phase.RESULTS)
    proposals = make_budget(activity=activity(published))
    make_proposal(proposals, feasibility=None)
    theirs = make_budget(activity=activity(their_draft, ActivityState.DRAFT))
    budgets = [voting, counted, proposals, theirs]
    return {
        **dict(zip(BUDGETS, [setup.budget.pk for setup in budgets], strict=True)),
        **dict(zip(AREAS, [voting.area.pk, counted.area.pk], strict=True)),
    }


def conversation_objects(published: Any, their_draft: Any) -> dict[int, int]:
    """An open conversation with votes and a computed map, a closed one and another
    organisation's draft; the open one's published, pending and hidden statements."""
    from coproduce.conversations import actions as conversing
    from coproduce.conversations import tasks
    from coproduce.conversations.models import Moderation
    from coproduce.conversations.tests.factories import make_conversation

    def conversation(service: Any, state: str) -> Any:
        made = make_conversation(seeds=1, state=state, service=service, moderation=Moderation.PRE)
        return made.conversation, made.staff

    (open_, staff), (closed, _), (theirs, _) = (
        conversation(published, ActivityState.OPEN),
        conversation(published, ActivityState.CLOSED),
        conversation(their_draft, ActivityState.DRAFT),
    )
    seed = open_.statements.get()
    voters = [
        conversing.participant_get_or_create(conversation=open_, user=UserFactory())
        for _ in range(6)
    ]
    pending = conversing.statement_add(
        conversation=open_, text="More lights", participant=voters[0]
    )
    hidden = conversing.statement_add(conversation=open_, text="Less noise", participant=voters[1])
    conversing.statement_moderate(statement=hidden, by=staff, decision="reject", reason="Off topic")
    for index, voter in enumerate(voters):
        conversing.vote_cast(participant=voter, statement=seed, value=1 if index % 2 else -1)
    tasks.forget()
    tasks.run_map(open_.pk)
    return {
        **dict(zip(CONVERSATIONS, [open_.pk, closed.pk, theirs.pk], strict=True)),
        **dict(zip(STATEMENTS, [seed.pk, pending.pk, hidden.pk], strict=True)),
    }


def panel_objects(published: Any, their_draft: Any, admin: Any) -> dict[int, int]:
    """Panels registering, selected (with replacements drawn), deliberating and another
    organisation's draft, with registrants; the deliberating one's recommendations."""
    from coproduce.panels import actions_deliberation, actions_selection
    from coproduce.panels.models import Phase, Registrant
    from coproduce.panels.tasks import run_selection
    from coproduce.panels.tests.factories import advance, make_panel, register, small_pool

    def panel(service: Any, phase: str, state: str = ActivityState.OPEN) -> Any:
        activity = ActivityFactory.create(
            service=service, kind=ActivityKind.CITIZEN_PANEL, state=state
        )
        setup = make_panel(
            activity=activity,
            staff=admin if service == published else None,
            phase=Phase.REGISTRATION,
            allow_volunteers=True,
        )
        for answers in small_pool():
            register(setup, answers)
        advance(setup, phase)
        return setup

    registering = panel(published, Phase.REGISTRATION)
    selected = panel(published, Phase.SELECTION)
    committed = actions_selection.seed_commit(panel=selected.panel, by=admin, seed=42)
    first = run_selection(committed.pk)
    assert first is not None
    leaving = Registrant.objects.get(pk=first.members[0])
    actions_selection.registrant_respond(registrant=leaving, by=admin, confirm=False)
    run_selection(actions_selection.replacements_commit(selection=first, by=admin, seed=7).pk)
    deliberating = panel(published, Phase.DELIBERATION)
    member = UserFactory()
    actions_deliberation.member_add(panel=deliberating.panel, by=admin, email=member.email)
    passed, failed = (
        actions_deliberation.recommendation_draft(
            panel=deliberating.panel, by=member, title=title, text="Because."
        )
        for title in ("Open later", "Close on Mondays")
    )
    actions_deliberation.voting_open(panel=deliberating.panel, by=admin)
    actions_deliberation.vote_cast(recommendation=passed, by=member, supports=True)
    actions_deliberation.vote_cast(recommendation=failed, by=member, supports=False)
    actions_deliberation.voting_close(panel=deliberating.panel, by=admin)
    draft = actions_deliberation.recommendation_draft(
        panel=deliberating.panel, by=member, title="More benches", text="In the park."
    )
    theirs = panel(their_draft, Phase.REGISTRATION, ActivityState.DRAFT)
    panels = [registering, selected, deliberating, theirs]
    return {
        **dict(zip(PANELS, [setup.panel.pk for setup in panels], strict=True)),
        **dict(zip(RECOMMENDATIONS, [passed.pk, failed.pk, draft.pk], strict=True)),
    }


def outcome_objects(published: Any, our_draft: Any, their_draft: Any, admin: Any) -> dict[int, int]:
    """Frameworks of the published service (an indicator staff measure, with values, and one
    residents report, with answers), of our draft service and of another organisation's draft."""
    import datetime as dt
    from decimal import Decimal

    from coproduce.outcomes import actions as outcomes
    from coproduce.outcomes.tests.factories import (
        keeper_of,
        make_check_indicator,
        make_indicator,
        make_outcome,
    )

    outcome = make_outcome(published, admin)
    measured = make_indicator(outcome, admin)
    for days_ago, value in ((60, "45"), (10, "52.5")):
        outcomes.measurement_record(
            indicator=measured,
            by=admin,
            measured_on=timezone.localdate() - dt.timedelta(days=days_ago),
            value=Decimal(value),
        )
    checked = make_check_indicator(outcome, admin)
    outcomes.check_answer(indicator=checked, respondent=UserFactory(), rating=4)
    ours = make_indicator(make_outcome(our_draft, admin), admin)
    keeper = keeper_of(their_draft)
    theirs = make_indicator(make_outcome(their_draft, keeper), keeper)
    return dict(zip(INDICATORS, [measured.pk, checked.pk, ours.pk, theirs.pk], strict=True))


def commissioning_objects(
    published: Any, our_draft: Any, their_draft: Any, admin: Any
) -> dict[int, int]:
    """Rounds of the published service (open, with criteria and a weighting; and one with its
    weights published), of our draft service and of another organisation's draft."""
    from coproduce.commissioning import actions as commissioning
    from coproduce.commissioning.tests.factories import (
        keeper_of,
        make_criteria,
        make_round,
        make_weighting,
    )

    def activity(service: Any, state: str) -> Any:
        return ActivityFactory.create(
            service=service, kind=ActivityKind.COMMISSIONING_ROUND, state=state
        )

    open_round = make_round(activity(published, ActivityState.OPEN), admin)
    criteria = make_criteria(open_round, admin)
    make_weighting(open_round, {criteria[0].pk: 60, criteria[1].pk: 40})
    published_round = make_round(activity(published, ActivityState.OPEN), admin)
    weighed = make_criteria(published_round, admin)
    make_weighting(published_round, {weighed[2].pk: 100})
    commissioning.weights_publish(round_=published_round, by=admin)
    ours = make_round(activity(our_draft, ActivityState.DRAFT), admin)
    theirs_activity = activity(their_draft, ActivityState.DRAFT)
    theirs = make_round(theirs_activity, keeper_of(their_draft))
    rounds = [open_round, published_round, ours, theirs]
    bidding = bidding_objects(published, admin, activity)
    return {
        **dict(zip(ROUNDS, [r.pk for r in rounds] + bidding.pop("rounds"), strict=True)),
        **dict(zip(CRITERIA, [c.pk for c in criteria] + bidding.pop("criteria"), strict=True)),
        **bidding,
    }


def bidding_objects(
    published: Any, admin: Any, activity: Callable[[Any, str], Any]
) -> dict[Any, Any]:
    """Rounds of the published service open for bids, with bids closed, and awarded: our
    organisation (the administrator's) bids in each, the other organisation in the last two."""
    from decimal import Decimal

    from coproduce.commissioning import actions_award, actions_bids, actions_evaluation
    from coproduce.commissioning.models import Bid, CriterionKind
    from coproduce.commissioning.tests.factories import make_round
    from coproduce.commissioning.tests.factories_bids import (
        close_bids,
        make_bid,
        make_bidder,
        ready_round,
    )

    made = []
    for _which in ("bidding", "closed", "awarded"):
        round_ = ready_round(make_round(activity(published, ActivityState.OPEN), admin))
        ours = make_bid(round_, admin, published.organisation, submit=_which != "bidding")
        social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
        commitment = actions_bids.commitment_add(
            bid=ours,
            by=admin,
            criterion=social,
            indicator=social.indicators.get(),
            quantity=Decimal(12),
            description="12 local young people employed",
        )
        theirs = None if _which == "bidding" else make_bid(round_, *make_bidder())
        if _which != "bidding":
            round_ = close_bids(round_)
        if _which == "awarded":
            for bid in Bid.objects.filter(round=round_):
                actions_evaluation.agreed_scores_save(
                    bid=bid,
                    by=admin,
                    agreed={
                        c.pk: actions_evaluation.Given(4, "Agreed.") for c in round_.criteria.all()
                    },
                )
            actions_award.award_make(
                round_=round_,
                by=admin,
                bid=Bid.objects.get(pk=ours.pk),
                reasons="The best plan.",
                feedback={bid.pk: "Thank you." for bid in Bid.objects.filter(round=round_)},
            )
        made.append((round_, ours, theirs, commitment, social))
    (bidding, bid, _, commitment, social), (closed, closed_bid, their_bid, closed_commitment, _) = (
        made[0],
        made[1],
    )
    awarded, won = made[2][0], made[2][1]
    assert their_bid is not None  # a closed round has another bidder's bid
    return {
        "rounds": [bidding.pk, closed.pk, awarded.pk],
        "criteria": [c.pk for c in bidding.criteria.all()],
        BID_INDICATORS[0]: social.indicators.get().pk,
        **dict(zip(BIDS, [bid.pk, closed_bid.pk, their_bid.pk, won.pk], strict=True)),
        **dict(zip(COMMITMENTS, [commitment.pk, closed_commitment.pk], strict=True)),
    }


def assessment_objects(published: Any, their_draft: Any, admin: Any) -> dict[int, int]:
    """Assessments of every method of the published service (see ASSESSMENTS), with the
    standards, ratings, findings and actions their operations show; and another organisation's
    draft's."""
    import datetime as dt

    from coproduce.assessment import actions_findings, actions_report
    from coproduce.assessment.models import Assessment
    from coproduce.assessment.tests.factories import keeper_of, make_framework
    from coproduce.assessment.tests.factories_report import (
        add_assessor,
        every,
        make_team_assessment,
        user_assessment,
    )

    version = make_framework(published, admin)
    lineages = list(version.standards.values_list("lineage", flat=True))
    user = Assessment.objects.get(
        pk=user_assessment(
            published, {lineages[0]: [5, 4, 4, 3, 5, 2], lineages[1]: [5, 4]}, version=version
        ).pk
    )
    finding = actions_findings.finding_add(
        assessment=user, by=admin, kind="concern", title="Phones", evidence="Slow to answer."
    )
    actions_findings.action_add(
        finding=finding,
        by=admin,
        description="A second line",
        owner="Manager",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    peer, _staff = make_team_assessment("peer_review", service=published, version=version)
    lead = add_assessor(peer, lead=True, ratings=[4] * len(lineages))
    add_assessor(peer, ratings=[3] * len(lineages))
    actions_report.report_save(
        assessment=peer, by=lead.person, ratings=every(peer, 4), summary="Kind drivers."
    )
    actions_report.report_publish(assessment=Assessment.objects.get(pk=peer.pk), by=lead.person)
    reflection, staff = make_team_assessment("self_reflection", service=published, version=version)
    actions_report.report_save(
        assessment=reflection, by=staff, ratings=every(reflection, 5), summary="Our view."
    )
    shop, _staff = make_team_assessment("mystery_shop", service=published, version=version)
    make_framework(their_draft, keeper_of(their_draft))
    theirs = user_assessment(their_draft, {}, close=False)
    made = [user, peer, reflection, shop, theirs]
    return dict(zip(ASSESSMENTS, [a.pk for a in made], strict=True))
