"""The duplicate check before a statement is added: which statements already say much the same.

Pure Python and no database, so that it can be tested alone and stays fast: a conversation's
2,000 statements are compared in a few milliseconds. Two texts are compared by the Jaccard
similarity of their sets of character trigrams (of the lower-cased words, punctuation and a few
very common words left out), which forgives word endings and small typing mistakes, and by the
Jaccard similarity of their word sets, which forgives a changed word order. The higher of the two
counts. Why these and the threshold: docs/decisions/0051-conversations-similar-statements.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# At or above this score a statement is shown as "already here?" (decision 0051): rewordings of
# one idea score 0.5–0.9, statements on the same topic that say different things 0.1–0.35.
THRESHOLD = 0.45
# At most this many similar statements are shown, the most similar first.
LIMIT = 3

_WORD = re.compile(r"\w+", re.UNICODE)
# Words so common that sharing them says nothing (English and Welsh).
_COMMON_WORDS = (
    "a an and are as at be by for from in is it of on or so that the their there this to was we "
    "with should would could will can our us i y yr ar am ac mae yn o"
)
_COMMON = frozenset(_COMMON_WORDS.split())


@dataclass(frozen=True)
class Fingerprint:
    """What a text is compared by: its words and its character trigrams."""

    words: frozenset[str]
    trigrams: frozenset[str]


def fingerprint(text: str) -> Fingerprint:
    """The words (lower case, common words left out) and the trigrams of those words."""
    words = [word for word in _WORD.findall(text.lower()) if word not in _COMMON]
    trigrams: set[str] = set()
    for word in words:
        padded = f" {word} "
        trigrams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return Fingerprint(words=frozenset(words), trigrams=frozenset(trigrams))


def _jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def similarity(first: Fingerprint, second: Fingerprint) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same words)."""
    return max(_jaccard(first.words, second.words), _jaccard(first.trigrams, second.trigrams))


def similar_to(
    text: str,
    candidates: Iterable[tuple[int, str]],
    *,
    threshold: float = THRESHOLD,
    limit: int = LIMIT,
) -> list[int]:
    """The keys of the candidates (key, text) that say much the same as ``text``, most alike
    first (ties: the older, smaller key first)."""
    wanted = fingerprint(text)
    if not wanted.trigrams:
        return []
    scored = []
    for key, other in candidates:
        score = similarity(wanted, fingerprint(other))
        if score >= threshold:
            scored.append((-score, key))
    scored.sort()
    return [key for _score, key in scored[:limit]]
