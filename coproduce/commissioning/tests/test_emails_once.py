"""The letter to a person chosen to evaluate goes once, whatever runs twice (decision 0901)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions_evaluation as actions
from coproduce.commissioning.tests.factories_evaluation import evaluated_round
from coproduce.common.email_once import message_id

pytestmark = pytest.mark.django_db


def test_the_evaluator_email_task_run_twice_sends_one_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = evaluated_round()
    UserFactory(email="asha@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        evaluator = actions.evaluator_add(
            round_=data.round, by=data.keeper, email="asha@example.org", role="resident"
        )
    assert len(mail.outbox) == 1
    assert actions.send_evaluator_email.call(evaluator.pk) is False
    [message] = mail.outbox
    assert message.to == ["asha@example.org"]
    assert message.extra_headers["Message-ID"] == message_id(
        f"commissioning.evaluator-chosen:{evaluator.pk}"
    )
