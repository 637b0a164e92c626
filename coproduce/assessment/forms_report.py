"""The forms of a team's agreed report: per standard the team's rating and why, the summary and an
optional Welsh summary; and the button that publishes it. Shape and field checks only: the actions
check the rules, the standards and the lengths again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.actions_assessments import rating_key
from coproduce.assessment.actions_report import NOTE_MAX, SUMMARY_MAX, Agreed, note_key
from coproduce.assessment.forms_framework import WELSH_HINT
from coproduce.assessment.models import SCALE, Standard
from coproduce.common.languages import in_language

# The value of "Does not apply" among the radios.
NOT_APPLICABLE = "none"


def agreed_choices() -> list[tuple[str, Any]]:
    """Always … Never, then "Does not apply"."""
    return [(str(value), label) for value, label in SCALE] + [(NOT_APPLICABLE, _("Does not apply"))]


class ReportForm(forms.Form):
    """The team's report so far. Every field may be left for later: a standard without a rating
    is simply not agreed yet (publishing needs them all)."""

    summary = forms.CharField(
        label=_("Summary of the report"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What the team found, in plain words: what works well, what does not, and what "
            "should change first. Anyone can read it once the report is published."
        ),
        error_messages={
            "max_length": _("The summary must be %(limit)s characters or fewer.")
            % {"limit": f"{SUMMARY_MAX:,}"}
        },
    )
    summary_cy = forms.CharField(
        label=_("Summary in Welsh (optional)"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=WELSH_HINT,
        error_messages={
            "max_length": _("The summary in Welsh must be %(limit)s characters or fewer.")
            % {"limit": f"{SUMMARY_MAX:,}"}
        },
    )

    def __init__(
        self,
        *args: Any,
        standards: Iterable[Standard],
        answers: Mapping[int, Agreed] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Longer text is refused with a message, never cut off by the browser.
        for name in ("summary", "summary_cy"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.standards = list(standards)
        for standard in self.standards:
            statement = in_language(standard, "statement").text
            choose = gettext("Choose the team’s rating of “%(standard)s”, or “Does not apply”.") % {
                "standard": statement
            }
            given = (answers or {}).get(standard.pk)
            rating, note = given if given is not None else (None, "")
            self.fields[rating_key(standard.pk)] = forms.ChoiceField(
                label=statement,
                help_text=in_language(standard, "evidence_prompt").text,
                choices=agreed_choices,
                widget=forms.RadioSelect,
                required=False,
                initial=(NOT_APPLICABLE if rating is None else str(rating)) if given else None,
                error_messages={"invalid_choice": choose},
            )
            note_field = self.fields[note_key(standard.pk)] = forms.CharField(
                label=_("Why, and what shows it (optional)"),
                required=False,
                max_length=NOTE_MAX,
                initial=note,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": gettext(
                        "The note on “%(standard)s” must be %(limit)s characters or fewer."
                    )
                    % {"standard": statement, "limit": NOTE_MAX}
                },
            )
            note_field.widget.attrs.pop("maxlength", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for standard in self.standards:
            note = cleaned.get(note_key(standard.pk))
            if note and not cleaned.get(rating_key(standard.pk)):
                self.add_error(
                    rating_key(standard.pk),
                    gettext(
                        "Choose the team’s rating of “%(standard)s”, or “Does not apply”, to "
                        "keep the note on it."
                    )
                    % {"standard": in_language(standard, "statement").text},
                )
        if cleaned.get("summary_cy") and not cleaned.get("summary"):
            self.add_error(
                "summary_cy",
                gettext("Write the summary in English as well: the Welsh goes beside it."),
            )
        return cleaned

    def standard_fields(self) -> list[dict[str, Any]]:
        """Each standard with its two bound fields, for one fieldset each."""
        return [
            {
                "standard": standard,
                "rating": self[rating_key(standard.pk)],
                "comment": self[note_key(standard.pk)],
            }
            for standard in self.standards
        ]

    def ratings(self) -> dict[int, Agreed]:
        """The given answers: standard key → (rating or None, note); unanswered ones left out."""
        found: dict[int, Agreed] = {}
        for standard in self.standards:
            value = self.cleaned_data.get(rating_key(standard.pk))
            if not value:
                continue
            rating = None if value == NOT_APPLICABLE else int(value)
            found[standard.pk] = (rating, self.cleaned_data.get(note_key(standard.pk)) or "")
        return found


class PublishForm(forms.Form):
    """Publishing has nothing to fill in: the button is the decision."""
