"""The demo fills the site search: "drop-in" finds the ideas, stories and decisions about it, and
nothing of the draft home care service (issue 18)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.search import queries
from coproduce.search.actions import index_rebuild
from coproduce.search.models import Document
from coproduce.services.models import Service, ServiceStatus

pytestmark = [pytest.mark.slow]


def test_the_demo_search_finds_drop_ins_of_every_kind_and_nothing_private(demo_story: None) -> None:
    kept = set(Document.objects.values_list("kind", "key", "title", "url", "service_slug"))
    index_rebuild()  # what the seed left is what the sources say is public
    assert set(Document.objects.values_list("kind", "key", "title", "url", "service_slug")) == kept
    results = queries.search("drop-in")
    kinds = {choice.value for choice in results.kinds if choice.count}
    assert {"idea", "decision", "activity"} <= kinds, kinds
    drafts = Service.objects.filter(status=ServiceStatus.DRAFT).values_list("pk", flat=True)
    assert drafts
    assert not Document.objects.filter(service_id__in=list(drafts)).exists()
    html = Client().get(reverse("search:results"), {"q": "drop-in"}).content.decode()
    assert "<mark>drop-in</mark>" in html.lower()
