"""Forms for the idea challenge, answers, statuses and moderation: shape and field checks only."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.codesign.models import (
    IDEA_TRANSITIONS,
    STATUSES_NEEDING_REASON,
    AuthorDisplay,
    Comment,
    IdeaCategory,
    IdeaStatus,
)


class KeyChoiceField(forms.ModelChoiceField):
    """A choice of row by primary key that turns away values no key can have before querying.

    Databases refuse integers beyond 64 bits with an error, not an empty result.
    """

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not (str(value).isdigit() and len(str(value)) < 19):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdeaSort:
    """The orders an idea list can be shown in; the first is the default."""

    NEWEST = "newest"
    SUPPORTED = "supported"
    ANSWERED = "answered"
    CHOICES = [
        (NEWEST, _("Newest")),
        (SUPPORTED, _("Most supported")),
        (ANSWERED, _("Recently answered")),
    ]


class IdeaListForm(forms.Form):
    """Sort and filter the ideas of a challenge. Bad values fall back to the defaults."""

    sort = forms.ChoiceField(label=_("Sort by"), choices=IdeaSort.CHOICES, required=False)
    category = KeyChoiceField(
        label=_("Category"),
        queryset=IdeaCategory.objects.none(),
        required=False,
        empty_label=_("All categories"),
    )

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories

    def choice(self) -> tuple[str, IdeaCategory | None]:
        """The sort and category to use: each one falls back on its own when it is nonsense."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("sort") or IdeaSort.NEWEST, data.get("category")


def _author_display_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How should your name be shown?"),
        choices=AuthorDisplay.choices,
        initial=AuthorDisplay.FIRST_NAME,
        widget=forms.RadioSelect,
        help_text=_("We never show your email address."),
        error_messages={"required": _("Choose how your name is shown.")},
    )


class IdeaForm(forms.Form):
    """Post an idea."""

    title = forms.CharField(
        label=_("Give your idea a short title"),
        max_length=150,
        error_messages={"required": _("Enter a title for your idea.")},
    )
    description = forms.CharField(
        label=_("Describe your idea"),
        help_text=_("What would change, who it would help, and how."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe your idea.")},
    )
    category = KeyChoiceField(
        label=_("Category (optional)"),
        queryset=IdeaCategory.objects.none(),
        required=False,
        empty_label=_("No category"),
        error_messages={"invalid_choice": _("Choose one of this challenge's categories.")},
    )
    author_display = _author_display_field()

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if categories.exists():
            cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        else:
            del self.fields["category"]


class CommentForm(forms.Form):
    """Comment on an idea, or reply to a comment."""

    parent = KeyChoiceField(
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("The comment you are replying to is not on this idea.")
        },
    )
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter your comment.")},
    )
    is_question = forms.BooleanField(
        label=_("This is a question for the service team"),
        help_text=_("The team will answer it publicly."),
        required=False,
    )
    author_display = _author_display_field()

    def __init__(self, *args: Any, comments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = comments


class SupportForm(forms.Form):
    support = forms.ChoiceField(choices=[("add", "add"), ("withdraw", "withdraw")])


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should a moderator look at this?"),
        help_text=_(
            "For example, it is rude, shares someone's personal details, or is advertising."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say why a moderator should look at this.")},
    )


class ResponseForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        help_text=_(
            "Everyone can read it, and the person who wrote this gets an email. Say what will "
            "happen, or why not, in plain English."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the answer.")},
    )


class IdeaStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the new status."),
            "invalid_choice": _("Choose one of the statuses shown."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown publicly with the status. Needed for “adapted” and “not taken forward”."
        ),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(IdeaStatus.choices)
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            (s, labels[s]) for s in IDEA_TRANSITIONS[current]
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("to_status") in STATUSES_NEEDING_REASON and not data.get("reason", "").strip():
            self.add_error("reason", _("Explain why, so the people who suggested it understand."))
        return data


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_("Category name"),
        max_length=80,
        help_text=_("Short and plain, for example “Opening hours”."),
        error_messages={"required": _("Enter a name for the category.")},
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("hide", "hide")])
