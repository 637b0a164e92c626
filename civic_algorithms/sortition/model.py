"""Plain inputs of the panel-selection engine: quotas, people and the problem (frozen dataclasses)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from civic_algorithms.errors import InputError

Algorithm = Literal["leximin", "maximin", "legacy"]
ALGORITHMS: tuple[Algorithm, ...] = ("leximin", "maximin", "legacy")


class SortitionInputError(InputError):
    """A pool, quotas or panel size that the selection engine cannot use."""


@dataclass(frozen=True)
class Quota:
    """How many panel members must have ``value`` for ``feature``: between ``min`` and ``max``.

    ``min_flex`` / ``max_flex`` are the furthest the organisers would go if the quotas have to be
    relaxed (the sortition-algorithms convention); they only bound the suggested relaxation.
    """

    feature: str
    value: str
    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None

    @property
    def label(self) -> str:
        """``feature=value``, the way error messages name a quota."""
        return f"{self.feature}={self.value}"


@dataclass(frozen=True)
class Person:
    """One volunteer: an id, one value per feature, and optionally a household (address) key."""

    id: str
    features: Mapping[str, str]
    household: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", dict(self.features))


@dataclass(frozen=True)
class Problem:
    """A pool of volunteers, the quotas and the panel size.

    With ``household_constraint`` no two selected people share a non-empty ``household``.
    ``source`` names where the data came from, for error messages.
    """

    quotas: tuple[Quota, ...]
    people: tuple[Person, ...]
    panel_size: int
    household_constraint: bool = False
    source: str | None = field(default=None, compare=False)

    @property
    def features(self) -> tuple[str, ...]:
        """The features, in the order they first appear in the quotas."""
        return tuple(dict.fromkeys(quota.feature for quota in self.quotas))

    @property
    def ids(self) -> tuple[str, ...]:
        """Person ids in pool order."""
        return tuple(person.id for person in self.people)


def make_problem(
    quotas: Sequence[Quota],
    people: Sequence[Person],
    panel_size: int,
    *,
    household_constraint: bool = False,
    source: str | None = None,
) -> Problem:
    """Build a :class:`Problem` and check it (raises :class:`SortitionInputError`)."""
    problem = Problem(
        quotas=tuple(quotas),
        people=tuple(people),
        panel_size=panel_size,
        household_constraint=household_constraint,
        source=source,
    )
    validate(problem)
    return problem


def validate(problem: Problem) -> None:
    """Check the shape of a problem: quotas, people, values, panel size. Raises on the first fault."""
    source = problem.source
    if isinstance(problem.panel_size, bool) or not isinstance(problem.panel_size, int):
        raise SortitionInputError("the panel size must be a whole number", source=source)
    if problem.panel_size < 1:
        raise SortitionInputError(
            f"the panel size must be at least 1, not {problem.panel_size}", source=source
        )
    if not problem.quotas:
        raise SortitionInputError("there are no quotas (features and values)", source=source)
    seen: set[tuple[str, str]] = set()
    for quota in problem.quotas:
        key = (quota.feature, quota.value)
        if key in seen:
            raise SortitionInputError(f"the quota {quota.label} is given twice", source=source)
        seen.add(key)
        _check_quota(quota, problem.panel_size, source)
    if len(problem.people) < problem.panel_size:
        raise SortitionInputError(
            f"the pool has {len(problem.people)} people, fewer than the panel size "
            f"{problem.panel_size}: add volunteers or choose a smaller panel",
            source=source,
        )
    values: dict[str, set[str]] = {}
    for quota in problem.quotas:
        values.setdefault(quota.feature, set()).add(quota.value)
    ids: set[str] = set()
    for person in problem.people:
        if person.id in ids:
            raise SortitionInputError(f"the person id {person.id!r} appears twice", source=source)
        ids.add(person.id)
        check_person_values(person, values, source=source)


def _check_quota(quota: Quota, panel_size: int, source: str | None) -> None:
    for name in ("min", "max"):
        number = getattr(quota, name)
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise SortitionInputError(
                f"the {name} of quota {quota.label} must be a whole number >= 0, not {number!r}",
                source=source,
            )
    if quota.min > quota.max:
        raise SortitionInputError(
            f"quota {quota.label} has min {quota.min} above max {quota.max}", source=source
        )
    if quota.min > panel_size:
        raise SortitionInputError(
            f"quota {quota.label} asks for at least {quota.min} people on a panel of {panel_size}",
            source=source,
        )


def check_person_values(
    person: Person,
    values: Mapping[str, set[str]],
    *,
    source: str | None = None,
    line: int | None = None,
) -> None:
    """Every feature has a value, and every value has a quota; otherwise say which and where."""
    for feature, allowed in values.items():
        value = person.features.get(feature)
        if value is None:
            raise SortitionInputError(
                f"person {person.id!r} has no value for the feature {feature!r}",
                source=source,
                line=line,
            )
        if value not in allowed:
            known = ", ".join(sorted(allowed))
            raise SortitionInputError(
                f"person {person.id!r} has the unknown value {value!r} for {feature!r} "
                f"(the quotas know: {known}); add a quota for it or correct the value",
                source=source,
                line=line,
            )
