"""Forms of the staff pages of a commissioning round: the set-up, the criteria and publishing the
weights. Shape only: the actions check the timetable, the names and the weights' total."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.commissioning.actions import RoundFields
from coproduce.commissioning.models import POINTS, Criterion, CriterionKind, Round
from coproduce.commissioning.rules import bids_closed, fixed_set_up
from coproduce.common.dates import DateRange
from coproduce.common.forms import DateField, FixableForm, OneTimeForm
from coproduce.common.languages import in_language
from coproduce.contributions.models import Decision
from coproduce.outcomes.models import Indicator
from coproduce.services.models import Service

# Every Welsh field is optional: until it is written, Welsh pages show the English (decision 0025).
WELSH_HINT = _("Welsh pages show the English until you add the Welsh.")
# A round's dates: planned up to ten years ahead, like its activity's (decision 0019).
ROUND_DATES = DateRange(years_ahead=10)
DECISIONS_OFFERED = 50  # the service's newest decisions offered as what the round answers
TIME_HINT = _("Use the 24-hour clock, for example 12:00")
GROUPED_CHECKBOXES = "commissioning/staff/_grouped_checkboxes.html"


# --- Choices: decisions and indicators of the service ---------------------------------------------


class KeysField(forms.ModelMultipleChoiceField):
    """Checkboxes of rows that turn away keys no row can have before the database sees them."""

    def clean(self, value: Any) -> Any:
        for key in value or []:
            if not (str(key).isdigit() and len(str(key)) < 19):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super().clean(value)


class DecisionsField(KeysField):
    def label_from_instance(self, obj: Decision) -> str:
        return gettext("%(title)s (decided on %(day)s)") % {
            "title": in_language(obj, "title").text,
            "day": date_format(obj.decided_on, "j F Y"),
        }


class IndicatorsField(KeysField):
    """The service's outcome indicators, drawn in groups by outcome (GROUPED_CHECKBOXES)."""

    def label_from_instance(self, obj: Indicator) -> str:
        return in_language(obj, "name").text


def offered_decisions(service: Service, chosen: Iterable[int]) -> QuerySet[Decision]:
    """The service's newest DECISIONS_OFFERED decisions and those already chosen, newest first."""
    newest = list(
        Decision.objects.filter(service=service)
        .order_by("-decided_on", "-id")
        .values_list("pk", flat=True)[:DECISIONS_OFFERED]
    )
    return Decision.objects.filter(service=service, pk__in=[*newest, *chosen]).order_by(
        "-decided_on", "-id"
    )


def service_indicators(service: Service) -> QuerySet[Indicator]:
    """The indicators of the service's outcomes framework, in the framework's order."""
    return (
        Indicator.objects.filter(outcome__service=service)
        .select_related("outcome")
        .order_by("outcome__position", "outcome_id", "position", "id")
    )


def _indicators_field(label: Any, help_text: Any) -> IndicatorsField:
    return IndicatorsField(
        label=label,
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        template_name=GROUPED_CHECKBOXES,
        error_messages={
            "invalid_choice": _("Choose indicators of this service's outcomes framework.")
        },
    )


class IndicatorChoices(forms.Form):
    """A form with the service's indicators as checkboxes grouped by outcome; without any, the
    field is left out and the page says where to add them."""

    def offer_indicators(self, service: Service) -> None:
        indicators = service_indicators(service)
        if indicators.exists():
            cast(IndicatorsField, self.fields["indicators"]).queryset = indicators
        else:
            del self.fields["indicators"]

    def indicator_groups(self) -> list[dict[str, Any]]:
        """The indicator checkboxes by outcome: [{"outcome": …, "options": [BoundWidget …]}]."""
        if "indicators" not in self.fields:
            return []
        options = self["indicators"].subwidgets
        return [
            {"outcome": outcome, "options": list(group)}
            for outcome, group in groupby(options, key=lambda o: o.data["value"].instance.outcome)
        ]


# --- The round ----------------------------------------------------------------------------------

# The form's fields for each of RoundFields' that are not one field on the form.
FORM_FIELDS = {"bids_close_at": ("bids_close_on", "bids_close_time")}
PRICE_FIXED = _("This cannot change now: the weights are published as shares of what price leaves.")
TERMS_FIXED = _("This cannot change now: bids have closed, and they answered it.")


def _date(label: Any, name: Any, example: Any) -> DateField:
    return DateField(label=label, name=name, dates=ROUND_DATES, help_text=example)


