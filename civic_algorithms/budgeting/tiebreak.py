"""Tie-breaking: a chain of criteria that puts every project in one strict order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from civic_algorithms.budgeting.profile import Ballots

CRITERIA: dict[str, str] = {
    "lexicographic": "smallest project id first, comparing ids as text (the reference order)",
    "file-order": "the project listed first in the PROJECTS section",
    "min-cost": "the cheaper project",
    "max-cost": "the more expensive project",
    "max-votes": "the project more voters listed on their ballots",
    "min-votes": "the project fewer voters listed on their ballots",
}
DEFAULT = "lexicographic"
EQUAL_SHARES_OFFICIAL = "min-cost,max-votes"


@dataclass(frozen=True)
class TieBreak:
    """Criteria applied in turn; project id (as text) settles whatever is still level."""

    criteria: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> TieBreak:
        """``"min-cost,max-votes"`` -> TieBreak; unknown names raise ValueError."""
        names = tuple(name.strip() for name in text.split(",") if name.strip())
        if not names:
            raise ValueError("the tie-break chain is empty")
        for name in names:
            if name not in CRITERIA:
                raise ValueError(
                    f"unknown tie-break {name!r}; choose from {', '.join(CRITERIA)} "
                    "(several can be chained with commas)"
                )
        return cls(names)

    def __str__(self) -> str:
        return ",".join(self.criteria)

    def ranks(self, ballots: Ballots) -> list[int]:
        """Rank of each project (0 wins every tie); a strict total order."""
        votes = ballots.votes().tolist()
        ids = ballots.project_ids
        keys: dict[str, Callable[[int], object]] = {
            "lexicographic": lambda index: ids[index],
            "file-order": lambda index: index,
            "min-cost": lambda index: ballots.costs[index],
            "max-cost": lambda index: -ballots.costs[index],
            "max-votes": lambda index: -votes[index],
            "min-votes": lambda index: votes[index],
        }
        chain: Sequence[Callable[[int], object]] = [keys[name] for name in self.criteria]
        order = sorted(
            range(ballots.n_projects),
            key=lambda index: (*(key(index) for key in chain), ids[index]),
        )
        ranks = [0] * ballots.n_projects
        for rank, index in enumerate(order):
            ranks[index] = rank
        return ranks
