"""Select a panel: distribution (LEXIMIN, MAXIMIN or LEGACY), statistics and a seeded draw."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from types import MappingProxyType

import numpy as np

from civic_algorithms.sortition import legacy, stats
from civic_algorithms.sortition.feasibility import check_feasible
from civic_algorithms.sortition.groups import FloatArray, Groups, build_groups
from civic_algorithms.sortition.leximin import Mixture, leximin, maximin
from civic_algorithms.sortition.lottery import DEFAULT_TICKETS, Lottery, build_lottery
from civic_algorithms.sortition.model import (
    ALGORITHMS,
    Algorithm,
    Problem,
    SortitionInputError,
    validate,
)
from civic_algorithms.sortition.solver import PanelProgram

VERSION = "2"  # bump when the same input could give a different distribution or draw


@dataclass(frozen=True, eq=False)
class Distribution:
    """Selection probabilities per person and the distribution over panels behind them."""

    algorithm: Algorithm
    probabilities: Mapping[str, float]
    committees: int
    method: str
    seconds: float
    groups: Groups
    mixture: Mixture | None
    legacy_estimate: legacy.LegacyEstimate | None = None

    def vector(self) -> FloatArray:
        """Probabilities in pool order."""
        return np.fromiter(self.probabilities.values(), dtype=float)


@dataclass(frozen=True)
class Statistics:
    """How fair a distribution is, and how LEGACY would have done on the same pool."""

    minimum_probability: float
    gini: float
    geometric_mean: float
    leximin_minimum_probability: float | None
    legacy_runs: int
    legacy_seed: int | None
    legacy_minimum_probability: float | None
    legacy_below_leximin_minimum: int | None
    legacy_below_leximin_minimum_share: float | None


@dataclass(frozen=True, eq=False)
class Selection:
    """A selected panel with everything needed to publish and re-run the draw."""

    algorithm: Algorithm
    seed: int
    panel: tuple[str, ...]
    distribution: Distribution
    statistics: Statistics
    lottery: Lottery | None
    winning_ticket: int | None

    def to_json(self) -> dict[str, object]:
        """Plain JSON-ready dict (the command line prints this)."""
        distribution = self.distribution
        result: dict[str, object] = {
            "algorithm": self.algorithm,
            "probabilities": {k: round(v, 9) for k, v in distribution.probabilities.items()},
            "panel": list(self.panel),
            "seed": self.seed,
            "committees": distribution.committees,
            "seconds": round(distribution.seconds, 6),
            "statistics": {
                k: (round(v, 9) if isinstance(v, float) else v)
                for k, v in asdict(self.statistics).items()
            },
            "method": distribution.method,
            "version": VERSION,
            "pool_size": len(distribution.probabilities),
            "panel_size": distribution.groups.panel_size,
            "groups": distribution.groups.count,
        }
        if self.lottery is not None:
            result["lottery"] = {
                "tickets": self.lottery.size,
                "winning_ticket": self.winning_ticket,
                "max_deviation": round(self.lottery.max_deviation, 9),
                "draw": "ticket = int.from_bytes(sha256(str(seed)), 'big') % tickets + 1",
            }
        return result


def find_distribution(
    problem: Problem,
    algorithm: Algorithm = "leximin",
    *,
    legacy_runs: int = legacy.DEFAULT_RUNS,
    legacy_seed: int = legacy.DEFAULT_SEED,
) -> Distribution:
    """The algorithm's distribution over panels and each person's selection probability."""
    if algorithm not in ALGORITHMS:
        raise SortitionInputError(
            f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}"
        )
    validate(problem)
    started = time.perf_counter()
    groups = build_groups(problem)
    program = PanelProgram(groups)
    check_feasible(problem, groups, program)
    estimate = None
    mixture = None
    if algorithm == "leximin":
        mixture = leximin(groups, program)
    elif algorithm == "maximin":
        mixture = maximin(groups, program)
    else:
        estimate = legacy.estimate(groups, legacy_runs, legacy_seed)
    if mixture is not None:
        per_group = mixture.probabilities(groups)
        committees, method = mixture.support, mixture.method
    else:
        assert estimate is not None
        per_group = estimate.probabilities
        committees = int(estimate.compositions.shape[0])
        method = f"monte-carlo ({estimate.runs} runs, seed {estimate.seed})"
    seconds = time.perf_counter() - started
    per_person = np.clip(per_group[groups.group_of_person], 0.0, 1.0)
    probabilities = MappingProxyType(dict(zip(problem.ids, per_person.tolist(), strict=True)))
    return Distribution(
        algorithm=algorithm,
        probabilities=probabilities,
        committees=committees,
        method=method,
        seconds=seconds,
        groups=groups,
        mixture=mixture,
        legacy_estimate=estimate,
    )


def select_panel(
    problem: Problem,
    *,
    algorithm: Algorithm = "leximin",
    seed: int | None = None,
    tickets: int = DEFAULT_TICKETS,
    legacy_runs: int = legacy.DEFAULT_RUNS,
    legacy_seed: int = legacy.DEFAULT_SEED,
) -> Selection:
    """Compute the distribution, its statistics and the panel drawn with ``seed``.

    LEXIMIN and MAXIMIN draw a ticket of the published lottery (see ``lottery.py``); LEGACY
    runs its own greedy selection with the seed. ``legacy_runs=0`` skips the LEGACY comparison.
    Without a seed a fresh one is drawn (and reported, so the draw can be checked).
    """
    if seed is None:
        seed = secrets.randbelow(10**12)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SortitionInputError(f"the seed must be a whole number >= 0, not {seed!r}")
    if legacy_runs < 0:
        raise SortitionInputError(f"the number of LEGACY runs must be >= 0, not {legacy_runs}")
    runs = legacy_runs if algorithm != "legacy" else max(legacy_runs, 1)
    distribution = find_distribution(problem, algorithm, legacy_runs=runs, legacy_seed=legacy_seed)
    groups = distribution.groups
    lottery = None
    ticket = None
    if distribution.mixture is not None:
        lottery = build_lottery(groups, distribution.mixture, problem.ids, tickets)
        ticket = lottery.winning_ticket(seed)
        panel = lottery.tickets[ticket - 1]
    else:
        panel = legacy.draw_panel(groups, problem.ids, seed)
    statistics = _statistics(problem, distribution, runs, legacy_seed)
    return Selection(
        algorithm=algorithm,
        seed=seed,
        panel=panel,
        distribution=distribution,
        statistics=statistics,
        lottery=lottery,
        winning_ticket=ticket,
    )


def _statistics(
    problem: Problem, distribution: Distribution, legacy_runs: int, legacy_seed: int
) -> Statistics:
    groups = distribution.groups
    vector = distribution.vector()
    if distribution.algorithm == "leximin":
        leximin_minimum: float | None = stats.minimum(vector)
    else:
        leximin_minimum = stats.minimum(
            leximin(groups).probabilities(groups)[groups.group_of_person]
        )
    legacy_vector = None
    if distribution.legacy_estimate is not None:
        legacy_vector = distribution.legacy_estimate.probabilities[groups.group_of_person]
    elif legacy_runs > 0:
        estimate = legacy.estimate(groups, legacy_runs, legacy_seed)
        legacy_vector = estimate.probabilities[groups.group_of_person]
    below = None
    if legacy_vector is not None and leximin_minimum is not None:
        below = stats.below(legacy_vector, leximin_minimum)
    return Statistics(
        minimum_probability=stats.minimum(vector),
        gini=stats.gini(vector),
        geometric_mean=stats.geometric_mean(vector),
        leximin_minimum_probability=leximin_minimum,
        legacy_runs=legacy_runs if legacy_vector is not None else 0,
        legacy_seed=legacy_seed if legacy_vector is not None else None,
        legacy_minimum_probability=(
            stats.minimum(legacy_vector) if legacy_vector is not None else None
        ),
        legacy_below_leximin_minimum=below,
        legacy_below_leximin_minimum_share=(
            below / len(problem.people) if below is not None else None
        ),
    )
