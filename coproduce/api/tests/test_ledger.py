"""The public ledger's endpoints: entries, proofs that the stand-alone verifier accepts, the tree
head; a draft service's decision shows its hashes only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from coproduce.api.tests.client import Api
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.tests.world import World
from coproduce.transparency import signing, verify
from coproduce.transparency.queries import tree_size

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]


@pytest.fixture
def drafted(world: World) -> int:
    """A decision of the draft service, after the world's decision: its entry's number."""
    spine_actions.decision_create(
        service=world.draft_service,
        stage="commissioning",
        title="Not yet public",
        description="Why.",
        decided_by="Board",
        decided_on=timezone.localdate(),
        recorded_by=world.people["professional"],
    )
    return tree_size()


def test_entries_come_newest_first_with_public_content(
    world: World, drafted: int, anonymous: Api
) -> None:
    response = anonymous.get("/ledger/entries")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [item["seq"] for item in items] == list(range(drafted, 0, -1))
    assert items[0]["content"] is None
    assert items[0]["url"] is None
    published = next(i for i in items if i["key"] == str(world.decision.pk))
    assert published["content"]["title"] == world.decision.title
    assert published["url"] == world.decision.get_absolute_url()


def test_staff_of_the_draft_see_its_content(world: World, drafted: int, as_role: AsRole) -> None:
    item = as_role("professional").get(f"/ledger/entries/{drafted}").json()
    assert item["content"]["title"] == "Not yet public"


def test_a_proof_verifies_and_a_missing_entry_is_404(
    world: World, drafted: int, anonymous: Api
) -> None:
    proof = anonymous.get(f"/ledger/entries/{drafted}/proof").json()
    assert "content" not in proof["entry"]
    assert verify.check_proof(proof, signing.public_key_b64())
    assert anonymous.get(f"/ledger/entries/{drafted + 1}/proof").status_code == 404
    assert anonymous.get(f"/ledger/entries/{drafted + 1}").status_code == 404


def test_consistency_and_tree_head(world: World, drafted: int, anonymous: Api) -> None:
    proof = anonymous.get("/ledger/consistency", {"first": 1, "second": drafted}).json()
    assert "extends" in verify.check_consistency(proof, signing.public_key_b64())
    sth = anonymous.get("/ledger/sth").json()
    verify.verify_sth(sth, signing.public_key_b64())
    assert sth["tree_size"] == drafted
    too_far = anonymous.get("/ledger/consistency", {"first": 1, "second": drafted + 1})
    assert too_far.status_code == 422
    assert too_far.json()["detail"][0]["type"] == "rule"
