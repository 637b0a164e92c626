"""Who may see a service's standards and assessments, keep them, and rate the service
(decision 0081).

The framework's agreed versions are public with the service; its draft is seen and written by the
service's administrators and professionals, who also agree it. An assessment is public as its
activity is; it is set up by the same staff. Signed-in people rate the service while the activity
is open (once each, changeable until it closes); staff enter paper forms. Results are public
with the activity, each standard's shown only with enough responses (results.py).
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.assessment.models import Assessment, FrameworkVersion, Standard, VersionStatus
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
    """Choose the agreed version a user assessment rates against."""
    return activity.kind == ActivityKind.ASSESSMENT and can_manage_service(user, activity.service)


def can_view_assessment(user: Visitor, assessment: Assessment) -> bool:
    return can_view_activity(user, assessment.activity)


def can_keep_assessment(user: Visitor, assessment: Assessment) -> bool:
    """Enter paper forms, download the anonymised ratings."""
    return can_manage_service(user, assessment.activity.service)


def rating_open(assessment: Assessment) -> bool:
    return assessment.activity.state == ActivityState.OPEN


def can_rate(user: Visitor, assessment: Assessment) -> bool:
    """Rate the service: signed in, while the activity is open."""
    return bool(
        user.is_authenticated and rating_open(assessment) and can_view_assessment(user, assessment)
    )


def can_enter_paper(user: Visitor, assessment: Assessment) -> bool:
    return rating_open(assessment) and can_keep_assessment(user, assessment)
