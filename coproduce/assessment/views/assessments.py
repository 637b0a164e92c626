"""User assessments: setting one up, rating the service online or from paper, and the results
(decision 0082).

Public pages: the assessment (what is assessed, the standards by theme, how to take part), rating
the service (signed in, while the activity is open) and the results, with every standard's numbers
held back while too few people have rated it. Staff pages: pinning the agreed version, entering
paper forms, and the anonymised ratings as CSV. Every page works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.assessment import actions_assessments as actions
from coproduce.assessment import queries_assessments as queries
from coproduce.assessment import queries_proposals, rules
from coproduce.assessment.forms_assessments import PaperForm, RateForm, VersionForm
from coproduce.assessment.models import Assessment
from coproduce.assessment.queries_findings import findings_of
from coproduce.assessment.views.common import assessment_page, numbered_themes
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required, signed_in
from coproduce.contributions.opendata import csv_stream
from coproduce.services.models import Activity, ActivityKind


def _manage_url(activity: Activity) -> str:
    return reverse("assessment:manage", args=[activity.pk])


def _sign_in_url(path: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': path})}"


# --- Staff: setting up ----------------------------------------------------------------------------


@rule_required(rules.can_set_up_assessment, load=queries.assessment_activity, staff=True)
@require_http_methods(["GET", "POST"])
def manage(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Choose (or change, until the first response) the agreed version people rate against; then
    the responses so far, paper forms, the results and the ratings download."""
    service = activity.service
    assessment = queries.assessment_of(activity)
    versions = list(queries.agreed_versions(service))
    form = None
    if versions:
        form = VersionForm(
            request.POST if request.method == "POST" else None,
            versions=queries.agreed_versions(service),
            initial={"version": assessment.version_id if assessment else versions[0].pk},
        )
        done = handle_form(
            request,
            form,
            lambda data: actions.assessment_set_up(
                activity=activity, by=request.user, version=data["version"]
            ),
            success=_manage_url(activity),
            message=lambda chosen: (
                _("People will rate the service against version %(number)s of its standards.")
                % {"number": chosen.version.number}
            ),
        )
        if done:
            return done
    context: dict[str, Any] = {
        "activity": activity,
        "service": service,
        "assessment": assessment,
        "versions": versions,
        "form": form,
        "min_responses": queries.min_responses(),
    }
    if assessment is not None:
        counts = queries.response_counts(assessment)
        latest = versions[0] if versions else None
        context.update(
            counts=counts,
            version_fixed=actions.version_fixed(assessment),
            newer=latest if latest and latest.number > assessment.version.number else None,
            can_enter_paper=rules.can_enter_paper(request.user, assessment),
            can_download=counts.total >= context["min_responses"],
            findings=findings_of(assessment, request.user),
            can_add_finding=rules.can_add_finding(request.user, assessment),
            results_public=rules.results_public(assessment),
            reopen_possible=rules.reopen_possible(assessment),
        )
    return render(request, "assessment/assessments/manage.html", context)


# --- The assessment -------------------------------------------------------------------------------


