"""Organisation endpoints, and the pagination every list shares."""

from __future__ import annotations

import pytest

from coproduce.api.tests.client import Api, fields
from coproduce.contributions.tests.world import World
from coproduce.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisations_are_listed_by_name_for_anyone(world: World, anonymous: Api) -> None:
    body = anonymous.get("/organisations").json()
    assert body["count"] == 2
    assert [o["slug"] for o in body["items"]] == ["other-trust", "owner-council"]
    assert set(body["items"][0]) == {
        "slug",
        "name",
        "sector",
        "summary",
        "website",
        "area",
        "contact_email",
        "phone",
    }


def test_one_organisation(world: World, anonymous: Api) -> None:
    response = anonymous.get("/organisations/owner-council")
    assert response.status_code == 200
    assert response.json()["name"] == "Owner Council"


def test_an_unknown_organisation_is_a_json_404(world: World, anonymous: Api) -> None:
    response = anonymous.get("/organisations/nobody")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("slug", ["not%20a%20slug", "a" * 81, "%00"])
def test_a_malformed_slug_is_a_field_level_422(world: World, anonymous: Api, slug: str) -> None:
    assert list(fields(anonymous.get(f"/organisations/{slug}"))) == [("path", "slug")]


def test_pages_hold_limit_items_from_offset_and_count_them_all(anonymous: Api, db: None) -> None:
    for n in range(5):
        OrganisationFactory.create(name=f"Body {n}")
    page = anonymous.get("/organisations", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 5
    assert [o["name"] for o in page["items"]] == ["Body 1", "Body 2"]
    last = anonymous.get("/organisations", {"limit": 2, "offset": 4}).json()
    assert [o["name"] for o in last["items"]] == ["Body 4"]
    beyond = anonymous.get("/organisations", {"offset": 50}).json()
    assert beyond == {"items": [], "count": 5}


def test_the_default_page_is_twenty(anonymous: Api, db: None) -> None:
    for n in range(21):
        OrganisationFactory.create(name=f"Body {n:02}")
    assert len(anonymous.get("/organisations").json()["items"]) == 20


@pytest.mark.parametrize(
    ("params", "field", "kind"),
    [
        ({"limit": 0}, "limit", "greater_than_equal"),
        ({"limit": 101}, "limit", "less_than_equal"),
        ({"limit": "ten"}, "limit", "int_parsing"),
        ({"offset": -1}, "offset", "greater_than_equal"),
        ({"offset": 1_000_001}, "offset", "less_than_equal"),
        ({"offset": 2**70}, "offset", "less_than_equal"),
    ],
)
def test_pagination_bounds(
    world: World, anonymous: Api, params: dict[str, object], field: str, kind: str
) -> None:
    assert fields(anonymous.get("/organisations", params)) == {("query", field): kind}


def test_the_largest_page_is_allowed(world: World, anonymous: Api) -> None:
    assert anonymous.get("/organisations", {"limit": 100, "offset": 1_000_000}).status_code == 200