class RoundForm(IndicatorChoices, FixableForm):
    """Every field of a round (actions.RoundFields), and what it answers."""

    specification = forms.CharField(
        label=_("What the service must do"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The specification bidders answer: who the service is for, what it must achieve and "
            "what must be true of it. Write it so that residents can follow it too."
        ),
        error_messages={"required": _("Write what the service must do.")},
    )
    specification_cy = forms.CharField(
        label=_("What the service must do, in Welsh (optional)"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=WELSH_HINT,
    )
    contract_value = forms.DecimalField(
        label=_("Contract value in pounds (£)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("The most the contract is worth over its whole length, for example 1200000."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the contract value."),
            "invalid": _("Enter the contract value as a number, for example 1200000."),
            "min_value": _("The contract value cannot be less than 0."),
            "max_decimal_places": _("Enter the contract value with at most 2 decimal places."),
            "max_digits": _("The contract value is too big."),
            "max_whole_digits": _("The contract value is too big."),
        },
    )
    contract_months = forms.IntegerField(
        label=_("Contract length in months"),
        min_value=1,
        max_value=240,
        help_text=_("For example, 36 for three years."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the contract length in months."),
            "invalid": _("Enter the contract length as a whole number of months, like 36."),
            "min_value": _("The contract must last at least 1 month."),
            "max_value": _("The contract can last at most 240 months (20 years)."),
        },
    )
    weighting_closes_on = _date(
        _("Residents weigh the criteria until"),
        _("the last day residents weigh the criteria"),
        _("Before bids close, so that bidders know the weights. For example, 30 4 2026"),
    )
    questions_close_on = _date(
        _("Bidders' questions close on"),
        _("the day bidders' questions close"),
        _("On or before the day bids close. For example, 15 5 2026"),
    )
    bids_close_on = _date(
        _("Bids close on"),
        _("the day bids close"),
        _("For example, 29 5 2026"),
    )
    bids_close_time = forms.TimeField(
        label=_("Bids close at"),
        help_text=TIME_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": _("Enter the time bids close, for example 12:00."),
            "invalid": _("Enter the time bids close on the 24-hour clock, for example 12:00."),
        },
    )
    evaluation_on = _date(
        _("Evaluation on"),
        _("the day of the evaluation"),
        _("On or after the day bids close. For example, 8 6 2026"),
    )
    award_on = _date(
        _("Award on"),
        _("the day of the award"),
        _("On or after the evaluation. For example, 30 6 2026"),
    )
    standstill_days = forms.IntegerField(
        label=_("Standstill period in working days"),
        min_value=0,
        max_value=60,
        initial=8,
        help_text=_("How long bidders may challenge the award before the contract is signed."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the standstill period in working days, for example 8."),
            "invalid": _("Enter the standstill period as a whole number of days, like 8."),
            "min_value": _("The standstill period cannot be less than 0 days."),
            "max_value": _("The standstill period can be at most 60 working days."),
        },
    )
    price_weight = forms.IntegerField(
        label=_("Weight of price, in per cent of the award"),
        help_text=_(
            "From 0 to 100. Quality and social-value criteria share the rest; residents set "
            "their weights."
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the weight of price, from 0 to 100."),
            "invalid": _("Enter the weight of price as a whole number from 0 to 100."),
        },
    )
    decisions = DecisionsField(
        label=_("Decisions it answers"),
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the design decisions this round carries out. The round's page links to them. "
            "The newest 50 are listed."
        ),
        error_messages={"invalid_choice": _("Choose decisions of this service.")},
    )
    indicators = _indicators_field(
        _("Outcome indicators it answers"),
        _("Tick the indicators of the outcomes framework that the service must improve."),
    )

    def __init__(self, *args: Any, service: Service, round_: Round | None, **kwargs: Any) -> None:
        if round_ is not None:
            kwargs["initial"] = round_initial(round_)
        super().__init__(*args, **kwargs)
        self.round = round_
        chosen = list(round_.decisions.values_list("pk", flat=True)) if round_ else []
        decisions = cast(DecisionsField, self.fields["decisions"])
        decisions.queryset = offered_decisions(service, chosen)
        if not decisions.queryset.exists():
            decisions.help_text = gettext(
                "This service has recorded no decisions yet. Record the design decisions, then "
                "come back to say which ones this round answers."
            )
        self.offer_indicators(service)
        for name in fixed_set_up(round_):
            self.fix(
                [field for field in FORM_FIELDS.get(name, (name,)) if field in self.fields],
                PRICE_FIXED if name == "price_weight" and self._bidding() else TERMS_FIXED,
            )

    def _bidding(self) -> bool:
        return self.round is not None and not bids_closed(self.round)

    def round_fields(self) -> RoundFields:
        """The cleaned fields, as the actions take them (the closing time as saved, to the
        second, unless its day or time was changed)."""
        data = self.cleaned_data
        closes_at = dt.datetime.combine(
            data["bids_close_on"], data["bids_close_time"], tzinfo=timezone.get_current_timezone()
        )
        if self.round is not None and closes_at == self.round.bids_close_at.replace(
            second=0, microsecond=0
        ):
            closes_at = self.round.bids_close_at
        return RoundFields(
            specification=data["specification"],
            specification_cy=data["specification_cy"],
            contract_value=data["contract_value"],
            contract_months=data["contract_months"],
            weighting_closes_on=data["weighting_closes_on"],
            questions_close_on=data["questions_close_on"],
            bids_close_at=closes_at,
            evaluation_on=data["evaluation_on"],
            award_on=data["award_on"],
            standstill_days=data["standstill_days"],
            price_weight=data["price_weight"],
        )


