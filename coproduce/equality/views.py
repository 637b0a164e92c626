"""Pages of equality monitoring: a person's own answers (give, see, change, withdraw), who took
part beside the population (staff, and public for published services), and the population figures
an organisation keeps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coproduce.accounts.types import SignedInRequest
from coproduce.common.csvform import CsvForm
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.equality import actions, queries, rules
from coproduce.equality.actions import IMPORT_COLUMNS
from coproduce.equality.categories import CATEGORIES, POSTCODE_DISTRICT
from coproduce.equality.forms import AnswersForm, AreaForm, ServiceAreaForm
from coproduce.equality.models import PopulationArea
from coproduce.organisations.models import Organisation
from coproduce.organisations.queries import load_organisation
from coproduce.services.models import Service
from coproduce.services.queries import visible_service

# --- A person's own answers ---------------------------------------------------------------------


@rule_required(rules.can_answer)
@require_http_methods(["GET", "POST"])
def mine(request: SignedInRequest) -> HttpResponse:
    """Why we ask, what we keep and who sees what; the questions; or the answers already given."""
    record = queries.my_record(request.user)
    changing = request.method == "POST" or request.GET.get("change") == "1" or record is None
    initial = record.decrypted() if record is not None else {}
    form = AnswersForm(request.POST or None, initial=initial)
    done = handle_form(
        request,
        form,
        lambda data: actions.record_save(
            user=request.user, answers=form.answers(), consent=bool(data.get("consent"))
        ),
        success=reverse("equality:mine"),
        message=_("Thank you. Your answers are saved."),
    )
    return done or render(
        request,
        "equality/mine.html",
        {
            "form": form,
            "changing": changing,
            "answers": queries.my_answers(request.user) if not changing else None,
            "min_cell": queries.min_cell(),
        },
    )


@rule_required(rules.can_answer)
@require_http_methods(["GET", "POST"])
def withdraw(request: SignedInRequest) -> HttpResponse:
    """Withdraw consent: the answers are deleted at once."""
    if request.method == "POST":
        if actions.record_withdraw(user=request.user):
            messages.success(request, _("Your answers are deleted."))
        return redirect("equality:mine")
    if queries.my_record(request.user) is None:
        return redirect("equality:mine")
    return render(request, "equality/withdraw.html")


# --- Who took part ------------------------------------------------------------------------------


@rule_required(rules.can_view_representation, load=visible_service, staff=True)
@require_GET
def service_staff(request: SignedInRequest, service: Service) -> HttpResponse:
    """The whole service or one activity beside the area, and the groups missing from each."""
    outreach = queries.activities_under(service)
    activities = [activity for activity, _report in outreach]
    chosen, report = next(
        ((a, r) for a, r in outreach if str(a.pk) == request.GET.get("activity", "")),
        (None, None),
    )
    area_form = ServiceAreaForm(
        organisation_id=service.organisation_id,
        initial={"area": getattr(getattr(service, "population", None), "area", None)},
    )
    return render(
        request,
        "equality/service_staff.html",
        {
            "service": service,
            "activities": activities,
            "chosen": chosen,
            "report": report or queries.representation(service),
            "outreach": outreach,
            "area_form": area_form,
            "can_choose_area": rules.can_choose_area(request.user, service),
        },
    )


@rule_required(rules.can_choose_area, load=visible_service, staff=True)
@require_POST
def service_area(request: SignedInRequest, service: Service) -> HttpResponse:
    """Choose the area the service is compared with."""
    form = ServiceAreaForm(request.POST, organisation_id=service.organisation_id)
    if form.is_valid():
        area = form.cleaned_data["area"]
        actions.service_area_set(service=service, by=request.user, area=area)
        messages.success(
            request,
            _("The service is now compared with %(area)s.") % {"area": area}
            if area
            else _("The service is no longer compared with an area."),
        )
    else:
        messages.error(request, _("Choose one of your organisation's areas."))
    return redirect("equality:service_staff", service.slug)


@rule_required(rules.can_view_public_summary, load=visible_service)
@require_GET
def service_public(request: HttpRequest, service: Service) -> HttpResponse:
    """ "Who has taken part so far": the whole service, small numbers hidden."""
    return render(
        request,
        "equality/service_public.html",
        {"service": service, "report": queries.representation(service)},
    )


# --- Population figures -------------------------------------------------------------------------


def _areas_page(request: HttpRequest, organisation: Organisation, form: Any) -> HttpResponse:
    return render(
        request,
        "equality/areas.html",
        {
            "organisation": organisation,
            "areas": queries.areas(organisation.pk),
            "form": form,
        },
    )


@rule_required(rules.can_keep_population, load=load_organisation, staff=True)
@require_http_methods(["GET", "POST"])
def areas(request: SignedInRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's areas, how many figures each has, and a form to add one."""
    form = AreaForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.area_save(organisation=organisation, by=request.user, **data),
        success=reverse("equality:areas", args=[organisation.slug]),
        message=lambda area: _("Area %(area)s saved. Import its figures next.") % {"area": area},
    )
    return done or _areas_page(request, organisation, form)


@rule_required(rules.can_keep_population, load=load_organisation, staff=True)
@require_http_methods(["GET", "POST"])
def population_import(request: SignedInRequest, organisation: Organisation) -> HttpResponse:
    """Set many figures from a CSV file: all or none, each problem named with its line."""
    form = CsvForm(request.POST or None, request.FILES or None)

    def run_import(data: dict[str, Any]) -> int:
        text, source, field = form.table()
        try:
            return actions.population_import(
                organisation=organisation, by=request.user, text=text, source=source
            )
        except ValidationError as error:  # each message names its line
            raise ValidationError({field: error.messages}) from error

    done = handle_form(
        request,
        form,
        run_import,
        success=reverse("equality:areas", args=[organisation.slug]),
        message=lambda count: (
            ngettext("Imported %(count)d figure.", "Imported %(count)d figures.", count)
            % {"count": count}
        ),
    )
    return done or render(
        request,
        "equality/import.html",
        {
            "form": form,
            "organisation": organisation,
            "columns": IMPORT_COLUMNS,
            "categories": [
                (category.code, category.title, [code for code, _label in category.options])
                for category in CATEGORIES
            ],
            "district": POSTCODE_DISTRICT,
        },
    )


@rule_required(rules.can_keep_area, load=queries.load_area, staff=True)
@require_GET
def area_detail(request: SignedInRequest, area: PopulationArea) -> HttpResponse:
    """One area's figures, by category."""
    return render(
        request,
        "equality/area.html",
        {
            "organisation": area.organisation,
            "area": area,
            "tables": queries.area_figures(area),
        },
    )
