"""The email after the draw: each person drawn is told once, with the link to their own page to
confirm or decline; replacements are told by their own draw; a failed draw tells nobody."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.panels import actions_deliberation, actions_selection, tasks
from coproduce.panels.models import (
    Registrant,
    RegistrantStatus,
    RegistrationData,
    Selection,
    SelectionStatus,
)
from coproduce.panels.tasks import run_selection, send_selected_email
from coproduce.panels.tests.factories import PanelSetup, make_pool, small_pool

pytestmark = pytest.mark.django_db


def _committed(setup: PanelSetup, seed: int = 42) -> Selection:
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=seed)
    return actions_selection.selection_start(selection=committed, by=setup.staff)


def _draw(setup: PanelSetup, capture: Any, seed: int = 42) -> Selection:
    """Draw the panel and run what waits for the commit (the emails), as the worker would."""
    committed = _committed(setup, seed)
    with capture(execute=True):
        selection = run_selection(committed.pk)
    assert selection is not None
    assert selection.status == SelectionStatus.DONE
    return selection


def _emails_of(pks: list[int]) -> set[str]:
    return set(RegistrationData.objects.filter(pk__in=pks).values_list("email", flat=True))


def _link(body: str) -> str:
    """The path of the one link to the site in an email's body."""
    links = re.findall(re.escape(settings.SITE_URL) + r"(/\S+)", body)
    assert len(links) == 1
    return str(links[0])


