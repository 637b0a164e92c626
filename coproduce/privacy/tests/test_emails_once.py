"""The "your data is ready" email goes once, whatever runs twice (decision 0901)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.email_once import message_id
from coproduce.privacy import tasks
from coproduce.privacy.models import DataExport
from coproduce.privacy.tests.factories import ready_export

pytestmark = pytest.mark.django_db


def test_the_ready_email_task_run_twice_sends_one_email_even_if_its_mark_was_lost() -> None:
    user = UserFactory(email="jo@example.org")
    export = ready_export(user)
    assert tasks.send_data_export_email.call(export.pk) is True
    assert tasks.send_data_export_email.call(export.pk) is False
    DataExport.objects.filter(pk=export.pk).update(emailed_at=None)  # the mark lost, the key kept
    tasks.send_data_export_email.call(export.pk)
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == message_id(
        f"privacy.export-ready:{export.pk}:{user.pk}"
    )
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives  # still the HTML version too


def test_a_build_run_again_after_its_commit_queues_the_email_it_had_not_queued() -> None:
    user = UserFactory(email="jo@example.org")
    export = ready_export(user)  # built and committed; the worker died before queuing the email
    assert tasks.build_data_export.call(export.pk) == "ready"
    assert tasks.build_data_export.call(export.pk) == "ready"
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
