"""The demo's citizen panels: the policing panel drawn from 300 and answered, the recovery
commissioning panel made real, the transport panel open for registration with the demo code;
seeding twice changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.contributions.models import Contribution, Response
from coproduce.demo.panels import (
    DEMO_CODE,
    POLICING,
    POLICING_PANEL,
    RECOVERY,
    RECOVERY_PANEL,
    TRANSPORT,
    TRANSPORT_PANEL,
)
from coproduce.demo.panels_content import POLICING_QUESTION, POLICING_QUESTION_ANSWER
from coproduce.demo.story import seed
from coproduce.panels import actions_selection
from coproduce.panels.models import (
    ON_PANEL,
    AnswerStatus,
    Invitation,
    Panel,
    PanelMember,
    Phase,
    Recommendation,
    RecommendationStatus,
    Registrant,
    RegistrationData,
    Selection,
    SelectionStatus,
    Session,
)
from coproduce.panels.queries import feasibility
from coproduce.services.models import ActivityState

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def _panel(service_slug: str, title: str) -> Panel:
    return Panel.objects.select_related("activity").get(
        activity__service_stage__service__slug=service_slug, activity__title=title
    )


def _quotas_met(panel: Panel) -> list[str]:
    """Every quota the members on the panel break, as "category=answer: n" (none expected)."""
    answers = RegistrationData.objects.filter(
        registrant__panel=panel, registrant__status__in=ON_PANEL
    ).values_list("answers", flat=True)
    counts = Counter((name, value) for given in answers for name, value in given.items())
    return [
        f"{category.name}={feature.value}: {counts[(category.name, feature.value)]}"
        for category in panel.categories.prefetch_related("features")
        for feature in category.features.all()
        if not feature.minimum <= counts[(category.name, feature.value)] <= feature.maximum
    ]


def _statuses(panel: Panel) -> Counter[str]:
    return Counter(
        Contribution.objects.filter(panel_recommendation__panel=panel).values_list(
            "status", flat=True
        )
    )


def _published(panel: Panel) -> list[Recommendation]:
    return list(panel.recommendations.filter(status=RecommendationStatus.PUBLISHED))


def test_the_demo_panels(demo_story: None) -> None:
    client = Client()

    # Policing: 24 drawn by LEXIMIN from 300 who answered letters, every quota met.
    policing = _panel(POLICING, POLICING_PANEL)
    assert policing.phase == Phase.CLOSED
    assert policing.activity.state == ActivityState.REPORTED
    assert (policing.size, policing.recommendation_threshold) == (24, 80)
    assert [c.name for c in policing.categories.all()] == [
        "Age band",
        "Sex",
        "Ethnic group",
        "Area",
    ]
    assert all(f.population_share for c in policing.categories.all() for f in c.features.all())
    assert policing.registrants.count() == 300
    assert policing.invitations.filter(drawn=True).count() == 3000
    codes = set(policing.registrants.values_list("registration_code", flat=True))
    assert codes <= set(policing.invitations.values_list("registration_code", flat=True))
    [selection] = Selection.objects.filter(panel=policing)
    assert (selection.status, selection.algorithm) == (SelectionStatus.DONE, "leximin")
    assert selection.seed_matches
    assert len(selection.members) == 24
    assert len(selection.probabilities) == 300
    assert policing.registrants.filter(status__in=ON_PANEL).count() == 24
    assert set(selection.members) == set(
        policing.registrants.filter(status__in=ON_PANEL).values_list("pk", flat=True)
    )
    assert _quotas_met(policing) == []
    # The pool roughly looks like the town: each ward's share within 8 points of its population's.
    pool = Counter(
        RegistrationData.objects.filter(registrant__panel=policing).values_list(
            "answers__Area", flat=True
        )
    )
    for feature in policing.categories.get(name="Area").features.all():
        assert abs(pool[feature.value] / 300 - float(feature.population_share or 0)) < 0.08

    # Members with accounts, the cast's residents among them; four sessions with their evidence.
    members = PanelMember.objects.filter(panel=policing)
    assert members.count() == 24
    assert not members.filter(registrant__isnull=True).exists()
    emails = set(members.values_list("user__email", flat=True))
    assert {"resident@example.org", "priya.s@example.org", "dave.m@example.org"} <= emails
    sessions = Session.objects.filter(panel=policing)
    assert sessions.count() == 4
    assert all(s.agenda and s.speakers and s.papers.exists() for s in sessions)
    assert all(s.starts_at.date() < policing.closes_on for s in sessions)  # type: ignore[operator]
    assert {timezone.localtime(s.starts_at).strftime("%A") for s in sessions} == {"Saturday"}

    # Nine recommendations voted through at 80%, one not; all nine answered, in public.
    published = _published(policing)
    assert len(published) == 9
    assert all((r.support_percent or 0) >= 80 for r in published)
    assert policing.recommendations.filter(status=RecommendationStatus.NOT_PASSED).count() == 1
    assert all(r.contribution and r.contribution.first_response_at for r in published)
    assert not any(r.answer_overdue for r in published)
    statuses = _statuses(policing)
    assert statuses[AnswerStatus.IN_PROGRESS] == 2
    assert statuses[AnswerStatus.NOT_ACCEPTED] == 1
    assert statuses[AnswerStatus.ACCEPTED] + statuses[AnswerStatus.DONE] == 6
    assert statuses[AnswerStatus.DONE] > statuses[AnswerStatus.ACCEPTED]
    refused = Contribution.objects.get(
        panel_recommendation__panel=policing, status=AnswerStatus.NOT_ACCEPTED
    )
    assert refused.status_reason
    page = client.get(reverse("panels:recommendations", args=[policing.pk])).content.decode()
    assert POLICING_QUESTION in page  # a member's question, answered in public
    assert POLICING_QUESTION_ANSWER in page
    report = client.get(reverse("panels:selection_report", args=[policing.pk]))
    assert report.status_code == 200
    assert selection.seed in report.content.decode()

    # Recovery: story.py's activity and texts, now a real panel that finished and was answered.
    recovery = _panel(RECOVERY, RECOVERY_PANEL)
    assert recovery.activity.state == ActivityState.REPORTED
    assert recovery.activity.summary.startswith("Twelve residents with lived experience")
    assert recovery.activity.outcome.startswith("The panel's scores counted for 40%")
    assert (recovery.size, recovery.phase) == (12, Phase.CLOSED)
    assert recovery.registrants.filter(status__in=ON_PANEL).count() == 12
    assert _quotas_met(recovery) == []
    assert recovery.members.count() == 12
    assert recovery.sessions.count() == 4
    answered = _published(recovery)
    assert len(answered) == 3
    assert all(r.contribution and r.contribution.first_response_at for r in answered)
    assert _statuses(recovery) == {AnswerStatus.DONE: 2, AnswerStatus.IN_PROGRESS: 1}

    # Transport: registration is open, and the demo code is valid and unused.
    transport = _panel(TRANSPORT, TRANSPORT_PANEL)
    assert transport.phase == Phase.REGISTRATION
    assert transport.activity.state == ActivityState.OPEN
    assert not transport.allow_volunteers
    assert len(DEMO_CODE) == actions_selection.CODE_LENGTH
    assert set(DEMO_CODE) <= set(actions_selection.CODE_ALPHABET)
    assert Invitation.objects.get(registration_code=DEMO_CODE).panel == transport
    assert not Registrant.objects.filter(registration_code=DEMO_CODE).exists()
    assert 20 <= transport.registrants.count() <= 60
    assert feasibility(transport).pool_size == transport.registrants.count()
    register = reverse("panels:register", args=[transport.pk])
    assert "Register" in client.get(transport.activity.get_absolute_url()).content.decode()
    step = client.post(register, {"step": "code", "code": DEMO_CODE.lower()})
    assert step.status_code == 302  # the code is right: on to the form
    assert client.get(register).status_code == 200

    # Seeding again changes nothing.
    counted = (Panel, Registrant, Invitation, Selection, PanelMember, Session, Recommendation)
    size = [model.objects.count() for model in (*counted, Response)]
    seed()
    assert [model.objects.count() for model in (*counted, Response)] == size

    # A visitor registers with the demo code (then it is used).
    answers = {
        category.name: category.features.first().value  # type: ignore[union-attr]
        for category in transport.categories.all()
    }
    registrant = actions_selection.registrant_register(
        panel=transport,
        answers=answers,
        name="Vera Visitor",
        email="vera@example.org",
        code=DEMO_CODE,
        consent=True,
    )
    assert registrant.registration_code == DEMO_CODE