def test_a_done_selection_tells_each_member_once_with_a_link_that_works(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, registrants = make_pool(small_pool())
    selection = _draw(setup, django_capture_on_commit_callbacks)
    members = list(selection.members)
    assert len(mail.outbox) == setup.panel.size
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(_emails_of(members))
    others = {r.pk for r in registrants} - set(members)
    assert not _emails_of(list(others)) & {to for m in mail.outbox for to in m.to}
    for registrant in Registrant.objects.filter(pk__in=members):
        assert registrant.told_selected_at is not None
    assert not Registrant.objects.filter(pk__in=others, told_selected_at__isnull=False).exists()

    message = next(m for m in mail.outbox if m.to == [_emails_of(members[:1]).pop()])
    title = setup.panel.activity.title
    assert message.subject == f"You have been chosen for the citizen panel: {title}"
    assert "has chosen you to be one of its members" in message.body
    assert setup.panel.question in message.body
    assert "replacement" not in message.body
    assert "first session" not in message.body  # none planned yet
    path = _link(str(message.body))
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="response"' in html
    assert "Chosen for the panel: please answer below" in html
    assert client.post(path, {"response": "confirm"}).status_code == 302
    assert Registrant.objects.get(pk=members[0]).status == RegistrantStatus.CONFIRMED


def test_the_email_gives_the_first_session(django_capture_on_commit_callbacks: Any) -> None:
    setup, _ = make_pool(small_pool())
    starts = timezone.make_aware(datetime(2027, 3, 6, 10, 30))
    for day in (13, 6):  # created out of order: the earliest is the first
        actions_deliberation.session_create(
            panel=setup.panel,
            by=setup.staff,
            title=f"Session on the {day}th",
            starts_at=starts.replace(day=day),
            place="Northfield Library",
        )
    _draw(setup, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert "The first session is on Saturday 6 March 2027 at 10:30." in body
    assert "Place: Northfield Library." in body
    assert "13 March" not in body


def test_running_the_task_twice_sends_once(django_capture_on_commit_callbacks: Any) -> None:
    setup, _ = make_pool(small_pool())
    committed = _committed(setup)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        selection = run_selection(committed.pk)
    assert selection is not None
    assert len(callbacks) == 1  # the emails are queued after the commit, not before
    assert mail.outbox == []
    member = selection.members[0]
    assert send_selected_email.call(member, selection.pk) is True
    assert send_selected_email.call(member, selection.pk) is False
    assert len(mail.outbox) == 1
    # The whole queue again (a worker re-running it) tells the others and nobody twice.
    callbacks[0]()
    callbacks[0]()
    assert len(mail.outbox) == setup.panel.size
    assert len({m.to[0] for m in mail.outbox}) == setup.panel.size
    # A done selection run again queues nothing.
    with django_capture_on_commit_callbacks(execute=True) as again:
        run_selection(selection.pk)
    assert again == []
    assert len(mail.outbox) == setup.panel.size


def test_an_email_that_fails_to_send_is_sent_by_the_next_run(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup, _ = make_pool(small_pool())
    with django_capture_on_commit_callbacks(execute=False):
        selection = run_selection(_committed(setup).pk)
    assert selection is not None
    member = selection.members[0]

    def down(self: EmailMessage, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", down)
        with pytest.raises(ConnectionRefusedError):
            send_selected_email.call(member, selection.pk)
    assert Registrant.objects.get(pk=member).told_selected_at is None
    assert send_selected_email.call(member, selection.pk) is True
    assert len(mail.outbox) == 1


def test_a_member_without_email_is_skipped_and_shown_to_the_coordinator(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, _ = make_pool(small_pool())
    committed = _committed(setup)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        selection = run_selection(committed.pk)
    assert selection is not None
    no_email, *others = selection.members
    RegistrationData.objects.filter(pk=no_email).update(email="")  # registered with a phone
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(_emails_of(others))
    assert send_selected_email.call(no_email, selection.pk) is False
    assert Registrant.objects.get(pk=no_email).told_selected_at is None
    # Someone not drawn by this selection is never told by it.
    outsider = Registrant.objects.exclude(pk__in=selection.members).first()
    assert outsider is not None
    assert send_selected_email.call(outsider.pk, selection.pk) is False

    client = Client()
    client.force_login(setup.staff)
    page = client.get(reverse("panels:registrants", args=[setup.panel.pk])).content.decode()
    assert page.count("No email address: contact by phone or letter") == 1
    day = timezone.localtime(Registrant.objects.get(pk=others[0]).told_selected_at)
    assert page.count(f"Told by email on {day:%-d %b %Y}") == len(others)


def test_a_replacement_draw_tells_only_the_replacements(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, _ = make_pool(small_pool(16))
    first = _draw(setup, django_capture_on_commit_callbacks, seed=3)
    members = list(Registrant.objects.filter(pk__in=first.members).order_by("pk"))
    for leaving in members[:2]:
        actions_selection.registrant_respond(registrant=leaving, by=setup.staff, confirm=False)
    mail.outbox.clear()
    committed = actions_selection.replacements_commit(selection=first, by=setup.staff, seed=9)
    with django_capture_on_commit_callbacks(execute=True):
        replacement = run_selection(committed.pk)
    assert replacement is not None
    assert replacement.status == SelectionStatus.DONE
    assert len(replacement.members) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(_emails_of(replacement.members))
    title = setup.panel.activity.title
    for message in mail.outbox:
        assert (
            message.subject
            == f"You have been chosen as a replacement for the citizen panel: {title}"
        )
        assert "A new lottery has chosen you to take their place." in message.body
    # A member of the first draw is not told again, and never as a replacement.
    staying = members[2]
    assert send_selected_email.call(staying.pk, first.pk) is False
    Registrant.objects.filter(pk=staying.pk).update(told_selected_at=None)  # the flag lost
    assert send_selected_email.call(staying.pk, replacement.pk) is False
    # Their first draw's email went already: its key holds even without the flag (0901).
    assert send_selected_email.call(staying.pk, first.pk) is False
    assert len(mail.outbox) == 2


def test_a_failed_selection_tells_nobody(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup, registrants = make_pool(small_pool())
    committed = _committed(setup)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the solver ran out of memory")

    monkeypatch.setattr(tasks, "engine_select", broken)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        failed = run_selection(committed.pk)
    assert failed is not None
    assert failed.status == SelectionStatus.FAILED
    assert callbacks == []
    assert mail.outbox == []
    # Not a done selection: the task refuses it even when asked directly.
    assert send_selected_email.call(registrants[0].pk, failed.pk) is False
    assert mail.outbox == []
