"""The "Your data" page and the download: signed in, owner only, while the link works; the
button works without JavaScript and needs a CSRF token."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.privacy import actions, rules, views
from coproduce.privacy.models import DataExport, ExportStatus
from coproduce.privacy.queries import EXPORTS_PER_DAY
from coproduce.privacy.tests.factories import ready_export

pytestmark = pytest.mark.django_db

PAGE = reverse("privacy:data")


def _download(export: DataExport) -> str:
    return reverse("privacy:download", args=[export.pk])


def test_the_views_declare_their_rule() -> None:
    assert views.data.permission_rule is rules.can_use_data_rights  # type: ignore[attr-defined]
    assert views.download.permission_rule is rules.can_use_data_rights  # type: ignore[attr-defined]


def test_visitors_are_asked_to_sign_in(client: Client) -> None:
    export = ready_export(UserFactory())
    for url in (PAGE, _download(export)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(PAGE).status_code == 302
    assert not DataExport.objects.exclude(pk=export.pk).exists()


def test_the_empty_page_explains_and_offers_the_button() -> None:
    response = client_for(UserFactory(email="jo@example.org")).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have not asked for your data yet." in page
    assert "Ask for my data" in page
    assert "We will email jo@example.org when it is ready" in page
    assert "The link works for 7 days" in page
    assert f"up to {EXPORTS_PER_DAY} times in 24 hours" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "no-store" in response["Cache-Control"]


def test_asking_builds_it_and_the_page_lists_it(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory(email="jo@example.org")
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    assert "We are preparing your data. We will email jo@example.org" in page
    assert "Being prepared" in page  # the worker had not started when the page was made
    export = DataExport.objects.get(user=user)
    assert export.status == ExportStatus.READY
    page = client.get(PAGE).content.decode()
    assert "Ready" in page
    assert "Being prepared" not in page
    assert f'href="{_download(export)}"' in page
    assert export.expires_at is not None
    assert timezone.localtime(export.expires_at).strftime("%H:%M") in page


def test_the_owner_downloads_the_zip(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory(email="jo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        export = actions.data_export_request(user=user)
    export.refresh_from_db()
    response = client_for(user).get(_download(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="my-data-{today:%Y-%m-%d}.zip"'
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(body)) as opened:
        assert b"jo@example.org" in opened.read("account.json")


def test_no_one_else_can_download_it_or_know_it_is_there() -> None:
    export = ready_export(UserFactory())
    staff = UserFactory(is_staff=True, is_superuser=True)
    for someone in (UserFactory(), staff):
        assert client_for(someone).get(_download(export)).status_code == 404
    assert (
        client_for(UserFactory()).get(reverse("privacy:download", args=[10**9])).status_code == 404
    )


def test_an_expired_link_says_so() -> None:
    user = UserFactory()
    export = ready_export(user, expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client_for(user).get(_download(export))
    assert response.status_code == 410
    assert "This download has expired" in response.content.decode()
    actions.data_exports_expire()  # the file is gone too: the same page
    response = client_for(user).get(_download(export))
    assert response.status_code == 410
    page = client_for(user).get(PAGE).content.decode()
    assert "Expired" in page
    assert "Deleted" in page
    assert f'href="{_download(export)}"' not in page


def test_a_download_not_ready_yet_or_failed_goes_back_to_the_page() -> None:
    user = UserFactory()
    waiting = DataExport.objects.create(user=user)
    failed = DataExport.objects.create(user=user, status=ExportStatus.FAILED)
    client = client_for(user)
    response = client.get(_download(waiting), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "still being prepared" in response.content.decode()
    response = client.get(_download(failed), follow=True)
    assert "We could not prepare that download" in response.content.decode()
    page = client.get(PAGE).content.decode()
    assert "Being prepared" in page
    assert "Failed" in page


def test_while_one_waits_the_page_says_why_and_a_post_makes_nothing() -> None:
    user = UserFactory()
    DataExport.objects.create(user=user)
    client = client_for(user)
    page = client.get(PAGE).content.decode()
    assert "We are still preparing your last download" in page
    assert "Ask for my data" not in page
    response = client.post(PAGE, follow=True)
    assert response.status_code == 200
    assert DataExport.objects.filter(user=user).count() == 1
    assert "We are preparing your data" not in response.content.decode()


def test_after_the_daily_limit_the_page_says_when_to_come_back() -> None:
    user = UserFactory()
    for _ in range(EXPORTS_PER_DAY):
        ready_export(user)
    client = client_for(user)
    page = client.get(PAGE).content.decode()
    assert f"You can ask for your data {EXPORTS_PER_DAY} times in 24 hours" in page
    assert "Ask for my data" not in page
    client.post(PAGE)
    assert DataExport.objects.filter(user=user).count() == EXPORTS_PER_DAY


def test_the_button_needs_a_csrf_token() -> None:
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(PAGE).status_code == 403
    assert not DataExport.objects.filter(user=user).exists()


def test_the_download_is_read_only() -> None:
    user = UserFactory()
    export = ready_export(user)
    assert client_for(user).post(_download(export)).status_code == 405


def test_the_page_lists_only_the_persons_own() -> None:
    mine = UserFactory()
    theirs = ready_export(UserFactory())
    ready_export(mine)
    page = client_for(mine).get(PAGE).content.decode()
    assert page.count('href="/account/data/') == 1
    assert _download(theirs) not in page
