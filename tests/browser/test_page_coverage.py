"""No page escapes the accessibility check: every URL pattern is walked by a browser test.

A walk (in ``pages.py`` or an area's ``pages_<area>.py``) declares the URL patterns it reaches and
fails if it does not reach them, so the union of the declarations is what the browser suite
really visits. A new page makes
``test_every_project_page_is_walked`` fail until a walk visits it (or, when it answers with
something other than a page, until it is listed in ``audit.NOT_PAGES`` with the reason).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.audit import NOT_PAGES
from tests.browser.pages import CRAWLS, PUBLIC, STAFF

# allauth pages that this project's settings never lead to.
ALLAUTH_UNUSED = {
    "account_confirm_login_code": "signing in by emailed code is off",
    "account_request_reauthentication_code": "signing in by emailed code is off",
    "account_confirm_reauthentication_code": "signing in by emailed code is off",
}


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str, source: str
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            module = getattr(entry.urlconf_module, "__name__", "")
            yield from _walk(entry.url_patterns, inner, _source(entry, module, source))
        elif entry.name:
            yield f"{namespace}{entry.name}", source


def _source(resolver: URLResolver, module: str, parent: str) -> str:
    """Which part of the site a URLconf include belongs to."""
    if parent != "project":
        return parent
    if module.startswith("allauth"):
        return "allauth"
    if resolver.namespace == "admin":
        return "admin"
    if (resolver.namespace or "").startswith("api-"):
        return "api"
    return "project"


def url_names(source: str) -> set[str]:
    """Named URL patterns from one part of the site: project, allauth, admin or api."""
    return {
        name for name, where in _walk(get_resolver().url_patterns, "", "project") if where == source
    }


def walked() -> set[str]:
    return set().union(*(s.covers for s in [*PUBLIC.values(), *STAFF.values(), *CRAWLS.values()]))


def test_every_project_page_is_walked() -> None:
    missing = url_names("project") - walked() - set(NOT_PAGES)
    assert not missing, (
        f"No browser walk visits {sorted(missing)}: add one to tests/browser/pages_<area>.py so axe "
        "checks the page (or, if it answers with something else than a page, list it in NOT_PAGES in audit.py)."
    )


def test_every_allauth_page_in_use_is_walked() -> None:
    missing = url_names("allauth") - walked() - set(ALLAUTH_UNUSED) - set(NOT_PAGES)
    assert not missing, f"No browser walk visits these allauth pages: {sorted(missing)}"


def test_the_lists_of_exceptions_name_real_patterns() -> None:
    assert set(NOT_PAGES) <= url_names("project") | url_names("allauth")
    assert set(ALLAUTH_UNUSED) <= url_names("allauth")
    assert not set(NOT_PAGES) & walked()
    assert url_names("project") >= {"services:home", "services:detail", "common:accessibility"}
