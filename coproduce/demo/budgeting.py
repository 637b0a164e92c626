"""The participatory-budget chapter of the demo: young people decided, and the streets are next.

The youth mental health service ran "Young people decide: £250,000 for mental health". Its ideas
came from an earlier idea challenge (the four most supported were brought forward, keeping their
authors) and from young people's own proposals; every proposal had its feasibility answer (one
at a changed cost, one merged, two not feasible). 320 young people voted: online with an account,
with a voting code handed out at school, or on paper (typed twice by two staff; one typing that
did not match was taken back and typed again). Voting closed a few days ago; the ballots were
counted with the Method of Equal Shares, the results published and every proposal answered, and
the funded projects are being delivered (one planned, one in progress, one delivered).

The neighbourhood police team's "Safer streets fund" is open now: residents of the NF1 to NF4
postcode districts choose projects up to £50,000 (projects on a map), a couple of dozen have
voted, and one paper ballot waits for staff because its two typings differ.

Everything goes through the actions; what happened in the past is then dated back to when it
happened (as the other chapters do). Voter accounts are made in bulk, without passwords, to keep
seeding quick. Running it twice changes nothing. The people, ideas and proposals are in
budgeting_content.py; this module seeds them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db.models import Max, Min
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import DEFAULT_PASSWORD
from coproduce.budgeting import actions, actions_voting
from coproduce.budgeting.models import (
    Ballot,
    BallotType,
    Budget,
    Count,
    DeliveryUpdate,
    Feasibility,
    PaperEntry,
    Phase,
    Proposal,
    Rule,
)
from coproduce.budgeting.tasks import run_count
from coproduce.codesign import actions as codesign_actions
from coproduce.codesign import spam
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions.actions import response_create
from coproduce.contributions.models import Contribution, Response
from coproduce.demo.budgeting_content import (
    BROUGHT_FORWARD_REVIEWS,
    CLUSTERS,
    DELIVERY_NOTES,
    EARLIER_IDEAS,
    NEIGHBOURS,
    OPEN_PROPOSALS,
    YOUNG_PEOPLE,
    YOUTH_PROPOSALS,
)
from coproduce.demo.cast import resident
from coproduce.insight.tests.factories import open_for_seeding
from coproduce.services import actions as service_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory

YOUTH = "youth-mental-health-support"
YOUTH_BUDGET = "Young people decide: £250,000 for mental health"
YOUTH_AREA = "Northfield and Eastvale"
EARLIER_CHALLENGE = "Ideas for the young people's budget"
POLICING = "neighbourhood-policing-in-northfield"
OPEN_BUDGET = "Safer streets fund: you choose how £50,000 is spent"
OPEN_AREA = "Northfield town centre and Westbrook"
POSTCODES = "NF1 NF2 NF3 NF4"  # the demo's Northfield postcode districts (decision 0605)
MISMATCH = "S-0003"  # the open budget's paper ballot whose two typings differ

YOUTH_ADMIN = "grace.obi@nhs-northfield.example"
YOUTH_STAFF = "sam.reid@nhs-northfield.example"
POLICE_ADMIN = "insp.jones@police-eastvale.example"
POLICE_STAFF = "pc.ali@police-eastvale.example"

# How many young people voted, and how.
ONLINE = 250
BY_CODE = 40
ON_PAPER = 30
CHANGED = 18  # online voters who changed their ballot before voting closed
OPEN_VOTERS = 24

# The invented town's middle (no real place is meant); map points sit around it.
CENTRE = (Decimal("52.98100"), Decimal("-1.71400"))

# Days before today.
CHALLENGE_OPENED, CHALLENGE_CLOSED = 125, 95
BUDGET_OPENED = 90
PROPOSALS_CLOSED = 62
REVIEWED = 50
VOTING_OPENED, VOTING_CLOSED = 40, 6
COUNTED = 5
PUBLISHED = 4


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def _at(days_ago: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(_day(days_ago), dt.time(hour, minute))
    return min(timezone.make_aware(moment), timezone.now() - dt.timedelta(hours=1))


# --- People --------------------------------------------------------------------------------------


def _residents(people: dict[str, User], specs: Sequence[tuple[str, str]]) -> None:
    """Accounts for the people who proposed, made in bulk with one hash of the demo password (a
    hash each would take a second apiece); they can sign in like every demo account."""
    have = set(
        User.objects.filter(email__in=[e for e, _n in specs]).values_list("email", flat=True)
    )
    missing = [(email, name) for email, name in specs if email not in have]
    if missing:
        password = make_password(DEFAULT_PASSWORD)
        made = User.objects.bulk_create(
            User(email=email, name=name, password=password) for email, name in missing
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in User.objects.filter(email__in=[u.email for u in made])
        )
    for user in User.objects.filter(email__in=[e for e, _n in specs]):
        people.setdefault(user.email, user)


def _voters(prefix: str, count: int) -> list[User]:
    """Accounts for the people who voted, made in bulk: they cannot sign in (no password)."""
    emails = [f"{prefix}{n:03d}@voters.northfield.example" for n in range(1, count + 1)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=email, name="", password=unusable) for email in emails if email not in have
    )
    by_email = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


# --- Dating what happened ------------------------------------------------------------------------


def _date_contribution(contribution: Contribution, moment: dt.datetime) -> None:
    Contribution.objects.filter(pk=contribution.pk).update(created_at=moment)


def _date_last_answer(contribution: Contribution, moment: dt.datetime) -> None:
    """Date the newest official answer of ``contribution``, and its first and last answer times."""
    latest = Response.objects.filter(contribution=contribution).order_by("-pk").first()
    if latest is not None:
        Response.objects.filter(pk=latest.pk).update(created_at=moment)
    times = Response.objects.filter(contribution=contribution).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    Contribution.objects.filter(pk=contribution.pk).update(
        first_response_at=times["first"], last_response_at=times["last"]
    )


# --- The earlier idea challenge ------------------------------------------------------------------


def _earlier_challenge(
    service: Service, people: dict[str, User], supporters: Sequence[User]
) -> Activity:
    """The idea challenge whose most supported ideas became proposals (it closed months ago)."""
    existing = Activity.objects.filter(service_stage__service=service, title=EARLIER_CHALLENGE)
    if existing.exists():
        return existing.get()
    challenge = IdeaChallengeFactory(
        service=service,
        title=EARLIER_CHALLENGE,
        summary="Young people suggested what the £250,000 should pay for, and supported each "
        "other's ideas. The most supported ideas went forward to the young people's budget vote.",
        how_to_take_part="Young people posted ideas and supported the ones they liked, or told a "
        "youth worker at any youth club.",
        opens_on=_day(CHALLENGE_OPENED),
        closes_on=_day(CHALLENGE_CLOSED),
    )
    with open_for_seeding(challenge):
        for index, (email, title, description, backers, _then) in enumerate(EARLIER_IDEAS):
            idea = IdeaFactory(
                activity=challenge,
                author=resident(people, email),
                title=title,
                description=description,
            )
            _date_contribution(idea.contribution, _at(CHALLENGE_OPENED - 2 - 3 * index, 16))
            for supporter in supporters[index * 20 : index * 20 + backers]:
                codesign_actions.support_add(idea=idea, user=supporter)
            if index == 1:
                comment = CommentFactory(
                    idea=idea,
                    author=resident(people, "owen.davies@example.org"),
                    body="Please have one in Eastvale too, not only in the town centre.",
                )
                _date_contribution(comment.contribution, _at(CHALLENGE_OPENED - 6, 19))
    cache.delete_many([spam.vote_rate_key(person) for person in supporters])
    service_actions.activity_transition(activity=challenge, to_state=ActivityState.CLOSED)
    service_actions.activity_transition(
        activity=challenge,
        to_state=ActivityState.REPORTED,
        outcome="Young people posted six ideas and gave them 70 supports. The four most supported "
        "went forward to the young people's budget vote as proposals.",
    )
    return Activity.objects.get(pk=challenge.pk)


# --- The youth budget ----------------------------------------------------------------------------


def _choices(rng: random.Random, by_title: dict[str, Proposal], most: int) -> dict[int, int]:
    """One young person's ballot: the projects their group likes, at most ``most`` of them."""
    roll, group = rng.random(), CLUSTERS[-1][1]
    for weight, likes in CLUSTERS:
        if roll < weight:
            group = likes
            break
        roll -= weight
    chosen = [title for title, chance in group.items() if rng.random() < chance]
    if rng.random() < 0.3:  # something from outside their group
        chosen.append(rng.choice(sorted(by_title)))
    if not chosen:
        chosen = [max(group, key=lambda title: group[title])]
    chosen = list(dict.fromkeys(chosen))
    rng.shuffle(chosen)
    return {by_title[title].pk: 1 for title in chosen[:most]}


