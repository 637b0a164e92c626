"""The GOV.UK date input: day, month and year, its messages and its markup (decision 0019)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django import forms
from django.utils import timezone

from coproduce.common.dates import DateRange, years_after
from coproduce.common.forms import DateField, date_parts, error_target


class DecisionDate(forms.Form):
    decided_on = DateField(
        label="Date of the decision",
        name="the date of the decision",
        dates=DateRange(),
        help_text="For example, 27 3 2026",
    )


class ActivityDates(forms.Form):
    opens_on = DateField(
        label="Opens on", name="the opening date", dates=DateRange(years_ahead=10), required=False
    )


def posted(day: Any = "", month: Any = "", year: Any = "", field: str = "decided_on") -> dict:
    return {f"{field}_day": day, f"{field}_month": month, f"{field}_year": year}


def clean(day: Any = "", month: Any = "", year: Any = "") -> tuple[Any, list[str], set[str]]:
    """The cleaned date, the messages and the parts highlighted."""
    form = DecisionDate(data=posted(day, month, year))
    valid = form.is_valid()
    field = form["decided_on"]
    wrong = {part["name"].rsplit("_", 1)[1] for part in date_parts(field) if part["error"]}
    messages = [str(error) for error in field.errors]
    return (form.cleaned_data["decided_on"] if valid else None), messages, wrong


def test_day_month_and_year_make_a_date() -> None:
    assert clean("2", "12", "2025") == (dt.date(2025, 12, 2), [], set())
    assert clean(" 02 ", "03", "2026")[0] == dt.date(2026, 3, 2)


def test_02_12_can_only_be_read_one_way() -> None:
    """Typed into day and month, "02/12/2026" is 2 December, whatever the browser's locale."""
    assert clean("02", "12", "2025")[0] == dt.date(2025, 12, 2)
    assert clean("12", "02", "2026")[0] == dt.date(2026, 2, 12)


@pytest.mark.parametrize(
    ("month", "number"),
    [("Jan", 1), ("february", 2), ("SEPT", 9), ("Rhagfyr", 12), ("mai", 5)],
)
def test_month_names_are_understood(month: str, number: int) -> None:
    assert clean("1", month, "2025")[0] == dt.date(2025, number, 1)


def test_nothing_entered() -> None:
    assert clean() == (None, ["Enter the date of the decision."], {"day", "month", "year"})
    assert ActivityDates(data=posted(field="opens_on")).is_valid()  # optional: no date is fine


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "wrong"),
    [
        ("", "3", "2026", "must include a day.", {"day"}),
        ("1", "", "2026", "must include a month.", {"month"}),
        ("1", "3", "", "must include a year.", {"year"}),
        ("", "", "2026", "must include a day and month.", {"day", "month"}),
        ("", "3", "", "must include a day and year.", {"day", "year"}),
        ("1", "", "", "must include a month and year.", {"month", "year"}),
    ],
)
def test_a_missing_part(day: str, month: str, year: str, message: str, wrong: set[str]) -> None:
    assert clean(day, month, year) == (None, [f"The date of the decision {message}"], wrong)


@pytest.mark.parametrize(
    ("day", "month", "year", "wrong"),
    [
        ("31", "2", "2026", {"day"}),  # no 31 February
        ("29", "2", "2025", {"day"}),  # not a leap year
        ("0", "3", "2026", {"day"}),
        ("1", "13", "2026", {"month"}),
        ("1", "0", "2026", {"month"}),
        ("x", "3", "2026", {"day"}),
        ("1", "Marchember", "2026", {"month"}),
        ("1", "3", "2O26", {"year"}),
        ("1", "-3", "2026", {"month"}),
        ("1.5", "3", "2026", {"day"}),
        ("١", "3", "2026", {"day"}),  # digits of another script
        ("99999", "3", "2026", {"day"}),
        ("1", "3", "0000", {"year"}),
        ("a", "b", "2026", {"day", "month"}),
    ],
)
def test_a_date_that_cannot_be_real(day: str, month: str, year: str, wrong: set[str]) -> None:
    assert clean(day, month, year) == (
        None,
        ["The date of the decision must be a real date."],
        wrong,
    )


