"""scripts/crawl_demo.py keeps working: on a small world, as a facilitator, it finds no link that
answers an error and no page reading a query per row; and it reports a link that answers 404."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from coproduce.accounts.tests.factories import client_for
from coproduce.codesign.tests.factories import IdeaFactory
from coproduce.organisations.models import Role
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def _script() -> ModuleType:
    path = Path(settings.BASE_DIR, "scripts", "crawl_demo.py")
    spec = importlib.util.spec_from_file_location("crawl_demo", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _WithABrokenLink(Client):
    """A client whose page /start/ links to a page that does not exist."""

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if path == "/start/":
            response = HttpResponse('<a href="/no-such-page/">Gone</a>')
            response["Content-Type"] = "text/html"
            return response
        return super().get(path, *args, **kwargs)


def test_the_crawl_finds_nothing_wrong_for_a_facilitator() -> None:
    crawl = _script().crawl
    idea = IdeaFactory()
    activity = idea.contribution.activity
    client = client_for(staff_of(activity, Role.FACILITATOR))
    starts = ["/", f"/staff/activities/{activity.pk}/", idea.get_absolute_url()]
    assert crawl(client, starts, per_pattern=1, repeats=8) == []


def test_the_crawl_reports_a_link_that_answers_an_error_but_not_a_start() -> None:
    crawl = _script().crawl
    client = _WithABrokenLink()
    assert crawl(client, ["/start/"], per_pattern=1, repeats=8) == [
        "HTTP 404: /no-such-page/ (from /start/)"
    ]
    assert crawl(client, ["/no-such-page/"], per_pattern=1, repeats=8) == []
