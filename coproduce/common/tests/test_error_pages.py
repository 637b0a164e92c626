"""The pages for a form that cannot be taken: a stale CSRF token (403) and a form too large (413)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory

from coproduce.common.http import MAX_CHARACTERS_KEPT, is_secret
from coproduce.common.views import bad_request

# Any form of the site will do: the CSRF check and the size limit come before the view. This is
# the language switch's POST form (Django's set_language), which every visitor can send.
FORM = "/language/"
# CSRF secrets: the one the page's form was given, and the browser's cookie since the person signed
# in again in another tab (signing in gives a new one).
STALE, CURRENT = "s" * 32, "c" * 32
IDEA = {
    "title": "A calm room <script>alert('x')</script>",
    "description": "Open the library's back room\nafter school, with a youth worker.",
    "author_display": "named",
    "empty": "   ",
    "csrfmiddlewaretoken": STALE,
    "password": "hunter2-secret",
    "new_password1": "another-secret",
    "verification_code": "123456",
    "api_token": "tok_abcdef",
    "client_secret": "s3cr3t",
}
SECRETS = [
    STALE,
    "hunter2-secret",
    "another-secret",
    "123456",
    "tok_abcdef",
    "s3cr3t",
]


def stale_client(*, signed_in: bool) -> Client:
    """A browser whose CSRF cookie no longer matches the token in the form it is about to send."""
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        user = get_user_model().objects.create_user(email="alex@example.org", password="x" * 12)
        client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CURRENT
    return client


def boxes(response: Any) -> dict[str, str]:
    """The page's read-only boxes of text, as {label: text}."""
    content = response.content.decode()
    labels = dict(re.findall(r'<label [^>]*for="(written-\d+)">([^<]*)</label>', content))
    texts = re.findall(
        r'<textarea [^>]*id="(written-\d+)"[^>]*readonly[^>]*>(.*?)</textarea>', content, re.S
    )
    return {labels[key]: html.unescape(text) for key, text in texts}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
def test_a_stale_form_shows_what_was_written_without_secrets(signed_in: bool) -> None:
    client = stale_client(signed_in=signed_in)
    response = client.post(FORM, IDEA, HTTP_REFERER="http://testserver/challenges/7/ideas/new/")

    assert response.status_code == 403
    assert response.templates[0].name == "errors/403_csrf.html"
    content = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your form was not sent</h1>' in content
    assert "signed in or out in another tab" in content
    assert "paste your text in and send it again" in content
    assert boxes(response) == {
        "Title": IDEA["title"],
        "Description": IDEA["description"],
        "Author display": "named",
    }
    # Escaped: the text is shown as text, never run.
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    for secret in SECRETS:
        assert secret not in content
    # Back to the form (the page it came from), and nothing of it kept by a cache.
    assert 'href="http://testserver/challenges/7/ideas/new/"' in content
    assert "no-store" in response["Cache-Control"]
    # The site's layout: its header and its footer.
    assert "govuk-service-navigation" in content
    assert "govuk-footer" in content
    assert ("Sign out" in content) == signed_in


@pytest.mark.django_db
def test_the_stale_form_page_follows_the_language() -> None:
    """In Welsh, the page is in Welsh (the catalogue's words are tested in tests/i18n), and the
    text written is shown all the same."""
    client = stale_client(signed_in=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.post(FORM, IDEA)
    assert response.status_code == 403
    assert '<html lang="cy"' in response.content.decode()
    assert boxes(response)["Description"] == IDEA["description"]


@pytest.mark.django_db
def test_a_stale_form_without_text_and_from_another_site_gives_no_box_and_no_link() -> None:
    response = stale_client(signed_in=False).post(
        FORM, {"csrfmiddlewaretoken": STALE}, HTTP_REFERER="https://evil.example/form"
    )
    assert response.status_code == 403
    assert boxes(response) == {}
    content = response.content.decode()
    assert "What you wrote" not in content
    assert "evil.example" not in content


@pytest.mark.django_db
def test_very_long_text_is_cut_with_a_note() -> None:
    long = "word " * MAX_CHARACTERS_KEPT
    response = stale_client(signed_in=False).post(FORM, {"description": long})
    assert boxes(response)["Description"] == long[:MAX_CHARACTERS_KEPT]
    assert "only its beginning is shown" in response.content.decode()


@pytest.mark.django_db
def test_a_form_with_a_good_token_is_not_stopped() -> None:
    """The page is only for failed checks: the same client with its current token gets through."""
    client = stale_client(signed_in=False)
    response = client.post(FORM, {"csrfmiddlewaretoken": CURRENT, "language": "cy", "next": "/"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("oldpassword", True),
        ("password2", True),
        ("csrfmiddlewaretoken", True),
        ("code", True),
        ("verification_code", True),
        ("recovery-codes", True),
        ("key", True),
        ("api_token", True),
        ("client_secret", True),
        ("otp", True),
        ("title", False),
        ("description", False),
        ("postcode", False),
        ("opinion", False),
        ("email", False),
    ],
)
def test_secret_field_names(name: str, secret: bool) -> None:
    assert is_secret(name) is secret


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["production", "demo (DEBUG on)"])
def test_a_form_too_large_gets_the_413_page(settings: Any, debug: bool) -> None:
    """Regression: Django's 400 page, or with DEBUG on its debug page."""
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CURRENT  # a fresh form, with a good token
    body = {
        "csrfmiddlewaretoken": CURRENT,
        "description": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
    response = client.post(FORM, body)
    assert response.status_code == 413
    assert response.templates[0].name == "errors/413.html"
    content = response.content.decode()
    assert '<h1 class="govuk-heading-l">What you sent is too large</h1>' in content
    assert "This site takes up to 2.5\xa0MB from one form" in content
    assert "make your text shorter and send it again" in content
    assert "govuk-footer" in content


def test_the_400_handler_answers_413_for_a_form_too_large(db: None) -> None:
    """Wherever else a form too large is first read (after the middleware), the page is the same."""
    request = RequestFactory().post(FORM)
    request.user = AnonymousUser()
    assert bad_request(request, RequestDataTooBig()).status_code == 413
    assert bad_request(request, None).status_code == 400