@pytest.mark.parametrize("year", ["26", "202", "20261", "2" * 5000])
def test_a_year_needs_4_numbers(year: str) -> None:
    message = "The date of the decision must include a year with 4 numbers."
    assert clean("1", "3", year)[1:] == ([message], {"year"})


def test_the_decisions_range() -> None:
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    assert clean(today.day, today.month, today.year)[0] == today
    future = ["The date of the decision must be today or in the past."]
    assert clean(tomorrow.day, tomorrow.month, tomorrow.year)[1:] == (
        future,
        {"day", "month", "year"},
    )
    assert clean("31", "12", "9999")[1] == future
    assert clean("1", "1", "2000")[0] == dt.date(2000, 1, 1)
    (message,) = clean("31", "12", "1999")[1]
    assert message.startswith("The date of the decision must be between 1 January 2000 and ")
    assert clean("1", "1", "0001")[1] == [message]


def test_the_activities_range() -> None:
    today = timezone.localdate()
    latest = years_after(today, 10)
    after = latest + dt.timedelta(days=1)
    for day, valid in ((latest, True), (after, False), (dt.date(1999, 12, 31), False)):
        form = ActivityDates(data=posted(day.day, day.month, day.year, field="opens_on"))
        assert form.is_valid() == valid, day
    form = ActivityDates(data=posted("1", "1", "9999", field="opens_on"))
    assert form.errors["opens_on"] == [
        "The opening date must be between 1 January 2000 and "
        f"{latest.day} {latest.strftime('%B')} {latest.year}."
    ]


def test_years_after_a_29_february() -> None:
    assert years_after(dt.date(2028, 2, 29), 10) == dt.date(2038, 2, 28)


def test_it_is_drawn_as_the_gov_uk_date_input() -> None:
    form = DecisionDate(initial={"decided_on": dt.date(2026, 3, 27)})
    html = str(form["decided_on"].as_field_group())
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_decided_on-hint">'
        in html
    )
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of the decision</legend>'
        in html
    )
    assert '<div id="id_decided_on-hint" class="govuk-hint">For example, 27 3 2026</div>' in html
    inputs = re.findall(r"<input [^>]*>", html)
    assert inputs == [
        '<input class="govuk-input govuk-date-input__input govuk-input--width-2" '
        f'id="id_decided_on-{part}" name="decided_on_{part}" type="text" inputmode="numeric" '
        f'value="{value}">'
        for part, value in (("day", "27"), ("month", "3"))
    ] + [
        '<input class="govuk-input govuk-date-input__input govuk-input--width-4" '
        'id="id_decided_on-year" name="decided_on_year" type="text" inputmode="numeric" '
        'value="2026">'
    ]
    for part in ("Day", "Month", "Year"):
        assert f'for="id_decided_on-{part.lower()}">{part}</label>' in html
    assert 'type="date"' not in html


def test_errors_highlight_only_the_wrong_part_and_keep_what_was_typed() -> None:
    form = DecisionDate(data=posted("31", "2", "2026"))
    assert not form.is_valid()
    html = str(form)
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_decided_on-hint id_decided_on-error"' in html
    assert html.count("govuk-input--error") == 1
    assert 'govuk-input--width-2 govuk-input--error" id="id_decided_on-day"' in html
    assert 'name="decided_on_month" type="text" inputmode="numeric" value="2"' in html
    # The error summary links to the part to correct.
    assert '<a href="#id_decided_on-day">The date of the decision must be a real date.</a>' in html
    assert error_target(form["decided_on"]) == "id_decided_on-day"
    month = DecisionDate(data=posted("3", "", "2026"))
    month.is_valid()
    assert error_target(month["decided_on"]) == "id_decided_on-month"


def test_an_actions_error_highlights_the_whole_date() -> None:
    form = DecisionDate(data=posted("1", "3", "2026"))
    assert form.is_valid()
    form.add_error("decided_on", "Something the action found.")
    assert {part["name"] for part in date_parts(form["decided_on"]) if part["error"]} == {
        "decided_on_day",
        "decided_on_month",
        "decided_on_year",
    }


def test_odd_posts_are_errors_not_crashes() -> None:
    for data in ({"decided_on": "2026-03-01"}, {"decided_on_day": ["1", "2"]}, {}):
        form = DecisionDate(data=data)
        assert not form.is_valid()
        assert form.errors["decided_on"]
