"""The public outcome pages: a service's outcomes, an indicator with its chart and table, the
summary on the service page, and residents' answers to an indicator's check."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions import actions as spine
from coproduce.contributions.kinds import get_kind
from coproduce.contributions.models import Contribution, Visibility
from coproduce.contributions.tests.world import World, build_world
from coproduce.outcomes import actions
from coproduce.outcomes.models import CheckAnswer, Frequency, Indicator, Measurement
from coproduce.outcomes.queries import STATUS_RULE
from coproduce.outcomes.tests.factories import (
    keeper_of,
    make_check_indicator,
    make_indicator,
    make_outcome,
)
from coproduce.outcomes.views.public import period_name
from coproduce.services.models import Service

pytestmark = pytest.mark.django_db

CHOOSE = "Choose a number from 1 to 5"


@pytest.fixture
def world() -> World:
    return build_world()


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _outside_chart(page: str) -> str:
    """The page without its SVG chart, whose coordinates are numbers too."""
    return re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL)


def _get(url: str, user: Any = None) -> Any:
    return (client_for(user) if user is not None else Client()).get(url)


def _said(world: World, title: str) -> Contribution:
    """A published idea made to the world's published service."""
    contribution = spine.contribution_start(
        activity=world.open_activity, kind="idea", author=UserFactory(), text=title
    )
    row: Any = Contribution._meta.get_field(get_kind("idea").detail).related_model
    row._default_manager.create(contribution=contribution, title=title, description="Because.")
    Contribution.objects.filter(pk=contribution.pk).update(visibility=Visibility.PUBLISHED)
    contribution.refresh_from_db()
    return contribution


def _row(page: str, name: str) -> str:
    """The table row that names ``name``."""
    rows = [row for row in page.split("<tr") if name in row]
    assert rows, f"no row names {name!r}"
    return rows[0]


def _record(indicator: Indicator, by: Any, value: str, days_ago: int = 0, note: str = "") -> None:
    actions.measurement_record(
        indicator=indicator,
        by=by,
        measured_on=timezone.localdate() - dt.timedelta(days=days_ago),
        value=Decimal(value),
        note=note,
    )


def _answers(indicator: Indicator, ratings: list[int], capture: Any) -> None:
    """Residents answer the check for this period; the aggregate task runs after each commit."""
    for rating in ratings:
        with capture(execute=True):
            actions.check_answer(indicator=indicator, respondent=UserFactory(), rating=rating)


def _framework(service: Service) -> tuple[Any, Any]:
    keeper = keeper_of(service)
    return keeper, make_outcome(service, keeper)


# --- The service's outcomes ---------------------------------------------------------------------


def test_anyone_reads_the_outcomes_with_what_people_said_and_the_indicators(world: World) -> None:
    keeper = keeper_of(world.service)
    idea = _said(world, "Let young people self-refer by text message")
    outcome = make_outcome(
        world.service, keeper, title="Help arrives in weeks, not months", sources=[idea]
    )
    indicator = make_indicator(outcome, keeper, name="Seen within four weeks")
    _record(indicator, keeper, "60")
    response = _get(reverse("outcomes:service_outcomes", args=[world.service.slug]))
    assert response.status_code == 200
    page = _page(response)
    assert "Outcomes: Published service" in page
    assert "Help arrives in weeks, not months" in page
    assert "What people told us" in page
    assert f'href="{idea.get_absolute_url()}"' in page
    assert "Let young people self-refer by text message" in page
    row = _row(page, "Seen within four weeks")
    assert f'href="{indicator.get_absolute_url()}"' in row
    assert "Social" in row
    assert "60 %" in row
    assert timezone.localdate().strftime("%-d %B %Y") in row
    assert "70 %" in row  # the target
    assert str(STATUS_RULE) in page


def test_each_outcome_lists_its_own_sources(world: World) -> None:
    keeper = keeper_of(world.service)
    shared, first, second = (_said(world, f"Said {name}") for name in ("both", "one", "two"))
    make_outcome(world.service, keeper, title="Outcome one", sources=[shared, first])
    make_outcome(world.service, keeper, title="Outcome two", sources=[shared, second])
    page = _page(_get(reverse("outcomes:service_outcomes", args=[world.service.slug])))
    one = page[page.index("Outcome one") : page.index("Outcome two")]
    two = page[page.index("Outcome two") :]
    assert "Said both" in one
    assert "Said one" in one
    assert "Said two" not in one
    assert "Said both" in two
    assert "Said two" in two
    assert "Said one" not in two


