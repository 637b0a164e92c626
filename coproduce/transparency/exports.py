"""The datasets this app publishes: the whole ledger (JSON Lines, checked by ``verify.py ledger``)
and the published services in Open Referral UK 3.0 (docs/open-data.md, decision 0028).

Both are streamed: rows are read in chunks and written out as they come.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from coproduce.organisations.models import Organisation
from coproduce.services.models import Service
from coproduce.transparency import queries, signing, verify
from coproduce.transparency.datasets import Dataset, Format, register_dataset, version_of
from coproduce.transparency.models import LedgerEntry

CHUNK = 1000


def _line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- The ledger --------------------------------------------------------------------------------


def _entries_up_to(size: int) -> Iterator[list[LedgerEntry]]:
    """Entries 1..size in batches, by their numbers (keyset: no offsets, no whole table)."""
    last = 0
    while last < size:
        batch = list(
            LedgerEntry.objects.filter(seq__gt=last, seq__lte=size).order_by("seq")[:CHUNK]
        )
        if not batch:
            return
        yield batch
        last = batch[-1].seq


def ledger_lines() -> Iterator[str]:
    """The ledger as JSON Lines: a header, every entry (with its content where the record is
    public), and the signed tree head of exactly those entries on the last line."""
    size = queries.tree_size()
    yield _line(
        {
            "format": verify.EXPORT_FORMAT,
            "tree_size": size,
            "public_key": signing.public_key_b64(),
            "development_key": signing.is_development_key(),
            "check_with": "python verify.py ledger ledger.jsonl --key <the public key>",
        }
    )
    tree = verify.RootBuilder()
    anonymous = AnonymousUser()
    for batch in _entries_up_to(size):
        public = queries.record_links(anonymous, batch)
        for entry in batch:
            tree.add(verify.leaf_hash(entry.hash))
            yield _line(queries.entry_json(entry, with_content=entry.seq in public))
    yield _line({"sth": queries.sign_tree_head(tree.size, tree.root().hex())})


def _latest_service_change() -> dt.datetime | None:
    value: dt.datetime | None = Service.objects.aggregate(latest=Max("updated_at"))["latest"]
    return value


def ledger_version() -> str:
    """Entries are only added; what is shown of them changes when a service is published."""
    return version_of(queries.tree_size(), _latest_service_change())


def ledger_updated() -> dt.datetime | None:
    return LedgerEntry.objects.order_by("-seq").values_list("recorded_at", flat=True).first()


# --- Services in Open Referral UK 3.0 ----------------------------------------------------------


# The site's namespace for the UUIDs Open Referral asks for: stable for each service and
# organisation of this site (derived from SITE_URL and the row's number).
def _uuid(kind: str, pk: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/{kind}/{pk}"))


def _organisation(organisation: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": _uuid("organisations", organisation.pk),
        "name": organisation.name,
        "description": organisation.description or organisation.summary or organisation.name,
    }
    if organisation.website:
        data["website"] = organisation.website
    if organisation.contact_email:
        data["email"] = organisation.contact_email
    return data


def oruk_service(service: Service) -> dict[str, Any]:
    """One published service as an Open Referral UK 3.0 service."""
    service_id = _uuid("services", service.pk)
    data: dict[str, Any] = {
        "id": service_id,
        "organization_id": _uuid("organisations", service.organisation_id),
        "name": service.name,
        "description": service.description or service.summary,
        "url": settings.SITE_URL + service.get_absolute_url(),
        "status": "active",
        "last_modified": service.updated_at.astimezone(dt.UTC).isoformat(),
        "organization": _organisation(service.organisation),
        "service_areas": [
            {
                "id": str(uuid.uuid5(uuid.UUID(service_id), "area")),
                "service_id": service_id,
                "name": service.area_served,
                "service_area": service.area_served,
                "extent_type": "text",
                "extent": service.area_served,
            }
        ],
    }
    if service.organisation.contact_email:
        data["email"] = service.organisation.contact_email
    return data


def services_json() -> Iterator[str]:
    """The published services as one page of Open Referral UK's ``/services`` list."""
    services = Service.objects.published().select_related("organisation").order_by("pk")
    total = services.count()
    yield (
        json.dumps(
            {
                "total_items": total,
                "total_pages": 1,
                "page_number": 1,
                "size": total,
                "first_page": True,
                "last_page": True,
                "empty": total == 0,
            },
            ensure_ascii=False,
        )[:-1]
        + ', "contents": ['
    )
    for number, service in enumerate(services.iterator(chunk_size=CHUNK)):
        yield ("," if number else "") + "\n" + json.dumps(oruk_service(service), ensure_ascii=False)
    yield "\n]}\n"


def services_version() -> str:
    published = Service.objects.published()
    return version_of(
        published.count(),
        _latest_service_change(),
        Organisation.objects.aggregate(latest=Max("updated_at"))["latest"],
    )


def services_updated() -> dt.datetime | None:
    value: dt.datetime | None = Service.objects.published().aggregate(latest=Max("updated_at"))[
        "latest"
    ]
    return value


def register() -> None:
    register_dataset(
        Dataset(
            code="services",
            title=_("Services"),
            description=_(
                "Every published service: what it is, who runs it and the area it serves, in the "
                "Open Referral UK standard that service directories use."
            ),
            formats=(
                Format(
                    "json",
                    "JSON",
                    "application/json",
                    services_json,
                    standard=_("Open Referral UK 3.0"),
                ),
            ),
            version=services_version,
            last_updated=services_updated,
            order=10,
        )
    )
    register_dataset(
        Dataset(
            code="ledger",
            title=_("Public ledger"),
            description=_(
                "Every entry of the public ledger with its hashes, what each public record says, "
                "and the signed tree head, so that anyone can check the whole ledger with our "
                "verifier."
            ),
            formats=(Format("jsonl", "JSON Lines", "application/jsonl", ledger_lines),),
            version=ledger_version,
            last_updated=ledger_updated,
            order=90,
        )
    )
