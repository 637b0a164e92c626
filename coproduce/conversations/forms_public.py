"""The forms of taking part: a vote on one statement, and a new statement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.common.forms import KeyChoiceField, OneTimeForm
from coproduce.conversations.actions import STATEMENT_MAX_LENGTH
from coproduce.conversations.models import Conversation, Statement, VoteValue

# The names of the three buttons' values, as the API names them.
VOTES: dict[str, int] = {
    "agree": VoteValue.AGREE,
    "disagree": VoteValue.DISAGREE,
    "pass": VoteValue.PASS,
}
VOTE_NAMES = {value: name for name, value in VOTES.items()}


def _text_hint() -> str:
    return gettext(
        "One idea that others can agree or disagree with, in %(max)s characters or fewer."
    ) % {"max": STATEMENT_MAX_LENGTH}


class VoteForm(forms.Form):
    """Agree, disagree or pass on one published statement of the conversation."""

    statement = KeyChoiceField(
        queryset=Statement.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a statement to vote on."),
            "invalid_choice": _(
                "This statement cannot be voted on: it is not in this conversation, or it has "
                "been taken down. Your vote was not saved."
            ),
        },
    )
    value = forms.ChoiceField(
        choices=[(name, name) for name in VOTES],
        error_messages={
            "required": _("Choose agree, disagree or pass."),
            "invalid_choice": _("Choose agree, disagree or pass."),
        },
    )

    def __init__(self, *args: Any, conversation: Conversation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statement = self.fields["statement"]
        assert isinstance(statement, KeyChoiceField)
        # One query: the statement with its moderation state, which vote_cast reads.
        statement.queryset = conversation.statements.published().select_related("contribution")

    def vote_value(self) -> int:
        return VOTES[self.cleaned_data["value"]]


class StatementForm(OneTimeForm):
    """A new statement; ``add_anyway`` after being shown similar ones."""

    text = forms.CharField(
        label=_("Your statement"),
        help_text=lazy(_text_hint, str)(),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write your statement."),
            "max_length": _("Keep your statement to %(limit_value)s characters or fewer."),
        },
    )
    add_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Longer text is refused with a message, never cut off by the browser.
        self.fields["text"].widget.attrs.pop("maxlength", None)


class ResidentCodeForm(forms.Form):
    """A resident's one-time code and their postcode (residents-only conversations); the action
    checks both and says on which field what is wrong."""

    code = forms.CharField(
        label=_("Your code"),
        help_text=_("It is on the letter or card we gave you, for example ABCD-EFGH-JKLM."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}
        ),
        error_messages={"required": _("Enter the code from your letter or card.")},
    )
    postcode = forms.CharField(
        label=_("Your postcode"),
        help_text=_("Only people who live in the area can take part. For example, NF1 2AB."),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "postal-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter your postcode, for example NF1 2AB.")},
    )
