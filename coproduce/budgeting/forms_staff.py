"""Forms of the staff pages of a participatory budget: shape only; the actions check the rest."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from coproduce.budgeting.actions_voting import MAX_CODES
from coproduce.budgeting.models import (
    Area,
    BallotType,
    Budget,
    DeliveryStatus,
    Feasibility,
    Phase,
    Proposal,
    Rule,
)
from coproduce.budgeting.queries import IdeaRow
from coproduce.budgeting.rules import BALLOT_SETTINGS, ballot_may_change
from coproduce.common.dates import DateRange
from coproduce.common.forms import (
    ONE_TIME_FIELD,
    DateField,
    FixableForm,
    KeyChoiceField,
    OneTimeForm,
)

BUDGET_DATES = DateRange(years_ahead=3)
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PB_BYTES = 20 * 1024 * 1024
LOCKED_REASON = _("This cannot change now: voting has opened and ballots were cast on it.")
RULE_HINT = _(
    "Which rule to choose: the Method of Equal Shares (the default) gives every voter an equal "
    "share of the money, so groups who want different things each get projects they voted for. "
    "Use it unless you have a reason not to. “Most votes first” funds the projects with the most "
    "votes until the money runs out: simple to explain, but the biggest group can take "
    "everything. Choose the version with a minimum number of votes to leave out projects few "
    "people want. The “as published” rules count exactly as cities such as Aarau and Wieliczka "
    "did."
)
NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"})
SHORT_NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"})
_AREA_LINE = re.compile(r"^(?P<name>.+?)\s*[:,]\s*(?P<amount>[£€$]?\s*[0-9][0-9,]*)$")


def _whole_number(text: str) -> int | None:
    digits = text.strip().lstrip("£€$").strip().replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) < 16 else None


class BudgetSettingsForm(FixableForm, OneTimeForm):
    """How people vote, how the votes are counted, the dates and who may vote."""

    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="GBP",
        help_text=_("Three letters, for example GBP, EUR or USD."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
    )
    ballot_type = forms.ChoiceField(
        label=_("Kind of ballot"),
        choices=BallotType.choices,
        initial=BallotType.APPROVAL,
        widget=forms.RadioSelect,
    )
    min_choices = forms.IntegerField(
        label=_("Fewest projects a voter must choose"),
        min_value=0,
        max_value=100,
        initial=1,
        widget=SHORT_NUMBER,
    )
    max_choices = forms.IntegerField(
        label=_("Most projects a voter may choose or rank (optional)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_(
            "For a ranking ballot, how many projects each voter ranks. Leave empty for no limit."
        ),
        widget=SHORT_NUMBER,
    )
    points = forms.IntegerField(
        label=_("Points each voter shares out"),
        min_value=1,
        max_value=1000,
        initial=10,
        help_text=_("Only for a ballot that shares out points."),
        widget=SHORT_NUMBER,
    )
    rule = forms.ChoiceField(
        label=_("Counting rule"),
        choices=Rule.choices,
        initial=Rule.MES,
        help_text=RULE_HINT,
        widget=forms.RadioSelect,
    )
    threshold = forms.IntegerField(
        label=_("Minimum votes to be funded (optional)"),
        min_value=1,
        required=False,
        help_text=_("Only for “Most votes first, with a minimum number of votes”."),
        widget=NUMBER,
    )
    proposals_close_on = DateField(
        label=_("Proposals close on (optional)"),
        name=_("the day proposals close"),
        dates=BUDGET_DATES,
        required=False,
        help_text=_("For example, 31 3 2027"),
    )
    voting_opens_on = DateField(
        label=_("Voting opens on (optional)"),
        name=_("the day voting opens"),
        dates=BUDGET_DATES,
        required=False,
        help_text=_("For example, 1 5 2027"),
    )
    voting_closes_on = DateField(
        label=_("Voting closes on (optional)"),
        name=_("the day voting closes"),
        dates=BUDGET_DATES,
        required=False,
        help_text=_("For example, 31 5 2027"),
    )
    results_on = DateField(
        label=_("Results published on (optional)"),
        name=_("the day the results are published"),
        dates=BUDGET_DATES,
        required=False,
        help_text=_("For example, 14 6 2027"),
    )
    accounts_may_vote = forms.BooleanField(
        label=_("People with an account may vote online"), required=False, initial=True
    )
    codes_may_vote = forms.BooleanField(
        label=_("People with a voting code may vote (codes on letters or handed out at events)"),
        required=False,
    )
    postcode_prefixes = forms.CharField(
        label=_("Postcode areas (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "Only people whose postcode starts with one of these may vote online. Separate them "
            "with spaces, for example “NF1 NF2 3”. Leave empty to let everyone vote."
        ),
    )
    min_age = forms.IntegerField(
        label=_("Minimum age (optional)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Voters confirm they are this age or older."),
        widget=SHORT_NUMBER,
    )

    def __init__(self, *args: Any, budget: Budget | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        if budget is not None and not ballot_may_change(budget):
            self.fix(BALLOT_SETTINGS, LOCKED_REASON)

    def clean_currency(self) -> str:
        currency = str(self.cleaned_data["currency"]).strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("Enter the currency as three letters, for example GBP."))
        return currency

    def clean_postcode_prefixes(self) -> str:
        prefixes = str(self.cleaned_data["postcode_prefixes"]).upper().split()
        if any(not re.fullmatch(r"[A-Z0-9]{1,8}", prefix) for prefix in prefixes):
            raise forms.ValidationError(
                _("Write postcode areas with letters and numbers only, separated by spaces.")
            )
        return " ".join(prefixes)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_choices"), data.get("max_choices")
        if low is not None and high is not None and high < low:
            self.add_error(
                "max_choices", _("Make this at least the fewest projects a voter must choose.")
            )
        if data.get("rule") == Rule.GREEDY_THRESHOLD and not data.get("threshold"):
            self.add_error("threshold", _("Give the minimum number of votes for this rule."))
        if "accounts_may_vote" in data and not (
            data.get("accounts_may_vote") or data.get("codes_may_vote")
        ):
            self.add_error(
                "accounts_may_vote",
                _("Choose who may vote: people with an account, with a code, or both."),
            )
        order = ["proposals_close_on", "voting_opens_on", "voting_closes_on", "results_on"]
        dates = [(name, data.get(name)) for name in order if data.get(name)]
        for (_first, before), (name, after) in itertools.pairwise(dates):
            if after < before:  # type: ignore[operator]
                self.add_error(name, _("This date must come after the one above it."))
        return data

    def settings(self) -> dict[str, Any]:
        """The budget's fields, as the actions take them."""
        return {name: self.cleaned_data[name] for name in setting_names()}


