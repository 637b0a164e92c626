"""The forms of peer reviews: the visit, adding an assessor to the team, and an assessor's own
ratings with their evidence. Shape and field checks only: the actions check the rules, the team and
every rating again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.actions_assessments import Answer, comment_key, rating_key
from coproduce.assessment.actions_peer import EVIDENCE_MAX, FROM_GROUP_MAX, VISIT_PLACE_MAX
from coproduce.assessment.forms_assessments import NOT_APPLICABLE, _Ratings
from coproduce.assessment.models import SCALE, Standard
from coproduce.common.forms import DateField
from coproduce.common.languages import in_language

# The hidden field that says which of the team page's two forms was sent.
WHICH_FORM = "form"


class VisitForm(forms.Form):
    """When and where the peer team visits the service (or does a desk review)."""

    visit_on = DateField(
        label=_("Date of the visit"),
        name=_("the date of the visit"),
        help_text=_(
            "For a desk review, the day the team reviews the service. For example, 14 5 2026"
        ),
    )
    visit_place = forms.CharField(
        label=_("Where (optional)"),
        required=False,
        max_length=VISIT_PLACE_MAX,
        help_text=_("For example, the scheme’s office and one morning’s journeys."),
    )


class AssessorForm(forms.Form):
    """A person to put on the team, by the email address of their account."""

    email = forms.EmailField(
        label=_("Email address of their account"),
        help_text=_("They need an account on this site. Ask them to create one first."),
        error_messages={
            "required": _("Enter the email address of the assessor’s account."),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    from_group = forms.CharField(
        label=_("Where they come from"),
        max_length=FROM_GROUP_MAX,
        help_text=_(
            "Shown with their ratings and on the report instead of their name, for example "
            "“Eastvale Dial-a-Ride user group” or “Northfield Carers’ Centre”."
        ),
        error_messages={
            "required": _(
                "Say where the assessor comes from, for example “Eastvale Dial-a-Ride user group”."
            )
        },
    )
    is_lead = forms.BooleanField(
        label=_("They lead the team"),
        help_text=_(
            "The lead assessor writes the team’s agreed report. A team has one lead: choosing "
            "someone here takes over from the current lead."
        ),
        required=False,
    )


def assessor_rating_choices() -> list[tuple[str, Any]]:
    """Always (5) … Never (1), then "Does not apply"."""
    return [
        (str(value), _("%(label)s (%(value)s)") % {"label": label, "value": value})
        for value, label in SCALE
    ] + [(NOT_APPLICABLE, _("Does not apply"))]


class AssessorRatingsForm(_Ratings, forms.Form):
    """An assessor's own ratings, each with their evidence. Every rating is optional here: a draft
    may leave some out, and the action asks for all of them when they are handed in."""

    def __init__(
        self,
        *args: Any,
        standards: Iterable[Standard],
        answers: Mapping[int, Answer] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._add_rating_fields(standards, answers)

    def _add_rating_fields(
        self, standards: Iterable[Standard], answers: Mapping[int, Answer] | None
    ) -> None:
        self.standards = list(standards)
        for standard in self.standards:
            statement = in_language(standard, "statement").text
            choose = _("Choose how often “%(standard)s” is true, or “Does not apply”.") % {
                "standard": statement
            }
            given = (answers or {}).get(standard.pk)
            rating, evidence = given if given is not None else (None, "")
            self.fields[rating_key(standard.pk)] = forms.ChoiceField(
                label=statement,
                help_text=in_language(standard, "evidence_prompt").text,
                choices=assessor_rating_choices,
                widget=forms.RadioSelect,
                required=False,
                initial=(NOT_APPLICABLE if rating is None else str(rating))
                if given is not None
                else None,
                error_messages={"invalid_choice": choose},
            )
            evidence_field = self.fields[comment_key(standard.pk)] = forms.CharField(
                label=_("What you saw or heard (optional)"),
                required=False,
                max_length=EVIDENCE_MAX,
                initial=evidence,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _(
                        "Your evidence on “%(standard)s” must be %(limit)s characters or fewer."
                    )
                    % {"standard": statement, "limit": EVIDENCE_MAX}
                },
            )
            # Longer text is refused with a message, never cut off by the browser.
            evidence_field.widget.attrs.pop("maxlength", None)

    def clean(self) -> dict[str, Any]:
        """Evidence without a rating would be lost: ask for the rating (or "Does not apply")."""
        data = self.cleaned_data
        for standard in self.standards:
            key = rating_key(standard.pk)
            if key in self.errors:
                continue
            if not data.get(key) and (data.get(comment_key(standard.pk)) or "").strip():
                self.add_error(
                    key,
                    _(
                        "Choose how often “%(standard)s” is true, or “Does not apply”, to keep "
                        "your evidence on it."
                    )
                    % {"standard": in_language(standard, "statement").text},
                )
        return data
