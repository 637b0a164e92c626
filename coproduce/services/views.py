"""Public service pages and the staff pages that run a service's lifecycle."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.http import safe_next_url
from coproduce.common.pagination import paginate
from coproduce.common.permissions import anyone, rule_required
from coproduce.organisations.models import Organisation
from coproduce.services import actions, pages, queries, rules
from coproduce.services.forms import (
    ActivityForm,
    ActivityTransitionForm,
    AdvanceStageForm,
    InvolvementForm,
    NewActivityForm,
    NewServiceForm,
    ServiceForm,
    ServiceSearchForm,
)
from coproduce.services.methods import method_for
from coproduce.services.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Service,
    Stage,
)


def _service_activity(request: HttpRequest, slug: str, pk: int) -> Activity:
    """An activity by its address under its service's (404 under any other service)."""
    activity = queries.visible_activity(request, pk)
    if activity.service.slug != slug:
        raise Http404
    return activity


# --- Public pages -------------------------------------------------------------------------


@rule_required(anyone)
def home(request: HttpRequest) -> HttpResponse:
    """Find a service by name, area or policy area."""
    form = ServiceSearchForm(request.GET or None)
    searched = False
    services = queries.published_services()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        searched = any(data.values())
        services = queries.published_services(data["q"], data["area"], data["policy_area"])
    elif form.is_bound:
        services = services.none()  # a nonsense search finds nothing, rather than everything
    return render(
        request,
        "services/home.html",
        {
            "form": form,
            "page": paginate(request, services),
            "searched": searched,
            "open_now": queries.open_now(limit=6),
        },
    )


@rule_required(rules.can_view_service, load=queries.visible_service, hide=True)
def service_detail(request: HttpRequest, service: Service) -> HttpResponse:
    """The service's lifecycle as a timeline, what is open now, and its democratisation index."""
    cycles = queries.lifecycle(service)
    current = cycles[0]
    open_now = [a for s in current.stages for a in s.activities if a.state == ActivityState.OPEN]
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "current_cycle": current,
            "past_cycles": cycles[1:],
            "open_now": open_now,
            "index": queries.democratisation_index(current),
            "partners": service.partners.all(),
            "can_manage": rules.can_run_activities(request.user, service),
            "parts": pages.service_parts(service),
        },
    )


@rule_required(rules.can_view_service, load=queries.visible_service, hide=True)
def activity_list(request: HttpRequest, service: Service) -> HttpResponse:
    """Every public activity of a service, newest cycle first, filterable by stage and state."""
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    activities = queries.public_activities(service, stage=stage)
    return render(
        request,
        "services/activity_list.html",
        {
            "service": service,
            "page": paginate(request, activities),
            "stage": stage,
            "stages": Stage.choices,
        },
    )


@rule_required(rules.can_view_activity, load=_service_activity, hide=True)
def activity_detail(request: HttpRequest, activity: Activity) -> HttpResponse:
    """One activity: what it is, when, how to take part, and what came of it.

    The app that runs the activity's method supplies the "take part" part of the page; a method no
    app runs yet gets a plain note that the activity runs offline (services.methods)."""
    method = method_for(activity.kind)
    return render(
        request,
        "services/activity_detail.html",
        {
            "activity": activity,
            "service": activity.service,
            "can_manage": rules.can_manage_activity(request.user, activity),
            "take_part_template": method.take_part_template if method else None,
            "parts": pages.activity_parts(activity),
        },
    )


# --- Staff pages --------------------------------------------------------------------------


@rule_required(rules.can_use_staff_pages, staff=True)
def staff_dashboard(request: SignedInRequest) -> HttpResponse:
    """The services this person works on, drafts included."""
    user = request.user
    return render(
        request,
        "services/staff_dashboard.html",
        {
            "page": paginate(request, queries.services_worked_on(user)),
            "can_create": rules.can_create_service(user),
            "parts": pages.staff_dashboard_parts(user),
        },
    )


