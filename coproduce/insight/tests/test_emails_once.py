"""The confirmation of an anonymous answer is emailed once, whatever runs twice (decision 0901)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from coproduce.common.email_once import message_id
from coproduce.insight import actions
from coproduce.insight.tasks import send_submission_confirmation
from coproduce.insight.tests.factories import NeedsSurveyFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_the_confirmation_task_run_twice_sends_one_email_whose_link_still_works(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    with django_capture_on_commit_callbacks(execute=False):
        submission = SubmissionFactory(
            activity=activity, author=None, email="me@example.org", text="A quiet room."
        )
    assert send_submission_confirmation.call(submission.pk) is True
    assert send_submission_confirmation.call(submission.pk) is False
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == message_id(f"insight.confirm:{submission.pk}")
    match = re.search(r"token=([\w-]+)", str(message.body))
    assert match, message.body
    # The second run made no new token, so the link sent is still the one that works.
    assert actions.submission_confirm(raw_token=match.group(1)).pk == submission.pk
