"""The framework's pages: the public standards and versions (drafts 404 for all but keepers), and
the staff pages that start, write and agree a version, with their errors and nothing lost on bad
input (decision 0081)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_framework as actions
from coproduce.assessment import queries_framework as queries
from coproduce.assessment.models import Framework, FrameworkVersion, Standard, VersionStatus
from coproduce.assessment.tests.factories import (
    add_standard,
    keeper_of,
    make_draft,
    make_framework,
    next_draft,
)
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services.models import Service
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _text(response: Any) -> str:
    """The page's words, without tags or repeated spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", _page(response)).split())


@pytest.fixture
def service() -> Service:
    return ServiceFactory(name="Community transport")


@pytest.fixture
def keeper(service: Service) -> Any:
    return keeper_of(service)


@pytest.fixture
def staff(keeper: Any) -> Client:
    return client_for(keeper)


def _standard_post(**extra: str) -> dict[str, str]:
    return {
        "theme": "Booking a journey",
        "theme_cy": "",
        "statement": "I can book at any time of day",
        "statement_cy": "",
        "evidence_prompt": "",
        "evidence_prompt_cy": "",
        **extra,
    }


def _outsiders(service: Service) -> dict[str, Client]:
    facilitator = UserFactory(mfa=True)
    MembershipFactory(user=facilitator, organisation=service.organisation, role=Role.FACILITATOR)
    other = UserFactory(mfa=True)
    MembershipFactory(user=other, role=Role.PROFESSIONAL)
    return {
        "anonymous": Client(),
        "resident": client_for(UserFactory()),
        "facilitator": client_for(facilitator),
        "other organisation": client_for(other),
    }


# --- The public page ------------------------------------------------------------------------------


def test_the_public_page_before_anything_is_agreed(service: Service, keeper: Any) -> None:
    url = reverse("assessment:framework", args=[service.slug])
    response = Client().get(url)
    assert response.status_code == 200
    assert "This service has not agreed its standards yet." in _page(response)
    draft = make_draft(service, keeper, count=2)
    page = _page(Client().get(url))
    assert "This service has not agreed its standards yet." in page
    statement = draft.standards.first()
    assert statement is not None
    assert statement.statement not in page


def test_the_public_page_shows_the_latest_agreed_standards_by_theme(
    service: Service, keeper: Any
) -> None:
    ann = UserFactory(name="Ann Jones", email="ann@example.org")
    first = make_framework(service, keeper, count=4, co_authors=[ann])
    url = reverse("assessment:framework", args=[service.slug])
    response = Client().get(url)
    text = _text(response)
    assert "Version 1" in text
    assert "Written with Ann Jones" in text
    assert "ann@example.org" not in text
    assert "How they were written Written with passengers at two workshops" in text
    assert text.index("Booking a journey") < text.index("I can book a journey without help")
    assert text.index("On the journey") < text.index("Staff treat me with respect")
    assert "What shows it: Think about the last time you booked." in text
    assert "true for them: Always, Mostly, Sometimes, Rarely, Never. They can also say" in text
    assert "Earlier versions" not in text
    assert "Keep the standards" not in text

    second = next_draft(first, keeper)
    add_standard(second, keeper, "The bus is clean", theme="On the journey")
    # A draft changes nothing on the public page.
    assert "The bus is clean" not in _text(Client().get(url))
    actions.version_agree(version=second, by=keeper, change_note="Passengers added one.")
    text = _text(Client().get(url))
    assert "Version 2" in text
    assert "What changed, and why Passengers added one." in text
    assert "The bus is clean New" in text
    assert "Earlier versions" in text
    assert reverse("assessment:version", args=[first.pk]) in _page(Client().get(url))
    assert "Keep the standards" in _text(client_for(keeper).get(url))


def test_a_draft_services_standards_are_hidden(keeper: Any) -> None:
    hidden = ServiceFactory(status="draft")
    response = Client().get(reverse("assessment:framework", args=[hidden.slug]))
    assert response.status_code == 404


# --- A version's page -----------------------------------------------------------------------------


def test_an_agreed_version_is_public_and_an_earlier_one_says_so(
    service: Service, keeper: Any
) -> None:
    first = make_framework(service, keeper, count=2)
    url = reverse("assessment:version", args=[first.pk])
    response = Client().get(url)
    assert response.status_code == 200
    assert "Standards, version 1" in _text(response)
    assert "This is an earlier version." not in _text(response)
    second = next_draft(first, keeper)
    actions.version_agree(version=second, by=keeper, change_note="Checked again.")
    text = _text(Client().get(url))
    assert "This is an earlier version. See the current standards (version 2)" in text


