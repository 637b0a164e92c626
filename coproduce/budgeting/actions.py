"""Writes of a participatory budget: set-up, proposals and their feasibility answers, phases
(moving to the results publishes them) and the delivery of funded projects. The vote itself —
ballots online or by code, paper ballots typed twice, counting — is in actions_voting.py.

Every answer a proposer gets — feasibility, funded or not, delivery news — is an official response
of the answer spine, so it reaches the proposer and followers and shows in "You said, we did"
(decision 0030).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import User
from coproduce.budgeting import ledger, rules
from coproduce.budgeting.ballots import money
from coproduce.budgeting.models import (
    ON_BALLOT,
    PHASE_ORDER,
    PROPOSAL,
    Area,
    Budget,
    Count,
    CountStatus,
    DeliveryStatus,
    DeliveryUpdate,
    Feasibility,
    Phase,
    Proposal,
)
from coproduce.common.permissions import require
from coproduce.contributions.actions import contribution_start, response_create
from coproduce.contributions.kinds import IDEA, OPINION_STATEMENT, agreed, get_kind
from coproduce.contributions.models import Contribution, Visibility
from coproduce.search.actions import index_update
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_manage_activity

BALLOT_FIXED = gettext_lazy("Voting has opened, so the ballot can no longer change.")


# --- Set-up ------------------------------------------------------------------------------------


@transaction.atomic
def budget_create(
    *, activity: Activity, by: User, areas: Sequence[tuple[str, int]], **fields: Any
) -> Budget:
    """Make a participatory-budget activity a real budget, with its areas and their money."""
    if activity.kind != ActivityKind.PARTICIPATORY_BUDGET:
        raise ValidationError(_("Only a participatory-budget activity can have a budget."))
    require(can_manage_activity(by, activity))
    if Budget.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity already has a budget."))
    if not areas:
        raise ValidationError({"areas": _("Give the budget at least one area and its amount.")})
    budget = Budget(activity=activity, **fields)
    budget.full_clean(exclude=["activity"])
    budget.save()
    for name, amount in areas:
        area_add(budget=budget, by=by, name=name, amount=amount)
    return budget


@transaction.atomic
def budget_update(*, budget: Budget, by: User, **fields: Any) -> Budget:
    """Change the settings; the kind of ballot and the rule are fixed once voting has opened."""
    require(rules.can_manage_budget(by, budget))
    locked = not rules.ballot_may_change(budget)
    for name, value in fields.items():
        fixed = name in rules.BALLOT_SETTINGS
        if locked and fixed and getattr(budget, name) != value:
            raise ValidationError(
                {name: _("This cannot change once voting has opened: ballots were cast on it.")}
            )
        setattr(budget, name, value)
    budget.full_clean(exclude=["activity"])
    budget.save()
    return budget


@transaction.atomic
def area_add(*, budget: Budget, by: User, name: str, amount: int, name_cy: str = "") -> Area:
    """A new area with its own money, until voting opens (decision 0121)."""
    require(rules.can_manage_budget(by, budget))
    if not rules.ballot_may_change(budget):
        raise ValidationError(BALLOT_FIXED)
    if not name.strip():
        raise ValidationError({"name": _("Name the area.")})
    if amount <= 0:
        raise ValidationError({"amount": _("Give the area an amount of more than 0.")})
    if budget.areas.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("This budget already has an area with this name.")})
    return Area.objects.create(budget=budget, name=name.strip(), name_cy=name_cy, amount=amount)


# --- Proposals ---------------------------------------------------------------------------------


def _next_reference(budget: Budget) -> str:
    """P1, P2 … in order of proposal; the row lock on the budget keeps them unique."""
    Budget.objects.select_for_update().filter(pk=budget.pk).first()
    used = budget.proposals.filter(reference__regex=r"^P[0-9]+$").values_list(
        "reference", flat=True
    )
    return f"P{max((int(ref[1:]) for ref in used), default=0) + 1}"


def check_area(budget: Budget, area: Area) -> None:
    """An area of this budget (a proposal's, a ballot's), or a field error."""
    if area.budget_id != budget.pk:
        raise ValidationError({"area": _("Choose one of this budget’s areas.")})


@transaction.atomic
def proposal_create(
    *,
    budget: Budget,
    author: User,
    area: Area,
    title: str,
    description: str,
    estimated_cost: int,
    latitude: float | None = None,
    longitude: float | None = None,
    image: UploadedFile | None = None,
    image_alt: str = "",
) -> Proposal:
    """A resident proposes a project while the budget takes proposals."""
    require(rules.can_propose(author, budget))
    check_area(budget, area)
    errors = {}
    if not title.strip():
        errors["title"] = _("Give your proposal a title.")
    if not description.strip():
        errors["description"] = _("Describe what the project would do.")
    if estimated_cost <= 0:
        errors["estimated_cost"] = _("Estimate the cost: a whole number of more than 0.")
    elif estimated_cost > area.amount:
        errors["estimated_cost"] = _(
            "This costs more than the area’s whole budget of %(amount)s. Make it smaller, or "
            "split it into parts."
        ) % {"amount": money(area.amount, budget.currency)}
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
    if image and not image_alt.strip():
        errors["image_alt"] = _("Describe the picture for people who cannot see it.")
    if errors:
        raise ValidationError(errors)
    contribution = contribution_start(
        activity=budget.activity, kind=PROPOSAL, author=author, text=f"{title}\n{description}"
    )
    proposal = Proposal.objects.create(
        contribution=contribution,
        budget=budget,
        area=area,
        reference=_next_reference(budget),
        title=title.strip(),
        description=description.strip(),
        estimated_cost=estimated_cost,
        latitude=latitude,
        longitude=longitude,
        image=image or "",
        image_alt=image_alt.strip(),
    )
    index_update(PROPOSAL, [proposal.pk])
    return proposal


# What can become a proposal: ideas of idea challenges and statements of opinion maps, named by
# their spine kinds (budgeting does not import the apps that own them).
BRING_FORWARD_KINDS = (IDEA, OPINION_STATEMENT)


@transaction.atomic
def proposal_bring_forward(
    *, budget: Budget, by: User, idea: Contribution, area: Area, estimated_cost: int
) -> Proposal:
    """Bring an idea from an idea challenge, or a statement that all groups agreed with on an
    opinion map (decision 0111), of the same service onto the budget as a proposal.

    The proposal keeps the contribution's author and links back to it, so its history and
    answers stay where they are; the contribution gets an answer saying where it went.
    """
    require(rules.can_manage_budget(by, budget))
    # Locked before the checks: the same idea brought forward twice at once is one proposal, and
    # voting cannot open under it (decision 0140).
    budget = (
        Budget.objects.select_for_update(of=("self",))
        .select_related("activity__service_stage")
        .get(pk=budget.pk)
    )
    if not rules.ballot_may_change(budget):
        raise ValidationError(BALLOT_FIXED)
    check_area(budget, area)
    if idea.activity.service_stage.service_id != budget.activity.service_stage.service_id:
        raise ValidationError(
            _("Bring forward ideas and statements from this service’s own activities.")
        )
    if idea.kind not in BRING_FORWARD_KINDS or idea.visibility != Visibility.PUBLISHED:
        raise ValidationError(
            _("Only published ideas and opinion-map statements can be brought forward.")
        )
    if get_kind(idea.kind).agreed is not None and idea.pk not in agreed(idea.kind, [idea.pk]):
        raise ValidationError(
            {
                "idea": _(
                    "Choose a statement that all groups agreed with on the opinion map’s latest "
                    "map: only those can be brought forward."
                )
            }
        )
    if Proposal.objects.filter(budget=budget, from_contribution=idea).exists():
        raise ValidationError(_("This is already a proposal in this budget."))
    if estimated_cost <= 0:
        raise ValidationError(
            {"estimated_cost": _("Estimate the cost: a whole number of more than 0.")}
        )
    title = idea.title
    description = get_kind(idea.kind).text(idea)
    contribution = Contribution.objects.create(
        activity=budget.activity,
        kind=PROPOSAL,
        author=idea.author,
        author_display=idea.author_display,
        visibility=Visibility.PUBLISHED,
        needs_answer=True,
    )
    proposal = Proposal.objects.create(
        contribution=contribution,
        budget=budget,
        area=area,
        reference=_next_reference(budget),
        title=title[:150],
        description=description[:5000],
        estimated_cost=estimated_cost,
        from_contribution=idea,
    )
    index_update(PROPOSAL, [proposal.pk])
    response_create(
        contribution=idea,
        author=by,
        body=_("Taken forward to the budget vote “%(budget)s” as proposal %(ref)s.")
        % {"budget": budget.activity.title, "ref": proposal.reference},
    )
    return proposal


def _feasibility_answer(proposal: Proposal, reason: str) -> str:
    cost = money(proposal.ballot_cost, proposal.budget.currency)
    if proposal.feasibility == Feasibility.FEASIBLE:
        text = _("Feasible: this proposal goes on the ballot at %(cost)s.") % {"cost": cost}
    elif proposal.feasibility == Feasibility.COST_CHANGED:
        text = _("Feasible at a different cost: this proposal goes on the ballot at %(cost)s.") % {
            "cost": cost
        }
    elif proposal.feasibility == Feasibility.MERGED:
        assert proposal.merged_into is not None
        text = _("Merged with proposal %(ref)s, “%(title)s”, which goes forward for both.") % {
            "ref": proposal.merged_into.reference,
            "title": proposal.merged_into.title,
        }
    else:
        text = _("Not feasible, so it is not on the ballot.")
    return f"{text} {reason}".strip()


@transaction.atomic
def proposal_review(
    *,
    proposal: Proposal,
    by: User,
    feasibility: str,
    reason: str = "",
    cost: int | None = None,
    merged_into: Proposal | None = None,
) -> Proposal:
    """Publish the feasibility review of a proposal as its official answer."""
    require(rules.can_review(by, proposal))
    budget = proposal.budget
    if not rules.ballot_may_change(budget):
        raise ValidationError(BALLOT_FIXED)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if feasibility not in Feasibility.values or feasibility == Feasibility.PENDING:
        errors["feasibility"] = _("Choose what the review found.")
    needs_reason = (Feasibility.COST_CHANGED, Feasibility.MERGED, Feasibility.NOT_FEASIBLE)
    if feasibility in needs_reason and not reason:
        errors["reason"] = _("Explain why, so the person who proposed it understands.")
    if feasibility == Feasibility.COST_CHANGED:
        if cost is None or cost <= 0:
            errors["cost"] = _("Give the new cost: a whole number of more than 0.")
        elif cost == proposal.estimated_cost:
            errors["cost"] = _("This is the estimated cost. Choose “Feasible” instead.")
        elif cost > proposal.area.amount:
            errors["cost"] = _("This costs more than the area’s whole budget.")
    if feasibility == Feasibility.MERGED:
        if merged_into is None or merged_into.budget_id != budget.pk or merged_into == proposal:
            errors["merged_into"] = _("Choose the proposal it was merged with.")
        elif merged_into.feasibility not in ON_BALLOT:
            errors["merged_into"] = _(
                "Choose a proposal that is on the ballot: review that one first."
            )
    if errors:
        raise ValidationError(errors)
    proposal.feasibility = feasibility
    proposal.feasibility_reason = reason
    proposal.cost = (
        cost
        if feasibility == Feasibility.COST_CHANGED
        else (proposal.estimated_cost if feasibility == Feasibility.FEASIBLE else None)
    )
    proposal.merged_into = merged_into if feasibility == Feasibility.MERGED else None
    proposal.save(update_fields=["feasibility", "feasibility_reason", "cost", "merged_into"])
    response_create(
        contribution=proposal.contribution, author=by, body=_feasibility_answer(proposal, reason)
    )
    return proposal


# --- Phases ------------------------------------------------------------------------------------


@transaction.atomic
def phase_set(*, budget: Budget, by: User, phase: str) -> Budget:
    """Move the budget to its next phase (or back one, before the results are published)."""
    require(rules.can_manage_budget(by, budget))
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if phase not in PHASE_ORDER:
        raise ValidationError(_("Move the budget one phase at a time."))
    here, there = PHASE_ORDER.index(locked.phase), PHASE_ORDER.index(phase)
    if abs(there - here) != 1:
        raise ValidationError(_("Move the budget one phase at a time."))
    if there < here and locked.phase in (Phase.RESULTS, Phase.DELIVERY):
        raise ValidationError(_("The results are published: they cannot be taken back."))
    if there < here and locked.phase == Phase.COUNTING and locked.counts.exists():
        raise ValidationError(_("Counting has started, so voting cannot open again."))
    if phase == Phase.REVIEW and there < here and _any_ballot(locked):
        raise ValidationError(
            _(
                "Ballots have been cast, so voting cannot go back to the review: the ballot is fixed."
            )
        )
    if phase == Phase.VOTING and there > here:
        pending = locked.proposals.filter(feasibility=Feasibility.PENDING).count()
        if pending:
            raise ValidationError(
                _("Review every proposal before voting opens: %(count)d still wait.")
                % {"count": pending}
            )
        if not locked.proposals.on_ballot().exists():
            raise ValidationError(_("Find at least one proposal feasible before voting opens."))
    if phase == Phase.RESULTS:
        latest = locked.counts.filter(status=CountStatus.DONE).first()
        if latest is None:
            raise ValidationError(_("Count the ballots before publishing the results."))
        _publish_results(locked, latest, by)
    if phase == Phase.DELIVERY:
        _start_delivery(locked, by)
    locked.phase = phase
    locked.save(update_fields=["phase"])
    budget.phase = phase
    return budget


def _any_ballot(budget: Budget) -> bool:
    """A ballot cast online or by code, or a paper ballot typed once or more."""
    return budget.ballots.exists() or budget.paper_entries.exists()


def funded_pks(count: Count) -> set[int]:
    return {
        project["proposal"]
        for area in count.result.get("areas", [])
        for project in area["projects"]
        if project["funded"]
    }


def _publish_results(budget: Budget, count: Count, by: User) -> None:
    """Answer every proposal on the ballot with its result and record the result on the ledger."""
    funded = funded_pks(count)
    facts = {
        project["proposal"]: project
        for area in count.result.get("areas", [])
        for project in area["projects"]
    }
    for proposal in budget.proposals.on_ballot().select_related("contribution"):
        fact = facts.get(proposal.pk, {"votes": 0})
        if proposal.pk in funded:
            body = _("Funded, with %(votes)d votes: it will now be delivered.") % fact
        else:
            body = _("Not funded (%(votes)d votes). The results page explains why.") % fact
        response_create(contribution=proposal.contribution, author=by, body=body)
    ledger.record_result(budget, count)


def _start_delivery(budget: Budget, by: User) -> None:
    latest = budget.counts.filter(status=CountStatus.DONE).first()
    if latest is None:
        return
    today = timezone.localdate()
    for proposal in budget.proposals.filter(pk__in=funded_pks(latest), delivery_status=""):
        proposal.delivery_status = DeliveryStatus.PLANNED
        proposal.save(update_fields=["delivery_status"])
        DeliveryUpdate.objects.create(
            proposal=proposal, status=DeliveryStatus.PLANNED, on=today, by=by
        )


# --- Delivery ----------------------------------------------------------------------------------


@transaction.atomic
def delivery_update_add(
    *,
    proposal: Proposal,
    by: User,
    status: str,
    note: str,
    on: date,
    photo: UploadedFile | None = None,
    photo_alt: str = "",
) -> DeliveryUpdate:
    """Say how a funded project is going; its proposer and followers hear (a spine answer)."""
    require(rules.can_review(by, proposal))
    if not proposal.delivery_status:
        raise ValidationError(_("Only funded projects in delivery have delivery news."))
    errors = {}
    if status not in DeliveryStatus.values:
        errors["status"] = _("Choose planned, in progress or delivered.")
    if not note.strip():
        errors["note"] = _("Say what happened.")
    if photo and not photo_alt.strip():
        errors["photo_alt"] = _("Describe the photo for people who cannot see it.")
    if errors:
        raise ValidationError(errors)
    update = DeliveryUpdate.objects.create(
        proposal=proposal,
        status=status,
        note=note.strip(),
        on=on,
        photo=photo or "",
        photo_alt=photo_alt.strip(),
        by=by,
    )
    proposal.delivery_status = status
    proposal.save(update_fields=["delivery_status"])
    label = DeliveryStatus(status).label
    response_create(
        contribution=proposal.contribution,
        author=by,
        body=f"{label} ({on:%d/%m/%Y}): {note.strip()}",
    )
    return update