def _youth_budget(people: dict[str, User]) -> None:
    service = Service.objects.filter(slug=YOUTH).first()
    if service is None:
        return
    activity = Activity.objects.filter(service_stage__service=service, title=YOUTH_BUDGET).first()
    if activity is None or Budget.objects.filter(activity=activity).exists():
        return
    admin, staff = people[YOUTH_ADMIN], people[YOUTH_STAFF]
    _residents(people, YOUNG_PEOPLE)
    voters = _voters("young", ONLINE)
    challenge = _earlier_challenge(service, people, voters)

    budget = actions.budget_create(
        activity=activity,
        by=admin,
        areas=[(YOUTH_AREA, 250_000)],
        ballot_type=BallotType.APPROVAL,
        min_choices=1,
        max_choices=4,
        rule=Rule.MES,
        accounts_may_vote=True,
        codes_may_vote=True,
        min_age=11,
        proposals_close_on=_day(PROPOSALS_CLOSED),
        voting_opens_on=_day(VOTING_OPENED),
        voting_closes_on=_day(VOTING_CLOSED),
        results_on=_day(PUBLISHED),
    )
    area = budget.areas.get()

    # Proposals: the challenge's most supported ideas first, then young people's own.
    ideas = Contribution.objects.filter(activity=challenge, kind="idea").order_by("pk")
    proposals: list[Proposal] = []
    for (_email, _title, _text, _backers, then), idea in zip(EARLIER_IDEAS, ideas, strict=True):
        when = _at(BUDGET_OPENED - 2, 11)
        if isinstance(then, int):
            proposal = actions.proposal_bring_forward(
                budget=budget, by=staff, idea=idea, area=area, estimated_cost=then
            )
            _date_contribution(proposal.contribution, when)
            proposals.append(proposal)
        elif then:
            response_create(contribution=idea, author=staff, body=then)
        _date_last_answer(idea, when)
    for index, (email, title, description, cost, _review) in enumerate(YOUTH_PROPOSALS):
        proposal = actions.proposal_create(
            budget=budget,
            author=resident(people, email),
            area=area,
            title=title,
            description=description,
            estimated_cost=cost,
        )
        _date_contribution(proposal.contribution, _at(BUDGET_OPENED - 3 - 2 * index, 17))
        proposals.append(proposal)

    # The feasibility review answers every proposal (merged ones after the one they joined).
    actions.phase_set(budget=budget, by=admin, phase=Phase.REVIEW)
    by_title = {proposal.title: proposal for proposal in proposals}
    reviews = {title: review for _e, title, _d, _c, review in YOUTH_PROPOSALS}
    reviews.update(BROUGHT_FORWARD_REVIEWS)
    ordered = sorted(proposals, key=lambda p: reviews.get(p.title, ("",))[0] == Feasibility.MERGED)
    for index, proposal in enumerate(ordered):
        feasibility, reason, extra = reviews.get(proposal.title, (Feasibility.FEASIBLE, "", None))
        actions.proposal_review(
            proposal=proposal,
            by=staff,
            feasibility=feasibility,
            reason=reason,
            cost=extra if isinstance(extra, int) else None,
            merged_into=by_title[extra] if isinstance(extra, str) else None,
        )
        _date_last_answer(proposal.contribution, _at(REVIEWED + 4 - index // 4, 15))
    actions.phase_set(budget=budget, by=admin, phase=Phase.VOTING)

    # Voting: online, with codes handed out at school, and on paper typed twice.
    rng = random.Random(2026)  # noqa: S311 (made-up votes, the same every time)
    on_ballot = {p.title: p for p in budget.proposals.on_ballot()}
    span = VOTING_OPENED - VOTING_CLOSED
    cast_at: dict[int, dt.datetime] = {}
    postcodes = ["NF1 4QT", "NF2 7AB", "NF3 1JD", "NF4 9LD", "EV1 3PL", "EV3 2HS"]
    for index, voter in enumerate(voters):
        cast = actions_voting.ballot_cast(
            budget=budget,
            area=area,
            choices=_choices(rng, on_ballot, 4),
            voter=voter,
            postcode=postcodes[index % len(postcodes)],
            age_confirmed=True,
        )
        cast_at[cast.ballot.pk] = _at(VOTING_OPENED - span * index // ONLINE, 8 + index % 12)
    for index, voter in enumerate(voters[:CHANGED]):
        cast = actions_voting.ballot_cast(
            budget=budget,
            area=area,
            choices=_choices(rng, on_ballot, 4),
            voter=voter,
            postcode=postcodes[index % len(postcodes)],
            age_confirmed=True,
        )
        cast_at[cast.ballot.pk] = _at(VOTING_CLOSED + 2, 20)
    for raw in actions_voting.codes_generate(budget=budget, by=admin, count=BY_CODE + 20)[:BY_CODE]:
        cast = actions_voting.ballot_cast(
            budget=budget,
            area=area,
            choices=_choices(rng, on_ballot, 4),
            code=actions_voting.code_find(budget, raw),
            age_confirmed=True,
        )
        cast_at[cast.ballot.pk] = _at(VOTING_CLOSED + 3 + rng.randrange(20), 13)
    for number in range(1, ON_PAPER + 1):
        reference = f"Y-{number:04d}"
        choices = _choices(rng, on_ballot, 4)
        actions_voting.paper_entry_add(
            budget=budget, by=staff, paper_reference=reference, area=area, choices=choices
        )
        if number == 7:
            # Grace misread this one; the mismatch was listed, she took hers back and retyped it.
            wrong = dict.fromkeys([p.pk for p in on_ballot.values() if p.pk not in choices][:1], 1)
            mistyped = actions_voting.paper_entry_add(
                budget=budget, by=admin, paper_reference=reference, area=area, choices=wrong
            )
            assert mistyped.mismatch
            actions_voting.paper_entry_delete(entry=mistyped.entry, by=admin)
        result = actions_voting.paper_entry_add(
            budget=budget, by=admin, paper_reference=reference, area=area, choices=choices
        )
        assert result.ballot is not None
        cast_at[result.ballot.pk] = _at(VOTING_CLOSED - 1, 10 + number % 6)
    for pk, moment in cast_at.items():
        Ballot.objects.filter(pk=pk).update(created_at=moment, updated_at=moment)
    PaperEntry.objects.filter(budget=budget).update(entered_at=_at(VOTING_CLOSED - 1, 12))

    # Counting, then the results and delivery.
    actions.phase_set(budget=budget, by=admin, phase=Phase.COUNTING)
    count = actions_voting.count_start(budget=budget, by=admin)
    run_count(count.pk)
    Count.objects.filter(pk=count.pk).update(
        requested_at=_at(COUNTED, 9), started_at=_at(COUNTED, 9), finished_at=_at(COUNTED, 9, 1)
    )
    actions.phase_set(budget=budget, by=admin, phase=Phase.RESULTS)
    actions.phase_set(budget=budget, by=admin, phase=Phase.DELIVERY)
    for proposal in budget.proposals.on_ballot():
        _date_last_answer(proposal.contribution, _at(PUBLISHED, 12))
    DeliveryUpdate.objects.filter(proposal__budget=budget).update(on=_day(PUBLISHED))
    funded = budget.proposals.exclude(delivery_status="")
    for proposal in funded:
        if proposal.title not in DELIVERY_NOTES:
            continue
        status, note, days_ago = DELIVERY_NOTES[proposal.title]
        actions.delivery_update_add(
            proposal=proposal, by=staff, status=status, note=note, on=_day(days_ago)
        )
        _date_last_answer(proposal.contribution, _at(days_ago, 16))

    # The activity: voting closed, the result reported.
    counted = Count.objects.get(pk=count.pk)
    spent = sum(area["cost"] for area in counted.result["areas"])
    service_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    service_actions.activity_transition(
        activity=activity,
        to_state=ActivityState.REPORTED,
        outcome=f"{counted.ballot_count} young people voted. {funded.count()} projects are "
        f"funded, costing £{spent:,} in all, and are being delivered. The results show the votes "
        "for every project and why the others were not funded.",
    )


# --- The open budget -----------------------------------------------------------------------------


def _open_budget(people: dict[str, User]) -> None:
    service = Service.objects.filter(slug=POLICING).first()
    if (
        service is None
        or Activity.objects.filter(service_stage__service=service, title=OPEN_BUDGET).exists()
    ):
        return
    admin, staff = people[POLICE_ADMIN], people[POLICE_STAFF]
    _residents(people, NEIGHBOURS)
    activity = ActivityFactory(
        service=service,
        kind=ActivityKind.PARTICIPATORY_BUDGET,
        state=ActivityState.OPEN,
        title=OPEN_BUDGET,
        summary="Residents proposed projects to make the town centre and Westbrook safer. Choose "
        "the ones you want, up to £50,000 in total: the money goes where residents decide.",
        how_to_take_part="If you live in Northfield (postcodes NF1 to NF4), vote with your "
        "account, or fill in a paper ballot at Northfield library or the police front counter "
        "on Market Street.",
        opens_on=_day(45),
        closes_on=timezone.localdate() + dt.timedelta(days=20),
    )
    budget = actions.budget_create(
        activity=activity,
        by=admin,
        areas=[(OPEN_AREA, 50_000)],
        ballot_type=BallotType.KNAPSACK,
        min_choices=1,
        rule=Rule.MES,
        accounts_may_vote=True,
        codes_may_vote=False,
        postcode_prefixes=POSTCODES,
        proposals_close_on=_day(25),
        voting_opens_on=_day(10),
        voting_closes_on=timezone.localdate() + dt.timedelta(days=20),
    )
    area = budget.areas.get()
    proposals = []
    for index, (email, title, description, cost, place, review) in enumerate(OPEN_PROPOSALS):
        latitude = longitude = None
        if place is not None:
            latitude = float(CENTRE[0] + Decimal(place[0]) / 1000)
            longitude = float(CENTRE[1] + Decimal(place[1]) / 1000)
        proposal = actions.proposal_create(
            budget=budget,
            author=resident(people, email),
            area=area,
            title=title,
            description=description,
            estimated_cost=cost,
            latitude=latitude,
            longitude=longitude,
        )
        _date_contribution(proposal.contribution, _at(43 - 2 * index, 18))
        proposals.append((proposal, review))
    actions.phase_set(budget=budget, by=admin, phase=Phase.REVIEW)
    for index, (proposal, (feasibility, reason, new_cost)) in enumerate(proposals):
        actions.proposal_review(
            proposal=proposal, by=staff, feasibility=feasibility, reason=reason, cost=new_cost
        )
        _date_last_answer(proposal.contribution, _at(18 - index // 3, 11))
    actions.phase_set(budget=budget, by=admin, phase=Phase.VOTING)

    rng = random.Random(50_000)  # noqa: S311 (made-up votes, the same every time)
    options = list(budget.proposals.on_ballot())
    for index, voter in enumerate(_voters("neighbour", OPEN_VOTERS)):
        chosen: dict[int, int] = {}
        spent = 0
        for proposal in rng.sample(options, len(options)):
            if rng.random() < 0.6 and spent + proposal.ballot_cost <= area.amount:
                chosen[proposal.pk] = 1
                spent += proposal.ballot_cost
        chosen = chosen or {options[0].pk: 1}
        cast = actions_voting.ballot_cast(
            budget=budget,
            area=area,
            choices=chosen,
            voter=voter,
            postcode=f"NF{1 + index % 4} {1 + index % 9}AB",
        )
        moment = _at(9 - index * 9 // OPEN_VOTERS, 9 + index % 11)
        Ballot.objects.filter(pk=cast.ballot.pk).update(created_at=moment, updated_at=moment)
    # Paper ballots from the library: two match; the third's typings differ and wait for staff.
    first, second, third = options[0], options[1], options[2]
    for reference, choices, other in [
        ("S-0001", {first.pk: 1, third.pk: 1}, None),
        ("S-0002", {second.pk: 1}, None),
        (MISMATCH, {first.pk: 1, second.pk: 1}, {first.pk: 1, third.pk: 1}),
    ]:
        actions_voting.paper_entry_add(
            budget=budget, by=staff, paper_reference=reference, area=area, choices=choices
        )
        actions_voting.paper_entry_add(
            budget=budget, by=admin, paper_reference=reference, area=area, choices=other or choices
        )
    PaperEntry.objects.filter(budget=budget).update(entered_at=_at(2, 14))
    Ballot.objects.filter(budget=budget, paper_reference__gt="").update(
        created_at=_at(2, 14), updated_at=_at(2, 14)
    )


def seed_budgeting(people: dict[str, User]) -> None:
    """The young people's budget (closed, counted, in delivery) and the open safer streets fund."""
    _youth_budget(people)
    _open_budget(people)
