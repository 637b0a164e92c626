"""The staff pages of a commissioning round: who may use them, the round at a glance, its set-up,
the criteria, and publishing the weights, which answers every weighting."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.commissioning import actions
from coproduce.commissioning.forms_staff import DECISIONS_OFFERED, FORM_FIELDS, residents_snapshot
from coproduce.commissioning.models import Criterion, CriterionKind, Round
from coproduce.commissioning.rules import TERMS
from coproduce.commissioning.tests.factories import make_criteria, make_round, round_fields
from coproduce.commissioning.tests.test_export_data import (
    awarded_round,
    close_bids,
    published_round,
)
from coproduce.contributions import actions as spine
from coproduce.contributions.models import Decision, Response
from coproduce.organisations.models import Role
from coproduce.outcomes.models import Indicator
from coproduce.outcomes.tests.factories import make_indicator, make_outcome
from coproduce.services.models import Activity, ActivityKind, ActivityState, Stage
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _date(name: str, day: dt.date) -> dict[str, str]:
    """A GOV.UK date input as a browser sends it."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _round_post(**extra: Any) -> dict[str, Any]:
    """The set-up form as a browser sends it: residents weigh for two weeks, bids close at noon
    in six weeks, price counts for 30 %."""
    today = timezone.localdate()
    data: dict[str, Any] = {
        "specification": "A service that sees young people within four weeks.",
        "specification_cy": "",
        "contract_value": "950000.50",
        "contract_months": "36",
        **_date("weighting_closes_on", today + dt.timedelta(days=14)),
        **_date("questions_close_on", today + dt.timedelta(days=30)),
        **_date("bids_close_on", today + dt.timedelta(days=42)),
        "bids_close_time": "12:00",
        **_date("evaluation_on", today + dt.timedelta(days=50)),
        **_date("award_on", today + dt.timedelta(days=70)),
        "standstill_days": "10",
        "price_weight": "30",
    }
    data.update(extra)
    return data


@pytest.fixture
def activity() -> Activity:
    return ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)


@pytest.fixture
def keeper(activity: Activity) -> User:
    return staff_of(activity)


@pytest.fixture
def round_(activity: Activity, keeper: User) -> Round:
    return make_round(activity, keeper)


@pytest.fixture
def criteria(round_: Round, keeper: User) -> list[Criterion]:
    return make_criteria(round_, keeper)


@pytest.fixture
def indicator(activity: Activity, keeper: User) -> Indicator:
    return make_indicator(make_outcome(activity.service, keeper), keeper)


def _weigh(round_: Round, *points: int) -> None:
    """A new resident shares 100 points across the round's criteria, in their order."""
    keys = list(round_.criteria.values_list("pk", flat=True))
    actions.weighting_save(
        round_=round_, person=UserFactory(), points=dict(zip(keys, points, strict=True))
    )


# --- Who may use the pages ---------------------------------------------------------------------


def _pages(round_: Round, criteria: list[Criterion]) -> list[str]:
    return [
        reverse("commissioning:manage", args=[round_.pk]),
        reverse("commissioning:round_edit", args=[round_.pk]),
        reverse("commissioning:criterion_add", args=[round_.pk]),
        reverse("commissioning:criterion_edit", args=[criteria[0].pk]),
        reverse("commissioning:criterion_delete", args=[criteria[0].pk]),
        reverse("commissioning:weights_publish", args=[round_.pk]),
    ]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PROFESSIONAL])
def test_keepers_see_every_page(
    round_: Round, criteria: list[Criterion], activity: Activity, role: str
) -> None:
    client = client_for(staff_of(activity, role))
    for url in _pages(round_, criteria):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["resident", "facilitator", "other organisation"])
def test_others_are_refused(
    round_: Round, criteria: list[Criterion], activity: Activity, who: str
) -> None:
    if who == "resident":
        user = UserFactory()
    elif who == "facilitator":
        user = staff_of(activity, Role.FACILITATOR)
    else:
        user = staff_of(ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND))
    client = client_for(user)
    for url in _pages(round_, criteria):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert Criterion.objects.filter(round=round_).count() == len(criteria)


