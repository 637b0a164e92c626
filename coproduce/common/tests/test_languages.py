"""Text in two languages (common.languages, templatetags/bilingual): which text a page shows, how
English standing in for Welsh is marked, and the note that says so (docs/decisions/0025)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.template import Context, Template, engines
from django.test import RequestFactory
from django.utils import translation

from coproduce.common import languages
from coproduce.common.models import PageVersion
from coproduce.common.pagination import Chain


@dataclass
class Thing:
    """Something with a translated field, as a model has: ``title`` and ``title_cy``."""

    title: str = "Open evening"
    title_cy: str = ""
    options: list[str] = field(default_factory=lambda: ["Weekdays", "Weekends"])
    options_cy: list[str] = field(default_factory=list)


def render(source: str, **context: Any) -> str:
    return Template("{% load bilingual %}" + source).render(Context(context))


def test_english_pages_show_the_english_unmarked() -> None:
    with translation.override("en"):
        shown = languages.in_language(Thing(title_cy="Noson agored"), "title")
        assert (shown, shown.language) == ("Open evening", "en")
        assert not shown.fell_back
        assert shown.__html__() == "Open evening"


def test_welsh_pages_show_the_welsh_when_it_is_written() -> None:
    with translation.override("cy"):
        shown = languages.in_language(Thing(title_cy="Noson agored"), "title")
        assert (shown, shown.language) == ("Noson agored", "cy")
        assert shown.__html__() == "Noson agored"


@pytest.mark.parametrize("welsh", ["", "   ", "\n"])
def test_welsh_pages_show_the_english_marked_when_the_welsh_is_missing(welsh: str) -> None:
    with translation.override("cy"):
        shown = languages.in_language(Thing(title_cy=welsh), "title")
        assert (shown, shown.language) == ("Open evening", "en")
        assert shown.fell_back
        assert shown.__html__() == '<span lang="en" data-untranslated>Open evening</span>'


def test_the_marked_text_is_escaped_and_blank_text_is_not_wrapped() -> None:
    with translation.override("cy"):
        assert languages.in_language(Thing(title="<b>&"), "title").__html__() == (
            '<span lang="en" data-untranslated>&lt;b&gt;&amp;</span>'
        )
        assert languages.in_language(Thing(title=""), "title").__html__() == ""
        assert languages.in_language(Thing(title_cy="<i>"), "title").__html__() == "&lt;i&gt;"


def test_english_shown_on_purpose_is_marked_without_the_fallback_mark() -> None:
    with translation.override("cy"):
        assert languages.in_english("Open") == '<span lang="en">Open</span>'
        assert not languages.note_needed(languages.english_hint("Open"))
    with translation.override("en"):
        assert languages.in_english("Open") == "Open"


def test_options_are_matched_by_their_place_in_the_english_list() -> None:
    thing = Thing(options_cy=["Yn ystod yr wythnos", "Ar benwythnosau"])
    with translation.override("cy"):
        assert languages.item_in_language(thing, "options", "Weekends") == "Ar benwythnosau"
        # An option that is not in the list, or a Welsh list of another length: the English.
        assert languages.item_in_language(thing, "options", "Never").language == "en"
        short = Thing(options_cy=["Yn ystod yr wythnos"])
        assert languages.item_in_language(short, "options", "Weekdays").language == "en"
    with translation.override("en"):
        assert languages.item_in_language(thing, "options", "Weekends") == "Weekends"


def test_the_filters_mark_english_and_give_plain_text_where_markup_cannot_go() -> None:
    thing = Thing(title="Line one\nline two & more")
    with translation.override("cy"):
        html = render('{{ t|in_language:"title"|linebreaksbr }}', t=thing)
        assert html == ('<span lang="en" data-untranslated>Line one<br>line two &amp; more</span>')
        assert render('{{ t|text_in_language:"title" }}', t=thing) == (
            "Line one\nline two &amp; more"
        )
        assert render('{{ t|option_in_language:"Weekends" }}', t=thing) == (
            '<span lang="en" data-untranslated>Weekends</span>'
        )
        assert render('{{ t|in_language:"title" }}', t=None) == ""


def test_people_cannot_write_the_fallback_mark_into_a_page() -> None:
    sneaky = Thing(title='<span lang="en" data-untranslated>', title_cy="x")
    with translation.override("cy"):
        assert not languages.note_needed(render('{{ t|text_in_language:"title" }}', t=sneaky))
        assert not languages.note_needed(render("{{ t.title }}", t=sneaky))


NOTE = "Some of this page is only in English so far."


def page(thing: Thing) -> str:
    request = RequestFactory().get("/")
    source = (
        '{% extends "base.html" %}{% load bilingual %}'
        '{% block content %}<h1>{{ t|in_language:"title" }}</h1>'
        '<p>{{ t|in_language:"title" }}</p>{% endblock %}'
    )
    return engines["django"].from_string(source).render({"t": thing}, request)


@pytest.mark.django_db
def test_the_note_is_shown_once_above_the_content_on_welsh_pages_only() -> None:
    with translation.override("cy"):
        html = page(Thing())
        main = html[html.index("<main") :]
        assert main.count('id="language-note"') == 1
        assert main.index('id="language-note"') < main.index("<h1>")
        assert 'id="language-note"' not in page(Thing(title_cy="Noson agored"))
    with translation.override("en"):
        assert 'id="language-note"' not in page(Thing())


@pytest.mark.django_db
def test_chain_pages_several_querysets_as_one_list() -> None:
    for n in range(5):
        PageVersion.objects.create(scope=f"a:{n}", token=n)
        PageVersion.objects.create(scope=f"b:{n}", token=n)
    chain = Chain(
        [
            (
                PageVersion.objects.filter(scope__startswith="a:").order_by("scope"),
                lambda v: v.scope,
            ),
            (PageVersion.objects.none(), lambda v: v.scope),
            (
                PageVersion.objects.filter(scope__startswith="b:").order_by("scope"),
                lambda v: v.scope.upper(),
            ),
        ]
    )
    assert chain.count() == len(chain) == 10
    assert chain[3:7] == ["a:3", "a:4", "B:0", "B:1"]
    assert chain[8:20] == ["B:3", "B:4"]
    assert chain[:2] == ["a:0", "a:1"]
