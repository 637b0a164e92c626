"""The open-data catalogue in the API: every dataset with its licence and download addresses."""

from __future__ import annotations

import pytest

from coproduce.api.tests.client import Api
from coproduce.contributions.tests.world import World

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_every_dataset(world: World, anonymous: Api) -> None:
    response = anonymous.get("/datasets")
    assert response.status_code == 200
    data = response.json()
    codes = [d["code"] for d in data["items"]]
    assert codes[:3] == ["services", "decisions", "you-said-we-did"]  # others may follow
    assert data["count"] == len(codes) >= 4
    ledger = data["items"][codes.index("ledger")]
    assert ledger["licence"]["name"] == "Open Government Licence v3.0"
    assert ledger["formats"] == [
        {
            "label": "JSON Lines",
            "extension": "jsonl",
            "media_type": "application/jsonl",
            "standard": "",
            "url": "/data/ledger.jsonl",
        }
    ]
    assert ledger["last_updated"] is not None  # the world's decision is recorded
    services = data["items"][0]
    assert services["formats"][0]["standard"] == "Open Referral UK 3.0"


def test_the_catalogue_is_paged(anonymous: Api) -> None:
    page = anonymous.get("/datasets?limit=1&offset=1").json()
    assert [d["code"] for d in page["items"]] == ["decisions"]
    assert page["count"] >= 4
    assert anonymous.get("/datasets?limit=0").status_code == 422
