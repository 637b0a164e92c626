"""The open-data catalogue: every dataset the site publishes on /data/, with its formats.

The app that owns the data registers its datasets from its ``AppConfig.ready()`` (this app
registers the ledger export and the services in Open Referral UK; contributions its decisions and
"You said, we did")::

    register_dataset(Dataset(code="decisions", title=_("Decisions"), description=…,
                             formats=(Format("csv", "CSV", "text/csv", decisions_csv), …),
                             version=decisions_version, last_updated=decisions_updated))

Each format's ``stream()`` yields the file in pieces (text), read from the database in chunks, so
no export holds a whole table in memory. ``version()`` changes whenever what the files hold
changes: the downloads are cached by it (ETag, 304). Only public things are exported, whoever asks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

Label = str | Promise


@dataclass(frozen=True)
class Format:
    """One file of a dataset: /data/<code>.<extension>."""

    extension: str  # "csv", "json", "jsonl"
    label: str  # "CSV", shown on /data/
    content_type: str
    stream: Callable[[], Iterable[str]]
    standard: Label = ""  # the standard it follows, if any ("Open Referral UK 3.0")


@dataclass(frozen=True)
class Dataset:
    """One dataset of the catalogue."""

    code: str  # in the file names: letters, digits and hyphens
    title: Label
    description: Label
    formats: Sequence[Format]
    version: Callable[[], str]
    last_updated: Callable[[], dt.datetime | None]
    order: int = 100  # its place on /data/

    def format(self, extension: str) -> Format | None:
        return next((f for f in self.formats if f.extension == extension), None)


_DATASETS: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> Dataset:
    """Register a dataset; each code once (a second registration is a programming error)."""
    if dataset.code in _DATASETS:
        raise ValueError(f"The open-data catalogue already has a dataset {dataset.code!r}.")
    if not dataset.code.replace("-", "").isalnum() or not dataset.code.islower():
        raise ValueError(f"A dataset code is lower-case letters, digits and -: {dataset.code!r}.")
    _DATASETS[dataset.code] = dataset
    return dataset


def unregister_dataset(code: str) -> None:
    """Forget a dataset: for tests that register one of their own."""
    _DATASETS.pop(code, None)


def all_datasets() -> list[Dataset]:
    return sorted(_DATASETS.values(), key=lambda d: (d.order, d.code))


def get_dataset(code: str) -> Dataset | None:
    return _DATASETS.get(code)


def version_of(*parts: object) -> str:
    """A short version string from what identifies a state of the data (counts, latest times)."""
    text = "\n".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:20]
