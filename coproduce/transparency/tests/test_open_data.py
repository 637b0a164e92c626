"""Open data: the catalogue, the ledger export and its stand-alone check, and the services in
Open Referral UK (validated against the schema shipped in the repository)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from coproduce.services.models import ServiceStatus
from coproduce.services.tests.factories import ServiceFactory
from coproduce.transparency import actions, exports, signing, verify
from coproduce.transparency.datasets import (
    Dataset,
    Format,
    register_dataset,
    unregister_dataset,
    version_of,
)
from coproduce.transparency.tests.conftest import service_content

pytestmark = pytest.mark.django_db

SCHEMAS = Path(exports.__file__).parent / "schemas"
EXPORT = "/data/ledger.jsonl"


@pytest.fixture
def ledger(record_type: str) -> list[int]:
    """Seven entries: public services, a draft's (content not exported) and a correction."""
    services = [*ServiceFactory.create_batch(5), ServiceFactory(status=ServiceStatus.DRAFT)]
    seqs = [actions.record(record_type, s.pk, service_content(s)).seq for s in services]
    services[0].name = "Renamed service"
    services[0].save()
    correction = actions.record_change(record_type, services[0].pk, service_content(services[0]))
    assert correction is not None
    return [*seqs, correction.seq]


def _body(response: object) -> str:
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def _export(client: Client, tmp_path: Path) -> list[str]:
    response = client.get(EXPORT)
    assert response.status_code == 200
    lines = _body(response).splitlines(keepends=True)
    (tmp_path / "ledger.jsonl").write_text("".join(lines))
    return lines


def _check(lines: list[str]) -> str:
    return verify.check_export(lines, signing.public_key_b64())


# --- The ledger export -------------------------------------------------------------------------


def test_the_export_holds_every_entry_and_the_signed_tree_head(
    client: Client, ledger: list[int], tmp_path: Path
) -> None:
    response = client.get(EXPORT)
    assert response.streaming
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ledger.jsonl"'
    lines = [json.loads(line) for line in _body(response).splitlines()]
    assert lines[0]["format"] == verify.EXPORT_FORMAT
    assert lines[0]["public_key"] == signing.public_key_b64()
    entries, sth = lines[1:-1], lines[-1]["sth"]
    assert [e["seq"] for e in entries] == ledger == list(range(1, 8))
    assert sth == client.get("/ledger/sth").json()  # the same head the ledger serves
    # What a record says is exported only where the record is public (not the draft's).
    assert ["content" in e for e in entries] == [True] * 5 + [False] + [True]
    assert entries[6]["corrects"] == 1


def test_a_good_export_verifies(client: Client, ledger: list[int], tmp_path: Path) -> None:
    lines = _export(client, tmp_path)
    assert _check(lines) == "The export holds the whole ledger of 7 entries, unchanged."
    key = str(tmp_path / "key.json")
    (tmp_path / "key.json").write_text(json.dumps(client.get("/ledger/key").json()))
    assert verify.main(["ledger", str(tmp_path / "ledger.jsonl"), "--key", key]) == 0


def test_an_empty_ledger_exports_and_verifies(client: Client) -> None:
    lines = _body(client.get(EXPORT)).splitlines()
    assert len(lines) == 2
    assert _check(lines) == "The export holds the whole ledger of 0 entries, unchanged."


def _changed(lines: list[str], number: int, change: Callable[[dict[str, object]], None]) -> str:
    data = json.loads(lines[number - 1])
    change(data)
    return json.dumps(data) + "\n"


@pytest.mark.parametrize(
    ("number", "change", "reason"),
    [
        (3, lambda d: d["content"].update(name="Something else"), "does not hash to the recorded"),
        (4, lambda d: d.update(key="999"), "fields do not hash to its hash"),
        (5, lambda d: d.update(at="2020-01-01T00:00:00.000000+00:00"), "do not hash to its hash"),
        (6, lambda d: d.update(prev="0" * 64), "the chain is broken"),
        (2, lambda d: d.update(seq=2), "entry 1 should come next, not entry 2"),
    ],
)
def test_a_changed_line_fails_naming_it(
    client: Client,
    ledger: list[int],
    tmp_path: Path,
    number: int,
    change: Callable[[dict[str, object]], None],
    reason: str,
) -> None:
    lines = _export(client, tmp_path)
    lines[number - 1] = _changed(lines, number, change)
    with pytest.raises(verify.LineError, match=reason) as failure:
        _check(lines)
    assert failure.value.line == number
    assert str(failure.value).startswith(f"line {number}: ")


