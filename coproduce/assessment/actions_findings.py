"""Every write of findings and improvement actions (decision 0084).

A finding is a contribution of its assessment's activity (the spine's kind FINDING), written by the
service's staff once the assessment's results are public: a strength needs no answer, a concern or
an urgent concern does, through the spine's answer page, like anything people said. A concern the
service acts on gets improvement actions: what, who, by when; each is closed as done (with the
evidence that shows it) or as not going ahead (with the reason).

Each action checks its own rule (PermissionDenied), so the pages and the API behave the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.assessment import rules
from coproduce.assessment.actions_assessments import lock_activity
from coproduce.assessment.models import (
    FINDING,
    ActionStatus,
    Assessment,
    Finding,
    FindingKind,
    ImprovementAction,
    Standard,
)
from coproduce.common.dates import years_after
from coproduce.common.permissions import require
from coproduce.contributions.actions import contribution_start
from coproduce.contributions.models import AuthorDisplay
from coproduce.notifications.actions import notifications_requote

# How far ahead an action may be due: improvement is planned for the next cycle, not forever.
DUE_YEARS_AHEAD = 3
CLOSED = (ActionStatus.DONE, ActionStatus.DROPPED)


def _check_finding(
    assessment: Assessment,
    kind: str,
    standards: Sequence[Standard],
    title_cy: str,
    evidence_cy: str,
) -> None:
    errors: dict[str, str] = {}
    if kind not in FindingKind.values:
        errors["kind"] = _("Choose whether it is a strength, a concern or an urgent concern.")
    if any(standard.version_id != assessment.version_id for standard in standards):
        errors["standards"] = _("Choose standards of the version this assessment used.")
    if (title_cy or evidence_cy) and not (title_cy and evidence_cy):
        field = "title_cy" if not title_cy else "evidence_cy"
        errors[field] = _("Give the finding and its evidence in Welsh, or neither.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_add(
    *,
    assessment: Assessment,
    by: User,
    kind: str,
    title: str,
    evidence: str,
    standards: Sequence[Standard] = (),
    title_cy: str = "",
    evidence_cy: str = "",
) -> Finding:
    """A finding of the assessment's report, published at once (it is written by staff in their
    role, so it is not held for moderation); a concern waits for its answer in the inbox. Under
    the activity's row lock: a user assessment re-opening at the same moment either sees this
    finding and stays closed, or re-opens first and this finding is refused (decision 0130)."""
    assessment = lock_activity(assessment)
    require(rules.can_add_finding(by, assessment))
    _check_finding(assessment, kind, standards, title_cy, evidence_cy)
    contribution = contribution_start(
        activity=assessment.activity,
        kind=FINDING,
        author=by,
        author_display=AuthorDisplay.ANONYMOUS,
        text=f"{title}\n{evidence}",
        needs_answer=kind != FindingKind.STRENGTH,
        by_staff=True,
    )
    finding = Finding.objects.create(
        contribution=contribution,
        assessment=assessment,
        kind=kind,
        title=title.strip(),
        evidence=evidence.strip(),
        title_cy=title_cy.strip(),
        evidence_cy=evidence_cy.strip(),
    )
    finding.standards.set(standards)
    return finding


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    by: User,
    kind: str,
    title: str,
    evidence: str,
    standards: Sequence[Standard] = (),
    title_cy: str = "",
    evidence_cy: str = "",
) -> Finding:
    """Correct a finding. A concern with improvement actions stays a concern (its actions answer
    it); a strength that becomes a concern starts waiting for an answer."""
    require(rules.can_edit_finding(by, finding))
    _check_finding(finding.assessment, kind, standards, title_cy, evidence_cy)
    if kind == FindingKind.STRENGTH and finding.kind != kind and finding.actions.exists():
        raise ValidationError(
            {"kind": _("This concern has improvement actions, so it cannot become a strength.")}
        )
    was = finding.title
    finding.kind = kind
    finding.title = title.strip()
    finding.evidence = evidence.strip()
    finding.title_cy = title_cy.strip()
    finding.evidence_cy = evidence_cy.strip()
    finding.save()
    finding.standards.set(standards)
    contribution = finding.contribution
    # News about the finding (an answer, a new status) quotes the corrected title from now on, so
    # that it names the finding as its page does, and so that erasing the words finds every quote.
    notifications_requote(url=contribution.get_absolute_url(), was=was, now=finding.title)
    needs_answer = kind != FindingKind.STRENGTH
    if contribution.needs_answer != needs_answer:
        contribution.needs_answer = needs_answer
        contribution.save(update_fields=["needs_answer"])
    return finding


# --- Improvement actions --------------------------------------------------------------------------


def _check_due(due_on: dt.date, *, was: dt.date | None = None) -> None:
    """A new due date is today or later, and at most DUE_YEARS_AHEAD years away; an unchanged
    one may have passed (that is what "overdue" means)."""
    if due_on == was:
        return
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": _("The due date must be today or in the future.")})
    if due_on > years_after(today, DUE_YEARS_AHEAD):
        raise ValidationError(
            {
                "due_on": _("The due date must be within %(years)s years.")
                % {"years": DUE_YEARS_AHEAD}
            }
        )


def _check_welsh(description: str, description_cy: str) -> None:
    if description_cy and not description:
        raise ValidationError({"description": _("Give the action in English beside the Welsh.")})


@transaction.atomic
def action_add(
    *,
    finding: Finding,
    by: User,
    description: str,
    owner: str,
    due_on: dt.date,
    description_cy: str = "",
) -> ImprovementAction:
    """An improvement action on a concern: planned, with its owner and due date."""
    require(rules.can_keep_actions(by, finding))
    _check_due(due_on)
    _check_welsh(description, description_cy)
    return ImprovementAction.objects.create(
        finding=finding,
        description=description.strip(),
        description_cy=description_cy.strip(),
        owner=owner.strip(),
        due_on=due_on,
        created_by=by,
    )


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    by: User,
    status: str,
    owner: str,
    due_on: dt.date,
    evidence: str = "",
    evidence_link: str = "",
    evidence_cy: str = "",
) -> ImprovementAction:
    """Move an action on: its status, owner and due date; closing it (done, or not going ahead)
    needs the evidence or the reason, and records the day; reopening clears that day."""
    require(rules.can_keep_actions(by, action.finding))
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    errors: dict[str, str] = {}
    if status not in ActionStatus.values:
        errors["status"] = _("Choose where the action stands.")
    evidence = evidence.strip()
    if status == ActionStatus.DONE and not evidence:
        errors["evidence"] = _("Say what shows the action is done.")
    if status == ActionStatus.DROPPED and not evidence:
        errors["evidence"] = _("Say why the action is not going ahead.")
    if evidence_cy.strip() and not evidence:
        errors["evidence"] = _("Give the evidence in English beside the Welsh.")
    if errors:
        raise ValidationError(errors)
    _check_due(due_on, was=action.due_on)
    if status in CLOSED and action.status not in CLOSED:
        action.closed_on = timezone.localdate()
    elif status not in CLOSED:
        action.closed_on = None
    action.status = status
    action.owner = owner.strip()
    action.due_on = due_on
    action.evidence = evidence
    action.evidence_cy = evidence_cy.strip()
    action.evidence_link = evidence_link.strip()
    action.save()
    return action
