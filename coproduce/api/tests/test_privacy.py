"""GET /api/me/data: your own data with your token; never anyone else's."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.accounts.actions import api_token_create
from coproduce.privacy.tests.factories import busy_resident

pytestmark = pytest.mark.django_db


def test_your_data_with_your_token_and_nobody_elses() -> None:
    mine = busy_resident("zebedee.quill@example.org")
    theirs = busy_resident("other.person@example.org")
    _token, raw = api_token_create(user=mine.user, name="my export")
    response = Client().get("/api/me/data", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content
    files = {file["name"]: file for file in response.json()["files"]}
    text = response.content.decode()
    assert "zebedee.quill@example.org" in text
    assert "other.person@example.org" not in text
    assert theirs.user.name not in text
    (equality,) = [file for name, file in files.items() if "equality" in name]
    # Mine only: the two questions the factory answers, one row each.
    assert [row["question_code"] for row in equality["rows"]] == ["age", "disability"]


def test_no_token_is_401_even_for_a_signed_in_browser() -> None:
    user = busy_resident("zebedee.quill@example.org").user
    assert Client().get("/api/me/data").status_code == 401
    browser = Client()
    browser.force_login(user)
    assert browser.get("/api/me/data").status_code == 401
