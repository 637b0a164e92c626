"""Assessment: frameworks of standards, user assessments, findings and improvement actions, peer
reviews and self-reflections, coaching, residents' proposals, mystery shopping, and standards
feeding outcome indicators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    DENIED,
    DRAFT_ACTIVITY_STAFF,
    HIDDEN,
    LOGIN,
    MANAGE_DRAFT,
    MANAGE_SERVICE,
    OK,
    OWNER_MEMBERS,
    PUBLIC,
    SIGNED_IN,
    Case,
    draft,
    published,
    row,
)

# --- Assessment frameworks (issue 12, decision 0081): agreed versions public with the service;
# the draft and every change kept by the service's administrators and professionals.
FRAMEWORK_KEEPERS = row(HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK)


def _standards(w: World, which: str) -> Any:
    """Version 1 agreed (two standards) and version 2 drafted from it, on the published service;
    an agreed version on the draft service ("hidden")."""
    made = w.people.setdefault("_standards", {})
    if not made:
        from coproduce.assessment.tests.factories import make_framework, next_draft

        keeper = w.people["professional"]
        agreed = make_framework(w.service, keeper, count=2)
        second = next_draft(agreed, keeper)
        made.update(
            agreed=agreed,
            agreed_standard=agreed.standards.order_by("position").first(),
            draft=second,
            draft_standard=second.standards.order_by("position").first(),
            hidden=make_framework(w.draft_service, keeper, count=1),
        )
    return made[which]


def standards(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _standards(w, which).pk}


ASSESSMENT_CASES = [
    Case("assessment:framework", published, PUBLIC),
    Case("assessment:framework", draft, OWNER_MEMBERS, label="draft service"),
    Case("assessment:version", standards("agreed"), PUBLIC),
    Case("assessment:version", standards("draft"), FRAMEWORK_KEEPERS, label="draft"),
    Case("assessment:version", standards("hidden"), OWNER_MEMBERS, label="draft service"),
    Case("assessment:manage_framework", published, MANAGE_SERVICE),
    Case("assessment:manage_framework", draft, MANAGE_DRAFT, label="draft service"),
    Case("assessment:version_start", published, MANAGE_SERVICE),
    Case("assessment:version_start", published, MANAGE_SERVICE, method="post", label="post"),
    Case("assessment:version_edit", standards("draft"), MANAGE_SERVICE),
    Case("assessment:version_edit", standards("agreed"), MANAGE_SERVICE, label="agreed"),
    Case(
        "assessment:version_edit",
        standards("draft"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {"down": str(_standards(w, "draft_standard").pk)},
        label="move",
    ),
    Case("assessment:standard_add", standards("draft"), MANAGE_SERVICE),
    Case(
        "assessment:standard_add",
        standards("draft"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {"theme": "Booking", "statement": "I can book any time"},
        label="post",
    ),
    Case("assessment:standard_edit", standards("draft_standard"), MANAGE_SERVICE),
    Case("assessment:standard_edit", standards("agreed_standard"), MANAGE_SERVICE, label="agreed"),
    Case("assessment:standard_delete", standards("draft_standard"), MANAGE_SERVICE),
    Case(
        "assessment:standard_delete",
        standards("draft_standard"),
        MANAGE_SERVICE,
        method="post",
        label="post",
    ),
    Case("assessment:version_agree", standards("draft"), MANAGE_SERVICE),
    Case(
        "assessment:version_agree",
        standards("draft"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {"change_note": "Checked again."},
        label="post",
    ),
]


# --- User assessments (decision 0082): public as their activity is; signed-in people rate while
# it is open; staff set it up, enter paper forms and download the anonymised ratings.
def _assessment(w: World, which: str) -> Any:
    """An assessment of the published service pinned to an agreed version, on an open ("open"),
    closed ("closed") or draft ("draft") activity; or an assessment activity not set up ("bare")."""
    made = w.people.setdefault("_assessment", {})
    if which not in made:
        from coproduce.assessment.actions_assessments import assessment_set_up
        from coproduce.assessment.models import FrameworkVersion
        from coproduce.assessment.tests.factories import make_framework
        from coproduce.services.actions import activity_transition
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
        activity = ActivityFactory(service=w.service, kind=ActivityKind.ASSESSMENT, state=state)
        if which == "bare":
            made[which] = {"activity": activity}
        else:
            staff = w.people["professional"]
            version = FrameworkVersion.objects.filter(
                framework_id=w.service.pk, status="agreed"
            ).first() or make_framework(w.service, staff)
            made[which] = {
                "activity": activity,
                "assessment": assessment_set_up(activity=activity, by=staff, version=version),
            }
            if which == "closed":
                activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    return made[which]


def assessment(which: str, thing: str = "assessment") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _assessment(w, which)[thing].pk}


ASSESSMENT_CASES += [
    Case("assessment:assessment", assessment("open"), PUBLIC),
    Case("assessment:assessment", assessment("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("assessment:results", assessment("open"), PUBLIC),
    Case("assessment:results", assessment("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("assessment:rate", assessment("open"), SIGNED_IN),
    Case("assessment:rate", assessment("closed"), SIGNED_IN, label="closed"),
    Case(
        "assessment:rate",
        assessment("closed"),
        row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
        method="post",
        label="closed, sent",
    ),
    Case(
        "assessment:rate",
        assessment("draft"),
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="draft",
    ),
    Case("assessment:manage", assessment("open", "activity"), MANAGE_SERVICE),
    Case("assessment:manage", assessment("bare", "activity"), MANAGE_SERVICE, label="bare"),
    Case("assessment:manage", assessment("draft", "activity"), MANAGE_DRAFT, label="draft"),
    Case("assessment:paper_entry", assessment("open"), MANAGE_SERVICE),
    Case("assessment:paper_entry", assessment("closed"), MANAGE_SERVICE, label="closed"),
    Case("assessment:paper_entry", assessment("draft"), MANAGE_DRAFT, label="draft"),
    Case("assessment:ratings_csv", assessment("open"), MANAGE_SERVICE),
    Case("assessment:ratings_csv", assessment("draft"), MANAGE_DRAFT, label="draft"),
]


# --- Findings and improvement actions (decision 0084): public with their finding; written by the
# service's staff once the assessment's results are public.
def _finding(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_finding", {})
    if not made:
        import datetime as dt

        from django.utils import timezone

        from coproduce.assessment import actions_findings

        closed = _assessment(w, "closed")["assessment"]
        closed.activity.refresh_from_db()
        staff = w.people["professional"]
        finding = actions_findings.finding_add(
            assessment=closed, by=staff, kind="concern", title="Late pick-ups", evidence="Half."
        )
        made["finding"] = finding
        made["action"] = actions_findings.action_add(
            finding=finding,
            by=staff,
            description="Text when late",
            owner="Coordinator",
            due_on=timezone.localdate() + dt.timedelta(days=9),
        )
    return made


def finding(thing: str = "finding") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _finding(w)[thing].pk}


NOBODY_SIGNED_IN = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
ASSESSMENT_CASES += [
    Case("assessment:finding", finding(), PUBLIC),
    Case("assessment:finding_add", assessment("closed"), MANAGE_SERVICE),
    Case("assessment:finding_add", assessment("open"), NOBODY_SIGNED_IN, label="still open"),
    Case("assessment:finding_edit", finding(), MANAGE_SERVICE),
    Case("assessment:action_add", finding(), MANAGE_SERVICE),
    Case("assessment:action_edit", finding("action"), MANAGE_SERVICE),
    Case("assessment:actions", published, PUBLIC),
    Case("assessment:actions", draft, OWNER_MEMBERS, label="draft service"),
]


# --- Peer reviews and self-reflections (decisions 0083, 0085): a peer team's pages are private to
# it and the service's staff; a report is private until published, then public. The resident is
# the lead assessor of the peer review and has handed in their ratings.
def _team(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_team", {})
    if not made:
        from django.utils import timezone

        from coproduce.assessment.models import Assessment
        from coproduce.assessment.tests.factories_peer import add_assessor, hand_in
        from coproduce.assessment.tests.factories_report import make_team_assessment
        from coproduce.services.models import ActivityKind

        staff = w.people["professional"]
        for which, kind in (
            ("self", ActivityKind.SELF_REFLECTION),
            ("self_published", ActivityKind.SELF_REFLECTION),
            ("peer", ActivityKind.PEER_REVIEW),
        ):
            made[which], _staff = make_team_assessment(kind, service=w.service)
        Assessment.objects.filter(pk=made["self_published"].pk).update(published_at=timezone.now())
        lead = add_assessor(made["peer"], staff, w.people["resident"], lead=True)
        hand_in(lead, 4)
        made["assessor"] = add_assessor(made["peer"], staff)
    return made


def team(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _team(w)[which].pk}


TEAM_STAFF = row(HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK)
NOBODY = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
LEAD_ONLY = row(HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
ASSESSMENT_CASES += [
    Case("assessment:team", team("peer"), TEAM_STAFF),
    Case("assessment:team", team("self"), NOBODY, label="self-reflection"),
    Case("assessment:assessor_remove", team("assessor"), TEAM_STAFF),
    Case("assessment:assessor_remove", team("assessor"), TEAM_STAFF, method="post", label="post"),
    Case("assessment:assessor_rate", team("peer"), LEAD_ONLY),
    Case("assessment:team_ratings", team("peer"), row(HIDDEN, OK, HIDDEN, OK, HIDDEN, OK, OK)),
    Case("assessment:report", team("self"), TEAM_STAFF, label="self-reflection, draft"),
    Case("assessment:report", team("self_published"), PUBLIC, label="self-reflection"),
    Case("assessment:report", team("peer"), row(HIDDEN, OK, HIDDEN, OK, HIDDEN, OK, OK)),
    Case("assessment:report", assessment("open"), NOBODY, label="user assessment"),
    Case("assessment:report_edit", team("self"), TEAM_STAFF, label="self-reflection"),
    Case("assessment:report_edit", team("self_published"), NOBODY, label="published"),
    Case("assessment:report_edit", team("peer"), LEAD_ONLY),
    Case("assessment:report_publish", team("self"), TEAM_STAFF, label="self-reflection"),
    Case("assessment:report_publish", team("peer"), LEAD_ONLY),
    Case("assessment:peer_ratings_csv", team("peer"), MANAGE_SERVICE),
    Case("assessment:self_ratings_csv", team("self"), TEAM_STAFF, label="draft"),
    Case("assessment:self_ratings_csv", team("self_published"), MANAGE_SERVICE),
]


# --- Coaching (decision 0088): private to the coach and the participants, superusers too. The
# professional coaches the resident.
def _coaching(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_coaching", {})
    if not made:
        from coproduce.assessment.tests.factories_coaching import make_session

        made["session"] = make_session(w.service, w.people["professional"], [w.people["resident"]])
    return made


def coaching(w: World) -> dict[str, Any]:
    return {"pk": _coaching(w)["session"].pk}


IN_THE_SESSION = row(HIDDEN, OK, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN)
ASSESSMENT_CASES += [
    Case("assessment:coaching_add", published, MANAGE_SERVICE),
    Case("assessment:coaching", coaching, IN_THE_SESSION),
    Case("assessment:coaching_edit", coaching, IN_THE_SESSION),
    Case("assessment:coaching_leave", coaching, IN_THE_SESSION),
    Case("assessment:my_coaching", lambda w: {}, SIGNED_IN),
]


# --- Residents' proposals for the standards (decision 0089): public with their activity; made in
# an open user assessment; taken into the draft by staff.
def _proposal(w: World, which: str = "published") -> Any:
    made = w.people.setdefault("_proposal", {})
    if which not in made:
        from coproduce.accounts.tests.factories import UserFactory
        from coproduce.assessment.actions_proposals import proposal_add
        from coproduce.contributions.actions import moderation_hide

        proposal = proposal_add(
            assessment=_assessment(w, "open")["assessment"],
            author=UserFactory(),
            text=f"I can book a journey on the day ({which})",
        )
        if which == "hidden":
            moderation_hide(contribution=proposal.contribution, moderator=w.people["professional"])
        made[which] = proposal
    return made[which]


def proposal(which: str = "published") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _proposal(w, which).pk}


ASSESSMENT_CASES += [
    Case("assessment:propose", assessment("open"), SIGNED_IN),
    Case("assessment:propose", assessment("closed"), SIGNED_IN, label="closed"),
    Case(
        "assessment:propose",
        assessment("closed"),
        NOBODY_SIGNED_IN,
        method="post",
        label="closed, sent",
    ),
    Case(
        "assessment:propose",
        assessment("draft"),
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="draft",
    ),
    Case("assessment:proposal", proposal(), PUBLIC),
    Case("assessment:proposal", proposal("hidden"), DRAFT_ACTIVITY_STAFF, label="hidden"),
    Case("assessment:proposals", published, PUBLIC),
    Case("assessment:proposals", draft, OWNER_MEMBERS, label="draft service"),
    Case("assessment:proposal_take_in", proposal(), MANAGE_SERVICE),
]


# --- Mystery shopping (decision 0087): the coordinator and the shoppers are residents outside the
# matrix's roles, so their own pages are 404 to every role; the service's staff read the reports
# (shoppers unnamed) and their evidence files; the public reads the reports once published.
def _shop(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_shop", {})
    if not made:
        from django.utils import timezone

        from coproduce.assessment import actions_shopping
        from coproduce.assessment.models import Assessment
        from coproduce.assessment.tests.factories_shopping import (
            assign,
            jpeg_with_gps,
            mystery_shop,
            send_report,
        )

        for which in ("open", "published"):
            shop, _staff, _coordinator = mystery_shop(service=w.service)
            assignment = assign(shop)
            evidence = actions_shopping.evidence_add(
                assignment=assignment,
                by=assignment.shopper,
                upload=jpeg_with_gps(),
                description="The booking line's recorded message",
            )
            send_report(assignment)
            made[which] = {"shop": shop, "assignment": assignment, "evidence": evidence}
        Assessment.objects.filter(pk=made["published"]["shop"].pk).update(
            published_at=timezone.now()
        )
        made["draft"] = {"assignment": assign(mystery_shop(service=w.service)[0])}
    return made


def shop(which: str, thing: str = "shop") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _shop(w)[which][thing].pk}


SERVICE_STAFF_ONLY = row(HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK)
ASSESSMENT_CASES += [
    Case("assessment:coordinator", shop("open"), MANAGE_SERVICE),
    Case("assessment:assignments", shop("open"), NOBODY),
    Case("assessment:assignment_remove", shop("draft", "assignment"), NOBODY),
    Case("assessment:shop", shop("draft", "assignment"), NOBODY),
    Case("assessment:evidence_add", shop("draft", "assignment"), NOBODY),
    Case("assessment:evidence_file", shop("open", "evidence"), SERVICE_STAFF_ONLY),
    Case(
        "assessment:evidence_file",
        shop("published", "evidence"),
        SERVICE_STAFF_ONLY,
        label="published",
    ),
    Case("assessment:evidence_remove", shop("open", "evidence"), NOBODY),
    Case("assessment:shop_reports", shop("open"), SERVICE_STAFF_ONLY),
    Case("assessment:shop_reports", shop("published"), PUBLIC, label="published"),
    Case("assessment:shop_publish", shop("open"), NOBODY),
    Case("assessment:my_assignments", lambda w: {}, SIGNED_IN),
]


# --- Standards feeding outcome indicators (decision 0090): the service's staff.
def _link(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_link", {})
    if not made:
        from coproduce.assessment.actions_links import link_add
        from coproduce.assessment.queries_assessments import latest_agreed
        from coproduce.outcomes.tests.factories import make_indicator, make_outcome

        staff = w.people["professional"]
        _assessment(w, "closed")
        latest = latest_agreed(w.service)
        assert latest is not None
        standard = latest.standards.order_by("position").first()
        assert standard is not None
        made["link"] = link_add(
            service=w.service,
            by=staff,
            standard=standard,
            indicator=make_indicator(make_outcome(w.service, staff), staff),
        )
    return {"pk": made["link"].pk}


ASSESSMENT_CASES += [
    Case("assessment:indicator_links", published, MANAGE_SERVICE),
    Case("assessment:indicator_links", draft, MANAGE_DRAFT, label="draft service"),
    Case("assessment:link_remove", _link, MANAGE_SERVICE),
    Case("assessment:record_indicators", assessment("closed"), MANAGE_SERVICE),
    Case("assessment:record_indicators", assessment("open"), NOBODY_SIGNED_IN, label="still open"),
    Case(
        "assessment:record_indicators",
        assessment("draft"),
        row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED),
        label="draft",
    ),
]
