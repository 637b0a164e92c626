"""Background jobs: the email that confirms an answer given without an account."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django_tasks import task

from coproduce.common.email_once import send_once
from coproduce.insight.models import SurveySubmission


@task()
def send_submission_confirmation(submission_id: int) -> bool:
    """Email a fresh confirmation link; returns False when there is nothing left to confirm, or
    when the email went already (a re-run of this task sends nothing and keeps the first link).

    The token is made here, not passed in, so that it is never stored in the task queue; only its
    hash reaches the database, in the transaction that hands the email over (``send_once``).
    """
    submission = (
        SurveySubmission.objects.filter(pk=submission_id, confirmed_at__isnull=True)
        .exclude(confirmation_email="")
        .select_related("contribution__activity__service_stage__service")
        .first()
    )
    if submission is None:
        return False

    def confirmation() -> EmailMessage:
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
        return EmailMessage(
            subject=render_to_string("insight/email/confirm_subject.txt", context).strip(),
            body=render_to_string("insight/email/confirm_body.txt", context),
            to=[submission.confirmation_email],
        )

    return send_once(f"insight.confirm:{submission.pk}", confirmation)
