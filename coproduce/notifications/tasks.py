"""Background jobs: emails about news for people."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from coproduce.notifications.models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification not emailed yet; returns how many were sent."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("user", "service")
    for notification in pending:
        context = {
            "notification": notification,
            "service": notification.service,
            "link": settings.SITE_URL + notification.url,
            "mine_link": settings.SITE_URL + reverse("contributions:my_contributions"),
        }
        send_mail(
            subject=render_to_string("notifications/email_subject.txt", context).strip(),
            message=render_to_string("notifications/email_body.txt", context),
            from_email=None,
            recipient_list=[notification.user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
