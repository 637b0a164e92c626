"""Equality answers given with consent, encrypted, withdrawn; population figures imported;
the area a service is compared with."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql
from coproduce.contributions.tests.world import World, build_world
from coproduce.equality import actions
from coproduce.equality.models import (
    EqualityRecord,
    PopulationArea,
    PopulationCount,
    ServicePopulation,
    cipher,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def test_answers_need_consent_and_are_kept_encrypted() -> None:
    person = UserFactory()
    with pytest.raises(ValidationError) as error:
        actions.record_save(user=person, answers={"age": "16_24"}, consent=False)
    assert "consent" in error.value.message_dict
    assert not EqualityRecord.objects.exists()
    actions.record_save(
        user=person,
        answers={"age": "16_24", "sex": "male", "religion": "", "postcode_district": "b31 2ab"},
        consent=True,
    )
    record = EqualityRecord.objects.get()
    assert record.decrypted() == {"age": "16_24", "sex": "male", "postcode_district": "B31"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM equality_equalityrecord")
        (stored,) = cursor.fetchone()
    for plain in ("16_24", "male", "B31", "age"):
        assert plain not in stored
    assert record.consented_at is not None


def test_answers_are_replaced_not_added() -> None:
    person = UserFactory()
    actions.record_save(user=person, answers={"age": "16_24"}, consent=True)
    actions.record_save(user=person, answers={"sex": "female"}, consent=True)
    assert EqualityRecord.objects.get().decrypted() == {"sex": "female"}


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_keep_the_second() -> None:
    """A double submit: the second waits for the first and replaces its answers."""
    person = UserFactory()
    with in_progress(
        lambda: actions.record_save(user=person, answers={"age": "16_24"}, consent=True)
    ):
        second = Behind(
            lambda: actions.record_save(user=person, answers={"sex": "female"}, consent=True)
        )
    second.result()
    assert EqualityRecord.objects.get().decrypted() == {"sex": "female"}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"age": "17"}, "age"),
        ({"ethnic_group": "martian"}, "ethnic_group"),
        ({"nonsense": "x"}, "nonsense"),
        ({"postcode_district": "not a postcode"}, "postcode_district"),
    ],
)
def test_unknown_answers_are_refused(answers: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_save(user=UserFactory(), answers=answers, consent=True)
    assert field in error.value.message_dict
    assert not EqualityRecord.objects.exists()


@pytest.mark.parametrize(
    ("typed", "district"),
    [("B31", "B31"), ("b31 2ab", "B31"), ("SW1A1AA", "SW1A"), ("ec2r 8ah", "EC2R"), ("M1", "M1")],
)
def test_postcode_districts(typed: str, district: str) -> None:
    assert actions.district(typed) == district


def test_withdrawing_deletes_the_answers_and_so_does_deleting_the_account() -> None:
    person, other = UserFactory(), UserFactory()
    actions.record_save(user=person, answers={"age": "16_24"}, consent=True)
    actions.record_save(user=other, answers={"age": "75_plus"}, consent=True)
    assert actions.record_withdraw(user=person) is True
    assert actions.record_withdraw(user=person) is False
    assert EqualityRecord.objects.count() == 1
    User.objects.filter(pk=other.pk).delete()
    assert not EqualityRecord.objects.exists()


def test_rotation_encrypts_again_with_the_new_key(settings: object) -> None:
    person = UserFactory()
    actions.record_save(user=person, answers={"age": "25_34"}, consent=True)
    before = EqualityRecord.objects.get().answers
    new_key = Fernet.generate_key().decode()
    old_keys = list(settings.EQUALITY_KEYS)  # type: ignore[attr-defined]
    with override_settings(EQUALITY_KEYS=[new_key, *old_keys]):
        assert actions.records_rotate() == 1
        assert actions.records_rotate() == 0  # safe to run again
        record = EqualityRecord.objects.get()
        assert record.answers != before
        assert record.decrypted() == {"age": "25_34"}
    with override_settings(EQUALITY_KEYS=[new_key]):  # the old key can go
        assert EqualityRecord.objects.get().decrypted() == {"age": "25_34"}
    assert cipher() is not None


def test_nothing_of_equality_is_in_the_admin() -> None:
    registered = {model._meta.app_label for model in admin.site._registry}
    assert "equality" not in registered


# --- Population figures -------------------------------------------------------------------------

CSV = """area_code,category,value,count,area_name
E05011121,age,16_24,2710,Northfield
E05011121,age,25_34,3120,
e05011121,sex,male,11820,
E05011121,postcode_district,B31,24000,
"""


def test_an_import_creates_the_area_and_sets_its_figures(world: World) -> None:
    admin_user = world.people["org_admin"]
    assert (
        actions.population_import(
            organisation=world.owner, by=admin_user, text=CSV, source="ons.csv"
        )
        == 4
    )
    area = PopulationArea.objects.get()
    assert (area.code, area.name, area.organisation) == ("E05011121", "Northfield", world.owner)
    assert PopulationCount.objects.get(area=area, category="sex", value="male").count == 11820
    changed = "area_code,category,value,count\nE05011121,sex,male,11900\n"
    actions.population_import(organisation=world.owner, by=admin_user, text=changed, source="x")
    assert PopulationCount.objects.get(area=area, category="sex", value="male").count == 11900
    assert PopulationCount.objects.count() == 4


def test_an_import_names_every_problem_with_its_line_and_keeps_nothing(world: World) -> None:
    text = """area_code,category,value,count,area_name
