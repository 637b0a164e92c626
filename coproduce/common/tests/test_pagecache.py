"""The page cache stores only what holds nothing personal, and follows every version bump.

The views under test (pagecache_urls) count their renders, so each test sees whether a response
came from the cache. See docs/decisions/0801-web-page-cache.md.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.common import pagecache
from coproduce.common.models import PageVersion
from coproduce.common.tests import pagecache_urls

pytestmark = pytest.mark.django_db

URLS = "coproduce.common.tests.pagecache_urls"


def rendered(client: Client, url: str, **extra: Any) -> bool:
    """Whether the view ran for this request (rather than the cache answering)."""
    before = pagecache_urls.RENDERS["count"]
    response = client.get(url, **extra)
    assert response.status_code in {200, 404}
    return pagecache_urls.RENDERS["count"] > before


@override_settings(ROOT_URLCONF=URLS)
def test_a_page_is_made_once_and_again_after_each_bump() -> None:
    client = Client()
    assert rendered(client, "/plain/1/")
    assert not rendered(client, "/plain/1/")
    assert not rendered(Client(), "/plain/1/")  # another visitor
    pagecache.bump("test.thing:2")
    assert not rendered(client, "/plain/1/")  # another scope
    pagecache.bump("test.thing:1")
    assert rendered(client, "/plain/1/")
    assert not rendered(client, "/plain/1/")
    pagecache.bump(pagecache.SITE)
    assert rendered(client, "/plain/1/")


@override_settings(ROOT_URLCONF=URLS)
def test_addresses_and_languages_are_kept_apart() -> None:
    client = Client()
    assert rendered(client, "/plain/1/")
    assert rendered(client, "/plain/2/")
    assert rendered(client, "/plain/1/?page=2")
    assert rendered(client, "/plain/1/", headers={"accept-language": "cy"})
    assert not rendered(client, "/plain/1/?page=2")
    assert not rendered(client, "/plain/1/", headers={"accept-language": "cy"})


@override_settings(ROOT_URLCONF=URLS)
@pytest.mark.parametrize(
    "query",
    ["?other=1", "?page=1&page=2", "?page=" + "1" * 21, "?page=%3Cscript%3E", "?page=1%200"],
)
def test_unknown_or_odd_parameters_are_never_cached(query: str) -> None:
    client = Client()
    assert rendered(client, f"/plain/1/{query}")
    assert rendered(client, f"/plain/1/{query}")


@override_settings(ROOT_URLCONF=URLS)
def test_signed_in_people_posts_and_errors_bypass_the_cache() -> None:
    client = Client()
    client.force_login(get_user_model().objects.create_user(email="someone@example.org"))
    assert rendered(client, "/plain/1/")
    assert rendered(client, "/plain/1/")
    anonymous = Client()
    assert rendered(anonymous, "/plain/1/")  # nothing was stored for the signed-in person
    before = pagecache_urls.RENDERS["count"]
    anonymous.post("/plain/1/")
    assert pagecache_urls.RENDERS["count"] == before + 1
    assert rendered(anonymous, "/plain/404/")
    assert rendered(anonymous, "/plain/404/")


@override_settings(ROOT_URLCONF=URLS)
def test_a_visitor_with_a_message_waiting_gets_a_fresh_page() -> None:
    client = Client()
    assert rendered(client, "/plain/1/")
    client.get("/message/")
    assert rendered(client, "/plain/1/")


@override_settings(ROOT_URLCONF=URLS)
@pytest.mark.parametrize("kind", ["csrf", "nonce", "cookie"])
def test_pages_with_a_token_nonce_or_cookie_are_never_stored(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = Client(), Client()
    with caplog.at_level(logging.WARNING, logger="coproduce.common.pagecache"):
        assert rendered(first, f"/{kind}/1/")
        assert rendered(second, f"/{kind}/1/")
    if kind != "cookie":
        assert "the page used a CSRF token or CSP nonce" in caplog.text


@override_settings(ROOT_URLCONF=URLS)
def test_an_evicted_page_is_made_again_and_versions_survive_eviction() -> None:
    client = Client()
    pagecache.bump("test.thing:1")
    assert rendered(client, "/plain/1/")
    version = PageVersion.objects.get(scope="test.thing:1").token
    cache.clear()  # the shared cache forgets; this process still has its copy, still current
    assert not rendered(client, "/plain/1/")
    pagecache.recent.clear()
    assert rendered(client, "/plain/1/")
    assert PageVersion.objects.get(scope="test.thing:1").token == version
    pagecache.recent.clear()  # another process: the shared cache has the page
    assert not rendered(client, "/plain/1/")


@override_settings(ROOT_URLCONF=URLS)
def test_this_process_keeps_only_the_latest_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagecache.recent, "size", 2)
    client = Client()
    for pk in (1, 2, 3):
        assert rendered(client, f"/plain/{pk}/")
    assert len(pagecache.recent.pages) == 2
    cache.clear()
    assert not rendered(client, "/plain/3/")
    assert rendered(client, "/plain/1/")


def test_bump_gives_each_scope_a_new_version_in_one_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        pagecache.bump("a:1", "b:2", "a:1")
    assert len(queries) == 1
    first = dict(PageVersion.objects.values_list("scope", "token"))
    assert set(first) == {"a:1", "b:2"}
    pagecache.bump("a:1")
    second = dict(PageVersion.objects.values_list("scope", "token"))
    assert second["a:1"] != first["a:1"]
    assert second["b:2"] == first["b:2"]
    assert pagecache.versions(["b:2", "never:bumped", "a:1"]) == (
        second["b:2"],
        0,
        second["a:1"],
        0,
    )


def test_a_probe_reads_the_state_and_the_versions_in_one_query() -> None:
    User = get_user_model()  # swappable: common reads it without importing accounts
    person = User.objects.create_user(email="bo@example.org", name="Bo", is_active=False)
    probe = pagecache.Probe(
        lambda pk: User.objects.filter(pk=pk),
        ["email", "is_active"],
        scopes=lambda pk: [f"test.person:{pk}"],
    )
    with CaptureQueriesContext(connection) as queries:
        assert probe(person.pk) == (("bo@example.org", False), (0, 0))
    assert len(queries) == 1
    pagecache.bump(f"test.person:{person.pk}", pagecache.SITE)
    tokens = dict(PageVersion.objects.values_list("scope", "token"))
    assert probe(person.pk) == (
        ("bo@example.org", False),
        (tokens[f"test.person:{person.pk}"], tokens[pagecache.SITE]),
    )
    assert probe(10**12) is None


# --- The language switch ---------------------------------------------------------------------


def test_choosing_a_language_is_a_get_that_sets_the_cookie_and_goes_back() -> None:
    response = Client().get(reverse("set_language"), {"language": "cy", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ({"language": "cy", "next": "https://evil.example/"}, "/"),
        ({"language": "cy", "next": "//evil.example/"}, "/"),
        ({"language": "cy"}, "/"),
    ],
)
def test_the_language_switch_only_goes_back_to_this_site(
    query: dict[str, str], location: str
) -> None:
    response = Client().get(reverse("set_language"), query)
    assert response["Location"] == location


@pytest.mark.parametrize("language", ["fr", "", "cy\n", "x" * 300])
def test_an_unknown_language_changes_nothing(language: str) -> None:
    response = Client().get(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_post_form_still_needs_its_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert response.status_code == 403
