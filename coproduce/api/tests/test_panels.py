"""The citizen panels API: panels, the selection report, recommendations with their answers, the
answer's status, and registration data never shown to anyone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.api.api import api
from coproduce.api.tests.client import Api
from coproduce.contributions import actions as spine
from coproduce.panels import actions, actions_deliberation, actions_selection, queries
from coproduce.panels.ledger import COMMITMENT, RESULT
from coproduce.panels.models import (
    AnswerStatus,
    Phase,
    Recommendation,
    Registrant,
    Selection,
    seed_digest,
)
from coproduce.panels.tasks import run_selection
from coproduce.panels.tests.factories import PanelSetup, advance, make_panel, register, small_pool
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory
from coproduce.transparency.queries import latest_entry

pytestmark = pytest.mark.django_db


def _api(user: User) -> Api:
    return Api(api_token_create(user=user, name="test")[1])


def _registered(count: int = 16, **fields: Any) -> PanelSetup:
    """A panel in its registration phase with ``count`` volunteers."""
    setup = make_panel(phase=Phase.REGISTRATION, allow_volunteers=True, **fields)
    for answers in small_pool(count):
        register(setup, answers)
    return setup


def _commit(setup: PanelSetup, seed: int = 42) -> Selection:
    advance(setup, Phase.SELECTION)
    return actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=seed)


def _select(setup: PanelSetup, seed: int = 42) -> Selection:
    committed = _commit(setup, seed)
    actions_selection.selection_start(selection=committed, by=setup.staff)
    selection = run_selection(committed.pk)
    assert selection is not None
    return selection


@dataclass
class Deliberating:
    """A panel that voted: one recommendation passed, one did not, one still a draft."""

    setup: PanelSetup
    members: list[User]
    passed: Recommendation
    failed: Recommendation
    draft: Recommendation
    others: dict[str, Any] = field(default_factory=dict)


def _deliberating(setup: PanelSetup | None = None) -> Deliberating:
    setup = setup or make_panel()
    advance(setup, Phase.DELIBERATION)
    members = [UserFactory() for _ in range(5)]
    for person in members:
        actions_deliberation.member_add(panel=setup.panel, by=setup.staff, email=person.email)
    panel = setup.panel
    passed = actions_deliberation.recommendation_draft(
        panel=panel, by=members[0], title="Open later", text="Until 10pm on weekdays."
    )
    failed = actions_deliberation.recommendation_draft(
        panel=panel, by=members[1], title="Close on Mondays", text="To save money."
    )
    actions_deliberation.voting_open(panel=panel, by=setup.staff)
    for index, person in enumerate(members):
        actions_deliberation.vote_cast(recommendation=passed, by=person, supports=index < 4)
        actions_deliberation.vote_cast(recommendation=failed, by=person, supports=index < 2)
    actions_deliberation.voting_close(panel=panel, by=setup.staff)
    draft = actions_deliberation.recommendation_draft(
        panel=panel, by=members[2], title="More benches", text="In the park."
    )
    passed.refresh_from_db()
    failed.refresh_from_db()
    return Deliberating(setup, members, passed, failed, draft)


# --- Panels --------------------------------------------------------------------------------------


def test_the_list_shows_opened_panels_and_drafts_only_to_their_staff() -> None:
    public = make_panel()
    draft = make_panel(
        activity=ActivityFactory(kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.DRAFT)
    )
    listed = {item["id"] for item in Api().get("/panels", {"limit": 100}).json()["items"]}
    assert public.panel.pk in listed
    assert draft.panel.pk not in listed
    staff_listed = _api(draft.staff).get("/panels", {"limit": 100}).json()["items"]
    assert draft.panel.pk in {item["id"] for item in staff_listed}
    for path in ("", "/selection", "/recommendations"):
        assert Api().get(f"/panels/{draft.panel.pk}{path}").status_code == 404
        assert _api(UserFactory()).get(f"/panels/{draft.panel.pk}{path}").status_code == 404
        assert _api(draft.staff).get(f"/panels/{draft.panel.pk}{path}").status_code == 200


def test_the_list_is_newest_first_and_paged() -> None:
    panels = [make_panel().panel for _ in range(3)]
    page = Api().get("/panels", {"limit": 2}).json()
    assert page["count"] == 3
    assert [item["id"] for item in page["items"]] == [p.pk for p in reversed(panels)][:2]
    rest = Api().get("/panels", {"limit": 2, "offset": 2}).json()["items"]
    assert [item["id"] for item in rest] == [panels[0].pk]


def test_the_detail_gives_the_question_size_phase_dates_and_registration() -> None:
    setup = make_panel(size=4, allow_volunteers=True)
    setup.panel = actions.panel_update(
        panel=setup.panel, by=setup.staff, registration_closes_on="2031-05-01"
    )
    path = f"/panels/{setup.panel.pk}"
    body = Api().get(path).json()
    assert body["question"] == "How should the neighbourhood be policed?"
    assert body["size"] == 4
    assert body["phase"] == "set_up"
    assert body["registration_open"] is False
    assert body["volunteers_may_register"] is True
    assert body["registration_closes_on"] == "2031-05-01"
    assert body["service"] == setup.panel.activity.service.slug
    assert body["draw"] == "not_prepared"
    assert body["recommendation_threshold"] == 80
    assert body["page"] == f"/panels/{setup.panel.pk}/"
    advance(setup, Phase.REGISTRATION)
    assert Api().get(path).json()["registration_open"] is True
    advance(setup, Phase.SELECTION)
    assert Api().get(path).json()["registration_open"] is False


def test_registration_is_not_open_while_the_activity_is_closed() -> None:
    setup = make_panel(
        phase=Phase.REGISTRATION,
        activity=ActivityFactory(kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.CLOSED),
    )
    assert Api().get(f"/panels/{setup.panel.pk}").json()["registration_open"] is False


# --- The selection report ------------------------------------------------------------------------


def test_the_report_is_empty_until_a_seed_is_committed() -> None:
    setup = _registered()
    body = Api().get(f"/panels/{setup.panel.pk}/selection").json()
    assert body == {"panel": setup.panel.pk, "selection": None}


def test_a_committed_seed_shows_its_fingerprint_but_not_the_seed() -> None:
    setup = _registered()
    committed = _commit(setup, seed=123456)
    body = Api().get(f"/panels/{setup.panel.pk}/selection").json()["selection"]
    assert body["seed_sha256"] == seed_digest("123456") == committed.seed_hash
    assert body["pool_sha256"] == committed.pool_hash
    assert body["seed"] is None
    assert body["revealed_at"] is None
    assert body["draw"] is None
    assert body["replacement_draws"] == []
    assert body["commitment_entry"] == latest_entry(COMMITMENT, committed.pk).seq  # type: ignore[union-attr]
    assert "123456" not in json.dumps(Api().get(f"/panels/{setup.panel.pk}/selection").json())
    assert Api().get(f"/panels/{setup.panel.pk}").json()["draw"] == "seed_committed"


def test_the_draw_reveals_the_seed_and_reports_quotas_chances_and_how_to_rerun() -> None:
    setup = _registered()
    selection = _select(setup, seed=7)
    body = Api().get(f"/panels/{setup.panel.pk}/selection").json()["selection"]
    assert body["seed"] == "7"
    assert seed_digest(body["seed"]) == body["seed_sha256"]
    assert body["algorithm"] == "leximin"
    draw = body["draw"]
    chances = list(selection.probabilities.values())
    assert draw["pool_size"] == 16 == len(chances)
    assert draw["panel_size"] == 4
    assert draw["minimum_probability"] == pytest.approx(min(chances))
    assert draw["maximum_probability"] == pytest.approx(max(chances))
    assert draw["spread"] == pytest.approx(max(chances) - min(chances))
    assert draw["version"] == selection.version
    assert draw["quotas"] == [dataclasses.asdict(row) for row in queries.report_rows(selection)]
    assert sum(row["in_pool"] for row in draw["quotas"] if row["category"] == "Age") == 16
    assert sum(row["selected"] for row in draw["quotas"] if row["category"] == "Area") == 4
    assert "--seed 7" in draw["rerun_command"]
    assert draw["pool_export"] == f"/panels/{setup.panel.pk}/selection/pool.zip"
    assert draw["result_entry"] == latest_entry(RESULT, selection.pk).seq  # type: ignore[union-attr]
    assert Api().get(f"/panels/{setup.panel.pk}").json()["draw"] == "done"


def test_the_pool_files_are_not_offered_once_the_registration_data_are_deleted() -> None:
    """The website answers 410 for the pool files after the purge: the draw gives no address,
    and keeps its counts and the command for anyone who downloaded them (decision 0131)."""
    setup = _registered(retention_days=30)
    _select(setup, seed=7)
    advance(setup, Phase.CLOSED)
    path = f"/panels/{setup.panel.pk}/selection"
    before = Api().get(path).json()["selection"]["draw"]
    assert before["pool_export"] == f"/panels/{setup.panel.pk}/selection/pool.zip"
    assert Client().get(before["pool_export"]).status_code == 200

    actions.registration_data_purge(today=timezone.localdate() + dt.timedelta(days=30))

    after = Api().get(path).json()["selection"]["draw"]
    assert after["pool_export"] is None
    assert Client().get(before["pool_export"]).status_code == 410
    assert {k: v for k, v in after.items() if k != "pool_export"} == {
        k: v for k, v in before.items() if k != "pool_export"
    }


def test_replacement_draws_are_reported_with_their_own_seeds() -> None:
    setup = _registered()
    first = _select(setup, seed=3)
    members = list(Registrant.objects.filter(pk__in=first.members).order_by("pk"))
    actions_selection.registrant_respond(registrant=members[0], by=setup.staff, confirm=False)
    committed = actions_selection.replacements_commit(selection=first, by=setup.staff, seed=99)
    path = f"/panels/{setup.panel.pk}/selection"
    [waiting] = Api().get(path).json()["selection"]["replacement_draws"]
    assert waiting["seed_sha256"] == seed_digest("99")
    assert waiting["seed"] is None
    assert waiting["replacements"] is None
    run_selection(committed.pk)
    body = Api().get(path).json()["selection"]
    assert body["seed"] == "3"  # the report is about the first draw
    [drawn] = body["replacement_draws"]
    assert drawn["seed"] == "99"
    assert drawn["replacements"] == 1


# --- Recommendations and their answers -----------------------------------------------------------


def test_recommendations_show_the_vote_and_the_answer_not_drafts() -> None:
    world = _deliberating()
    path = f"/panels/{world.setup.panel.pk}/recommendations"
    page = Api().get(path).json()
    assert page["count"] == 1
    [item] = page["items"]
    assert item["id"] == world.passed.pk
    assert item["status"] == "published"
    assert item["vote"]["support_count"] == 4
    assert item["vote"]["against_count"] == 1
    assert item["vote"]["support_percent"] == 80
    assert item["vote"]["threshold"] == 80
    assert item["vote"]["members_count"] == 5
    assert item["contribution"] == world.passed.contribution_id
    answer = item["answer"]
    assert answer["status"] == "waiting"
    assert answer["next_statuses"] == ["accepted", "accepted_in_part", "not_accepted"]
    assert answer["responses"] == []
    assert answer["overdue"] is False
    assert answer["answer_due"] == world.passed.answer_due.isoformat()  # type: ignore[union-attr]
    not_passed = Api().get(path, {"status": "not_passed"}).json()["items"]
    assert [(r["id"], r["answer"], r["contribution"]) for r in not_passed] == [
        (world.failed.pk, None, None)
    ]
    assert not_passed[0]["vote"]["support_count"] == 2
    shown = json.dumps([page, not_passed])
    assert "More benches" not in shown  # a draft
    assert world.members[0].email not in shown  # who drafted it is never shown
    assert world.members[0].name not in shown


def test_staff_answer_through_the_contributions_api_and_move_the_status_here() -> None:
    world = _deliberating()
    staff = _api(world.setup.staff)
    contribution = world.passed.contribution_id
    answered = staff.post(
        f"/contributions/{contribution}/responses", {"body": "We will open until 10pm from May."}
    )
    assert answered.status_code == 201, answered.content
    status_path = f"/panel-recommendations/{world.passed.pk}/status"
    refused = staff.post(status_path, {"to_status": "accepted_in_part"})
    assert refused.status_code == 422
    assert [(i["loc"], i["type"]) for i in refused.json()["detail"]] == [
        (["body", "reason"], "rule")
    ]
    moved = staff.post(status_path, {"to_status": "accepted"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["answer"]["status"] == "accepted"
    impossible = staff.post(status_path, {"to_status": "not_accepted", "reason": "Too late."})
    assert [i["loc"] for i in impossible.json()["detail"]] == [["body", "to_status"]]
    assert staff.post(status_path, {"to_status": "in_progress"}).status_code == 200
    [item] = Api().get(f"/panels/{world.setup.panel.pk}/recommendations").json()["items"]
    answer = item["answer"]
    assert answer["status"] == "in_progress"
    assert answer["next_statuses"] == ["done"]
    assert [(c["from_status"], c["to_status"]) for c in answer["status_history"]] == [
        ("waiting", "accepted"),
        ("accepted", "in_progress"),
    ]
    assert [r["body"] for r in answer["responses"]] == ["We will open until 10pm from May."]
    # The contribution shows the same answer.
    spine_view = Api().get(f"/contributions/{contribution}").json()
    assert spine_view["panel_recommendation"]["title"] == "Open later"
    assert [r["body"] for r in spine_view["responses"]] == ["We will open until 10pm from May."]


def test_a_not_accepted_recommendation_keeps_its_reason() -> None:
    world = _deliberating()
    moved = _api(world.setup.staff).post(
        f"/panel-recommendations/{world.passed.pk}/status",
        {"to_status": "not_accepted", "reason": "The building closes at 8pm."},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["answer"]["status_reason"] == "The building closes at 8pm."
    assert moved.json()["answer"]["next_statuses"] == []
    world.passed.contribution.refresh_from_db()  # type: ignore[union-attr]
    assert world.passed.contribution.status == AnswerStatus.NOT_ACCEPTED  # type: ignore[union-attr]


def test_who_may_move_an_answer() -> None:
    world = _deliberating()
    path = f"/panel-recommendations/{world.passed.pk}/status"
    body = {"to_status": "accepted"}
    assert Api().post(path, body).status_code == 401
    assert _api(UserFactory()).post(path, body).status_code == 403
    assert _api(world.members[0]).post(path, body).status_code == 403
    # Not passed: there is nothing to answer (a rule for staff); a draft is not shown to others.
    staff = _api(world.setup.staff)
    failed = staff.post(f"/panel-recommendations/{world.failed.pk}/status", body)
    assert failed.status_code == 422
    assert failed.json()["detail"][0]["type"] == "rule"
    assert _api(UserFactory()).post(
        f"/panel-recommendations/{world.draft.pk}/status", body
    ).status_code == (404)
    assert staff.post(f"/panel-recommendations/{world.draft.pk}/status", body).status_code == 422
    assert staff.post("/panel-recommendations/2000000000/status", body).status_code == 404


def test_an_overdue_answer_is_flagged() -> None:
    world = _deliberating()
    Recommendation.objects.filter(pk=world.passed.pk).update(answer_due="2020-01-01")
    [item] = Api().get(f"/panels/{world.setup.panel.pk}/recommendations").json()["items"]
    assert item["answer"]["overdue"] is True
    spine.response_create(
        contribution=world.passed.contribution,  # type: ignore[arg-type]
        author=world.setup.staff,
        body="We are sorry for the delay: yes, from May.",
    )
    [item] = Api().get(f"/panels/{world.setup.panel.pk}/recommendations").json()["items"]
    assert item["answer"]["overdue"] is False


# --- Registration data never appear --------------------------------------------------------------

SECRETS = {
    "name": "Zebedee Quartermaine",
    "email": "zebedee.quartermaine@example.org",
    "phone": "07700 900 417",
    "availability": "Tuesday evenings after my dialysis",
    "access_notes": "I bring my assistance dog Biscuit",
}


def _panel_operations() -> list[str]:
    return [
        path.removeprefix("/api")
        for path, item in api.get_openapi_schema()["paths"].items()
        if "get" in item and path.startswith(("/api/panels", "/api/panel-"))
    ]


def test_registration_data_never_appear_in_any_panels_api_answer() -> None:
    """Whoever asks, at every phase: no name, email, phone, availability or access need."""
    setup = _registered(12)
    for n, answers in enumerate(small_pool(6)):
        register(setup, answers, **{k: f"{v} {n}" for k, v in SECRETS.items() if k != "email"})
    register(setup, {"Age": "40+", "Area": "North"}, **SECRETS)
    readers = [
        Api(),
        _api(UserFactory()),
        _api(setup.staff),
        _api(UserFactory(is_superuser=True)),
    ]
    operations = _panel_operations()
    assert operations == [
        "/panels",
        "/panels/{panel_id}",
        "/panels/{panel_id}/selection",
        "/panels/{panel_id}/recommendations",
    ]

    def everything() -> str:
        answers = []
        for reader in readers:
            for path in operations:
                for params in ({}, {"status": "not_passed"}):
                    response = reader.get(path.replace("{panel_id}", str(setup.panel.pk)), params)
                    assert response.status_code == 200, (path, response.content)
                    answers.append(response.content.decode())
        return "\n".join(answers)

    seen = [everything()]
    first = _select(setup)
    leaving = Registrant.objects.get(pk=first.members[0])
    actions_selection.registrant_respond(registrant=leaving, by=setup.staff, confirm=False)
    run_selection(actions_selection.replacements_commit(selection=first, by=setup.staff, seed=5).pk)
    seen.append(everything())
    _deliberating(setup)
    seen.append(everything())
    shown = "\n".join(seen).lower()
    assert setup.panel.registrants.count() == 19
    for secret in (*SECRETS.values(), "biscuit", "dialysis", "step-free"):
        assert secret.lower() not in shown, secret
    assert "zebedee" not in shown
    # They are stored, so the test would see them if any answer showed them.
    assert setup.panel.registrants.filter(data__name=SECRETS["name"]).exists()


def test_the_schemas_panel_phases_are_the_models() -> None:
    from coproduce.api.panels import PanelPhase
    from coproduce.panels.models import Phase

    assert [phase.value for phase in PanelPhase] == list(Phase.values)
