"""Test helpers for forms that make something once (OneTimeForm, decision 0021)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from coproduce.common.forms import ONE_TIME_FIELD

ALREADY_RECEIVED = "We already have this. You sent it before, so nothing new was added."


def form_token(response: Any) -> str:
    """The one-time token in a page's form."""
    html = response.content.decode()
    found = re.search(rf'name="{ONE_TIME_FIELD}" value="([^"]+)"', html)
    assert found, "the page has no one-time token"
    return found.group(1)


def send_twice(client: Client, url: str, data: dict[str, Any]) -> str:
    """Open a form page, send it, then send the same copy again (as Back, then submit, does).

    Checks that both went to the same place and that the second said it was already received;
    returns that place.
    """
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    sent = {**data, ONE_TIME_FIELD: form_token(page)}
    first = client.post(url, sent)
    assert first.status_code == 302, first.content.decode()
    again = client.post(url, sent, follow=True)
    assert again.redirect_chain[0] == (first["Location"], 302)
    assert ALREADY_RECEIVED in again.content.decode()
    return str(first["Location"])
