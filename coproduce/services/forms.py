"""Forms for services and activities: shape and field-level validation only."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.common.forms import DateField, FixableForm, OneTimeForm
from coproduce.common.languages import english_hint
from coproduce.organisations.models import Organisation
from coproduce.services.actions import STAGE_ENDED
from coproduce.services.models import (
    ACTIVITY_DATE_NAMES,
    ACTIVITY_DATES,
    ACTIVITY_TRANSITIONS,
    PROMISES,
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    PolicyArea,
    Stage,
)

# Every Welsh field is optional: until it is written, Welsh pages show the English (decision 0025).
WELSH_HINT = _("Welsh pages show the English until you add the Welsh.")


class ServiceSearchForm(forms.Form):
    """The home page search. Every field is optional; bad values become clear messages."""

    q = forms.CharField(label=_("Service name or keyword"), required=False, max_length=100)
    area = forms.CharField(
        label=_("Area"),
        required=False,
        max_length=100,
        help_text=_("For example, a town, borough or postcode area."),
    )
    policy_area = forms.ChoiceField(
        label=_("Policy area"),
        required=False,
        choices=[("", _("Any policy area")), *PolicyArea.choices],
    )


class ServiceForm(forms.Form):
    """Create or edit a service."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation that runs the service"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your organisations.")},
    )
    name = forms.CharField(label=_("Service name"), max_length=200)
    name_cy = forms.CharField(
        label=_("Name in Welsh (optional)"), max_length=200, required=False, help_text=WELSH_HINT
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        help_text=_("One or two sentences that tell residents what the service does."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary_cy = forms.CharField(
        label=_("Summary in Welsh (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    description_cy = forms.CharField(
        label=_("Description in Welsh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    policy_area = forms.ChoiceField(
        label=_("Policy area"), choices=PolicyArea.choices, widget=forms.RadioSelect
    )
    area_served = forms.CharField(
        label=_("Area served"), max_length=200, help_text=_("For example, Northfield borough.")
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other organisations that help run this service."),
    )

    def __init__(
        self, *args: Any, organisations: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations
        if editing:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        organisation = data.get("organisation")
        partners = data.get("partners") or []
        if organisation and organisation in partners:
            self.add_error(
                "partners", _("The organisation that runs the service cannot also be its partner.")
            )
        return data


class NewServiceForm(OneTimeForm, ServiceForm):
    """Create a service (sent again, it creates nothing)."""


class InvolvementForm(FixableForm):
    """The planned IAP2 level for each of the five stages of the current cycle."""

    def __init__(
        self,
        *args: Any,
        initial_levels: dict[str, str],
        ended: Collection[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Not decided yet"))] + [
            (level, f"{label} – {PROMISES[level]}") for level, label in InvolvementLevel.choices
        ]
        for stage, label in Stage.choices:
            self.fields[stage] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=initial_levels.get(stage, ""),
            )
        self.fix(ended, STAGE_ENDED)


class AdvanceStageForm(OneTimeForm):
    """End the current stage: once per page, since sending it again would end the next one."""

    summary = forms.CharField(
        label=_("What happened in this stage"),
        help_text=_("A short public summary. Residents will read it on the service page."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that this ends the current stage for everyone"),
        error_messages={"required": _("Confirm that you want to end the current stage.")},
    )


class ActivityForm(forms.Form):
    """Create or edit an activity."""

    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=_("Method"), choices=ActivityKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    title_cy = forms.CharField(
        label=_("Title in Welsh (optional)"), max_length=200, required=False, help_text=WELSH_HINT
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_cy = forms.CharField(
        label=_("Summary in Welsh (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    how_to_take_part = forms.CharField(
        label=_("How to take part"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where, when and how residents can join in."),
    )
    how_to_take_part_cy = forms.CharField(
        label=_("How to take part, in Welsh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    opens_on = DateField(
        label=_("Opens on"),
        name=ACTIVITY_DATE_NAMES["opens_on"],
        dates=ACTIVITY_DATES,
        required=False,
        help_text=_("For example, 1 3 2027"),
    )
    closes_on = DateField(
        label=_("Closes on"),
        name=ACTIVITY_DATE_NAMES["closes_on"],
        dates=ACTIVITY_DATES,
        required=False,
        help_text=_("For example, 15 4 2027"),
    )

    # Only once the activity has been reported, beside the "What came of it" it was reported with.
    outcome_cy = forms.CharField(
        label=_("What came of it, in Welsh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, editing: bool = False, outcome: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["stage"]
        if outcome:
            self.fields["outcome_cy"].help_text = english_hint(outcome)
        else:
            del self.fields["outcome_cy"]

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date must be on or after the opening date."))
        return data


class NewActivityForm(OneTimeForm, ActivityForm):
    """Add an activity (sent again, it adds nothing)."""


class ActivityTransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Change the state to"), widget=forms.RadioSelect)
    outcome = forms.CharField(
        label=_("What came of it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Needed to report an activity: what people said, and what was done with it."),
    )
    outcome_cy = forms.CharField(
        label=_("What came of it, in Welsh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=WELSH_HINT,
    )

    def __init__(self, *args: Any, current_state: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ActivityState.choices)
        to_state = self.fields["to_state"]
        assert isinstance(to_state, forms.ChoiceField)
        to_state.choices = [(s, labels[s]) for s in ACTIVITY_TRANSITIONS[current_state]]