def test_signed_out_visitors_are_asked_to_sign_in(
    round_: Round, criteria: list[Criterion], client: Any
) -> None:
    for url in _pages(round_, criteria):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_an_activity_of_another_kind_has_no_round_pages() -> None:
    other = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    client = client_for(staff_of(other, Role.ADMIN))
    for name in ("commissioning:manage", "commissioning:round_edit"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name


# --- The round at a glance ---------------------------------------------------------------------


def test_without_a_round_the_page_offers_to_set_it_up(activity: Activity, keeper: User) -> None:
    response = client_for(keeper).get(reverse("commissioning:manage", args=[activity.pk]))
    page = _page(response)
    assert response.status_code == 200
    assert "Set up the round" in page
    assert reverse("commissioning:round_edit", args=[activity.pk]) in page
    assert "Add a criterion" not in page


def test_the_page_shows_the_round_its_criteria_and_what_residents_give(
    round_: Round, criteria: list[Criterion], keeper: User, indicator: Indicator
) -> None:
    decision = spine.decision_create(
        service=round_.activity.service,
        stage=Stage.DESIGN,
        title="See young people within four weeks",
        description="From what young people told us.",
        decided_by="Youth board",
        decided_on=timezone.localdate(),
        recorded_by=keeper,
    )
    actions.round_save(
        activity=round_.activity,
        by=keeper,
        fields=round_fields(),
        decisions=[decision],
        indicators=[indicator],
    )
    _weigh(round_, 60, 20, 20)
    _weigh(round_, 40, 40, 20)
    _weigh(round_, 50, 30, 20)
    response = client_for(keeper).get(reverse("commissioning:manage", args=[round_.pk]))
    page = _page(response)
    assert response.status_code == 200
    assert "£1,200,000" in page
    assert decision.title in page
    assert indicator.name in page
    for criterion in criteria:
        assert criterion.name in page
        assert reverse("commissioning:criterion_edit", args=[criterion.pk]) in page
    assert "3 people have weighed the criteria so far." in page
    given = actions.residents_weights(round_)
    cells = [f'numeric">{given[c.pk]}</td>' for c in criteria]
    assert all(cell in page.replace("\n  ", "") for cell in cells)
    assert reverse("commissioning:weights_publish", args=[round_.pk]) in page
    assert reverse("commissioning:round", args=[round_.pk]) in page
    assert "Bids are sealed until" in page
    assert reverse("commissioning:bids_received", args=[round_.pk]) in page


def test_once_weighing_started_adding_and_removing_are_hidden(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    url = reverse("commissioning:manage", args=[round_.pk])
    before = _page(client_for(keeper).get(url))
    assert reverse("commissioning:criterion_add", args=[round_.pk]) in before
    assert reverse("commissioning:criterion_delete", args=[criteria[0].pk]) in before
    _weigh(round_, 50, 25, 25)
    after = _page(client_for(keeper).get(url))
    assert reverse("commissioning:criterion_add", args=[round_.pk]) not in after
    assert reverse("commissioning:criterion_delete", args=[criteria[0].pk]) not in after
    assert "criteria cannot be added or removed" in after


# --- The set-up ----------------------------------------------------------------------------------


def test_the_first_save_sets_up_the_round(
    activity: Activity, keeper: User, indicator: Indicator
) -> None:
    decision = spine.decision_create(
        service=activity.service,
        stage=Stage.DESIGN,
        title="Keep the same worker",
        description="Young people asked for it.",
        decided_by="Youth board",
        decided_on=timezone.localdate(),
        recorded_by=keeper,
    )
    client = client_for(keeper)
    url = reverse("commissioning:round_edit", args=[activity.pk])
    page = _page(client.get(url))
    assert decision.title in page
    assert indicator.name in page
    response = client.post(url, _round_post(decisions=[decision.pk], indicators=[indicator.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:manage", args=[activity.pk])
    round_ = Round.objects.get(activity=activity)
    assert round_.price_weight == 30
    assert round_.standstill_days == 10
    assert str(round_.contract_value) == "950000.50"
    closes = timezone.localtime(round_.bids_close_at)
    assert (closes.date(), closes.hour, closes.minute) == (
        timezone.localdate() + dt.timedelta(days=42),
        12,
        0,
    )
    assert list(round_.decisions.all()) == [decision]
    assert list(round_.indicators.all()) == [indicator]


def test_changing_the_round_starts_from_what_it_is(round_: Round, keeper: User) -> None:
    client = client_for(keeper)
    url = reverse("commissioning:round_edit", args=[round_.pk])
    page = _page(client.get(url))
    assert round_.specification in page
    closes = timezone.localtime(round_.bids_close_at).strftime("%H:%M")
    assert f'value="{closes}"' in page
    response = client.post(url, _round_post(specification="A changed specification."))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.specification == "A changed specification."
    assert Round.objects.count() == 1


def test_after_the_deadline_the_form_keeps_what_bids_answered_and_after_the_award_is_a_record() -> (
    None
):
    scenario = close_bids(published_round())
    round_ = scenario.round
    client = client_for(scenario.staff)
    url = reverse("commissioning:round_edit", args=[round_.pk])
    manage = reverse("commissioning:manage", args=[round_.pk])
    page = _page(client.get(url))
    assert "Bids have closed, so what they answered is fixed" in page
    for name in ("specification", "contract_value", "bids_close_on_day", "price_weight"):
        assert re.search(rf'<[^>]* name="{name}"[^>]* disabled', page), name
    assert not re.search(r'<[^>]* name="award_on_day"[^>]* disabled', page)
    later = round_.award_on + dt.timedelta(days=7)
    # From a page loaded before the deadline: the change is refused on its field, nothing saved.
    posted = _round_post(specification="Changed after the deadline.", **_date("award_on", later))
    response = client.post(url, posted)
    assert response.status_code == 200
    assert 'id="id_specification-error"' in _page(response)
    round_.refresh_from_db()
    assert round_.award_on == scenario.round.award_on
    # A browser sends no disabled field: the rest is saved, what bids answered kept.
    terms = {field for name in TERMS for field in FORM_FIELDS.get(name, (name,))}
    kept = {
        name: value
        for name, value in posted.items()
        if name not in terms and name.rsplit("_", 1)[0] not in terms  # a date's day, month, year
    }
    assert not {"specification", "bids_close_on_day"} & set(kept)
    response = client.post(url, kept)
    assert response.status_code == 302, _page(response)
    round_.refresh_from_db()
    assert round_.award_on == later
    assert round_.specification == scenario.round.specification
    assert "Change what it answers" not in _page(client.get(manage))

    awarded = awarded_round()
    client = client_for(awarded.staff)
    url = reverse("commissioning:round_edit", args=[awarded.round.pk])
    manage = reverse("commissioning:manage", args=[awarded.round.pk])
    for response in (client.get(url), client.post(url, _round_post())):
        assert response["Location"] == manage
    page = _page(client.get(manage))
    assert "The award is made, so the round" in html.unescape(page)
    assert url not in page


def test_a_timetable_out_of_order_is_shown_and_nothing_saved(
    activity: Activity, keeper: User
) -> None:
    today = timezone.localdate()
    response = client_for(keeper).post(
        reverse("commissioning:round_edit", args=[activity.pk]),
        _round_post(**_date("award_on", today + dt.timedelta(days=45))),
    )
    page = _page(response)
    assert response.status_code == 200
    assert "The award must come after the evaluation." in page
    assert 'href="#id_award_on-day"' in page  # the summary links to the field
    assert not Round.objects.filter(activity=activity).exists()


def test_a_price_weight_over_100_is_refused(activity: Activity, keeper: User) -> None:
    response = client_for(keeper).post(
        reverse("commissioning:round_edit", args=[activity.pk]), _round_post(price_weight="120")
    )
    assert response.status_code == 200
    assert "Give price a weight from 0 to 100." in _page(response)
    assert not Round.objects.filter(activity=activity).exists()


def test_a_wrong_closing_time_is_shown(activity: Activity, keeper: User) -> None:
    response = client_for(keeper).post(
        reverse("commissioning:round_edit", args=[activity.pk]),
        _round_post(bids_close_time="noonish"),
    )
    assert response.status_code == 200
    assert "Enter the time bids close on the 24-hour clock" in _page(response)
    assert not Round.objects.filter(activity=activity).exists()


# --- Criteria ----------------------------------------------------------------------------------


def test_adding_a_social_value_criterion_with_its_indicator(
    round_: Round, keeper: User, indicator: Indicator
) -> None:
    client = client_for(keeper)
    url = reverse("commissioning:criterion_add", args=[round_.pk])
    page = _page(client.get(url))
    assert indicator.name in page
    assert indicator.outcome.title in page  # grouped by outcome
    response = client.post(
        url,
        {
            "kind": CriterionKind.SOCIAL_VALUE,
            "name": "Local jobs",
            "description": "Jobs for people who live here.",
            "name_cy": "Swyddi lleol",
            "description_cy": "",
            "indicators": [indicator.pk],
        },
    )
    assert response.status_code == 302
    criterion = Criterion.objects.get(round=round_)
    assert (criterion.kind, criterion.name, criterion.name_cy) == (
        CriterionKind.SOCIAL_VALUE,
        "Local jobs",
        "Swyddi lleol",
    )
    assert list(criterion.indicators.all()) == [indicator]


def test_a_quality_criterion_serves_no_indicator(
    round_: Round, keeper: User, indicator: Indicator
) -> None:
    response = client_for(keeper).post(
        reverse("commissioning:criterion_add", args=[round_.pk]),
        {"kind": CriterionKind.QUALITY, "name": "Seen quickly", "indicators": [indicator.pk]},
    )
    assert response.status_code == 200
    assert "Only social-value criteria serve outcome indicators." in _page(response)
    assert not round_.criteria.exists()


def test_a_duplicate_name_is_refused(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    response = client_for(keeper).post(
        reverse("commissioning:criterion_add", args=[round_.pk]),
        {"kind": CriterionKind.QUALITY, "name": criteria[0].name.upper()},
    )
    assert response.status_code == 200
    assert "The round already has a criterion with this name." in _page(response)
    assert round_.criteria.count() == len(criteria)


def test_adding_a_criterion_after_someone_weighed_is_refused(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 50, 25, 25)
    client = client_for(keeper)
    url = reverse("commissioning:criterion_add", args=[round_.pk])
    assert "no criterion can be added" in _page(client.get(url))
    response = client.post(url, {"kind": CriterionKind.QUALITY, "name": "A late criterion"})
    assert response.status_code == 200
    assert "Residents have started weighing the criteria" in _page(response)
    assert round_.criteria.count() == len(criteria)


def test_changing_a_criterion_keeps_its_kind(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    criterion = criteria[0]
    client = client_for(keeper)
    url = reverse("commissioning:criterion_edit", args=[criterion.pk])
    page = _page(client.get(url))
    assert criterion.name in page
    assert 'name="kind"' not in page
    response = client.post(
        url,
        {"name": "Seen within three weeks", "description": "Faster.", "kind": "social_value"},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name, criterion.description, criterion.kind) == (
        "Seen within three weeks",
        "Faster.",
        CriterionKind.QUALITY,
    )


def test_renaming_to_another_criterion_s_name_is_refused(
    criteria: list[Criterion], keeper: User
) -> None:
    response = client_for(keeper).post(
        reverse("commissioning:criterion_edit", args=[criteria[0].pk]), {"name": criteria[1].name}
    )
    assert response.status_code == 200
    assert "The round already has a criterion with this name." in _page(response)
    criteria[0].refresh_from_db()
    assert criteria[0].name != criteria[1].name


def test_removing_a_criterion_asks_first(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    client = client_for(keeper)
    url = reverse("commissioning:criterion_delete", args=[criteria[0].pk])
    page = _page(client.get(url))
    assert f"Remove “{criteria[0].name}”?" in page
    assert Criterion.objects.filter(pk=criteria[0].pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Criterion.objects.filter(pk=criteria[0].pk).exists()
    assert round_.criteria.count() == len(criteria) - 1


def test_removing_a_criterion_after_someone_weighed_is_refused(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 50, 25, 25)
    response = client_for(keeper).post(
        reverse("commissioning:criterion_delete", args=[criteria[0].pk])
    )
    assert response.status_code == 200
    assert "Residents have started weighing the criteria" in _page(response)
    assert Criterion.objects.filter(pk=criteria[0].pk).exists()


# --- Publishing the weights ----------------------------------------------------------------------


def _weights_post(criteria: list[Criterion], values: list[int], **extra: Any) -> dict[str, Any]:
    round_ = criteria[0].round
    data: dict[str, Any] = {f"weight_{c.pk}": str(v) for c, v in zip(criteria, values, strict=True)}
    data["residents_seen"] = residents_snapshot(actions.residents_weights(round_))
    data.update(extra)
    return data


def test_the_publish_page_shows_what_residents_give(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 60, 20, 20)
    _weigh(round_, 40, 40, 20)
    response = client_for(keeper).get(reverse("commissioning:weights_publish", args=[round_.pk]))
    page = _page(response)
    assert response.status_code == 200
    assert "2 people have weighed the criteria." in page
    given = actions.residents_weights(round_)
    for criterion in criteria:
        assert f'name="weight_{criterion.pk}" value="{given[criterion.pk]}"' in page
    assert "cannot be undone" in page
    assert "Publish the weights" in page


def test_publishing_residents_weights_answers_every_weighting(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 60, 20, 20)
    _weigh(round_, 40, 40, 20)
    given = actions.residents_weights(round_)
    response = client_for(keeper).post(
        reverse("commissioning:weights_publish", args=[round_.pk]),
        _weights_post(criteria, [given[c.pk] for c in criteria]),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:manage", args=[round_.pk])
    assert "Weights published; 2 weightings answered." in _messages(response)
    round_.refresh_from_db()
    assert round_.weights_published_at is not None
    assert round_.weights_reason == ""
    assert {c.pk: c.weight for c in round_.criteria.all()} == given
    for weighting in round_.weightings.all():
        assert Response.objects.filter(contribution=weighting.contribution).count() == 1
    page = _page(client_for(keeper).get(reverse("commissioning:manage", args=[round_.pk])))
    assert "Published weights" in page


def test_changed_weights_are_published_with_their_reason(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 60, 20, 20)
    response = client_for(keeper).post(
        reverse("commissioning:weights_publish", args=[round_.pk]),
        _weights_post(criteria, [50, 25, 25], reason="The law asks for more weight on staff."),
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert [c.weight for c in round_.criteria.all()] == [50, 25, 25]
    assert round_.weights_reason == "The law asks for more weight on staff."
    page = _page(client_for(keeper).get(reverse("commissioning:manage", args=[round_.pk])))
    assert "The law asks for more weight on staff." in page


def test_weights_not_adding_up_to_100_are_refused(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 60, 20, 20)
    response = client_for(keeper).post(
        reverse("commissioning:weights_publish", args=[round_.pk]),
        _weights_post(criteria, [50, 30, 30], reason="Because."),
    )
    assert response.status_code == 200
    assert "The weights add up to 110: they must add up to 100." in _page(response)
    round_.refresh_from_db()
    assert round_.weights_published_at is None
    assert not Response.objects.exists()


def test_changed_weights_without_a_reason_are_refused(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 60, 20, 20)
    response = client_for(keeper).post(
        reverse("commissioning:weights_publish", args=[round_.pk]),
        _weights_post(criteria, [50, 25, 25]),
    )
    page = _page(response)
    assert response.status_code == 200
    assert "Say why the weights differ from what residents' points gave." in page
    assert 'href="#id_reason"' in page
    round_.refresh_from_db()
    assert round_.weights_published_at is None


def test_a_weighting_sent_while_the_page_was_open_is_not_overlooked(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    _weigh(round_, 60, 20, 20)
    seen = _weights_post(criteria, [60, 20, 20])
    _weigh(round_, 0, 0, 100)
    response = client_for(keeper).post(
        reverse("commissioning:weights_publish", args=[round_.pk]), seen
    )
    assert response.status_code == 200
    assert "Residents' points changed while you had this page open." in _page(response)
    round_.refresh_from_db()
    assert round_.weights_published_at is None


def test_published_weights_go_back_to_the_round(
    round_: Round, criteria: list[Criterion], keeper: User
) -> None:
    actions.weights_publish(round_=round_, by=keeper)
    response = client_for(keeper).get(reverse("commissioning:weights_publish", args=[round_.pk]))
    assert response.status_code == 302
    assert "The weights are already published." in _messages(response)


def test_decisions_offered_are_the_service_s_newest(activity: Activity, keeper: User) -> None:
    made = [
        spine.decision_create(
            service=activity.service,
            stage=Stage.DESIGN,
            title=f"Decision {n}",
            description="A decision.",
            decided_by="Board",
            decided_on=timezone.localdate() - dt.timedelta(days=n),
            recorded_by=keeper,
        )
        for n in range(DECISIONS_OFFERED + 1)
    ]
    page = _page(client_for(keeper).get(reverse("commissioning:round_edit", args=[activity.pk])))
    assert page.count('name="decisions"') == DECISIONS_OFFERED
    assert f'name="decisions" type="checkbox" value="{made[0].pk}"' in page
    assert f'name="decisions" type="checkbox" value="{made[-1].pk}"' not in page
    assert page.index(made[0].title) < page.index(made[1].title)
    assert Decision.objects.filter(service=activity.service).count() == DECISIONS_OFFERED + 1
