"""Forms of the bid pages and of bidders' questions. Shape and field checks only: the actions
(actions_bids) check the rules, the criteria, the indicators and the files."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.commissioning.actions_bids import (
    MAX_ATTACHMENTS,
    commitment_indicators,
    quality_criteria,
)
from coproduce.commissioning.forms_staff import WELSH_HINT
from coproduce.commissioning.models import Bid, BidStatus, Criterion, CriterionKind
from coproduce.common.forms import KeyChoiceField, OneTimeForm
from coproduce.common.languages import in_language
from coproduce.organisations.models import Organisation
from coproduce.outcomes.models import Indicator


def statement_field_name(criterion: Criterion) -> str:
    return f"statement_{criterion.pk}"


# --- Starting a bid ----------------------------------------------------------------------------


class StartForm(forms.Form):
    """Which of the person's organisations bids (a hidden choice when there is only one)."""

    organisation = KeyChoiceField(
        label=_("Which organisation is bidding?"),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the organisation that is bidding."),
            "invalid_choice": _("Choose one of your organisations that has not started a bid."),
        },
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, KeyChoiceField)
        field.queryset = organisations
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = organisations[0].pk


# --- The price, summary and method statements --------------------------------------------------


class BidForm(forms.Form):
    """The bid's price and summary, and one method statement per quality criterion. A submitted
    bid stays submitted while it changes, so then each of them is needed."""

    price = forms.DecimalField(
        label=_("Your price for the whole contract, in pounds (£)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("What you will charge over the contract's whole length, for example 1150000."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter your price: a submitted bid needs one."),
            "invalid": _("Enter your price as a number, for example 1150000."),
            "min_value": _("Your price cannot be less than 0."),
            "max_decimal_places": _("Enter your price with at most 2 decimal places."),
            "max_digits": _("Your price is too big."),
            "max_whole_digits": _("Your price is too big."),
        },
    )
    summary = forms.CharField(
        label=_("Summary of your bid (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who you are and how you will run the service, in a few sentences."),
        error_messages={"max_length": _("Write a summary of at most 2,000 characters.")},
    )

    def __init__(self, *args: Any, bid: Bid, **kwargs: Any) -> None:
        self.criteria = quality_criteria(bid.round)
        written = {s.criterion_id: s.text for s in bid.method_statements.all()}
        kwargs.setdefault(
            "initial",
            {
                "price": bid.price,
                "summary": bid.summary,
                **{statement_field_name(c): written.get(c.pk, "") for c in self.criteria},
            },
        )
        super().__init__(*args, **kwargs)
        submitted = bid.status == BidStatus.SUBMITTED
        self.fields["price"].required = submitted
        for criterion in self.criteria:
            name = in_language(criterion, "name").text
            self.fields[statement_field_name(criterion)] = forms.CharField(
                label=gettext("Method statement: %(criterion)s") % {"criterion": name},
                help_text=in_language(criterion, "description").text,
                max_length=20_000,
                required=submitted,
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={
                    "required": gettext(
                        "Write your method statement for “%(criterion)s”: a submitted bid needs "
                        "one for every quality criterion."
                    )
                    % {"criterion": name},
                    "max_length": gettext(
                        "Write the method statement for “%(criterion)s” in at most 20,000 "
                        "characters."
                    )
                    % {"criterion": name},
                },
            )

    def statements(self) -> dict[int, str]:
        """The cleaned statements by criterion key (empty: none)."""
        return {c.pk: self.cleaned_data.get(statement_field_name(c)) or "" for c in self.criteria}


# --- Social-value commitments ------------------------------------------------------------------


def measure_value(criterion: Criterion, indicator: Indicator) -> str:
    return f"{criterion.pk}-{indicator.pk}"


