"""The bids, evaluation and award of the demo's main commissioning round.

Three organisations bid for "Young people's mental health support 2027–2030" while bids were
open: the NHS trust's in-house children's team, a consortium of local youth charities and a
private provider. Two of their questions were answered for everyone. Bids closed twelve days ago.
Two young residents evaluated: Priya Sharma declared no interest; Dave Morgan declared that he
volunteers with one of the consortium's charities, so he did not score its bid. Sam Reid chose
them, chaired the moderation and made the award today, so its standstill period is running.
The consortium's bidder (Ruth Evans) can sign in to read her scores and feedback.

Everything goes through the commissioning actions in the order it happened (bids while bids were
open, then the deadline passes, then the evaluation); dates are then moved back, except the
award's: it is in the public ledger (as the panels' draws are), so it was made today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions_award, actions_bids, actions_evaluation
from coproduce.commissioning.models import (
    AgreedScore,
    Bid,
    BidAccess,
    Clarification,
    CriterionKind,
    Declaration,
    Evaluator,
    EvaluatorRole,
    Round,
    Score,
)
from coproduce.commissioning.queries_evaluation import opened_prices, results
from coproduce.organisations.models import Organisation, Role, Sector
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory


@dataclass(frozen=True)
class Bidder:
    organisation: str
    sector: str
    email: str
    name: str
    job_title: str
    price: str
    summary: str
    # Agreed scores, in the round's criteria order (three quality, three social value).
    agreed: tuple[int, ...]
    # Social-value commitments: (criterion, quantity, what is promised).
    commitments: tuple[tuple[str, str, str], ...]


BIDDERS = (
    Bidder(
        "Northfield and Eastvale NHS Children's Mental Health Team",
        Sector.NHS,
        "nadia.hussain@cyp.nhs-northfield.example",
        "Nadia Hussain",
        "Service Manager",
        "1140000",
        "The trust's in-house children's team, running the service as it does today with "
        "two more clinicians and a single waiting list for both boroughs.",
        (3, 4, 5, 2, 3, 3),
        (("Jobs for local young people", "6", "6 young people from the two boroughs employed"),),
    ),
    Bidder(
        "Northfield Youth Wellbeing Consortium",
        Sector.CHARITY,
        "ruth.evans@youthwellbeing.example",
        "Ruth Evans",
        "Consortium Lead",
        "1080000",
        "Three local youth charities led by Northfield Community Action: drop-in hubs in both "
        "boroughs, peer supporters trained and paid, and clinical support bought from the trust.",
        (4, 5, 4, 5, 4, 5),
        (
            (
                "Jobs for local young people",
                "14",
                "14 local young people employed as peer supporters",
            ),
            ("Money spent locally", "45000", "£45,000 a quarter spent with local suppliers"),
        ),
    ),
    Bidder(
        "Meridian Health Partners Ltd",
        Sector.PRIVATE_PROVIDER,
        "james.cole@meridianhealth.example",
        "James Cole",
        "Bid Manager",
        "960000",
        "A national provider of online therapy: appointments within two weeks by video, with a "
        "clinic room in Northfield one day a week.",
        (4, 3, 4, 1, 2, 2),
        (
            (
                "Jobs for local young people",
                "2",
                "2 local young people employed as admin apprentices",
            ),
        ),
    ),
)
CONFLICTED = "dave.m@example.org"  # volunteers with one of the consortium's charities
EVALUATORS = ("priya.s@example.org", CONFLICTED)
INTEREST = "I volunteer every week at Northfield Community Action, which leads the consortium."
QUESTIONS = (
    (
        "Can a consortium bid, with one member as the lead and the others as subcontractors?",
        "Yes. Name the lead organisation as the bidder, and list the members and what each "
        "does in your method statements.",
    ),
    (
        "Will staff of the current service transfer to the new provider (TUPE)?",
        "TUPE may apply to 14 posts. The staffing list is sent on request to any bidder; it will "
        "not change the weights.",
    ),
)
COMMENTS = {  # an evaluator's comment by the score they gave
    0: "Not answered.",
    1: "Little about how this would work here.",
    2: "Some good points, but gaps in how it would be done.",
    3: "Meets what we asked for.",
    4: "Clear and believable, with some extra.",
    5: "Exactly what young people asked for, with evidence.",
}


def _day(n: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=n)


def _bidder(spec: Bidder) -> User:
    organisation = Organisation.objects.filter(name=spec.organisation).first()
    if organisation is None:
        organisation = OrganisationFactory(name=spec.organisation, sector=spec.sector)
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = UserFactory(email=spec.email, name=spec.name, mfa=True)
        MembershipFactory(
            user=user, organisation=organisation, role=Role.ADMIN, job_title=spec.job_title
        )
    return user


def _bid(round_: Round, spec: Bidder, person: User) -> Bid:
    organisation = Organisation.objects.get(name=spec.organisation)
    bid = actions_bids.bid_start(round_=round_, organisation=organisation, by=person)
    statements = {
        criterion.pk: f"{spec.summary} For “{criterion.name}”: {criterion.description}"
        for criterion in round_.criteria.filter(kind=CriterionKind.QUALITY)
    }
    bid = actions_bids.bid_save(
        bid=bid, by=person, price=Decimal(spec.price), summary=spec.summary, statements=statements
    )
    for name, quantity, description in spec.commitments:
        criterion = round_.criteria.get(name=name)
        actions_bids.commitment_add(
            bid=bid,
            by=person,
            criterion=criterion,
            indicator=actions_bids.commitment_indicators(criterion)[0],
            quantity=Decimal(quantity),
            description=description,
        )
    return actions_bids.bid_submit(bid=bid, by=person)


def _given(
    scores: tuple[int, ...], round_: Round, shift: int
) -> dict[int, actions_evaluation.Given]:
    """An evaluator's scores: the agreed ones, one step off on every ``shift``-th criterion."""
    given = {}
    for n, (criterion, agreed) in enumerate(zip(round_.criteria.all(), scores, strict=True)):
        score = agreed if (n + shift) % 3 else max(0, min(5, agreed + (1 if shift else -1)))
        given[criterion.pk] = actions_evaluation.Given(score=score, comment=COMMENTS[score])
    return given


