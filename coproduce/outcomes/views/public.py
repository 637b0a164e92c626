"""The public outcome pages: a service's outcomes with the triple-bottom-line summary, each
indicator's trend against its target (an SVG chart next to a table of every value, per cycle),
and residents' answers to an indicator's check.

Every page works without JavaScript and states the status rule beside every status
(decisions 0071, 0072).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.languages import in_language
from coproduce.common.permissions import rule_required
from coproduce.contributions.models import Contribution
from coproduce.outcomes import actions, queries, rules
from coproduce.outcomes.chart import trend_chart
from coproduce.outcomes.forms_public import CheckForm
from coproduce.outcomes.models import CheckAnswer, Frequency, Indicator, Measurement
from coproduce.outcomes.periods import period_end
from coproduce.services.models import Service
from coproduce.services.queries import visible_service


def period_name(end: dt.date, frequency: str) -> str:
    """The period that ends on ``end`` in words: "March 2027", "January to March 2027", "2027".

    Quarters end in March, June, September and December. A value of a quarterly check dated in
    another month was made while the check was asked monthly, before its frequency was fixed
    (decision 0123): it is named by its month, the period its answers were given in."""
    if frequency == Frequency.YEARLY:
        return str(end.year)
    if frequency == Frequency.MONTHLY or end.month % 3:
        return formats.date_format(end, "F Y")
    first = dt.date(end.year, end.month - 2, 1)  # the quarter's first month: 1, 4, 7 or 10
    return _("%(first)s to %(last)s %(year)s") % {
        "first": formats.date_format(first, "F"),
        "last": formats.date_format(end, "F"),
        "year": end.year,
    }


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator in an outcome's table: its reading, and whether it was measured without a
    value (every period had too few answers) rather than not measured at all."""

    reading: queries.Reading
    too_few_answers: bool


def _sources_by_outcome(service: Service) -> dict[int, list[Contribution]]:
    """The published contributions each outcome of the service came from (one query)."""
    found: dict[int, list[Contribution]] = {}
    sources = (
        Contribution.objects.published()
        .with_details()
        .filter(outcomes__service=service)
        .annotate(for_outcome=F("outcomes"))
        .order_by("created_at", "pk")
    )
    for contribution in sources:
        found.setdefault(contribution.for_outcome, []).append(contribution)
    return found


@rule_required(rules.can_view_outcomes, load=visible_service)
@require_GET
def service_outcomes(request: HttpRequest, service: Service) -> HttpResponse:
    """The service's outcomes in people's words, what they came from, and how each is measured."""
    rows = queries.framework(service)
    sources = _sources_by_outcome(service)
    outcomes = [
        {
            "outcome": row.outcome,
            "sources": sources.get(row.outcome.pk, []),
            "lines": [
                IndicatorLine(
                    reading=reading,
                    too_few_answers=reading.latest is None
                    and bool(reading.indicator.measurements.all()),
                )
                for reading in row.readings
            ],
        }
        for row in rows
    ]
    return render(
        request,
        "outcomes/service_outcomes.html",
        {
            "service": service,
            "outcomes": outcomes,
            "pillars": queries.pillar_summary(rows) if rows else [],
            "statuses": list(queries.Status),
            "status_rule": queries.STATUS_RULE,
        },
    )


def _check_context(
    request: HttpRequest, indicator: Indicator, form: CheckForm | None
) -> dict[str, Any]:
    """The resident check: a sign-in link, or the form with this period's answer (if any)."""
    if not indicator.reported_by_residents:
        return {}
    url = indicator.get_absolute_url()
    context: dict[str, Any] = {
        "check_question": in_language(indicator, "check_question"),
        "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': url})}",
        "may_answer": rules.can_answer_check(request.user, indicator),
    }
    if context["may_answer"]:
        end = period_end(timezone.localdate(), indicator.frequency)
        answer = CheckAnswer.objects.filter(
            indicator=indicator, period_end=end, respondent_id=request.user.pk
        ).first()
        if form is None:
            initial = {"rating": answer.rating} if answer is not None else {}
            form = CheckForm(initial=initial, question=context["check_question"])
        context.update(check_form=form, answer=answer, period=period_name(end, indicator.frequency))
    return context


def _indicator_page(
    request: HttpRequest, indicator: Indicator, form: CheckForm | None = None
) -> HttpResponse:
    measurements: list[Measurement] = list(queries.measurements_of(indicator))
    cycles = queries.by_cycle(indicator, measurements)
    residents = indicator.reported_by_residents
    context = {
        "indicator": indicator,
        "outcome": indicator.outcome,
        "service": indicator.outcome.service,
        "reading": queries.reading(indicator, measurements),
        "status_rule": queries.STATUS_RULE,
        "measurements": [
            {
                "measurement": m,
                "period": period_name(m.measured_on, indicator.frequency) if residents else "",
            }
            for m in measurements
        ],
        "cycles": cycles if len(cycles) > 1 else [],
        "chart": trend_chart(
            measurements=[(m.measured_on, m.value) for m in measurements],
            baseline_on=indicator.baseline_on,
            baseline=indicator.baseline,
            target_on=indicator.target_on,
            target=indicator.target,
        ),
        **_check_context(request, indicator, form),
    }
    return render(request, "outcomes/indicator.html", context)


@rule_required(rules.can_view_indicator, load=queries.visible_indicator)
@require_GET
def indicator(request: HttpRequest, indicator: Indicator) -> HttpResponse:
    """An indicator: what it measures, its status, its trend as a chart and a table, per cycle,
    and (for an indicator residents report) the check."""
    return _indicator_page(request, indicator)


@rule_required(rules.can_answer_check, load=queries.visible_indicator)
@require_http_methods(["GET", "POST"])
def check_answer(request: SignedInRequest, indicator: Indicator) -> HttpResponse:
    """A resident's answer to the check for this period; answering again changes it. A GET (the
    address after signing in from a sent form) goes to the indicator's page, where the form is."""
    if request.method == "GET":
        return redirect(indicator.get_absolute_url())
    question = in_language(indicator, "check_question")
    form = CheckForm(request.POST, question=question)
    done = handle_form(
        request,
        form,
        lambda data: actions.check_answer(
            indicator=indicator, respondent=request.user, rating=data["rating"]
        ),
        success=indicator.get_absolute_url(),
        message=lambda answer: (
            _("Thank you. Your answer counts toward %(period)s.")
            % {"period": period_name(answer.period_end, indicator.frequency)}
        ),
    )
    return done or _indicator_page(request, indicator, form)