@rule_required(rules.can_create_service, staff=True)
@require_http_methods(["GET", "POST"])
def service_create(request: SignedInRequest) -> HttpResponse:
    """Start a new service (as a draft) at the commissioning stage of its first cycle."""
    form = NewServiceForm(
        request.POST or None, organisations=queries.organisations_creating_services(request.user)
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.service_create(**data),
        success=_staff_service_url,
        message=_("Service created as a draft. Only your organisation can see it."),
    )
    return done or render(request, "services/service_form.html", {"form": form, "creating": True})


def _staff_service_url(service: Service) -> str:
    return reverse("services:staff_service", kwargs={"slug": service.slug})


@rule_required(rules.can_run_activities, load=queries.visible_service, staff=True)
def staff_service(request: HttpRequest, service: Service) -> HttpResponse:
    """Manage one service: its stage, involvement plan and every activity, drafts included."""
    cycles = queries.lifecycle(service, include_drafts=True)
    can_manage = rules.can_manage_service(request.user, service)
    return render(
        request,
        "services/staff_service.html",
        {
            "service": service,
            "cycle": cycles[0],
            "index": queries.democratisation_index(cycles[0]),
            "can_manage": can_manage,
            "stays_published": actions.stays_published(service) if can_manage else None,
            "without_welsh": pages.missing_welsh(service).count() if can_manage else None,
            "parts": pages.staff_service_parts(service),
        },
    )


@rule_required(rules.can_manage_service, load=queries.visible_service, staff=True)
def staff_welsh(request: HttpRequest, service: Service) -> HttpResponse:
    """What the service shows in English with no Welsh yet, each linked to where to write it."""
    return render(
        request,
        "services/staff_welsh.html",
        {"service": service, "page": paginate(request, pages.missing_welsh(service))},
    )


@rule_required(rules.can_manage_service, load=queries.visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service: Service) -> HttpResponse:
    """Change a service's public details."""
    initial = {
        "name": service.name,
        "summary": service.summary,
        "description": service.description,
        "name_cy": service.name_cy,
        "summary_cy": service.summary_cy,
        "description_cy": service.description_cy,
        "policy_area": service.policy_area,
        "area_served": service.area_served,
        "partners": list(service.partners.all()),
    }
    form = ServiceForm(
        request.POST or None,
        initial=initial,
        organisations=Organisation.objects.none(),
        editing=True,
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.service_update(service=service, **data),
        # Back to "What has no Welsh yet" when the Welsh was added from there.
        success=safe_next_url(request, _staff_service_url(service)),
        message=_("Service details saved."),
    )
    return done or render(request, "services/service_form.html", {"form": form, "service": service})


@rule_required(rules.can_manage_service, load=queries.visible_service, staff=True)
@require_POST
def service_publish(request: HttpRequest, service: Service) -> HttpResponse:
    """Publish a draft service or take it back to draft."""
    status = request.POST.get("status", "")
    try:
        actions.service_set_status(service=service, status=status)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if service.is_published:
            messages.success(request, _("The service is now public."))
        else:
            messages.success(
                request, _("The service is now a draft. Only your organisation can see it.")
            )
    return redirect("services:staff_service", slug=service.slug)


