"""Row locks beyond Django's ``select_for_update``."""

from __future__ import annotations

from django.db import connection, models


def lock_for_share(model: type[models.Model], pk: int | str) -> None:
    """Hold a shared lock on one row until the transaction ends (PostgreSQL's ``FOR SHARE``).

    Many transactions may hold it at once (residents answering the same survey, supporting ideas
    of the same challenge), while a ``select_for_update`` of the row (staff changing what they
    rely on) waits for them all, and they for it. Call it inside ``transaction.atomic``, before
    reading what the lock protects. SQLite runs one write transaction at a time: there it does
    nothing.
    """
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    key_field = model._meta.pk
    if key_field is None or key_field.column is None:
        raise TypeError(f"{model.__name__} has no key column to lock by.")
    table, key = quote(model._meta.db_table), quote(key_field.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {key} = %s FOR SHARE", [pk])  # noqa: S608
