"""Shared fixtures: each real Pabulib file is read once per test session (per worker)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from civic_algorithms.budgeting.model import Election
from civic_algorithms.budgeting.pabulib import read_pabulib
from civic_algorithms.budgeting.profile import Ballots, compile_ballots

FILES = (
    "France_Toulouse_2022",
    "Netherlands_Amsterdam_309",
    "Netherlands_Assen_2024",
    "Poland_Katowice_2023",
    "Poland_Krakow_2022",
    "Poland_Lodz_2022",
    "Poland_Warszawa_2023_Mokotow",
    "Poland_Warszawa_2026",
    "Poland_Wieliczka_2023_Green_Budget",
    "Poland_Wroclaw_2023",
)


@functools.cache
def _read(path: str) -> Election:
    return read_pabulib(path)


@functools.cache
def _compile(path: str) -> Ballots:
    return compile_ballots(_read(path))


@pytest.fixture(scope="session")
def pabulib(shared_data: Path) -> Callable[[str], Election]:
    """Read ``<name>.pb`` from the shared data (cached)."""
    return lambda name: _read(str(shared_data / "pabulib" / f"{name}.pb"))


@pytest.fixture(scope="session")
def compiled(shared_data: Path) -> Callable[[str], Ballots]:
    """Compiled ballots of ``<name>.pb`` from the shared data (cached)."""
    return lambda name: _compile(str(shared_data / "pabulib" / f"{name}.pb"))
