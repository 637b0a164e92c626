"""Forms of the public budget pages: a proposal, the choice of area, the ballot of each kind, a
voting code and a receipt code. Shape and field checks only: the ballot's rules are checked by
``actions_voting.ballot_check`` (the same messages on the review page, the API and paper
ballots)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from coproduce.budgeting.ballots import money
from coproduce.budgeting.models import Area, BallotType, Budget, Proposal
from coproduce.common.forms import KeyChoiceField, OneTimeForm

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_COST = 10**12
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def image_kind(head: bytes) -> str | None:
    """JPEG, PNG or WebP from a file's first bytes ("magic numbers"); None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _numeric(width: int) -> forms.TextInput:
    """A whole number typed in a text box (the GOV.UK pattern: no number spinner)."""
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": f"govuk-input--width-{width}",
        }
    )


def _coordinate(label: Any, low: int, high: int, out_of_range: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(low),
        max_value=Decimal(high),
        max_digits=8,
        decimal_places=5,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={
            "invalid": _("Enter the position as a number, like 51.50735."),
            "min_value": out_of_range,
            "max_value": out_of_range,
            "max_decimal_places": _("Use no more than 5 digits after the point."),
            "max_digits": _("Enter a position on the map, like 51.50735."),
            "max_whole_digits": _("Enter a position on the map, like 51.50735."),
        },
    )


