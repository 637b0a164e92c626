"""Services and activities in the site search (``coproduce.search``): what of them is found, and
how each is shown. Registered from ``apps.py``; the actions keep the index current."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from coproduce.search.models import Document
from coproduce.search.registry import Scope, Source, register_source
from coproduce.services.models import (
    PUBLIC_ACTIVITY_STATES,
    Activity,
    Service,
    ServiceStatus,
)

SERVICE = "service"
ACTIVITY = "activity"


def _text(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def of_service(document: Document, service: Service) -> Document:
    """The document, saying which service it belongs to (for the filter and each result)."""
    document.service_id = service.pk
    document.service_slug = service.slug
    document.service_name = service.name
    document.service_name_cy = service.name_cy
    return document


def service_documents(scope: Scope) -> Iterator[Document]:
    """Published services: their name, summary, description, area and organisation."""
    services = scope.narrow(
        Service.objects.filter(status=ServiceStatus.PUBLISHED).select_related("organisation"),
        service="pk",
    )
    for service in services.order_by("pk").iterator(chunk_size=500):
        yield of_service(
            Document(
                kind=SERVICE,
                key=service.pk,
                title=service.name,
                title_cy=service.name_cy,
                body=_text(
                    service.summary,
                    service.description,
                    service.area_served,
                    service.organisation.name,
                ),
                body_cy=_text(service.summary_cy, service.description_cy),
                url=service.get_absolute_url(),
            ),
            service,
        )


def activity_documents(scope: Scope) -> Iterator[Document]:
    """Activities that have opened, of published services: title, summary, how to take part and
    what came of them."""
    activities = scope.narrow(
        Activity.objects.filter(
            state__in=PUBLIC_ACTIVITY_STATES,
            service_stage__service__status=ServiceStatus.PUBLISHED,
        ).select_related("service_stage__service"),
        service="service_stage__service_id",
    )
    for activity in activities.order_by("pk").iterator(chunk_size=500):
        yield of_service(
            Document(
                kind=ACTIVITY,
                key=activity.pk,
                title=activity.title,
                title_cy=activity.title_cy,
                body=_text(activity.summary, activity.how_to_take_part, activity.outcome),
                body_cy=_text(
                    activity.summary_cy, activity.how_to_take_part_cy, activity.outcome_cy
                ),
                url=activity.get_absolute_url(),
                date=activity.opens_on,
            ),
            activity.service_stage.service,
        )


def register() -> None:
    """Called once, from ``ServicesConfig.ready()``."""
    register_source(
        Source(
            kind=SERVICE,
            label=_("Service"),
            plural=_("Services"),
            documents=service_documents,
            bilingual=True,
        )
    )
    register_source(
        Source(
            kind=ACTIVITY,
            label=_("Activity"),
            plural=_("Activities"),
            documents=activity_documents,
            bilingual=True,
        )
    )
