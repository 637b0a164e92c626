"""The forms of coaching sessions: setting one up (who is in it, by email) and changing its date,
goals and next steps. Shape and field checks only: the action finds the accounts and checks the
people, the date and the text again (decision 0088)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.actions_coaching import TEXT_MAX
from coproduce.assessment.models import CoachingSession
from coproduce.common.forms import DateField, OneTimeForm

ROLE_CHOICES = (
    ("coach", _("I am the coach")),
    ("participant", _("I am being coached")),
)
CHOOSE_ROLE = _("Choose whether you are the coach or one of the people being coached.")
# Addresses may be given one a line, or separated by commas, semicolons or spaces.
_SEPARATORS = re.compile(r"[\s,;]+")


def _long_text(
    label: Any, help_text: Any, required_message: Any | None, limit_message: Any
) -> forms.CharField:
    """A text box whose longer text is refused with a message, never cut off by the browser."""
    field = forms.CharField(
        label=label,
        help_text=help_text,
        required=required_message is not None,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            **({"required": required_message} if required_message is not None else {}),
            "max_length": limit_message,
        },
    )
    field.widget.attrs.pop("maxlength", None)
    return field


class SessionForm(forms.Form):
    """A session's date, its goals and the next steps agreed."""

    held_on = DateField(
        label=_("Date of the session"),
        name=_("the date of the session"),
        help_text=_("Up to a year ago, or up to a year ahead. For example, 14 5 2026"),
    )
    goals = _long_text(
        _("Goals"),
        _(
            "What the participants want to get better at, for example “Writing evidence notes "
            "that the rest of the team can follow”."
        ),
        _("Enter the goals of the session: what the participants want to get better at."),
        _("The goals must be %(limit_value)s characters or fewer."),
    )
    next_steps = _long_text(
        _("Next steps agreed (optional)"),
        _("What each of you will do before you next meet. You can add these after the session."),
        None,
        _("The next steps must be %(limit_value)s characters or fewer."),
    )

    def __init__(self, *args: Any, session: CoachingSession | None = None, **kwargs: Any) -> None:
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "held_on": session.held_on,
                    "goals": session.goals,
                    "next_steps": session.next_steps,
                },
            )
        super().__init__(*args, **kwargs)


class NewSessionForm(OneTimeForm, SessionForm):
    """Who is in a new session, and its details. Sent twice, it records one session."""

    role = forms.ChoiceField(
        label=_("What is your part in the session?"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ROLE, "invalid_choice": CHOOSE_ROLE},
    )
    coach_email = forms.CharField(
        label=_("Email address of your coach’s account"),
        help_text=_("Only if you are being coached. They need an account on this site."),
        required=False,
        max_length=254,
    )
    participant_emails = forms.CharField(
        label=_("Email addresses of the people being coached"),
        help_text=_(
            "One on each line, up to 10 people. They need an account on this site: ask them to "
            "create one first. If you are being coached, you are in the session already."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = [
        "one_time_token",
        "role",
        "coach_email",
        "participant_emails",
        "held_on",
        "goals",
        "next_steps",
    ]

    def clean_coach_email(self) -> str:
        email = str(self.cleaned_data.get("coach_email") or "").strip()
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _(
                        "Enter your coach’s email address in the correct format, like "
                        "name@example.com"
                    )
                ) from None
        return email

    def clean_participant_emails(self) -> list[str]:
        """The addresses as a list; each must look like an email address."""
        text = str(self.cleaned_data.get("participant_emails") or "")
        emails = [email for email in _SEPARATORS.split(text) if email]
        wrong = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                wrong.append(email)
        if wrong:
            raise forms.ValidationError(
                [
                    _(
                        "“%(email)s” is not an email address. Enter addresses like "
                        "name@example.com, one on each line."
                    )
                    % {"email": email}
                    for email in wrong
                ]
            )
        return emails
