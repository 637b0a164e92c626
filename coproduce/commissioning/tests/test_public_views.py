"""The public pages of a commissioning round: the round, weighing its criteria (with and without
the weighting open, before and after the weights are published), "How your weighting is used",
and the activity page's part."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions, weights
from coproduce.commissioning.models import Criterion, Round, Weighting, WeightingPoints
from coproduce.commissioning.tests.factories import make_criteria, make_round
from coproduce.commissioning.views.public import EXAMPLE_PEOPLE
from coproduce.organisations.models import Role
from coproduce.outcomes.tests.factories import keeper_of, make_indicator, make_outcome
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return str(response.content.decode())


def _url(name: str, round_: Round) -> str:
    return reverse(f"commissioning:{name}", args=[round_.pk])


def _ready(**fields: Any) -> tuple[Round, list[Criterion], Any]:
    """An open round with its three criteria, and the staff member who set it up."""
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)
    staff = staff_of(activity)
    round_ = make_round(activity, staff, **fields)
    return round_, make_criteria(round_, staff), staff


def _signed_in(user: Any = None) -> tuple[Client, Any]:
    person = user or UserFactory()
    client = Client()
    client.force_login(person)
    return client, person


def _post(criteria: list[Criterion], *points: Any, **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {f"points_{c.pk}": str(p) for c, p in zip(criteria, points, strict=True)}
    return {"author_display": "first_name", **data, **extra}


# --- The round ---------------------------------------------------------------------------------


def test_anyone_sees_the_round_of_an_open_activity() -> None:
    round_, criteria, staff = _ready(contract_value=Decimal("1234567.50"))
    outcome = make_outcome(round_.activity.service, keeper_of(round_.activity.service))
    indicator = make_indicator(outcome, staff)
    round_.indicators.add(indicator)
    page = _text(Client().get(_url("round", round_)))
    assert f'<h1 class="govuk-heading-l">{round_.activity.title}</h1>' in page
    assert round_.specification in page
    assert "£1,234,567.50" in page
    assert "36 months" in page
    assert reverse("outcomes:indicator", args=[indicator.pk]) in page
    assert date_format(round_.weighting_closes_on, "j F Y") in page
    assert "The lowest price scores the full price weight" in page
    for criterion in criteria:
        assert criterion.name in page
    assert "Residents are weighing the criteria until" in page
    assert _url("weigh", round_) in page
    assert "Bids open once the weights of the award criteria are published." in page
    assert _url("clarifications", round_) in page
    assert _url("interests", round_) not in page  # published when bids close
    assert reverse("commissioning:how_weighting_works") in page


def test_a_draft_round_is_hidden_from_outsiders() -> None:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.DRAFT)
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    assert Client().get(_url("round", round_)).status_code == 404
    outsider, _person = _signed_in()
    assert outsider.get(_url("round", round_)).status_code == 404
    assert outsider.get(_url("weigh", round_)).status_code == 404
    client, _staff = _signed_in(staff)
    assert client.get(_url("round", round_)).status_code == 200


# --- Weighing ----------------------------------------------------------------------------------


def test_signed_out_people_are_asked_to_sign_in() -> None:
    round_, _criteria, _staff = _ready()
    response = Client().get(_url("weigh", round_))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_form_shows_one_number_per_criterion_grouped_by_kind() -> None:
    round_, criteria, _staff = _ready()
    client, _person = _signed_in()
    page = _text(client.get(_url("weigh", round_)))
    assert 'id="fieldset-quality"' in page
    assert 'id="fieldset-social_value"' in page
    for criterion in criteria:
        assert f'name="points_{criterion.pk}"' in page
        assert criterion.description in page
    assert page.count('inputmode="numeric"') == len(criteria)
    assert "Share out exactly 100 points" in page
    assert 'aria-live="polite"' in page
    assert "commissioning/weigh.js" in page
    assert 'name="author_display"' in page


def test_points_that_do_not_add_up_to_100_save_nothing() -> None:
    round_, criteria, _staff = _ready()
    client, _person = _signed_in()
    response = client.post(_url("weigh", round_), _post(criteria, 50, 30, 10))
    page = _text(response)
    assert response.status_code == 200
    assert "Your points add up to 90. Share out exactly 100: add 10." in page
    assert "govuk-error-summary" in page
    assert f'name="points_{criteria[2].pk}" value="10"' in page
    assert not Weighting.objects.exists()


def test_a_word_for_a_number_is_a_field_error() -> None:
    round_, criteria, _staff = _ready()
    client, _person = _signed_in()
    response = client.post(_url("weigh", round_), _post(criteria, 50, "thirty", 20))
    page = _text(response)
    assert response.status_code == 200
    assert f'id="id_points_{criteria[1].pk}-error"' in page
    assert 'value="thirty"' in page
    assert not Weighting.objects.exists()


def test_a_good_weighting_is_saved_and_can_be_changed() -> None:
    round_, criteria, _staff = _ready()
    client, person = _signed_in()
    response = client.post(_url("weigh", round_), _post(criteria, 50, 30, 20))
    assert response.status_code == 302
    assert response["Location"] == _url("round", round_)
    weighting = Weighting.objects.get(round=round_, person=person)
    assert actions.weighting_points(weighting) == {
        criteria[0].pk: 50,
        criteria[1].pk: 30,
        criteria[2].pk: 20,
    }
    page = _text(client.get(response["Location"]))
    day = date_format(round_.weighting_closes_on, "j F Y")
    assert f"Your weighting is saved. You can change it until {day}." in page
    form = _text(client.get(_url("weigh", round_)))
    assert f'name="points_{criteria[0].pk}" value="50"' in form
    client.post(_url("weigh", round_), _post(criteria, 0, 0, 100))
    assert Weighting.objects.filter(round=round_).count() == 1
    assert actions.weighting_points(weighting)[criteria[2].pk] == 100


def test_a_closed_weighting_shows_a_page_and_refuses_a_form() -> None:
    round_, criteria, _staff = _ready(
        weighting_closes_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client, _person = _signed_in()
    response = client.get(_url("weigh", round_))
    assert response.status_code == 200
    assert "The weighting is closed" in _text(response)
    assert _url("round", round_) in _text(response)
    refused = client.post(_url("weigh", round_), _post(criteria, 50, 30, 20))
    assert refused.status_code == 403
    assert "Nothing was saved." in _text(refused)
    assert not Weighting.objects.exists()
    assert not WeightingPoints.objects.exists()
    round_page = _text(Client().get(_url("round", round_)))
    assert _url("weigh", round_) not in round_page


def test_after_publication_a_person_sees_their_points_beside_the_weights() -> None:
    round_, criteria, staff = _ready()
    client, person = _signed_in()
    client.post(_url("weigh", round_), _post(criteria, 60, 10, 30))
    other, _other = _signed_in()
    other.post(_url("weigh", round_), _post(criteria, 20, 40, 40))
    actions.weights_publish(round_=round_, by=staff)
    published = {c.pk: c.weight for c in Criterion.objects.filter(round=round_)}
    page = _text(client.get(_url("weigh", round_)))
    assert "Your points and the published weights" in page
    assert 'id="comparison"' in page
    assert f">{published[criteria[0].pk]}</td>" in page
    assert ">60</td>" in page
    round_page = _text(Client().get(_url("round", round_)))
    assert 'id="weights-table"' in round_page
    assert "Weighed by 2 people." in round_page
    assert "Residents are weighing the criteria until" not in round_page
    refused = client.post(_url("weigh", round_), _post(criteria, 0, 0, 100))
    assert refused.status_code == 403
    weighting = Weighting.objects.get(person=person)
    assert actions.weighting_points(weighting)[criteria[0].pk] == 60


def test_the_reason_for_changed_weights_is_shown() -> None:
    round_, criteria, staff = _ready()
    changed = {criteria[0].pk: 50, criteria[1].pk: 25, criteria[2].pk: 25}
    actions.weights_publish(
        round_=round_, by=staff, changed=changed, reason="Quality must count for half."
    )
    page = _text(Client().get(_url("round", round_)))
    assert "Quality must count for half." in page
    assert "Why we changed what residents" in page


# --- How your weighting is used ----------------------------------------------------------------


def test_how_weighting_works_is_public_and_its_example_adds_up() -> None:
    response = Client().get(reverse("commissioning:how_weighting_works"))
    page = _text(response)
    assert response.status_code == 200
    keys = [0, 1, 2]
    result = weights.combine(keys, [dict(zip(keys, p, strict=True)) for p in EXAMPLE_PEOPLE])
    for key in keys:
        assert (
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{result[key]}</td>' in page
        )
    assert "coming to the platform" in page


# --- The activity page's part ------------------------------------------------------------------


def test_the_take_part_snippet_with_and_without_a_round() -> None:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)
    context = {"activity": activity, "service": activity.service}
    # "Set up the round" for those who may set it up: the service's staff, not its facilitators.
    for user, shown in [
        (staff_of(activity), True),
        (staff_of(activity, Role.FACILITATOR), False),
        (None, False),
    ]:
        html = render_to_string("commissioning/_take_part.html", {**context, "user": user})
        assert "For now, this activity runs offline" in html
        assert (reverse("commissioning:manage", args=[activity.pk]) in html) is shown
    round_, _criteria, _staff = _ready()
    activity = round_.activity
    html = render_to_string(
        "commissioning/_take_part.html",
        {"activity": activity, "service": activity.service, "can_manage": False},
    )
    assert "£1,200,000" in html
    assert _url("weigh", round_) in html
    assert _url("round", round_) in html


def test_the_weighting_summary_lists_the_points() -> None:
    round_, criteria, _staff = _ready()
    _client, person = _signed_in()
    weighting = actions.weighting_save(
        round_=round_, person=person, points={criteria[0].pk: 70, criteria[2].pk: 30}
    )
    html = render_to_string(
        "commissioning/_weighting_summary.html",
        {"contribution": weighting.contribution, "detail": weighting},
    )
    assert f"{criteria[0].name}: 70 points" in html
    assert f"{criteria[2].name}: 30 points" in html
    assert criteria[1].name not in html


@pytest.mark.parametrize("export", ["contributions:export_json", "contributions:export_csv"])
def test_the_activity_export_reads_weightings_with_their_round(client: Client, export: str) -> None:
    """A weighting's title names its round: read in the one query, not once per weighting."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coproduce.commissioning.tests.factories import make_weighting

    round_, criteria, _staff = _ready()
    url = reverse(export, args=[round_.pk])
    counts = []
    for more in (1, 4):
        for _number in range(more):
            make_weighting(round_, {criteria[0].pk: 60, criteria[1].pk: 40})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert str(round_) in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