@rule_required(rules.can_view_assessment, load=queries.visible_assessment, hide=True)
@require_GET
def assessment_detail(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """What is being assessed, the standards by theme, how to take part, and the person's own
    answers when they have rated the service."""
    standards = queries.standards_of(assessment.version)
    themes = queries.by_theme(standards)
    response = queries.own_response(assessment, request.user)
    in_order = [standard for theme in themes for standard in theme.items]
    return render(
        request,
        "assessment/assessments/detail.html",
        assessment_page(
            assessment,
            themes=themes,
            standard_count=len(standards),
            open=rules.rating_open(assessment),
            can_rate=rules.can_rate(request.user, assessment),
            can_keep=rules.can_keep_assessment(request.user, assessment),
            open_assessment=queries_proposals.open_assessment(assessment.activity.service),
            responses=queries.response_count(assessment),
            response=response,
            own=queries.own_answers(response, in_order) if response else [],
            sign_in_url=_sign_in_url(reverse("assessment:rate", args=[assessment.pk])),
        ),
    )


@rule_required(signed_in, load=queries.visible_assessment)
@require_http_methods(["GET", "POST"])
def rate(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Rate the service against every standard (or change one's answers while it is open)."""
    standards = queries.standards_of(assessment.version)
    response = queries.own_response(assessment, request.user)
    if not rules.can_rate(request.user, assessment):
        # A form sent after the activity closed is refused: nothing is saved.
        return render(
            request,
            "assessment/assessments/rate_closed.html",
            assessment_page(
                assessment,
                refused=request.method == "POST",
                response=response,
                own=queries.own_answers(response, standards) if response else [],
            ),
            status=403 if request.method == "POST" else 200,
        )
    form = RateForm(
        request.POST if request.method == "POST" else None,
        standards=standards,
        answers=queries.answers_of(response) if response else None,
        named=response.named if response else False,
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.response_save(
            assessment=assessment,
            person=request.user,
            ratings=form.ratings(),
            named=data["named"],
        ),
        success=reverse("assessment:assessment", args=[assessment.pk]) + "#your-answers",
        message=_(
            "Thank you. Your answers are saved. You can change them while the assessment is open."
        ),
    )
    return done or render(
        request,
        "assessment/assessments/rate.html",
        assessment_page(
            assessment,
            form=form,
            themes=numbered_themes(form),
            response=response,
            standard_count=len(standards),
        ),
    )


# --- Staff: paper forms ---------------------------------------------------------------------------


@rule_required(rules.can_keep_assessment, load=queries.visible_assessment, staff=True)
@require_http_methods(["GET", "POST"])
def paper_entry(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Type in a paper form's answers; after each, an empty form for the next one."""
    if not rules.can_enter_paper(request.user, assessment):
        return render(
            request,
            "assessment/assessments/paper_closed.html",
            assessment_page(assessment, refused=request.method == "POST"),
            status=403 if request.method == "POST" else 200,
        )
    standards = queries.standards_of(assessment.version)
    form = PaperForm(request.POST if request.method == "POST" else None, standards=standards)
    done = handle_form(
        request,
        form,
        lambda data: actions.paper_response_add(
            assessment=assessment, by=request.user, ratings=form.ratings()
        ),
        success=reverse("assessment:paper_entry", args=[assessment.pk]),
        message=lambda _response: (
            _(
                "Paper form added. The assessment now has %(count)s responses. Enter the next paper "
                "form below, or go back to the assessment."
            )
            % {"count": queries.response_count(assessment)}
        ),
    )
    return done or render(
        request,
        "assessment/assessments/paper_entry.html",
        assessment_page(
            assessment,
            form=form,
            themes=numbered_themes(form),
            responses=queries.response_count(assessment),
        ),
    )


# --- Results --------------------------------------------------------------------------------------


@rule_required(rules.can_view_assessment, load=queries.visible_assessment, hide=True)
@require_GET
def results(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Per theme and standard: the responses, each rating's count and share, the share of
    "Always" and "Mostly" and its change since the previous cycle, a chart, and the comments;
    then the findings. A peer review's or self-reflection's results are its agreed report; a
    mystery shop's, its shoppers' reports."""
    if assessment.activity.kind == ActivityKind.MYSTERY_SHOP:
        return redirect("assessment:shop_reports", assessment.pk)
    if assessment.activity.kind != ActivityKind.ASSESSMENT:
        return redirect("assessment:report", assessment.pk)
    return render(
        request,
        "assessment/assessments/results.html",
        assessment_page(
            assessment,
            results=queries.results(assessment),
            labels=queries.scale_labels(),
            can_keep=rules.can_keep_assessment(request.user, assessment),
            findings=findings_of(assessment, request.user),
            can_add_finding=rules.can_add_finding(request.user, assessment),
            can_record=rules.can_record_indicators(request.user, assessment),
        ),
    )


@rule_required(rules.can_keep_assessment, load=queries.visible_assessment, staff=True)
@require_GET
def ratings_csv(request: SignedInRequest, assessment: Assessment) -> StreamingHttpResponse:
    """The anonymised ratings: a row per response and standard, numbered, never a name or an
    email; nothing while there are too few responses (queries_assessments.csv_rows)."""
    response = StreamingHttpResponse(
        csv_stream(queries.CSV_FIELDS, queries.csv_rows(assessment)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="assessment-{assessment.pk}-ratings.csv"'
    )
    return response
