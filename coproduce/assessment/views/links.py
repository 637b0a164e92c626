"""The standards that feed outcome indicators (decision 0090): the service's links and adding one,
removing a link, and recording a closed user assessment's results in the linked indicators.

Staff pages, for the administrators and professionals of the service's organisation. The
recording page shows what will be written before anything is; sending it again updates the same
values. Every page works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.assessment import actions_links as actions
from coproduce.assessment import queries_links as queries
from coproduce.assessment import rules
from coproduce.assessment.forms_links import LinkForm, RecordForm
from coproduce.assessment.models import Assessment, IndicatorLink, Standard
from coproduce.assessment.queries_assessments import latest_agreed
from coproduce.assessment.views.common import assessment_page
from coproduce.common.forms import handle_form
from coproduce.common.languages import in_language
from coproduce.common.permissions import rule_required
from coproduce.outcomes.queries import has_framework
from coproduce.services.models import Service
from coproduce.services.queries import visible_service


def _can_keep_link(user: Visitor, link: IndicatorLink) -> bool:
    return rules.can_link_indicators(user, link.framework.service)


def _links_url(service: Service) -> str:
    return reverse("assessment:indicator_links", args=[service.slug])


def _added(link: IndicatorLink, standards: list[Standard]) -> str:
    standard = next(standard for standard in standards if standard.lineage == link.lineage)
    return _("“%(standard)s” now feeds “%(indicator)s”.") % {
        "standard": in_language(standard, "statement"),
        "indicator": in_language(link.indicator, "name"),
    }


@rule_required(rules.can_link_indicators, load=visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def indicator_links(request: SignedInRequest, service: Service) -> HttpResponse:
    """Which standards feed which of the service's outcome indicators, and linking another."""
    standards = queries.linkable_standards(service)
    indicators = queries.linkable_indicators(service)
    form = None
    if standards and indicators:
        form = LinkForm(
            request.POST if request.method == "POST" else None,
            standards=standards,
            indicators=indicators,
        )
        done = handle_form(
            request,
            form,
            lambda data: actions.link_add(service=service, by=request.user, **data),
            success=_links_url(service),
            message=lambda link: _added(link, standards),
        )
        if done:
            return done
    return render(
        request,
        "assessment/links/links.html",
        {
            "service": service,
            "latest": latest_agreed(service),
            "links": queries.links_of(service),
            "form": form,
            "has_outcomes": has_framework(service),
            "has_indicators": bool(indicators),
            "percent": queries.PERCENT,
        },
    )


@rule_required(_can_keep_link, load=queries.visible_link, staff=True)
@require_http_methods(["GET", "POST"])
def indicator_link_remove(request: SignedInRequest, link: IndicatorLink) -> HttpResponse:
    """Ask, then stop a standard feeding an indicator (the values recorded stay)."""
    service = link.framework.service
    if request.method == "POST":
        indicator = in_language(link.indicator, "name")
        actions.link_remove(link=link, by=request.user)
        messages.success(
            request,
            _("The link is removed: no standard feeds “%(indicator)s” now.")
            % {"indicator": indicator},
        )
        return redirect(_links_url(service))
    row = next((row for row in queries.links_of(service) if row.link.pk == link.pk), None)
    return render(
        request,
        "assessment/links/link_remove.html",
        {"service": service, "link": link, "standard": row.standard if row else None},
    )


def _recorded_message(done: actions.Recorded) -> str:
    text = ngettext(
        "%(count)s value recorded in the outcome indicators.",
        "%(count)s values recorded in the outcome indicators.",
        len(done.recorded),
    ) % {"count": len(done.recorded)}
    if done.updated:
        text += " " + ngettext(
            "%(count)s of them replaced the value recorded before.",
            "%(count)s of them replaced the values recorded before.",
            done.updated,
        ) % {"count": done.updated}
    if done.skipped:
        text += " " + ngettext(
            "%(count)s link was skipped: the reason is below.",
            "%(count)s links were skipped: the reasons are below.",
            len(done.skipped),
        ) % {"count": len(done.skipped)}
    return text


@rule_required(rules.can_record_indicators, load=queries.user_assessment, staff=True)
@require_http_methods(["GET", "POST"])
def record_indicators(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """What recording the results will write in each linked indicator, then recording it."""
    url = reverse("assessment:record_indicators", args=[assessment.pk])
    form = RecordForm(request.POST if request.method == "POST" else None)
    done = handle_form(
        request,
        form,
        lambda _data: actions.indicators_record(assessment=assessment, by=request.user),
        success=url,
        message=_recorded_message,
    )
    if done:
        return done
    day = actions.record_date(assessment)
    plan = actions.planned(assessment)
    return render(
        request,
        "assessment/links/record.html",
        assessment_page(
            assessment,
            form=form,
            plan=plan,
            day=day,
            refused=actions.date_refused(day),
            writes=sum(not row.skipped for row in plan),
            can_link=rules.can_link_indicators(request.user, assessment.activity.service),
            reopen_possible=rules.reopen_possible(assessment),
        ),
    )
