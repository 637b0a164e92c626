"""The GOV.UK pattern each widget is drawn with (issue 18, defect 1)."""

from __future__ import annotations

import pytest
from django import forms

from coproduce.common.forms import DateField, widget_kind

CHOICES = [("a", "A"), ("b", "B")]


class EveryWidget(forms.Form):
    several = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    agree = forms.BooleanField()
    listed = forms.ChoiceField(choices=CHOICES)
    listed_several = forms.MultipleChoiceField(choices=CHOICES)
    text = forms.CharField(widget=forms.Textarea)
    upload = forms.FileField()
    secret = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField()
    when = DateField(name="the date")


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("several", "checkboxes"),  # CheckboxSelectMultiple subclasses RadioSelect
        ("one", "radios"),
        ("agree", "checkbox"),
        ("listed", "select"),
        ("listed_several", "select"),
        ("text", "textarea"),
        ("upload", "file"),
        ("secret", "hidden"),
        ("name", "input"),
        ("when", "date"),
    ],
)
def test_each_widget_has_its_pattern(field: str, kind: str) -> None:
    assert widget_kind(EveryWidget()[field]) == kind


def test_choose_several_is_drawn_as_checkboxes() -> None:
    html = str(EveryWidget(data={"several": ["a", "b"]})["several"].as_field_group())
    assert html.count('type="checkbox"') == 2
    assert html.count(" checked") == 2
    assert 'type="radio"' not in html
    assert 'class="govuk-checkboxes"' in html