def _evaluate(round_: Round, keeper: User, bids: list[Bid], people: dict[str, User]) -> None:
    for email in EVALUATORS:
        actions_evaluation.evaluator_add(
            round_=round_, by=keeper, email=email, role=EvaluatorRole.RESIDENT
        )
    consortium = bids[1]
    for shift, email in enumerate(EVALUATORS):
        person = people[email]
        conflicted = email == CONFLICTED
        actions_evaluation.declarations_save(
            round_=round_,
            person=person,
            answers={
                bid.pk: actions_evaluation.Interest(
                    conflict=conflicted and bid == consortium,
                    details=INTEREST if conflicted and bid == consortium else "",
                )
                for bid in bids
            },
        )
        for bid, spec in zip(bids, BIDDERS, strict=True):
            if conflicted and bid == consortium:
                continue
            actions_evaluation.scores_save(
                bid=bid, person=person, scores=_given(spec.agreed, round_, shift)
            )
    for bid, spec in zip(bids, BIDDERS, strict=True):
        actions_evaluation.agreed_scores_save(
            bid=bid,
            by=keeper,
            agreed={
                criterion.pk: actions_evaluation.Given(
                    score=score,
                    comment="Agreed at the moderation meeting, from the evaluators' notes and "
                    "the bid's evidence.",
                )
                for criterion, score in zip(round_.criteria.all(), spec.agreed, strict=True)
            },
        )


def _award(round_: Round, keeper: User) -> None:
    """Sam Reid awards the top-ranked bid, with feedback to every bidder."""
    lines = results(round_, opened_prices(round_, keeper)).lines
    top = lines[0].bid
    feedback = {
        line.bid.pk: (
            f"Your bid scored {line.total} points out of 100 and ranked {line.rank} of "
            f"{len(lines)}. "
            + (
                "It was strongest on jobs for local young people and on listening to young "
                "people the first time."
                if line.bid == top
                else "The winning bid scored higher on local jobs and help close to home."
            )
        )
        for line in lines
    }
    standstill = actions_award.standstill_ends_on(round_, timezone.localdate())
    actions_award.award_make(
        round_=round_,
        by=keeper,
        bid=top,
        reasons=f"{top.organisation} had the highest total: the best scores for jobs for local "
        "young people and help close to home, and a price within the contract's value. Young "
        "people weighed those criteria highly.",
        feedback=feedback,
        contract_starts_on=(standstill + dt.timedelta(days=62)).replace(day=1),
    )


def _date(round_: Round) -> None:
    """Bids were made in the three weeks after the weights; they closed twelve days ago, the
    evaluators scored the following week and the moderation met six days ago."""
    today = timezone.localdate()
    closed = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=12), dt.time(12)))
    Round.objects.filter(pk=round_.pk).update(
        questions_close_on=today - dt.timedelta(days=20),
        bids_close_at=closed,
        evaluation_on=today - dt.timedelta(days=8),
        award_on=today,
    )
    bids = Bid.objects.filter(round=round_).order_by("pk")
    for n, bid in enumerate(bids):
        Bid.objects.filter(pk=bid.pk).update(
            created_at=_day(-30 + n), submitted_at=_day(-14 + n), updated_at=_day(-14 + n)
        )
    for n, question in enumerate(Clarification.objects.filter(round=round_).order_by("pk")):
        Clarification.objects.filter(pk=question.pk).update(
            asked_at=_day(-28 + n * 3), answered_at=_day(-26 + n * 3)
        )
    Evaluator.objects.filter(round=round_).update(added_at=_day(-16))
    Declaration.objects.filter(evaluator__round=round_).update(declared_at=_day(-11))
    Score.objects.filter(bid__round=round_).update(scored_at=_day(-9))
    BidAccess.objects.filter(bid__round=round_).update(at=_day(-10))
    AgreedScore.objects.filter(bid__round=round_).update(agreed_at=_day(-6))


def seed_bids_and_award(round_: Round, keeper: User, people: dict[str, User]) -> None:
    """Bids, questions, evaluation and the award of the main round (its weights published)."""
    bidders = [_bidder(spec) for spec in BIDDERS]
    for (question, answer), person in zip(QUESTIONS, bidders[1:], strict=True):
        asked = actions_bids.clarification_ask(round_=round_, by=person, question=question)
        actions_bids.clarification_answer(clarification=asked, by=keeper, answer=answer)
    bids = [_bid(round_, spec, person) for spec, person in zip(BIDDERS, bidders, strict=True)]
    # The deadline passes (as the tests' close_bids does: time is not an edit anyone makes).
    Round.objects.filter(pk=round_.pk).update(bids_close_at=timezone.now() - dt.timedelta(hours=1))
    round_ = Round.objects.select_related("activity").get(pk=round_.pk)
    _evaluate(round_, keeper, [Bid.objects.get(pk=bid.pk) for bid in bids], people)
    _award(round_, keeper)
    _date(round_)