E05011121,age,16_24,2710,Northfield
E05011121,colour,blue,3,
E05011121,age,99,3,
E05011121,sex,male,-4,
E05011121,postcode_district,B31 2AB,4,
E09999999,age,16_24,3,
"""
    with pytest.raises(ValidationError) as error:
        actions.population_import(
            organisation=world.owner, by=world.people["org_admin"], text=text, source="ons.csv"
        )
    messages = error.value.messages
    assert len(messages) == 5
    assert any(m.startswith("ons.csv, line 7: there is no area E09999999 yet") for m in messages)
    assert any(m.startswith("ons.csv, line 3: there is no category colour") for m in messages)
    assert any(m.startswith("ons.csv, line 4: 99 is not an answer of age") for m in messages)
    assert any(m.startswith("ons.csv, line 5: the count must be a whole number") for m in messages)
    assert any(
        m.startswith("ons.csv, line 6: B31 2AB is not a postcode district") for m in messages
    )
    assert not PopulationArea.objects.exists()
    assert not PopulationCount.objects.exists()


def test_a_district_typed_in_small_letters_is_the_district(world: World) -> None:
    admin_user = world.people["org_admin"]
    text = CSV + "E05011121,postcode_district,b32,50,\n"
    actions.population_import(organisation=world.owner, by=admin_user, text=text, source="x")
    districts = PopulationCount.objects.filter(category="postcode_district")
    assert sorted(districts.values_list("value", flat=True)) == ["B31", "B32"]
    again = CSV + "E05011121,postcode_district,b31,9,\n"  # B31 is on line 5
    with pytest.raises(ValidationError, match="line 6: the same figure is on line 5"):
        actions.population_import(organisation=world.owner, by=admin_user, text=again, source="x")


def test_a_count_in_other_digits_and_a_code_too_long_once_in_capitals_are_errors(
    world: World,
) -> None:
    admin_user = world.people["org_admin"]
    text = "area_code,category,value,count,area_name\nE05011121,age,16_24,\u00b2,Northfield\n"
    with pytest.raises(ValidationError, match="line 2: the count must be a whole number"):
        actions.population_import(organisation=world.owner, by=admin_user, text=text, source="x")
    with pytest.raises(ValidationError) as refused:
        actions.area_save(organisation=world.owner, by=admin_user, code="\u00df" * 11, name="X")
    assert refused.value.message_dict == {"code": ["The area code must be 20 characters or fewer."]}
    assert not PopulationArea.objects.exists()


def test_an_import_refuses_a_repeated_figure_and_a_bad_header(world: World) -> None:
    admin_user = world.people["org_admin"]
    repeated = CSV + "E05011121,age,16_24,1,\n"
    with pytest.raises(ValidationError, match="line 6: the same figure is on line 2"):
        actions.population_import(
            organisation=world.owner, by=admin_user, text=repeated, source="ons.csv"
        )
    with pytest.raises(ValidationError, match="line 1: the columns must be"):
        actions.population_import(
            organisation=world.owner, by=admin_user, text="a,b\n1,2\n", source="ons.csv"
        )


def test_only_the_organisations_staff_keep_its_figures(world: World) -> None:
    for role in ("resident", "facilitator", "other_professional"):
        with pytest.raises(PermissionDenied):
            actions.population_import(
                organisation=world.owner, by=world.people[role], text=CSV, source="x"
            )


def test_a_service_is_compared_only_with_its_own_organisations_areas(world: World) -> None:
    theirs = PopulationArea.objects.create(organisation=world.other, code="W1", name="Theirs")
    ours = PopulationArea.objects.create(organisation=world.owner, code="E1", name="Ours")
    manager = world.people["professional"]
    with pytest.raises(ValidationError):
        actions.service_area_set(service=world.service, by=manager, area=theirs)
    actions.service_area_set(service=world.service, by=manager, area=ours)
    assert ServicePopulation.objects.get().area == ours
    with pytest.raises(PermissionDenied):
        actions.service_area_set(service=world.service, by=world.people["facilitator"], area=None)
    actions.service_area_set(service=world.service, by=manager, area=None)
    assert not ServicePopulation.objects.exists()


def test_the_rotation_command(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    actions.record_save(user=UserFactory(), answers={"age": "25_34"}, consent=True)
    call_command("equality_rotate")
    assert "Encrypted 0 records again" in capsys.readouterr().out
