"""Who may see a service's standards and assessments, keep them, and rate the service
(decision 0081).

The framework's agreed versions are public with the service; its draft is seen and written by the
service's administrators and professionals, who also agree it. An assessment is public as its
activity is; it is set up by the same staff. Signed-in people rate the service while the activity
is open (once each, changeable until it closes); staff enter paper forms. Results are public
with the activity, each standard's shown only with enough responses (results.py).

Peer reviews and self-reflections (decision 0083): staff set up the peer team and the visit; each
assessor rates on their own and sees the others' ratings only once they have handed in theirs; the
lead assessor writes the agreed report (for a self-reflection, the service's staff write the team's
ratings) and publishes it; until then it is seen by the team and the service's staff only.

Findings and improvement actions (decision 0084): staff write an assessment's findings once its
results are public (a user assessment once closed, a team method once published); findings are
public with them; concerns are answered through the spine and get improvement actions, kept by staff.
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.assessment.models import (
    METHODS,
    Assessment,
    Assessor,
    Finding,
    FindingKind,
    FrameworkVersion,
    Standard,
    VersionStatus,
)
from coproduce.contributions.rules import can_view_contribution
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.rules import can_manage_service, can_view_activity, can_view_service


def can_view_framework(user: Visitor, service: Service) -> bool:
    return can_view_service(user, service)


def can_keep_framework(user: Visitor, service: Service) -> bool:
    """Write the draft version, agree it, start the next one."""
    return can_manage_service(user, service)


def can_view_version(user: Visitor, version: FrameworkVersion) -> bool:
    """Agreed versions with their service; a draft for those who keep the framework."""
    service = version.framework.service
    if version.status == VersionStatus.DRAFT:
        return can_keep_framework(user, service)
    return can_view_framework(user, service)


def can_edit_version(user: Visitor, version: FrameworkVersion) -> bool:
    return version.status == VersionStatus.DRAFT and can_keep_framework(
        user, version.framework.service
    )


def can_edit_standard(user: Visitor, standard: Standard) -> bool:
    return can_edit_version(user, standard.version)


def can_set_up_assessment(user: Visitor, activity: Activity) -> bool:
    """Choose the agreed version an assessment (of any method) rates against."""
    return activity.kind in METHODS and can_manage_service(user, activity.service)


def can_view_assessment(user: Visitor, assessment: Assessment) -> bool:
    return can_view_activity(user, assessment.activity)


def can_keep_assessment(user: Visitor, assessment: Assessment) -> bool:
    """Enter paper forms, download the anonymised ratings."""
    return can_manage_service(user, assessment.activity.service)


def rating_open(assessment: Assessment) -> bool:
    return assessment.activity.state == ActivityState.OPEN


def can_rate(user: Visitor, assessment: Assessment) -> bool:
    """Rate the service in a user assessment: signed in, while the activity is open."""
    return bool(
        user.is_authenticated
        and assessment.activity.kind == ActivityKind.ASSESSMENT
        and rating_open(assessment)
        and can_view_assessment(user, assessment)
    )


def can_enter_paper(user: Visitor, assessment: Assessment) -> bool:
    return (
        assessment.activity.kind == ActivityKind.ASSESSMENT
        and rating_open(assessment)
        and can_keep_assessment(user, assessment)
    )


# --- Peer reviews and self-reflections (decision 0083) -------------------------------------------


def assessor_of(user: Visitor, assessment: Assessment) -> Assessor | None:
    """The visitor's place on the assessment's peer team, if they have one."""
    if not user.is_authenticated or assessment.activity.kind != ActivityKind.PEER_REVIEW:
        return None
    return Assessor.objects.filter(assessment=assessment, person_id=user.pk).first()


def can_manage_team(user: Visitor, assessment: Assessment) -> bool:
    """Choose the peer team, its lead and the visit: the service's staff, until publication."""
    return (
        assessment.activity.kind == ActivityKind.PEER_REVIEW
        and not assessment.is_published
        and can_manage_service(user, assessment.activity.service)
    )


def can_rate_as_assessor(user: Visitor, assessment: Assessment) -> bool:
    """File one's own ratings and evidence: a member of the team, until they hand them in."""
    assessor = assessor_of(user, assessment)
    return bool(
        assessor is not None and assessor.submitted_at is None and not assessment.is_published
    )


def can_see_team_ratings(user: Visitor, assessment: Assessment) -> bool:
    """Each assessor's own ratings side by side: team members who have handed in theirs, and the
    service's staff (independence: nobody on the team sees the others' before rating)."""
    if assessment.activity.kind != ActivityKind.PEER_REVIEW:
        return False
    if can_manage_service(user, assessment.activity.service):
        return True
    assessor = assessor_of(user, assessment)
    return assessor is not None and assessor.submitted_at is not None


def can_write_report(user: Visitor, assessment: Assessment) -> bool:
    """Write the agreed ratings and the summary, and publish them: a peer review's lead assessor;
    a self-reflection's service staff. Not after publication."""
    if assessment.is_published:
        return False
    kind = assessment.activity.kind
    if kind == ActivityKind.SELF_REFLECTION:
        return can_manage_service(user, assessment.activity.service)
    if kind == ActivityKind.PEER_REVIEW:
        assessor = assessor_of(user, assessment)
        return assessor is not None and assessor.is_lead
    return False


def can_view_report(user: Visitor, assessment: Assessment) -> bool:
    """The agreed report: public with the activity once published; before, the service's staff
    and the members of a peer team who have handed in their own ratings (independence), or its
    lead, who writes it."""
    if assessment.activity.kind not in (ActivityKind.PEER_REVIEW, ActivityKind.SELF_REFLECTION):
        return False
    if assessment.is_published:
        return can_view_assessment(user, assessment)
    if can_manage_service(user, assessment.activity.service):
        return True
    assessor = assessor_of(user, assessment)
    return assessor is not None and (assessor.submitted_at is not None or assessor.is_lead)


# --- Findings and improvement actions (decision 0084) ---------------------------------------------


def results_public(assessment: Assessment) -> bool:
    """Whether the assessment's results are out: a user assessment once closed, a team method
    once published. Findings are written from public results only."""
    if assessment.activity.kind == ActivityKind.ASSESSMENT:
        return assessment.activity.state in (ActivityState.CLOSED, ActivityState.REPORTED)
    return assessment.is_published


def can_add_finding(user: Visitor, assessment: Assessment) -> bool:
    return results_public(assessment) and can_manage_service(user, assessment.activity.service)


def can_view_finding(user: Visitor, finding: Finding) -> bool:
    return can_view_contribution(user, finding.contribution)


def can_edit_finding(user: Visitor, finding: Finding) -> bool:
    return can_add_finding(user, finding.assessment)


def can_keep_actions(user: Visitor, finding: Finding) -> bool:
    """Add improvement actions to a concern and update them: the service's staff."""
    return finding.kind != FindingKind.STRENGTH and can_manage_service(
        user, finding.assessment.activity.service
    )
