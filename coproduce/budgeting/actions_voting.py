"""Writes of a participatory budget's vote: ballots cast online or with a one-time voting code,
paper ballots typed twice, and queueing the count (set-up, proposals and phases: actions.py).

An online ballot is published under an id made from its receipt code (``public_id_for``); the
receipt itself is shown to the voter once and never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.budgeting import ballots as ballot_rules
from coproduce.budgeting import rules
from coproduce.budgeting.actions import check_area
from coproduce.budgeting.models import (
    Area,
    Ballot,
    BallotChoice,
    BallotSource,
    Budget,
    Count,
    CountStatus,
    PaperEntry,
    Phase,
    VotingCode,
)
from coproduce.common.locking import lock_for_share
from coproduce.common.onetime import MAX_BATCH, hash_secret, make_batch, new_secret
from coproduce.common.permissions import require

MAX_CODES = MAX_BATCH  # voting codes in one batch


# --- Voting ------------------------------------------------------------------------------------


def public_id_for(receipt: str) -> str:
    """The anonymised voter id published with the ballots: the first 20 hex digits of the hash."""
    return hash_secret(receipt)[:20]


@dataclass(frozen=True)
class Cast:
    ballot: Ballot
    receipt: str
    changed: bool


def eligibility_errors(
    budget: Budget, *, postcode: str, age_confirmed: bool, by_code: bool
) -> dict[str, str]:
    """What stops this person voting: the postcode outside the budget's areas, the age."""
    errors: dict[str, str] = {}
    prefixes = budget.prefixes()
    if prefixes and not by_code:
        normal = postcode.strip().upper()
        if not normal:
            errors["postcode"] = _("Enter your postcode, for example NF1 2AB.")
        elif not any(normal.replace(" ", "").startswith(p.replace(" ", "")) for p in prefixes):
            errors["postcode"] = _(
                "This vote is for people who live in %(areas)s. If you live there, check your "
                "postcode."
            ) % {"areas": ", ".join(prefixes)}
    if budget.min_age and not age_confirmed:
        errors["age_confirmed"] = _("Confirm that you are %(age)d or older to vote.") % {
            "age": budget.min_age
        }
    return errors


def ballot_options(area: Area) -> list[ballot_rules.Option]:
    return [
        ballot_rules.Option(pk=p.pk, cost=p.ballot_cost)
        for p in area.proposals.on_ballot().only("pk", "cost", "estimated_cost", "area_id")
    ]


def ballot_check(budget: Budget, area: Area, choices: Mapping[int, int]) -> list[str]:
    """The ballot's rules, for the review step and for casting."""
    check_area(budget, area)
    return ballot_rules.check(budget, area.amount, ballot_options(area), choices)


@transaction.atomic
def ballot_cast(
    *,
    budget: Budget,
    area: Area,
    choices: Mapping[int, int],
    voter: Visitor | None = None,
    code: VotingCode | None = None,
    postcode: str = "",
    age_confirmed: bool = False,
) -> Cast:
    """Cast a ballot, or replace the voter's earlier one, while voting is open.

    One ballot per account and per code, enforced by the database: two tabs casting at once
    end with one ballot, the later. Returns the new receipt code (shown once, never stored).

    Ballots share a lock on the budget's row: closing voting (``phase_set`` locks the row) waits
    for those in progress, and a ballot sent as voting closes is refused, not stored uncounted
    (decision 0140).
    """
    lock_for_share(Budget, budget.pk)
    budget = Budget.objects.get(pk=budget.pk)
    if code is None:
        require(voter is not None and rules.can_vote_online(voter, budget))
    else:
        require(rules.can_vote_with_code(budget) and code.budget_id == budget.pk)
    errors = eligibility_errors(
        budget, postcode=postcode, age_confirmed=age_confirmed, by_code=code is not None
    )
    problems = ballot_check(budget, area, choices)
    if problems:
        errors["choices"] = " ".join(problems)
    if errors:
        raise ValidationError(errors)
    receipt = new_secret()
    owner = {"code": code} if code is not None else {"voter": voter}
    existing = Ballot.objects.select_for_update().filter(budget=budget, **owner).first()
    fields = {
        "area": area,
        "public_id": public_id_for(receipt),
        "postcode_district": postcode.strip().upper().split(" ")[0][:8],
    }
    if existing is None:
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(
                    budget=budget, source=BallotSource.ONLINE, **owner, **fields
                )
        except IntegrityError:
            # Another request of the same voter cast first: replace that one.
            existing = Ballot.objects.select_for_update().get(budget=budget, **owner)
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        existing.choices.all().delete()
        ballot = existing
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, proposal_id=pk, value=value) for pk, value in choices.items()
    )
    return Cast(ballot=ballot, receipt=receipt, changed=existing is not None)


