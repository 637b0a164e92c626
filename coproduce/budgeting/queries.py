"""Reads of participatory budgets: the loaders that find what a page is about (or 404) and the
figures the staff pages show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count as CountOf
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.budgeting import rules
from coproduce.budgeting.models import (
    ON_BALLOT,
    PHASE_ORDER,
    Ballot,
    BallotSource,
    Budget,
    Count,
    Feasibility,
    PaperEntry,
    Phase,
    Proposal,
)
from coproduce.contributions.kinds import get_kind
from coproduce.contributions.models import Contribution, Visibility
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_view_activity

BUDGET_PATH = "activity__service_stage__service__organisation"
IDEA = "idea"  # the contribution kind of an idea challenge's ideas (registered by codesign)


# --- Loaders: 404 for what the visitor may not see -----------------------------------------------


def visible_budget_activity(request: HttpRequest, pk: int) -> Activity:
    """A participatory-budget activity (with or without its budget yet)."""
    activity = get_object_or_404(
        Activity.objects.select_related("service_stage__service__organisation"),
        pk=pk,
        kind=ActivityKind.PARTICIPATORY_BUDGET,
    )
    if not can_view_activity(request.user, activity):
        raise Http404
    return activity


def visible_budget(request: HttpRequest, pk: int) -> Budget:
    budget = get_object_or_404(Budget.objects.select_related(BUDGET_PATH), pk=pk)
    if not rules.can_view_budget(request.user, budget):
        raise Http404
    return budget


def visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("contribution", "area", "budget__" + BUDGET_PATH), pk=pk
    )
    if not rules.can_view_budget(request.user, proposal.budget):
        raise Http404
    return proposal


def visible_count(request: HttpRequest, pk: int) -> Count:
    count = get_object_or_404(Count.objects.select_related("budget__" + BUDGET_PATH), pk=pk)
    if not rules.can_view_budget(request.user, count.budget):
        raise Http404
    return count


def budget_of(activity: Activity) -> Budget | None:
    return Budget.objects.filter(activity=activity).select_related(BUDGET_PATH).first()


# --- The staff dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """The figures on a budget's staff page."""

    waiting: int
    on_ballot: int
    not_feasible: int
    merged: int
    online: int
    by_code: int
    paper: int
    imported: int
    latest_count: Count | None
    next_phase: str | None
    previous_phase: str | None

    @property
    def ballots(self) -> int:
        return self.online + self.by_code + self.paper + self.imported


def dashboard(budget: Budget) -> Dashboard:
    feasibility = dict(
        budget.proposals.order_by()
        .values("feasibility")
        .annotate(n=CountOf("pk"))
        .values_list("feasibility", "n")
    )
    sources = budget.ballots.aggregate(
        online=CountOf("pk", filter=Q(source=BallotSource.ONLINE, code__isnull=True)),
        by_code=CountOf("pk", filter=Q(source=BallotSource.ONLINE, code__isnull=False)),
        paper=CountOf("pk", filter=Q(source=BallotSource.PAPER)),
        imported=CountOf("pk", filter=Q(source=BallotSource.IMPORTED)),
    )
    here = PHASE_ORDER.index(budget.phase)
    return Dashboard(
        waiting=feasibility.get(Feasibility.PENDING, 0),
        on_ballot=budget.proposals.on_ballot().count(),
        not_feasible=feasibility.get(Feasibility.NOT_FEASIBLE, 0),
        merged=feasibility.get(Feasibility.MERGED, 0),
        online=sources["online"],
        by_code=sources["by_code"],
        paper=sources["paper"],
        imported=sources["imported"],
        latest_count=budget.counts.first(),
        next_phase=PHASE_ORDER[here + 1] if here + 1 < len(PHASE_ORDER) else None,
        previous_phase=PHASE_ORDER[here - 1] if here > 0 and _may_go_back(budget) else None,
    )


def _may_go_back(budget: Budget) -> bool:
    """The phase_set action's rule, for whether to offer the button at all."""
    if budget.phase in (Phase.RESULTS, Phase.DELIVERY):
        return False
    return not (budget.phase == Phase.COUNTING and budget.counts.exists())


# --- Feasibility review --------------------------------------------------------------------------

REVIEW_FILTERS: dict[str, Q] = {
    "waiting": Q(feasibility=Feasibility.PENDING),
    "on_ballot": Q(feasibility__in=ON_BALLOT),
    "not_feasible": Q(feasibility=Feasibility.NOT_FEASIBLE),
    "merged": Q(feasibility=Feasibility.MERGED),
}


