"""Forms for decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.codesign.models import Contribution
from coproduce.services.models import Stage


class ContributionChoiceField(forms.ModelMultipleChoiceField[Contribution]):
    """Checkboxes labelled with the kind and title of each contribution."""

    def label_from_instance(self, obj: Contribution) -> str:
        return f"{obj.get_kind_display()}: {obj.title}"


class DecisionForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("What was decided"), max_length=200)
    description = forms.CharField(
        label=_("Details and reasons"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what will happen, and why. Mention what people said that shaped it."),
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("A person, role or board, for example 'Health and Wellbeing Board'."),
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example, 2026-11-20."),
    )
    contributions = ContributionChoiceField(
        label=_("Contributions that informed it"),
        queryset=Contribution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose contributions made to this service.")},
    )

    def __init__(self, *args: Any, contributions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contributions"]
        assert isinstance(field, ContributionChoiceField)
        field.queryset = contributions

    def clean_decided_on(self) -> Any:
        value = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the decision must be today or in the past."))
        return value


class LinkContributionsForm(forms.Form):
    contributions = ContributionChoiceField(
        label=_("Contributions to link"),
        queryset=Contribution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one contribution.")},
    )

    def __init__(self, *args: Any, contributions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contributions"]
        assert isinstance(field, ContributionChoiceField)
        field.queryset = contributions
