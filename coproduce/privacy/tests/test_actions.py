"""Asking for a download, building it in the background, the email, expiry; each step safe to
run twice (decisions 0098 and 0099)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.privacy import actions, archive, tasks
from coproduce.privacy.models import DataExport, ExportStatus, private_storage
from coproduce.privacy.queries import EXPORTS_PER_DAY, refusal
from coproduce.privacy.tests.factories import busy_resident, ready_export

pytestmark = pytest.mark.django_db


def _request(user: Any, capture: Any) -> DataExport:
    """Ask, and run what waits for the commit (the build, then the email) as the worker would."""
    with capture(execute=True):
        export = actions.data_export_request(user=user)
    export.refresh_from_db()
    return export


def test_a_request_is_built_in_the_background_and_emailed_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    jo = busy_resident("jo@example.org")
    export = _request(jo.user, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.READY
    assert export.finished_at is not None
    assert export.emailed_at is not None
    assert export.expires_at == export.finished_at + dt.timedelta(days=7)
    # Kept in the private storage, never under the public media.
    stored = Path(private_storage().path(str(export.file.name)))
    assert stored.is_file()
    assert stored.stat().st_size == export.size
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    with zipfile.ZipFile(stored) as opened:
        assert "ideas.json" in opened.namelist()
        assert b"=Idea of jo@example.org" in opened.read("ideas.json")

    [message] = mail.outbox
    assert message.to == ["jo@example.org"]
    assert message.subject == "Your data is ready to download"
    link = settings.SITE_URL + reverse("privacy:download", args=[export.pk])
    assert link in message.body
    assert "The link works until" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert f'href="{link}"' in str(html)
    assert "Unsubscribe" not in message.body  # not news: the person asked for it


def test_building_or_emailing_again_does_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory(email="jo@example.org")
    export = _request(user, django_capture_on_commit_callbacks)
    name, finished = export.file.name, export.finished_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.build_data_export.call(export.pk) == ExportStatus.READY
    assert callbacks == []  # no second email queued
    assert tasks.send_data_export_email.call(export.pk) is False
    export.refresh_from_db()
    assert (export.file.name, export.finished_at) == (name, finished)
    assert len(mail.outbox) == 1
    assert tasks.build_data_export.call(10**9) == "missing"


def test_two_builds_at_once_keep_one_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other run finished while this one was writing: this one's file is deleted."""
    user = UserFactory()
    export = DataExport.objects.create(user=user)
    other = ready_export(UserFactory())
    real = archive.write_zip

    def finished_meanwhile(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.READY, file=other.file.name
        )

    monkeypatch.setattr(archive, "write_zip", finished_meanwhile)
    before = set(Path(private_storage().path("data-exports")).iterdir())
    built = actions.data_export_build(export_id=export.pk)
    assert built is not None
    assert built.file.name == other.file.name
    assert set(Path(private_storage().path("data-exports")).iterdir()) == before


@override_settings(COPRODUCE_DATA_EXPORT_DAYS=2)
def test_the_link_lasts_the_days_the_setting_says(
    django_capture_on_commit_callbacks: Any,
) -> None:
    export = _request(UserFactory(), django_capture_on_commit_callbacks)
    assert export.expires_at == export.finished_at + dt.timedelta(days=2)  # type: ignore[operator]


