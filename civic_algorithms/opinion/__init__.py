"""Polis-style opinion mapping: vote matrix, PCA, opinion groups, representative and consensus
statements, and which statement to show next. Framework-free; see docs/opinion.md.

Typical use from plain data::

    votes = VoteTable.from_arrays(participant_ids, statement_ids, votes, timestamps)
    result = analyse(Conversation(votes=votes, moderated_out=frozenset({7})), seed=0)
    result.group_of()            # participant id -> group label
    result.consensus_ranking()   # [(statement id, group-aware consensus), ...]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civic_algorithms.opinion.engine import METHOD, VERSION, OpinionEngine, analyse
    from civic_algorithms.opinion.model import (
        AGREE,
        DISAGREE,
        PASS,
        ConsensusStatement,
        Conversation,
        Group,
        OpinionInputError,
        OpinionMap,
        Parameters,
        RepresentativeStatement,
        VoteTable,
    )
    from civic_algorithms.opinion.readers import (
        PolisMath,
        read_conversation,
        read_polis_export,
        read_polis_math,
        read_polis_server_groups,
        read_reddwarf_fixture,
    )

# Names are loaded on first use so that importing the CLI module (for --help) stays instant.
_HOME = {
    "METHOD": "engine",
    "VERSION": "engine",
    "OpinionEngine": "engine",
    "analyse": "engine",
    "AGREE": "model",
    "DISAGREE": "model",
    "PASS": "model",
    "ConsensusStatement": "model",
    "Conversation": "model",
    "Group": "model",
    "OpinionInputError": "model",
    "OpinionMap": "model",
    "Parameters": "model",
    "RepresentativeStatement": "model",
    "VoteTable": "model",
    "PolisMath": "readers",
    "read_conversation": "readers",
    "read_polis_export": "readers",
    "read_polis_math": "readers",
    "read_polis_server_groups": "readers",
    "read_reddwarf_fixture": "readers",
}

__all__ = [
    "AGREE",
    "DISAGREE",
    "METHOD",
    "PASS",
    "VERSION",
    "ConsensusStatement",
    "Conversation",
    "Group",
    "OpinionEngine",
    "OpinionInputError",
    "OpinionMap",
    "Parameters",
    "PolisMath",
    "RepresentativeStatement",
    "VoteTable",
    "analyse",
    "read_conversation",
    "read_polis_export",
    "read_polis_math",
    "read_polis_server_groups",
    "read_reddwarf_fixture",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"civic_algorithms.opinion.{_HOME[name]}")
    return getattr(module, name)
