"""The public pages of a citizen panel: the panel, registration with a code (and the open link),
a registrant's own page, the selection report, the pool export and "How were you chosen?"."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from coproduce.panels import actions, actions_selection, queries
from coproduce.panels.models import (
    PREFER_NOT_TO_SAY,
    Phase,
    Registrant,
    RegistrantStatus,
    RegistrationData,
    Selection,
)
from coproduce.panels.pool import export_pool
from coproduce.panels.tasks import run_selection
from coproduce.panels.tests.factories import (
    PanelSetup,
    advance,
    make_panel,
    make_pool,
    register,
    small_pool,
)
from coproduce.panels.tokens import my_place_path, my_place_token
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

HEADER = "property_reference,address_line_1,postcode,area\n"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def _text(response: Any) -> str:
    return str(response.content.decode())


def _url(name: str, setup: PanelSetup) -> str:
    return reverse(f"panels:{name}", args=[setup.panel.pk])


def with_codes(
    count: int = 3, *, categories: Sequence[dict[str, Any]] = (), **fields: Any
) -> tuple[PanelSetup, list[str]]:
    """A panel open for registration whose letters carry ``count`` codes, with ``categories``
    (``category_add``'s arguments) added before registration opened."""
    setup = make_panel(phase=Phase.INVITATIONS, **fields)
    for category in categories:
        actions.category_add(panel=setup.panel, by=setup.staff, **category)
    rows = "".join(f"P{n:03d},{n} High Street,NF1 {n}AB,North\n" for n in range(count + 2))
    actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=HEADER + rows, source="addresses.csv"
    )
    drawn = actions_selection.invitations_draw(
        panel=setup.panel, by=setup.staff, count=count, seed=7
    )
    advance(setup, Phase.REGISTRATION)
    return setup, [str(invitation.registration_code) for invitation in drawn]


def answers_post(setup: PanelSetup, answers: dict[str, str], **fields: str) -> dict[str, Any]:
    """The registration form's POST: contact details, the quota answers by category, consent."""
    data: dict[str, Any] = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "phone": "07700 900123",
        "availability": "Saturdays",
        "access_needs": ["bsl", "travel"],
        "access_notes": "",
        "consent": "on",
    }
    for category in setup.panel.categories.all():
        if category.name in answers:
            data[f"category_{category.pk}"] = answers[category.name]
    data.update(fields)
    return data


def select(setup: PanelSetup, seed: int = 42) -> Selection:
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=seed)
    actions_selection.selection_start(selection=committed, by=setup.staff)
    selection = run_selection(committed.pk)
    assert selection is not None
    return selection


# --- The panel and the activity page -----------------------------------------------------------


def test_the_panel_page_shows_question_size_dates_and_the_register_button() -> None:
    setup, _codes = with_codes(registration_closes_on="2027-01-31")
    page = _text(Client().get(_url("panel_detail", setup)))
    assert "How should the neighbourhood be policed?" in page
    assert "The panel has 4 members" in page
    assert "Closes on 31 January 2027" in page
    assert _url("register", setup) in page
    assert reverse("panels:how_chosen") in page
    assert _url("selection_report", setup) not in page  # nothing committed yet


def test_the_panel_page_has_no_register_button_before_registration() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    page = _text(Client().get(_url("panel_detail", setup)))
    assert "has not opened yet" in page
    assert _url("register", setup) not in page


def test_a_draft_activity_s_panel_pages_are_404_for_the_public() -> None:
    setup, codes = with_codes()
    setup.panel.activity.state = ActivityState.DRAFT
    setup.panel.activity.save(update_fields=["state"])
    client = Client()
    for name in ("panel_detail", "register", "registered", "selection_report", "pool_export"):
        assert client.get(_url(name, setup)).status_code == 404, name
    response = client.post(_url("register", setup), {"step": "code", "code": codes[0]})
    assert response.status_code == 404
    staff = Client()
    staff.force_login(setup.staff)
    assert staff.get(_url("panel_detail", setup)).status_code == 200


def test_the_take_part_snippet_copes_with_an_activity_without_a_panel() -> None:
    activity = ActivityFactory(kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.OPEN)
    html = render_to_string(
        "panels/_take_part.html",
        {"activity": activity, "service": activity.service, "can_manage": False},
    )
    assert "For now, this activity runs offline" in html
    setup, _codes = with_codes()
    html = render_to_string(
        "panels/_take_part.html",
        {"activity": setup.panel.activity, "service": setup.panel.activity.service},
    )
    assert _url("register", setup) in html


# --- Registration with a code ------------------------------------------------------------------


