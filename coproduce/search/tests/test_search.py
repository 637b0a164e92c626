"""The index and the search over it, on whichever database the tests run (SQLite's FTS5 table and
its triggers, or PostgreSQL's tsvector column): what is found, in which order, and how."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.search import actions, queries, registry
from coproduce.search.models import Document
from coproduce.search.registry import Scope, Source
from coproduce.search.tests.factories import document

pytestmark = pytest.mark.django_db


def found(text: str, **filters: str | list[str]) -> list[str]:
    """The titles found, in order."""
    results = queries.search(text, **filters)  # type: ignore[arg-type]
    return [Document.objects.get(pk=key).title for key in results.keys]


def test_the_index_follows_every_write_to_the_documents() -> None:
    note = document(title="Evening drop-in", body="At the library")
    assert found("drop-in") == ["Evening drop-in"]
    note.title, note.body = "Evening session", "At the library, with a crèche"
    note.save()
    assert found("drop-in") == []
    assert found("creche") == ["Evening session"]
    # An upsert (what the actions write) changes the words found as well.
    Document.objects.bulk_create(
        [Document(kind="note", key=note.key, title="Morning café", url="/n/")],
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=actions.UPDATED_FIELDS,
    )
    assert found("session") == []
    assert found("cafe") == ["Morning café"]
    Document.objects.filter(pk=note.pk).delete()
    assert found("cafe") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_sqlite_full_text_table_holds_exactly_the_documents() -> None:
    for n in range(5):
        document(title=f"Garden {n}")
    Document.objects.filter(title="Garden 3").update(title="Pond")
    Document.objects.filter(title="Garden 1").delete()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'garden'")
        assert cursor.fetchone() == (3,)


def test_a_match_in_the_title_beats_one_in_the_text() -> None:
    document(title="Opening hours", body="A drop-in on Saturday mornings")
    document(title="Saturday drop-in", body="Opening hours for families")
    document(title="Bus routes", body="Nothing to do with it")
    assert found("drop-in") == ["Saturday drop-in", "Opening hours"]
    assert found("opening hours") == ["Opening hours", "Saturday drop-in"]


def test_every_word_must_match_and_phrases_keep_their_order() -> None:
    document(title="Drop-in centre", body="Open in the evening")
    document(title="Centre for dropping in", body="")
    assert found("drop-in evening") == ["Drop-in centre"]
    assert found('"centre drop"') == []
    assert found("dropp") == ["Centre for dropping in"]  # the start of a longer word


def test_welsh_columns_are_found_and_accents_fold() -> None:
    document(title="Youth club", title_cy="Clwb ieuenctid", body_cy="Sesiynau galw heibio yn y tŷ")
    assert found("ieuenctid") == ["Youth club"]
    assert found("ty") == ["Youth club"]
    assert found("Tŷ") == ["Youth club"]


def test_filters_by_kind_and_service_with_counts(kinds: None) -> None:
    document(kind="note", title="Cafe note", service_slug="recovery")
    document(kind="memo", title="Cafe memo", service_slug="recovery")
    document(
        kind="memo",
        title="Cafe memo of buses",
        service_id=2,
        service_slug="buses",
        service_name="Bus routes",
    )
    assert sorted(found("cafe", kinds=["memo"])) == ["Cafe memo", "Cafe memo of buses"]
    assert found("cafe", kinds=["memo"], service="buses") == ["Cafe memo of buses"]
    results = queries.search("cafe", kinds=["memo"])
    assert {c.value: c.count for c in results.kinds}.items() >= {"note": 1, "memo": 2}.items()
    assert [(c.value, c.label, c.count) for c in results.services] == [
        ("buses", "Bus routes", 1),
        ("recovery", "Recovery service", 1),
    ]


def test_a_search_that_matches_too_much_ranks_only_the_newest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(queries, "WINDOW", 3)
    made = [document(title=f"Cafe {n}") for n in range(5)]
    results = queries.search("cafe")
    assert results.more
    assert sorted(results.keys) == sorted(d.pk for d in made[-3:])


def test_filters_choose_before_the_newest_are_taken(
    monkeypatch: pytest.MonkeyPatch, kinds: None
) -> None:
    """A filtered search ranks the newest matches of what it asks for, not those of everything."""
    monkeypatch.setattr(queries, "WINDOW", 3)
    older = [document(kind="memo", title=f"Cafe memo {n}", service_slug="buses") for n in range(2)]
    for n in range(5):
        document(kind="note", title=f"Cafe note {n}")
    results = queries.search("cafe", kinds=["memo"])
    assert sorted(results.keys) == sorted(d.pk for d in older)
    assert not results.more
    assert {c.value: c.count for c in results.kinds}["memo"] == 2
    by_service = queries.search("cafe", service="buses")
    assert sorted(by_service.keys) == sorted(d.pk for d in older)
    assert {c.value: c.count for c in by_service.services}["buses"] == 2


def test_index_update_keeps_exactly_what_the_source_says_is_public() -> None:
    public = {1: "Public thing", 2: "Also public"}

    def documents(scope: Scope) -> Iterator[Document]:
        for key in scope.keys if scope.keys is not None else public:
            if key in public:
                yield Document(kind="thing", key=key, title=public[key], url=f"/t/{key}/")

    registry.register_source(Source("thing", "Thing", "Things", documents))
    try:
        actions.index_update("thing", [1, 2, 3])
        assert sorted(found("public")) == ["Also public", "Public thing"]
        del public[2]
        public[1] = "Renamed thing"
        actions.index_update("thing", [1, 2])
        assert found("public") == []
        assert found("renamed") == ["Renamed thing"]
        assert actions.index_rebuild() == 1
        actions.index_update("nothing-registered", [1])  # ignored
        with pytest.raises(ValueError, match="already"):
            registry.register_source(Source("thing", "Thing", "Things", documents))
    finally:
        registry.unregister_source("thing")


def test_text_is_tidied_before_it_is_stored() -> None:
    def documents(scope: Scope) -> Iterator[Document]:
        yield Document(kind="thing", key=1, title="A\x00title\x1f", body="x" * 30_000, url="/")

    registry.register_source(Source("thing", "Thing", "Things", documents))
    try:
        actions.index_update("thing", [1])
        stored = Document.objects.get(kind="thing")
        assert stored.title == "A title"
        assert len(stored.body) == actions.MAX_TEXT
    finally:
        registry.unregister_source("thing")


# --- The page ---------------------------------------------------------------------------------


def page(client: Client, **params: str | list[str]) -> str:
    response = client.get(reverse("search:results"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_results_with_matches_marked_and_escaped(client: Client) -> None:
    document(
        title="<b>Saturday</b> drop-in",
        body="Bring <script>alert(1)</script> the children to the drop-in.",
        url="/notes/1/",
    )
    html = page(client, q="drop-in")
    assert "1 result for ‘drop-in’" in html
    assert "&lt;b&gt;Saturday&lt;/b&gt; <mark>drop-in</mark>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert 'href="/notes/1/"' in html


def test_the_query_itself_is_escaped(client: Client) -> None:
    html = page(client, q='<img src=x onerror=alert(1)> "drop')
    assert "<img src=x" not in html
    assert "0 results for ‘&lt;img src=x onerror=alert(1)&gt; &quot;drop’" in html


@pytest.mark.parametrize(
    "typed",
    ['"', "*", "drop*", "NEAR(a b)", "-drop", "((cafe", "a) OR (b", "x\\", "'", "café:*", "\x00a"],
)
def test_no_input_is_a_500(client: Client, typed: str) -> None:
    document(title="A drop-in cafe")
    response = client.get(reverse("search:results"), {"q": typed, "page": "x", "kind": "nope"})
    assert response.status_code == 200


@given(st.text(max_size=120))
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_text_searches_without_an_error(text: str) -> None:
    """Whatever is typed, the database is asked only what it understands (both databases)."""
    if not Document.objects.exists():
        document(title="Drop-in café ŵyr İstanbul 中文 ß", body="Ar ôl y tŷ, 10-20 o'r gloch")
    queries.search(text)[0:20]


def test_bad_input_gets_a_field_level_message(client: Client) -> None:
    html = page(client, q="x" * 101)
    assert "There is a problem" in html
    assert "Enter 100 characters or fewer" in html
    html = page(client, q="?!*")
    assert "Enter words to search for" in html
    html = page(client, q="cafe", service="not a slug!")
    assert "There is a problem" in html


def test_an_empty_search_explains_rather_than_lists_everything(client: Client) -> None:
    document(title="Cafe")
    html = page(client)
    assert "Search everything that is public here" in html
    assert "There is a problem" not in html
    assert "result" not in page(client, q="   ")


def test_results_come_twenty_a_page(client: Client) -> None:
    for n in range(45):
        document(title=f"Garden {n:02}")
    first, third = page(client, q="garden"), page(client, q="garden", page="3")
    assert "45 results for ‘garden’" in first
    assert first.count('class="app-card-list__item"') == 20
    assert third.count('class="app-card-list__item"') == 5
    assert "page=2" in first
    assert "q=garden" in first
    assert "</mark> 44<" in first
    assert "</mark> 00<" in third


def test_the_page_filters_by_kind_and_service(client: Client, kinds: None) -> None:
    document(kind="note", title="Cafe note")
    document(kind="memo", title="Cafe memo", service_id=2, service_slug="buses")
    html = page(client, q="cafe", kind="memo")
    assert "</mark> memo<" in html
    assert "</mark> note<" not in html
    assert "Memos (1)" in html
    assert "Notes (1)" in html
    assert "Clear the filters" in html
    html = page(client, q="cafe", service="recovery")
    assert "</mark> note<" in html
    assert "</mark> memo<" not in html
    assert "Nothing matches these filters." in page(
        client, q="cafe", kind="memo", service="recovery"
    )
