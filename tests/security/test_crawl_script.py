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


class _WithABrokenForm(Client):
    """A client whose page /form/ has a form that answers 500 to any value but "ok"."""

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        page = (
            '<form method="post" action="/send/"><input name="csrfmiddlewaretoken" value="t">'
            '<input name="text"><input type="hidden" name="step" value="ok"></form>'
            '<form method="post" action="/logout/"><button>Sign out</button></form>'
        )
        response = HttpResponse(page)
        response["Content-Type"] = "text/html"
        return response

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        assert path == "/send/"  # never the sign-out form
        assert "csrfmiddlewaretoken" not in data
        return HttpResponse(status=200 if data["text"] in ("", "-1") else 500)


def test_bad_input_reports_a_form_that_answers_a_server_error() -> None:
    crawl = _script().crawl
    problems = crawl(_WithABrokenForm(), ["/form/"], per_pattern=1, repeats=8, bad_input=True)
    assert problems == [
        f"HTTP 500 for {label} values: POST /send/ (form on /form/)"
        for label in ("long", "huge number", "NUL byte", "markup")
    ]


def test_bad_input_finds_no_server_error_on_a_small_world() -> None:
    crawl = _script().crawl
    idea = IdeaFactory()
    activity = idea.contribution.activity
    client = client_for(staff_of(activity, Role.PROFESSIONAL))
    starts = [f"/staff/activities/{activity.pk}/", idea.get_absolute_url()]
    assert crawl(client, starts, per_pattern=1, repeats=50, bad_input=True) == []
