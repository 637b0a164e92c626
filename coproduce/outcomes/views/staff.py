"""Staff pages of the outcomes framework: the framework at a glance, outcomes and their sources,
indicators, values entered one by one or imported from a CSV file (decision 0073)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.common.csvform import CsvForm
from coproduce.common.forms import handle_form
from coproduce.common.languages import in_language
from coproduce.common.permissions import rule_required
from coproduce.outcomes import actions, queries, rules
from coproduce.outcomes import forms_staff as forms
from coproduce.outcomes.actions import IMPORT_COLUMNS
from coproduce.outcomes.models import Indicator, Outcome
from coproduce.services.models import Service
from coproduce.services.queries import visible_service


def _manage_url(service: Service) -> str:
    return reverse("outcomes:manage", args=[service.slug])


def _form_page(
    request: HttpRequest, form: Any, service: Service, title: str, **extra: Any
) -> HttpResponse:
    """A form page of the framework, under the service's staff breadcrumbs."""
    return render(
        request,
        "outcomes/staff/form.html",
        {"form": form, "service": service, "title": title, "submit": _("Save"), **extra},
    )


# --- The framework ------------------------------------------------------------------------------


@rule_required(rules.can_keep_outcomes, load=visible_service, staff=True)
@require_GET
def manage(request: SignedInRequest, service: Service) -> HttpResponse:
    """Every outcome with its indicators, their ids, latest values and status."""
    return render(
        request,
        "outcomes/staff/manage.html",
        {
            "service": service,
            "rows": queries.framework(service),
            "status_rule": queries.STATUS_RULE,
        },
    )


# --- Outcomes -----------------------------------------------------------------------------------


@rule_required(rules.can_keep_outcomes, load=visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def outcome_create(request: SignedInRequest, service: Service) -> HttpResponse:
    """Add an outcome, in people's words, linked to what they said."""
    form = forms.NewOutcomeForm(request.POST or None, service=service, chosen=[])
    done = handle_form(
        request,
        form,
        lambda data: actions.outcome_create(service=service, by=request.user, **data),
        success=_manage_url(service),
        message=_("Outcome added. Add the indicators that measure it next."),
    )
    return done or _form_page(request, form, service, _("Add an outcome"))


@rule_required(rules.can_keep_outcome, load=queries.visible_outcome, staff=True)
@require_http_methods(["GET", "POST"])
def outcome_edit(request: SignedInRequest, outcome: Outcome) -> HttpResponse:
    """Change an outcome's words, their Welsh, or what it came from."""
    service = outcome.service
    chosen = list(outcome.sources.values_list("pk", flat=True))
    initial = {
        "title": outcome.title,
        "title_cy": outcome.title_cy,
        "description": outcome.description,
        "description_cy": outcome.description_cy,
        "sources": chosen,
    }
    form = forms.OutcomeForm(request.POST or None, initial=initial, service=service, chosen=chosen)
    done = handle_form(
        request,
        form,
        lambda data: actions.outcome_update(outcome=outcome, by=request.user, **data),
        success=_manage_url(service),
        message=_("Outcome saved."),
    )
    return done or _form_page(
        request, form, service, _("Change the outcome"), caption=in_language(outcome, "title")
    )


# --- Indicators ---------------------------------------------------------------------------------


@rule_required(rules.can_keep_outcome, load=queries.visible_outcome, staff=True)
@require_http_methods(["GET", "POST"])
def indicator_create(request: SignedInRequest, outcome: Outcome) -> HttpResponse:
    """Add an indicator that measures the outcome."""
    form = forms.NewIndicatorForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.indicator_create(
            outcome=outcome, by=request.user, fields=form.indicator_fields()
        ),
        success=_manage_url(outcome.service),
        message=lambda indicator: _("Indicator %(id)s added.") % {"id": indicator.pk},
    )
    return done or _form_page(
        request, form, outcome.service, _("Add an indicator"), caption=in_language(outcome, "title")
    )


@rule_required(rules.can_keep_indicator, load=queries.visible_indicator, staff=True)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: SignedInRequest, indicator: Indicator) -> HttpResponse:
    """Change an indicator (who reports it is fixed once it has values; the residents' question
    and how often it is asked, once they have answered: those fields are shown disabled)."""
    form = forms.IndicatorForm(
        request.POST or None,
        initial=forms.indicator_initial(indicator),
        check_fixed=not rules.check_may_change(indicator),
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.indicator_update(
            indicator=indicator, by=request.user, fields=form.indicator_fields()
        ),
        success=_manage_url(indicator.outcome.service),
        message=_("Indicator saved."),
    )
    return done or _form_page(
        request,
        form,
        indicator.outcome.service,
        _("Change indicator %(id)s") % {"id": indicator.pk},
        caption=in_language(indicator.outcome, "title"),
    )


# --- Values -------------------------------------------------------------------------------------


@rule_required(rules.can_keep_indicator, load=queries.visible_indicator, staff=True)
@require_http_methods(["GET", "POST"])
def measurement_add(request: SignedInRequest, indicator: Indicator) -> HttpResponse:
    """Record one value of an indicator. Residents report theirs through its check: the page
    says so and takes no value."""
    service = indicator.outcome.service
    title = _("Add a value")
    if indicator.reported_by_residents:
        return render(
            request,
            "outcomes/staff/residents_report.html",
            {
                "service": service,
                "indicator": indicator,
                "title": title,
                "min_answers": actions.min_check_answers(),
            },
        )
    form = forms.MeasurementForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.measurement_record(indicator=indicator, by=request.user, **data),
        success=_manage_url(service),
        message=_("Value saved."),
    )
    return done or _form_page(
        request, form, service, title, caption=in_language(indicator, "name"), unit=indicator.unit
    )


@rule_required(rules.can_keep_outcomes, load=visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def measurements_import(request: SignedInRequest, service: Service) -> HttpResponse:
    """Add many values from a CSV file: all or none, each problem named with its line."""
    form = CsvForm(request.POST or None, request.FILES or None)

    def run_import(data: dict[str, Any]) -> int:
        text, source, field = form.table()
        try:
            return actions.measurements_import(
                service=service, by=request.user, text=text, source=source
            )
        except ValidationError as error:  # each message names its line
            raise ValidationError({field: error.messages}) from error

    done = handle_form(
        request,
        form,
        run_import,
        success=_manage_url(service),
        message=lambda count: (
            ngettext("Imported %(count)d value.", "Imported %(count)d values.", count)
            % {"count": count}
        ),
    )
    return done or render(
        request,
        "outcomes/staff/import.html",
        {
            "form": form,
            "service": service,
            "columns": IMPORT_COLUMNS,
            "example": _example(service),
        },
    )


def _example(service: Service) -> list[tuple[str, str, str, str]]:
    """Rows of the example table: the service's first indicator staff measure, if any."""
    first = (
        Indicator.objects.filter(outcome__service=service, check_question="")
        .order_by("outcome__position", "outcome_id", "position", "id")
        .first()
    )
    key = str(first.pk) if first is not None else "12"
    return [
        (key, "2026-03-31", "42", ""),
        (key, "2026-06-30", "45.5", _("New waiting list from May")),
    ]
