"""The writes of a citizen panel's set-up: panel, quotas, address lists, the address draw and
registration."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.panels import actions, actions_selection
from coproduce.panels.models import (
    PREFER_NOT_TO_SAY,
    Invitation,
    Phase,
    Registrant,
    RegistrationData,
)
from coproduce.panels.pool import panel_quotas
from coproduce.panels.tests.factories import PanelSetup, advance, make_panel, register
from coproduce.services.models import ActivityKind
from coproduce.services.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

HEADER = "property_reference,address_line_1,address_line_2,postcode,area\n"


def addresses(count: int, areas: dict[str, int] | None = None) -> str:
    """An address list: ``areas`` maps an area to its number of addresses."""
    rows = []
    for area, size in (areas or {"": count}).items():
        for n in range(size):
            rows.append(f"{area or 'P'}{n:04d},{n} High Street,Northfield,NF1 {n % 9}AB,{area}")
    return HEADER + "\n".join(rows) + "\n"


def test_only_a_citizen_panel_activity_gets_a_panel_and_only_its_staff_make_it() -> None:
    other = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE)
    with pytest.raises(ValidationError):
        actions.panel_create(activity=other, by=None, question="?", size=4)
    activity = ActivityFactory(kind=ActivityKind.CITIZEN_PANEL)
    with pytest.raises(PermissionDenied):
        actions.panel_create(activity=activity, by=UserFactory(), question="?", size=4)


def test_prefer_not_to_say_gets_a_quota_of_nothing_to_everyone() -> None:
    setup = make_panel()
    actions.category_add(
        panel=setup.panel,
        by=setup.staff,
        name="Disability",
        values=["Yes", "No"],
        allow_prefer_not_to_say=True,
    )
    quotas = [q for q in panel_quotas(setup.panel) if q.feature == "Disability"]
    assert [(q.value, q.min, q.max) for q in quotas] == [
        ("Yes", 0, 4),
        ("No", 0, 4),
        (PREFER_NOT_TO_SAY, 0, 4),
    ]


def test_phases_move_one_step_and_closing_schedules_deletion() -> None:
    setup = make_panel(phase=Phase.REGISTRATION, allow_volunteers=True, retention_days=30)
    with pytest.raises(ValidationError):
        actions.phase_set(panel=setup.panel, by=setup.staff, phase=Phase.CLOSED)
    register(setup, {"Age": "40+", "Area": "North"})
    advance(setup, Phase.CLOSED)
    data = RegistrationData.objects.get()
    assert data.delete_after is not None
    assert (data.delete_after - timezone.localdate()).days == 30


# --- Address lists -----------------------------------------------------------------------------


def test_address_list_errors_name_their_lines_and_nothing_is_imported() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    text = (
        HEADER
        + "A1,1 High Street,,NF1 1AB,\n"  # line 2: fine
        + "A2,,,NF1 1AB,\n"  # line 3: no address
        + "A1,3 High Street,,NF1 1AB,\n"  # line 4: reference again
        + "A4,4 High Street,,,\n"  # line 5: no postcode
        + ",5 High Street,,NF1 1AB,\n"  # line 6: no reference
    )
    with pytest.raises(ValidationError) as caught:
        actions_selection.invitations_import(
            panel=setup.panel, by=setup.staff, text=text, source="list.csv"
        )
    messages = caught.value.messages
    assert [m.split(":")[0] for m in messages] == [
        "list.csv, line 3",
        "list.csv, line 4",
        "list.csv, line 5",
        "list.csv, line 6",
    ]
    assert "also on line 2" in messages[1]
    assert not Invitation.objects.exists()


def test_address_list_without_the_columns_is_refused_at_line_1() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    with pytest.raises(ValidationError, match=r"list\.csv, line 1"):
        actions_selection.invitations_import(
            panel=setup.panel, by=setup.staff, text="ref,street\nA1,High St\n", source="list.csv"
        )


def test_address_list_is_imported_once() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    count = actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=addresses(20), source="list.csv"
    )
    assert count == setup.panel.invitations.count() == 20
    first = setup.panel.invitations.get(property_reference="P0001")
    assert first.address_lines == ["1 High Street", "Northfield"]
    assert first.postcode == "NF1 1AB"
    with pytest.raises(ValidationError, match="imported before"):
        actions_selection.invitations_import(
            panel=setup.panel, by=setup.staff, text=addresses(20), source="list.csv"
        )


def _draw(areas: dict[str, int], count: int, seed: int, *, stratify: bool) -> list[str]:
    setup = make_panel(phase=Phase.INVITATIONS)
    actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=addresses(0, areas), source="list.csv"
    )
    drawn = actions_selection.invitations_draw(
        panel=setup.panel, by=setup.staff, count=count, seed=seed, stratify=stratify
    )
    return [invitation.property_reference for invitation in drawn]


@pytest.mark.parametrize("stratify", [False, True])
def test_the_address_draw_repeats_with_its_seed(stratify: bool) -> None:
    areas = {"East": 60, "West": 30, "Mill": 10}
    first = _draw(areas, 20, seed=2026, stratify=stratify)
    assert first == _draw(areas, 20, seed=2026, stratify=stratify)
    assert first != _draw(areas, 20, seed=2027, stratify=stratify)
    assert len(set(first)) == 20


def test_the_stratified_draw_gives_each_area_its_share() -> None:
    drawn = _draw({"East": 60, "West": 30, "Mill": 10}, 20, seed=7, stratify=True)
    per_area = {
        area: sum(ref.startswith(area) for ref in drawn) for area in ("East", "West", "Mill")
    }
    assert per_area == {"East": 12, "West": 6, "Mill": 2}


def test_drawn_addresses_get_unique_codes_and_others_none() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=addresses(30), source="l"
    )
    actions_selection.invitations_draw(panel=setup.panel, by=setup.staff, count=10, seed=1)
    codes = list(
        setup.panel.invitations.filter(drawn=True).values_list("registration_code", flat=True)
    )
    assert len(set(codes)) == 10
    assert all(code is not None and len(code) == 8 for code in codes)
    assert not setup.panel.invitations.filter(drawn=False, registration_code__isnull=False).exists()


# --- Registration ------------------------------------------------------------------------------


def _with_code(setup: PanelSetup) -> str:
    actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=addresses(5), source="l"
    )
    actions_selection.invitations_draw(panel=setup.panel, by=setup.staff, count=1, seed=1)
    advance(setup, Phase.REGISTRATION)
    code = setup.panel.invitations.get(drawn=True).registration_code
    assert code is not None
    return code


def test_a_code_registers_one_person_only() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    code = _with_code(setup)
    answers = {"Age": "16-39", "Area": "South"}
    registrant = register(setup, answers, code=code.lower())
    assert registrant.external_id == f"R{registrant.pk}"
    assert registrant.data.answers == answers
    assert registrant.data.consented_at is not None
    with pytest.raises(ValidationError, match="already registered"):
        register(setup, answers, code=code)
    with pytest.raises(ValidationError, match="not right"):
        register(setup, answers, code="NOPE2345")
    with pytest.raises(ValidationError, match="registration code"):
        register(setup, answers)  # no open link for volunteers
    assert Registrant.objects.count() == 1


def test_registration_needs_consent_and_known_answers() -> None:
    setup = make_panel(phase=Phase.REGISTRATION, allow_volunteers=True)
    with pytest.raises(ValidationError):
        register(setup, {"Age": "16-39", "Area": "South"}, consent=False)
    with pytest.raises(ValidationError):
        register(setup, {"Age": "16-39", "Area": "Elsewhere"})
    with pytest.raises(ValidationError):
        register(setup, {"Age": "16-39"})
    assert not Registrant.objects.exists()


def test_nothing_in_a_registrant_reveals_the_answers() -> None:
    setup = make_panel(phase=Phase.REGISTRATION, allow_volunteers=True)
    registrant = register(setup, {"Age": "40+", "Area": "North"}, name="Ffion Jones")
    values = {str(getattr(registrant, field.attname)) for field in Registrant._meta.concrete_fields}
    assert not values & {"40+", "North", "Ffion Jones"}


def test_registration_data_are_deleted_when_the_closed_panels_time_is_up() -> None:
    import datetime as dt

    from django.utils import timezone

    from coproduce.panels.models import RegistrationData
    from coproduce.panels.tests.factories import advance, make_pool, small_pool

    setup, registrants = make_pool(small_pool(6), retention_days=30)
    other, _others = make_pool(small_pool(6))
    advance(setup, Phase.CLOSED)
    today = timezone.localdate()
    assert actions.registration_data_purge(today=today + dt.timedelta(days=29)) == 0
    assert actions.registration_data_purge(today=today + dt.timedelta(days=30)) == len(registrants)
    assert not RegistrationData.objects.filter(registrant__panel=setup.panel).exists()
    assert setup.panel.registrants.count() == len(registrants)  # the pool ids stay
    setup.panel.refresh_from_db()
    other.panel.refresh_from_db()
    assert setup.panel.registration_data_deleted_on == today + dt.timedelta(days=30)
    assert other.panel.registration_data_deleted_on is None
    assert RegistrationData.objects.filter(registrant__panel=other.panel).count() == 6
    assert actions.registration_data_purge() == 0  # nothing due today
    assert RegistrationData.objects.filter(registrant__panel=other.panel).count() == 6