def test_a_hidden_contribution_is_not_listed_among_what_people_said(world: World) -> None:
    keeper = keeper_of(world.service)
    idea = _said(world, "A drop-in on Saturdays")
    make_outcome(world.service, keeper, sources=[idea])
    Contribution.objects.filter(pk=idea.pk).update(visibility=Visibility.HIDDEN)
    page = _page(_get(reverse("outcomes:service_outcomes", args=[world.service.slug])))
    assert "A drop-in on Saturdays" not in page
    assert "What people told us" not in page


def test_each_indicator_shows_its_status_in_words(world: World) -> None:
    keeper, outcome = _framework(world.service)
    # 40 % a year ago, 70 % in a year's time: the line stands at 55 % today.
    ahead = make_indicator(outcome, keeper, name="Ahead of the line")
    behind = make_indicator(outcome, keeper, name="Behind the line")
    worse = make_indicator(outcome, keeper, name="Worse than the baseline")
    make_indicator(outcome, keeper, name="Never measured")
    _record(ahead, keeper, "60")
    _record(behind, keeper, "50")
    _record(worse, keeper, "35")
    page = _page(_get(reverse("outcomes:service_outcomes", args=[world.service.slug])))
    assert "On track" in _row(page, "Ahead of the line")
    assert "At risk" in _row(page, "Behind the line")
    assert "Off track" in _row(page, "Worse than the baseline")
    never = _row(page, "Never measured")
    assert "Not measured yet" in never
    assert "govuk-tag--grey" in never


def test_the_summary_counts_indicators_by_kind_and_status(world: World) -> None:
    keeper, outcome = _framework(world.service)
    _record(make_indicator(outcome, keeper, name="Social one"), keeper, "60")
    make_indicator(outcome, keeper, name="Green one", pillar="environmental")
    page = _page(_get(reverse("outcomes:service_outcomes", args=[world.service.slug])))
    social = _row(page, '<th scope="row" class="govuk-table__header">Social</th>')
    cells = re.findall(
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>', social
    )
    assert cells == ["1", "0", "0", "0", "1"]  # on track, at risk, off track, not measured, all
    environmental = _row(page, '<th scope="row" class="govuk-table__header">Environmental</th>')
    cells = re.findall(
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>', environmental
    )
    assert cells == ["0", "0", "0", "1", "1"]


def test_a_service_without_outcomes_says_so(world: World) -> None:
    response = _get(reverse("outcomes:service_outcomes", args=[world.service.slug]))
    assert response.status_code == 200
    assert "has not set out its outcomes yet" in _page(response)


def test_a_draft_services_outcomes_are_hidden_from_visitors(world: World) -> None:
    keeper, _outcome = _framework(world.draft_service)
    url = reverse("outcomes:service_outcomes", args=[world.draft_service.slug])
    assert _get(url).status_code == 404
    assert _get(url, world.people["resident"]).status_code == 404
    assert _get(url, keeper).status_code == 200


def test_the_service_page_shows_the_summary_only_with_a_framework(world: World) -> None:
    link = "See every outcome and how it is measured"
    assert link not in _page(_get(world.service.get_absolute_url()))
    _framework(world.service)
    page = _page(_get(world.service.get_absolute_url()))
    assert link in page
    assert reverse("outcomes:service_outcomes", args=[world.service.slug]) in page
    assert "Indicators by kind of value and status" in page


# --- An indicator -------------------------------------------------------------------------------


