"""What "Download my data" puts in the ZIP: one export per file, and the fields left out on purpose.

Every field of every model that points at a person (a ForeignKey, OneToOneField or
ManyToManyField to ``settings.AUTH_USER_MODEL``) must be either the ``via`` of some export or in
the list of exclusions with its reason; ``uncovered()`` names the ones that are neither, and a test
fails on them (decision 0097). The project's own exports and exclusions are in ``catalogue.py``.

This app sits above every domain app, so the catalogue names them all; the api and demo apps
could add theirs with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise

from coproduce.accounts.models import User

# A custom exporter: the person's rows, each a mapping of column name to a value that JSON can hold
# (dates, decimals and the like are turned into text when written).
Rows = Iterable[Mapping[str, Any]]
Exporter = Callable[[User], Rows]


@dataclass(frozen=True)
class Export:
    """One file pair (``<name>.json`` and ``<name>.csv``) in the ZIP.

    The rows are those of ``model`` where any field of ``via`` is the person (``via=("pk",)`` for
    the account itself), or, for an export with a ``parent``, those whose ``parent[1]`` lookup
    leads to a row of the parent export (a ballot's choices, a survey submission's answers).
    ``only`` lists the only fields given; ``exclude`` the fields never given (secrets, hashes,
    other people's data). ``rows`` replaces all of that with a function of the person; ``optional``
    exports are skipped while their model is not installed.
    """

    name: str
    model: str
    about: str | Promise
    via: tuple[str, ...] = ()
    parent: tuple[str, str] | None = None
    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rows: Exporter | None = None
    optional: bool = False
    # Extra columns for each row, worked out from the object (a contribution's title and link).
    extra_columns: Callable[[Any], Mapping[str, Any]] | None = field(default=None, compare=False)

    def model_class(self) -> type[models.Model] | None:
        """The model, or None when it is not installed (an optional export)."""
        app_label, model_name = self.model.split(".")
        try:
            return apps.get_model(app_label, model_name)
        except LookupError:
            return None


_exports: dict[str, Export] = {}
# "app_label.Model.field": why that field does not lead to an export.
_excluded: dict[str, str] = {}


def register(export: Export) -> None:
    """Add an export (each name once: a second registration is a programming error)."""
    if export.name in _exports:
        raise ValueError(f"An export named {export.name!r} is already registered.")
    if export.parent is not None:
        parent = _exports.get(export.parent[0])
        if parent is None:
            raise ValueError(f"Register the export {export.parent[0]!r} before its children.")
        if parent.rows is not None:
            raise ValueError(f"The export {parent.name!r} has a custom exporter: no children.")
    _exports[export.name] = export


def exclude(field_path: str, reason: str) -> None:
    """Record that ``app_label.Model.field`` leads to no export, and why (a reason is required)."""
    if not reason.strip():
        raise ValueError(f"Say why {field_path} is not exported.")
    _excluded[field_path] = reason


def exports() -> list[Export]:
    """Every export whose model is installed, in the order registered (parents first)."""
    return [export for export in _exports.values() if export.model_class() is not None]


def excluded() -> dict[str, str]:
    return dict(_excluded)


def user_fields(
    models_: Iterable[type[models.Model]] | None = None,
) -> Iterator[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every field that points at a person, of every model (or of these models): ForeignKey,
    OneToOneField and ManyToManyField to the user model. Django's own many-to-many tables are
    left out: their field is the one declared on the model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in models_ if models_ is not None else apps.get_models():
        if model._meta.auto_created:
            continue
        for found in model._meta.get_fields():
            if (
                isinstance(found, models.Field)
                and found.is_relation
                and (found.many_to_one or found.one_to_one or found.many_to_many)
                and not found.auto_created
                and found.related_model is user_model
            ):
                yield model, found


def uncovered(
    *,
    models_: Iterable[type[models.Model]] | None = None,
    exports_: Iterable[Export] | None = None,
    excluded_: Mapping[str, str] | None = None,
) -> list[str]:
    """``app_label.Model.field`` for each user field that no export reads and no exclusion names."""
    exports_ = list(exports_ if exports_ is not None else exports())
    excluded_ = excluded_ if excluded_ is not None else _excluded
    covered = {f"{export.model}.{name}" for export in exports_ for name in export.via}
    return sorted(
        path
        for model, found in user_fields(models_)
        if (path := f"{model._meta.label}.{found.name}") not in covered
        and not excluded_.get(path, "").strip()
    )


def stale(
    *, exports_: Iterable[Export] | None = None, excluded_: Mapping[str, str] | None = None
) -> list[str]:
    """Exports and exclusions that name a model or field that does not exist (a rename)."""
    problems = []
    for export in exports_ if exports_ is not None else _exports.values():
        model = export.model_class()
        if model is None:
            if not export.optional:
                problems.append(f"{export.name}: no model {export.model}")
            continue
        for name in (*export.via, *export.only, *export.exclude):
            if name != "pk" and not _has_field(model, name):
                problems.append(f"{export.name}: no field {export.model}.{name}")
    for path in excluded_ if excluded_ is not None else _excluded:
        label, _, name = path.rpartition(".")
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            problems.append(f"exclusion {path}: no model {label}")
            continue
        if not _has_field(model, name):
            problems.append(f"exclusion {path}: no such field")
    return problems


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
