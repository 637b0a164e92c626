"""Coaching sessions: setting one up about a service, reading and changing it, a participant
leaving it, and a person's own sessions (decision 0088).

A session is private to its coach and its participants. Its pages answer 404 to everyone else,
signed in or not, staff of the service and superusers included, so that nobody can find out who is
being coached. Setting one up is not a staff page: coaches are often residents. Every page works
without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.rules import can_manage_own_account
from coproduce.accounts.types import SignedInRequest
from coproduce.assessment import actions_coaching as actions
from coproduce.assessment import queries_coaching as queries
from coproduce.assessment import rules
from coproduce.assessment.forms_coaching import NewSessionForm, SessionForm
from coproduce.assessment.models import CoachingSession
from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.services.models import Service


def _session_url(session: CoachingSession) -> str:
    return reverse("assessment:coaching", args=[session.pk])


@rule_required(rules.can_start_coaching, load=queries.coaching_service)
@require_http_methods(["GET", "POST"])
def coaching_add(request: SignedInRequest, service: Service) -> HttpResponse:
    """Record a coaching session about the service, as its coach or as one of the people coached."""
    form = NewSessionForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.session_add(service=service, by=request.user, **data),
        success=_session_url,
        message=_("The coaching session is saved. Only the coach and the participants can see it."),
    )
    return done or render(
        request,
        "assessment/coaching/session_form.html",
        {"service": service, "form": form, "participants_max": actions.PARTICIPANTS_MAX},
    )


@rule_required(rules.can_view_session, load=queries.visible_session, hide=True)
@require_GET
def coaching(request: SignedInRequest, session: CoachingSession) -> HttpResponse:
    """Who is in the session, when it is, its goals and the next steps agreed."""
    is_coach = session.coach_id == request.user.pk
    return render(
        request,
        "assessment/coaching/session.html",
        {
            "session": session,
            "service": session.service,
            "participants": list(session.participants.all()),
            "is_coach": is_coach,
            "can_edit": rules.can_edit_session(request.user, session),
        },
    )


@rule_required(rules.can_edit_session, load=queries.visible_session, hide=True)
@require_http_methods(["GET", "POST"])
def coaching_edit(request: SignedInRequest, session: CoachingSession) -> HttpResponse:
    """Change the session's date, its goals and the next steps agreed."""
    form = SessionForm(request.POST or None, session=session)
    done = handle_form(
        request,
        form,
        lambda data: actions.session_update(session=session, by=request.user, **data),
        success=_session_url(session),
        message=_("The coaching session is updated."),
    )
    return done or render(
        request,
        "assessment/coaching/session_form.html",
        {"service": session.service, "form": form, "session": session},
    )


@rule_required(rules.can_view_session, load=queries.visible_session, hide=True)
@require_http_methods(["GET", "POST"])
def coaching_leave(request: SignedInRequest, session: CoachingSession) -> HttpResponse:
    """Ask, then take oneself off the session. The coach is told why they cannot leave."""
    errors: list[str] = []
    if request.method == "POST":
        try:
            actions.session_leave(session=session, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("You have left the coaching session. You can no longer see it.")
            )
            return redirect("assessment:my_coaching")
    return render(
        request,
        "assessment/coaching/leave.html",
        {
            "session": session,
            "service": session.service,
            "is_coach": session.coach_id == request.user.pk,
            "errors": errors,
        },
    )


@rule_required(can_manage_own_account)
@require_GET
def my_coaching(request: SignedInRequest) -> HttpResponse:
    """The person's coaching sessions, the latest first, and the services they may set one up
    about."""
    return render(
        request,
        "assessment/coaching/mine.html",
        {
            "page": paginate(request, queries.sessions_of(request.user)),
            "services": queries.coaching_services(request.user),
        },
    )
