"""What people type, parsed into terms: never syntax, whatever they type."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.search.text import FOLD_FROM, FOLD_TO, MAX_TERMS, Term, fold, parse


def test_words_become_terms_and_long_words_match_longer_ones() -> None:
    query = parse("bus stop timetable")
    assert query.terms == (
        Term(("bus",), prefix=False),
        Term(("stop",), prefix=True),
        Term(("timetable",), prefix=True),
    )
    assert query.fts5() == '"bus" AND "stop"* AND "timetable"*'
    assert query.tsquery() == "('bus') & ('stop':*) & ('timetable':*)"


def test_joined_words_and_quotes_are_phrases() -> None:
    assert parse("drop-in").terms == (Term(("drop", "in"), prefix=True),)
    assert parse('"community centre" cafe').terms == (
        Term(("community", "centre"), prefix=False),
        Term(("cafe",), prefix=True),
    )
    assert parse("“quiet room").terms == (Term(("quiet", "room"), prefix=False),)  # never closed


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ('"', []),
        ("*", []),
        ("NEAR(a b)", [("near", "a"), ("b",)]),  # a word joined by a bracket: a phrase
        ("-drop", [("drop",)]),
        ("((cafe", [("cafe",)]),
        ("a OR b AND NOT c", [("a",), ("or",), ("b",), ("and",), ("not",), ("c",)]),
        ("title:cafe^2", [("title", "cafe", "2")]),
        ("'; DROP TABLE search_document; --", [("drop",), ("table",), ("search", "document")]),
        ("x\\' & !y | z:*", [("x",), ("y",), ("z",)]),
    ],
)
def test_syntax_characters_are_plain_characters(typed: str, words: list[tuple[str, ...]]) -> None:
    assert [term.words for term in parse(typed).terms] == words


def test_accents_fold_and_case_folds() -> None:
    assert fold("Tŷ") == "ty"
    assert parse("CAFÉ").terms == (Term(("cafe",), prefix=True),)


def test_at_most_ten_terms_and_no_repeats() -> None:
    query = parse(" ".join(f"word{n}" for n in range(30)) + " word0")
    assert len(query.terms) == MAX_TERMS
    assert len(parse("cafe cafe cafe").terms) == 1


def test_nothing_to_search_for_is_falsy() -> None:
    assert not parse("")
    assert not parse("  ?! … ")


@given(st.text(max_size=300))
def test_any_text_gives_only_quoted_words(text: str) -> None:
    for term in parse(text).terms:
        assert term.words
        for word in term.words:
            assert word.isalnum() or all(c.isalnum() for c in word), word
            assert '"' not in word
            assert "'" not in word


def test_the_migration_folds_the_same_letters() -> None:
    migration = importlib.import_module("coproduce.search.migrations.0002_full_text")
    assert (migration.FOLD_FROM, migration.FOLD_TO) == (FOLD_FROM, FOLD_TO)
    assert len(FOLD_FROM) == len(FOLD_TO)
