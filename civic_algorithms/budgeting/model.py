"""Plain data for a participatory budget: projects, ballots and the election that holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, get_args

VoteType = Literal["approval", "choose-1", "cumulative", "scoring", "ordinal"]
VOTE_TYPES: tuple[str, ...] = get_args(VoteType)


@dataclass(frozen=True, slots=True)
class Project:
    """One project on the ballot; ``fields`` keeps every other PROJECTS column as written."""

    id: str
    cost: Fraction
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ballot:
    """One voter's ballot: project ids in the order written (rank order for ordinal ballots)."""

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Fraction, ...] | None = None
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Election:
    """A whole Pabulib instance: META key/values, PROJECTS and VOTES, in file order."""

    meta: Mapping[str, str]
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    project_columns: tuple[str, ...] = ("project_id", "cost")
    vote_columns: tuple[str, ...] = ("voter_id", "vote")

    @property
    def vote_type(self) -> VoteType:
        """The ``vote_type`` META field (checked by the reader)."""
        value = self.meta["vote_type"]
        assert value in VOTE_TYPES
        return value  # type: ignore[return-value]

    @property
    def budget(self) -> Fraction:
        """The ``budget`` META field as an exact number."""
        return Fraction(self.meta["budget"])

    @property
    def rule(self) -> str | None:
        """The ``rule`` META field: the counting rule the organisers say they used."""
        return self.meta.get("rule")

    def project_ids(self) -> tuple[str, ...]:
        """Project ids in file order."""
        return tuple(project.id for project in self.projects)

    def selected_in_file(self) -> tuple[str, ...] | None:
        """Projects marked in the ``selected`` column (any value other than 0), or None."""
        if "selected" not in self.project_columns:
            return None
        return tuple(
            project.id
            for project in self.projects
            if project.fields.get("selected", "0").strip() not in ("", "0")
        )


@dataclass(frozen=True, slots=True)
class Tie:
    """A tie the rule had to break: which projects were level and which one won."""

    step: str
    candidates: tuple[str, ...]
    chosen: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a rule selected, with the facts needed to explain and re-run it."""

    rule: str
    selected: tuple[str, ...]
    cost: Fraction
    details: Mapping[str, object] = field(default_factory=dict)
    ties: tuple[Tie, ...] = ()

    def sorted_ids(self) -> list[str]:
        """Selected project ids sorted as strings (the order used in reference files)."""
        return sorted(self.selected)
