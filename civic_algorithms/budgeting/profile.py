"""Ballots compiled to integer arrays: identical ballots merged, money and points scaled to integers.

Every rule works on these arrays. Money is scaled by one common factor (so that every cost and
the budget are integers) and satisfaction values are integers too; the rules only ever compare
ratios, so a common scale never changes an outcome, and exact arithmetic stays cheap.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from civic_algorithms.budgeting.model import Election, VoteType

Sat = Literal["cost", "cardinality", "points", "borda"]
SATS: tuple[str, ...] = get_args(Sat)
IntArray = npt.NDArray[np.int64]


def default_sat(vote_type: VoteType) -> Sat:
    """Cost satisfaction for approval ballots, points for cardinal ones, Borda for rankings."""
    if vote_type in ("approval", "choose-1"):
        return "cost"
    if vote_type == "ordinal":
        return "borda"
    return "points"


def check_sat(sat: str, vote_type: VoteType) -> Sat:
    """The satisfaction name if it makes sense for these ballots, else ValueError."""
    if sat not in SATS:
        raise ValueError(f"unknown satisfaction {sat!r}; choose one of {', '.join(SATS)}")
    if sat == "points" and vote_type in ("approval", "choose-1"):
        raise ValueError("points satisfaction needs cumulative, scoring or ordinal ballots")
    if sat == "borda" and vote_type != "ordinal":
        raise ValueError("Borda satisfaction needs ordinal ballots")
    return sat  # type: ignore[return-value]


LIMIT = 2**53  # integers below this are exact in float64 too


def _weighted_totals(
    projects: IntArray, values: IntArray, weights: IntArray, size: int
) -> list[int]:
    """Sum ``values * weights`` per project, exactly."""
    bound = int(np.abs(values).max(initial=0)) * int(weights.sum())
    if bound < 2**62:
        totals = np.zeros(size, dtype=np.int64)
        np.add.at(totals, projects, values * weights)
        return [int(total) for total in totals]
    exact = [0] * size
    for project, value, weight in zip(
        projects.tolist(), values.tolist(), weights.tolist(), strict=True
    ):
        exact[project] += value * weight
    return exact


def _lcm_of_denominators(values: Sequence[Fraction]) -> int:
    scale = 1
    for value in values:
        scale = math.lcm(scale, value.denominator)
    return scale


@dataclass(frozen=True, eq=False)
class Ballots:
    """Distinct ballots with their multiplicities, as flat arrays (one entry per ballot line)."""

    vote_type: VoteType
    project_ids: tuple[str, ...]
    costs: tuple[int, ...]
    budget: int
    unit: int
    n_voters: int
    weights: IntArray
    entry_group: IntArray
    entry_project: IntArray
    entry_position: IntArray
    entry_length: IntArray
    entry_points: IntArray | None
    points_scale: int

    @property
    def n_projects(self) -> int:
        """Number of projects on the ballot paper."""
        return len(self.project_ids)

    def to_money(self, scaled: int) -> Fraction:
        """Scaled integer money back to currency units."""
        return Fraction(scaled, self.unit)

    def entry_weights(self) -> IntArray:
        """The multiplicity of the ballot each entry belongs to."""
        return self.weights[self.entry_group]

    def votes(self) -> IntArray:
        """How many voters list each project."""
        return np.bincount(
            self.entry_project, weights=self.entry_weights(), minlength=self.n_projects
        ).astype(np.int64)

    def scores(self) -> list[Fraction]:
        """Each project's score as organisers count it: votes, or the sum of points."""
        if self.vote_type in ("approval", "choose-1"):
            return [Fraction(int(value)) for value in self.votes()]
        if self.entry_points is not None:
            values = self.entry_points
        else:  # ordinal ballots without points: n, n-1, ..., 1 for a ballot of length n
            values = self.entry_length - self.entry_position
        totals = _weighted_totals(self.entry_project, values, self.entry_weights(), self.n_projects)
        return [Fraction(total, self.points_scale) for total in totals]

    def satisfaction(self, sat: Sat) -> IntArray:
        """Integer satisfaction of each entry's ballot with its project (one common scale)."""
        if sat == "cost":
            return np.asarray(self.costs, dtype=np.int64)[self.entry_project]
        if sat == "cardinality":
            return np.ones(len(self.entry_project), dtype=np.int64)
        if sat == "borda":
            return self.entry_length - self.entry_position - 1
        if self.entry_points is not None:
            return self.entry_points
        return self.entry_length - self.entry_position


