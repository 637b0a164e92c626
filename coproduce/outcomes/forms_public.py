"""The form of the public outcome pages: a resident's answer to an indicator's check, 1 to 5.
Shape only: ``actions.check_answer`` checks the rule and the scale again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.outcomes.models import CHECK_SCALE

LOW, HIGH = CHECK_SCALE
CHOOSE = _("Choose a number from 1 to 5")


def rating_choices() -> list[tuple[int, str]]:
    """1 (worst) to 5 (best): neutral words that fit any question."""
    choices: list[tuple[int, str]] = []
    for number in range(LOW, HIGH + 1):
        if number == LOW:
            label = _("%(number)d (worst)") % {"number": number}
        elif number == HIGH:
            label = _("%(number)d (best)") % {"number": number}
        else:
            label = str(number)
        choices.append((number, label))
    return choices


class CheckForm(forms.Form):
    """The indicator's question (the fieldset's legend) with five radios."""

    rating = forms.TypedChoiceField(
        coerce=int,
        choices=rating_choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )

    def __init__(self, *args: Any, question: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].label = question
