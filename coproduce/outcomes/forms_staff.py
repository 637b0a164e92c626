"""Forms of the staff pages of the outcomes framework: shape only; the actions check the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.common.dates import DateRange
from coproduce.common.forms import DateField, FixableForm, OneTimeForm
from coproduce.contributions.kinds import export_prefetches
from coproduce.contributions.models import Contribution
from coproduce.outcomes.actions import (
    CHECK_FIXED,
    FIXED_ONCE_ANSWERED,
    IndicatorFields,
    min_check_answers,
)
from coproduce.outcomes.models import VALUE_DIGITS, VALUE_PLACES, Direction, Frequency, Pillar
from coproduce.services.models import Service

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Every Welsh field is optional: until it is written, Welsh pages show the English (decision 0025).
WELSH_HINT = _("Welsh pages show the English until you add the Welsh.")
# A baseline may be planned a little ahead; a long-term target may be decades away.
BASELINE_DATES = DateRange(years_ahead=5)
TARGET_DATES = DateRange(years_ahead=30)
MEASURED_DATES = DateRange()  # a value is measured today or earlier
# Once residents have answered, their question is fixed but its Welsh may be corrected (0123).
WELSH_OF_FIXED_CHECK = _(
    "Residents have answered this question: write or correct the Welsh only so that it asks the "
    "same as the English."
)
SOURCES_OFFERED = 100  # the service's newest published contributions offered as sources
DECIMAL = forms.TextInput(
    attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
)


# --- Outcomes -----------------------------------------------------------------------------------


def offered_sources(service: Service, chosen: list[int]) -> QuerySet[Contribution]:
    """The contributions an outcome may come from: the service's newest published ones (at most
    SOURCES_OFFERED), and those already chosen, newest first, with what each needs for its text."""
    newest = list(
        Contribution.objects.for_service(service)
        .published()
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:SOURCES_OFFERED]
    )
    return (
        Contribution.objects.for_service(service)
        .published()
        .filter(pk__in=[*newest, *chosen])
        .with_details()
        .prefetch_related(*export_prefetches())
        .order_by("-created_at", "-id")
    )


class SourcesField(forms.ModelMultipleChoiceField[Contribution]):
    """Checkboxes labelled with each contribution's kind, title and the start of its words."""

    def clean(self, value: Any) -> Any:
        # Keys no row can have (not digits, beyond 64 bits) are refused before the database sees
        # them: databases answer those with an error, not an empty result.
        for key in value or []:
            if not (str(key).isdigit() and len(str(key)) < 19):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super().clean(value)

    def label_from_instance(self, obj: Contribution) -> str:
        try:
            title = str(obj.title)
            text = " ".join(str(obj.kind_spec.text(obj) or "").split())
        except (ObjectDoesNotExist, LookupError):  # its own row or kind is gone: name it by key
            return str(obj)
        label = f"{obj.get_kind_display()}: {Truncator(title).chars(80)}"
        if text and text != title:
            label += f" – {Truncator(text).chars(120)}"
        return label


