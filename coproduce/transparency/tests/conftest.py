"""A record type of the tests' own: a service's name, so the ledger's tests need no app above."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest

from coproduce.accounts.types import Visitor
from coproduce.services.models import Service
from coproduce.transparency.registry import RecordType, register_type, unregister_type

TYPE = "test_service_name"


def service_content(service: Service) -> dict[str, Any]:
    return {"id": service.pk, "name": service.name}


def _live(key: str) -> dict[str, Any] | None:
    service = Service.objects.filter(pk=int(key)).first() if key.isdigit() else None
    return None if service is None else service_content(service)


def _links(user: Visitor, keys: Sequence[str]) -> Mapping[str, str]:
    return {
        str(s.pk): s.get_absolute_url()
        for s in Service.objects.filter(pk__in=[int(k) for k in keys], status="published")
    }


@pytest.fixture
def record_type() -> Iterator[str]:
    register_type(RecordType(type=TYPE, label="Service name", content=_live, links=_links))
    yield TYPE
    unregister_type(TYPE)
