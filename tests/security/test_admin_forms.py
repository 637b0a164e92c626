"""Every add page of the admin, its form sent back as it comes, is a page or a redirect, never a
500: a model whose rows only the apps make (a survey's submission) cannot be added by hand."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from coproduce.contributions.tests.world import World
from tests.security.admin_site import registered_models


class _FormFields(HTMLParser):
    """The name → value pairs the admin's form would send unchanged (the first form whose id
    ends in ``_form``), as a browser would: checked boxes, selected options, textareas' text."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in {"submit", "file", "button"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


@pytest.mark.parametrize("model", registered_models())
def test_an_add_form_sent_as_it_comes_is_never_a_500(world: World, model: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.people["superuser"])
    url = f"/django-admin/{model}/add/"
    page = client.get(url)
    assert page.status_code in {200, 403}, url  # 403: the apps alone make these rows
    if page.status_code == 403:
        return
    fields = _FormFields()
    fields.feed(page.content.decode())
    assert "csrfmiddlewaretoken" in fields.data, f"{url}: the add form was not found"
    assert client.post(url, fields.data).status_code in {200, 302}, url
