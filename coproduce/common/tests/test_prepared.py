"""A prepared read gives what the ORM gives for the same queryset, compiled once
(docs/decisions/0924-prepared-orm-reads.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext

from coproduce.common import prepared

pytestmark = pytest.mark.django_db


# Rows to read with a 64-bit key, as the pages' own rows have: people (the user model is
# swappable, so common reads it without importing accounts).


def _people() -> list[Any]:
    User = get_user_model()
    return [
        User.objects.create_user(email="ada@example.org", name="Ada"),
        User.objects.create_user(email="bo@example.org", name="Bo", is_active=False),
    ]


def test_a_prepared_query_gives_what_the_orm_gives() -> None:
    User = get_user_model()
    query = prepared.Prepared(
        lambda pk: User.objects.filter(pk=pk).values_list("email", "name", "is_active"),
        prepared.KEY,
    )
    for person in _people():
        expected = list(User.objects.filter(pk=person.pk).values_list("email", "name", "is_active"))
        assert query.rows(person.pk) == [tuple(row) for row in expected]
    assert query.rows(10**12) == []


def test_a_prepared_query_refuses_a_placeholder_it_cannot_find() -> None:
    query = prepared.Prepared(
        lambda pk: get_user_model().objects.filter(pk=1).values_list("email"), 7
    )
    with pytest.raises(ValueError, match="placeholder"):
        query.rows(3)


def test_prepared_objects_are_the_orm_s_and_odd_querysets_are_refused() -> None:
    User = get_user_model()
    query = prepared.Prepared(
        lambda pk: User.objects.filter(pk=pk).annotate(shout=Upper("name")), prepared.KEY
    )
    for person in _people():
        (read,) = query.objects(person.pk)
        assert (read.pk, read.email, read.is_active, read.date_joined, read.shout) == (
            person.pk,
            person.email,
            person.is_active,
            User.objects.get(pk=person.pk).date_joined,
            person.name.upper(),
        )
    assert query.objects(10**12) == []
    with pytest.raises(TypeError, match="rows"):
        prepared.Prepared(
            lambda pk: User.objects.filter(pk=pk).values_list("email"), prepared.KEY
        ).objects(1)
    for odd in [
        lambda pk: User.objects.filter(pk=pk).prefetch_related("groups"),
        lambda pk: User.objects.filter(pk=pk).only("email"),
    ]:
        with pytest.raises(ValueError, match="cannot prefetch, defer"):
            prepared.Prepared(odd, prepared.KEY).objects(1)


def test_a_prepared_bulk_read_gives_what_in_bulk_gives_for_any_number_of_keys() -> None:
    User = get_user_model()
    people = [*_people(), User.objects.create_user(email="cy@example.org", name="Cy")]
    bulk = prepared.Bulk(lambda: User.objects.all(), size=2)
    keys = [person.pk for person in people]
    for asked in [[], keys[:1], [keys[2], keys[0]], [keys[1], 10**12], keys, [*keys, 10**12]]:
        found = bulk.in_bulk(asked)
        expected = User.objects.in_bulk(asked)
        assert {pk: (o.email, o.name) for pk, o in found.items()} == {
            pk: (o.email, o.name) for pk, o in expected.items()
        }, asked
    with CaptureQueriesContext(connection) as queries:
        bulk.in_bulk(keys[:2])
    assert len(queries) == 1