def test_a_draft_version_is_seen_only_by_its_keepers(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=1)
    url = reverse("assessment:version", args=[draft.pk])
    for who, client in _outsiders(service).items():
        assert client.get(url).status_code == 404, who
    response = client_for(keeper).get(url)
    assert response.status_code == 200
    assert "This version is a draft" in _text(response)
    assert client_for(UserFactory(is_superuser=True, is_staff=True)).get(url).status_code == 200


# --- Who may use the staff pages ------------------------------------------------------------------


def test_staff_pages_are_for_the_services_admins_and_professionals(
    service: Service, keeper: Any
) -> None:
    draft = make_draft(service, keeper, count=1)
    standard = draft.standards.get()
    urls = [
        reverse("assessment:manage_framework", args=[service.slug]),
        reverse("assessment:version_start", args=[service.slug]),
        reverse("assessment:version_edit", args=[draft.pk]),
        reverse("assessment:standard_add", args=[draft.pk]),
        reverse("assessment:standard_edit", args=[standard.pk]),
        reverse("assessment:standard_delete", args=[standard.pk]),
        reverse("assessment:version_agree", args=[draft.pk]),
    ]
    outsiders = _outsiders(service)
    for url in urls:
        assert outsiders["anonymous"].get(url).status_code == 302
        for who in ("resident", "facilitator", "other organisation"):
            assert outsiders[who].get(url).status_code == 403, (who, url)
        assert client_for(keeper).get(url).status_code in (200, 302), url
        assert client_for(keeper_of(service, Role.ADMIN)).get(url).status_code in (200, 302)
    # Staff without two-factor authentication set it up first.
    no_mfa = UserFactory(mfa=False)
    MembershipFactory(user=no_mfa, organisation=service.organisation, role=Role.PROFESSIONAL)
    response = client_for(no_mfa).get(urls[0])
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- Starting -------------------------------------------------------------------------------------


def test_starting_the_standards_and_a_new_version(
    service: Service, keeper: Any, staff: Client
) -> None:
    manage = reverse("assessment:manage_framework", args=[service.slug])
    start = reverse("assessment:version_start", args=[service.slug])
    assert "Start the standards" in _text(staff.get(manage))
    assert "Start the standards" in _text(staff.get(start))  # the confirm page
    response = staff.post(start)
    draft = FrameworkVersion.objects.get()
    assert response["Location"] == reverse("assessment:version_edit", args=[draft.pk])
    assert draft.number == 1
    # Sent again: the draft, not another version.
    response = staff.post(start, follow=True)
    assert FrameworkVersion.objects.count() == 1
    assert "Version 1 is a draft already" in _text(response)

    add_standard(draft, keeper, "I can book a journey without help")
    text = _text(staff.get(manage))
    assert "Version 1 (draft)" in text
    assert "Agree this version" in text
    assert "Start a new version" not in text
    actions.version_agree(version=draft, by=keeper, change_note="First.")
    text = _text(staff.get(manage))
    assert "Start a new version" in text
    assert "Version 1, agreed on" in text
    assert "copy of version 1 and its 1 standard" in _text(staff.get(start))
    staff.post(start)
    second = FrameworkVersion.objects.get(number=2)
    assert list(second.standards.values_list("statement", flat=True)) == [
        "I can book a journey without help"
    ]


# --- Standards of the draft -----------------------------------------------------------------------


def test_adding_a_standard_with_mistakes_keeps_what_was_written(
    service: Service, keeper: Any, staff: Client
) -> None:
    draft = make_draft(service, keeper, count=1)
    url = reverse("assessment:standard_add", args=[draft.pk])
    page = _text(staff.get(url))
    assert "Themes so far: Booking a journey." in page
    response = staff.post(url, _standard_post(statement="", evidence_prompt="Think of today"))
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert "Write the standard." in page
    assert "Think of today" in page
    response = staff.post(
        url,
        _standard_post(statement="I can book a journey WITHOUT help", statement_cy="Gallaf"),
    )
    page = _page(response)
    assert response.status_code == 200
    assert "The framework already has this standard." in page
    assert 'value="I can book a journey WITHOUT help"' in page
    assert 'value="Gallaf"' in page
    response = staff.post(url, _standard_post())
    assert response.status_code == 302
    added = draft.standards.get(statement="I can book at any time of day")
    assert response["Location"].endswith(f"#standard-{added.pk}")
    assert added.lineage == 2


