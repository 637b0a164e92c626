"""Writes for "Download my data": ask for a download, build its ZIP, let expired files go.

Building and the "ready" email run in the background (``tasks.py``); each is safe to run twice:
an export that is no longer waiting is left alone, and the email is claimed before it is sent
(decision 0098).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.notifications.emails import language_of
from coproduce.notifications.queries import settings_of
from coproduce.privacy import archive, queries
from coproduce.privacy.models import (
    EXPORTS_FOLDER,
    STALE_AFTER,
    DataExport,
    ExportStatus,
    export_days,
    private_storage,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Ask for a copy of everything the platform holds about ``user``; it is built in the
    background and they are emailed when it is ready. Refused (ValidationError, in words) while
    another is being prepared, or after ``EXPORTS_PER_DAY`` requests in 24 hours."""
    from coproduce.privacy.tasks import build_data_export

    reason = queries.refusal(user)
    if reason:
        raise ValidationError(reason, code="refused")
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:  # the same button pressed twice at once: one request waits already
        raise ValidationError(
            queries.refusal(user) or _("Please try again."), code="refused"
        ) from None
    pk = export.pk
    transaction.on_commit(lambda: build_data_export.enqueue(pk))
    return export


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the ZIP of a waiting export, store it privately and mark it ready (then the email
    goes, once committed). An export that is not waiting is returned untouched; if two runs
    overlap, the first to finish keeps its file and the other deletes its own. Not one
    transaction: the file is written first, then the row is claimed in a short one."""
    from coproduce.privacy.tasks import send_data_export_email

    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.REQUESTED:
        return export
    user = export.user
    made_at = timezone.now()
    try:
        with translation.override(language_of(settings_of(user))):
            parts = archive.collect(user)
            with tempfile.TemporaryFile() as scratch:
                archive.write_zip(scratch, user, parts, made_at=made_at)
                size = scratch.tell()
                scratch.seek(0)
                export.file.save(f"{secrets.token_hex(16)}.zip", File(scratch), save=False)
    except Exception as error:  # the person sees "failed" and may ask again; the log has why
        logger.exception("Building data export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk, status=ExportStatus.REQUESTED).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        export.refresh_from_db()
        return export
    finished = timezone.now()
    with transaction.atomic():
        done = DataExport.objects.filter(pk=export.pk, status=ExportStatus.REQUESTED).update(
            status=ExportStatus.READY,
            file=export.file.name,
            size=size,
            finished_at=finished,
            expires_at=finished + dt.timedelta(days=export_days()),
        )
        if done:
            pk = export.pk
            transaction.on_commit(lambda: send_data_export_email.enqueue(pk))
    if not done:  # another run got there first: its file is the one kept
        export.file.delete(save=False)
    export.refresh_from_db()
    return export


def data_exports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their expiry (the rows stay, for the person's list) and
    give up on requests no worker built within a day. Returns how many files were deleted.

    Files no export holds (a build stopped after writing its file) go a day after they were
    written. Safe to run twice, and to stop half-way: the file is deleted before the row forgets
    it, and deleting a file that is already gone is not an error."""
    now = now or timezone.now()
    deleted = 0
    for export in DataExport.objects.expired(now).only("pk", "file"):
        name = str(export.file.name)
        export.file.storage.delete(name)
        deleted += DataExport.objects.filter(pk=export.pk, file=name).update(file="")
    DataExport.objects.waiting().filter(created_at__lt=now - STALE_AFTER).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error="No worker built it within a day: is manage.py task_worker running?",
    )
    _orphans_delete(now)
    return deleted


def _orphans_delete(now: dt.datetime) -> None:
    """Delete the files no export holds, written over a day ago: a build killed between writing
    its file and marking the export ready (the re-run writes a file of its own). A file younger
    than that may belong to a build still running, so it stays until the next day's run."""
    storage = private_storage()
    try:
        _folders, names = storage.listdir(EXPORTS_FOLDER)
    except FileNotFoundError:  # nothing was ever built
        return
    held = set(DataExport.objects.exclude(file="").values_list("file", flat=True))
    for name in names:
        path = f"{EXPORTS_FOLDER}{name}"
        if path not in held and storage.get_modified_time(path) < now - STALE_AFTER:
            storage.delete(path)
            logger.warning("Deleted %s: no data export holds it (a build was stopped)", path)
