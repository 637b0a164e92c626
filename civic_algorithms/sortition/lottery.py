"""A transparent draw: the distribution rounded to a lottery of numbered tickets, one panel each.

Following Flanigan, Kehne and Procaccia, "Fair sortition made transparent" (NeurIPS 2021), the
distribution over panels becomes a uniform lottery over ``M`` tickets (1000 by default): publish
the tickets, then draw one with a public seed. Anyone can check the draw by hand:

    ticket = (SHA-256 of the seed written in decimal, read as a big-endian integer) mod M, plus 1

The rounding (docs/decisions/0302) keeps every person's share of tickets within a small, reported
distance of their exact probability, and every ticket is a valid panel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import scipy.linalg

from civic_algorithms.sortition.groups import FloatArray, Groups, IntArray
from civic_algorithms.sortition.leximin import Mixture
from civic_algorithms.sortition.model import SortitionInputError

DEFAULT_TICKETS = 1000
_WHOLE = 1e-9
_RANK = 1e-12  # pivots below this share of the largest are zero (rank deficiency)


@dataclass(frozen=True)
class Lottery:
    """Numbered tickets (1..M), each a panel (person ids in pool order)."""

    tickets: tuple[tuple[str, ...], ...]
    probabilities: Mapping[str, float]
    max_deviation: float

    @property
    def size(self) -> int:
        """Number of tickets."""
        return len(self.tickets)

    def winning_ticket(self, seed: int) -> int:
        """The ticket number (1..M) the seed draws."""
        return winning_ticket(seed, self.size)

    def draw(self, seed: int) -> tuple[str, ...]:
        """The panel on the ticket the seed draws."""
        return self.tickets[self.winning_ticket(seed) - 1]


def winning_ticket(seed: int, tickets: int) -> int:
    """``SHA-256(str(seed))`` as a big-endian integer, mod ``tickets``, plus 1."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SortitionInputError(f"the seed must be a whole number >= 0, not {seed!r}")
    if tickets < 1:
        raise SortitionInputError("a lottery needs at least one ticket")
    digest = hashlib.sha256(str(seed).encode("ascii")).digest()
    return int.from_bytes(digest, "big") % tickets + 1


def build_lottery(
    groups: Groups, mixture: Mixture, ids: tuple[str, ...], tickets: int = DEFAULT_TICKETS
) -> Lottery:
    """Round the mixture to ``tickets`` tickets and name the people on each."""
    if isinstance(tickets, bool) or not isinstance(tickets, int) or tickets < 1:
        raise SortitionInputError(f"the number of tickets must be at least 1, not {tickets!r}")
    counts = round_to_tickets(groups, mixture, tickets)
    compositions = np.repeat(mixture.compositions, counts, axis=0)
    panels = realise(groups, compositions)
    selected = np.zeros(len(ids))
    named = []
    for panel in panels:
        selected[list(panel)] += 1
        named.append(tuple(ids[i] for i in panel))
    share = selected / tickets
    exact = mixture.probabilities(groups)[groups.group_of_person]
    return Lottery(
        tickets=tuple(named),
        probabilities=MappingProxyType(dict(zip(ids, share.tolist(), strict=True))),
        max_deviation=float(np.abs(share - exact).max()) if len(ids) else 0.0,
    )