class OutcomeForm(forms.Form):
    """An outcome in people's own words, and what they said that it came from."""

    title = forms.CharField(
        label=_("Outcome"),
        max_length=300,
        help_text=_(
            "What the service must achieve in the long run, in the words of the people who use "
            "it. For example, “Young people get help before things reach crisis point”."
        ),
        error_messages={"required": _("Write the outcome.")},
    )
    title_cy = forms.CharField(
        label=_("Outcome in Welsh (optional)"),
        max_length=300,
        required=False,
        help_text=WELSH_HINT,
    )
    description = forms.CharField(
        label=_("What it means (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How people described it, and what would be different for them."),
    )
    description_cy = forms.CharField(
        label=_("What it means, in Welsh (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sources = SourcesField(
        label=_("What people told us"),
        queryset=Contribution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the needs, stories, ideas and answers this outcome came from. The public page "
            "links to them, so people can see that the outcome is theirs. The newest 100 are "
            "listed."
        ),
        error_messages={"invalid_choice": _("Choose only contributions made to this service.")},
    )

    def __init__(self, *args: Any, service: Service, chosen: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = cast(SourcesField, self.fields["sources"])
        sources.queryset = offered_sources(service, chosen)
        if not sources.queryset.exists():
            sources.help_text = gettext(
                "Nobody has contributed to this service yet. Come back to link the outcome to "
                "what people say."
            )


class NewOutcomeForm(OneTimeForm, OutcomeForm):
    """Add an outcome (sent again, it adds nothing)."""


# --- Indicators ---------------------------------------------------------------------------------


def value_field(
    label: StrOrPromise,
    *,
    required: StrOrPromise,
    invalid: StrOrPromise,
    places: StrOrPromise,
    big: StrOrPromise,
    **kwargs: Any,
) -> forms.DecimalField:
    """A number with up to two decimals, typed in a text input (inputmode decimal)."""
    return forms.DecimalField(
        label=label,
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        widget=DECIMAL,
        error_messages={
            "required": required,
            "invalid": invalid,
            "max_decimal_places": places,
            "max_digits": big,
            "max_whole_digits": big,
        },
        **kwargs,
    )


class IndicatorForm(FixableForm):
    """Every field of an indicator (actions.IndicatorFields). With ``check_fixed`` (residents have
    answered its question, rules.check_may_change) the question and how often it is asked are
    shown disabled with the reason, and keep their saved values."""

    name = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        help_text=_("What is measured, for example “Young people seen within four weeks”."),
        error_messages={"required": _("Write what the indicator measures.")},
    )
    name_cy = forms.CharField(
        label=_("Indicator in Welsh (optional)"),
        max_length=200,
        required=False,
        help_text=WELSH_HINT,
    )
    pillar = forms.ChoiceField(
        label=_("Kind of value"),
        choices=Pillar.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Social: people's lives and communities. Environmental: nature, energy and waste. "
            "Economic: money, jobs and costs."
        ),
        error_messages={"required": _("Choose social, environmental or economic.")},
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        help_text=_("For example %, people, tonnes, days or “average out of 5”."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": _("Write the unit of the values.")},
    )
    direction = forms.ChoiceField(
        label=_("Which way is better"),
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether higher or lower values are better.")},
    )
    baseline = value_field(
        _("Baseline"),
        help_text=_("The value to start from."),
        required=_("Enter the baseline."),
        invalid=_("Enter the baseline as a number, for example 40 or 3.5."),
        places=_("Enter the baseline with at most 2 decimal places."),
        big=_("The baseline is too big."),
    )
    baseline_on = DateField(
        label=_("Date of the baseline"),
        name=_("the date of the baseline"),
        dates=BASELINE_DATES,
        help_text=_("For example, 31 3 2026"),
    )
    target = value_field(
        _("Target"),
        help_text=_("The value to reach: better than the baseline."),
        required=_("Enter the target."),
        invalid=_("Enter the target as a number, for example 70 or 4.5."),
        places=_("Enter the target with at most 2 decimal places."),
        big=_("The target is too big."),
    )
    target_on = DateField(
        label=_("Date of the target"),
        name=_("the date of the target"),
        dates=TARGET_DATES,
        help_text=_(
            "When the target should be reached, after the baseline. For example, 31 3 2028"
        ),
    )
    data_source = forms.CharField(
        label=_("Where the data come from"),
        max_length=300,
        help_text=_("For example, “Referral records of the service” or “Residents' answers”."),
        error_messages={"required": _("Say where the data come from.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often it is measured"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often it is measured.")},
    )
    check_question = forms.CharField(
        label=_("Question for residents (optional)"),
        max_length=200,
        required=False,
    )
    check_question_cy = forms.CharField(
        label=_("Question for residents, in Welsh (optional)"),
        max_length=200,
        required=False,
        help_text=WELSH_HINT,
    )

    def __init__(self, *args: Any, check_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["check_question"].help_text = " ".join(
            [
                gettext(
                    "Residents answer from 1 (worst) to 5 (best); the average of each period "
                    "becomes the value; fewer than %(min)d answers show as ‘too few answers’."
                )
                % {"min": min_check_answers()},
                gettext(
                    "Only residents give such an indicator values. Leave it empty for values "
                    "staff enter or import."
                ),
            ]
        )
        if check_fixed:
            self.fix(FIXED_ONCE_ANSWERED, CHECK_FIXED)
            self.fields["check_question_cy"].help_text = WELSH_OF_FIXED_CHECK

    def indicator_fields(self) -> IndicatorFields:
        """The cleaned fields, as the actions take them."""
        data = self.cleaned_data
        return IndicatorFields(
            name=data["name"],
            pillar=data["pillar"],
            unit=data["unit"],
            direction=data["direction"],
            baseline=cast(Decimal, data["baseline"]),
            baseline_on=data["baseline_on"],
            target=cast(Decimal, data["target"]),
            target_on=data["target_on"],
            data_source=data["data_source"],
            frequency=data["frequency"],
            check_question=data["check_question"],
            name_cy=data["name_cy"],
            check_question_cy=data["check_question_cy"],
        )


class NewIndicatorForm(OneTimeForm, IndicatorForm):
    """Add an indicator (sent again, it adds nothing)."""


def indicator_initial(indicator: Any) -> dict[str, Any]:
    """An indicator's fields, to start its form with."""
    return {name: getattr(indicator, name) for name in IndicatorFields.__dataclass_fields__}


# --- Measurements -------------------------------------------------------------------------------


class MeasurementForm(OneTimeForm):
    """One value of an indicator, on a date."""

    measured_on = DateField(
        label=_("Date of the value"),
        name=_("the date of the value"),
        dates=MEASURED_DATES,
        help_text=_(
            "The day it was measured, or the last day of the period. For example, 31 3 2026"
        ),
    )
    value = value_field(
        _("Value"),
        required=_("Enter the value."),
        invalid=_("Enter the value as a number, for example 42 or 3.5."),
        places=_("Enter the value with at most 2 decimal places."),
        big=_("The value is too big."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=300,
        required=False,
        help_text=_("Anything that explains the value, for example “Two weeks of staff illness”."),
    )