def round_initial(round_: Round) -> dict[str, Any]:
    """A round's fields, to start its form with (bids' closing time in local time)."""
    closes_at = timezone.localtime(round_.bids_close_at)
    names = [name for name in RoundFields.__dataclass_fields__ if name != "bids_close_at"]
    return {
        **{name: getattr(round_, name) for name in names},
        "bids_close_on": closes_at.date(),
        "bids_close_time": closes_at.strftime("%H:%M"),
        "decisions": list(round_.decisions.values_list("pk", flat=True)),
        "indicators": list(round_.indicators.values_list("pk", flat=True)),
    }


# --- Criteria -----------------------------------------------------------------------------------


class CriterionForm(IndicatorChoices):
    """A criterion's words and the indicators it serves (its kind is fixed once added)."""

    name = forms.CharField(
        label=_("Criterion"),
        max_length=200,
        help_text=_("Short, in residents' words, for example “Young people are seen quickly”."),
        error_messages={"required": _("Write the criterion.")},
    )
    description = forms.CharField(
        label=_("What bidders must show (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What a bid must explain or commit to for this criterion."),
    )
    name_cy = forms.CharField(
        label=_("Criterion in Welsh (optional)"),
        max_length=200,
        required=False,
        help_text=WELSH_HINT,
    )
    description_cy = forms.CharField(
        label=_("What bidders must show, in Welsh (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    indicators = _indicators_field(
        _("Outcome indicators it serves (social value only)"),
        _(
            "For a social-value criterion: the indicators of the outcomes framework that "
            "bidders' commitments must serve. Leave them all unticked for a quality criterion."
        ),
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_indicators(service)

    def criterion_kind(self) -> str:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicators") and self.criterion_kind() == CriterionKind.QUALITY:
            self.add_error(
                "indicators",
                gettext(
                    "Only social-value criteria serve outcome indicators. Untick them, or make "
                    "this a social-value criterion."
                ),
            )
        return data


class NewCriterionForm(OneTimeForm, CriterionForm):
    """Add a criterion (sent again, it adds nothing): its kind first."""

    kind = forms.ChoiceField(
        label=_("Kind of criterion"),
        choices=CriterionKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Quality: how well the service will be run. Social value: what else it does for the "
            "area, such as local jobs."
        ),
        error_messages={"required": _("Choose quality or social value.")},
    )
    field_order = ["kind"]

    def criterion_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or "")


class EditCriterionForm(CriterionForm):
    """Change a criterion's words and indicators."""

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "name": criterion.name,
            "description": criterion.description,
            "name_cy": criterion.name_cy,
            "description_cy": criterion.description_cy,
            "indicators": list(criterion.indicators.values_list("pk", flat=True)),
        }
        self.criterion = criterion
        super().__init__(*args, **kwargs)

    def criterion_kind(self) -> str:
        return self.criterion.kind


# --- Publishing the weights ---------------------------------------------------------------------


def weight_field_name(criterion: Criterion) -> str:
    return f"weight_{criterion.pk}"


def residents_snapshot(weights: Mapping[int, int]) -> str:
    """What residents' points gave when the page was drawn, as text ("3:40,4:60")."""
    return ",".join(f"{key}:{value}" for key, value in sorted(weights.items()))


class PublishForm(forms.Form):
    """One weight per criterion (prefilled with what residents' points give), and the reason when
    they are changed. The action checks the total and that a change has its reason."""

    residents_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Why the weights differ from residents' (only if you change them)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Published beside the weights and sent to everyone who weighed them. Say plainly "
            "what you changed and why."
        ),
    )
    reason_cy = forms.CharField(
        label=_("Why the weights differ, in Welsh (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=WELSH_HINT,
    )

    def __init__(
        self,
        *args: Any,
        criteria: Iterable[Criterion],
        residents: Mapping[int, int],
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = {"residents_seen": residents_snapshot(residents)}
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        weights = {}
        for criterion in self.criteria:
            name = in_language(criterion, "name").text
            weights[weight_field_name(criterion)] = forms.IntegerField(
                label=name,
                help_text=gettext("Residents' points give %(points)d.")
                % {"points": residents.get(criterion.pk, 0)},
                min_value=0,
                max_value=POINTS,
                initial=residents.get(criterion.pk, 0),
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
                ),
                error_messages={
                    "required": gettext("Enter the weight of “%(criterion)s”.")
                    % {"criterion": name},
                    "invalid": gettext(
                        "Enter the weight of “%(criterion)s” as a whole number, like 20."
                    )
                    % {"criterion": name},
                    "min_value": gettext("Give “%(criterion)s” a weight of 0 or more.")
                    % {"criterion": name},
                    "max_value": gettext("Give “%(criterion)s” a weight of 100 or less.")
                    % {"criterion": name},
                },
            )
        # The weights come first, then the reason.
        self.fields = {**weights, **self.fields}

    def weights(self) -> dict[int, int]:
        """The cleaned weights by criterion key."""
        return {c.pk: int(self.cleaned_data[weight_field_name(c)]) for c in self.criteria}
