"""Matches marked in what was found, and nothing people wrote ever becomes markup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coproduce.search.highlight import excerpt, has_match, highlight
from coproduce.search.text import parse


def test_every_match_is_marked_whatever_its_case_or_accents() -> None:
    shown = highlight("Café drop-in, and a Drop-In on Saturdays", parse("drop-in cafe"))
    assert (
        shown == "<mark>Café</mark> <mark>drop-in</mark>, and a <mark>Drop-In</mark> on Saturdays"
    )


def test_a_long_word_also_matches_longer_ones_a_short_one_does_not() -> None:
    assert highlight("ideas and idea", parse("idea")) == "<mark>ideas</mark> and <mark>idea</mark>"
    assert highlight("busy buses at the bus stop", parse("bus")) == (
        "busy buses at the <mark>bus</mark> stop"
    )


def test_html_in_the_text_is_escaped_and_only_our_marks_are_markup() -> None:
    text = '<script>alert("drop-in")</script> <img src=x onerror=alert(1)> drop-in'
    shown = highlight(text, parse("drop-in script"))
    assert "<script>" not in shown
    assert "<img" not in shown
    assert shown.count("<mark>") == 4  # script twice, drop-in twice
    assert "&lt;<mark>script</mark>&gt;alert(&quot;<mark>drop-in</mark>&quot;)" in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in excerpt(text, parse("drop-in"))


@given(st.text(alphabet="<>&\"' abc-/=", max_size=80), st.text(alphabet="<>&\"' abc-", max_size=12))
def test_no_text_and_no_query_can_make_markup(text: str, typed: str) -> None:
    for shown in (highlight(text, parse(typed)), excerpt(text, parse(typed))):
        assert "<" not in shown.replace("<mark>", "").replace("</mark>", "")


def test_the_excerpt_is_where_the_matches_are() -> None:
    text = (
        ("Nothing about it here. " * 30) + "The Saturday drop-in has a crèche. " + ("More. " * 60)
    )
    shown = excerpt(text, parse("drop-in creche"))
    assert shown.startswith("… ")
    assert shown.endswith(" …")
    assert "<mark>drop-in</mark>" in shown
    assert "<mark>crèche</mark>" in shown
    assert len(shown) < 300


def test_no_match_shows_the_start_and_says_no_match() -> None:
    assert excerpt("A short text.", parse("garden")) == "A short text."
    assert not has_match("A short text.", parse("garden"))
    assert has_match("Gardening club", parse("garden"))