def measures(criteria: Iterable[Criterion]) -> list[tuple[Criterion, list[Indicator]]]:
    """Each social-value criterion with the indicators a commitment under it may measure (those
    with none left out)."""
    found = []
    for criterion in criteria:
        if criterion.kind != CriterionKind.SOCIAL_VALUE:
            continue
        indicators = commitment_indicators(criterion)
        if indicators:
            found.append((criterion, indicators))
    return found


class CommitmentForm(OneTimeForm):
    """One commitment: which criterion and indicator (one choice, grouped by criterion), how much,
    and in words."""

    measure = forms.ChoiceField(
        label=_("What you promise to improve"),
        help_text=_("The social-value criterion, and the outcome indicator it is measured by."),
        error_messages={
            "required": _("Choose what you promise to improve."),
            "invalid_choice": _("Choose one of the outcome indicators listed."),
        },
    )
    quantity = forms.DecimalField(
        label=_("How much"),
        max_digits=14,
        decimal_places=2,
        help_text=_("A number in the indicator's unit, for example 12."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter how much you promise, for example 12."),
            "invalid": _("Enter how much you promise as a number, for example 12."),
            "max_decimal_places": _("Enter the quantity with at most 2 decimal places."),
            "max_digits": _("The quantity is too big."),
            "max_whole_digits": _("The quantity is too big."),
        },
    )
    description = forms.CharField(
        label=_("What you promise, in words"),
        max_length=300,
        help_text=_("For example, “12 local young people employed for the whole contract”."),
        error_messages={
            "required": _("Say what you promise."),
            "max_length": _("Say what you promise in at most 300 characters."),
        },
    )

    def __init__(self, *args: Any, criteria: Iterable[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options: dict[str, tuple[Criterion, Indicator]] = {}
        choices: list[tuple[str, list[tuple[str, str]]]] = []
        for criterion, indicators in measures(criteria):
            group = []
            for indicator in indicators:
                value = measure_value(criterion, indicator)
                self.options[value] = (criterion, indicator)
                group.append(
                    (
                        value,
                        gettext("%(indicator)s (in %(unit)s)")
                        % {
                            "indicator": in_language(indicator, "name").text,
                            "unit": indicator.unit,
                        },
                    )
                )
            choices.append((in_language(criterion, "name").text, group))
        field = self.fields["measure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext("Choose an indicator")), *choices]

    def chosen(self) -> tuple[Criterion, Indicator]:
        return self.options[self.cleaned_data["measure"]]

    def clean_quantity(self) -> Decimal:
        quantity: Decimal = self.cleaned_data["quantity"]
        if quantity <= 0:
            raise forms.ValidationError(gettext("Promise a quantity greater than 0."))
        return quantity


# --- Files -------------------------------------------------------------------------------------


class AttachmentForm(forms.Form):
    """One file. Not a OneTimeForm: two different files send the same fields, and the action
    refuses the same file twice by its SHA-256."""

    upload = forms.FileField(
        label=_("Upload a file"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file you chose is empty."),
            "invalid": _("Choose a file to upload."),
            "missing": _("Choose a file to upload."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = gettext(
            "A PDF, Word (.docx) or OpenDocument text (.odt) file of at most 10 MB. A bid can "
            "have up to %(count)d files."
        ) % {"count": MAX_ATTACHMENTS}


# --- Clarification questions -------------------------------------------------------------------


class QuestionForm(OneTimeForm):
    question = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Once we answer it, your question and our answer are published on this page for "
            "everyone. Your name and your organisation are not."
        ),
        error_messages={
            "required": _("Write your question."),
            "max_length": _("Write your question in at most 4,000 characters."),
        },
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Published with the question for everyone. Do not say who asked."),
        error_messages={
            "required": _("Write the answer."),
            "max_length": _("Write the answer in at most 10,000 characters."),
        },
    )
    answer_cy = forms.CharField(
        label=_("Answer in Welsh (optional)"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=WELSH_HINT,
        error_messages={"max_length": _("Write the Welsh answer in at most 10,000 characters.")},
    )
