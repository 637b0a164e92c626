"""The ledger's pages and JSON, and the stand-alone verifier checking what they serve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from coproduce.services.models import ServiceStatus
from coproduce.services.tests.factories import ServiceFactory
from coproduce.transparency import actions, signing, verify
from coproduce.transparency.tests.conftest import service_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(record_type: str) -> list[int]:
    """Five entries: four public services and a draft (whose content is not shown)."""
    services = [*ServiceFactory.create_batch(4), ServiceFactory(status=ServiceStatus.DRAFT)]
    return [actions.record(record_type, s.pk, service_content(s)).seq for s in services]


def test_the_list_shows_entries_the_tree_head_and_the_key(
    client: Client, ledger: list[int]
) -> None:
    page = client.get("/ledger/").content.decode()
    assert "<title>Public ledger – " in page
    assert page.count("How to check our records yourself") == 1
    assert "Entry 5" in page
    assert "Entry 1" in page
    assert signing.public_key_b64() in page
    assert "Development key: not for real use" in page


def test_an_entry_page_shows_its_hashes_and_links_its_proof(
    client: Client, ledger: list[int]
) -> None:
    page = client.get("/ledger/2/").content.decode()
    assert "/ledger/proof/2" in page
    assert "What was recorded" in page
    assert "Community service" in page
    draft = client.get("/ledger/5/").content.decode()
    assert "This record is not public" in draft


@pytest.mark.parametrize("seq", [1, 2, 3, 4, 5])
def test_every_proof_verifies_with_the_stand_alone_verifier(
    client: Client, ledger: list[int], seq: int
) -> None:
    proof = client.get(f"/ledger/proof/{seq}").json()
    key = client.get("/ledger/key").json()["public_key"]
    assert verify.check_proof(proof, key).startswith(f"Entry {seq} is in the ledger of 5")
    assert ("content" in proof["entry"]) == (seq != 5)  # a draft's content is not served


def test_a_proof_fails_for_a_wrong_entry_or_hash(client: Client, ledger: list[int]) -> None:
    proof = client.get("/ledger/proof/3").json()
    other = client.get("/ledger/proof/4").json()
    key = signing.public_key_b64()
    wrong_entry = {**proof, "entry": other["entry"]}
    with pytest.raises(verify.VerificationError):
        verify.check_proof(wrong_entry, key)
    changed = {**proof, "entry": {**proof["entry"], "content": {"name": "Something else"}}}
    with pytest.raises(verify.VerificationError, match="content"):
        verify.check_proof(changed, key)
    path = [*proof["inclusion_path"]]
    path[0] = "00" * 32
    with pytest.raises(verify.VerificationError, match="root hash"):
        verify.check_proof({**proof, "inclusion_path": path}, key)
    forged = {**proof, "sth": {**proof["sth"], "tree_size": 6}}
    with pytest.raises(verify.VerificationError):
        verify.check_proof(forged, key)


def test_a_consistency_proof_verifies_and_fails_for_a_wrong_root(
    client: Client, ledger: list[int]
) -> None:
    key = signing.public_key_b64()
    for first in range(1, 6):
        proof = client.get(f"/ledger/consistency?from={first}&to=5").json()
        assert "extends" in verify.check_consistency(proof, key)
    proof = client.get("/ledger/consistency?from=3&to=5").json()
    proof["first"]["root_hash"] = "11" * 32
    with pytest.raises(verify.VerificationError):
        verify.check_consistency(proof, key)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?from=1",
        "?from=a&to=2",
        "?from=0&to=2",
        "?from=1&to=6",
        "?from=4&to=2",
        "?from=99999999999999999999999&to=1",
        "?from=-1&to=2",
        "?from=1%00&to=2",
    ],
)
def test_bad_consistency_parameters_are_a_clear_400(
    client: Client, ledger: list[int], query: str
) -> None:
    response = client.get(f"/ledger/consistency{query}")
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize(
    "path", ["/ledger/6/", "/ledger/proof/6", f"/ledger/{2**63}/", f"/ledger/proof/{10**30}"]
)
def test_missing_and_huge_entries_are_404(client: Client, ledger: list[int], path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_tree_head_verifies_with_the_key(client: Client, ledger: list[int]) -> None:
    sth = client.get("/ledger/sth").json()
    assert sth["tree_size"] == 5
    verify.verify_sth(sth, client.get("/ledger/key").json()["public_key"])


def test_the_verifier_command_line_checks_files(
    client: Client, ledger: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "proof": client.get("/ledger/proof/2").json(),
        "consistency": client.get("/ledger/consistency?from=2&to=5").json(),
        "sth": client.get("/ledger/sth").json(),
        "key": client.get("/ledger/key").json(),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(data))
    key = str(tmp_path / "key.json")
    for what in ("proof", "consistency", "sth"):
        assert verify.main([what, str(tmp_path / f"{what}.json"), "--key", key]) == 0
    files["proof"]["entry"]["key"] = "999"
    (tmp_path / "proof.json").write_text(json.dumps(files["proof"]))
    assert verify.main(["proof", str(tmp_path / "proof.json"), "--key", key]) == 1
    assert "FAILED" in capsys.readouterr().err


def test_the_verifier_runs_without_django(
    tmp_path: Path, client: Client, ledger: list[int]
) -> None:
    """One file, standard library and cryptography: copied alone, it still runs."""
    import subprocess
    import sys

    (tmp_path / "proof.json").write_text(json.dumps(client.get("/ledger/proof/1").json()))
    copy = tmp_path / "verify.py"
    copy.write_text(Path(verify.__file__).read_text())
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            str(copy),
            "proof",
            str(tmp_path / "proof.json"),
            "--key",
            signing.public_key_b64(),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Entry 1 is in the ledger" in done.stdout


def test_an_empty_ledger_says_so(client: Client) -> None:
    page = client.get("/ledger/").content.decode()
    assert "Nothing has been recorded yet." in page
    assert client.get("/ledger/sth").json()["tree_size"] == 0
    assert client.get("/ledger/consistency?from=1&to=1").status_code == 400
