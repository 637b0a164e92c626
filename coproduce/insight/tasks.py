"""Background jobs: the email that confirms an answer given without an account."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django_tasks import task

from coproduce.insight.models import SurveySubmission


@task()
def send_submission_confirmation(submission_id: int) -> bool:
    """Email a fresh confirmation link; returns False when there is nothing left to confirm.

    The token is made here, not passed in, so that it is never stored in the task queue; only its
    hash reaches the database.
    """
    submission = (
        SurveySubmission.objects.filter(pk=submission_id, confirmed_at__isnull=True)
        .exclude(confirmation_email="")
        .select_related("contribution__activity__service_stage__service")
        .first()
    )
    if submission is None:
        return False
    raw = secrets.token_urlsafe(32)
    SurveySubmission.objects.filter(pk=submission.pk).update(
        confirmation_token_hash=SurveySubmission.hash_token(raw)
    )
    activity = submission.contribution.activity
    context = {
        "activity": activity,
        "service": activity.service,
        "days": settings.COPRODUCE_UNCONFIRMED_ANSWER_DAYS,
        "link": settings.SITE_URL
        + reverse("insight:survey_confirm")
        + "?"
        + urlencode({"token": raw}),
    }
    send_mail(
        subject=render_to_string("insight/email/confirm_subject.txt", context).strip(),
        message=render_to_string("insight/email/confirm_body.txt", context),
        from_email=None,
        recipient_list=[submission.confirmation_email],
    )
    return True