class ProposalForm(OneTimeForm):
    """Propose a project."""

    title = forms.CharField(
        label=_("Give your project a short title"),
        max_length=150,
        error_messages={"required": _("Enter a title for your project.")},
    )
    description = forms.CharField(
        label=_("Describe the project"),
        help_text=_("What it would do, where, and who it would help."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe what the project would do.")},
    )
    estimated_cost = forms.IntegerField(
        min_value=1,
        max_value=MAX_COST,
        widget=_numeric(10),
        error_messages={
            "required": _("Estimate the cost: a whole number of more than 0."),
            "invalid": _("Enter the cost as a whole number, like 5000, without a £ sign or pence."),
            "min_value": _("Estimate the cost: a whole number of more than 0."),
            "max_value": _("Enter a smaller cost."),
        },
    )
    area = KeyChoiceField(
        label=_("Which area is it for?"),
        queryset=Area.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the area the project is for."),
            "invalid_choice": _("Choose one of this budget’s areas."),
        },
    )
    latitude = _coordinate(
        _("Latitude (optional)"), -90, 90, _("Enter a latitude between -90 and 90.")
    )
    longitude = _coordinate(
        _("Longitude (optional)"), -180, 180, _("Enter a longitude between -180 and 180.")
    )
    image = forms.FileField(
        label=_("A picture (optional)"),
        help_text=_("A JPEG, PNG or WebP file of up to 5 MB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"empty": _("The picture you chose is empty. Choose another file.")},
    )
    image_alt = forms.CharField(
        label=_("Describe the picture (if you add one)"),
        help_text=_("For people who cannot see it, for example “The empty corner of the park”."),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, budget: Budget, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        areas = budget.areas.all()
        area_field = cast(forms.ModelChoiceField, self.fields["area"])
        area_field.queryset = areas
        area_field.label_from_instance = lambda area: (  # type: ignore[method-assign,assignment]
            f"{area.name} ({money(area.amount, budget.currency)})"
        )
        self.single_area: Area | None = None
        if len(areas) == 1:
            self.single_area = areas[0]
            del self.fields["area"]
        self.fields["estimated_cost"].label = _("Estimated cost, in %(currency)s") % {
            "currency": money(0, budget.currency).replace("0", "").strip() or budget.currency
        }
        self.fields["estimated_cost"].help_text = _(
            "A whole number, like 5000. Staff check the cost before the vote."
        )

    def clean_image(self) -> UploadedFile | None:
        image = self.cleaned_data.get("image")
        if not image:
            return None
        if image.size is not None and image.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("The picture must be smaller than 5 MB."))
        image.seek(0)
        head = image.read(16)
        image.seek(0)
        kind = image_kind(head)
        if kind is None:
            raise forms.ValidationError(_("The picture must be a JPEG, PNG or WebP file."))
        # Stored under a name whose extension matches what the file is, whatever it was
        # called: the file server sends its type from the extension (never text/html).
        image.name = f"proposal.{EXTENSIONS[kind]}"
        return cast(UploadedFile, image)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.single_area is not None:
            data["area"] = self.single_area
        if data.get("image") and not str(data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the picture for people who cannot see it."))
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error("latitude", _("Give both the latitude and the longitude, or neither."))
        return data


class AreaForm(forms.Form):
    """The first step of a ballot when a budget has several areas."""

    area = KeyChoiceField(
        label=_("Where do you live?"),
        queryset=Area.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the area you live in."),
            "invalid_choice": _("Choose one of this budget’s areas."),
        },
    )

    def __init__(self, *args: Any, budget: Budget, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["area"])
        field.queryset = budget.areas.all()
        field.help_text = _("You vote on the projects for your area, and its money.")


class BallotForm(forms.Form):
    """One ballot: a field per project (its shape depends on the kind of ballot), the area, and
    what eligibility needs (postcode, age)."""

    area = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        budget: Budget,
        area: Area,
        proposals: Sequence[Proposal],
        ask_postcode: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.area_row = area
        self.proposals = list(proposals)
        kind = budget.ballot_type
        self.kind = kind
        if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            self.fields["projects"] = forms.TypedMultipleChoiceField(
                choices=[(str(p.pk), p.title) for p in self.proposals],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": _(
                        "Some of the projects you chose are not on this ballot. Choose again."
                    )
                },
            )
        elif kind == BallotType.CUMULATIVE:
            for proposal in self.proposals:
                self.fields[f"points_{proposal.pk}"] = forms.IntegerField(
                    label=proposal.title,
                    required=False,
                    min_value=0,
                    max_value=budget.points,
                    widget=_numeric(3),
                    error_messages={
                        "invalid": _(
                            "Enter the points as a whole number, like 3, or leave it empty."
                        ),
                        "min_value": _("Give 0 points or more."),
                        "max_value": _("You have %(points)d points in all: give fewer.")
                        % {"points": budget.points},
                    },
                )
        else:
            top = budget.max_choices or len(self.proposals)
            ranks = [("", _("Not ranked"))] + [(str(n), str(n)) for n in range(1, top + 1)]
            for proposal in self.proposals:
                self.fields[f"rank_{proposal.pk}"] = forms.TypedChoiceField(
                    label=proposal.title,
                    choices=ranks,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    error_messages={"invalid_choice": _("Choose a rank from the list.")},
                )
        if ask_postcode:
            self.fields["postcode"] = forms.CharField(
                label=_("Your postcode"),
                help_text=_("This vote is for people who live in %(areas)s.")
                % {"areas": ", ".join(budget.prefixes())},
                max_length=10,
                required=False,
                widget=forms.TextInput(
                    attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
                ),
            )
        if budget.min_age:
            self.fields["age_confirmed"] = forms.BooleanField(
                label=_("I am %(age)d or older") % {"age": budget.min_age},
                required=False,
            )

    def choices(self) -> dict[int, int]:
        """The ballot as {proposal pk: value} (after is_valid)."""
        data = self.cleaned_data
        if self.kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            return dict.fromkeys(data.get("projects") or [], 1)
        prefix = "points_" if self.kind == BallotType.CUMULATIVE else "rank_"
        found: dict[int, int] = {}
        for proposal in self.proposals:
            value = data.get(f"{prefix}{proposal.pk}")
            if value:
                found[proposal.pk] = int(value)
        return found

    def rows(self) -> list[dict[str, Any]]:
        """Each project with its field (or whether it is ticked), for the ballot's template."""
        ticked: set[str] = set()
        if "projects" in self.fields:
            value = self["projects"].value() or []
            ticked = {str(v) for v in value}
        rows = []
        for proposal in self.proposals:
            field_name = {
                BallotType.CUMULATIVE: f"points_{proposal.pk}",
                BallotType.RANKING: f"rank_{proposal.pk}",
            }.get(BallotType(self.kind))
            rows.append(
                {
                    "proposal": proposal,
                    "cost": money(proposal.ballot_cost, self.budget.currency),
                    "checked": str(proposal.pk) in ticked,
                    "field": self[field_name] if field_name else None,
                }
            )
        return rows


def ballot_initial(
    budget: Budget, area: Area, choices: Mapping[int, int], postcode: str = "", age: bool = False
) -> dict[str, Any]:
    """The ballot form's initial values from a ballot {pk: value} (a draft, or the one cast)."""
    initial: dict[str, Any] = {"area": area.pk, "postcode": postcode, "age_confirmed": age}
    kind = budget.ballot_type
    if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
        initial["projects"] = [str(pk) for pk in choices]
    else:
        prefix = "points_" if kind == BallotType.CUMULATIVE else "rank_"
        for pk, value in choices.items():
            initial[f"{prefix}{pk}"] = str(value)
    return initial


class VotingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        help_text=_("It is on your letter or card, for example ABCD-EFGH-JKLM."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}
        ),
        error_messages={"required": _("Enter your voting code.")},
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt code"),
        help_text=_("The code you were given when you voted, for example ABCD-EFGH-JKLM."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}
        ),
        error_messages={"required": _("Enter your receipt code.")},
    )
