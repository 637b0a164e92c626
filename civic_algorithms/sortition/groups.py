"""Interchangeable volunteers: the engine works on groups, not on people.

Two people are interchangeable when swapping them changes nothing: same value for every feature
and, with the household constraint, households that look the same (the same multiset of feature
vectors). The LEXIMIN probabilities are unique and the problem is symmetric, so interchangeable
people get equal probabilities and a panel can be described by how many it takes from each group.
That turns 2,000 people with 2 features into 3 groups (see docs/decisions/0300).

Without the household constraint every person is their own household, so a group is simply the
people with one feature vector. With it, a group is (household shape, feature vector): households
of the same shape form a *class*, a class with ``m`` households can give at most ``m`` seats, and a
class whose households hold several feature vectors gets one constraint row over its groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civic_algorithms.sortition.model import Problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Groups:
    """The problem in group space: a panel is an integer vector ``c`` with ``rows @ c`` in bounds."""

    group_of_person: IntArray
    size: IntArray
    cap: IntArray
    klass: IntArray
    multiplicity: IntArray
    rows: FloatArray
    row_lo: IntArray
    row_hi: IntArray
    quota_rows: int
    value_of_group: IntArray
    panel_size: int
    households: tuple[tuple[tuple[tuple[int, ...], ...], ...], ...]
    class_groups: tuple[tuple[int, ...], ...]

    @property
    def count(self) -> int:
        """Number of groups."""
        return int(self.size.shape[0])

    def is_panel(
        self,
        composition: IntArray,
        row_lo: FloatArray | IntArray | None = None,
        row_hi: FloatArray | IntArray | None = None,
    ) -> bool:
        """Whether an integer vector of seats per group is a valid panel (optionally for other
        row bounds than the quotas')."""
        sums = self.rows @ composition
        lo = self.row_lo if row_lo is None else row_lo
        hi = self.row_hi if row_hi is None else row_hi
        return bool(
            composition.sum() == self.panel_size
            and np.all(composition >= 0)
            and np.all(composition <= self.cap)
            and np.all(sums >= lo - 1e-9)
            and np.all(sums <= hi + 1e-9)
        )


def build_groups(problem: Problem) -> Groups:
    """Group interchangeable people and write the quotas (and household limits) as rows."""
    features = problem.features
    row_of_value = {(q.feature, q.value): index for index, q in enumerate(problem.quotas)}
    vectors = [tuple(person.features[feature] for feature in features) for person in problem.people]

    # Households in pool order; without the constraint (or without a key) each person is alone.
    household_of_person: list[object] = []
    members_of: dict[object, list[int]] = {}
    for index, person in enumerate(problem.people):
        key: object = index
        if problem.household_constraint and person.household:
            key = ("household", person.household)
        household_of_person.append(key)
        members_of.setdefault(key, []).append(index)

    class_of_shape: dict[tuple[tuple[str, ...], ...], int] = {}
    class_of_household: dict[object, int] = {}
    class_households: list[list[list[int]]] = []
    shapes: list[tuple[tuple[str, ...], ...]] = []
    for key, members in members_of.items():
        shape = tuple(sorted(vectors[i] for i in members))
        if shape not in class_of_shape:
            class_of_shape[shape] = len(shapes)
            shapes.append(shape)
            class_households.append([])
        class_of_household[key] = class_of_shape[shape]
        class_households[class_of_shape[shape]].append(members)

    # Groups numbered by first appearance in the pool, so that results read in pool order.
    group_of_key: dict[tuple[int, tuple[str, ...]], int] = {}
    group_of_person = np.zeros(len(problem.people), dtype=np.int64)
    for index, vector in enumerate(vectors):
        klass = class_of_household[household_of_person[index]]
        group_of_person[index] = group_of_key.setdefault((klass, vector), len(group_of_key))

    count = len(group_of_key)
    size = np.bincount(group_of_person, minlength=count).astype(np.int64)
    klass_of_group = np.zeros(count, dtype=np.int64)
    multiplicity = np.zeros(count, dtype=np.int64)
    value_of_group = np.zeros((count, len(features)), dtype=np.int64)
    for (klass, vector), group in group_of_key.items():
        klass_of_group[group] = klass
        multiplicity[group] = shapes[klass].count(vector)
        for position, feature in enumerate(features):
            value_of_group[group, position] = row_of_value[(feature, vector[position])]
    units = np.array([len(households) for households in class_households], dtype=np.int64)
    cap = units[klass_of_group]

    rows = np.zeros((len(problem.quotas), count))
    for position in range(len(features)):
        rows[value_of_group[:, position], np.arange(count)] = 1.0
    row_lo = [q.min for q in problem.quotas]
    row_hi = [q.max for q in problem.quotas]
    class_groups = tuple(
        tuple(int(g) for g in np.flatnonzero(klass_of_group == klass))
        for klass in range(len(shapes))
    )
    extra = []
    for klass, groups in enumerate(class_groups):
        if len(groups) > 1:
            row = np.zeros(count)
            row[list(groups)] = 1.0
            extra.append(row)
            row_lo.append(0)
            row_hi.append(int(units[klass]))
    if extra:
        rows = np.vstack([rows, np.array(extra)])

    households = tuple(
        tuple(
            tuple(tuple(i for i in members if group_of_person[i] == g) for g in class_groups[klass])
            for members in class_households[klass]
        )
        for klass in range(len(shapes))
    )
    return Groups(
        group_of_person=group_of_person,
        size=size,
        cap=cap,
        klass=klass_of_group,
        multiplicity=multiplicity,
        rows=rows,
        row_lo=np.array(row_lo, dtype=np.int64),
        row_hi=np.array(row_hi, dtype=np.int64),
        quota_rows=len(problem.quotas),
        value_of_group=value_of_group,
        panel_size=problem.panel_size,
        households=households,
        class_groups=class_groups,
    )
