"""Map a budget's rows to the engine's plain data, count each area, and explain the result.

``election_for`` builds one ``civic_algorithms.budgeting.Election`` per area (its own money, its
projects, the ballots cast in it); ``count_budget`` runs the budget's rule on each and returns a
``CountResult`` that the task stores as JSON with the method, version and parameters, so that
anyone can re-run it from the exported ``.pb`` files (decision 0030).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext_lazy

import civic_algorithms
from civic_algorithms.budgeting import Ballot as EngineBallot
from civic_algorithms.budgeting import Election, Outcome
from civic_algorithms.budgeting import Project as EngineProject
from civic_algorithms.budgeting import count as engine_count
from civic_algorithms.budgeting.axioms import MAX_PROJECTS, ejr_up_to_one_violations
from coproduce.budgeting.models import (
    Area,
    Ballot,
    BallotChoice,
    BallotType,
    Budget,
    Proposal,
    Rule,
)

VERSION = f"civic_algorithms {civic_algorithms.__version__}"

# The Pabulib vote type of each kind of ballot.
VOTE_TYPES = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKING: "ordinal",
}

# Why a project was not funded (codes stored with the result; the pages say them in words).
RAN_OUT = "ran_out_of_share"
TOO_DEAR = "cost_more_than_left"
BELOW_THRESHOLD = "below_threshold"
STOPPED = "stopped_earlier"
NO_VOTES = "no_votes"
# The same, in words (the results page and the API).
REASONS = {
    RAN_OUT: gettext_lazy("Its supporters had run out of their share of the budget."),
    TOO_DEAR: gettext_lazy("It cost more than what was left."),
    BELOW_THRESHOLD: gettext_lazy("It did not get the minimum number of votes."),
    STOPPED: gettext_lazy(
        "The count stopped at an earlier project that did not fit, as this rule does."
    ),
    NO_VOTES: gettext_lazy("Nobody voted for it."),
}

_CHUNK = 20_000


def vote_type(budget: Budget) -> str:
    """The Pabulib vote type: from the file for an imported budget, else from the ballot kind."""
    imported = budget.imported_meta.get("vote_type") if budget.imported else None
    return str(imported or VOTE_TYPES[BallotType(budget.ballot_type)])


def method_name(budget: Budget) -> str:
    return "mes+add1+greedy" if budget.rule == Rule.MES else str(budget.rule)


def parameters(budget: Budget, areas: Iterable[Area]) -> dict[str, Any]:
    """What the count depends on besides the ballots, stored with the result."""
    return {
        "rule": budget.rule,
        "engine_rule": "mes" if budget.rule == Rule.MES else "official",
        "completion": "add1-greedy" if budget.rule == Rule.MES else None,
        "satisfaction": "default for the vote type (docs/budgeting.md)",
        "tie_break": "engine default (docs/budgeting.md)",
        "threshold": budget.threshold,
        "vote_type": vote_type(budget),
        "areas": {area.name: area.amount for area in areas},
    }


def _meta(budget: Budget, area: Area, projects: int, ballots: int) -> dict[str, str]:
    meta: dict[str, str] = {}
    if budget.imported:
        meta.update({k: str(v) for k, v in budget.imported_meta.items()})
    meta.update(
        {
            "description": f"{budget.activity.title} — {area.name}",
            "country": meta.get("country", "United Kingdom"),
            "unit": meta.get("unit", area.name),
            "instance": meta.get("instance", str(budget.pk)),
            "num_projects": str(projects),
            "num_votes": str(ballots),
            "budget": str(area.amount),
            "vote_type": vote_type(budget),
            "currency": budget.currency,
        }
    )
    if budget.rule != Rule.MES:
        meta["rule"] = str(budget.rule)
    else:  # Pabulib has no name for MES with Add1 and greedy completion: the rule is left out
        meta.pop("rule", None)
    if budget.threshold is not None:
        meta["min_project_score_threshold"] = str(budget.threshold)
    if not budget.imported:
        kind = budget.ballot_type
        if kind in (BallotType.APPROVAL, BallotType.RANKING):
            meta["min_length"] = str(budget.min_choices)
            if budget.max_choices is not None:
                meta["max_length"] = str(budget.max_choices)
        if kind == BallotType.KNAPSACK:
            meta["max_sum_cost"] = str(area.amount)
        if kind == BallotType.CUMULATIVE:
            meta["max_sum_points"] = str(budget.points)
    return meta


def _ballots(
    area: Area, references: dict[int, str], ordinal: bool, cumulative: bool
) -> Iterator[EngineBallot]:
    """The area's ballots in cast order, read in chunks (a large budget has 100,000 of them)."""
    rows = (
        BallotChoice.objects.filter(ballot__area=area)
        .order_by("ballot_id", "value", "proposal_id")
        .values_list("ballot_id", "proposal_id", "value")
    )
    ids = Ballot.objects.filter(area=area).order_by("pk").values_list("pk", "public_id")
    choices: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for ballot_id, proposal_id, value in rows.iterator(chunk_size=_CHUNK):
        choices[ballot_id].append((proposal_id, value))
    for pk, public_id in ids.iterator(chunk_size=_CHUNK):
        chosen = choices.pop(pk, [])
        if cumulative:
            # Most points first, as Pabulib writes cumulative votes.
            chosen.sort(key=lambda pair: (-pair[1], references[pair[0]]))
        elif not ordinal:
            chosen.sort(key=lambda pair: references[pair[0]])
        yield EngineBallot(
            voter_id=public_id,
            projects=tuple(references[proposal] for proposal, _value in chosen),
            points=tuple(Fraction(value) for _p, value in chosen) if cumulative else None,
        )