def test_registering_with_a_code_keeps_the_data_apart_and_emails_the_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, codes = with_codes(selection_on="2027-02-14")
    client = Client()
    page = _text(client.get(_url("register", setup)))
    assert 'name="code"' in page
    typed = f"{codes[0][:4].lower()} {codes[0][4:]}"  # as someone might type it from a letter
    response = client.post(_url("register", setup), {"step": "code", "code": typed})
    assert response.status_code == 302
    page = _text(client.get(_url("register", setup)))
    assert "Why we ask" in page
    assert "Who sees your answers" in page
    # What the pool files publish is said before anyone answers (decision 0135).
    assert "your answers to these questions are published without your name" in page
    assert "never published or shared. The lottery" not in page
    assert "90 days after the panel ends" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("register", setup), answers_post(setup, {"Age": "40+", "Area": "North"})
        )
    assert response.status_code == 302
    assert response["Location"] == _url("registered", setup)
    registrant = Registrant.objects.get()
    assert registrant.registration_code == codes[0]
    assert registrant.external_id == f"R{registrant.pk}"
    data = RegistrationData.objects.get(registrant=registrant)
    assert data.answers == {"Age": "40+", "Area": "North"}
    assert data.email == "ada@example.org"
    assert data.access_needs == ["bsl", "travel"]
    assert data.consented_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert my_place_path(registrant) in mail.outbox[0].body
    assert "14 February 2027" in mail.outbox[0].body
    page = _text(client.get(_url("registered", setup)))
    assert my_place_path(registrant) in page
    assert "14 February 2027" in page


def test_a_second_click_or_tab_after_registering_shows_the_thank_you_page() -> None:
    setup, codes = with_codes()
    client = Client()
    client.post(_url("register", setup), {"step": "code", "code": codes[0]})
    form_page = client.get(_url("register", setup))
    other_tab = client.get(_url("register", setup))  # a second copy of the form, its own token
    sent = answers_post(setup, {"Age": "40+", "Area": "North"})
    for page in (form_page, other_tab):
        token = page.context["form"]["one_time_token"].value()
        response = client.post(_url("register", setup), {**sent, "one_time_token": token})
        assert response.status_code == 302
        assert response["Location"] == _url("registered", setup)
    assert Registrant.objects.count() == 1
    # Another browser without the code is still asked for it.
    response = Client().post(_url("register", setup), sent)
    assert response.status_code == 200
    assert 'name="code"' in _text(response)


def test_a_used_code_is_refused_with_a_clear_message() -> None:
    setup, codes = with_codes()
    register(setup, {"Age": "40+", "Area": "North"}, code=codes[1])
    response = Client().post(_url("register", setup), {"step": "code", "code": codes[1]})
    assert response.status_code == 200
    assert "Someone has already registered with this code" in _text(response)
    assert Registrant.objects.count() == 1


def test_wrong_codes_are_rate_limited_and_right_ones_do_not_count(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "panel_code_attempt": "3/10m/ip",
    }
    setup, codes = with_codes()
    client = Client()
    for _attempt in range(4):  # right codes are not counted against the limit
        response = client.post(_url("register", setup), {"step": "code", "code": codes[0]})
        assert response.status_code == 302
    for _attempt in range(3):
        response = client.post(_url("register", setup), {"step": "code", "code": "WRONG234"})
        assert response.status_code == 200
        assert "This code is not right" in _text(response)
    response = client.post(_url("register", setup), {"step": "code", "code": codes[0]})
    assert response.status_code == 429
    assert "too many wrong codes" in _text(response)


def test_missing_answers_show_field_errors_and_keep_what_was_typed() -> None:
    disability = {"name": "Disability", "values": ["Yes", "No"], "allow_prefer_not_to_say": True}
    setup, codes = with_codes(categories=[disability])
    client = Client()
    client.post(_url("register", setup), {"step": "code", "code": codes[0]})
    page = _text(client.get(_url("register", setup)))
    assert page.count(f'value="{PREFER_NOT_TO_SAY}"') == 1  # only where the category allows it
    data = answers_post(setup, {"Area": "South"}, name="Grace Hopper", availability="Mondays")
    del data["consent"]
    response = client.post(_url("register", setup), data)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert "Choose an answer for “Age”." in page
    assert "Choose an answer for “Disability”." in page
    assert "Say that you agree to how we use your answers." in page
    assert 'value="Grace Hopper"' in page
    assert "Mondays" in page
    assert 'value="South" checked' in page
    assert 'value="bsl" checked' in page
    assert not Registrant.objects.exists()


