"""Forms of the evaluation and the award: choosing an evaluator, declaring interests in every
bidder, scoring a bid on every criterion, the moderation's agreed scores, and the award. Shape
only: the actions check the rules (a described interest, a reason where scores differ, why a bid
that did not score highest was chosen); their field names are the actions' error keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.commissioning.actions_award import REASONS_MAX, feedback_field
from coproduce.commissioning.actions_evaluation import (
    COMMENT_MAX,
    DETAILS_MAX,
    Given,
    Interest,
    agreed_field,
    comment_field,
    details_field,
    interest_field,
    reason_field,
    score_field,
)
from coproduce.commissioning.forms_staff import ROUND_DATES, WELSH_HINT
from coproduce.commissioning.models import SCORE_SCALE, Bid, Criterion, EvaluatorRole, Score
from coproduce.commissioning.queries_evaluation import ResultLine
from coproduce.common.forms import DateField, OneTimeForm
from coproduce.common.languages import in_language

NONE, INTEREST = "none", "interest"


def _scale_choices() -> list[tuple[int, str]]:
    return [(value, f"{value} – {label}") for value, label in SCORE_SCALE]


# --- Choosing evaluators -------------------------------------------------------------------------


class EvaluatorForm(OneTimeForm):
    """The person's email address (of an existing account) and whether they are staff or a
    resident evaluator."""

    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        help_text=_("The address they sign in with. They must have an account already."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address of the person to choose."),
            "invalid": _("Enter an email address in the correct format, like name@example.com."),
        },
    )
    role = forms.ChoiceField(
        label=_("They evaluate as"),
        choices=EvaluatorRole.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Staff work for the organisation that runs the service. Resident evaluators are "
            "people who use the service or live in the area, for example from a citizen panel."
        ),
        error_messages={"required": _("Choose staff or resident evaluator.")},
    )


# --- Declarations of interest --------------------------------------------------------------------


class DeclareForm(OneTimeForm):
    """For every bidder not yet declared: no interest, or an interest described."""

    def __init__(self, *args: Any, bids: Iterable[Bid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bids = list(bids)
        for bid in self.bids:
            name = bid.organisation.name
            self.fields[interest_field(bid.pk)] = forms.ChoiceField(
                label=name,
                choices=[
                    (NONE, gettext("No interest")),
                    (INTEREST, gettext("I have an interest")),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext("Say whether you have an interest in %(bidder)s.")
                    % {"bidder": name}
                },
            )
            self.fields[details_field(bid.pk)] = forms.CharField(
                label=gettext("Describe your interest in %(bidder)s") % {"bidder": name},
                help_text=gettext(
                    "For example: you work or worked for them, a relative or close friend does, "
                    "you hold shares, or you volunteer with them. This is published."
                ),
                required=False,
                max_length=DETAILS_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": gettext(
                        "Describe your interest in %(count)d characters or fewer."
                    )
                    % {"count": DETAILS_MAX}
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for bid in self.bids:
            if (
                data.get(interest_field(bid.pk)) == INTEREST
                and not (data.get(details_field(bid.pk)) or "").strip()
            ):
                self.add_error(
                    details_field(bid.pk),
                    gettext("Describe your interest in %(bidder)s.")
                    % {"bidder": bid.organisation.name},
                )
        return data

    def rows(self) -> list[dict[str, Any]]:
        """Each bidder with its two fields, for one fieldset each."""
        return [
            {
                "bid": bid,
                "interest": self[interest_field(bid.pk)],
                "details": self[details_field(bid.pk)],
                "checked": str(self[interest_field(bid.pk)].value() or ""),
            }
            for bid in self.bids
        ]

    def answers(self) -> dict[int, Interest]:
        data = self.cleaned_data
        return {
            bid.pk: Interest(
                conflict=data[interest_field(bid.pk)] == INTEREST,
                details=data.get(details_field(bid.pk)) or "",
            )
            for bid in self.bids
            if data.get(interest_field(bid.pk))
        }


# --- Scores ----------------------------------------------------------------------------------------


def _score_field(label: str, required_message: str, initial: int | None) -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        choices=_scale_choices(),
        coerce=int,
        widget=forms.RadioSelect,
        initial=initial,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class ScoreForm(forms.Form):
    """A score on the published scale and a comment for every criterion. A plain form: saving
    again changes the evaluator's scores."""

    def __init__(
        self,
        *args: Any,
        criteria: Iterable[Criterion],
        given: Mapping[int, Score] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = in_language(criterion, "name").text
            before = (given or {}).get(criterion.pk)
            self.fields[score_field(criterion.pk)] = _score_field(
                gettext("Your score for “%(criterion)s”") % {"criterion": name},
                gettext("Choose a score for “%(criterion)s”.") % {"criterion": name},
                before.score if before else None,
            )
            self.fields[comment_field(criterion.pk)] = forms.CharField(
                label=gettext("Your comment on “%(criterion)s”") % {"criterion": name},
                help_text=gettext("What in the bid led to this score."),
                max_length=COMMENT_MAX,
                initial=before.comment if before else "",
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "required": gettext(
                        "Write a comment on “%(criterion)s” that explains the score."
                    )
                    % {"criterion": name},
                    "max_length": gettext(
                        "Write at most %(count)d characters about “%(criterion)s”."
                    )
                    % {"count": COMMENT_MAX, "criterion": name},
                },
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": c,
                "score": self[score_field(c.pk)],
                "comment": self[comment_field(c.pk)],
            }
            for c in self.criteria
        ]

    def scores(self) -> dict[int, Given]:
        data = self.cleaned_data
        return {
            c.pk: Given(score=int(data[score_field(c.pk)]), comment=data[comment_field(c.pk)])
            for c in self.criteria
        }


