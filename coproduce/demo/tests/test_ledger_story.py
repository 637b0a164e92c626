"""The public ledger covers every demo decision and link, and ledger_verify passes on the demo."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from coproduce.contributions.ledger import DECISION, DECISION_LINK, link_key
from coproduce.contributions.models import Decision
from coproduce.demo.story import seed
from coproduce.transparency.models import LedgerEntry

pytestmark = [pytest.mark.slow]


def test_every_demo_decision_and_link_is_in_the_ledger_and_verifies(demo_story: None) -> None:
    recorded = set(LedgerEntry.objects.values_list("type", "key"))
    for decision in Decision.objects.prefetch_related("contributions"):
        assert (DECISION, str(decision.pk)) in recorded, decision.title
        for contribution in decision.contributions.all():
            assert (DECISION_LINK, link_key(decision.pk, contribution.pk)) in recorded
    assert LedgerEntry.objects.filter(corrects__isnull=False).exists()  # Welsh added later
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    assert "entries match" in out.getvalue()
    size = LedgerEntry.objects.count()
    seed()  # seeding again records nothing new
    assert LedgerEntry.objects.count() == size
