"""The form residents weigh a round's criteria with: one whole number of points per criterion and
how their name is shown. Shape and field checks only: ``actions.weighting_save`` checks that the
points add up to 100 (the same message whichever way a weighting arrives)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.commissioning.models import POINTS, Criterion, CriterionKind
from coproduce.common.languages import in_language
from coproduce.contributions.forms import author_display_field


def points_field_name(criterion: Criterion) -> str:
    return f"points_{criterion.pk}"


class WeighForm(forms.Form):
    """One number of points per criterion (0 to 100; empty counts as 0), and the name choice.

    A plain form, not a OneTimeForm: saving again changes the one weighting a person has, so a
    form sent twice does no harm (decision 0075).
    """

    author_display = author_display_field()

    def __init__(
        self,
        *args: Any,
        criteria: Iterable[Criterion],
        points: Mapping[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = in_language(criterion, "name").text
            messages = {
                "invalid": _("Enter the points for “%(criterion)s” as a whole number, like 20.")
                % {"criterion": name},
                "min_value": _("Give “%(criterion)s” 0 points or more.") % {"criterion": name},
                "max_value": _("Give “%(criterion)s” 100 points or fewer.") % {"criterion": name},
            }
            self.fields[points_field_name(criterion)] = forms.IntegerField(
                label=name,
                help_text=in_language(criterion, "description").text,
                required=False,
                min_value=0,
                max_value=POINTS,
                initial=(points or {}).get(criterion.pk, 0),
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "spellcheck": "false",
                        "class": "govuk-input--width-3",
                        "data-points": "",
                    }
                ),
                error_messages=messages,
            )
        # The name choice comes after the points.
        self.fields["author_display"] = self.fields.pop("author_display")

    def groups(self) -> list[dict[str, Any]]:
        """The criteria's fields by kind (quality, then social value), for one fieldset each."""
        return [
            {
                "kind": kind,
                "label": label,
                "fields": [
                    self[points_field_name(c)] for c in self.criteria if c.kind == kind.value
                ],
            }
            for kind, label in ((k, k.label) for k in CriterionKind)
            if any(c.kind == kind.value for c in self.criteria)
        ]

    def points(self) -> dict[int, int]:
        """The cleaned points by criterion key (an empty field counts as 0)."""
        return {
            criterion.pk: self.cleaned_data.get(points_field_name(criterion)) or 0
            for criterion in self.criteria
        }
