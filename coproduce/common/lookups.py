"""Lookups on whole-number columns that leave out numbers no such column can hold.

Django's own ``exact``, ``lt`` and friends on an integer field already do (since 5.0): no row can
equal ``99999999999999999999``, so the query matches nothing instead of reaching the database. Its
``in``, and ``exact`` and ``in`` through a foreign key, do not, and SQLite raises OverflowError on
such a number: a 500 for a form's multiple choice, a link with a huge id or an API filter given
one (decision 0116). These do what Django's do; ``CommonConfig.ready`` registers them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet, FieldError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, lookups
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.sql.compiler import SQLCompiler


def _column_range(field: Field, connection: BaseDatabaseWrapper) -> tuple[int | None, int | None]:
    """The smallest and largest number the column behind ``field`` holds; (None, None) when it
    is not a whole-number column (or a relation to one) this database knows the range of."""
    try:
        # A foreign key: the column it points at, and on while that is a key to another table (an
        # idea's key is its contribution's); a few hops at most.
        for _hop in range(4):
            target = getattr(field, "target_field", None)
            if target is None or target is field:
                break
            field = target
    except FieldError:  # a relation over several columns
        return None, None
    internal_type = field.get_internal_type()
    if internal_type not in connection.ops.integer_field_ranges:
        return None, None
    return connection.ops.integer_field_range(internal_type)


def _holds(value: Any, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True  # not a number: the database decides, as before
    return (low is None or value >= low) and (high is None or value <= high)


class IntegerFieldIn(lookups.In):
    """``in``: numbers the column cannot hold are left out of the list (none left: no rows)."""

    def process_rhs(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        if self.rhs_is_direct_value() and hasattr(self.lhs, "output_field"):
            low, high = _column_range(self.lhs.output_field, connection)
            self.rhs = [value for value in self.rhs if _holds(value, low, high)]
        return super().process_rhs(compiler, connection)


class RelatedInRange(IntegerFieldIn, RelatedIn):
    """``in`` through a foreign key (its own preparing of the values, then the same check)."""


class RelatedExactInRange(RelatedExact):
    """``exact`` through a foreign key: a number the column cannot hold matches no row."""

    def process_rhs(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        if hasattr(self.lhs, "output_field"):
            low, high = _column_range(self.lhs.output_field, connection)
            if not _holds(self.rhs, low, high):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)
