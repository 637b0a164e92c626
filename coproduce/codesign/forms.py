"""Forms of the idea challenge: shape and field checks only."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.codesign.models import Comment, IdeaCategory
from coproduce.codesign.queries import IdeaSort
from coproduce.common.forms import KeyChoiceField, OneTimeForm
from coproduce.contributions.forms import author_display_field


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


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_("Category name"),
        max_length=80,
        help_text=_("Short and plain, for example “Opening hours”."),
        error_messages={"required": _("Enter a name for the category.")},
    )


class NewCategoryForm(OneTimeForm, CategoryForm):
    """Add a category (sent again, it adds nothing)."""
