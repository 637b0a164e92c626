"""The coordinators' pages of a citizen panel: who may use them, set-up and phases, quotas by hand
and from census shares, addresses and the draw of invitations, the mail-house file, registrants,
feasibility, and the selection from its committed seed to its replacements."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.panels import actions, actions_selection, rules
from coproduce.panels.models import (
    Feature,
    Invitation,
    Panel,
    Phase,
    Registrant,
    RegistrantStatus,
    Selection,
    SelectionStatus,
    seed_digest,
)
from coproduce.panels.tasks import run_selection
from coproduce.panels.tests.factories import (
    PanelSetup,
    advance,
    make_panel,
    make_pool,
    register,
    small_pool,
)
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

SEED = "918273645546372"
ADDRESSES = (
    "property_reference,address_line_1,address_line_2,postcode,area\n"
    "P001,1 High Street,Northtown,NF1 1AA,North\n"
    "P002,2 High Street,Northtown,NF1 1AB,North\n"
    "P003,3 Low Road,Southtown,SF2 2AA,South\n"
    "P004,4 Low Road,Southtown,SF2 2AB,South\n"
)


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(response: Any) -> str:
    return str(response.content.decode())


def _invited(count: int = 4) -> PanelSetup:
    """A panel in its invitations phase with the four addresses imported and ``count`` drawn."""
    setup = make_panel(phase=Phase.INVITATIONS, allow_volunteers=True)
    actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=ADDRESSES, source="test"
    )
    actions_selection.invitations_draw(panel=setup.panel, by=setup.staff, count=count, seed=7)
    return setup


def _committed() -> tuple[PanelSetup, Selection]:
    """A panel with letters sent, a pool of volunteers and a committed seed."""
    setup = _invited()
    advance(setup, Phase.REGISTRATION)
    for answers in small_pool():
        register(setup, answers)
    advance(setup, Phase.SELECTION)
    return setup, actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=SEED)


# --- Who may use the pages ---------------------------------------------------------------------


def _pages(setup: PanelSetup, selection: Selection) -> list[str]:
    pk = setup.panel.pk
    return [
        reverse("panels:manage", args=[pk]),
        *(
            reverse(f"panels:{name}", args=[pk])
            for name in (
                "panel_edit",
                "quotas",
                "census_import",
                "invitations",
                "mail_house_csv",
                "letters_pdf",
                "registrants",
                "feasibility",
                "selection",
            )
        ),
        reverse("panels:selection_status", args=[selection.pk]),
    ]


def test_each_page_serves_the_coordinators_and_refuses_everyone_else() -> None:
    setup, selection = _committed()
    other_staff = staff_of(ActivityFactory())  # a professional of another organisation
    staff, resident, other = _client(setup.staff), _client(UserFactory()), _client(other_staff)
    for url in _pages(setup, selection):
        assert staff.get(url).status_code == 200, url
        assert resident.get(url).status_code == 403, url
        assert other.get(url).status_code == 403, url
        assert _client().get(url)["Location"].startswith(reverse("account_login")), url
    phase_url = reverse("panels:phase_set", args=[setup.panel.pk])
    assert resident.post(phase_url, {"phase": Phase.DELIBERATION}).status_code == 403
    assert other.post(phase_url, {"phase": Phase.DELIBERATION}).status_code == 403
    assert staff.get(phase_url).status_code == 405  # POST only
    start = {"start": "1", "selection": selection.pk}
    assert other.post(reverse("panels:selection", args=[setup.panel.pk]), start).status_code == 403
    setup.panel.refresh_from_db()
    selection.refresh_from_db()
    assert setup.panel.phase == Phase.SELECTION
    assert selection.status == SelectionStatus.COMMITTED


def test_a_draft_panel_is_hidden_from_other_organisations() -> None:
    activity = ActivityFactory(kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.DRAFT)
    staff = staff_of(activity)
    panel = actions.panel_create(activity=activity, by=staff, question="Why?", size=4)
    other = _client(staff_of(ActivityFactory()))
    assert other.get(reverse("panels:manage", args=[activity.pk])).status_code == 404
    assert other.get(reverse("panels:quotas", args=[panel.pk])).status_code == 404
    assert _client(staff).get(reverse("panels:quotas", args=[panel.pk])).status_code == 200


# --- Set-up, settings and phases ---------------------------------------------------------------


def test_the_coordinator_sets_up_a_panel_then_sees_its_overview() -> None:
    activity = ActivityFactory(kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.OPEN)
    client = _client(staff_of(activity))
    url = reverse("panels:manage", args=[activity.pk])
    assert "Set up the citizen panel" in _page(client.get(url))
    response = client.post(url, {"question": "", "size": "0", "retention_days": "90"})
    page = _page(response)
    assert "There is a problem" in page
    assert not Panel.objects.exists()
    response = client.post(
        url, {"question": "How should we police the park?", "size": "24", "retention_days": "60"}
    )
    assert response["Location"] == url
    panel = Panel.objects.get(activity=activity)
    assert (panel.size, panel.retention_days, panel.phase) == (24, 60, Phase.SET_UP)
    page = _page(client.get(url))
    assert "How should we police the park?" in page
    assert "Move to the next phase: Invitations" in page
    assert reverse("panels:letters_pdf", args=[panel.pk]) not in page  # nothing drawn yet


def test_only_citizen_panel_activities_have_a_panel_page() -> None:
    activity = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    client = _client(staff_of(activity))
    assert client.get(reverse("panels:manage", args=[activity.pk])).status_code == 404


def test_the_phase_moves_one_step_and_a_skip_is_shown_on_the_page() -> None:
    setup = make_panel()
    client = _client(setup.staff)
    url = reverse("panels:phase_set", args=[setup.panel.pk])
    response = client.post(url, {"phase": Phase.SELECTION})
    assert response.status_code == 200
    assert "A panel moves one phase at a time, forward." in _page(response)
    assert client.post(url, {"phase": "nonsense"}).status_code == 200
    setup.panel.refresh_from_db()
    assert setup.panel.phase == Phase.SET_UP
    response = client.post(url, {"phase": Phase.INVITATIONS})
    assert response["Location"] == reverse("panels:manage", args=[setup.panel.pk])
    setup.panel.refresh_from_db()
    assert setup.panel.phase == Phase.INVITATIONS


def test_settings_change_and_the_size_is_fixed_from_the_selection() -> None:
    setup, _ = make_pool(small_pool())
    client = _client(setup.staff)
    url = reverse("panels:panel_edit", args=[setup.panel.pk])
    data = {"question": "A new question?", "size": "9", "retention_days": "30"}
    data |= {"closes_on_day": "1", "closes_on_month": "1", "closes_on_year": "2027"}
    data |= {"selection_on_day": "2", "selection_on_month": "1", "selection_on_year": "2027"}
    page = _page(client.post(url, data))
    assert "This date must come after the one above it." in page
    del data["selection_on_day"], data["selection_on_month"], data["selection_on_year"]
    assert client.post(url, data)["Location"] == reverse("panels:manage", args=[setup.panel.pk])
    setup.panel.refresh_from_db()
    assert (setup.panel.question, setup.panel.retention_days) == ("A new question?", 30)
    assert setup.panel.size == 4  # the size field is locked at the selection phase


# --- Quotas ------------------------------------------------------------------------------------


def test_categories_are_added_and_quotas_set_with_field_errors() -> None:
    setup = make_panel(quotas={})
    client = _client(setup.staff)
    url = reverse("panels:quotas", args=[setup.panel.pk])
    page = _page(client.post(url, {"new-name": "Tenure", "new-values": "Owner\nOwner"}))
    assert "Give the category its answers, each once." in page
    assert not setup.panel.categories.exists()
    client.post(url, {"new-name": "Tenure", "new-values": "Owner\nRenter\n"})
    category = setup.panel.categories.get()
    owner, renter = category.features.order_by("position")
    assert (owner.minimum, owner.maximum) == (0, setup.panel.size)
    prefix = f"c{category.pk}"
    bad = {
        "category": category.pk,
        f"{prefix}-min_{owner.pk}": "3",
        f"{prefix}-max_{owner.pk}": "2",
        f"{prefix}-min_{renter.pk}": "1",
        f"{prefix}-max_{renter.pk}": "x",
    }
    page = _page(client.post(url, bad))
    assert "The most members must be at least the fewest (3)." in page
    assert "Enter the most members answering “Renter” as a whole number, like 3." in page
    assert Feature.objects.get(pk=renter.pk).minimum == 0  # nothing half-saved
    good = bad | {f"{prefix}-max_{owner.pk}": "3", f"{prefix}-max_{renter.pk}": "2"}
    assert client.post(url, good)["Location"] == url
    owner.refresh_from_db()
    renter.refresh_from_db()
    assert (owner.minimum, owner.maximum, renter.minimum, renter.maximum) == (3, 3, 1, 2)


def test_after_the_draw_the_quotas_page_is_a_record() -> None:
    """No category form from registration on; no quota form once drawn; a page loaded before
    then says why nothing changed."""
    setup, _ = make_pool(small_pool(15))
    client = _client(setup.staff)
    url = reverse("panels:quotas", args=[setup.panel.pk])
    page = _page(client.get(url))
    assert "Add the category" not in page
    assert "Categories are added before registration opens" in page
    assert "Save the quotas of “Area”" in page
    response = client.post(url, {"new-name": "Tenure", "new-values": "Owner\nRenter"})
    assert response["Location"] == url
    assert "Categories are added before registration opens" in _page(client.get(url))
    assert not setup.panel.categories.filter(name="Tenure").exists()
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=11)
    actions_selection.selection_start(selection=committed, by=setup.staff)
    run_selection(committed.pk)
    page = _page(client.get(url))
    assert "Save the quotas of" not in page
    assert "The quotas are fixed once the panel is drawn" in page
    assert "2 to 2 members" in page  # North and South, as drawn
    category = setup.panel.categories.get(name="Area")
    north = category.features.get(value="North")
    post = {"category": category.pk, f"c{category.pk}-min_{north.pk}": "0"}
    assert client.post(url, post)["Location"] == url
    assert Feature.objects.get(pk=north.pk).minimum == 2


def test_census_shares_become_quotas_by_the_stated_rule() -> None:
    setup = make_panel(size=24)
    client = _client(setup.staff)
    url = reverse("panels:census_import", args=[setup.panel.pk])
    page = _page(client.get(url))
    assert "rounded down" in page
    assert "between 7 and 8 members" in page  # 30% of 24 is 7.2
    table = "category,feature,share\nAge,16-39,41.5%\nAge,40+,58.5%\n"
    upload = SimpleUploadedFile("census.csv", table.encode(), content_type="text/csv")
    response = client.post(url, {"upload": upload})
    assert response["Location"] == reverse("panels:quotas", args=[setup.panel.pk])
    young, old = Feature.objects.filter(category__name="Age").order_by("position")
    assert (young.minimum, young.maximum) == (9, 10)  # 0.415 × 24 = 9.96
    assert (old.minimum, old.maximum) == (14, 15)  # 0.585 × 24 = 14.04
    assert str(young.population_share) == "0.415000"


def test_a_census_table_with_a_bad_line_names_it_and_changes_nothing() -> None:
    setup = make_panel(size=24)
    client = _client(setup.staff)
    url = reverse("panels:census_import", args=[setup.panel.pk])
    before = list(Feature.objects.values_list("minimum", "maximum").order_by("pk"))
    table = (
        "category,feature,share\n"
        "Area,North,5200\n"
        "Area,South,4800\n"
        "Age,16-39,lots\n"
        "Age,40+,58.5\n"
        "Tenure,Owner,10\n"
    )
    page = _page(client.post(url, {"text": table}))
    assert "The pasted table, line 4: the share must be a number" in page
    assert "The pasted table, line 6: the panel has no category “Tenure”" in page
    assert list(Feature.objects.values_list("minimum", "maximum").order_by("pk")) == before
    page = _page(client.post(url, {"text": "category,feature,share\nArea,North,1\n"}))
    assert "Area has no share for South" in page
    page = _page(client.post(url, {"text": "area,share\nNorth,1\n"}))
    assert "line 1: the columns must be category, feature and share" in page
    assert "Paste the table or choose a CSV file." in _page(client.post(url, {"text": " "}))
    assert list(Feature.objects.values_list("minimum", "maximum").order_by("pk")) == before


# --- Invitations -------------------------------------------------------------------------------


def test_an_address_list_with_errors_names_the_lines_and_adds_nothing() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    client = _client(setup.staff)
    url = reverse("panels:invitations", args=[setup.panel.pk])
    bad = ADDRESSES + "P001,again,,NF1 1AA,North\n,5 Road,,SF2 2AC,South\n"
    page = _page(client.post(url, {"step": "import", "import-text": bad}))
    assert "line 6: the property reference P001 is also on line 2" in page
    assert "line 7: the property reference is empty" in page
    assert not Invitation.objects.exists()
    upload = SimpleUploadedFile("addresses.csv", ADDRESSES.encode(), content_type="text/csv")
    response = client.post(url, {"step": "import", "import-upload": upload})
    assert response["Location"] == url
    assert setup.panel.invitations.count() == 4


def test_addresses_are_drawn_with_a_seed_and_stratified_by_area() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=ADDRESSES, source="test"
    )
    client = _client(setup.staff)
    url = reverse("panels:invitations", args=[setup.panel.pk])
    page = _page(client.post(url, {"step": "draw", "draw-count": "9", "draw-seed": "5"}))
    assert "Draw between 1 and 4 addresses." in page
    page = _page(client.post(url, {"step": "draw", "draw-count": "2", "draw-seed": "five"}))
    assert "The seed must be a whole number" in page
    assert not setup.panel.invitations.filter(drawn=True).exists()
    data = {"step": "draw", "draw-count": "2", "draw-seed": "5", "draw-stratify": "on"}
    assert client.post(url, data)["Location"] == url
    drawn = list(setup.panel.invitations.filter(drawn=True))
    assert sorted(invitation.area for invitation in drawn) == ["North", "South"]
    page = _page(client.get(url))
    for invitation in drawn:
        assert invitation.registration_code
        assert invitation.registration_code in page
    assert reverse("panels:letters_pdf", args=[setup.panel.pk]) in page


def test_the_mail_house_file_has_the_address_code_and_registration_link(settings: Any) -> None:
    settings.SITE_URL = "https://panels.example"
    setup = _invited(count=3)
    response = _client(setup.staff).get(reverse("panels:mail_house_csv", args=[setup.panel.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "reference",
        "address_line_1",
        "address_line_2",
        "postcode",
        "registration_code",
        "registration_url",
        "link_with_code",
    ]
    drawn = {i.property_reference: i for i in setup.panel.invitations.filter(drawn=True)}
    assert {row["reference"] for row in rows} == set(drawn)
    register_url = "https://panels.example" + reverse("panels:register", args=[setup.panel.pk])
    for row in rows:
        invitation = drawn[row["reference"]]
        assert row["registration_code"] == invitation.registration_code
        assert row["postcode"] == invitation.postcode
        assert [row["address_line_1"], row["address_line_2"]] == invitation.address_lines
        assert row["registration_url"] == register_url
        assert row["link_with_code"] == f"{register_url}?code={invitation.registration_code}"


def test_letters_need_drawn_addresses() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    response = _client(setup.staff).get(reverse("panels:letters_pdf", args=[setup.panel.pk]))
    assert response["Location"] == reverse("panels:invitations", args=[setup.panel.pk])


# --- Registrants -------------------------------------------------------------------------------


def test_registration_data_are_shown_only_to_those_allowed(monkeypatch: Any) -> None:
    setup, people = make_pool(small_pool(3))
    url = reverse("panels:registrants", args=[setup.panel.pk])
    page = _page(_client(setup.staff).get(url))
    assert "resident1@example.org" in page
    assert "Resident 2" in page
    assert "step-free" in page
    assert "deleted 90 days after the panel closes" in page
    monkeypatch.setattr(rules, "can_view_registration_data", lambda user, panel: False)
    response = _client(setup.staff).get(url)
    page = _page(response)
    assert response["Cache-Control"] == "no-store"
    assert people[0].external_id in page
    for secret in ("resident1@example.org", "Resident 2", "07700", "step-free"):
        assert secret not in page
    assert "Only the panel’s coordinators see people’s answers" in page


# --- Feasibility -------------------------------------------------------------------------------


def test_feasibility_says_yes_or_explains_which_quotas_conflict() -> None:
    setup, _ = make_pool(small_pool())
    client = _client(setup.staff)
    url = reverse("panels:feasibility", args=[setup.panel.pk])
    page = _page(client.get(url))
    assert "Yes: a panel can be drawn" in page
    assert "Check again" in page
    north = Feature.objects.get(category__name="Area", value="North")
    actions.quota_set(feature=north, by=setup.staff, minimum=4, maximum=4)
    page = _page(client.get(url))
    assert "No: the quotas cannot all be met" in page
    assert "No panel from this pool meets every quota." in page
    # Six people in the North (small_pool: every other one); the South keeps its two seats.
    assert "Area: North – at least 4 members (6 people in the pool)" in page
    assert "Area: South – at least 2 members (6 people in the pool)" in page


# --- Selection ---------------------------------------------------------------------------------


def test_committing_a_seed_shows_its_hash_and_never_the_seed() -> None:
    setup, _ = make_pool(small_pool())
    client = _client(setup.staff)
    url = reverse("panels:selection", args=[setup.panel.pk])
    assert "LEXIMIN" in _page(client.get(url))
    page = _page(client.post(url, {"seed": "12ab", "algorithm": "leximin"}))
    assert "The seed must be a whole number" in page
    assert client.post(url, {"seed": "987654321", "algorithm": "leximin"})["Location"] == url
    selection = Selection.objects.get()
    assert selection.status == SelectionStatus.COMMITTED
    page = _page(client.get(url))
    assert seed_digest("987654321") in page
    assert "987654321" not in page
    assert "Revealed after the draw" in page
    assert "Start the draw" in page


def test_a_seed_is_refused_for_quotas_no_panel_meets() -> None:
    setup, _ = make_pool(small_pool())
    north = Feature.objects.get(category__name="Area", value="North")
    actions.quota_set(feature=north, by=setup.staff, minimum=4, maximum=4)
    url = reverse("panels:selection", args=[setup.panel.pk])
    page = _page(_client(setup.staff).post(url, {"seed": "5", "algorithm": "leximin"}))
    assert "No panel from this pool meets every quota." in page
    assert not Selection.objects.exists()


def test_the_draw_is_queued_then_its_status_shows_the_result(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, selection = _committed()
    client = _client(setup.staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("panels:selection", args=[setup.panel.pk]),
            {"start": "1", "selection": selection.pk},
        )
    assert len(callbacks) == 1  # the task is queued after the commit
    status_url = reverse("panels:selection_status", args=[selection.pk])
    assert response["Location"] == status_url
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.QUEUED
    page = _page(client.get(status_url))
    assert "Waiting to start" in page
    assert 'http-equiv="refresh"' in page
    assert f'hx-get="{status_url}"' in page
    assert SEED not in page.replace(seed_digest(SEED), "")
    fragment = _page(client.get(status_url, headers={"HX-Request": "true"}))
    assert fragment.startswith('<div id="selection-progress"')
    run_selection(selection.pk)
    page = _page(client.get(status_url))
    assert "http-equiv" not in page
    assert "hx-trigger" not in page
    assert "Members drawn" in page
    assert "Lowest chance of being drawn" in page
    assert SEED in page  # the seed is revealed with the result
    members = Registrant.objects.filter(status=RegistrantStatus.SELECTED)
    assert members.count() == setup.panel.size
    for member in members:
        assert member.external_id in page
        assert member.data.name in page
    assert "Nobody has dropped out" in page


def test_replacements_are_committed_for_people_who_dropped_out() -> None:
    setup, selection = _committed()
    actions_selection.selection_start(selection=selection, by=setup.staff)
    run_selection(selection.pk)
    member = Registrant.objects.filter(status=RegistrantStatus.SELECTED).first()
    assert member is not None
    actions_selection.registrant_respond(registrant=member, by=setup.staff, confirm=False)
    client = _client(setup.staff)
    status_url = reverse("panels:selection_status", args=[selection.pk])
    page = _page(client.get(status_url))
    assert "1 seat is empty" in page
    page = _page(client.post(status_url, {"replace-seed": "x"}))
    assert "The seed must be a whole number" in page
    response = client.post(status_url, {"replace-seed": "5647382910"})
    replacement = Selection.objects.get(replaces=selection)
    assert response["Location"] == reverse("panels:selection_status", args=[replacement.pk])
    page = _page(client.get(response["Location"]))
    assert "Replacements for people who dropped out" in page
    assert seed_digest("5647382910") in page
    assert "5647382910" not in page.replace(seed_digest("5647382910"), "")
    client.post(
        reverse("panels:selection", args=[setup.panel.pk]),
        {"start": "1", "selection": replacement.pk},
    )
    run_selection(replacement.pk)
    page = _page(client.get(response["Location"]))
    assert "Replacements drawn" in page
    assert Registrant.objects.filter(status=RegistrantStatus.REPLACEMENT).count() == 1


def test_the_quotas_page_names_the_groups_the_service_has_missed() -> None:
    """Equality monitoring's gaps feed the panel's quotas (issue 16): totals only."""
    from coproduce.equality.models import PopulationArea, ServicePopulation
    from coproduce.equality.tests.factories import population, took_part

    setup = make_panel(quotas={})
    service = setup.panel.activity.service
    url = reverse("panels:quotas", args=[setup.panel.pk])
    assert "Under-represented so far" not in _page(_client(setup.staff).get(url))
    for _ in range(12):
        took_part(setup.panel.activity, {"age": "75_plus"})
    area = PopulationArea.objects.create(
        organisation=service.organisation, code="E1", name="Northfield"
    )
    population(area, "age", {"16_24": 500, "75_plus": 100})
    ServicePopulation.objects.create(service=service, area=area)
    page = _page(_client(setup.staff).get(url))
    assert "Under-represented so far in this service’s activities" in page
    assert "Age: 16 to 24" in page
