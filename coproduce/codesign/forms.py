"""Forms of the idea challenge: shape and field checks only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.codesign.models import MAX_ANSWER_DAYS, Comment, IdeaCategory
from coproduce.codesign.queries import CommentSort, IdeaSort, StatementRow
from coproduce.common.forms import KeyChoiceField, OneTimeForm
from coproduce.contributions.forms import author_display_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class IdeaListForm(forms.Form):
    """Sort and filter the ideas of a challenge. Bad values fall back to the defaults."""

    sort = forms.ChoiceField(label=_("Sort by"), choices=IdeaSort.choices, required=False)
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


class IdeaForm(OneTimeForm):
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
    author_display = author_display_field()

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if categories.exists():
            cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        else:
            del self.fields["category"]


class CommentForm(OneTimeForm):
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
    author_display = author_display_field()

    def __init__(self, *args: Any, comments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = comments


class SupportForm(forms.Form):
    support = forms.ChoiceField(choices=[("add", "add"), ("withdraw", "withdraw")])


class AgreementForm(forms.Form):
    agree = forms.ChoiceField(choices=[("add", "add"), ("withdraw", "withdraw")])


class CommentOrderForm(forms.Form):
    """The order of an idea's conversations (a GET form; a bad value falls back to oldest first)."""

    comments = forms.ChoiceField(
        label=_("Sort comments by"), choices=CommentSort.choices, required=False
    )


def _whole_number(
    label: StrOrPromise, help_text: StrOrPromise, *, maximum: int, **messages: StrOrPromise
) -> forms.IntegerField:
    """An optional whole number typed in a text box (the GOV.UK pattern: no number spinner)."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=1,
        max_value=maximum,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-5"}
        ),
        error_messages=messages,
    )


class ThresholdForm(forms.Form):
    """A challenge's supports threshold: both may be left empty (no threshold)."""

    supports = _whole_number(
        _("Number of supports (optional)"),
        _(
            "Ideas with this many supports get a written answer from the team. Leave it empty "
            "for no threshold."
        ),
        maximum=100_000,
        invalid=_("Enter the number of supports as a whole number, like 50."),
        min_value=_("The number of supports must be 1 or more."),
        max_value=_("The number of supports must be 100,000 or fewer."),
    )
    answer_days = _whole_number(
        _("Working days to answer (optional)"),
        _(
            "Counted from the day an idea reaches the number of supports: from 1 to 120. "
            "Weekends and bank holidays in England and Wales do not count."
        ),
        maximum=MAX_ANSWER_DAYS,
        invalid=_("Enter the working days as a whole number, like 20."),
        min_value=_("The working days must be between 1 and 120."),
        max_value=_("The working days must be between 1 and 120."),
    )


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_("Category name"),
        max_length=80,
        help_text=_("Short and plain, for example “Opening hours”."),
        error_messages={"required": _("Enter a name for the category.")},
    )


class NewCategoryForm(OneTimeForm, CategoryForm):
    """Add a category (sent again, it adds nothing)."""


class TakeForwardForm(OneTimeForm):
    """Choose one agreed statement of the service's opinion maps to take forward as an idea."""

    statement = forms.ChoiceField(
        label=_("Statement"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the statement to take forward."),
            "invalid_choice": _(
                "Choose one of the statements listed: all groups agreed with it, and it is not "
                "an idea in this challenge yet."
            ),
        },
    )

    def __init__(self, *args: Any, rows: Sequence[StatementRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["statement"]).choices = [
            (str(row.contribution.pk), f"{row.text} ({row.opinion_map})")
            for row in rows
            if row.idea is None
        ]