def setting_names() -> list[str]:
    """The budget's fields that the settings form sets."""
    return [name for name in BudgetSettingsForm.base_fields if name != ONE_TIME_FIELD]


class BudgetCreateForm(BudgetSettingsForm):
    """The settings and the first areas of a new budget."""

    field_order = ["area_name", "area_amount", "more_areas"]

    area_name = forms.CharField(
        label=_("Name of the first area"),
        max_length=120,
        initial=_("Whole area"),
        help_text=_("A district with its own money, or the whole place."),
    )
    area_amount = forms.CharField(
        label=_("Amount for this area"),
        help_text=_("A whole number, for example 250000."),
        widget=NUMBER,
    )
    more_areas = forms.CharField(
        label=_("More areas (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: the name, a colon and the amount, for example “North: 50000”."),
    )

    def clean_area_amount(self) -> int:
        amount = _whole_number(str(self.cleaned_data["area_amount"]))
        if not amount:
            raise forms.ValidationError(
                _("Enter the amount as a whole number of more than 0, for example 250000.")
            )
        return amount

    def clean_more_areas(self) -> list[tuple[str, int]]:
        areas = []
        for number, line in enumerate(str(self.cleaned_data["more_areas"]).splitlines(), 1):
            if not line.strip():
                continue
            match = _AREA_LINE.match(line.strip())
            amount = _whole_number(match["amount"]) if match else None
            if match is None or not amount:
                raise forms.ValidationError(
                    _(
                        "Line %(number)d: write the name, a colon and the amount, for example "
                        "“North: 50000”."
                    )
                    % {"number": number}
                )
            areas.append((match["name"].strip()[:120], amount))
        return areas

    def areas(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [(str(data["area_name"]).strip(), int(data["area_amount"])), *data["more_areas"]]


class AreaForm(OneTimeForm):
    name = forms.CharField(label=_("Name of the area"), max_length=120)
    name_cy = forms.CharField(label=_("Name in Welsh (optional)"), max_length=120, required=False)
    amount = forms.CharField(
        label=_("Amount"), help_text=_("A whole number, for example 50000."), widget=NUMBER
    )

    def clean_amount(self) -> int:
        amount = _whole_number(str(self.cleaned_data["amount"]))
        if not amount:
            raise forms.ValidationError(
                _("Enter the amount as a whole number of more than 0, for example 50000.")
            )
        return amount


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)


