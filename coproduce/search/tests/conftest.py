"""An index of documents written directly, with a source of the tests' own: the search app alone
(the apps above it are tested with their sources in tests/search/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coproduce.search import registry

KINDS = ("note", "memo")


@pytest.fixture
def kinds() -> Iterator[None]:
    """Two kinds of thing, "note" and "memo", that build no rows of their own."""
    for kind, plural in zip(KINDS, ("Notes", "Memos"), strict=True):
        registry.register_source(
            registry.Source(kind=kind, label=kind.title(), plural=plural, documents=lambda s: [])
        )
    yield
    for kind in KINDS:
        registry.unregister_source(kind)