def test_a_build_that_fails_is_marked_and_sends_nothing(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(user: Any) -> Any:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(archive, "collect", broken)
    user = UserFactory()
    export = _request(user, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.FAILED
    assert export.error == "the disk is full"
    assert not export.file
    assert mail.outbox == []
    assert refusal(user) == ""  # they may ask again at once


def test_one_request_waits_at_a_time() -> None:
    user = UserFactory()
    DataExport.objects.create(user=user)
    with pytest.raises(ValidationError, match="still preparing your last download"):
        actions.data_export_request(user=user)
    assert DataExport.objects.filter(user=user).count() == 1
    # Someone else is not held up by it.
    actions.data_export_request(user=UserFactory())


def test_at_most_a_few_requests_a_day() -> None:
    user = UserFactory()
    for _ in range(EXPORTS_PER_DAY):
        ready_export(user)
    with pytest.raises(ValidationError, match=f"{EXPORTS_PER_DAY} times in 24 hours"):
        actions.data_export_request(user=user)
    # The oldest of them slips out of the 24 hours: one more is allowed.
    oldest = DataExport.objects.filter(user=user).order_by("created_at").first()
    assert oldest is not None
    DataExport.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    actions.data_export_request(user=user)


def test_the_limit_says_when_they_can_ask_again() -> None:
    user = UserFactory()
    now = timezone.now()
    for hours in (20, 10, 1):
        export = ready_export(user)
        DataExport.objects.filter(pk=export.pk).update(created_at=now - dt.timedelta(hours=hours))
    again = timezone.localtime(now + dt.timedelta(hours=4))
    assert f"after {again:%H:%M} on {again.day} {again:%B %Y}" in refusal(user, now=now)


def test_expired_files_are_deleted_and_a_second_run_deletes_nothing() -> None:
    user = UserFactory()
    expired = ready_export(user, expires_at=timezone.now() - dt.timedelta(minutes=1))
    current = ready_export(user)
    path = Path(private_storage().path(str(expired.file.name)))
    assert path.is_file()
    assert tasks.delete_expired_exports.call() == 1
    assert not path.exists()
    expired.refresh_from_db()
    assert expired.file.name == ""
    assert expired.status == ExportStatus.READY
    assert tasks.delete_expired_exports.call() == 0
    current.refresh_from_db()
    assert Path(private_storage().path(str(current.file.name))).is_file()


def test_a_file_already_gone_is_not_an_error() -> None:
    expired = ready_export(UserFactory(), expires_at=timezone.now() - dt.timedelta(days=1))
    private_storage().delete(str(expired.file.name))
    assert actions.data_exports_expire() == 1


def _stored() -> set[str]:
    """The names of the files in the exports' folder, none when it was never made."""
    try:
        return set(private_storage().listdir("data-exports/")[1])
    except FileNotFoundError:
        return set()


def test_a_file_left_by_a_killed_build_is_deleted_a_day_later(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    jo = busy_resident("jo@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        export = actions.data_export_request(user=jo.user)

    class Killed(BaseException):  # SIGKILL: no except clause runs, nothing is marked
        pass

    before = _stored()  # other tests' files
    saved: list[str] = []
    original = DataExport.objects.filter

    def killed_after_the_file(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("status") == ExportStatus.REQUESTED and "pk" in kwargs:
            saved.extend(_stored() - before)
            raise Killed
        return original(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(DataExport.objects, "filter", killed_after_the_file)
        with pytest.raises(Killed):
            actions.data_export_build(export_id=export.pk)
    [orphan] = saved
    path = Path(private_storage().path(f"data-exports/{orphan}"))
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=False):
        rebuilt = actions.data_export_build(export_id=export.pk)  # the task run again
    assert rebuilt is not None
    assert rebuilt.status == ExportStatus.READY
    kept = Path(private_storage().path(str(rebuilt.file.name)))
    actions.data_exports_expire()  # the same day: the orphan may still be a build running
    assert path.is_file()
    actions.data_exports_expire(now=timezone.now() + dt.timedelta(hours=25))
    assert not path.exists()
    assert kept.is_file()


def test_requests_no_worker_built_are_given_up_after_a_day() -> None:
    user = UserFactory()
    stuck = DataExport.objects.create(user=user)
    DataExport.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    fresh = DataExport.objects.create(user=UserFactory())
    actions.data_exports_expire()
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED
    assert fresh.status == ExportStatus.REQUESTED
    assert "still preparing" not in refusal(user)


def test_no_email_for_an_export_that_expired_before_it_went() -> None:
    export = ready_export(UserFactory(), expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert tasks.send_data_export_email.call(export.pk) is False
    assert mail.outbox == []


def test_the_email_is_in_the_language_the_person_chose(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from coproduce.notifications.models import NotificationSettings

    user = UserFactory()
    NotificationSettings.objects.create(user=user, language="cy")
    _request(user, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert '<html lang="cy">' in str(message.alternatives[0][0])


def test_the_command_deletes_expired_files(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    ready_export(UserFactory(), expires_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("delete_expired_exports")
    assert re.search(r"Expired data downloads deleted: 1\.", capsys.readouterr().out)


def test_the_zip_opens_with_its_readme_first(django_capture_on_commit_callbacks: Any) -> None:
    export = _request(UserFactory(), django_capture_on_commit_callbacks)
    with export.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as opened:
        assert opened.namelist()[0] == "README.txt"


def test_two_requests_at_the_same_moment_make_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both passed the check before either was saved: the database keeps one waiting."""
    from coproduce.privacy import queries

    user = UserFactory()
    DataExport.objects.create(user=user)
    monkeypatch.setattr(queries, "refusal", lambda user: "")
    with pytest.raises(ValidationError, match="Please try again"):
        actions.data_export_request(user=user)
    assert DataExport.objects.filter(user=user).count() == 1