def compile_ballots(election: Election) -> Ballots:
    """Merge identical ballots and scale money and points to integers."""
    projects = election.projects
    position = {project.id: index for index, project in enumerate(projects)}
    costs = [project.cost for project in projects]
    budget = election.budget
    unit = _lcm_of_denominators([*costs, budget])
    if max([*costs, budget]) * unit >= LIMIT:
        raise ValueError("the budget or a cost has too many digits to count exactly")
    has_points = election.vote_type in ("cumulative", "scoring") or (
        election.vote_type == "ordinal" and any(b.points is not None for b in election.ballots)
    )
    # Fractions hash slowly, so each distinct points tuple is scaled to integers once.
    distinct_points = {id(b.points): b.points for b in election.ballots if b.points is not None}
    distinct = {value for points in distinct_points.values() for value in points}
    points_scale = _lcm_of_denominators(sorted(distinct)) if has_points else 1
    if max((abs(value) for value in distinct), default=0) * points_scale >= LIMIT:
        raise ValueError("the points have too many digits to count exactly")
    scaled_points = {
        key: tuple(int(value * points_scale) for value in points)
        for key, points in distinct_points.items()
    }
    indices: dict[tuple[str, ...], tuple[int, ...]] = {}
    counts: dict[tuple[tuple[int, ...], tuple[int, ...] | None], int] = {}
    for ballot in election.ballots:
        chosen = indices.get(ballot.projects)
        if chosen is None:
            chosen = tuple(position[project_id] for project_id in ballot.projects)
            indices[ballot.projects] = chosen
        given = None if ballot.points is None else scaled_points[id(ballot.points)]
        key = (chosen, given)
        counts[key] = counts.get(key, 0) + 1
    # Any order that does not depend on the order of the voters will do; bytes sort fastest.
    keys = sorted(
        counts,
        key=lambda key: array("q", key[0]).tobytes() + b"|" + array("q", key[1] or ()).tobytes(),
    )
    groups: list[int] = []
    entries: list[int] = []
    positions: list[int] = []
    lengths: list[int] = []
    points: list[int] = []
    for group, (chosen, given) in enumerate(keys):
        size = len(chosen)
        groups.extend([group] * size)
        entries.extend(chosen)
        positions.extend(range(size))
        lengths.extend([size] * size)
        if has_points:
            if given is None:  # ordinal ballot without points in a file that has some
                points.extend((size - index) * points_scale for index in range(size))
            else:
                points.extend(given)
    return Ballots(
        vote_type=election.vote_type,
        project_ids=tuple(project.id for project in projects),
        costs=tuple(int(cost * unit) for cost in costs),
        budget=int(budget * unit),
        unit=unit,
        n_voters=len(election.ballots),
        weights=np.asarray([counts[key] for key in keys], dtype=np.int64),
        entry_group=np.asarray(groups, dtype=np.int64),
        entry_project=np.asarray(entries, dtype=np.int64),
        entry_position=np.asarray(positions, dtype=np.int64),
        entry_length=np.asarray(lengths, dtype=np.int64),
        entry_points=np.asarray(points, dtype=np.int64) if has_points else None,
        points_scale=points_scale,
    )


@dataclass(frozen=True, eq=False)
class SatProfile:
    """Per project: the ballots that like it (satisfaction > 0) and how much, as integers."""

    ballots: Ballots
    sat: Sat
    supporters: tuple[IntArray, ...]
    values: tuple[IntArray, ...]
    total: tuple[int, ...]

    @property
    def n_projects(self) -> int:
        """Number of projects."""
        return self.ballots.n_projects


def compile_satisfaction(ballots: Ballots, sat: Sat) -> SatProfile:
    """Group the entries by project for one satisfaction measure."""
    values = ballots.satisfaction(sat)
    total = _weighted_totals(
        ballots.entry_project, values, ballots.entry_weights(), ballots.n_projects
    )
    order = np.argsort(ballots.entry_project, kind="stable")
    projects = ballots.entry_project[order]
    bounds = np.searchsorted(projects, np.arange(ballots.n_projects + 1))
    supporters = []
    sat_values = []
    for project in range(ballots.n_projects):
        chosen = order[bounds[project] : bounds[project + 1]]
        chosen = chosen[values[chosen] > 0]
        supporters.append(ballots.entry_group[chosen])
        sat_values.append(values[chosen])
    return SatProfile(
        ballots=ballots,
        sat=sat,
        supporters=tuple(supporters),
        values=tuple(sat_values),
        total=tuple(total),
    )
