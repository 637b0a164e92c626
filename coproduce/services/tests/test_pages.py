"""Parts other apps add to the service and activity pages (services.pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.services import pages
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.pages import Slot, register_part
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory


def test_a_part_is_registered_once_per_slot() -> None:
    registered = pages.parts()[Slot.SERVICE_MAIN.value]
    assert registered  # the answer spine adds answer coverage
    with pytest.raises(ValueError, match="already a part"):
        register_part(Slot.SERVICE_MAIN, registered[0])


@pytest.mark.django_db
def test_the_pages_show_their_parts(client: Client) -> None:
    service = ServiceFactory()
    page = client.get(service.get_absolute_url()).content.decode()
    assert 'id="answer-coverage"' in page  # service_main
    assert "/you-said-we-did/" in page  # service_aside
    activity = ActivityFactory(
        service=service, kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN
    )
    page = client.get(activity.get_absolute_url()).content.decode()
    assert f"/activities/{activity.pk}/export.csv" in page  # activity_main
