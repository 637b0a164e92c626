"""Matches shown in what was found: the title with every match marked, and an excerpt of the text
around the best cluster of matches.

Built in Python for both databases, with the same words and folding as the query (``text``), so a
result looks the same on SQLite and PostgreSQL. Safe by construction: the text is cut into pieces
at the matches, every piece is escaped, and only this module's own ``<mark>`` and ``</mark>`` go
between them, so what people wrote can never become markup.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from coproduce.search.text import Query, Term, fold_accents

EXCERPT_CHARACTERS = 220  # about 32 words
LEAD_CHARACTERS = 40  # shown before the first match of an excerpt
MAX_STARTS = 50  # places an excerpt may start at: the first matches of a long text
_SPACE = re.compile(r"\s+")
_LETTER = r"[^\W_]"  # a letter or digit: what words are made of (text.WORD)


class _Span(NamedTuple):
    start: int
    end: int
    term: int


@lru_cache(maxsize=256)
def _pattern(term: Term) -> re.Pattern[str]:
    """The term in folded text: its words in order, with anything but letters between them. (That
    no letter comes just before it is checked by ``_spans``: a look-behind makes this slow.)"""
    words = r"[\W_]+".join(re.escape(word) for word in term.words)
    tail = f"{_LETTER}*" if term.prefix else ""
    return re.compile(f"{words}{tail}(?!{_LETTER})")


def _folded(text: str) -> str:
    """The text folded as the query is, letter for letter (so positions stay the same)."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer ("İ"): keep it as it is
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return fold_accents(lower)


def _spans(text: str, query: Query) -> list[_Span]:
    folded = _folded(text)
    found = [
        _Span(m.start(), m.end(), number)
        for number, term in enumerate(query.terms)
        for m in _pattern(term).finditer(folded)
        if not m.start() or not folded[m.start() - 1].isalnum()
    ]
    return sorted(found)


def _marks(spans: list[_Span]) -> list[tuple[int, int]]:
    """The spans to mark, overlapping ones merged."""
    marks: list[tuple[int, int]] = []
    for span in spans:
        if marks and span.start <= marks[-1][1]:
            marks[-1] = (marks[-1][0], max(span.end, marks[-1][1]))
        else:
            marks.append((span.start, span.end))
    return marks


def _render(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """``text[start:end]`` escaped, on one line, with each span of ``marks`` in <mark>."""
    pieces: list[str] = []
    position = start
    for mark_start, mark_end in marks:
        if mark_end <= position or mark_start >= end:
            continue
        mark_start, mark_end = max(mark_start, position), min(mark_end, end)
        pieces.append(escape(_SPACE.sub(" ", text[position:mark_start])))
        pieces.append("<mark>" + escape(_SPACE.sub(" ", text[mark_start:mark_end])) + "</mark>")
        position = mark_end
    pieces.append(escape(_SPACE.sub(" ", text[position:end])))
    return "".join(pieces)


def highlight(text: str, query: Query) -> SafeString:
    """All of ``text``, escaped, with every match marked."""
    shown = _render(text, 0, len(text), _marks(_spans(text, query)))
    return mark_safe(shown.strip())  # noqa: S308 -- every piece escaped


def has_match(text: str, query: Query) -> bool:
    return bool(_spans(text, query))


def _word_start(text: str, position: int) -> int:
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position


def _word_end(text: str, position: int) -> int:
    while position < len(text) and not text[position].isspace():
        position += 1
    return position


def excerpt(text: str, query: Query, *, size: int = EXCERPT_CHARACTERS) -> SafeString:
    """About ``size`` characters of ``text`` where the most different terms match (the first such
    place), with the matches marked and "…" where it is cut; its start when nothing matches."""
    spans = _spans(text, query)
    first = 0
    if spans:
        starts = [span.start for span in spans]
        best: tuple[int, int] = (-1, -1)
        for span in spans[:MAX_STARTS]:
            start = _word_start(text, max(0, span.start - LEAD_CHARACTERS))
            window = spans[bisect_left(starts, start) : bisect_left(starts, start + size)]
            terms = {s.term for s in window if s.end <= start + size}
            score = (len(terms), len(window))
            if score > best:
                best, first = score, start
            if len(terms) == len(query.terms) and span.start > first + size:
                break  # every term is in the best place found, and no later one is better
    last = _word_end(text, min(len(text), first + size))
    shown = _render(text, first, last, _marks(spans)).strip()
    if first > 0 and shown:
        shown = "… " + shown
    if text[last:].strip() and shown:
        shown += " …"
    return mark_safe(shown)  # noqa: S308 -- every piece escaped
