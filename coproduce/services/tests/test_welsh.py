"""Services and activities in English and Welsh: entered on the staff forms, stored by the actions,
shown in the visitor's language, and listed for staff while the Welsh is missing (decision 0025)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services import actions, pages
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db

# The page-wide note that some of the page is in English (common/_language_note.html).
NOTE = 'id="language-note"'
WELSH = {"Accept-Language": "cy"}


def fallback(text: str) -> str:
    return f'<span lang="en" data-untranslated>{text}</span>'


def admin_of(service: Service) -> Client:
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=service.organisation, role=Role.ADMIN)
    return client_for(user)


# --- Entering and storing ---------------------------------------------------------------------


def test_staff_create_and_edit_a_service_in_both_languages() -> None:
    user = UserFactory(mfa=True)
    membership = MembershipFactory(user=user, role=Role.ADMIN)
    client = client_for(user)
    form = client.get(reverse("services:service_create")).content.decode()
    assert "Name in Welsh (optional)" in form
    assert form.index("Service name") < form.index("Name in Welsh") < form.index("Summary")
    response = client.post(
        reverse("services:service_create"),
        {
            "organisation": membership.organisation.pk,
            "name": "Meals on wheels",
            "name_cy": "  Prydau ar glud  ",
            "summary": "Hot meals at home.",
            "summary_cy": "Prydau poeth gartref.",
            "policy_area": "social_care",
            "area_served": "Northfield",
        },
    )
    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.name_cy, service.summary_cy, service.description_cy) == (
        "Prydau ar glud",
        "Prydau poeth gartref.",
        "",
    )
    edit = reverse("services:service_edit", args=[service.slug])
    assert 'value="Prydau ar glud"' in client.get(edit).content.decode()
    data = {
        "name": "Meals on wheels",
        "name_cy": "",
        "summary": "Hot meals at home.",
        "summary_cy": "Prydau poeth gartref.",
        "description": "Every weekday.",
        "description_cy": "Bob dydd o'r wythnos.",
        "policy_area": "social_care",
        "area_served": "Northfield",
    }
    assert client.post(edit, data).status_code == 302
    service.refresh_from_db()
    assert (service.name_cy, service.description_cy) == ("", "Bob dydd o'r wythnos.")


def test_welsh_without_english_is_refused_on_the_welsh_field() -> None:
    service = ServiceFactory(description="")
    with pytest.raises(ValidationError) as refused:
        actions.service_update(service=service, description_cy="Bob dydd.")
    assert set(refused.value.message_dict) == {"description_cy"}
    client = admin_of(service)
    response = client.post(
        reverse("services:service_edit", args=[service.slug]),
        {
            "name": service.name,
            "summary": service.summary,
            "description_cy": "Bob dydd.",
            "policy_area": service.policy_area,
            "area_served": service.area_served,
        },
    )
    assert response.status_code == 200
    assert "Write this in English as well: the Welsh goes beside it." in response.content.decode()


def test_an_activity_refuses_welsh_without_english_on_the_welsh_field() -> None:
    service = ServiceFactory()
    client = client_for(staff_of(ActivityFactory(service=service), Role.FACILITATOR))
    response = client.post(
        reverse("services:activity_create", args=[service.slug]),
        {
            "stage": service.current_stage,
            "kind": ActivityKind.MEETING,
            "title": "Open evening",
            "summary": "Meet the team.",
            "how_to_take_part": "",
            "how_to_take_part_cy": "Nos Iau, 6pm.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_how_to_take_part_cy"' in page
    assert "Write this in English as well: the Welsh goes beside it." in page
    assert not Activity.objects.filter(title="Open evening").exists()


def test_staff_add_and_edit_an_activity_in_both_languages() -> None:
    service = ServiceFactory()
    user = staff_of(ActivityFactory(service=service), Role.FACILITATOR)
    client = client_for(user)
    form = client.get(reverse("services:activity_create", args=[service.slug])).content.decode()
    assert "Title in Welsh (optional)" in form
    assert "How to take part, in Welsh (optional)" in form
    assert "What came of it, in Welsh" not in form  # only once it is reported
    response = client.post(
        reverse("services:activity_create", args=[service.slug]),
        {
            "stage": service.current_stage,
            "kind": ActivityKind.MEETING,
            "title": "Open evening",
            "title_cy": "Noson agored",
            "summary": "Meet the team.",
            "summary_cy": "Dewch i gwrdd â'r tîm.",
            "how_to_take_part": "Thursdays, 6pm.",
            "how_to_take_part_cy": "Nos Iau, 6pm.",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Open evening")
    assert (activity.title_cy, activity.summary_cy, activity.how_to_take_part_cy) == (
        "Noson agored",
        "Dewch i gwrdd â'r tîm.",
        "Nos Iau, 6pm.",
    )
    edit = client.get(reverse("services:activity_edit", args=[activity.pk])).content.decode()
    assert 'value="Noson agored"' in edit


def test_the_welsh_outcome_is_written_when_reporting_and_can_be_added_later() -> None:
    activity = ActivityFactory(state=ActivityState.CLOSED)
    client = client_for(staff_of(activity))
    page = client.get(reverse("services:staff_activity", args=[activity.pk])).content.decode()
    assert "What came of it, in Welsh (optional)" in page
    response = client.post(
        reverse("services:activity_transition", args=[activity.pk]),
        {"to_state": ActivityState.REPORTED, "outcome": "We added two evenings.", "outcome_cy": ""},
    )
    assert response.status_code == 302
    edit_url = reverse("services:activity_edit", args=[activity.pk])
    form = client.get(edit_url).content.decode()
    assert "What came of it, in Welsh (optional)" in form
    assert '<span lang="en">' not in form  # an English page: the English hint needs no mark
    assert "We added two evenings." in form
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "summary": activity.summary,
        "how_to_take_part": activity.how_to_take_part,
        "outcome_cy": "Rydyn ni wedi ychwanegu dwy noson.",
    }
    assert client.post(edit_url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.outcome_cy == "Rydyn ni wedi ychwanegu dwy noson."


def test_reporting_stores_the_welsh_outcome_beside_the_english() -> None:
    activity = ActivityFactory(state=ActivityState.CLOSED)
    actions.activity_transition(
        activity=activity, to_state=ActivityState.REPORTED, outcome=" Done. ", outcome_cy=" Wedi. "
    )
    activity.refresh_from_db()
    assert (activity.outcome, activity.outcome_cy) == ("Done.", "Wedi.")


def test_the_home_search_finds_a_service_by_its_welsh_name() -> None:
    ServiceFactory(name="Community transport", name_cy="Trafnidiaeth gymunedol")
    page = Client().get(reverse("services:home"), {"q": "gymunedol"}).content.decode()
    assert "Community transport" in page


# --- Showing ----------------------------------------------------------------------------------


def test_pages_show_the_visitors_language_and_mark_the_english_where_welsh_is_missing() -> None:
    service = ServiceFactory(
        name="Recovery service",
        name_cy="Gwasanaeth adfer",
        summary="Help to recover.",
        summary_cy="Help i adfer.",
    )
    translated = ActivityFactory(
        service=service,
        kind=ActivityKind.MEETING,
        title="Open evening",
        title_cy="Noson agored",
        summary="Meet the team.",
        summary_cy="Dewch i gwrdd â'r tîm.",
        state=ActivityState.OPEN,
    )
    english_only = ActivityFactory(
        service=service, kind=ActivityKind.MEETING, title="Coffee morning", state=ActivityState.OPEN
    )
    client = Client()
    english = client.get(service.get_absolute_url()).content.decode()
    assert '<h1 class="govuk-heading-xl">Recovery service</h1>' in english
    assert "Noson agored" not in english
    assert NOTE not in english
    welsh = client.get(service.get_absolute_url(), headers=WELSH).content.decode()
    assert "<title>Gwasanaeth adfer – " in welsh
    assert "Gwasanaeth adfer</h1>" in welsh
    assert "Help i adfer." in welsh
    assert "Noson agored" in welsh
    assert fallback("Coffee morning") in welsh
    assert welsh.count(NOTE) == 1
    # The activity in Welsh in full needs no note; the English-only one is marked and noted.
    page = client.get(translated.get_absolute_url(), headers=WELSH).content.decode()
    assert "<title>Noson agored – " in page
    assert "Dewch i gwrdd â&#x27;r tîm." in page
    assert fallback(translated.how_to_take_part) in page
    page = client.get(english_only.get_absolute_url(), headers=WELSH).content.decode()
    assert "<title>Coffee morning – " in page  # a title holds no markup: the text alone
    assert fallback("Coffee morning") in page
    assert NOTE in page


def test_lists_and_the_home_page_follow_the_visitors_language() -> None:
    service = ServiceFactory(name="Recovery service", name_cy="Gwasanaeth adfer")
    ActivityFactory(service=service, title="Open evening", state=ActivityState.OPEN)
    client = Client()
    home = client.get(reverse("services:home"), headers=WELSH).content.decode()
    assert "Gwasanaeth adfer" in home
    assert fallback("Open evening") in home
    listed = client.get(reverse("services:activity_list", args=[service.slug]), headers=WELSH)
    assert fallback("Open evening") in listed.content.decode()


# --- What has no Welsh yet --------------------------------------------------------------------


def test_staff_see_what_has_no_welsh_and_where_to_write_it() -> None:
    service = ServiceFactory(name="Recovery service", name_cy="Gwasanaeth adfer")
    done = ActivityFactory(
        service=service,
        title="Open evening",
        title_cy="Noson agored",
        summary="Meet us.",
        summary_cy="Dewch i'n gweld.",
        how_to_take_part="",
    )
    missing = ActivityFactory(service=service, title="Coffee morning", how_to_take_part="")
    client = admin_of(service)
    staff_page = client.get(reverse("services:staff_service", args=[service.slug])).content
    assert "2 things have no Welsh yet" in staff_page.decode()
    page = client.get(reverse("services:staff_welsh", args=[service.slug])).content.decode()
    assert "What has no Welsh yet" in page
    assert "summary" in page  # the service's summary has none
    assert "Coffee morning" in page
    assert "Noson agored" not in page
    assert "Open evening" not in page
    assert reverse("services:service_edit", args=[service.slug]) in page
    assert reverse("services:activity_edit", args=[missing.pk]) in page
    assert done.pk not in [item.url for item in pages.missing_welsh(service)[:10]]
    # "Add the Welsh" comes back to the list once saved.
    edit = reverse("services:activity_edit", args=[missing.pk])
    back = reverse("services:staff_welsh", args=[service.slug])
    saved = client.post(
        f"{edit}?next={back}",
        {
            "kind": missing.kind,
            "title": missing.title,
            "title_cy": "Bore coffi",
            "summary": missing.summary,
            "summary_cy": "Dewch am baned.",
        },
    )
    assert saved["Location"] == back
    assert "Coffee morning" not in client.get(back).content.decode()


def test_the_list_is_paged(django_assert_max_num_queries: Any) -> None:
    service = ServiceFactory(name_cy="Gwasanaeth", summary_cy="Crynodeb")
    for n in range(23):
        ActivityFactory(service=service, title=f"Activity {n:02d}")
    client = admin_of(service)
    url = reverse("services:staff_welsh", args=[service.slug])
    with django_assert_max_num_queries(20):
        first = client.get(url).content.decode()
    assert "23 things have no Welsh yet" in first
    assert "Activity 00" in first
    assert "Activity 22" not in first
    last = client.get(url, {"page": 2}).content.decode()
    assert "Activity 22" in last


def test_everything_with_welsh_says_so() -> None:
    service = ServiceFactory(name_cy="Gwasanaeth", summary_cy="Crynodeb")
    client = admin_of(service)
    staff_page = client.get(reverse("services:staff_service", args=[service.slug])).content
    assert "Everything has Welsh" in staff_page.decode()
    assert "See what has no Welsh" not in staff_page.decode()
    page = client.get(reverse("services:staff_welsh", args=[service.slug])).content.decode()
    assert "Everything this service shows has Welsh." in page


def test_facilitators_see_what_an_activity_lacks_but_not_the_service_list() -> None:
    activity = ActivityFactory(title_cy="Noson agored")
    client = client_for(staff_of(activity, Role.FACILITATOR))
    page = client.get(reverse("services:staff_activity", args=[activity.pk])).content.decode()
    assert "No Welsh yet for: summary, how to take part" in page
    staff_page = client.get(reverse("services:staff_service", args=[activity.service.slug]))
    assert "See what has no Welsh" not in staff_page.content.decode()