def test_changing_and_removing_a_standard(service: Service, keeper: Any, staff: Client) -> None:
    draft = make_draft(service, keeper, count=2)
    first, second = draft.standards.order_by("position")
    url = reverse("assessment:standard_edit", args=[first.pk])
    assert f'value="{first.statement}"' in _page(staff.get(url))
    response = staff.post(url, _standard_post(statement=second.statement, theme_cy="Archebu"))
    assert "The framework already has this standard." in _page(response)
    assert 'value="Archebu"' in _page(response)
    response = staff.post(url, _standard_post(statement="I can book on my own"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.statement, first.lineage) == ("I can book on my own", 1)

    delete = reverse("assessment:standard_delete", args=[second.pk])
    assert f"Remove “{second.statement}”?" in _page(staff.get(delete))
    assert Standard.objects.filter(pk=second.pk).exists()
    response = staff.post(delete)
    assert response["Location"] == reverse("assessment:version_edit", args=[draft.pk])
    assert not Standard.objects.filter(pk=second.pk).exists()


def test_moving_a_standard_on_the_drafts_page(service: Service, keeper: Any, staff: Client) -> None:
    draft = make_draft(service, keeper, count=0)
    a = add_standard(draft, keeper, "A", theme="One")
    b = add_standard(draft, keeper, "B", theme="One")
    url = reverse("assessment:version_edit", args=[draft.pk])
    page = _page(staff.get(url))
    assert f'name="down" value="{a.pk}"' in page
    assert f'name="up" value="{a.pk}"' not in page
    response = staff.post(url, {"up": str(b.pk)})
    assert response["Location"] == f"{url}#standard-{b.pk}"
    assert [s.statement for s in queries.display_order(draft.standards.all())] == ["B", "A"]
    # Nonsense is ignored.
    assert staff.post(url, {"up": "x" * 30})["Location"] == url


def test_staff_pages_of_an_agreed_version_say_it_cannot_change(
    service: Service, keeper: Any, staff: Client
) -> None:
    agreed = make_framework(service, keeper, count=1)
    standard = agreed.standards.get()
    manage = reverse("assessment:manage_framework", args=[service.slug])
    for url in (
        reverse("assessment:version_edit", args=[agreed.pk]),
        reverse("assessment:standard_add", args=[agreed.pk]),
        reverse("assessment:standard_edit", args=[standard.pk]),
        reverse("assessment:standard_delete", args=[standard.pk]),
        reverse("assessment:version_agree", args=[agreed.pk]),
    ):
        response = staff.post(url, _standard_post(statement="Changed"), follow=True)
        assert response.redirect_chain[-1][0] == manage
        assert "Version 1 is agreed, so it cannot change." in _text(response)
    standard.refresh_from_db()
    assert standard.statement == "I can book a journey without help"
    assert Standard.objects.count() == 1


# --- Agreeing -------------------------------------------------------------------------------------


def test_agreeing_shows_the_standards_and_errors_keep_what_was_written(
    service: Service, keeper: Any, staff: Client
) -> None:
    draft = make_draft(service, keeper, count=3)
    ann = UserFactory(name="Ann Jones", email="ann@example.org")
    url = reverse("assessment:version_agree", args=[draft.pk])
    page = _text(staff.get(url))
    assert "The 3 standards you are agreeing" in page
    assert "I can book a journey without help" in page
    assert "How the standards were written" in page
    seen = queries.snapshot(draft)
    response = staff.post(
        url,
        {
            "change_note": "",
            "co_authors": "ann@example.org\nnobody@example.org\nnot-an-email",
            "seen": seen,
        },
    )
    page = _page(response)
    assert response.status_code == 200
    assert "Say how the standards were written." in page
    assert "“not-an-email” is not an email address." in page
    assert "ann@example.org\nnobody@example.org\nnot-an-email" in page
    response = staff.post(
        url,
        {"change_note": "We wrote them.", "co_authors": "ANN@example.org\nnobody@example.org"},
    )
    assert "Nobody has an account with the email address nobody@example.org." in _page(response)
    assert "We wrote them." in _page(response)
    assert FrameworkVersion.objects.get().status == VersionStatus.DRAFT

    response = staff.post(
        url, {"change_note": "Written with passengers.", "co_authors": "ann@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:framework", args=[service.slug])
    draft.refresh_from_db()
    assert draft.status == VersionStatus.AGREED
    assert list(draft.co_authors.all()) == [ann]


def test_agreeing_is_refused_when_the_standards_changed_meanwhile(
    service: Service, keeper: Any, staff: Client
) -> None:
    draft = make_draft(service, keeper, count=2)
    url = reverse("assessment:version_agree", args=[draft.pk])
    seen = queries.snapshot(draft)
    add_standard(draft, keeper, "Added by a colleague")
    response = staff.post(url, {"change_note": "Done.", "co_authors": "", "seen": seen})
    page = _page(response)
    assert "The standards changed while you had this page open." in page
    assert "Added by a colleague" in page
    assert f'value="{queries.snapshot(draft)}"' in page
    assert FrameworkVersion.objects.get().status == VersionStatus.DRAFT
    response = staff.post(
        url, {"change_note": "Done.", "co_authors": "", "seen": queries.snapshot(draft)}
    )
    assert response.status_code == 302


def test_agreeing_an_empty_draft_says_why_not(service: Service, keeper: Any, staff: Client) -> None:
    draft = make_draft(service, keeper, count=0)
    url = reverse("assessment:version_agree", args=[draft.pk])
    response = staff.post(url, {"change_note": "Nothing", "co_authors": ""})
    assert "Add at least one standard before you agree the version." in _page(response)
    assert not Framework.objects.get().versions.filter(status=VersionStatus.AGREED).exists()


# --- Parts of the service pages -------------------------------------------------------------------


def test_the_service_pages_parts(service: Service, keeper: Any) -> None:
    context = {"service": service, "can_manage": True}
    staff_part = render_to_string(
        "assessment/framework/_staff_service.html",
        {**context, "section": queries.staff_summary(service)},
    )
    assert "No framework of standards yet" in staff_part
    public_part = render_to_string(
        "assessment/framework/_service_summary.html",
        {**context, "section": queries.service_summary(service)},
    )
    assert not public_part.strip()
    agreed = make_framework(service, keeper, count=3)
    next_draft(agreed, keeper)
    staff_text = " ".join(
        render_to_string(
            "assessment/framework/_staff_service.html",
            {**context, "section": queries.staff_summary(service)},
        ).split()
    )
    assert "Version 1, agreed on" in staff_text
    assert "3 standards. Version 2 is a draft." in staff_text
    public_part = render_to_string(
        "assessment/framework/_service_summary.html",
        {**context, "section": queries.service_summary(service)},
    )
    assert "3 standards, written with them" in public_part
    assert reverse("assessment:framework", args=[service.slug]) in public_part


def test_standards_without_welsh(service: Service, keeper: Any) -> None:
    agreed = make_framework(service, keeper, count=2)
    draft = next_draft(agreed, keeper)
    assert queries.standards_without_welsh(service).count() == 4  # agreed and draft
    standard = draft.standards.order_by("position").first()
    assert standard is not None
    row = queries.untranslated_standard(standard)
    assert row.url == reverse("assessment:standard_edit", args=[standard.pk])
    old = queries.untranslated_standard(agreed.standards.order_by("position")[0])
    assert old.url == reverse("assessment:manage_framework", args=[service.slug])


def test_a_standard_sent_twice_is_added_once(service: Service, keeper: Any, staff: Client) -> None:
    draft = make_draft(service, keeper, count=0)
    url = reverse("assessment:standard_add", args=[draft.pk])
    token = re.search(r'name="one_time_token" value="([^"]+)"', _page(staff.get(url)))
    assert token is not None
    data = _standard_post(one_time_token=token.group(1))
    first = staff.post(url, data)
    again = staff.post(url, data, follow=True)
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "We already have this." in _text(again)
    assert draft.standards.count() == 1


def test_nothing_is_written_for_those_who_may_not(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=1)
    standard = draft.standards.get()
    for who, client in _outsiders(service).items():
        client.post(reverse("assessment:version_start", args=[service.slug]))
        client.post(reverse("assessment:standard_add", args=[draft.pk]), _standard_post())
        client.post(reverse("assessment:standard_edit", args=[standard.pk]), _standard_post())
        client.post(reverse("assessment:standard_delete", args=[standard.pk]))
        client.post(reverse("assessment:version_agree", args=[draft.pk]), {"change_note": "Agreed"})
        assert FrameworkVersion.objects.get().status == VersionStatus.DRAFT, who
        assert list(Standard.objects.values_list("statement", flat=True)) == [standard.statement], (
            who
        )
