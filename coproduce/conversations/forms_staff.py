"""Forms of the staff pages of a conversation: shape only; the actions check the rest."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.common.forms import DateField, FixableForm, OneTimeForm
from coproduce.contributions.models import DECISION_DATE_NAME, DECISION_DATES, Contribution
from coproduce.conversations.actions import (
    AUDIENCE_FIXED,
    MAX_CODES,
    STATEMENT_MAX_LENGTH,
    ModerationDecision,
)
from coproduce.conversations.models import Audience, Moderation
from coproduce.conversations.rules import AUDIENCE

# The start of a UK postcode: an area ("NF"), or a district ("NF1", "NF12", "EC1A").
_PREFIX = re.compile(r"^[A-Z]{1,2}([0-9][0-9A-Z]?)?$")
SETTINGS = ("description", "audience", "postcode_prefixes", "participants_may_add", "moderation")


class ConversationForm(FixableForm, OneTimeForm):
    """Who may take part, whether they add statements, and how new statements are checked.
    ``audience_fixed``: people have voted, so who may take part is shown but not changed."""

    description = forms.CharField(
        label=_("What the conversation is about (optional)"),
        help_text=_(
            "Shown to residents above the statements. Say why you are asking and what you will "
            "do with the answers."
        ),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    audience = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Audience.choices,
        initial=Audience.ANYONE,
        widget=forms.RadioSelect,
        help_text=_(
            "Verified residents take part with a one-time code that you post to each household "
            "or hand out at events. Make the codes on the conversation’s “Residents’ codes” "
            "page."
        ),
        error_messages={"required": _("Choose who may take part.")},
    )
    postcode_prefixes = forms.CharField(
        label=_("Postcode areas (only for verified residents)"),
        help_text=_(
            "The start of the postcodes that count as the area, separated by spaces, for "
            "example “NF1 NF2”. Residents give their postcode with their code; a postcode "
            "outside these areas is refused."
        ),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    participants_may_add = forms.BooleanField(
        label=_("Participants may add their own statements"), required=False, initial=True
    )
    moderation = forms.ChoiceField(
        label=_("Checking new statements from participants"),
        choices=Moderation.choices,
        initial=Moderation.PRE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose when new statements are checked.")},
    )

    def __init__(self, *args: Any, audience_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if audience_fixed:
            self.fix(AUDIENCE, AUDIENCE_FIXED)

    def clean_postcode_prefixes(self) -> str:
        prefixes = str(self.cleaned_data.get("postcode_prefixes", "")).upper().split()
        wrong = [prefix for prefix in prefixes if not _PREFIX.match(prefix)]
        if wrong:
            raise forms.ValidationError(
                _(
                    "“%(wrong)s” is not the start of a postcode. Write postcode areas or "
                    "districts such as NF1, separated by spaces."
                ),
                params={"wrong": " ".join(wrong)},
            )
        return " ".join(prefixes)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        residents = data.get("audience") == Audience.RESIDENTS
        if (
            residents
            and not data.get("postcode_prefixes")
            and "postcode_prefixes" not in self.errors
        ):
            self.add_error(
                "postcode_prefixes",
                _("Give the postcode areas of the residents who may take part."),
            )
        return data

    def settings(self) -> dict[str, Any]:
        """The cleaned settings, as conversation_create and conversation_update take them."""
        return {name: self.cleaned_data[name] for name in SETTINGS}


class CodesForm(forms.Form):
    """How many residents' codes to make in one batch."""

    count = forms.IntegerField(
        label=_("How many codes"),
        min_value=1,
        max_value=MAX_CODES,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": _("Enter how many codes to make."),
            "invalid": _("Enter how many codes to make as a whole number, such as 200."),
            "min_value": _("Make at least 1 code."),
            "max_value": _("Make %(limit_value)s codes or fewer at a time."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["count"].help_text = gettext(
            "One for each household or person. Between 1 and %(max)d at a time."
        ) % {"max": MAX_CODES}


class StatementForm(OneTimeForm):
    """A seed statement written by staff."""

    text = forms.CharField(
        label=_("Seed statement"),
        help_text=_(
            "One idea, in a short sentence people can agree or disagree with. Not a question. "
            "At most %(max)s characters."
        )
        % {"max": STATEMENT_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the statement.")},
    )


class ModerationForm(forms.Form):
    """One moderation decision on one statement; the action says when a reason is missing."""

    decision = forms.ChoiceField(
        choices=[
            (ModerationDecision.ACCEPT, _("Accept")),
            (ModerationDecision.REJECT, _("Reject")),
            (ModerationDecision.META, _("Mark as meta")),
            (ModerationDecision.NOT_META, _("Not meta")),
        ]
    )
    reason = forms.CharField(
        label=_("Why is it rejected?"),
        help_text=_("The author can see this. For example: it names a person, or it is abuse."),
        max_length=300,
        required=False,
    )
    show = forms.CharField(required=False, max_length=20)
    page = forms.CharField(required=False, max_length=8)

    def page_number(self) -> int | None:
        """The page of the list the decision was made on, to go back to (None: the first)."""
        page = str(self.cleaned_data.get("page") or "")
        return int(page) if page.isdigit() else None


class StatementContributionsField(forms.ModelMultipleChoiceField[Contribution]):
    """Checkboxes labelled with the text of each statement."""

    def label_from_instance(self, obj: Contribution) -> str:
        return str(obj.opinion_statement.text)


class SummaryForm(OneTimeForm):
    """The official summary of a conversation, published as a decision of the service."""

    title = forms.CharField(
        label=_("Title of the summary"),
        help_text=_("What came out of the conversation, for example “What you told us about …”."),
        max_length=200,
        error_messages={"required": _("Give the summary a title.")},
    )
    description = forms.CharField(
        label=_("The summary"),
        help_text=_(
            "What the groups of opinion were, what almost everyone agreed on, and what you will "
            "do now. Plain English."
        ),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the summary.")},
    )
    decided_by = forms.CharField(
        label=_("Who decided"),
        help_text=_("A person, role or board, for example ‘Community Safety Partnership’."),
        max_length=200,
        error_messages={"required": _("Say who decided.")},
    )
    decided_on = DateField(
        label=_("Date of the decision"),
        name=DECISION_DATE_NAME,
        dates=DECISION_DATES,
        help_text=_("For example, 27 3 2027"),
    )
    contributions = StatementContributionsField(
        label=_("Statements this summary answers"),
        help_text=_(
            "Ticked to start with: what almost everyone agreed on, and what set each group "
            "apart, on the latest map."
        ),
        queryset=Contribution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose statements of this conversation.")},
    )

    def __init__(self, *args: Any, statements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(StatementContributionsField, self.fields["contributions"]).queryset = statements
