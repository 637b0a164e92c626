"""Forms of equality monitoring: shape only; the actions check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.equality.actions import district
from coproduce.equality.categories import CATEGORIES, DISTRICT_QUESTION, POSTCODE_DISTRICT
from coproduce.equality.models import PopulationArea


class AnswersForm(forms.Form):
    """Every question is optional and offers "Prefer not to say"; consent is not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            self.fields[category.code] = forms.ChoiceField(
                label=category.question,
                help_text=category.hint,
                choices=category.choices,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields[POSTCODE_DISTRICT] = forms.CharField(
            label=DISTRICT_QUESTION,
            help_text=_(
                "For example B31. Only the first half: it places you in an area, not at an address."
            ),
            required=False,
            max_length=10,
            widget=forms.TextInput(
                attrs={
                    "class": "govuk-input--width-5",
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            ),
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I agree that coproduce keeps these answers, as explained above, until I "
                "withdraw them"
            ),
            required=True,
            error_messages={
                "required": _("Tick the box to say you agree, or leave this page without saving.")
            },
        )

    def answers(self) -> dict[str, str]:
        """The answers given, by category code."""
        return {
            code: str(value)
            for code, value in self.cleaned_data.items()
            if code != "consent" and value
        }


class SurveyAnswersForm(AnswersForm):
    """The same questions at the end of an anonymous survey answer: all optional, the box too;
    answers are kept only when it is ticked (decision 0110)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent = self.fields["consent"]
        consent.required = False
        consent.label = _(
            "I agree that coproduce keeps these answers with my survey answers, as explained "
            "above, without my name or email address"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.answers() and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Tick the box to say you agree to us keeping your answers about you, or "
                    "clear them."
                ),
            )
        district_typed = cleaned.get(POSTCODE_DISTRICT)
        if district_typed and not district(district_typed):
            self.add_error(
                POSTCODE_DISTRICT,
                _("Enter the first half of a postcode, like B31, or leave it empty."),
            )
        return cleaned

    def kept(self) -> dict[str, str] | None:
        """The answers to keep, or None when the box was not ticked."""
        return self.answers() if self.cleaned_data.get("consent") else None


class AreaForm(forms.Form):
    code = forms.CharField(
        label=_("Area code"),
        max_length=20,
        help_text=_("The ONS code of the area, for example E08000025 for Birmingham."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(
        label=_("Where the figures come from (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example “ONS, Census 2021, tables TS007A and TS021”."),
    )


class ServiceAreaForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Compare with the population of"),
        queryset=PopulationArea.objects.none(),
        required=False,
        empty_label=_("No area"),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PopulationArea.objects.filter(organisation_id=organisation_id)
