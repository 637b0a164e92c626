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
A closed user assessment with findings, or whose results are recorded in outcome indicators, does
not re-open (decision 0125).

Mystery shopping (decision 0087): staff choose a coordinator who does not work for the service; only
the coordinator knows who the shoppers are and gives them assignments; a shopper files their own
report; the service's staff and the coordinator read the reports (shoppers as "Shopper N") and the
coordinator publishes them. Coaching (decision 0088): private to the coach and the participants.
Residents' proposals for the standards (decision 0089): made in an open user assessment, answered
through the spine, taken into the draft by those who keep the framework.
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.assessment.models import (
    METHODS,
    Assessment,
    Assessor,
    Assignment,
    CoachingSession,
    Evidence,
    Finding,
    FindingKind,
    FrameworkVersion,
    StandardProposal,
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


def can_manage_team_of(user: Visitor, activity: Activity) -> bool:
    """The link to the peer team's page from the staff activity page: once the review is set up."""
    assessment = Assessment.objects.filter(activity=activity).first()
    return assessment is not None and can_manage_team(user, assessment)


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
    """Whether the assessment's results are out: a user assessment once closed, a team method or
    a mystery shop once published. Findings are written from public results only."""
    if assessment.activity.kind == ActivityKind.ASSESSMENT:
        return assessment.activity.state in (ActivityState.CLOSED, ActivityState.REPORTED)
    return assessment.is_published


def findings_written(assessment: Assessment) -> bool:
    return assessment.findings.exists()


def results_recorded(assessment: Assessment) -> bool:
    """Whether the assessment's results have been recorded as values of the service's outcome
    indicators (decision 0090): ``indicators_record`` marks it when it writes the first value, so
    that moving the activity's dates afterwards does not hide it (decision 0136)."""
    return assessment.results_recorded_at is not None


def may_reopen(assessment: Assessment) -> bool:
    """Whether a closed user assessment may open again and take more ratings: not once findings
    have been written from its results, nor once they are recorded in outcome indicators (either
    would then disagree with the results page; decision 0125)."""
    return not (findings_written(assessment) or results_recorded(assessment))


def reopen_possible(assessment: Assessment) -> bool:
    """Whether a closed user assessment may still re-open: while it may, its staff pages warn that
    writing a finding or recording its results ends that (decision 0130)."""
    activity = assessment.activity
    return (
        activity.kind == ActivityKind.ASSESSMENT
        and activity.state == ActivityState.CLOSED
        and may_reopen(assessment)
    )


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


# --- Mystery shopping (decision 0087) -------------------------------------------------------------


def _is_mystery_shop(assessment: Assessment) -> bool:
    return assessment.activity.kind == ActivityKind.MYSTERY_SHOP


def _works_for_service(user: Visitor, assessment: Assessment) -> bool:
    return can_manage_service(user, assessment.activity.service)


def is_coordinator(user: Visitor, assessment: Assessment) -> bool:
    return bool(
        user.is_authenticated
        and _is_mystery_shop(assessment)
        and assessment.coordinator_id is not None
        and assessment.coordinator_id == user.pk
    )


def can_choose_coordinator(user: Visitor, assessment: Assessment) -> bool:
    return (
        _is_mystery_shop(assessment)
        and not assessment.is_published
        and _works_for_service(user, assessment)
    )


def can_coordinate(user: Visitor, assessment: Assessment) -> bool:
    """Give and take back assignments, see who the shoppers are, publish the reports."""
    return is_coordinator(user, assessment) and not assessment.is_published


def shopper_assignment(user: Visitor, assignment: Assignment) -> bool:
    """Whether the assignment is the visitor's own."""
    return bool(user.is_authenticated and assignment.shopper_id == user.pk)


def can_shop(user: Visitor, assignment: Assignment) -> bool:
    """Write and send the report of one's own assignment, until it is sent or published."""
    report = getattr(assignment, "report", None)
    return (
        shopper_assignment(user, assignment)
        and not assignment.assessment.is_published
        and (report is None or report.submitted_at is None)
    )


def can_view_shop_reports(user: Visitor, assessment: Assessment) -> bool:
    """The sent reports (shoppers unnamed): the service's staff and the coordinator; everyone who
    can see the activity once the coordinator has published them."""
    if not _is_mystery_shop(assessment):
        return False
    if assessment.is_published and can_view_assessment(user, assessment):
        return True
    return _works_for_service(user, assessment) or is_coordinator(user, assessment)


def can_view_evidence(user: Visitor, evidence: Evidence) -> bool:
    """A report's photos and files: its shopper, the coordinator and the service's staff; never
    the public (a photo may show people)."""
    assignment = evidence.report.assignment
    assessment = assignment.assessment
    return (
        shopper_assignment(user, assignment)
        or is_coordinator(user, assessment)
        or _works_for_service(user, assessment)
    )


# --- Coaching (decision 0088) ---------------------------------------------------------------------


def can_start_coaching(user: Visitor, service: Service) -> bool:
    """Set up a coaching session about the service: its staff, and the residents on its
    assessment teams (peer assessors, mystery shoppers and coordinators)."""
    if not user.is_authenticated:
        return False
    if can_manage_service(user, service):
        return True
    on_service = {"assessment__activity__service_stage__service": service, "person_id": user.pk}
    if Assessor.objects.filter(**on_service).exists():
        return True
    if Assignment.objects.filter(
        assessment__activity__service_stage__service=service, shopper_id=user.pk
    ).exists():
        return True
    return Assessment.objects.filter(
        activity__service_stage__service=service, coordinator_id=user.pk
    ).exists()


def can_view_session(user: Visitor, session: CoachingSession) -> bool:
    """The coach and the participants; nobody else, superusers included."""
    if not user.is_authenticated:
        return False
    return session.coach_id == user.pk or session.participants.filter(pk=user.pk).exists()


def can_edit_session(user: Visitor, session: CoachingSession) -> bool:
    return can_view_session(user, session)


# --- Proposals for the standards (decision 0089) ---------------------------------------------------


def can_propose(user: Visitor, assessment: Assessment) -> bool:
    """Propose a standard, or comment on one, in an open user assessment: signed in."""
    return bool(
        user.is_authenticated
        and assessment.activity.kind == ActivityKind.ASSESSMENT
        and rating_open(assessment)
        and can_view_assessment(user, assessment)
    )


def can_take_in(user: Visitor, proposal: StandardProposal) -> bool:
    """Take a proposal into the draft standards: those who keep the framework."""
    return can_keep_framework(user, proposal.framework.service)


# --- Standards feeding outcome indicators (decision 0090) -----------------------------------------


def can_link_indicators(user: Visitor, service: Service) -> bool:
    """Say which standards feed which of the service's outcome indicators."""
    return can_keep_framework(user, service)


def can_record_indicators(user: Visitor, assessment: Assessment) -> bool:
    """Record a closed user assessment's results in the linked indicators."""
    return (
        assessment.activity.kind == ActivityKind.ASSESSMENT
        and assessment.activity.state in (ActivityState.CLOSED, ActivityState.REPORTED)
        and can_keep_assessment(user, assessment)
    )