def test_the_indicator_page_shows_what_it_measures_its_status_and_the_rule(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_indicator(outcome, keeper, name="Seen within four weeks")
    _record(indicator, keeper, "50")
    response = _get(indicator.get_absolute_url())
    assert response.status_code == 200
    page = _page(response)
    assert "Seen within four weeks" in page
    assert f"#outcome-{outcome.pk}" in page
    assert "Higher is better" in page
    assert "Every three months" in page
    assert "Referral records of the youth mental health service" in page
    assert f"40 % on {indicator.baseline_on.strftime('%-d %B %Y')}" in page
    assert f"70 % by {indicator.target_on.strftime('%-d %B %Y')}" in page
    assert "At risk" in page
    assert str(STATUS_RULE) in page


def test_the_chart_is_an_svg_with_a_title_and_no_inline_styles(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_indicator(outcome, keeper)
    _record(indicator, keeper, "45", days_ago=100)
    _record(indicator, keeper, "52")
    page = _page(_get(indicator.get_absolute_url()))
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "style=" not in svg
    assert svg.count('class="app-trend-chart__point"') == 2


def test_the_table_lists_every_measurement(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_indicator(outcome, keeper)
    days = [200, 110, 20]
    for number, days_ago in enumerate(days):
        _record(indicator, keeper, str(41 + number), days_ago=days_ago, note=f"Note {number}")
    page = _page(_get(indicator.get_absolute_url()))
    table = page[page.index('id="values"') : page.index("</table>", page.index('id="values"'))]
    body = table[table.index("<tbody") :]
    assert body.count("<tr") == len(days)
    for number, days_ago in enumerate(days):
        day = timezone.localdate() - dt.timedelta(days=days_ago)
        assert day.isoformat() in body
        assert f"{41 + number} %" in body
        assert f"Note {number}" in body
    assert "Entered by staff" in body


def test_a_period_with_too_few_answers_shows_no_number(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper, name="Easy to get an appointment")
    _answers(indicator, [5, 5, 4], django_capture_on_commit_callbacks)  # an average of 4.67
    assert Measurement.objects.get(indicator=indicator).value is None
    page = _page(_get(indicator.get_absolute_url()))
    assert "Too few answers (3)" in page
    assert "4.67" not in _outside_chart(page)
    assert 'class="app-trend-chart__point"' not in page
    assert 'class="app-trend-chart__gap"' in page
    listing = _page(_get(reverse("outcomes:service_outcomes", args=[world.service.slug])))
    row = _row(listing, "Easy to get an appointment")
    assert "Too few answers" in row
    assert "4.67" not in row


def test_a_period_with_enough_answers_shows_their_average(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)
    _answers(indicator, [4] * 7 + [5] * 3, django_capture_on_commit_callbacks)  # 43 / 10
    page = _page(_get(indicator.get_absolute_url()))
    assert "4.30 average out of 5" in page
    assert "Too few answers" not in page
    assert "Reported by residents" in page


def test_the_by_cycle_table_appears_once_there_is_a_second_cycle(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_indicator(outcome, keeper)
    _record(indicator, keeper, "45", days_ago=100)
    assert "By cycle" not in _page(_get(indicator.get_absolute_url()))
    Service.objects.filter(pk=world.service.pk).update(current_cycle=2)
    indicator = Indicator.objects.get(pk=indicator.pk)
    _record(indicator, keeper, "62")
    page = _page(_get(indicator.get_absolute_url()))
    assert "By cycle" in page
    assert "On track" in _row(page, "Cycle 2</th>")
    assert "At risk" in _row(page, "Cycle 1</th>")


def test_a_draft_services_indicator_is_hidden_from_visitors(world: World) -> None:
    keeper, outcome = _framework(world.draft_service)
    indicator = make_check_indicator(outcome, keeper)
    assert _get(indicator.get_absolute_url()).status_code == 404
    assert _get(indicator.get_absolute_url(), world.people["resident"]).status_code == 404
    response = client_for(world.people["resident"]).post(
        reverse("outcomes:check_answer", args=[indicator.pk]), {"rating": "3"}
    )
    assert response.status_code == 404
    assert not CheckAnswer.objects.exists()


# --- The check ----------------------------------------------------------------------------------


def test_signed_out_visitors_see_a_sign_in_link_and_posts_go_to_sign_in(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)
    page = _page(_get(indicator.get_absolute_url()))
    assert "How easy was it to get an appointment?" in page
    next_page = indicator.get_absolute_url().replace("/", "%2F")
    assert f'href="{reverse("account_login")}?next={next_page}"' in page
    assert 'name="rating"' not in page
    response = Client().post(reverse("outcomes:check_answer", args=[indicator.pk]), {"rating": "3"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not CheckAnswer.objects.exists()


def test_a_resident_sees_the_question_as_radios(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)
    page = _page(_get(indicator.get_absolute_url(), world.people["resident"]))
    assert '<legend class="govuk-fieldset__legend' in page
    assert page.count('type="radio"') == 5
    assert "1 (worst)" in page
    assert "5 (best)" in page
    assert reverse("outcomes:check_answer", args=[indicator.pk]) in page


@pytest.mark.parametrize("posted", [{"rating": "7"}, {"rating": "x"}, {}])
def test_a_bad_rating_is_refused_on_the_page(world: World, posted: dict[str, str]) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)
    response = client_for(world.people["resident"]).post(
        reverse("outcomes:check_answer", args=[indicator.pk]), posted
    )
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert f'<a href="#id_rating_0">{CHOOSE}</a>' in page
    assert "govuk-form-group--error" in page
    assert page.split("<title>")[1].startswith("Error:")
    assert not CheckAnswer.objects.exists()


def test_a_good_rating_is_saved_and_thanked_for_its_period(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)  # monthly
    resident = client_for(world.people["resident"])
    url = reverse("outcomes:check_answer", args=[indicator.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post(url, {"rating": "4"})
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    answer = CheckAnswer.objects.get()
    assert (answer.rating, answer.respondent) == (4, world.people["resident"])
    assert Measurement.objects.get(indicator=indicator).answers == 1
    page = _page(resident.get(indicator.get_absolute_url()))
    month = timezone.localdate().strftime("%B %Y")
    assert f"Thank you. Your answer counts toward {month}." in page
    assert f"You answered 4 for {month}" in page
    assert re.search(r'value="4"\s+checked', page)


def test_answering_again_changes_the_answer(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)
    resident = client_for(world.people["resident"])
    url = reverse("outcomes:check_answer", args=[indicator.pk])
    for rating in ("2", "5"):
        with django_capture_on_commit_callbacks(execute=True):
            assert resident.post(url, {"rating": rating}).status_code == 302
    assert list(CheckAnswer.objects.values_list("rating", flat=True)) == [5]
    page = _page(resident.get(indicator.get_absolute_url()))
    assert "You answered 5" in page
    assert "Change my answer" in page


def test_the_checks_address_opened_after_signing_in_goes_to_the_indicator(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)
    url = reverse("outcomes:check_answer", args=[indicator.pk])
    signed_out = Client().get(url)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(reverse("account_login"))
    signed_in = client_for(world.people["resident"]).get(url)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == indicator.get_absolute_url()
    assert not CheckAnswer.objects.exists()


def test_an_indicator_staff_measure_has_no_check(world: World) -> None:
    keeper, outcome = _framework(world.service)
    indicator = make_indicator(outcome, keeper)
    page = _page(_get(indicator.get_absolute_url(), world.people["resident"]))
    assert 'name="rating"' not in page
    response = client_for(world.people["resident"]).post(
        reverse("outcomes:check_answer", args=[indicator.pk]), {"rating": "3"}
    )
    assert response.status_code == 403


# --- Periods in words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "frequency", "words"),
    [
        (dt.date(2027, 3, 31), Frequency.MONTHLY, "March 2027"),
        (dt.date(2027, 3, 31), Frequency.QUARTERLY, "January to March 2027"),
        (dt.date(2026, 12, 31), Frequency.QUARTERLY, "October to December 2026"),
        (dt.date(2027, 12, 31), Frequency.YEARLY, "2027"),
        # Values made while a check was monthly, before its frequency was fixed (decision 0123).
        (dt.date(2027, 2, 28), Frequency.QUARTERLY, "February 2027"),
        (dt.date(2027, 1, 31), Frequency.QUARTERLY, "January 2027"),
        (dt.date(2027, 11, 30), Frequency.QUARTERLY, "November 2027"),
    ],
)
def test_periods_are_named_in_words(end: dt.date, frequency: str, words: str) -> None:
    assert period_name(end, frequency) == words


def test_every_date_has_a_period_name_whatever_the_frequency() -> None:
    first = dt.date(2028, 1, 1)  # a leap year
    for day in (first + dt.timedelta(days=n) for n in range(366)):
        for frequency in Frequency.values:
            assert period_name(day, frequency)


def test_a_value_from_before_a_check_became_quarterly_is_shown_by_its_month(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """Old data: a monthly check answered in February, then made quarterly (refused since
    decision 0123). Its page used to fail working out the quarter of 28 February."""
    keeper, outcome = _framework(world.service)
    indicator = make_check_indicator(outcome, keeper)  # asked every month
    today = timezone.localdate()
    february = dt.date(today.year if today.month > 2 else today.year - 1, 2, 10)
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_answer(
            indicator=indicator, respondent=UserFactory(), rating=4, today=february
        )
    assert indicator.measurements.get().measured_on.month == 2
    Indicator.objects.filter(pk=indicator.pk).update(frequency=Frequency.QUARTERLY)
    response = _get(indicator.get_absolute_url())
    assert response.status_code == 200
    assert f"February {february.year}" in _page(response)