def ballot_for(
    budget: Budget, *, voter: Visitor | None = None, code: VotingCode | None = None
) -> Ballot | None:
    if code is not None:
        return Ballot.objects.filter(budget=budget, code=code).first()
    if voter is None or not voter.is_authenticated:
        return None
    return Ballot.objects.filter(budget=budget, voter=voter).first()


@transaction.atomic
def codes_generate(*, budget: Budget, by: User, count: int) -> list[str]:
    """Make a batch of one-time voting codes; the raw codes are returned once, here only."""
    require(rules.can_manage_budget(by, budget))
    return make_batch(
        budget.codes.all(),
        lambda code_hash, batch: VotingCode(budget=budget, code_hash=code_hash, batch=batch),
        count,
    )


def code_find(budget: Budget, raw: str) -> VotingCode:
    """The budget's code with this text, or a ValidationError that says what to check."""
    code = VotingCode.objects.filter(budget=budget, code_hash=hash_secret(raw)).first()
    if code is None:
        raise ValidationError(
            {"code": _("This code is not one of this vote’s codes. Check it and try again.")}
        )
    return code


# --- Paper ballots, typed twice ----------------------------------------------------------------


@dataclass(frozen=True)
class PaperResult:
    entry: PaperEntry
    ballot: Ballot | None  # made when this typing matched the first
    mismatch: bool


@transaction.atomic
def paper_entry_add(
    *,
    budget: Budget,
    by: User,
    paper_reference: str,
    area: Area,
    choices: Mapping[int, int],
) -> PaperResult:
    """Type a paper ballot. The second typing by a different person makes the ballot when both
    agree; when they differ, the paper is listed as a mismatch and nothing is counted."""
    require(rules.can_manage_budget(by, budget))
    # The budget's row locked: typings of one paper, and a count starting, wait for each other
    # (two first typings at once would both find no other; decision 0140).
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.phase not in (Phase.VOTING, Phase.COUNTING):
        raise ValidationError(_("Paper ballots are typed in while voting is open or just after."))
    if budget.counts.exists():
        raise ValidationError(_("Counting has started: no more paper ballots can be added."))
    reference = paper_reference.strip().upper()
    if not reference:
        raise ValidationError({"paper_reference": _("Enter the number printed on the ballot.")})
    problems = ballot_check(budget, area, choices)
    if problems:
        raise ValidationError({"choices": " ".join(problems)})
    if budget.ballots.filter(paper_reference=reference).exists():
        raise ValidationError(
            {"paper_reference": _("This paper ballot has been typed twice and counted already.")}
        )
    others = list(budget.paper_entries.filter(paper_reference=reference).exclude(entered_by=by))
    if budget.paper_entries.filter(paper_reference=reference, entered_by=by).exists():
        raise ValidationError(
            {
                "paper_reference": _(
                    "You have typed this ballot already. A different person types it the second "
                    "time."
                )
            }
        )
    stored = {str(pk): value for pk, value in sorted(choices.items())}
    entry = PaperEntry.objects.create(
        budget=budget, paper_reference=reference, area=area, choices=stored, entered_by=by
    )
    if not others:
        return PaperResult(entry=entry, ballot=None, mismatch=False)
    first = others[0]
    if first.choices != stored or first.area_id != area.pk:
        return PaperResult(entry=entry, ballot=None, mismatch=True)
    ballot = Ballot.objects.create(
        budget=budget,
        area=area,
        paper_reference=reference,
        source=BallotSource.PAPER,
        public_id=public_id_for(new_secret()),
    )
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, proposal_id=pk, value=value) for pk, value in choices.items()
    )
    return PaperResult(entry=entry, ballot=ballot, mismatch=False)


@transaction.atomic
def paper_entry_delete(*, entry: PaperEntry, by: User) -> None:
    """Take back a typing that does not match (before the ballot is made)."""
    require(rules.can_manage_budget(by, entry.budget))
    Budget.objects.select_for_update().get(pk=entry.budget_id)  # not while its twin is typed
    if entry.budget.ballots.filter(paper_reference=entry.paper_reference).exists():
        raise ValidationError(_("This paper ballot is counted already."))
    entry.delete()


# --- Counting ----------------------------------------------------------------------------------


@transaction.atomic
def count_start(*, budget: Budget, by: User | None) -> Count:
    """Queue a count of the budget's ballots (the staff button and ``pb_count``)."""
    if by is not None:
        require(rules.can_manage_budget(by, budget))
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if locked.phase != Phase.COUNTING:
        raise ValidationError(_("Close voting (move the budget to its counting phase) first."))
    running = locked.counts.filter(status__in=[CountStatus.QUEUED, CountStatus.RUNNING]).first()
    if running is not None:
        return running
    count = Count.objects.create(budget=locked, requested_by=by)
    from coproduce.budgeting.tasks import count_budget

    pk = count.pk
    transaction.on_commit(lambda: count_budget.enqueue(pk))
    return count
