"""The forms of the standards that feed outcome indicators: linking a standard to an indicator, and
recording a closed assessment's results (no fields: the page shows what will be written). Shape
only: the actions check the rules, the standard and the indicator again (decision 0090)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models import Standard
from coproduce.common.forms import OneTimeForm
from coproduce.common.languages import in_language
from coproduce.outcomes.models import Indicator


def _grouped(items: Sequence[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, key, label) rows as select options grouped under their group, in order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, key, label in items:
        groups.setdefault(group, []).append((key, label))
    return list(groups.items())


class LinkForm(OneTimeForm):
    """Which standard feeds which indicator."""

    standard = forms.ChoiceField(
        label=_("Standard"),
        help_text=_(
            "From the latest agreed version. The link stays when a later version rewords it."
        ),
        error_messages={
            "required": _("Choose a standard."),
            "invalid_choice": _("Choose one of the standards of the latest agreed version."),
        },
    )
    indicator = forms.ChoiceField(
        label=_("Outcome indicator it feeds"),
        help_text=_(
            "The value recorded is the share of people who said “Always” or “Mostly”, as a "
            "percentage, so choose an indicator whose unit is “%”. Indicators residents report "
            "by answering a question are not listed."
        ),
        error_messages={
            "required": _("Choose an indicator."),
            "invalid_choice": _("Choose one of this service’s outcome indicators."),
        },
    )

    def __init__(
        self,
        *args: Any,
        standards: Sequence[Standard],
        indicators: Sequence[Indicator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.standards = {str(standard.pk): standard for standard in standards}
        self.indicators = {str(indicator.pk): indicator for indicator in indicators}
        standard_field = self.fields["standard"]
        indicator_field = self.fields["indicator"]
        assert isinstance(standard_field, forms.ChoiceField)
        assert isinstance(indicator_field, forms.ChoiceField)
        standard_field.choices = [
            ("", _("Choose a standard")),
            *_grouped(
                [
                    (
                        in_language(standard, "theme"),
                        str(standard.pk),
                        in_language(standard, "statement"),
                    )
                    for standard in standards
                ]
            ),
        ]
        indicator_field.choices = [
            ("", _("Choose an indicator")),
            *_grouped(
                [
                    (
                        in_language(indicator.outcome, "title"),
                        str(indicator.pk),
                        f"{in_language(indicator, 'name')} ({indicator.unit})",
                    )
                    for indicator in indicators
                ]
            ),
        ]

    def clean_standard(self) -> Standard | None:
        return self.standards.get(self.cleaned_data.get("standard") or "")

    def clean_indicator(self) -> Indicator | None:
        return self.indicators.get(self.cleaned_data.get("indicator") or "")


class RecordForm(forms.Form):
    """Recording has nothing to fill in: the page shows what will be written, and sending it
    again updates the same values."""
