"""Reads the ORM compiles once per database, then runs with other values (decision 0924).

Building the SQL of a query with a few joins costs the ORM about a millisecond; running it on an
indexed key costs the database a few microseconds. The reads every request of a busy page makes
(the page cache's probe, the object a page is about, a page of rows by their keys) are built once
per process: ``Prepared`` gives rows or model instances, ``Bulk`` is ``in_bulk`` for a page of
keys. A prepared read that is the first of a request on a kept connection is its own connection
health check (decision 0925).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# A key no object has: the placeholder for a primary key in prepared reads.
KEY = -0x7EDC_BA98_7654_3210


def keys(size: int) -> list[int]:
    """``size`` placeholders for a prepared ``__in`` of keys: keys no object has."""
    return [KEY + n for n in range(size)]


def padded(found: Sequence[Any], size: int = settings.COPRODUCE_PAGE_SIZE) -> list[Any]:
    """At most ``size`` keys, made up to ``size`` with keys no object has, for those places."""
    if len(found) > size:
        raise ValueError(f"{len(found)} keys for {size} places")
    return [*found, *keys(size)[len(found) :]]


class Prepared:
    """A query the ORM compiles once per database, then runs with other values.

    Building the SQL of a query with a few joins costs the ORM about a millisecond; running it on
    an indexed key costs the database a few microseconds. On a cached page's path that is most of
    the work, so the probe and the versions are prepared; so are the objects a signed-in page is
    about (decision 0924). ``build(*placeholders)`` makes the queryset; each placeholder must
    appear once among the compiled parameters, and ``rows`` and ``objects`` put their values
    there. ``rows`` gives the rows as the database sends them (no field conversions): enough to
    compare, not to show. ``objects`` gives what iterating the queryset would give: model
    instances with their ``select_related`` objects and annotations.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *placeholders: Any) -> None:
        self.build = build
        self.placeholders = placeholders
        self.model = build(*placeholders).model
        self.compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        queryset = self.build(*self.placeholders)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        params = tuple(params)
        if any(params.count(placeholder) != 1 for placeholder in self.placeholders):
            raise ValueError(f"Each placeholder must appear once in the parameters of {sql}")
        compiled = _Compiled(sql, params, [params.index(p) for p in self.placeholders])
        if issubclass(queryset._iterable_class, ModelIterable):
            compiled.loader = _Loader(queryset, compiler, alias)
        return compiled

    def _run(self, values: Sequence[Any]) -> tuple[str, _Compiled, list[tuple[Any, ...]]]:
        alias = router.db_for_read(self.model)
        compiled = self.compiled.get(alias)
        if compiled is None:
            compiled = self.compiled[alias] = self._compile(alias)
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection: Any = connections[alias]  # health_check_* are not in django-stubs
        if (
            connection.connection is None
            or not connection.health_check_enabled
            or connection.health_check_done
            or connection.in_atomic_block
        ):
            return alias, compiled, _fetch(connection, compiled.sql, params)
        # The first query of a request on a kept connection: Django would check the connection
        # with a query of its own first (CONN_HEALTH_CHECKS). A read can be its own check:
        # if the connection died while kept, open a new one and read again (decision 0925).
        connection.health_check_done = True
        try:
            return alias, compiled, _fetch(connection, compiled.sql, params)
        except (InterfaceError, OperationalError):
            connection.close()
            return alias, compiled, _fetch(connection, compiled.sql, params)

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        return self._run(values)[2]

    def objects(self, *values: Any) -> list[Any]:
        alias, compiled, rows = self._run(values)
        if compiled.loader is None:
            raise TypeError("objects() needs a queryset of model instances; use rows()")
        return compiled.loader.load(rows, connections[alias])


class Bulk:
    """``in_bulk`` for a page of keys by a prepared query: ``rows`` (a queryset of objects) with
    ``pk__in`` up to ``size`` keys, compiled once; the unused places hold keys no object has.
    More keys than that go through the ORM."""

    def __init__(self, rows: Callable[[], QuerySet[Any, Any]], size: int) -> None:
        self.rows = rows
        self.size = size
        self.query = Prepared(lambda *pks: rows().filter(pk__in=pks), *keys(size))

    def in_bulk(self, id_list: Sequence[Any]) -> dict[Any, Any]:
        if len(id_list) > self.size:
            return self.rows().in_bulk(id_list)
        return {obj.pk: obj for obj in self.query.objects(*padded(id_list, self.size))}


def _fetch(connection: BaseDatabaseWrapper, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class _Compiled:
    """A prepared query's SQL and parameters for one database, with the placeholders' slots."""

    def __init__(self, sql: str, params: tuple[Any, ...], slots: list[int]) -> None:
        self.sql = sql
        self.params = params
        self.slots = slots
        self.loader: _Loader | None = None


class _Loader:
    """Model instances from a compiled query's rows, as Django's ``ModelIterable`` makes them
    (the same ``from_db``, related populators and field converters), from what the compiler
    worked out once. Querysets it would get wrong are refused when the query is prepared."""

    def __init__(self, queryset: QuerySet[Any, Any], compiler: SQLCompiler, alias: str) -> None:
        query = queryset.query
        if (
            getattr(queryset, "_prefetch_related_lookups")  # noqa: B009 (not in the stubs)
            or getattr(queryset, "_known_related_objects")  # noqa: B009
            or query.extra_select
            or query.deferred_loading != (frozenset(), True)
        ):
            raise ValueError(
                "A prepared query of objects cannot prefetch, defer or select extra columns"
            )
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        # Django 5.2's signature (the stubs have a later one's).
        self.populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(compiler.get_converters([column[0] for column in select]).items())

    def load(self, rows: list[tuple[Any, ...]], connection: BaseDatabaseWrapper) -> list[Any]:
        found = []
        for fetched in rows:
            row = list(fetched)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            obj = self.model.from_db(connection.alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found
