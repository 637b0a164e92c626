"""A panel's emails go once, whatever runs twice (decision 0901)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from coproduce.common.email_once import message_id
from coproduce.panels import actions_selection
from coproduce.panels.models import Registrant, SelectionStatus
from coproduce.panels.tasks import (
    run_selection,
    select_panel,
    send_registration_email,
    send_selected_email,
)
from coproduce.panels.tests.factories import make_pool, small_pool

pytestmark = pytest.mark.django_db


def test_the_registration_email_task_run_twice_sends_one_email() -> None:
    _, registrants = make_pool(small_pool(2))
    first, second = registrants
    assert send_registration_email.call(first.pk) is True
    assert send_registration_email.call(first.pk) is False
    assert send_registration_email.call(second.pk) is True
    assert [m.to for m in mail.outbox] == [["resident1@example.org"], ["resident2@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id(f"panels.registered:{first.pk}")


def test_a_draw_run_again_after_its_commit_tells_the_members_it_had_not_told_yet(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, _ = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=42)
    committed = actions_selection.selection_start(selection=committed, by=setup.staff)
    with django_capture_on_commit_callbacks(execute=False):  # killed before queuing the emails
        selection = run_selection(committed.pk)
    assert selection is not None
    assert selection.status == SelectionStatus.DONE
    mail.outbox.clear()
    assert select_panel.call(selection.pk) == SelectionStatus.DONE
    assert len(mail.outbox) == setup.panel.size
    assert select_panel.call(selection.pk) == SelectionStatus.DONE
    assert len(mail.outbox) == setup.panel.size


def test_the_chosen_email_carries_its_key_and_goes_once_even_if_the_flag_is_lost(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, _ = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=42)
    committed = actions_selection.selection_start(selection=committed, by=setup.staff)
    with django_capture_on_commit_callbacks(execute=False):
        selection = run_selection(committed.pk)
    assert selection is not None
    member = selection.members[0]
    assert send_selected_email.call(member, selection.pk) is True
    key = f"panels.selected:{member}:{selection.pk}"
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id(key)
    # A re-run after a crash that lost the flag's update still sends nothing.
    Registrant.objects.filter(pk=member).update(told_selected_at=None)
    assert send_selected_email.call(member, selection.pk) is False
    assert len(mail.outbox) == 1