def test_contact_needs_an_email_or_a_phone(django_capture_on_commit_callbacks: Any) -> None:
    setup, codes = with_codes()
    client = Client()
    client.post(_url("register", setup), {"step": "code", "code": codes[0]})
    data = answers_post(setup, {"Age": "40+", "Area": "North"}, email="", phone="")
    page = _text(client.post(_url("register", setup), data))
    assert "Give an email address or a phone number" in page
    data = answers_post(setup, {"Age": "40+", "Area": "North"}, email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("register", setup), data).status_code == 302
    assert RegistrationData.objects.get().phone == "07700 900123"
    assert mail.outbox == []  # no email address, no email: the thank-you page has the link


def test_registration_closed_shows_no_form() -> None:
    setup = make_panel(phase=Phase.INVITATIONS)
    page = _text(Client().get(_url("register", setup)))
    assert "Registration for this panel has not opened yet" in page
    assert "<form" not in page.split('id="main-content"')[-1]
    setup, _ = make_pool(small_pool(6))  # at selection: registration has closed
    response = Client().post(_url("register", setup), {"step": "code", "code": "ABCDEFGH"})
    assert response.status_code == 200
    assert "Registration for this panel has closed" in _text(response)


def test_volunteers_register_through_the_open_link_only_where_allowed() -> None:
    setup, _codes = with_codes(allow_volunteers=True)
    client = Client()
    assert 'id="without-code"' in _text(client.get(_url("register", setup)))
    url = _url("register", setup) + "?without_code=1"
    response = client.post(url, answers_post(setup, {"Age": "16-39", "Area": "South"}))
    assert response.status_code == 302
    assert Registrant.objects.get().registration_code is None
    closed, _codes = with_codes()
    page = _text(client.get(_url("register", closed) + "?without_code=1"))
    assert 'name="code"' in page
    assert 'id="without-code"' not in page


# --- A registrant's own page -------------------------------------------------------------------


def test_a_forged_or_altered_token_is_404() -> None:
    _setup, registrants = make_pool(small_pool(6))
    client = Client()
    good = my_place_token(registrants[0])
    assert client.get(reverse("panels:my_place", args=[good])).status_code == 200
    other_pk = str(registrants[1].pk)
    forged = other_pk + good[len(str(registrants[0].pk)) :]
    for token in (forged, "1:abc", "nonsense", good[:-1]):
        assert client.get(reverse("panels:my_place", args=[token])).status_code == 404, token


def test_the_own_page_shows_status_and_own_chance_after_the_draw() -> None:
    setup, registrants = make_pool(small_pool(12))
    client = Client()
    page = _text(client.get(my_place_path(registrants[0])))
    assert "waiting for the lottery" in page
    assert 'id="my-chance"' not in page
    selection = select(setup)
    for registrant in registrants:
        registrant.refresh_from_db()
        chance = queries.probability_of(registrant)
        assert chance is not None
        page = _text(client.get(my_place_path(registrant)))
        assert f"{chance * 100:.1f}%" in page
        if registrant.pk in selection.members:
            assert "Chosen for the panel" in page
            assert 'name="response"' in page
        else:
            assert "Not chosen this time" in page
            assert 'name="response"' not in page
        assert RegistrationData.objects.get(registrant=registrant).name not in page