def round_to_tickets(groups: Groups, mixture: Mixture, tickets: int) -> IntArray:
    """Whole numbers of tickets per panel, summing to ``tickets``, keeping group shares close.

    Iterated rounding: move the fractional ticket counts along a direction that changes neither
    their total nor any still-watched group's expected share, until one becomes whole; when there
    are too few fractional counts left for such a direction, stop watching the group with the
    least fractional weight left (its share then moves by less than that weight).
    """
    shares = (mixture.compositions / groups.size).T  # groups x panels
    counts = mixture.weights * tickets
    watched = np.ones(shares.shape[0], dtype=bool)
    for _ in range(4 * (counts.size + shares.shape[0]) + 10):
        nearest = np.rint(counts)
        whole = np.abs(counts - nearest) < _WHOLE
        counts[whole] = nearest[whole]
        open_ = np.flatnonzero(~whole)
        if open_.size <= 1:  # the total is whole, so a lone fractional count is noise
            counts[open_] = np.rint(counts[open_])
            break
        weight = shares[:, open_].sum(axis=1)
        watched &= weight > 0
        while watched.sum() + 1 >= open_.size:
            candidates = np.flatnonzero(watched)
            watched[candidates[np.argmin(weight[candidates])]] = False
        matrix = np.vstack([np.ones(open_.size), shares[watched][:, open_]])
        direction = _null_direction(matrix)
        direction[np.abs(direction) < 1e-15] = 0.0
        counts[open_] += _step(counts[open_], direction) * direction
    total = int(np.rint(counts.sum()))
    result = np.rint(counts).astype(np.int64)
    if total != tickets or (result < 0).any():  # pragma: no cover - guarded by construction
        raise RuntimeError("ticket rounding lost tickets")
    return result


def _null_direction(matrix: FloatArray) -> FloatArray:
    """A unit vector ``d`` with ``matrix @ d = 0`` (``matrix`` has fewer rows than columns).

    From a QR factorisation with column pivoting: solve the triangular part for one column past
    the numerical rank. About 5 times cheaper than the SVD used before (decision 0067), which
    took most of a 2,000-person selection once the distribution itself was fast.
    """
    upper, pivot = scipy.linalg.qr(matrix, mode="r", pivoting=True)
    diagonal = np.abs(np.diag(upper))
    rank = int(np.count_nonzero(diagonal > _RANK * diagonal[0])) if diagonal[0] > 0 else 0
    solution = np.zeros(matrix.shape[1])
    solution[rank] = 1.0
    if rank:
        solution[:rank] = scipy.linalg.solve_triangular(upper[:rank, :rank], -upper[:rank, rank])
    direction = np.zeros(matrix.shape[1])
    direction[pivot] = solution
    unit: FloatArray = direction / np.linalg.norm(direction)
    return unit


def _step(values: FloatArray, direction: FloatArray) -> float:
    """The smaller of the two steps along +-direction that makes some value whole."""
    moving = direction != 0
    low, high = np.floor(values[moving]), np.ceil(values[moving])
    d = direction[moving]
    forward = np.where(d > 0, (high - values[moving]) / d, (low - values[moving]) / d).min()
    backward = np.where(d > 0, (values[moving] - low) / d, (values[moving] - high) / d).min()
    return float(forward) if forward <= backward else -float(backward)


def realise(groups: Groups, compositions: IntArray) -> list[tuple[int, ...]]:
    """Name the people on each panel: round-robin over households and members, in pool order.

    Each group walks through the households of its class in turn (skipping one already taken
    on this ticket by another group of the class), and through its members within a household,
    so the tickets of a group spread evenly over its people (equal numbers up to one when the
    class has a single group, i.e. always without the household constraint).
    """
    next_household: dict[int, int] = {}
    next_member: dict[tuple[int, int], int] = {}
    panels: list[tuple[int, ...]] = []
    for composition in compositions:
        people: list[int] = []
        for klass, class_groups in enumerate(groups.class_groups):
            households = groups.households[klass]
            taken: set[int] = set()
            for position, group in enumerate(class_groups):
                for _ in range(int(composition[group])):
                    cursor = next_household.get(group, 0)
                    while cursor % len(households) in taken:
                        cursor += 1
                    household = cursor % len(households)
                    taken.add(household)
                    next_household[group] = cursor + 1
                    members = households[household][position]
                    turn = next_member.get((group, household), 0)
                    people.append(members[turn % len(members)])
                    next_member[(group, household)] = turn + 1
        panels.append(tuple(sorted(people)))
    return panels