def test_a_changed_line_with_its_hashes_redone_fails_at_the_next_line(
    client: Client, ledger: list[int], tmp_path: Path
) -> None:
    """Re-hashing a changed entry breaks the chain at the entry after it."""
    lines = _export(client, tmp_path)
    data = json.loads(lines[3])
    data["content"]["name"] = "Forged"
    data["content_sha256"] = verify.content_digest(data["content"])
    fields = {k: data[k] for k in ("seq", "type", "key", "content_sha256", "prev", "at")}
    data["hash"] = verify.entry_hash(**fields, corrects=data["corrects"])
    lines[3] = json.dumps(data) + "\n"
    with pytest.raises(verify.LineError, match="previous hash differs") as failure:
        _check(lines)
    assert failure.value.line == 5


def test_a_deleted_line_fails_naming_it(client: Client, ledger: list[int], tmp_path: Path) -> None:
    lines = _export(client, tmp_path)
    del lines[3]  # entry 3
    with pytest.raises(verify.LineError, match="entry 3 should come next, not entry 4") as failure:
        _check(lines)
    assert failure.value.line == 4


def test_deleting_the_last_entry_or_the_tree_head_fails(
    client: Client, ledger: list[int], tmp_path: Path
) -> None:
    lines = _export(client, tmp_path)
    with pytest.raises(verify.LineError, match="tree head is of 7 entries but the export holds 6"):
        _check([*lines[:-2], lines[-1]])
    with pytest.raises(verify.LineError, match="signed tree head is missing") as failure:
        _check(lines[:-1])
    assert failure.value.line == 9


def test_two_swapped_lines_fail_naming_the_first(
    client: Client, ledger: list[int], tmp_path: Path
) -> None:
    lines = _export(client, tmp_path)
    lines[2], lines[3] = lines[3], lines[2]
    with pytest.raises(verify.LineError, match="entry 2 should come next, not entry 3") as failure:
        _check(lines)
    assert failure.value.line == 3


def test_a_tree_head_signed_by_another_key_fails(
    client: Client, ledger: list[int], tmp_path: Path
) -> None:
    lines = _export(client, tmp_path)
    other = "A" * 43 + "="
    with pytest.raises(verify.LineError, match="signature does not match") as failure:
        verify.check_export(lines, other)
    assert failure.value.line == 9


def test_the_verifier_checks_an_export_without_django(
    client: Client, ledger: list[int], tmp_path: Path
) -> None:
    """One file, standard library and cryptography: copied alone, it checks an export, and
    names the first bad line with exit status 1."""
    lines = _export(client, tmp_path)
    copy = tmp_path / "verify.py"
    copy.write_text(Path(verify.__file__).read_text())

    def run() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-I", str(copy), "ledger", "ledger.jsonl"]
        return subprocess.run(
            [*command, "--key", signing.public_key_b64()],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )

    done = run()
    assert done.returncode == 0, done.stderr
    assert "whole ledger of 7 entries" in done.stdout
    lines[4] = _changed(lines, 5, lambda d: d.update(type="other"))
    (tmp_path / "ledger.jsonl").write_text("".join(lines))
    done = run()
    assert done.returncode == 1
    assert done.stderr.startswith("FAILED: line 5: ")


