"""The spine's open data on /data/: decisions and "You said, we did", as CSV and JSON, public
things only, streamed in chunks, cached by version, and safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coproduce.contributions import actions, opendata
from coproduce.contributions.ledger import DECISION
from coproduce.contributions.models import AuthorDisplay, Contribution
from coproduce.contributions.tests.test_welsh import decision_for, ideas, professional, said
from coproduce.services.models import Activity, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of
from coproduce.transparency.queries import latest_entry

__all__ = ["ideas", "professional"]  # fixtures
pytestmark = pytest.mark.django_db


def _body(response: Any) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def _csv(client: Client, url: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_body(client.get(url)))))


@pytest.fixture
def draft_decision() -> Any:
    """A decision of a draft service, with its own idea: never exported."""
    draft = ActivityFactory(service=ServiceFactory(status=ServiceStatus.DRAFT))
    staff = staff_of(draft)
    idea = said(draft, "Draft idea")
    actions.response_create(contribution=idea, author=staff, body="Draft answer")
    return decision_for(draft.service, staff, title="Secret plan", contributions=[idea])


# --- Decisions ---------------------------------------------------------------------------------


def test_public_decisions_with_their_ledger_entries_and_contributions(
    client: Client, ideas: Activity, professional: Any, draft_decision: Any
) -> None:
    first, hidden = said(ideas, "Evening hours"), said(ideas, "Rude idea")
    decision = decision_for(ideas.service, professional, contributions=[first, hidden])
    actions.moderation_hide(contribution=hidden, moderator=professional)
    actions.decision_set_welsh(
        decision=decision, by=professional, title_cy="Ystafell dawel", description_cy="Oherwydd."
    )
    entry = latest_entry(DECISION, decision.pk)
    assert entry is not None
    assert entry.corrects is not None
    data = json.loads(_body(client.get("/data/decisions.json")))
    (row,) = data
    assert row["id"] == decision.pk
    assert row["title"] == "A quiet room at the hub"
    assert row["title_cy"] == "Ystafell dawel"
    assert row["ledger_entry"] == entry.corrects  # the first entry of the decision
    assert row["ledger_latest_entry"] == entry.seq
    assert row["contributions"] == [first.pk]  # the hidden one is not named
    assert row["url"].endswith(decision.get_absolute_url())
    rows = _csv(client, "/data/decisions.csv")
    assert [r["id"] for r in rows] == [str(decision.pk)]
    assert rows[0]["contributions"] == str(first.pk)
    assert rows[0]["ledger_entry"] == str(entry.corrects)
    everything = _body(client.get("/data/decisions.json")) + _body(
        client.get("/data/decisions.csv")
    )
    assert "Secret plan" not in everything


def test_csv_cells_are_safe_from_spreadsheet_formulas(
    client: Client, ideas: Activity, professional: Any
) -> None:
    decision_for(ideas.service, professional, title='=HYPERLINK("http://evil")')
    idea = said(ideas, "+SUM(A1)")
    actions.response_create(contribution=idea, author=professional, body="@cmd")
    (row,) = _csv(client, "/data/decisions.csv")
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    (said_row,) = _csv(client, "/data/you-said-we-did.csv")
    assert said_row["we_did"].split(": ", 1)[1] == "@cmd"  # inside a cell, not at its start
    assert not any(value.startswith(("=", "+", "@", "-")) for value in said_row.values())


def test_the_decisions_download_is_streamed_in_chunks(
    client: Client, ideas: Activity, professional: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows come from a server-side iterator in chunks; the ledger look-up is one per chunk."""
    for number in range(5):
        decision_for(ideas.service, professional, title=f"Decision {number}")
    monkeypatch.setattr(opendata, "CHUNK", 2)
    with CaptureQueriesContext(connection) as queries:
        rows = json.loads(_body(client.get("/data/decisions.json")))
    assert len(rows) == 5
    ledger_reads = [q for q in queries if 'FROM "transparency_ledgerentry"' in q["sql"]]
    per_chunk = [q for q in ledger_reads if '"key" IN' in q["sql"]]
    assert len(per_chunk) == 3  # chunks of 2, 2 and 1


def test_the_decisions_download_is_cached_by_version(
    client: Client, ideas: Activity, professional: Any
) -> None:
    decision = decision_for(ideas.service, professional)
    etag = client.get("/data/decisions.csv")["ETag"]
    assert client.get("/data/decisions.csv", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/data/decisions.json", headers={"If-None-Match": etag}).status_code == 200
    actions.decision_set_welsh(
        decision=decision, by=professional, title_cy="Ystafell", description_cy="Oherwydd."
    )
    assert client.get("/data/decisions.csv", headers={"If-None-Match": etag}).status_code == 200


# --- You said, we did --------------------------------------------------------------------------


def test_you_said_we_did_holds_answered_public_contributions_only(
    client: Client, ideas: Activity, professional: Any, draft_decision: Any
) -> None:
    answered, waiting, hidden = (
        said(ideas, "Evening hours"),
        said(ideas, "No answer yet"),
        said(ideas, "Hidden idea"),
    )
    Contribution.objects.filter(pk=answered.pk).update(author_display=AuthorDisplay.NAMED)
    actions.response_create(contribution=answered, author=professional, body="We open late.")
    actions.response_create(contribution=hidden, author=professional, body="Hidden answer")
    actions.moderation_hide(contribution=hidden, moderator=professional)
    decision = decision_for(ideas.service, professional, contributions=[answered])
    data = json.loads(_body(client.get("/data/you-said-we-did.json")))
    (row,) = data
    assert row["id"] == answered.pk
    assert answered.author is not None
    assert row["author"] == answered.author.name
    assert row["you_said"] == answered.kind_spec.text(answered)
    assert [r["answer"] for r in row["we_did"]] == ["We open late."]
    assert [d["id"] for d in row["decisions"]] == [decision.pk]
    body = _body(client.get("/data/you-said-we-did.json")) + _body(
        client.get("/data/you-said-we-did.csv")
    )
    for private in ("No answer yet", "Hidden", "Draft idea", "Draft answer", "Secret plan"):
        assert private not in body
    assert waiting.pk not in [r["id"] for r in data]


def test_anonymous_authors_stay_anonymous(
    client: Client, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "Quiet")
    Contribution.objects.filter(pk=idea.pk).update(author_display=AuthorDisplay.FIRST_NAME)
    actions.response_create(contribution=idea, author=professional, body="Yes.")
    (row,) = _csv(client, "/data/you-said-we-did.csv")
    assert row["author"] == "Anonymous"


def test_you_said_we_did_is_cached_by_version(
    client: Client, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "Quiet")
    etag = client.get("/data/you-said-we-did.json")["ETag"]
    assert (
        client.get("/data/you-said-we-did.json", headers={"If-None-Match": etag}).status_code == 304
    )
    actions.response_create(contribution=idea, author=professional, body="Yes.")
    assert (
        client.get("/data/you-said-we-did.json", headers={"If-None-Match": etag}).status_code == 200
    )


def test_the_catalogue_lists_the_spines_datasets(client: Client) -> None:
    page = client.get("/data/").content.decode()
    for url in (
        "/data/decisions.csv",
        "/data/decisions.json",
        "/data/you-said-we-did.csv",
        "/data/you-said-we-did.json",
    ):
        assert f'href="{url}"' in page