def proposals_to_review(budget: Budget, show: str = "") -> QuerySet[Proposal]:
    """The budget's proposals, those waiting first; ``show`` is a key of REVIEW_FILTERS."""
    proposals = budget.proposals.select_related("area", "merged_into", "contribution")
    if show in REVIEW_FILTERS:
        proposals = proposals.filter(REVIEW_FILTERS[show])
    return proposals.order_by("area__name", "reference", "pk")


def merge_targets(proposal: Proposal) -> QuerySet[Proposal]:
    """What a proposal can be merged into: the budget's other proposals on the ballot."""
    return (
        proposal.budget.proposals.filter(feasibility__in=ON_BALLOT)
        .exclude(pk=proposal.pk)
        .order_by("reference", "pk")
    )


# --- Bringing ideas forward ----------------------------------------------------------------------


@dataclass(frozen=True)
class IdeaRow:
    contribution: Contribution
    title: str
    supports: int
    challenge: str
    proposal: Proposal | None  # the proposal it already is in this budget, if it is one


def ideas_to_bring_forward(budget: Budget, limit: int = 200) -> list[IdeaRow]:
    """The published ideas of the service's idea challenges, most supported first."""
    kind = get_kind(IDEA)
    ideas = list(
        Contribution.objects.filter(
            kind=IDEA,
            activity__service_stage__service=budget.activity.service_stage.service_id,
            visibility=Visibility.PUBLISHED,
        ).select_related(kind.detail, "activity", *kind.select_related)
    )
    supports = kind.supports or (lambda contribution: 0)
    ideas.sort(key=lambda idea: (-supports(idea), idea.pk))
    taken = {
        p.from_contribution_id: p for p in budget.proposals.filter(from_contribution__isnull=False)
    }
    return [
        IdeaRow(
            contribution=idea,
            title=idea.title,
            supports=supports(idea),
            challenge=idea.activity.title,
            proposal=taken.get(idea.pk),
        )
        for idea in ideas[:limit]
    ]


# --- Voting codes --------------------------------------------------------------------------------


def code_counts(budget: Budget) -> tuple[int, int]:
    """How many voting codes the budget has, and how many were used to vote."""
    return budget.codes.count(), budget.ballots.filter(code__isnull=False).count()


# --- Paper ballots -------------------------------------------------------------------------------


@dataclass
class Paper:
    """A paper ballot's typings, and whether it has been counted."""

    reference: str
    entries: list[PaperEntry] = field(default_factory=list)


@dataclass(frozen=True)
class PaperState:
    waiting: list[Paper]  # typed once: a second person types it
    mismatches: list[Paper]  # typed twice or more, differently: delete the wrong typing
    counted: int  # paper ballots made from two matching typings


def paper_state(budget: Budget) -> PaperState:
    counted = set(
        budget.ballots.filter(source=BallotSource.PAPER).values_list("paper_reference", flat=True)
    )
    papers: dict[str, Paper] = defaultdict(lambda: Paper(reference=""))
    entries = budget.paper_entries.exclude(paper_reference__in=counted).select_related(
        "area", "entered_by"
    )
    for entry in entries:
        paper = papers[entry.paper_reference]
        paper.reference = entry.paper_reference
        paper.entries.append(entry)
    listed = sorted(papers.values(), key=lambda p: p.reference)
    return PaperState(
        waiting=[p for p in listed if len(p.entries) == 1],
        mismatches=[p for p in listed if len(p.entries) > 1],
        counted=len(counted),
    )


def choices_shown(
    budget: Budget, entries: Sequence[PaperEntry]
) -> dict[int, list[tuple[str, str, int]]]:
    """Each typing's choices as (reference, title, value), in the ballot's order, by the typing's
    pk: the proposals of all of them read at once."""
    values = {
        entry.pk: {int(pk): int(value) for pk, value in entry.choices.items()} for entry in entries
    }
    wanted = {pk for chosen in values.values() for pk in chosen}
    # budget_id too: the related manager reads it to attach the budget (a query each otherwise).
    proposals = budget.proposals.filter(pk__in=wanted).only("pk", "budget", "reference", "title")
    names = {p.pk: (p.reference, p.title) for p in proposals}
    return {
        entry_pk: sorted(
            ((*names[pk], value) for pk, value in chosen.items() if pk in names),
            key=lambda row: (row[2], row[0]),
        )
        for entry_pk, chosen in values.items()
    }


def voters(activity_ids: list[int]) -> QuerySet:
    """(activity id, user id) of everyone who voted online with their account: taking part, for
    equality monitoring (registered in apps.py)."""
    return Ballot.objects.filter(budget_id__in=activity_ids, voter__isnull=False).values_list(
        "budget_id", "voter_id"
    )