def test_the_export_reads_the_ledger_in_chunks(
    client: Client, ledger: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of CHUNK entries by number: with a chunk of 3, seven entries take three reads of
    entries (and each batch one look-up of what is public), never one read of the whole table."""
    monkeypatch.setattr(exports, "CHUNK", 3)
    with CaptureQueriesContext(connection) as queries:
        lines = _body(client.get(EXPORT)).splitlines()
    reads = [q["sql"] for q in queries if 'FROM "transparency_ledgerentry"' in q["sql"]]
    batches = [sql for sql in reads if "LIMIT 3" in sql]
    assert len(batches) == 3
    assert not [sql for sql in reads if "LIMIT" not in sql and '"content"' in sql]
    assert _check(lines).endswith("7 entries, unchanged.")


# --- Caching by version ------------------------------------------------------------------------


def test_a_download_answers_304_while_its_version_is_current(
    client: Client, ledger: list[int], record_type: str
) -> None:
    first = client.get(EXPORT)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=300"
    assert "Last-Modified" in first
    again = client.get(EXPORT, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    service = ServiceFactory()
    actions.record(record_type, service.pk, service_content(service))
    changed = client.get(EXPORT, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


# --- The catalogue -----------------------------------------------------------------------------


def test_the_catalogue_lists_every_dataset_with_its_licence_and_formats(
    client: Client, ledger: list[int], settings: Any
) -> None:
    settings.SITE_URL = "https://coproduce.example.gov.uk"  # not the address it is read at
    page = client.get("/data/").content.decode()
    assert "<title>Open data – " in page
    assert "Public ledger" in page
    assert 'href="/data/ledger.jsonl"' in page
    assert 'href="/data/services.json"' in page
    assert "Open Referral UK 3.0" in page
    assert "Open Government Licence v3.0" in page
    assert "open-government-licence/version/3/" in page
    machine = client.get("/data/catalogue.json").json()["datasets"]
    codes = [d["identifier"] for d in machine]
    assert {"ledger", "services"} <= set(codes)
    ledger_data = machine[codes.index("ledger")]
    # The site's address (SITE_URL), as every dataset's own links, not the one it was read at.
    download = ledger_data["distributions"][0]["download_url"]
    assert download == "https://coproduce.example.gov.uk/data/ledger.jsonl"
    assert ledger_data["license"]["name"] == "Open Government Licence v3.0"


@override_settings(
    OPEN_DATA_LICENCE="Creative Commons Attribution 4.0",
    OPEN_DATA_LICENCE_URL="https://creativecommons.org/licenses/by/4.0/",
)
def test_the_licence_is_a_setting(client: Client) -> None:
    page = client.get("/data/").content.decode()
    assert "Creative Commons Attribution 4.0" in page
    assert "Open Government Licence" not in page


def test_a_dataset_or_format_nobody_registered_is_not_found(client: Client) -> None:
    assert client.get("/data/nothing.csv").status_code == 404
    assert client.get("/data/ledger.csv").status_code == 404


def test_a_registered_dataset_is_listed_and_served() -> None:
    dataset = register_dataset(
        Dataset(
            code="test-things",
            title="Things",
            description="Test things.",
            formats=(Format("csv", "CSV", "text/csv", lambda: iter(["a,b\n", "1,2\n"])),),
            version=lambda: version_of(1),
            last_updated=lambda: None,
        )
    )
    try:
        client = Client()
        assert "Things" in client.get("/data/").content.decode()
        assert _body(client.get("/data/test-things.csv")) == "a,b\n1,2\n"
        with pytest.raises(ValueError, match="already has"):
            register_dataset(dataset)
    finally:
        unregister_dataset("test-things")
    with pytest.raises(ValueError, match="lower-case"):
        register_dataset(dataset.__class__(**{**dataset.__dict__, "code": "Bad code"}))


# --- Services in Open Referral UK --------------------------------------------------------------


def _oruk_validator() -> jsonschema_rs.Validator:
    schema = json.loads((SCHEMAS / "oruk-3.0" / "service.json").read_text())
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def test_the_schemas_are_shipped_with_their_licence() -> None:
    assert (SCHEMAS / "LICENCE.md").read_text().count("CC BY-SA 4.0") >= 1
    example = json.loads((SCHEMAS / "oruk-3.0" / "service_full.json").read_text())
    assert _oruk_validator().is_valid(example)  # the schema and the validator agree


def test_published_services_are_exported_in_open_referral_uk(client: Client) -> None:
    published = ServiceFactory(name="Warm homes", area_served="Northfield")
    published.organisation.website = "https://northfield.example/"
    published.organisation.contact_email = "hello@northfield.example"
    published.organisation.save()
    ServiceFactory(name="Secret draft", status=ServiceStatus.DRAFT)
    response = client.get("/data/services.json")
    assert response.streaming
    body = _body(response)
    data = json.loads(body)
    assert data["total_items"] == 1
    assert data["first_page"]
    assert data["last_page"]
    assert not data["empty"]
    (service,) = data["contents"]
    assert service["name"] == "Warm homes"
    assert service["status"] == "active"
    assert service["url"].endswith(published.get_absolute_url())
    assert service["organization"]["website"] == "https://northfield.example/"
    assert service["service_areas"][0]["name"] == "Northfield"
    assert "Secret draft" not in body
    validator = _oruk_validator()
    errors = [e.message for e in validator.iter_errors(service)]
    assert not errors


def test_no_services_is_an_empty_page(client: Client) -> None:
    data = json.loads(_body(client.get("/data/services.json")))
    assert data["contents"] == []
    assert data["empty"] is True


def test_every_demo_like_service_validates(client: Client) -> None:
    """Blank descriptions, websites and emails still give valid services."""
    ServiceFactory.create_batch(3, description="")
    data = json.loads(_body(client.get("/data/services.json")))
    validator = _oruk_validator()
    for service in data["contents"]:
        assert validator.is_valid(service), [e.message for e in validator.iter_errors(service)]
    ids = {s["id"] for s in data["contents"]}
    assert len(ids) == 3


def test_the_services_download_changes_version_when_a_service_is_published(
    client: Client,
) -> None:
    draft = ServiceFactory(status=ServiceStatus.DRAFT)
    etag = client.get("/data/services.json")["ETag"]
    assert client.get("/data/services.json", headers={"If-None-Match": etag}).status_code == 304
    draft.status = ServiceStatus.PUBLISHED
    draft.save()
    assert client.get("/data/services.json", headers={"If-None-Match": etag}).status_code == 200
