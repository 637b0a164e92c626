"""FixableForm: a fixed field keeps its saved value; a change sent from an old page is refused on
the field, never dropped in silence (decision 0134)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms

from coproduce.common.forms import DateField, FixableForm

REASON = "This cannot change now: people have voted."
SAVED = {
    "title": "Evening support",
    "day": dt.date(2027, 3, 1),
    "kind": "b",
    "open": True,
    "lines": "Mondays\nThursdays",
}


class Settings(FixableForm):
    title = forms.CharField()
    day = DateField(name="the day")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    open = forms.BooleanField(required=False)
    note = forms.CharField(required=False)
    lines = forms.CharField(widget=forms.Textarea)


def _form(data: dict[str, Any]) -> Settings:
    form = Settings(data, initial=SAVED)
    form.fix(["title", "day", "kind", "open", "lines"], REASON)
    return form


def test_fixed_fields_show_disabled_with_the_reason() -> None:
    form = _form({})
    for name in ("title", "day", "kind", "open", "lines"):
        assert form.fields[name].disabled
        assert form.fields[name].help_text == REASON
    assert not form.fields["note"].disabled


def test_left_out_as_a_browser_leaves_them_the_saved_values_stand() -> None:
    form = _form({"note": "Thursdays"})
    assert form.is_valid(), form.errors
    assert {name: form.cleaned_data[name] for name in SAVED} == SAVED
    assert form.cleaned_data["note"] == "Thursdays"


def test_the_same_values_sent_again_are_not_a_change() -> None:
    same = {
        "title": " Evening support ",
        "day_day": "1",
        "day_month": "03",
        "day_year": "2027",
        "kind": "b",
        "open": "on",
        "lines": "Mondays\r\nThursdays",  # as a browser sends a text area
    }
    assert _form(same).is_valid()


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"title": "Daytime support"}, "title"),
        ({"day_day": "2", "day_month": "3", "day_year": "2027"}, "day"),
        ({"day_day": "", "day_month": "", "day_year": "2027"}, "day"),  # partly cleared
        ({"kind": "a"}, "kind"),
        ({"kind": "c"}, "kind"),  # not even a choice
        ({"lines": "Mondays\r\nFridays"}, "lines"),
    ],
)
def test_a_change_from_an_old_page_is_refused_on_its_field(
    sent: dict[str, str], field: str
) -> None:
    form = _form({**sent, "note": "Thursdays"})
    assert not form.is_valid()
    assert form.errors == {field: [REASON]}
    assert form.fields[field].disabled  # shown again disabled, with the saved value