class ModerateForm(forms.Form):
    """The agreed score for every criterion of one bid, and the reason (the action says when it
    is required: where the evaluators' scores differ, or from the agreed score)."""

    def __init__(
        self,
        *args: Any,
        criteria: Iterable[Criterion],
        agreed: Mapping[int, tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = in_language(criterion, "name").text
            before = (agreed or {}).get(criterion.pk)
            self.fields[agreed_field(criterion.pk)] = _score_field(
                gettext("Agreed score for “%(criterion)s”") % {"criterion": name},
                gettext("Choose the agreed score for “%(criterion)s”.") % {"criterion": name},
                before[0] if before else None,
            )
            self.fields[reason_field(criterion.pk)] = forms.CharField(
                label=gettext("Reason for the agreed score on “%(criterion)s”")
                % {"criterion": name},
                help_text=gettext(
                    "Required when the evaluators' scores differ from each other or from the "
                    "agreed score. The bidder reads it with their scores after the award."
                ),
                required=False,
                max_length=COMMENT_MAX,
                initial=before[1] if before else "",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": gettext(
                        "Write at most %(count)d characters about “%(criterion)s”."
                    )
                    % {"count": COMMENT_MAX, "criterion": name}
                },
            )

    def fields_of(self, criterion: Criterion) -> dict[str, forms.BoundField]:
        return {
            "agreed": self[agreed_field(criterion.pk)],
            "reason": self[reason_field(criterion.pk)],
        }

    def agreed(self) -> dict[int, Given]:
        data = self.cleaned_data
        return {
            c.pk: Given(score=int(data[agreed_field(c.pk)]), comment=data[reason_field(c.pk)])
            for c in self.criteria
        }


# --- The award -------------------------------------------------------------------------------------


class AwardForm(OneTimeForm):
    """The winning bid (the top-ranked one to start with), the reasons, why if it did not score
    highest, the Welsh, when the contract starts, and feedback to every bidder."""

    bid = forms.TypedChoiceField(
        label=_("The winning bid"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the winning bid.")},
    )
    reasons = forms.CharField(
        label=_("Reasons for the decision"),
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published with the award. Say plainly why this bid won, with reference to the "
            "scores and the criteria."
        ),
        error_messages={"required": _("Give the reasons for the decision.")},
    )
    why_not_top = forms.CharField(
        label=_("Why you chose a bid that did not score highest (only if you did)"),
        max_length=REASONS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required if the winning bid is not ranked first. Published first."),
    )
    reasons_cy = forms.CharField(
        label=_("Reasons, in Welsh (optional)"),
        max_length=REASONS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=WELSH_HINT,
    )
    contract_starts_on = DateField(
        label=_("The contract starts on (optional)"),
        name=_("the day the contract starts"),
        dates=ROUND_DATES,
        required=False,
        help_text=_("After the standstill period. For example, 1 9 2026"),
    )

    def __init__(self, *args: Any, lines: Iterable[ResultLine], **kwargs: Any) -> None:
        self.lines = list(lines)
        if self.lines:
            kwargs.setdefault("initial", {})["bid"] = self.lines[0].bid.pk
        super().__init__(*args, **kwargs)
        bid_field = self.fields["bid"]
        assert isinstance(bid_field, forms.TypedChoiceField)
        bid_field.choices = [
            (
                line.bid.pk,
                gettext("%(bidder)s: %(total)s points, ranked %(rank)d")
                % {"bidder": line.bid.organisation.name, "total": line.total, "rank": line.rank},
            )
            for line in self.lines
        ]
        for line in self.lines:
            name = line.bid.organisation.name
            self.fields[feedback_field(line.bid.pk)] = forms.CharField(
                label=gettext("Feedback to %(bidder)s") % {"bidder": name},
                help_text=gettext(
                    "Only this bidder reads it, with their scores. Say what was strong and what "
                    "was weaker than the winning bid."
                ),
                max_length=REASONS_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "required": gettext("Write feedback to %(bidder)s.") % {"bidder": name}
                },
            )

    def feedback_fields(self) -> list[forms.BoundField]:
        return [self[feedback_field(line.bid.pk)] for line in self.lines]

    def feedback(self) -> dict[int, str]:
        return {line.bid.pk: self.cleaned_data[feedback_field(line.bid.pk)] for line in self.lines}
