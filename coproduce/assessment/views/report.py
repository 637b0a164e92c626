"""A team's agreed report: a peer review's (its lead assessor writes it) or a self-reflection's
(the service's staff write it), written, published and read (decision 0085).

Until it is published the report is private to the team and the service's staff: to everyone
else its pages do not exist (404). Published, it is public with its activity and never changes.
The pages live outside /staff/ and are not staff pages (``staff=False``): a peer review's lead
assessor is usually a resident, who has no staff role and no two-factor authentication. Every page
works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.assessment import actions_report as actions
from coproduce.assessment import queries_report as queries
from coproduce.assessment import rules
from coproduce.assessment.forms_report import PublishForm, ReportForm
from coproduce.assessment.models import Assessment
from coproduce.assessment.queries_assessments import by_theme, standards_of
from coproduce.assessment.views.common import assessment_page, numbered_themes
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.services.models import ActivityKind


def _page(request: HttpRequest, assessment: Assessment, **extra: Any) -> dict[str, Any]:
    return assessment_page(
        assessment,
        is_peer=assessment.activity.kind == ActivityKind.PEER_REVIEW,
        waiting=queries.waits_for_own_ratings(request.user, assessment),
        **extra,
    )


def _report_url(assessment: Assessment) -> str:
    return reverse("assessment:report", args=[assessment.pk])


@rule_required(rules.can_view_report, load=queries.team_assessment, hide=True)
@require_GET
def report(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The summary, the agreed rating of each standard by theme, and beside them the users' view
    (self-reflection) or the team and how far it agreed (peer review); a draft says so. An assessor
    who has not handed in their own ratings reads none of it yet (independence)."""
    user = request.user
    is_peer = assessment.activity.kind == ActivityKind.PEER_REVIEW
    context = _page(
        request,
        assessment,
        can_write=rules.can_write_report(user, assessment),
        can_see_team_ratings=rules.can_see_team_ratings(user, assessment),
        can_download=rules.can_keep_assessment(user, assessment),
    )
    if not context["waiting"]:
        rows = queries.agreed_rows(assessment)
        context.update(
            themes=by_theme(rows, lambda row: row.standard),
            previous=queries.previous_report(assessment),
            agreed_count=sum(1 for row in rows if row.answered),
            standard_count=len(rows),
        )
        if is_peer:
            context.update(
                team=queries.team_of(assessment), agreement=queries.team_agreement(assessment)
            )
        else:
            context.update(comparison=queries.comparison(assessment))
        if context["can_write"]:
            context.update(problems=actions.publish_problems(assessment))
    return render(request, "assessment/report/report.html", context)


@rule_required(rules.can_write_report, load=queries.team_assessment, hide=True, staff=False)
@require_http_methods(["GET", "POST"])
def report_edit(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Write the agreed rating and note of each standard, and the summary; save as often as
    needed. Not a staff page (``staff=False``): a peer review's lead assessor is a resident without
    two-factor authentication; a self-reflection's staff write it here too. A lead who has not
    handed in their own ratings is asked to do that first."""
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        standards=standards_of(assessment.version),
        answers=queries.agreed_answers(assessment),
        initial={"summary": assessment.summary, "summary_cy": assessment.summary_cy},
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.report_save(
            assessment=assessment,
            by=request.user,
            ratings=form.ratings(),
            summary=data["summary"],
            summary_cy=data["summary_cy"],
        ),
        success=_report_url(assessment),
        message=_(
            "The report is saved. Only the team can see it until it is published: publish it "
            "when every standard has an agreed rating and the summary is written."
        ),
    )
    return done or render(
        request,
        "assessment/report/edit.html",
        _page(request, assessment, form=form, themes=numbered_themes(form)),
    )


@rule_required(rules.can_write_report, load=queries.team_assessment, hide=True, staff=False)
@require_http_methods(["GET", "POST"])
def report_publish(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """What becomes public, that it cannot be undone, and what is still missing; the button
    publishes. Not a staff page, for the same reason as ``report_edit``."""
    form = PublishForm(request.POST if request.method == "POST" else None)
    done = handle_form(
        request,
        form,
        lambda data: actions.report_publish(assessment=assessment, by=request.user),
        success=_report_url(assessment),
        message=_("The report is published. Anyone who can see the activity can now read it."),
    )
    return done or render(
        request,
        "assessment/report/publish.html",
        _page(request, assessment, form=form, problems=actions.publish_problems(assessment)),
    )
