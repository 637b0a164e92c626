"""Mystery shopping: the coordinator (staff choose them), the assignments (the coordinator), each
shopper's report and evidence, the reports with shoppers as "Shopper N", and a person's own
assignments (decision 0087).

Who the shoppers are is shown on the coordinator's assignments page only. The pages about one
assignment or one file answer 404 to everyone who may not use them, signed in or not, so that
nobody can find out who shops or whether an assignment exists. Every page works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.assessment import actions_shopping as actions
from coproduce.assessment import queries_shopping as queries
from coproduce.assessment import rules
from coproduce.assessment.forms_shopping import (
    AssignmentForm,
    CoordinatorForm,
    EvidenceForm,
    ShopReportForm,
)
from coproduce.assessment.models import Assessment, Assignment, Evidence
from coproduce.assessment.queries_assessments import standards_of
from coproduce.assessment.views.common import assessment_page, numbered_themes
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required, signed_in
from coproduce.services.models import Activity

T = TypeVar("T")

# --- Rules and loaders of the pages -------------------------------------------------------------


def _is_shopper_of_evidence(user: Visitor, evidence: Evidence) -> bool:
    return rules.shopper_assignment(user, evidence.report.assignment)


def _coordinates(user: Visitor, assignment: Assignment) -> bool:
    return rules.can_coordinate(user, assignment.assessment)


def _assignments_url(assessment: Assessment) -> str:
    return reverse("assessment:assignments", args=[assessment.pk])


def _shop_url(assignment: Assignment) -> str:
    return reverse("assessment:shop", args=[assignment.pk])


# --- Staff: the coordinator ---------------------------------------------------------------------


@rule_required(rules.can_set_up_assessment, load=queries.shop_activity, staff=True)
@require_http_methods(["GET", "POST"])
def coordinator(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Who coordinates the mystery shop, and choosing them (until the reports are published).
    The mystery shop must be set up first (its version of the standards)."""
    assessment = queries.assessment_with_coordinator(activity)
    can_choose = assessment is not None and rules.can_choose_coordinator(request.user, assessment)
    form = CoordinatorForm(request.POST if request.method == "POST" and can_choose else None)
    if assessment is not None and can_choose:
        done = handle_form(
            request,
            form,
            lambda data: actions.coordinator_choose(
                assessment=assessment, by=request.user, email=data["email"]
            ),
            success=reverse("assessment:coordinator", args=[activity.pk]),
            message=lambda chosen: (
                _("%(name)s coordinates the mystery shop.") % {"name": chosen.coordinator}
            ),
        )
        if done:
            return done
    elif request.method == "POST":
        raise PermissionDenied
    context: dict[str, Any] = {
        "activity": activity,
        "service": activity.service,
        "assessment": assessment,
        "form": form,
        "can_choose": can_choose,
    }
    if assessment is not None:
        context["counts"] = queries.status_counts(assessment, timezone.localdate())
    return render(request, "assessment/shopping/coordinator.html", context)


# --- The coordinator: assignments ---------------------------------------------------------------


