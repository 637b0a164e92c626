"""The fixed-window limiter of the busy paths (coproduce/common/ratelimit.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from coproduce.common import ratelimit
from coproduce.common.ratelimit import Rate, parse_rates


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _request(address: str = "192.0.2.1") -> HttpRequest:
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_rates_are_read_in_allauths_syntax() -> None:
    assert parse_rates("30/10m/key, 1000/10m/ip") == (
        Rate(30, 600, "key"),
        Rate(1000, 600, "ip"),
    )
    assert parse_rates("5/h") == (Rate(5, 3600, "ip"),)
    assert parse_rates("") == ()
    with pytest.raises(ValueError, match="Not a rate limit"):
        parse_rates("5/10w/ip")
    with pytest.raises(ValueError, match="Not a rate limit"):
        parse_rates("5/10m/user")


@override_settings(ACCOUNT_RATE_LIMITS={"vote": "3/10m/key"})
def test_each_key_gets_its_own_allowance() -> None:
    request = _request()
    assert [ratelimit.consume(request, action="vote", key="a") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert ratelimit.consume(request, action="vote", key="b")


@override_settings(ACCOUNT_RATE_LIMITS={"vote": "100/10m/key,2/10m/ip"})
def test_the_address_limit_counts_every_key_from_it() -> None:
    assert ratelimit.consume(_request(), action="vote", key="a")
    assert ratelimit.consume(_request(), action="vote", key="b")
    assert not ratelimit.consume(_request(), action="vote", key="c")
    assert ratelimit.consume(_request("192.0.2.9"), action="vote", key="c")


@override_settings(ACCOUNT_RATE_LIMITS={"vote": "1/10m/key"})
def test_a_new_window_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6000.0)
    assert ratelimit.consume(_request(), action="vote", key="a")
    assert not ratelimit.consume(_request(), action="vote", key="a")
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6600.0)
    assert ratelimit.consume(_request(), action="vote", key="a")


@override_settings(ACCOUNT_RATE_LIMITS={})
def test_an_action_without_a_limit_is_never_refused() -> None:
    assert all(ratelimit.consume(_request(), action="vote", key="a") for _ in range(50))
