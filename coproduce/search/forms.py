"""The search form: what to look for, and the filters (a GET form, so a search has an address)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.search import registry
from coproduce.search.queries import Choice, Results
from coproduce.search.text import MAX_LENGTH, parse


class _Offered(forms.MultipleChoiceField):
    """Values that are not among the choices are left out, rather than refused: a link from an
    older page, or a kind an app no longer offers, still searches."""

    def validate(self, value: Any) -> None:
        pass

    def clean(self, value: Any) -> list[str]:
        cleaned = super().clean(value)
        return [item for item in cleaned if self.valid_value(item)]


def _counted(choice: Choice) -> str:
    return f"{choice.label} ({choice.count:,})"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Services, activities, ideas, stories, decisions and answers."),
        required=False,
        max_length=MAX_LENGTH,
    )
    kind = _Offered(
        label=_("Show only"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
    )
    # Any service's address; the choices shown are the services that have results.
    service = forms.SlugField(label=_("Service"), required=False, max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = sorted((s.kind, str(s.plural)) for s in registry.sources())
        self.fields["kind"].choices = sorted(kinds, key=lambda choice: choice[1])  # type: ignore[attr-defined]
        self.fields["service"].widget = forms.Select(choices=[("", _("All services"))])

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        if text.strip() and not parse(text):
            raise forms.ValidationError(
                _("Enter words to search for, for example drop-in or bus stop.")
            )
        return text.strip()

    def clean_service(self) -> str:
        return str(self.cleaned_data["service"] or "")

    def offer(self, results: Results) -> None:
        """Show how many results each choice of the filters has."""
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (choice.value, _counted(choice)) for choice in results.kinds
        ]
        self.fields["service"].widget.choices = [
            ("", _("All services")),
            *((choice.value, _counted(choice)) for choice in results.services),
        ]
