"""Findings and improvement actions (decision 0084).

Public pages: a finding (with the standards it is about, its evidence, the service's answers and
its improvement actions) and a service's improvement actions, overdue ones flagged. Staff pages:
writing and correcting a finding, adding an action to a concern, and moving an action on until it
is done (with its evidence) or not going ahead (with the reason). Concerns are answered on the
spine's own answer page, so they wait in the inbox and show in "You said, we did".
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.assessment import actions_findings as actions
from coproduce.assessment import queries_findings as queries
from coproduce.assessment import rules
from coproduce.assessment.forms_findings import (
    ActionForm,
    ActionUpdateForm,
    FindingForm,
    NewFindingForm,
)
from coproduce.assessment.models import Assessment, Finding, ImprovementAction
from coproduce.assessment.queries_assessments import visible_assessment
from coproduce.assessment.views.common import assessment_page
from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.contributions.rules import can_answer
from coproduce.services.models import Service
from coproduce.services.queries import visible_service
from coproduce.services.rules import can_view_service


def _can_keep_action(user: Visitor, action: ImprovementAction) -> bool:
    return rules.can_keep_actions(user, action.finding)


# --- Findings -------------------------------------------------------------------------------------


@rule_required(rules.can_add_finding, load=visible_assessment, staff=True)
@require_http_methods(["GET", "POST"])
def finding_add(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Write a finding of the assessment's report: a strength, a concern or an urgent concern."""
    form = NewFindingForm(request.POST or None, version=assessment.version)
    done = handle_form(
        request,
        form,
        lambda data: actions.finding_add(assessment=assessment, by=request.user, **data),
        success=lambda finding: finding.get_absolute_url(),
        message=_("The finding is published."),
    )
    return done or render(
        request,
        "assessment/findings/finding_form.html",
        assessment_page(assessment, form=form, reopen_possible=rules.reopen_possible(assessment)),
    )


@rule_required(rules.can_view_finding, load=queries.visible_finding, hide=True)
@require_GET
def finding(request: HttpRequest, finding: Finding) -> HttpResponse:
    """One finding, the answers to it and what the service is doing about it."""
    user = request.user
    return render(
        request,
        "assessment/findings/finding.html",
        assessment_page(
            finding.assessment,
            finding=finding,
            contribution=finding.contribution,
            standards=list(finding.standards.all()),
            answers=list(finding.contribution.responses.all()),
            rows=queries.action_rows(finding.actions.all()),
            can_edit=rules.can_edit_finding(user, finding),
            can_answer=can_answer(user, finding.contribution),
            can_keep_actions=rules.can_keep_actions(user, finding),
        ),
    )


@rule_required(rules.can_edit_finding, load=queries.visible_finding, staff=True)
@require_http_methods(["GET", "POST"])
def finding_edit(request: SignedInRequest, finding: Finding) -> HttpResponse:
    """Correct a finding: its kind, words, evidence and standards."""
    form = FindingForm(request.POST or None, version=finding.assessment.version, finding=finding)
    done = handle_form(
        request,
        form,
        lambda data: actions.finding_update(finding=finding, by=request.user, **data),
        success=finding.get_absolute_url(),
        message=_("The finding is updated."),
    )
    return done or render(
        request,
        "assessment/findings/finding_form.html",
        assessment_page(finding.assessment, form=form, finding=finding),
    )


# --- Improvement actions --------------------------------------------------------------------------


@rule_required(rules.can_keep_actions, load=queries.visible_finding, staff=True)
@require_http_methods(["GET", "POST"])
def action_add(request: SignedInRequest, finding: Finding) -> HttpResponse:
    """Say what the service will do about a concern, who will do it and by when."""
    form = ActionForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.action_add(finding=finding, by=request.user, **data),
        success=finding.get_absolute_url() + "#actions",
        message=_("The improvement action is added."),
    )
    return done or render(
        request,
        "assessment/findings/action_add.html",
        assessment_page(finding.assessment, form=form, finding=finding),
    )


@rule_required(_can_keep_action, load=queries.visible_action, staff=True)
@require_http_methods(["GET", "POST"])
def action_edit(request: SignedInRequest, action: ImprovementAction) -> HttpResponse:
    """Move an action on: in progress, done with its evidence, or not going ahead with why."""
    finding = action.finding
    form = ActionUpdateForm(request.POST or None, action=action)
    done = handle_form(
        request,
        form,
        lambda data: actions.action_update(action=action, by=request.user, **data),
        success=finding.get_absolute_url() + "#actions",
        message=lambda changed: (
            _("The action is now “%(status)s”.") % {"status": changed.get_status_display()}
        ),
    )
    return done or render(
        request,
        "assessment/findings/action_edit.html",
        assessment_page(finding.assessment, form=form, finding=finding, action=action),
    )


@rule_required(can_view_service, load=visible_service, hide=True)
@require_GET
def action_list(request: HttpRequest, service: Service) -> HttpResponse:
    """Everything the service has said it will do after its assessments: open actions first,
    overdue ones flagged, then those done or not going ahead."""
    page = paginate(request, queries.service_actions(service, request.user))
    return render(
        request,
        "assessment/findings/actions.html",
        {"service": service, "page": page, "rows": queries.action_rows(page.object_list)},
    )
