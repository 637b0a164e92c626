"""The API docs page keeps the strict CSP (the browser run is tests/browser/test_api_docs.py)."""

from __future__ import annotations

import re

from django.test import Client


def test_the_docs_page_keeps_the_strict_policy(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"] == "'self'"
    # Our own files, and at most inline scripts allowed one by one (by hash or nonce).
    own, *inline = policy["script-src"].split()
    assert own == "'self'"
    assert all(re.fullmatch(r"'(sha256|nonce)-[-A-Za-z0-9+/_=]+'", source) for source in inline)
    assert "unsafe" not in response["Content-Security-Policy"]
