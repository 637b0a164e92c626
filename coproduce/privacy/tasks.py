"""Background jobs of "Download my data": build the ZIP, email the link, delete expired files.
Each is safe to run twice (decision 0098)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from coproduce.common.email_once import send_once
from coproduce.notifications.emails import language_of
from coproduce.notifications.queries import settings_of
from coproduce.privacy.models import DataExport, ExportStatus, export_days


@task()
def build_data_export(export_id: int) -> str:
    """Build a requested export; returns its status afterwards ("missing" when it is gone).

    Run again on an export already built but not emailed (its worker was killed after the
    commit, before the email was queued), it queues the email; it goes once."""
    from coproduce.privacy.actions import data_export_build

    was_ready = DataExport.objects.filter(
        pk=export_id, status=ExportStatus.READY, emailed_at__isnull=True
    ).exists()
    export = data_export_build(export_id=export_id)
    if was_ready and export is not None and export.emailed_at is None and export.downloadable:
        send_data_export_email.enqueue(export.pk)
    return "missing" if export is None else export.status


@task()
def send_data_export_email(export_id: int) -> bool:
    """Tell the person their download is ready, with the link; False when there is nothing to
    send: the export is not ready or has expired, or the email went already.

    ``emailed_at`` is claimed with a conditional update in the transaction that sends, so a second
    run sends nothing, and an email that fails to send leaves it unset for a retry. Not news: no
    unsubscribe link (decision 0024); the person asked for it."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_related("user")
            .filter(pk=export_id, status=ExportStatus.READY, emailed_at__isnull=True)
            .first()
        )
        if export is None or not export.downloadable:
            return False
        claimed = DataExport.objects.filter(pk=export.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        user = export.user
        with translation.override(language_of(settings_of(user))):
            context = {
                "user": user,
                "export": export,
                "expires_at": timezone.localtime(export.expires_at),
                "days": export_days(),
                "link": settings.SITE_URL + reverse("privacy:download", args=[export.pk]),
                "page": settings.SITE_URL + reverse("privacy:data"),
            }
            message = EmailMultiAlternatives(
                subject=render_to_string("privacy/email/ready_subject.txt", context).strip(),
                body=render_to_string("privacy/email/ready_body.txt", context),
                to=[user.email],
            )
            message.attach_alternative(
                render_to_string("privacy/email/ready_body.html", context), "text/html"
            )
            send_once(f"privacy.export-ready:{export.pk}:{user.pk}", message)
    return True


@task()
def delete_expired_exports() -> int:
    """Delete the files of expired exports; returns how many (run daily: docs/privacy.md)."""
    from coproduce.privacy.actions import data_exports_expire

    return data_exports_expire()
