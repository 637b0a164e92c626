"""The pages: a person gives consent and answers, sees, changes and withdraws them; staff and the
public see totals only; population figures are imported from a file."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions.tests.world import World, build_world
from coproduce.equality.models import EqualityRecord, PopulationArea, ServicePopulation
from coproduce.equality.tests.factories import population, took_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_a_resident_consents_answers_sees_changes_and_withdraws() -> None:
    person = UserFactory()
    client = client_for(person)
    url = reverse("equality:mine")
    page = _page(client.get(url))
    assert "never shown with your name" in page
    assert "Prefer not to say" in page
    refused = _page(client.post(url, {"age": "16_24"}))
    assert "Tick the box to say you agree" in refused
    assert not EqualityRecord.objects.exists()
    done = client.post(url, {"age": "16_24", "disability": "prefer_not", "consent": "on"})
    assert done.status_code == 302
    page = _page(client.get(url))
    assert "16 to 24" in page
    assert "Prefer not to say" in page
    assert "Change your answers" in page
    form = _page(client.get(url + "?change=1"))
    assert 'value="16_24" checked' in form
    client.post(url, {"age": "25_34", "consent": "on"})
    assert EqualityRecord.objects.get().decrypted() == {"age": "25_34"}
    assert "Withdraw and delete my answers" in _page(client.get(reverse("equality:withdraw")))
    client.post(reverse("equality:withdraw"))
    assert not EqualityRecord.objects.exists()
    assert "Save my answers" in _page(client.get(url))


def test_a_visitor_is_asked_to_sign_in(client: Client) -> None:
    response = client.get(reverse("equality:mine"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _answered(world: World, count: int, answers: dict[str, str]) -> None:
    for _ in range(count):
        took_part(world.open_activity, answers)


def test_staff_and_the_public_see_totals_with_small_numbers_hidden(world: World) -> None:
    _answered(world, 30, {"age": "35_49", "ethnic_group": "white"})
    _answered(world, 4, {"age": "16_24", "ethnic_group": "black"})
    area = PopulationArea.objects.create(organisation=world.owner, code="E1", name="Northfield")
    population(area, "age", {"16_24": 200, "35_49": 300})
    ServicePopulation.objects.create(service=world.service, area=area)
    staff = _page(
        client_for(world.people["facilitator"]).get(
            reverse("equality:service_staff", args=[world.service.slug])
        )
    )
    public = _page(Client().get(reverse("equality:service_public", args=[world.service.slug])))
    for page in (staff, public):
        assert "34 people took part, with an account or through a confirmed survey answer" in page
        assert "Hidden" in page
        assert ">4<" not in page
        assert ">30<" not in page
        assert "Northfield" in page
    assert "Under-represented groups" in staff


def test_the_staff_service_page_shows_who_is_missing(world: World) -> None:
    _answered(world, 12, {"age": "75_plus"})
    area = PopulationArea.objects.create(organisation=world.owner, code="E1", name="Northfield")
    population(area, "age", {"16_24": 500, "75_plus": 100})
    ServicePopulation.objects.create(service=world.service, area=area)
    page = _page(
        client_for(world.people["professional"]).get(
            reverse("services:staff_service", args=[world.service.slug])
        )
    )
    assert "Under-represented so far" in page
    assert "Age: 16 to 24" in page


def test_staff_choose_an_area_of_their_own_organisation(world: World) -> None:
    ours = PopulationArea.objects.create(organisation=world.owner, code="E1", name="Ours")
    theirs = PopulationArea.objects.create(organisation=world.other, code="W1", name="Theirs")
    client = client_for(world.people["professional"])
    url = reverse("equality:service_area", args=[world.service.slug])
    client.post(url, {"area": theirs.pk})
    assert not ServicePopulation.objects.exists()
    client.post(url, {"area": ours.pk})
    assert ServicePopulation.objects.get().area == ours


def test_figures_are_imported_from_a_file_with_line_numbered_errors(world: World) -> None:
    client = client_for(world.people["org_admin"])
    url = reverse("equality:population_import", args=[world.owner.slug])
    bad = SimpleUploadedFile(
        "ons.csv", b"area_code,category,value,count,area_name\nE1,age,16_24,x,Ours\n"
    )
    page = _page(client.post(url, {"upload": bad}))
    assert "ons.csv, line 2: the count must be a whole number" in page
    good = SimpleUploadedFile(
        "ons.csv", b"area_code,category,value,count,area_name\nE1,age,16_24,200,Ours\n"
    )
    assert client.post(url, {"upload": good}).status_code == 302
    page = _page(client.get(reverse("equality:areas", args=[world.owner.slug])))
    assert "Ours" in page
    page = _page(client.get(reverse("equality:area_detail", args=[world.owner.slug, "e1"])))
    assert "16 to 24" in page
    assert "200" in page
    other = client_for(world.people["other_professional"])
    assert other.get(url).status_code == 403
