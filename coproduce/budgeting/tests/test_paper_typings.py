"""What the paper-ballot page shows of typings that do not match: each typing's choices, in the
ballot's order, with the proposals of all of them read at once."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.budgeting import actions_voting, queries
from coproduce.budgeting.tests.factories import make_voting
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def test_every_typings_choices_are_shown_from_one_read(django_assert_num_queries: Any) -> None:
    setup = make_voting()
    budget, (a, b, c, d) = setup.budget, setup.proposals
    second = staff_of(budget.activity)
    typed = {
        "P-1": ({a.pk: 1}, {b.pk: 1}),
        "P-2": ({c.pk: 2, a.pk: 1}, {d.pk: 1, c.pk: 2}),
    }
    for reference, (first_choices, second_choices) in typed.items():
        for person, choices in ((setup.staff, first_choices), (second, second_choices)):
            actions_voting.paper_entry_add(
                budget=budget,
                by=person,
                paper_reference=reference,
                area=setup.area,
                choices=choices,
            )
    state = queries.paper_state(budget)
    entries = [entry for paper in state.mismatches for entry in paper.entries]
    assert len(entries) == 4
    with django_assert_num_queries(1):
        shown = queries.choices_shown(budget, entries)
    assert [shown[entry.pk] for entry in entries] == [
        [(a.reference, a.title, 1)],
        [(b.reference, b.title, 1)],
        [(a.reference, a.title, 1), (c.reference, c.title, 2)],
        [(d.reference, d.title, 1), (c.reference, c.title, 2)],
    ]