@rule_required(rules.can_manage_service, load=queries.visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def involvement_edit(request: HttpRequest, service: Service) -> HttpResponse:
    """Plan how much power the public will have in each stage of the current cycle."""
    form = InvolvementForm(
        request.POST or None,
        initial_levels=queries.planned_levels(service),
        ended=queries.ended_stages(service),
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.involvement_set(service=service, levels=data),
        success=_staff_service_url(service),
        message=_("Involvement plan saved. Residents can see the promises on the service page."),
    )
    return done or render(
        request, "services/involvement_form.html", {"form": form, "service": service}
    )


@rule_required(rules.can_manage_service, load=queries.visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def service_advance(request: HttpRequest, service: Service) -> HttpResponse:
    """End the current stage with a public summary and move to the next one."""
    form = AdvanceStageForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.service_advance_stage(service=service, summary=data["summary"]),
        success=_staff_service_url(service),
        message=lambda stage: (
            _("The service has moved to the %(stage)s stage.")
            % {"stage": stage.get_stage_display().lower()}
        ),
    )
    if done:
        return done
    labels = dict(Stage.choices)
    order = list(Stage.values)
    position = order.index(service.current_stage)
    next_stage = labels[order[(position + 1) % len(order)]]
    return render(
        request,
        "services/advance_form.html",
        {
            "form": form,
            "service": service,
            "next_stage": next_stage,
            "new_cycle": position + 1 == len(order),
        },
    )


@rule_required(rules.can_run_activities, load=queries.visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def activity_create(request: SignedInRequest, service: Service) -> HttpResponse:
    """Add a draft activity to a stage of the current cycle."""
    form = NewActivityForm(request.POST or None, initial={"stage": service.current_stage})
    done = handle_form(
        request,
        form,
        lambda data: actions.activity_create(service=service, created_by=request.user, **data),
        success=_staff_activity_url,
        message=_("Activity added as a draft. Open it when residents can take part."),
    )
    return done or render(
        request,
        "services/activity_form.html",
        {"form": form, "service": service, "kinds": ActivityKind},
    )


@rule_required(rules.can_manage_activity, load=queries.visible_activity, staff=True)
def staff_activity(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Manage one activity: details and the state it is in."""
    form = ActivityTransitionForm(current_state=activity.state)
    return render(
        request, "services/staff_activity.html", _staff_activity_context(request, activity, form)
    )


def _staff_activity_url(activity: Activity) -> str:
    return reverse("services:staff_activity", kwargs={"pk": activity.pk})


def _staff_activity_context(
    request: HttpRequest, activity: Activity, form: ActivityTransitionForm
) -> dict[str, Any]:
    """The staff activity page's context: with the staff pages of the activity's method that the
    person may open, if any."""
    method = method_for(activity.kind)
    return {
        "activity": activity,
        "service": activity.service,
        "form": form,
        "method_links": method.staff_links_for(activity, request.user) if method else [],
        "offline": method is None,
    }


@rule_required(rules.can_manage_activity, load=queries.visible_activity, staff=True)
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Change an activity's details."""
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "summary": activity.summary,
        "how_to_take_part": activity.how_to_take_part,
        "opens_on": activity.opens_on,
        "closes_on": activity.closes_on,
        "title_cy": activity.title_cy,
        "summary_cy": activity.summary_cy,
        "how_to_take_part_cy": activity.how_to_take_part_cy,
        "outcome_cy": activity.outcome_cy,
    }
    form = ActivityForm(
        request.POST or None, initial=initial, editing=True, outcome=activity.outcome
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.activity_update(activity=activity, **data),
        # Back to "What has no Welsh yet" when the Welsh was added from there.
        success=safe_next_url(request, _staff_activity_url(activity)),
        message=_("Activity saved."),
    )
    return done or render(
        request,
        "services/activity_form.html",
        {"form": form, "service": activity.service, "activity": activity},
    )


@rule_required(rules.can_manage_activity, load=queries.visible_activity, staff=True)
@require_POST
def activity_transition(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Open, close, re-open or report an activity."""
    form = ActivityTransitionForm(request.POST, current_state=activity.state)
    done = handle_form(
        request,
        form,
        lambda data: actions.activity_transition(activity=activity, **data),
        success=_staff_activity_url,
        message=lambda changed: (
            _("The activity is now %(state)s.") % {"state": changed.get_state_display().lower()}
        ),
    )
    return done or render(
        request,
        "services/staff_activity.html",
        _staff_activity_context(request, activity, form),
        status=400,
    )