def election_for(
    budget: Budget, area: Area, proposals: list[Proposal], *, counting: bool = False
) -> Election:
    """The engine's view of one area: its money, its projects and every ballot cast in it.

    For a count (``counting``) of a budget run here, projects nobody voted for are left out: the
    engine, like pabutools, would fund them with money left after completion, and a project no
    resident chose is not the residents' choice (decision 0030). An imported budget keeps them,
    so that it counts as the file's own rule did; exports keep every project.
    """
    references = {proposal.pk: proposal.reference for proposal in proposals}
    kind = vote_type(budget)
    ballots = tuple(
        _ballots(area, references, ordinal=kind == "ordinal", cumulative=kind == "cumulative")
    )
    if counting and not budget.imported:
        voted = {reference for ballot in ballots for reference in ballot.projects}
        proposals = [proposal for proposal in proposals if proposal.reference in voted]
    projects = tuple(
        EngineProject(
            id=proposal.reference,
            cost=Fraction(proposal.ballot_cost),
            fields={"name": proposal.title},
        )
        for proposal in proposals
    )
    return Election(
        meta=_meta(budget, area, len(projects), len(ballots)),
        projects=projects,
        ballots=ballots,
        project_columns=("project_id", "cost", "name"),
        vote_columns=("voter_id", "vote", "points")
        if kind == "cumulative"
        else ("voter_id", "vote"),
    )


def run_rule(budget: Budget, election: Election) -> Outcome:
    """The budget's rule on one area's election."""
    if budget.rule == Rule.MES:
        return engine_count(election, "mes", completion="add1-greedy")
    return engine_count(election, "official")


def simple_vote(election: Election) -> Outcome:
    """What counting by votes alone would fund: most votes (or points) first, skipping what does
    not fit, no threshold."""
    return engine_count(election, "greedy-threshold", threshold=Fraction(0))


@dataclass
class AreaResult:
    area: int
    name: str
    amount: int
    ballots: int
    selected: list[str]
    cost: int
    projects: list[dict[str, Any]]
    simple_vote: list[str]
    ejr: dict[str, Any]
    ties: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def left(self) -> int:
        return self.amount - self.cost


@dataclass
class CountResult:
    method: str
    version: str
    parameters: dict[str, Any]
    ballot_count: int
    areas: list[AreaResult]

    def as_json(self) -> dict[str, Any]:
        return {
            "areas": [
                {
                    "area": a.area,
                    "name": a.name,
                    "amount": a.amount,
                    "ballots": a.ballots,
                    "selected": a.selected,
                    "cost": a.cost,
                    "left": a.left,
                    "projects": a.projects,
                    "simple_vote": a.simple_vote,
                    "ejr": a.ejr,
                    "ties": a.ties,
                    "details": a.details,
                }
                for a in self.areas
            ]
        }