# --- Feasibility review --------------------------------------------------------------------------

REVIEW_CHOICES = [
    (Feasibility.FEASIBLE, _("Feasible: it goes on the ballot at its estimated cost")),
    (Feasibility.COST_CHANGED, _("Feasible at a different cost: give the new cost and why")),
    (Feasibility.MERGED, _("Merged with another proposal on the ballot: choose it and say why")),
    (Feasibility.NOT_FEASIBLE, _("Not feasible: say why")),
]


class ReviewFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All proposals")),
            ("waiting", _("Waiting for review")),
            ("on_ballot", _("On the ballot")),
            ("not_feasible", _("Not feasible")),
            ("merged", _("Merged")),
        ],
    )


class ProposalChoiceField(KeyChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.title}"


class ReviewForm(OneTimeForm):
    feasibility = forms.ChoiceField(
        label=_("What did the review find?"), choices=REVIEW_CHOICES, widget=forms.RadioSelect
    )
    cost = forms.CharField(
        label=_("New cost (only if the cost changed)"), required=False, widget=NUMBER
    )
    merged_into = ProposalChoiceField(
        label=_("Merged with (only if merged)"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("Choose a proposal"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Published as the answer to the person who proposed it. Needed unless it is "
            "feasible as it is."
        ),
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["merged_into"]
        assert isinstance(field, ProposalChoiceField)
        field.queryset = targets

    def clean_cost(self) -> int | None:
        text = str(self.cleaned_data["cost"]).strip()
        if not text:
            return None
        cost = _whole_number(text)
        if cost is None:
            raise forms.ValidationError(_("Enter the new cost as a whole number, like 12000."))
        return cost


# --- Bringing an idea forward --------------------------------------------------------------------


def _choice_label(row: IdeaRow) -> str:
    """An idea with its supports and challenge; a statement with its opinion map."""
    if row.contribution.kind == "idea":
        return ngettext(
            "%(title)s (%(supports)d support, %(challenge)s)",
            "%(title)s (%(supports)d supports, %(challenge)s)",
            row.supports,
        ) % {"title": row.title, "supports": row.supports, "challenge": row.challenge}
    return gettext("%(title)s (statement in “%(activity)s”)") % {
        "title": row.title,
        "activity": row.challenge,
    }


class BringForwardForm(OneTimeForm):
    idea = forms.ChoiceField(label=_("Idea or statement"), widget=forms.RadioSelect)
    area = KeyChoiceField(
        label=_("Area"), queryset=Area.objects.none(), empty_label=_("Choose an area")
    )
    estimated_cost = forms.CharField(
        label=_("Estimated cost"), help_text=_("A whole number, for example 12000."), widget=NUMBER
    )

    def __init__(self, *args: Any, budget: Budget, ideas: Sequence[IdeaRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        idea_field = self.fields["idea"]
        assert isinstance(idea_field, forms.ChoiceField)
        idea_field.choices = [
            (str(row.contribution.pk), _choice_label(row)) for row in ideas if row.proposal is None
        ]
        area_field = self.fields["area"]
        assert isinstance(area_field, KeyChoiceField)
        area_field.queryset = budget.areas.all()

    def clean_estimated_cost(self) -> int:
        cost = _whole_number(str(self.cleaned_data["estimated_cost"]))
        if not cost:
            raise forms.ValidationError(
                _("Estimate the cost: a whole number of more than 0, for example 12000.")
            )
        return cost


# --- Voting codes --------------------------------------------------------------------------------

CSV, PRINT = "csv", "print"


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"),
        min_value=1,
        max_value=MAX_CODES,
        widget=SHORT_NUMBER,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (CSV, _("A CSV file for a mail house (one code a line)")),
            (PRINT, _("A printable sheet of slips to cut out and hand out")),
        ],
        initial=CSV,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["count"].help_text = gettext("Between 1 and %(max)d at a time.") % {
            "max": MAX_CODES
        }


# --- Paper ballots -------------------------------------------------------------------------------


class PaperEntryForm(forms.Form):
    """A paper ballot as typed: its number, its area, and the choices in the ballot's form."""

    paper_reference = forms.CharField(
        label=_("Number printed on the paper ballot"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    area = KeyChoiceField(
        label=_("Area"), queryset=Area.objects.none(), empty_label=_("Choose an area")
    )

    def __init__(
        self, *args: Any, budget: Budget, proposals: Sequence[Proposal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.proposals = list(proposals)
        area_field = self.fields["area"]
        assert isinstance(area_field, KeyChoiceField)
        area_field.queryset = budget.areas.all()
        kind = budget.ballot_type
        if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Projects marked on the paper"),
                required=False,
                choices=[(str(p.pk), self.label_of(p)) for p in self.proposals],
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            points = kind == BallotType.CUMULATIVE
            for proposal in self.proposals:
                self.fields[f"p{proposal.pk}"] = forms.IntegerField(
                    label=(
                        _("Points for %(project)s")
                        if points
                        else _("Rank of %(project)s (1 for first)")
                    )
                    % {"project": self.label_of(proposal)},
                    min_value=0 if points else 1,
                    max_value=1000,
                    required=False,
                    widget=SHORT_NUMBER,
                )

    @staticmethod
    def label_of(proposal: Proposal) -> str:
        return f"{proposal.reference}: {proposal.title} ({proposal.area.name})"

    def ballot(self) -> dict[int, int]:
        """The choices as the actions take them: {proposal pk: value}."""
        data = self.cleaned_data
        if "choices" in self.fields:
            return {int(pk): 1 for pk in data.get("choices", [])}
        values = {p.pk: data.get(f"p{p.pk}") for p in self.proposals}
        return {pk: int(value) for pk, value in values.items() if value}


class PaperActionForm(forms.Form):
    """The delete button beside a typing that does not match."""

    action = forms.ChoiceField(choices=[("delete", "delete")])
    entry = forms.IntegerField(min_value=1, max_value=2**62)


# --- Delivery ------------------------------------------------------------------------------------


def sniff_image(file: UploadedFile) -> str | None:
    """The kind of picture the file really is (``jpeg``, ``png``, ``webp``), from its first bytes."""
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


class DeliveryForm(OneTimeForm):
    status = forms.ChoiceField(
        label=_("Where is the project now?"),
        choices=DeliveryStatus.choices,
        widget=forms.RadioSelect,
    )
    on = DateField(
        label=_("Date"),
        name=_("the date"),
        dates=DateRange(years_ahead=1),
        help_text=_("When this happened or is planned, for example 27 3 2027"),
    )
    note = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person who proposed it and everyone who follows it are told."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture, smaller than 5 MB."),
    )
    photo_alt = forms.CharField(
        label=_("Description of the photo (needed with a photo)"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see it, for example “The new benches by the pond”."),
    )

    def clean_photo(self) -> UploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size is not None and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo must be smaller than 5 MB."))
        if sniff_image(photo) is None:
            raise forms.ValidationError(_("The photo must be a JPEG, PNG or WebP picture."))
        return photo


# --- Importing a .pb file ------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Pabulib file (.pb)"),
        help_text=_("A .pb file smaller than 20 MB, as published on pabulib.org."),
    )

    def clean_file(self) -> tuple[str, str]:
        """The file's name and its text."""
        upload = self.cleaned_data["file"]
        name = str(upload.name or "")
        if not name.lower().endswith(".pb"):
            raise forms.ValidationError(_("The file must be a Pabulib file ending in .pb."))
        if upload.size is not None and upload.size > MAX_PB_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 20 MB."))
        upload.seek(0)
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file must be text in UTF-8, as Pabulib files are.")
            ) from None
        return name, text