@rule_required(rules.is_coordinator, load=queries.shop_assessment, hide=True)
@require_http_methods(["GET", "POST"])
def assignments(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Every assignment with its shopper, channel, window and where it stands (late and
    incomplete ones flagged), and giving a new one, until the reports are published."""
    can_coordinate = rules.can_coordinate(request.user, assessment)
    form = AssignmentForm(request.POST if request.method == "POST" and can_coordinate else None)
    if request.method == "POST" and not can_coordinate:
        messages.info(request, _("The reports are published, so the assignments cannot change."))
        return redirect(_assignments_url(assessment))
    done = handle_form(
        request,
        form,
        lambda data: actions.assignment_add(assessment=assessment, by=request.user, **data),
        success=_assignments_url(assessment),
        message=lambda added: (
            _(
                "Shopper %(number)s is %(name)s. Tell them their assignment is on “Your "
                "mystery-shopping assignments”."
            )
            % {"number": added.number, "name": added.shopper}
        ),
    )
    if done:
        return done
    today = timezone.localdate()
    rows = queries.assignment_rows(assessment, today)
    return render(
        request,
        "assessment/shopping/assignments.html",
        assessment_page(
            assessment,
            form=form,
            rows=rows,
            counts=queries.status_counts(assessment, today),
            can_coordinate=can_coordinate,
            full=len(rows) >= actions.ASSIGNMENTS_MAX,
            assignments_max=actions.ASSIGNMENTS_MAX,
        ),
    )


@rule_required(_coordinates, load=queries.visible_assignment, hide=True)
@require_http_methods(["GET", "POST"])
def assignment_remove(request: SignedInRequest, assignment: Assignment) -> HttpResponse:
    """Ask, then take an assignment back (not once its report is sent)."""
    assessment = assignment.assessment
    errors: list[str] = []
    if request.method == "POST":
        try:
            actions.assignment_remove(assignment=assignment, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Shopper %(number)s’s assignment is taken back.") % {"number": assignment.number},
            )
            return redirect(_assignments_url(assessment))
    report = queries.own_report(assignment)
    return render(
        request,
        "assessment/shopping/assignment_remove.html",
        assessment_page(
            assessment,
            assignment=assignment,
            report=report,
            sent=report is not None and report.submitted_at is not None,
            errors=errors,
        ),
    )


# --- The shopper: the assignment and the report -------------------------------------------------


def _contact_field(call: Callable[[], T]) -> T:
    """Run the action, showing its error on when contact was made on the form's date field."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict") and "contacted_at" in error.error_dict:
            found = dict(error.error_dict)
            found["contacted_on"] = found.pop("contacted_at")
            raise ValidationError(found) from None
        raise


@rule_required(rules.shopper_assignment, load=queries.visible_assignment, hide=True)
@require_http_methods(["GET", "POST"])
def shop(request: SignedInRequest, assignment: Assignment) -> HttpResponse:
    """The assignment (what to try, how, when), the report form (save and come back later, or
    send it: final) and the evidence. Once sent, or once the reports are published, read-only."""
    assessment = assignment.assessment
    report = queries.own_report(assignment)
    if report is not None:
        assignment.report = report
    can_shop = rules.can_shop(request.user, assignment)
    context = assessment_page(
        assessment,
        assignment=assignment,
        report=report,
        evidence=queries.evidence_of(report),
        status=queries.assignment_status(assignment, timezone.localdate()),
        can_shop=can_shop,
        files_max=actions.EVIDENCE_FILES_MAX,
    )
    if not can_shop:
        if request.method == "POST":
            messages.info(request, _("Your report can no longer change."))
            return redirect(_shop_url(assignment))
        sent = [r for r in queries.sent_reports(assessment) if r.number == assignment.number]
        return render(
            request,
            "assessment/shopping/shop_sent.html",
            {**context, "sent": sent[0] if sent else None},
        )
    standards = standards_of(assessment.version)
    initial: dict[str, Any] = {}
    if report is not None:
        initial["account"] = report.account
        if report.contacted_at is not None:
            local = timezone.localtime(report.contacted_at)
            initial.update(contacted_on=local.date(), contacted_time=local.strftime("%H:%M"))
    form = ShopReportForm(
        request.POST if request.method == "POST" else None,
        standards=standards,
        answers=queries.saved_answers(report),
        initial=initial,
    )
    send = "send" in request.POST
    done = handle_form(
        request,
        form,
        lambda data: _contact_field(
            lambda: actions.report_save(
                assignment=assignment,
                by=request.user,
                contacted_at=form.contacted_at(),
                account=data["account"],
                ratings=form.ratings(),
                send=send,
            )
        ),
        success=_shop_url(assignment),
        message=_("Thank you. Your report is sent. The coordinator and the service can read it.")
        if send
        else _("Your report is saved. Come back to finish it, then send it."),
    )
    if done:
        return done
    return render(
        request,
        "assessment/shopping/shop.html",
        {
            **context,
            "form": form,
            "themes": numbered_themes(form),
            "evidence_form": EvidenceForm(),
            "standard_count": len(standards),
        },
    )


@rule_required(rules.shopper_assignment, load=queries.visible_assignment, hide=True)
@require_http_methods(["GET", "POST"])
def evidence_add(request: SignedInRequest, assignment: Assignment) -> HttpResponse:
    """Upload a photo or a PDF to the report (the form alone, without JavaScript or after an
    error)."""
    report = queries.own_report(assignment)
    if report is not None:
        assignment.report = report
    if not rules.can_shop(request.user, assignment):
        messages.info(request, _("Your report can no longer change."))
        return redirect(_shop_url(assignment))
    form = EvidenceForm(request.POST, request.FILES) if request.method == "POST" else EvidenceForm()
    done = handle_form(
        request,
        form,
        lambda data: actions.evidence_add(assignment=assignment, by=request.user, **data),
        success=_shop_url(assignment) + "#evidence",
        message=_("The file is added to your report."),
    )
    evidence = queries.evidence_of(report)
    return done or render(
        request,
        "assessment/shopping/evidence_add.html",
        assessment_page(
            assignment.assessment,
            assignment=assignment,
            form=form,
            full=len(evidence) >= actions.EVIDENCE_FILES_MAX,
            files_max=actions.EVIDENCE_FILES_MAX,
        ),
    )


@rule_required(rules.can_view_evidence, load=queries.visible_evidence, hide=True)
@require_GET
def evidence_file(request: HttpRequest, evidence: Evidence) -> FileResponse:
    """The file, from private storage, as a download with a neutral name."""
    extension = str(evidence.file.name).rsplit(".", 1)[-1]
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=f"evidence-{evidence.pk}.{extension}",
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@rule_required(_is_shopper_of_evidence, load=queries.visible_evidence, hide=True)
@require_http_methods(["GET", "POST"])
def evidence_remove(request: SignedInRequest, evidence: Evidence) -> HttpResponse:
    """Ask, then take a file out of the report (before it is sent)."""
    assignment = evidence.report.assignment
    assignment.report = evidence.report
    if not rules.can_shop(request.user, assignment):
        messages.info(request, _("Your report can no longer change."))
        return redirect(_shop_url(assignment))
    if request.method == "POST":
        actions.evidence_remove(evidence=evidence, by=request.user)
        messages.success(request, _("The file is removed from your report."))
        return redirect(_shop_url(assignment) + "#evidence")
    return render(
        request,
        "assessment/shopping/evidence_remove.html",
        assessment_page(assignment.assessment, assignment=assignment, evidence=evidence),
    )


# --- The reports, shoppers unnamed --------------------------------------------------------------


@rule_required(rules.can_view_shop_reports, load=queries.shop_assessment, hide=True)
@require_GET
def shop_reports(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The sent reports as "Shopper N" and each standard's summary; files for the service's staff
    and the coordinator only; for the coordinator, how many assignments are late or incomplete."""
    user = request.user
    is_coordinator = rules.is_coordinator(user, assessment)
    return render(
        request,
        "assessment/shopping/shop_reports.html",
        assessment_page(
            assessment,
            reports=queries.sent_reports(assessment),
            summary=queries.summary(assessment),
            headings=queries.summary_headings(),
            min_responses=queries.min_responses(),
            is_coordinator=is_coordinator,
            can_publish=rules.can_coordinate(user, assessment),
            show_files=is_coordinator or rules.can_keep_assessment(user, assessment),
            counts=queries.status_counts(assessment, timezone.localdate())
            if is_coordinator
            else None,
        ),
    )


@rule_required(rules.is_coordinator, load=queries.shop_assessment, hide=True)
@require_http_methods(["GET", "POST"])
def shop_publish(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Ask, then publish the sent reports: final."""
    errors: list[str] = []
    if assessment.is_published:
        messages.info(request, _("The reports are already published."))
        return redirect("assessment:shop_reports", assessment.pk)
    if request.method == "POST":
        try:
            actions.shop_publish(assessment=assessment, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("The reports are published. Everyone who can see the activity can read them."),
            )
            return redirect("assessment:shop_reports", assessment.pk)
    return render(
        request,
        "assessment/shopping/shop_publish.html",
        assessment_page(
            assessment,
            errors=errors,
            counts=queries.status_counts(assessment, timezone.localdate()),
        ),
    )


# --- A person's own assignments -----------------------------------------------------------------


@rule_required(signed_in)
@require_GET
def my_assignments(request: SignedInRequest) -> HttpResponse:
    """The person's mystery-shopping assignments across the site, and the mystery shops they
    coordinate."""
    return render(
        request,
        "assessment/shopping/my_assignments.html",
        {
            "rows": queries.my_assignments(request.user, timezone.localdate()),
            "coordinated": queries.coordinated(request.user),
        },
    )