def _plain(value: object) -> object:
    """Engine details as JSON: Fractions as text, tuples as lists."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def ejr_check(budget: Budget, election: Election, selected: Iterable[str]) -> dict[str, Any]:
    """EJR up to one project on the result, where it can be checked (approval ballots, at most
    16 projects: it looks at every group of projects)."""
    if election.vote_type not in ("approval", "choose-1"):
        return {"checked": False, "passed": None, "why": "ballot_type"}
    if len(election.projects) > MAX_PROJECTS:
        return {"checked": False, "passed": None, "why": "too_many_projects"}
    violations = ejr_up_to_one_violations(election, selected, sat="cost")
    return {
        "checked": True,
        "passed": not violations,
        "why": "",
        "violations": [
            {"projects": list(v.projects), "voters": len(v.voters)} for v in violations[:10]
        ],
    }


MES_RULES = (Rule.MES, Rule.EQUALSHARES_ADD1, Rule.EQUALSHARES_ADD1_COMPARISON)


def _why_not(
    budget: Budget, outcome: Outcome, cost: int, left: int, votes: int, score: Fraction
) -> str:
    """Why a project on the ballot was not funded (one of the reason codes above)."""
    if votes == 0:
        return NO_VOTES
    greedy = outcome.details.get("greedy_selected")
    mes_chosen = outcome.details.get("mes_selected")
    greedy_won = (
        isinstance(greedy, list)
        and isinstance(mes_chosen, list)
        and set(greedy) != set(mes_chosen)
        and set(greedy) == set(outcome.selected)
    )
    if budget.rule in MES_RULES and not greedy_won:
        # Equal Shares: its supporters could not pay for it from their shares; what completion
        # left was not enough either.
        return RAN_OUT
    if (
        budget.rule == Rule.GREEDY_THRESHOLD
        and budget.threshold is not None
        and score < budget.threshold
    ):
        return BELOW_THRESHOLD
    if cost > left or budget.rule != Rule.GREEDY_NO_SKIP:
        return TOO_DEAR
    return STOPPED


def explain_area(
    budget: Budget, area: Area, proposals: list[Proposal], election: Election, outcome: Outcome
) -> AreaResult:
    """Votes per project, why each unfunded one was not funded, the simple vote, the EJR check."""
    votes: dict[str, int] = defaultdict(int)
    points: dict[str, Fraction] = defaultdict(Fraction)
    for ballot in election.ballots:
        for position, reference in enumerate(ballot.projects):
            votes[reference] += 1
            if ballot.points is not None:
                points[reference] += ballot.points[position]
    selected = set(outcome.selected)
    cost = int(outcome.cost)
    left = area.amount - cost
    projects = []
    for proposal in sorted(proposals, key=lambda p: (-votes[p.reference], p.reference)):
        ref = proposal.reference
        score = (
            points[ref] if election.vote_type in ("cumulative", "scoring") else Fraction(votes[ref])
        )
        funded = ref in selected
        projects.append(
            {
                "proposal": proposal.pk,
                "reference": ref,
                "title": proposal.title,
                "cost": proposal.ballot_cost,
                "votes": votes[ref],
                "points": int(points[ref]) if ballot_has_points(election) else None,
                "funded": funded,
                "reason": ""
                if funded
                else _why_not(budget, outcome, proposal.ballot_cost, left, votes[ref], score),
            }
        )
    return AreaResult(
        area=area.pk,
        name=area.name,
        amount=area.amount,
        ballots=len(election.ballots),
        selected=outcome.sorted_ids(),
        cost=cost,
        projects=projects,
        simple_vote=simple_vote(election).sorted_ids(),
        ejr=ejr_check(budget, election, selected),
        ties=[
            {"step": tie.step, "candidates": list(tie.candidates), "chosen": tie.chosen}
            for tie in outcome.ties
        ],
        details=_plain(dict(outcome.details)),  # type: ignore[arg-type]
    )


def ballot_has_points(election: Election) -> bool:
    return election.vote_type in ("cumulative", "scoring")


def count_budget(budget: Budget, progress: Callable[[int], None] = lambda _: None) -> CountResult:
    """Count every area of the budget with its rule; ``progress`` hears per cent done."""
    areas = list(budget.areas.order_by("pk"))
    results = []
    on_ballot = list(budget.proposals.on_ballot().select_related("area"))
    for done, area in enumerate(areas):
        proposals = [p for p in on_ballot if p.area_id == area.pk]
        election = election_for(budget, area, proposals, counting=True)
        progress(int(100 * (done + 0.5) / max(len(areas), 1)))
        outcome = run_rule(budget, election)
        results.append(explain_area(budget, area, proposals, election, outcome))
        progress(int(100 * (done + 1) / max(len(areas), 1)))
    return CountResult(
        method=method_name(budget),
        version=VERSION,
        parameters=parameters(budget, areas),
        ballot_count=sum(r.ballots for r in results),
        areas=results,
    )
