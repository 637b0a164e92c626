"""Decisions and their links in the public ledger: recorded in the action's transaction, the Welsh
added later as a correction, and ledger_verify catching rows changed behind the actions' back."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from coproduce.contributions import actions
from coproduce.contributions.ledger import DECISION, DECISION_LINK, link_key
from coproduce.contributions.models import Decision
from coproduce.contributions.tests.test_welsh import decision_for, ideas, professional, said
from coproduce.services.models import Activity, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of
from coproduce.transparency import signing, verify
from coproduce.transparency.models import LedgerEntry
from coproduce.transparency.queries import latest_entry

__all__ = ["ideas", "professional"]  # fixtures
pytestmark = pytest.mark.django_db


def _verify() -> str:
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    return out.getvalue()


TABLES = {
    "decisions": Decision._meta.db_table,
    "links": Decision.contributions.through._meta.db_table,
}


def _sql(statement: str, *params: Any) -> None:
    """Change the database behind the actions' back (``{decisions}`` names the table)."""
    with connection.cursor() as cursor:
        cursor.execute(statement.format(**TABLES), list(params))


def test_a_decision_and_its_links_are_recorded(ideas: Activity, professional: Any) -> None:
    first, second = said(ideas, "Evening hours"), said(ideas, "A quiet room")
    decision = decision_for(ideas.service, professional, contributions=[first])
    actions.decision_link(decision=decision, contributions=[first, second], linked_by=professional)
    entries = list(LedgerEntry.objects.in_order().values_list("type", "key"))
    assert entries == [
        (DECISION, str(decision.pk)),
        (DECISION_LINK, link_key(decision.pk, first.pk)),
        (DECISION_LINK, link_key(decision.pk, second.pk)),
    ]
    recorded = LedgerEntry.objects.get(type=DECISION).content_value
    assert recorded["title"] == "A quiet room at the hub"
    assert recorded["title_cy"] == ""
    assert "3 entries match" in _verify()


def test_welsh_written_later_is_a_correction(ideas: Activity, professional: Any) -> None:
    decision = decision_for(ideas.service, professional)
    actions.decision_set_welsh(
        decision=decision, by=professional, title_cy="Ystafell dawel", description_cy="Oherwydd."
    )
    actions.decision_set_welsh(  # the same again: nothing new to record
        decision=decision, by=professional, title_cy="Ystafell dawel", description_cy="Oherwydd."
    )
    entry = latest_entry(DECISION, decision.pk)
    assert entry is not None
    assert entry.seq == 2
    assert entry.corrects == 1
    assert entry.content_value["title_cy"] == "Ystafell dawel"
    assert "2 entries match" in _verify()


def test_a_decision_that_fails_records_nothing(ideas: Activity, professional: Any) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal rolls the ledger back too
        decision_for(ideas.service, professional, title="")
    assert not LedgerEntry.objects.exists()


def test_a_decision_changed_in_the_database_is_caught(ideas: Activity, professional: Any) -> None:
    decision = decision_for(ideas.service, professional)
    decision_for(ideas.service, professional, title="Another")
    _sql("UPDATE {decisions} SET title = %s WHERE id = %s", "Edited", decision.pk)
    with pytest.raises(CommandError, match="Entry 1 no longer matches: the record's content"):
        _verify()


def test_a_link_deleted_in_the_database_is_caught(ideas: Activity, professional: Any) -> None:
    contribution = said(ideas, "Evening hours")
    decision_for(ideas.service, professional, contributions=[contribution])
    _sql("DELETE FROM {links} WHERE contribution_id = %s", contribution.pk)
    with pytest.raises(CommandError, match="Entry 2 no longer matches: the record was deleted"):
        _verify()


def test_the_decision_page_links_its_entry_whose_proof_verifies(
    ideas: Activity, professional: Any, client: Client
) -> None:
    decision = decision_for(ideas.service, professional)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Check this decision in the public ledger (entry 1)" in page
    assert 'href="/ledger/1/"' in page
    entry_page = client.get("/ledger/1/").content.decode()
    assert decision.get_absolute_url() in entry_page
    assert "A quiet room at the hub" in entry_page
    proof = client.get("/ledger/proof/1").json()
    assert proof["entry"]["content"]["title"] == "A quiet room at the hub"
    verify.check_proof(proof, signing.public_key_b64())


def test_a_draft_services_decision_shows_only_its_hashes(client: Client) -> None:
    activity = ActivityFactory(service=ServiceFactory(status=ServiceStatus.DRAFT))
    decision_for(activity.service, staff_of(activity), title="Secret plan")
    assert "Secret plan" not in client.get("/ledger/1/").content.decode()
    assert "content" not in client.get("/ledger/proof/1").json()["entry"]
    assert "Secret plan" not in client.get("/ledger/").content.decode()
