"""Words as the index sees them: what people type, parsed into terms both databases understand.

Anything typed is safe: a query is only ever words made of letters and digits, which this module
quotes itself for each database, so quotes, ``*``, ``NEAR``, ``OR``, brackets or backslashes are
plain characters or plain words, never syntax. Quoted words ("community centre") must appear
together in that order; a word joined by hyphens or apostrophes (drop-in, don't) is such a phrase
too. Every term must match. A word of four or more letters, and the end of a joined word, also
match as the start of a longer word (idea finds ideas; drop-in finds drop-ins): the index does not
stem, because it holds Welsh and English alike.

Letters with accents match the letter without (tŷ, ty): SQLite's tokenizer folds them, and the
PostgreSQL index folds the same letters with ``translate`` (``FOLD_FROM``/``FOLD_TO``, copied
into migration 0002).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lower-case letters with diacritics that PostgreSQL's index folds to the plain letter, and
# those letters: the Latin-1 and Latin Extended letters (Welsh ŵ and ŷ among them) whose Unicode
# decomposition is one ASCII letter and marks. Migration 0002 holds a copy (a test compares them).
FOLD_FROM = (
    "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžſơưǎǐǒǔǖǘǚǜ"
    "ǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳḁḃḅḇḉḋḍḏḑḓḕḗḙḛḝḟḡḣḥḧḩḫḭḯḱḳḵḷḹḻḽḿṁṃṅṇṉṋṍṏṑṓṕṗṙṛṝṟṡṣṥṧṩṫṭṯṱṳṵṷṹṻṽṿ"
    "ẁẃẅẇẉẋẍẏẑẓẕẖẗẘẙẛạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)
FOLD_TO = (
    "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzsouaiouuuuu"
    "aagkoojgnaaaeeiioorruusthaeooooyabbbcdddddeeeeefghhhhhiikkkllllmmmnnnnoooopprrrrsssssttttuuuuuvv"
    "wwwwwxxyzzzhtwysaaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy"
)
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)

# A word: letters and digits (an underscore is not a letter, as in both databases' tokenizers).
WORD = re.compile(r"[^\W_]+")
# Straight and curly double quotes start and end a phrase.
_QUOTES = re.compile(r"[\"“”„‟]")

MAX_LENGTH = 100  # characters people may type (the form and the API say so)
MAX_TERMS = 10  # more words than this are ignored
MAX_WORD = 40  # letters kept of a longer word
PREFIX_FROM = 4  # a word this long also matches the start of longer words


def fold(word: str) -> str:
    """A word as the index compares it: lower case, accents folded as the PostgreSQL index does."""
    return fold_accents(word.lower())


def fold_accents(text: str) -> str:
    """The letters of FOLD_FROM as those of FOLD_TO, one for one (positions stay the same)."""
    return text.translate(_FOLD)


def words(text: str) -> list[str]:
    return WORD.findall(text)


@dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word, or words in this order (a phrase)."""

    words: tuple[str, ...]  # folded
    prefix: bool  # the last word may also be the start of a longer one

    def fts5(self) -> str:
        """The term in SQLite FTS5's query syntax: a quoted phrase, ``*`` for a prefix."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        """The term in PostgreSQL's tsquery syntax: quoted lexemes, ``<->`` between them."""
        quoted = [f"'{word}'" for word in self.words]
        if self.prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + ")"


@dataclass(frozen=True)
class Query:
    """What someone searched for: terms that must all match."""

    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        return " AND ".join(term.fts5() for term in self.terms)

    def tsquery(self) -> str:
        return " & ".join(term.tsquery() for term in self.terms)


def _term(chunk: str, *, quoted: bool) -> Term | None:
    found = tuple(fold(word[:MAX_WORD]) for word in words(chunk))
    if not found:
        return None
    joined = len(found) > 1
    prefix = not quoted and (joined or len(found[-1]) >= PREFIX_FROM)
    return Term(found, prefix)


def parse(text: str) -> Query:
    """The terms of what someone typed (at most MAX_TERMS); none when it holds no word at all."""
    terms: list[Term] = []
    for position, part in enumerate(_QUOTES.split(text[: MAX_LENGTH * 2])):
        quoted = position % 2 == 1  # between an opening and a closing quote (or the end)
        chunks = [part] if quoted else part.split()
        for chunk in chunks:
            term = _term(chunk, quoted=quoted)
            if term is not None and term not in terms:
                terms.append(term)
    return Query(text=text, terms=tuple(terms[:MAX_TERMS]))
