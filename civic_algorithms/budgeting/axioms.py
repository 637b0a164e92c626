"""Proportionality checks for outcomes: extended justified representation (EJR) up to one project.

For approval ballots and an additive satisfaction (cost or cardinality): a group of voters S
that all approve every project of a set T, and that is large enough to pay for T with its
share of the budget (|S| * budget >= voters * cost(T)), deserves that some member i is
satisfied: sat_i(W) >= sat_i(T), or adding one project a of T to W would satisfy i strictly,
sat_i(W + a) > sat_i(T). The Method of Equal Shares guarantees this (Peters, Pierczyński and
Skowron, NeurIPS 2021). Checking it looks at every subset of projects, so it is for small
elections (tests, audits of small budgets).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from civic_algorithms.budgeting.model import Election

MAX_PROJECTS = 16


@dataclass(frozen=True)
class Violation:
    """A set of projects and the unsatisfied voters who could have paid for it together."""

    projects: tuple[str, ...]
    voters: tuple[str, ...]


def ejr_up_to_one_violations(
    election: Election, selected: Iterable[str], sat: str = "cost"
) -> list[Violation]:
    """Every (T, group) showing the outcome is not EJR up to one project; empty when it is."""
    if election.vote_type not in ("approval", "choose-1"):
        raise ValueError("the EJR check here is for approval ballots")
    if sat not in ("cost", "cardinality"):
        raise ValueError("the EJR check here supports cost and cardinality satisfaction")
    if len(election.projects) > MAX_PROJECTS:
        raise ValueError(f"the EJR check looks at every subset; at most {MAX_PROJECTS} projects")
    chosen = set(selected)
    cost = {project.id: project.cost for project in election.projects}
    worth = {pid: (cost[pid] if sat == "cost" else 1) for pid in cost}
    ballots = [(ballot.voter_id, set(ballot.projects)) for ballot in election.ballots]
    voters = len(ballots)
    budget = election.budget
    ids: Sequence[str] = [project.id for project in election.projects]
    violations: list[Violation] = []
    for size in range(1, len(ids) + 1):
        for subset in combinations(ids, size):
            price = sum(cost[pid] for pid in subset)
            group = [voter for voter, approved in ballots if approved.issuperset(subset)]
            if not group or len(group) * budget < voters * price:
                continue
            deserved = sum(worth[pid] for pid in subset)
            missing = [pid for pid in subset if pid not in chosen]
            unhappy = []
            for voter, approved in ballots:
                if not approved.issuperset(subset):
                    continue
                have = sum(worth[pid] for pid in approved & chosen)
                one_more = max((worth[pid] for pid in missing), default=None)
                happy = have >= deserved or (one_more is not None and have + one_more > deserved)
                if not happy:
                    unhappy.append(voter)
            if unhappy and len(unhappy) * budget >= voters * price:
                violations.append(Violation(tuple(subset), tuple(unhappy)))
    return violations