def test_selected_people_confirm_or_decline_on_their_own_page() -> None:
    setup, registrants = make_pool(small_pool(12))
    selection = select(setup)
    first, second = Registrant.objects.filter(pk__in=selection.members)[:2]
    client = Client()
    response = client.post(my_place_path(first), {})
    assert "Choose whether you will take part." in _text(response)
    assert client.post(my_place_path(first), {"response": "confirm"}).status_code == 302
    assert client.post(my_place_path(second), {"response": "decline"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrantStatus.CONFIRMED
    assert second.status == RegistrantStatus.DECLINED
    assert "You told us you cannot take part" in _text(client.get(my_place_path(second)))
    client.post(my_place_path(second), {"response": "confirm"})  # no going back
    second.refresh_from_db()
    assert second.status == RegistrantStatus.DECLINED
    outsider = next(r for r in registrants if r.pk not in selection.members)
    client.post(my_place_path(outsider), {"response": "confirm"})
    outsider.refresh_from_db()
    assert outsider.status == RegistrantStatus.REGISTERED


# --- The selection report and the pool ---------------------------------------------------------


def test_the_report_shows_only_the_hash_before_the_draw_and_everything_after() -> None:
    setup, registrants = make_pool(small_pool(12))
    client = Client()
    assert "not been prepared yet" in _text(client.get(_url("selection_report", setup)))
    seed = 987654321987
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=seed)
    page = _text(client.get(_url("selection_report", setup)))
    assert committed.seed_hash in page
    assert "The seed will be revealed after the draw." in page
    assert str(seed) not in page
    assert client.get(_url("pool_export", setup)).status_code == 404
    actions_selection.selection_start(selection=committed, by=setup.staff)
    selection = run_selection(committed.pk)
    assert selection is not None
    page = _text(client.get(_url("selection_report", setup)))
    assert f'id="seed-revealed">{seed}<' in page
    assert committed.seed_hash in page
    assert f"--panel-size 4 --algorithm leximin --seed {seed}" in page
    assert _url("pool_export", setup) in page
    assert f'id="pool-size">{len(registrants)}<' in page
    for row in queries.report_rows(selection):
        assert f'<td class="govuk-table__cell">{row.value}</td>' in page
    detail = _text(client.get(_url("panel_detail", setup)))
    assert "the selection report" in detail


def test_the_report_lists_replacement_draws() -> None:
    setup, _registrants = make_pool(small_pool(12))
    first = select(setup, seed=8)
    leaving = Registrant.objects.get(pk=first.members[0])
    actions_selection.registrant_respond(registrant=leaving, by=setup.staff, confirm=False)
    draw = actions_selection.replacements_commit(selection=first, by=setup.staff, seed=55555)
    page = _text(Client().get(_url("selection_report", setup)))
    assert draw.seed_hash in page
    assert "Not drawn yet" in page
    run_selection(draw.pk)
    page = _text(Client().get(_url("selection_report", setup)))
    assert ">55555<" in page


def test_the_pool_zip_holds_the_pool_files_and_no_personal_data() -> None:
    setup, _registrants = make_pool(small_pool(12))
    select(setup, seed=31)
    response = Client().get(_url("pool_export", setup))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert names == {"pool/respondents.csv", "pool/categories.csv", "pool/README.txt"}
    text = "".join(archive.read(name).decode() for name in names)
    exported = export_pool(setup.panel)
    for name in ("respondents.csv", "categories.csv"):
        assert archive.read(f"pool/{name}").decode() == exported[name]
    assert "--seed 31" in archive.read("pool/README.txt").decode()
    for data in RegistrationData.objects.all():
        for private in (data.name, data.email, data.phone):
            assert private
            assert private not in text


def test_once_the_registration_data_are_deleted_the_pool_zip_is_gone_saying_when() -> None:
    """The pool files are made from the registration data; deleted with them, they are 410 Gone
    with a page saying when, never a 500, and the report keeps its counts (decision 0124)."""
    setup, _registrants = make_pool(small_pool(12), retention_days=30)
    selection = select(setup, seed=31)
    rows = queries.report_rows(selection)
    assert any(row.in_pool and row.selected for row in rows)
    advance(setup, Phase.CLOSED)
    client = Client()
    assert client.get(_url("pool_export", setup)).status_code == 200
    day = timezone.localdate() + dt.timedelta(days=30)
    assert actions.registration_data_purge(today=day) == 12

    response = client.get(_url("pool_export", setup))
    assert response.status_code == 410  # a 500 before decision 0124
    setup.panel.refresh_from_db()
    assert setup.panel.registration_data_deleted_on == day
    deleted_on = f"It was deleted on {date_format(day, 'j F Y')}, with the rest of the registration"
    assert response["Content-Type"].startswith("text/html")
    page = _text(response)
    assert '<h1 class="govuk-heading-l">The pool files have been deleted</h1>' in page
    assert deleted_on in page
    assert _url("selection_report", setup) in page

    report = _text(client.get(_url("selection_report", setup)))
    assert _url("pool_export", setup) not in report  # the link is hidden
    assert "Download the anonymised pool" not in report
    assert deleted_on in report
    assert f"--seed {selection.public_seed}" in report  # for anyone who downloaded it before
    selection.refresh_from_db()
    assert queries.report_rows(selection) == rows  # the counts, kept before the deletion


def test_a_pool_whose_answers_are_gone_without_a_date_is_gone_too() -> None:
    """Registration data deleted before the panel recorded the day: still no 500."""
    setup, _registrants = make_pool(small_pool(12))
    select(setup, seed=31)
    RegistrationData.objects.filter(registrant__panel=setup.panel).delete()
    response = Client().get(_url("pool_export", setup))
    assert response.status_code == 410
    assert "It was deleted with the rest of the registration data" in _text(response)


def test_how_were_you_chosen_is_public() -> None:
    page = _text(Client().get(reverse("panels:how_chosen")))
    assert "How were you chosen?" in page
    assert "fingerprint" in page
