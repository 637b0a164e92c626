"""The forms of user assessments: choosing the version staff pin, and the ratings (online, with the
choice to show one's name with one's comments, or from a paper form). Shape and field checks only:
the actions check the rules, the version and every answer again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.actions_assessments import (
    COMMENT_MAX,
    Answer,
    comment_key,
    rating_key,
)
from coproduce.assessment.models import SCALE, FrameworkVersion, Standard
from coproduce.common.forms import KeyChoiceField, OneTimeForm
from coproduce.common.languages import in_language

# The value of "Does not apply to me" among the radios.
NOT_APPLICABLE = "none"


class VersionChoiceField(KeyChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        version: FrameworkVersion = obj
        count = getattr(version, "standard_count", None)
        text = _("Version %(number)s, agreed on %(day)s") % {
            "number": version.number,
            "day": date_format(timezone.localtime(version.agreed_at), "j F Y")
            if version.agreed_at
            else "",
        }
        if count is not None:
            text = _("%(version)s (%(count)s standards)") % {"version": text, "count": count}
        return str(text)


class VersionForm(forms.Form):
    """Which agreed version the assessment rates against."""

    version = VersionChoiceField(
        queryset=FrameworkVersion.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Which version of the standards will people rate the service against?"),
        error_messages={
            "required": _("Choose a version of the standards."),
            "invalid_choice": _("Choose a version of the standards."),
        },
    )

    def __init__(self, *args: Any, versions: Iterable[FrameworkVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["version"]
        assert isinstance(field, VersionChoiceField)
        field.queryset = versions  # type: ignore[assignment]


def rating_choices() -> list[tuple[str, Any]]:
    """Always … Never, then "Does not apply to me"."""
    return [(str(value), label) for value, label in SCALE] + [
        (NOT_APPLICABLE, _("Does not apply to me"))
    ]


class _Ratings:
    """The fields of the ratings: for each standard, its rating and an optional comment."""

    standards: list[Standard]
    if TYPE_CHECKING:  # what the form this is mixed into has
        fields: dict[str, forms.Field]
        cleaned_data: dict[str, Any]

        def __getitem__(self, name: str) -> forms.BoundField: ...

    def _add_rating_fields(
        self, standards: Iterable[Standard], answers: Mapping[int, Answer] | None
    ) -> None:
        self.standards = list(standards)
        for standard in self.standards:
            statement = in_language(standard, "statement").text
            choose = _(
                "Choose how often “%(standard)s” is true for you, or “Does not apply to me”."
            ) % {"standard": statement}
            rating, comment = (answers or {}).get(standard.pk, (None, ""))
            given = (answers or {}).get(standard.pk) is not None
            self.fields[rating_key(standard.pk)] = forms.ChoiceField(
                label=statement,
                help_text=in_language(standard, "evidence_prompt").text,
                choices=rating_choices,
                widget=forms.RadioSelect,
                initial=(NOT_APPLICABLE if rating is None else str(rating)) if given else None,
                error_messages={"required": choose, "invalid_choice": choose},
            )
            comment_field = self.fields[comment_key(standard.pk)] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=COMMENT_MAX,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _(
                        "Your comment on “%(standard)s” must be %(limit)s characters or fewer."
                    )
                    % {"standard": statement, "limit": COMMENT_MAX}
                },
            )
            # Longer text is refused with a message, never cut off by the browser.
            comment_field.widget.attrs.pop("maxlength", None)

    def standard_fields(self) -> list[dict[str, Any]]:
        """Each standard with its two bound fields, for one fieldset each."""
        return [
            {
                "standard": standard,
                "rating": self[rating_key(standard.pk)],
                "comment": self[comment_key(standard.pk)],
            }
            for standard in self.standards
        ]

    def ratings(self) -> dict[int, Answer]:
        """The cleaned answers: standard key → (rating or None, comment)."""
        found: dict[int, Answer] = {}
        for standard in self.standards:
            value = self.cleaned_data.get(rating_key(standard.pk))
            if not value:
                continue
            rating = None if value == NOT_APPLICABLE else int(value)
            found[standard.pk] = (rating, self.cleaned_data.get(comment_key(standard.pk)) or "")
        return found


class RateForm(_Ratings, forms.Form):
    """A person's ratings, and whether their name is shown with their comments (not by default).

    A plain form, not a OneTimeForm: saving again replaces the one response a person has."""

    def __init__(
        self,
        *args: Any,
        standards: Iterable[Standard],
        answers: Mapping[int, Answer] | None = None,
        named: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._add_rating_fields(standards, answers)
        self.fields["named"] = forms.BooleanField(
            label=_("Show my name with my comments"),
            help_text=_(
                "Leave this unticked to share your comments without your name. Your ratings are "
                "never shown with your name, and your email address is never shown."
            ),
            required=False,
            initial=named,
        )


class PaperForm(_Ratings, OneTimeForm):
    """A paper form's answers, typed in by staff: each copy of the page adds one response."""

    def __init__(self, *args: Any, standards: Iterable[Standard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_rating_fields(standards, None)
