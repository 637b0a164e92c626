"""The assessment chapter's team methods: a peer visit to the community transport scheme by
passengers of another service, and the scheme team's own self-reflection.

Three members of the Eastvale Dial-a-Ride user group — Priya Sharma leads them — visited the
scheme three weeks ago, each rated it on their own against version 2 of its standards, then agreed
a report, which is published: they mostly agreed (the agreement is shown on the report). The
scheme's team rated itself against the same standards and published it, so the report page shows
"how we see ourselves" beside how passengers rate the scheme this year. A strength the visit found
is among the findings.

Everything goes through the actions; dates are then moved back. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.assessment import (
    actions_assessments,
    actions_findings,
    actions_peer,
    actions_report,
)
from coproduce.assessment.models import (
    Assessment,
    Assessor,
    FindingKind,
    FrameworkVersion,
    Standard,
)
from coproduce.contributions.models import Contribution
from coproduce.services.actions import activity_transition
from coproduce.services.models import ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory

TRANSPORT = "community-transport-scheme"
KEEPER = "dee.walsh@nca.example"
LEAD = "priya.s@example.org"
GROUP = "Eastvale Dial-a-Ride user group"
PEER_VISIT = "Peer visit by Dial-a-Ride passengers"
REFLECTION = "How the scheme's team sees itself"
PEERS = (
    ("peer.tom@dialaride.example", "Tom Ellis"),
    ("peer.rosa@dialaride.example", "Rosa Martin"),
)
# Each assessor's rating of the standards of version 2, in their order (lead first), and the
# team's agreed rating; then the team's own rating in its self-reflection.
PEER_RATINGS = (
    (4, 3, 5, 4, 4, 5, 3, 3),
    (4, 3, 5, 5, 4, 5, 2, 3),
    (5, 2, 5, 4, 4, 5, 3, 3),
)
AGREED = (4, 3, 5, 4, 4, 5, 3, 3)
TEAM_VIEW = (5, 4, 5, 5, 4, 5, 4, 4)
EVIDENCE = "Seen on the visit: two journeys, the booking office and a drivers' briefing."
PEER_SUMMARY = (
    "Drivers were outstanding: patient, kind and careful with wheelchairs. Booking was the "
    "weakest part: on the Monday of our visit the phone rang out for eleven minutes, and pick-up "
    "times are not confirmed the day before. We agreed on most standards; we differed on the "
    "phone and on pick-up times, and talked them through before agreeing these ratings."
)
TEAM_SUMMARY = (
    "We think we do well on respect and safety. We know the phone is better but not yet good "
    "enough, and we rate our pick-up times higher than passengers do: we will look at why."
)


def _peers() -> list[User]:
    """The two other members of the visiting team (they cannot sign in: no password)."""
    unusable = make_password(None)
    return [
        User.objects.get_or_create(email=email, defaults={"name": name, "password": unusable})[0]
        for email, name in PEERS
    ]


def _answers(
    standards: list[Standard], ratings: tuple[int, ...], note: str
) -> dict[int, tuple[int | None, str]]:
    return {
        standard.pk: (rating, note) for standard, rating in zip(standards, ratings, strict=True)
    }


def _peer_visit(service: Service, keeper: User, version: FrameworkVersion, lead: User) -> None:
    activity = ActivityFactory(
        service=service,
        kind=ActivityKind.PEER_REVIEW,
        state=ActivityState.OPEN,
        title=PEER_VISIT,
        summary="Passengers of the Eastvale Dial-a-Ride visited the scheme and rated it against "
        "its standards, then agreed a report.",
        how_to_take_part="The visiting team was chosen by the Dial-a-Ride user group.",
    )
    review = actions_assessments.assessment_set_up(activity=activity, by=keeper, version=version)
    visit_on = timezone.localdate() - dt.timedelta(days=21)
    actions_peer.visit_schedule(
        assessment=review, by=keeper, visit_on=visit_on, visit_place="Northfield depot"
    )
    standards = list(Standard.objects.filter(version=version).order_by("position", "id"))
    team = [lead, *_peers()]
    for n, person in enumerate(team):
        actions_peer.assessor_add(
            assessment=review, by=keeper, email=person.email, from_group=GROUP, is_lead=n == 0
        )
    for person, ratings in zip(team, PEER_RATINGS, strict=True):
        actions_peer.assessor_ratings_save(
            assessment=review,
            person=person,
            ratings=_answers(standards, ratings, EVIDENCE),
            hand_in=True,
        )
    actions_report.report_save(
        assessment=review,
        by=lead,
        ratings=_answers(standards, AGREED, ""),
        summary=PEER_SUMMARY,
    )
    actions_report.report_publish(assessment=review, by=lead)
    activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    review = Assessment.objects.get(pk=review.pk)
    strength = actions_findings.finding_add(
        assessment=review,
        by=keeper,
        kind=FindingKind.STRENGTH,
        title="Drivers are patient and careful with wheelchairs",
        evidence="All three visiting passengers rated the drivers' help 'Always' and saw it on "
        "both journeys.",
        standards=[s for s in standards if "helps me" in s.statement],
    )
    # Dates: the team chosen a month ago, the visit three weeks ago, the report a fortnight ago.
    now = timezone.now()
    Assessor.objects.filter(assessment=review).update(
        added_at=now - dt.timedelta(days=30), submitted_at=now - dt.timedelta(days=20)
    )
    Assessment.objects.filter(pk=review.pk).update(
        created_at=now - dt.timedelta(days=32), published_at=now - dt.timedelta(days=14)
    )
    Contribution.objects.filter(pk=strength.pk).update(created_at=now - dt.timedelta(days=13))


def _self_reflection(service: Service, keeper: User, version: FrameworkVersion) -> None:
    activity = ActivityFactory(
        service=service,
        kind=ActivityKind.SELF_REFLECTION,
        state=ActivityState.OPEN,
        title=REFLECTION,
        summary="The scheme's staff and volunteer drivers rated the scheme against the standards "
        "passengers wrote, to compare with how passengers see it.",
        how_to_take_part="The team met for an afternoon and agreed its ratings together.",
    )
    reflection = actions_assessments.assessment_set_up(
        activity=activity, by=keeper, version=version
    )
    standards = list(Standard.objects.filter(version=version).order_by("position", "id"))
    actions_report.report_save(
        assessment=reflection,
        by=keeper,
        ratings=_answers(standards, TEAM_VIEW, ""),
        summary=TEAM_SUMMARY,
    )
    actions_report.report_publish(assessment=reflection, by=keeper)
    activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    now = timezone.now()
    Assessment.objects.filter(pk=reflection.pk).update(
        created_at=now - dt.timedelta(days=10), published_at=now - dt.timedelta(days=3)
    )


def seed_team_assessments(people: dict[str, User]) -> None:
    """The peer visit and the team's self-reflection of the community transport scheme."""
    service = Service.objects.filter(slug=TRANSPORT).first()
    if (
        service is None
        or Assessment.objects.filter(
            activity__service_stage__service=service, activity__kind=ActivityKind.PEER_REVIEW
        ).exists()
    ):
        return
    version = (
        FrameworkVersion.objects.filter(framework_id=service.pk, status="agreed")
        .order_by("-number")
        .first()
    )
    if version is None:
        return
    keeper = people[KEEPER]
    _peer_visit(service, keeper, version, people[LEAD])
    _self_reflection(service, keeper, version)
