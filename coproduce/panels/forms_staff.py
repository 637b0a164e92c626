"""Forms of the coordinators' pages of a citizen panel: shape only; the actions check the rest."""

from __future__ import annotations

import csv
import io
import itertools
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.common import csvform
from coproduce.common.dates import DateRange
from coproduce.common.forms import DateField, OneTimeForm
from coproduce.panels import rules
from coproduce.panels.actions_selection import MAX_SEED
from coproduce.panels.models import Algorithm, Category, Feature, Panel, Phase

PANEL_DATES = DateRange(years_ahead=3)
MAX_CSV_BYTES = 10 * 1024 * 1024
MAX_PANEL_SIZE = 1000
NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"})
SHORT_NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"})
SEED = forms.TextInput(
    attrs={"class": "govuk-input--width-20", "inputmode": "numeric", "autocomplete": "off"}
)
DATE_NAMES = [
    "invitations_sent_on",
    "registration_closes_on",
    "selection_on",
    "deliberation_starts_on",
    "closes_on",
]


def suggested_seed() -> str:
    """A seed nobody can guess, offered in the form (the coordinator may use their own)."""
    return str(secrets.randbelow(MAX_SEED))


# --- Set-up and settings -------------------------------------------------------------------------


class PanelSettingsForm(OneTimeForm):
    """The panel's question, size, planned dates, who may register and how long data are kept."""

    question = forms.CharField(
        label=_("The question the panel answers"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the invitation letters and shown on the panel’s page."),
    )
    question_cy = forms.CharField(
        label=_("The question in Welsh (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    size = forms.IntegerField(
        label=_("Number of members"),
        min_value=1,
        max_value=MAX_PANEL_SIZE,
        widget=SHORT_NUMBER,
        help_text=_("How many people the lottery selects, for example 24."),
    )
    allow_volunteers = forms.BooleanField(
        label=_("Anyone may register through an open link"),
        required=False,
        help_text=_("Otherwise only people with a registration code from a letter can register."),
    )
    retention_days = forms.IntegerField(
        label=_("Days to keep registration data after the panel ends"),
        min_value=0,
        max_value=3650,
        initial=90,
        widget=SHORT_NUMBER,
        help_text=_(
            "Answers, contact details and access needs are deleted this many days after the "
            "panel closes."
        ),
    )
    invitations_sent_on = DateField(
        label=_("Letters sent on (optional)"),
        name=_("the day the letters are sent"),
        dates=PANEL_DATES,
        required=False,
        help_text=_("For example, 27 3 2027"),
    )
    registration_closes_on = DateField(
        label=_("Registration closes on (optional)"),
        name=_("the day registration closes"),
        dates=PANEL_DATES,
        required=False,
    )
    selection_on = DateField(
        label=_("Members selected on (optional)"),
        name=_("the day of the selection"),
        dates=PANEL_DATES,
        required=False,
    )
    deliberation_starts_on = DateField(
        label=_("First session on (optional)"),
        name=_("the day of the first session"),
        dates=PANEL_DATES,
        required=False,
    )
    closes_on = DateField(
        label=_("Panel ends on (optional)"),
        name=_("the day the panel ends"),
        dates=PANEL_DATES,
        required=False,
    )

    def __init__(self, *args: Any, panel: Panel | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if panel is not None and not rules.size_may_change(panel):
            # A committed seed is made for this size (decision 0047).
            self.fields["size"].disabled = True
            self.fields["size"].help_text = gettext(
                "The size is fixed once the selection starts: the draw depends on it."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dates = [(name, data.get(name)) for name in DATE_NAMES if data.get(name)]
        for (_first, before), (name, after) in itertools.pairwise(dates):
            if after < before:  # type: ignore[operator]
                self.add_error(name, gettext("This date must come after the one above it."))
        return data

    def settings(self) -> dict[str, Any]:
        """The panel's fields, as the actions take them."""
        return {name: self.cleaned_data[name] for name in setting_names()}


def setting_names() -> list[str]:
    """The panel's fields that the settings form sets."""
    return [name for name in PanelSettingsForm.base_fields if name != "one_time_token"]


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)


# --- Quotas --------------------------------------------------------------------------------------


class CategoryForm(OneTimeForm):
    name = forms.CharField(
        label=_("Name of the category"),
        max_length=100,
        help_text=_("The question people answer when they register, for example “Age band”."),
    )
    values = forms.CharField(
        label=_("Answers"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line, for example “16 to 29”. Each answer starts at 0 to the panel size."
        ),
    )
    allow_prefer_not_to_say = forms.BooleanField(
        label=_("Offer “Prefer not to say”"),
        required=False,
        help_text=_("People who choose it can be selected, but no seats are kept for them."),
    )

    def clean_values(self) -> list[str]:
        return [line.strip() for line in str(self.cleaned_data["values"]).splitlines()]


class QuotaForm(forms.Form):
    """The fewest and most members of each answer of one category."""

    def __init__(self, *args: Any, category: Category, size: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"c{category.pk}"
        super().__init__(*args, **kwargs)
        self.category = category
        self.features = list(category.features.all())
        for feature in self.features:
            for bound, word, initial in (
                ("min", gettext("fewest"), feature.minimum),
                ("max", gettext("most"), feature.maximum),
            ):
                said = {"word": word, "answer": feature.value}
                self.fields[f"{bound}_{feature.pk}"] = forms.IntegerField(
                    label=gettext("The %(word)s members answering “%(answer)s”") % said,
                    min_value=0,
                    max_value=size,
                    initial=initial,
                    widget=SHORT_NUMBER,
                    error_messages={
                        "required": gettext("Enter the %(word)s members answering “%(answer)s”.")
                        % said,
                        "invalid": gettext(
                            "Enter the %(word)s members answering “%(answer)s” as a whole "
                            "number, like 3."
                        )
                        % said,
                        "max_value": gettext("It cannot be more than the panel’s size."),
                    },
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for feature in self.features:
            low, high = data.get(f"min_{feature.pk}"), data.get(f"max_{feature.pk}")
            if low is not None and high is not None and high < low:
                self.add_error(
                    f"max_{feature.pk}",
                    gettext("The most members must be at least the fewest (%(low)s).")
                    % {"low": low},
                )
        return data

    def rows(self) -> list[dict[str, Any]]:
        """Each answer with its two inputs and its share of the population, for the page."""
        return [
            {
                "feature": feature,
                "low": self[f"min_{feature.pk}"],
                "high": self[f"max_{feature.pk}"],
                "share": None
                if feature.population_share is None
                else f"{feature.population_share * 100:.1f}%",
            }
            for feature in self.features
        ]

    def quotas(self) -> list[tuple[Feature, int, int]]:
        """(feature, minimum, maximum) of every answer, as ``actions.quota_set`` takes them."""
        data = self.cleaned_data
        return [(f, data[f"min_{f.pk}"], data[f"max_{f.pk}"]) for f in self.features]


class CsvForm(csvform.CsvForm):
    """A panel's tables are larger: an address list can hold a whole district."""

    max_bytes = MAX_CSV_BYTES
    too_big = _("The file must be smaller than 10 MB.")
    text = csvform.text_field(MAX_CSV_BYTES)


def _share(text: str) -> Decimal | None:
    """A share as typed in a census table: 0.125, 12.5, 12.5% or a count like 1,234."""
    cleaned = text.strip().rstrip("%").replace(",", "").strip()
    try:
        share = Decimal(cleaned)
    except InvalidOperation:
        return None
    return share if share.is_finite() and share >= 0 else None


class CensusForm(CsvForm):
    """Shares of the population (category, answer, share) for the panel's categories."""

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.name: c for c in panel.categories.prefetch_related("features")}
        self.answers = {
            name: [feature.value for feature in category.features.all()]
            for name, category in self.categories.items()
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            text, source, _field = self.table()
            try:
                data["shares"] = self._read(text, source)
            except forms.ValidationError as error:
                self.add_error("upload" if data.get("upload") else "text", error)
        return data

    def _read(self, text: str, source: str) -> list[tuple[Category, dict[str, Decimal]]]:
        reader = csv.DictReader(io.StringIO(text))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if not {"category", "feature", "share"} <= set(header):
            raise forms.ValidationError(
                gettext("%(source)s, line 1: the columns must be category, feature and share.")
                % {"source": source}
            )
        reader.fieldnames = header
        errors: list[str] = []
        shares: dict[str, dict[str, Decimal]] = {}
        for row in reader:
            cells = {key: (value or "").strip() for key, value in row.items() if key is not None}
            if not any(cells.values()):
                continue
            problem = self._problem(cells, shares)
            if problem:
                errors.append(
                    gettext("%(source)s, line %(line)s: %(problem)s.")
                    % {"source": source, "line": reader.line_num, "problem": problem}
                )
                continue
            share = _share(cells["share"])
            assert share is not None
            shares.setdefault(cells["category"], {})[cells["feature"]] = share
        for name, given in shares.items():
            missing = [value for value in self.answers[name] if value not in given]
            if missing:
                errors.append(
                    gettext("%(source)s: %(category)s has no share for %(answers)s.")
                    % {"source": source, "category": name, "answers": ", ".join(missing)}
                    + " "
                    + gettext("Give every answer of a category a share (0 if there is none).")
                )
        if errors:
            raise forms.ValidationError(errors)
        if not shares:
            raise forms.ValidationError(gettext("The table has no shares."))
        return [(self.categories[name], given) for name, given in shares.items()]

    def _problem(self, cells: dict[str, str], shares: dict[str, dict[str, Decimal]]) -> str:
        category, feature = cells.get("category", ""), cells.get("feature", "")
        if category not in self.categories:
            return gettext("the panel has no category “%(name)s”") % {"name": category}
        if feature not in self.answers[category]:
            return gettext("%(category)s has no answer “%(answer)s”") % {
                "category": category,
                "answer": feature,
            }
        if feature in shares.get(category, {}):
            return gettext("%(category)s, “%(answer)s” is given twice") % {
                "category": category,
                "answer": feature,
            }
        if _share(cells.get("share", "")) is None:
            return gettext("the share must be a number of 0 or more, like 0.25, 25% or 1200")
        return ""


# --- Invitations ---------------------------------------------------------------------------------


class AddressesForm(CsvForm):
    """The address list (property_reference, address_line_1 …, postcode, optional area)."""


class DrawForm(OneTimeForm):
    count = forms.IntegerField(
        label=_("How many addresses to draw"),
        min_value=1,
        max_value=1_000_000,
        widget=NUMBER,
    )
    seed = forms.CharField(
        label=_("Seed of the draw"),
        max_length=18,
        widget=SEED,
        initial=suggested_seed,
        help_text=_(
            "A whole number. The same list and seed always draw the same addresses, so anyone "
            "can check the draw. We suggest one nobody can guess."
        ),
    )
    stratify = forms.BooleanField(
        label=_("Share the letters out by area"),
        required=False,
        help_text=_(
            "Each area (or postcode district, where an address has no area) gets letters in "
            "proportion to its addresses."
        ),
    )

    def clean_seed(self) -> int:
        text = str(self.cleaned_data["seed"]).strip()
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(_("The seed must be a whole number, like 48213."))
        return int(text)


# --- Selection -----------------------------------------------------------------------------------


class SeedForm(OneTimeForm):
    """The seed of a draw, committed (its hash published) before the draw."""

    seed = forms.CharField(
        label=_("Seed"),
        max_length=18,
        widget=SEED,
        initial=suggested_seed,
        help_text=_(
            "A whole number of up to 18 digits that nobody could have guessed: the one we "
            "suggest, or one made in public (for example with dice at a meeting)."
        ),
    )


class CommitForm(SeedForm):
    algorithm = forms.ChoiceField(
        label=_("Selection method"),
        choices=Algorithm.choices,
        initial=Algorithm.LEXIMIN,
        widget=forms.RadioSelect,
        help_text=_(
            "LEXIMIN gives every volunteer a chance as equal as the quotas allow: use it unless "
            "you are comparing methods."
        ),
    )


class StartForm(forms.Form):
    """The button that starts (or retries) the draw of a committed selection."""

    selection = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
