"""Appending to the ledger, and ledger_verify catching every change made behind its back."""

from __future__ import annotations

import itertools
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from coproduce.services.models import Service, ServiceStage
from coproduce.services.tests.factories import ServiceFactory
from coproduce.transparency import actions, queries, verify
from coproduce.transparency.models import AppendOnly, LedgerEntry, LedgerHead
from coproduce.transparency.tests.conftest import service_content

pytestmark = pytest.mark.django_db


def _record(n: int, type: str) -> list[Service]:
    services = ServiceFactory.create_batch(n)
    for service in services:
        actions.record(type, service.pk, service_content(service))
    return services


def _verify() -> str:
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    return out.getvalue()


def _fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        _verify()


TABLES = {
    "entries": LedgerEntry._meta.db_table,
    "services": Service._meta.db_table,
    "stages": ServiceStage._meta.db_table,
}


def _sql(statement: str, *params: Any) -> None:
    """Change the database behind the actions' back (``{entries}`` names the ledger's table)."""
    with connection.cursor() as cursor:
        cursor.execute(statement.format(**TABLES), list(params))


def test_entries_are_numbered_without_gaps_and_chained(record_type: str) -> None:
    _record(4, record_type)
    entries = list(LedgerEntry.objects.in_order())
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == verify.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert LedgerHead.objects.get().size == 4
    assert "4 entries match" in _verify()


def test_an_entry_is_never_changed_or_deleted(record_type: str) -> None:
    _record(1, record_type)
    entry = LedgerEntry.objects.get()
    entry.key = "999"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.update(key="1")
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.all().delete()


def test_a_change_is_a_correction_that_references_the_entry(record_type: str) -> None:
    (service,) = _record(1, record_type)
    assert actions.record_change(record_type, service.pk, service_content(service)) is None
    service.name = "Renamed"
    service.save()
    correction = actions.record_change(record_type, service.pk, service_content(service))
    assert correction is not None
    assert correction.corrects == 1
    assert [e.seq for e in queries.corrections_of(LedgerEntry.objects.get(seq=1))] == [2]
    assert "2 entries match" in _verify()


def test_a_correction_must_be_of_the_same_record(record_type: str) -> None:
    first, second = _record(2, record_type)
    with pytest.raises(ValueError, match="same record"):
        actions.record(
            record_type, second.pk, {}, corrects=LedgerEntry.objects.get(key=str(first.pk))
        )


def test_a_row_changed_in_the_database_is_caught(record_type: str) -> None:
    services = _record(3, record_type)
    _sql("UPDATE {services} SET name = %s WHERE id = %s", "Hacked", services[1].pk)
    _fails("Entry 2 no longer matches: the record's content was changed")


def test_a_row_deleted_from_the_database_is_caught(record_type: str) -> None:
    services = _record(3, record_type)
    _sql("DELETE FROM {stages} WHERE service_id = %s", services[2].pk)
    _sql("DELETE FROM {services} WHERE id = %s", services[2].pk)
    _fails("Entry 3 no longer matches: the record was deleted")


def test_an_entry_changed_in_the_database_is_caught(record_type: str) -> None:
    _record(3, record_type)
    _sql("UPDATE {entries} SET content = %s WHERE seq = 2", '{"id":0,"name":"x"}')
    _fails("Entry 2 no longer matches: its recorded content was changed")
    fake = verify.content_digest({"id": 0, "name": "x"})
    _sql("UPDATE {entries} SET content_sha256 = %s WHERE seq = 2", fake)
    _fails("Entry 2 no longer matches: the chain is broken")


def test_an_entry_deleted_from_the_middle_is_caught(record_type: str) -> None:
    _record(4, record_type)
    _sql("DELETE FROM {entries} WHERE seq = 2")
    _fails("Entry 2 no longer matches: entry 2 is missing")


def test_the_last_entry_deleted_is_caught(record_type: str) -> None:
    _record(3, record_type)
    _sql("DELETE FROM {entries} WHERE seq = 3")
    _fails("Entry 3 no longer matches: entries at the end are missing")


def test_entries_reordered_are_caught(record_type: str) -> None:
    _record(4, record_type)
    _sql("UPDATE {entries} SET seq = 100 WHERE seq = 2")
    _sql("UPDATE {entries} SET seq = 2 WHERE seq = 3")
    _sql("UPDATE {entries} SET seq = 3 WHERE seq = 100")
    _fails("Entry 2 no longer matches: the chain is broken")


def test_a_ledger_rewritten_from_scratch_is_caught_by_an_earlier_tree_head(
    record_type: str, tmp_path: Path
) -> None:
    services = _record(3, record_type)
    saved = queries.signed_tree_head()
    # Rewrite history: change a record and recompute its entry and every later one, consistently.
    _sql("UPDATE {services} SET name = %s WHERE id = %s", "Hacked", services[0].pk)
    previous = verify.GENESIS
    for entry in LedgerEntry.objects.in_order():
        live = service_content(Service.objects.get(pk=int(entry.key)))
        text = verify.canonical(live)
        entry.content, entry.content_sha256, entry.prev_hash = (
            text,
            verify.sha256_hex(text),
            previous,
        )
        new_hash = entry.computed_hash()
        _sql(
            "UPDATE {entries} SET content = %s, content_sha256 = %s, prev_hash = %s, hash = %s "
            "WHERE seq = %s",
            text,
            entry.content_sha256,
            previous,
            new_hash,
            entry.seq,
        )
        previous = new_hash
    assert "3 entries match" in _verify()  # consistent with itself…
    path = tmp_path / "sth.json"
    path.write_text(json.dumps(saved))
    with pytest.raises(CommandError, match="no longer gives the root hash published"):
        call_command("ledger_verify", against=str(path), stdout=StringIO())


def test_an_empty_ledger_verifies() -> None:
    assert "0 entries match" in _verify()
