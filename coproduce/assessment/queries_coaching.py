"""Reads of coaching sessions: the session or service a page is about, a person's sessions across
the site, and the services they may set one up about (decision 0088)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.assessment import rules
from coproduce.assessment.models import Assessment, Assessor, Assignment, CoachingSession
from coproduce.services.models import Service
from coproduce.services.queries import visible_service


def _sessions() -> QuerySet[CoachingSession]:
    return CoachingSession.objects.select_related(
        "service__organisation", "coach"
    ).prefetch_related(Prefetch("participants", queryset=User.objects.order_by("name", "pk")))


def visible_session(request: HttpRequest, pk: int) -> CoachingSession:
    """A session the visitor is in (as its coach or a participant), else 404."""
    session = get_object_or_404(_sessions(), pk=pk)
    if not rules.can_view_session(request.user, session):
        raise Http404
    return session


def sessions_of(user: Visitor) -> QuerySet[CoachingSession]:
    """The person's sessions across the site, as coach or participant: the latest date first."""
    if not user.is_authenticated:
        return CoachingSession.objects.none()
    ids = CoachingSession.objects.filter(Q(coach_id=user.pk) | Q(participants__id=user.pk))
    return _sessions().filter(pk__in=ids.values("pk")).order_by("-held_on", "-id")


def coaching_service(request: HttpRequest, slug: str) -> Service:
    """The service a new session is about, when the visitor may see it, else 404."""
    return visible_service(request, slug)


def coaching_services(user: Visitor) -> list[Service]:
    """The services the person may set up a session about through their own part in them: the
    organisations they work for, and the assessment teams they are on (superusers are not offered
    every service)."""
    if not user.is_authenticated:
        return []
    on_team = {
        *Assessor.objects.filter(person_id=user.pk).values_list(
            "assessment__activity__service_stage__service", flat=True
        ),
        *Assignment.objects.filter(shopper_id=user.pk).values_list(
            "assessment__activity__service_stage__service", flat=True
        ),
        *Assessment.objects.filter(coordinator_id=user.pk).values_list(
            "activity__service_stage__service", flat=True
        ),
    }
    services = Service.objects.filter(
        Q(pk__in=on_team) | Q(organisation__memberships__user_id=user.pk)
    ).distinct()
    return [
        service
        for service in services.select_related("organisation").order_by("name", "pk")
        if rules.can_start_coaching(user, service)
    ]


def account_summary(user: User) -> dict[str, object]:
    """For "Your account": how many coaching sessions and mystery-shopping assignments the
    person has (two counts)."""
    sessions = CoachingSession.objects.filter(
        Q(coach_id=user.pk) | Q(participants=user.pk)
    ).distinct()
    return {
        "sessions": sessions.count(),
        "assignments": Assignment.objects.filter(shopper_id=user.pk).count(),
    }
