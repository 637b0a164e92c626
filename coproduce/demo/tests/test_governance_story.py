"""The recovery service's partnership board in the demo: resident members, three meetings with
minutes and decisions on the ledger, a question answered, and seeding twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from coproduce.demo.governance import BOARD, QUESTION, UPCOMING
from coproduce.demo.story import seed
from coproduce.governance.ledger import MINUTES, VOTES
from coproduce.governance.models import Board, Meeting, MeetingDecision, Question
from coproduce.transparency.models import LedgerEntry

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_the_recovery_partnership_board(demo_story: None) -> None:
    board = Board.objects.get(name=BOARD)
    assert board.service.slug == "drug-and-alcohol-recovery-service"
    residents = board.memberships.filter(resident=True)
    assert residents.count() == 2
    assert any("In recovery" in member.interests for member in residents)
    held = Meeting.objects.filter(board=board, minutes_published_at__isnull=False)
    assert held.count() == 3
    assert all(MeetingDecision.objects.filter(meeting=m).exists() for m in held)
    question = Question.objects.get(text=QUESTION)
    assert question.contribution.responses.exists()
    assert question.contribution.decisions.exists()
    upcoming = Meeting.objects.get(title=UPCOMING)
    assert not upcoming.has_started
    assert upcoming.agenda_published_at is not None
    recorded = set(LedgerEntry.objects.values_list("type", "key"))
    for meeting in held:
        assert (MINUTES, str(meeting.pk)) in recorded
    for record in MeetingDecision.objects.filter(meeting__board=board):
        assert (VOTES, str(record.pk)) in recorded
        assert ("decision", str(record.pk)) in recorded
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    assert "entries match" in out.getvalue()
    size = (Meeting.objects.count(), LedgerEntry.objects.count())
    seed()
    assert (Meeting.objects.count(), LedgerEntry.objects.count()) == size
