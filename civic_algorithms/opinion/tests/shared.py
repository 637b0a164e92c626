"""Cached loading of the shared Polis conversations for the opinion tests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from civic_algorithms.opinion import (
    Conversation,
    OpinionMap,
    PolisMath,
    analyse,
    read_conversation,
    read_polis_math,
)

CONVERSATIONS = (
    "london.youth.policing",
    "reddwarf-fixture.below-100-ptpts",
    "brexit-consensus",
    "reddwarf-fixture.above-100-ptpts",
    "scoop-hivemind.biodiversity",
    "football-concussions",
    "vtaiwan.uberx",
    "american-assembly.bowling-green",
)
FIXTURES = ("reddwarf-fixture.below-100-ptpts", "reddwarf-fixture.above-100-ptpts")


@cache
def conversation(folder: Path) -> Conversation:
    """The conversation in a shared-data folder, read once per test process."""
    return read_conversation(folder)


@cache
def result(folder: Path, keep_polis_in_conv: bool = False) -> OpinionMap:
    """Our analysis of a shared conversation (optionally keeping Polis' in-conv set)."""
    keep = polis_math(folder).in_conv if keep_polis_in_conv else frozenset()
    return analyse(conversation(folder), keep_participant_ids=keep)


@cache
def polis_math(folder: Path) -> PolisMath:
    """The Clojure Polis output of a red-dwarf fixture."""
    return read_polis_math(folder / "math-pca2.json")


@cache
def reddwarf(folder: Path) -> dict[str, Any]:
    """red-dwarf 0.4.0's reference answers for a shared conversation."""
    with (folder / "expected.reddwarf.json").open() as handle:
        data: dict[str, Any] = json.load(handle)
    return data
