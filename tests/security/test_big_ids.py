"""An id too big for a 64-bit key is a 404 on every page that takes one, never a 500.

Django's ``<int:…>`` matches any number of digits, and an id of 2⁶³ or more then failed in the
database driver ("Python int too large to convert to SQLite INTEGER", and another error on
PostgreSQL). Every integer in a path is now ``<id:…>`` (``coproduce.common.converters``): at most 18
digits, so a longer id is a 404 before any view runs. The API takes ids through ``IdPath`` and
refuses these with a 422 that names the parameter, as for any other id out of its range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from coproduce.common.converters import IdConverter
from coproduce.contributions.tests.world import World
from tests.security.admin_site import registered_models

BIG_IDS = [2**63, 10**30]
LARGEST = 10**18 - 1  # the largest id the converter takes: it reaches the view, which finds nothing


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # the whole path from the site's root, with its <converter:name> parts
    converters: dict[str, Any]

    def url(self, value: int, world: World) -> str:
        """The route's address with ``value`` as every id and real slugs (so views get that far)."""
        slug = world.owner.slug if self.route.startswith("organisations/") else world.service.slug

        def fill(match: re.Match[str]) -> str:
            converter = self.converters[match["name"]]
            return str(value) if isinstance(converter, IdConverter | IntConverter) else slug

        return "/" + re.sub(r"<(?:[^>:]+:)?(?P<name>[^>]+)>", fill, self.route)


def _routes() -> Iterator[Route]:
    """Every URL pattern of the site with all its converters (patterns written as regexes have
    none and take no integer: allauth's password reset key is the only one outside the admin)."""

    def walk(patterns: list[Any], prefix: str, converters: dict[str, Any], namespace: str) -> Any:
        for pattern in patterns:
            if not isinstance(pattern.pattern, RoutePattern):
                continue
            route = prefix + str(pattern.pattern)
            found = {**converters, **pattern.pattern.converters}
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                yield from walk(pattern.url_patterns, route, found, inner)
            elif isinstance(pattern, URLPattern):
                name = ":".join(filter(None, [namespace, pattern.name or route]))
                yield Route(name, route, found)

    yield from walk(get_resolver().url_patterns, "", {}, "")


def _takes_an_id(route: Route) -> bool:
    return any(isinstance(c, IdConverter | IntConverter) for c in route.converters.values())


ID_ROUTES = sorted((r for r in _routes() if _takes_an_id(r)), key=lambda r: r.name)


def test_every_route_takes_ids_with_the_id_converter() -> None:
    """Django's <int:…> lets a 2⁶³ id reach the database; the site uses <id:…> everywhere."""
    assert len(ID_ROUTES) > 30, "the walk found too few routes: fix this test"
    assert len(_api_routes_with_ids()) > 10, "too few API operations with ids: fix this test"
    with_int = [
        r.name for r in ID_ROUTES if any(isinstance(c, IntConverter) for c in r.converters.values())
    ]
    assert not with_int, f"Use <id:…> instead of <int:…> in: {with_int}"


@pytest.mark.parametrize("route", ID_ROUTES, ids=lambda r: r.name)
def test_an_id_too_big_for_the_database_is_a_404(route: Route, world: World) -> None:
    superuser = Client()
    superuser.force_login(world.people["superuser"])
    for client in (Client(), superuser):
        for value in BIG_IDS:
            url = route.url(value, world)
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code == 404, f"{method.__name__.upper()} {url}"


@pytest.mark.parametrize("route", ID_ROUTES, ids=lambda r: r.name)
def test_the_largest_id_taken_reaches_the_view_and_is_a_404(route: Route, world: World) -> None:
    """On the database's side of the limit: the view looks the id up and finds nothing."""
    superuser = Client()
    superuser.force_login(world.people["superuser"])
    url = route.url(LARGEST, world)
    statuses = {superuser.get(url).status_code, superuser.post(url).status_code}
    # 405 is a view that takes only GET or only POST; the other method reached the lookup.
    assert statuses in ({404}, {404, 405}), f"{url}: {statuses}"


def _api_routes_with_ids() -> list[tuple[str, str, str]]:
    """(method, path, id parameter) for every API operation with an id in its path."""
    from coproduce.api.api import api

    operations = []
    for path, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    operations.append((method, path, parameter["name"]))
    return sorted(operations)


@pytest.mark.parametrize(("method", "path", "name"), _api_routes_with_ids())
def test_the_api_refuses_an_id_too_big_with_a_422(
    world: World, method: str, path: str, name: str
) -> None:
    """IdPath allows ids up to 2³¹ - 1; bigger ones are a 422 naming the parameter, in JSON."""
    from coproduce.accounts.actions import api_token_create

    _token, raw = api_token_create(user=world.people["superuser"], name="big ids")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for value in BIG_IDS:
        url = path.replace(f"{{{name}}}", str(value))
        url = re.sub(r"\{[^}]+\}", "x", url)  # any other parameter (a slug)
        response = getattr(client, method)(url, data={}, content_type="application/json")
        assert response.status_code == 422, f"{method.upper()} {url}: {response.content!r}"
        assert ["path", name] in [issue["loc"] for issue in response.json()["detail"]]


@pytest.mark.parametrize("model", registered_models())
def test_the_admin_finds_nothing_at_an_id_too_big(world: World, model: str) -> None:
    """The admin's object pages take any text as the id (<path:…>): a big one is a missing object
    (the admin's own answer: back to its index with a message; 403 where it allows no deleting),
    never a 500."""
    client = Client()
    client.force_login(world.people["superuser"])
    for value in BIG_IDS:
        for page in ("change/", "delete/", "history/"):
            url = f"/django-admin/{model}/{value}/{page}"
            assert client.get(url).status_code in {302, 403, 404}, url
