"""Decisions and official answers in English and Welsh: written with them or added later, shown
in the visitor's language, and listed for staff while the Welsh is missing (decision 0025).

Contributions are made through the kinds the installed apps registered (see test_inbox.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions import actions
from coproduce.contributions.kinds import get_kind
from coproduce.contributions.models import Contribution, Decision, Response, Visibility
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db

WELSH = {"Accept-Language": "cy"}
NOTE = 'id="language-note"'


def fallback(text: str) -> str:
    return f'<span lang="en" data-untranslated>{text}</span>'


@pytest.fixture
def ideas() -> Activity:
    return ActivityFactory(
        service=ServiceFactory(
            name="Recovery service", name_cy="Gwasanaeth adfer", summary_cy="Help i adfer."
        ),
        title="Ideas for the hub",
        title_cy="Syniadau ar gyfer yr hyb",
        summary_cy="Crynodeb",
        how_to_take_part="",
        kind=ActivityKind.IDEA_CHALLENGE,
        state=ActivityState.OPEN,
    )


@pytest.fixture
def professional(ideas: Activity) -> Any:
    return staff_of(ideas)


def said(activity: Activity, title: str) -> Contribution:
    """A published idea (the kind its app registered), made through the spine."""
    contribution = actions.contribution_start(
        activity=activity, kind="idea", author=UserFactory(), text=title
    )
    row: Any = Contribution._meta.get_field(get_kind("idea").detail).related_model
    row._default_manager.create(contribution=contribution, title=title, description="Why.")
    contribution.refresh_from_db()
    return contribution


def decision_for(service: Service, by: Any, **fields: Any) -> Decision:
    return actions.decision_create(
        service=service,
        stage=service.current_stage,
        title=fields.pop("title", "A quiet room at the hub"),
        description=fields.pop("description", "Because people asked for one."),
        decided_by="The board",
        decided_on=dt.date.today(),
        recorded_by=by,
        **fields,
    )


# --- Decisions --------------------------------------------------------------------------------


def test_a_decision_is_recorded_with_its_welsh(ideas: Activity, professional: Any) -> None:
    service = ideas.service
    client = client_for(professional)
    url = reverse("contributions:decision_create", kwargs={"slug": service.slug})
    form = client.get(url).content.decode()
    assert "What was decided, in Welsh (optional)" in form
    today = dt.date.today()
    response = client.post(
        url,
        {
            "stage": service.current_stage,
            "title": "A quiet room",
            "title_cy": " Ystafell dawel ",
            "description": "Because people asked.",
            "description_cy": "Oherwydd i bobl ofyn.",
            "decided_by": "The board",
            "decided_on_day": today.day,
            "decided_on_month": today.month,
            "decided_on_year": today.year,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.title_cy, decision.description_cy) == (
        "Ystafell dawel",
        "Oherwydd i bobl ofyn.",
    )


def test_staff_add_the_welsh_of_a_decision_later(ideas: Activity, professional: Any) -> None:
    decision = decision_for(ideas.service, professional)
    client = client_for(professional)
    url = reverse("contributions:decision_welsh", kwargs={"pk": decision.pk})
    page = client.get(url).content.decode()
    assert "Write the Welsh" in page
    assert "In English: A quiet room at the hub" in page  # the English beside each box
    # On a Welsh page, the English shown on purpose is marked as English, with no note.
    welsh_page = client.get(url, headers=WELSH).content.decode()
    assert '<span lang="en">A quiet room at the hub</span>' in welsh_page
    assert NOTE not in welsh_page
    response = client.post(
        url, {"title_cy": "Ystafell dawel yn yr hyb", "description_cy": "Oherwydd i bobl ofyn."}
    )
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    decision.refresh_from_db()
    assert decision.title_cy == "Ystafell dawel yn yr hyb"
    shown = Client().get(decision.get_absolute_url(), headers=WELSH).content.decode()
    assert "Ystafell dawel yn yr hyb</h1>" in shown
    assert "Oherwydd i bobl ofyn." in shown
    assert NOTE not in shown
    # Back to the English page's text when the Welsh is cleared.
    client.post(url, {"title_cy": "", "description_cy": ""})
    shown = Client().get(decision.get_absolute_url(), headers=WELSH).content.decode()
    assert fallback("A quiet room at the hub") + "</h1>" in shown
    assert shown.count(NOTE) == 1


def test_welsh_too_long_is_shown_on_its_field(ideas: Activity, professional: Any) -> None:
    decision = decision_for(ideas.service, professional)
    url = reverse("contributions:decision_welsh", kwargs={"pk": decision.pk})
    page = client_for(professional).post(url, {"title_cy": "x" * 201, "description_cy": ""})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="#id_title_cy"' in html  # the error summary points at the field
    assert "govuk-form-group--error" in html
    decision.refresh_from_db()
    assert decision.title_cy == ""


def test_the_action_refuses_welsh_without_english_and_checks_its_rule(
    ideas: Activity, professional: Any
) -> None:
    decision = decision_for(ideas.service, professional)
    Decision.objects.filter(pk=decision.pk).update(description="")
    decision.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        actions.decision_set_welsh(
            decision=decision, by=professional, title_cy="", description_cy="Oherwydd."
        )
    assert refused.value.message_dict["description_cy"] == [
        "Write this in English as well: the Welsh goes beside it."
    ]
    outsider = staff_of(ActivityFactory())  # staff of another organisation
    with pytest.raises(PermissionDenied):
        actions.decision_set_welsh(
            decision=decision, by=outsider, title_cy="Ystafell", description_cy=""
        )


# --- Official answers -------------------------------------------------------------------------


def test_an_answer_is_written_with_its_welsh_and_shown_in_the_visitors_language(
    ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "A quiet room")
    client = client_for(professional)
    url = reverse("contributions:respond", kwargs={"pk": idea.pk})
    assert "Your answer in Welsh (optional)" in client.get(url).content.decode()
    done = client.post(url, {"body": "We will add one.", "body_cy": "Byddwn yn ychwanegu un."})
    assert done.status_code == 302
    answer = Response.objects.get()
    assert answer.body_cy == "Byddwn yn ychwanegu un."
    welsh = Client().get(idea.get_absolute_url(), headers=WELSH).content.decode()
    assert "Byddwn yn ychwanegu un." in welsh
    english = Client().get(idea.get_absolute_url()).content.decode()
    assert "We will add one." in english
    assert "Byddwn yn ychwanegu un." not in english


def test_staff_add_the_welsh_of_an_answer_later(ideas: Activity, professional: Any) -> None:
    idea = said(ideas, "A quiet room")
    answer = actions.response_create(contribution=idea, author=professional, body="We will.")
    welsh = Client().get(idea.get_absolute_url(), headers=WELSH).content.decode()
    assert fallback("We will.") in welsh
    assert welsh.count(NOTE) == 1
    client = client_for(professional)
    url = reverse("contributions:response_welsh", kwargs={"pk": answer.pk})
    page = client.get(url).content.decode()
    assert "The answer in Welsh" in page
    assert "In English: We will." in page
    back = reverse("services:staff_welsh", kwargs={"slug": ideas.service.slug})
    response = client.post(f"{url}?next={back}", {"body_cy": "Byddwn."})
    assert response["Location"] == back
    answer.refresh_from_db()
    assert answer.body_cy == "Byddwn."
    # The idea's page (cached for visitors) shows the Welsh at once.
    welsh = Client().get(idea.get_absolute_url(), headers=WELSH).content.decode()
    assert "Byddwn." in welsh
    assert fallback("We will.") not in welsh
    # Too long: the message is on the field.
    page = client.post(url, {"body_cy": "x" * 5001}).content.decode()
    assert 'href="#id_body_cy"' in page


def test_only_those_who_answer_for_the_service_write_its_welsh(
    ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "A quiet room")
    answer = actions.response_create(contribution=idea, author=professional, body="We will.")
    url = reverse("contributions:response_welsh", kwargs={"pk": answer.pk})
    outsider = client_for(staff_of(ActivityFactory()))
    assert outsider.post(url, {"body_cy": "Byddwn."}).status_code == 403
    resident = client_for(UserFactory())
    assert resident.post(url, {"body_cy": "Byddwn."}).status_code == 403
    answer.refresh_from_db()
    assert answer.body_cy == ""


# --- What has no Welsh yet --------------------------------------------------------------------


def test_staff_see_decisions_and_answers_without_welsh(ideas: Activity, professional: Any) -> None:
    service = ideas.service
    idea = said(ideas, "A quiet room")
    answer = actions.response_create(contribution=idea, author=professional, body="We will.")
    translated = actions.response_create(
        contribution=said(ideas, "A café"), author=professional, body="Yes.", body_cy="Ie."
    )
    decision = decision_for(service, professional, title_cy="Ystafell dawel")
    client = client_for(professional)
    page = client.get(reverse("services:staff_welsh", kwargs={"slug": service.slug})).content
    html = page.decode()
    assert "2 things have no Welsh yet" in html  # the decision's details, and one answer
    assert "details and reasons" in html
    assert reverse("contributions:decision_welsh", kwargs={"pk": decision.pk}) in html
    assert "Answer to “A quiet room”" in html
    assert reverse("contributions:response_welsh", kwargs={"pk": answer.pk}) in html
    assert reverse("contributions:response_welsh", kwargs={"pk": translated.pk}) not in html
    # The decision's name is shown as staff read it: in Welsh on a Welsh page.
    welsh = client.get(
        reverse("services:staff_welsh", kwargs={"slug": service.slug}), headers=WELSH
    ).content.decode()
    assert "Ystafell dawel" in welsh


def test_answers_to_hidden_contributions_are_not_listed(ideas: Activity, professional: Any) -> None:
    idea = said(ideas, "A quiet room")
    actions.response_create(contribution=idea, author=professional, body="We will.")
    Contribution.objects.filter(pk=idea.pk).update(visibility=Visibility.HIDDEN)
    client = client_for(professional)
    html = client.get(reverse("services:staff_welsh", kwargs={"slug": ideas.service.slug}))
    assert "Answer to" not in html.content.decode()
