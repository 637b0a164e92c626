"""Forms of the framework's staff pages: a standard, and agreeing a version with the residents
who wrote it. Shape only: the actions check duplicates, drafts and co-authors' names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import User
from coproduce.assessment.actions_framework import MAX_CO_AUTHORS
from coproduce.assessment.models import Standard
from coproduce.common.forms import OneTimeForm
from coproduce.common.languages import english_hint

# Every Welsh field is optional: until it is written, Welsh pages show the English (decision 0025).
WELSH_HINT = _("Welsh pages show the English until you add the Welsh.")
SEPARATORS = re.compile(r"[\s,;]+")


class StandardForm(forms.Form):
    """A standard in people's words, its theme and an optional prompt for evidence."""

    theme = forms.CharField(
        label=_("Theme"),
        max_length=100,
        error_messages={
            "required": _("Write the theme the standard belongs to."),
            "max_length": _("The theme must be 100 characters or fewer."),
        },
    )
    theme_cy = forms.CharField(
        label=_("Theme in Welsh (optional)"),
        max_length=100,
        required=False,
        help_text=WELSH_HINT,
        error_messages={"max_length": _("The theme in Welsh must be 100 characters or fewer.")},
    )
    statement = forms.CharField(
        label=_("Standard"),
        max_length=300,
        help_text=_(
            "What people should experience, in their own words. For example, “I can book a "
            "journey without help” or “Staff treat me with respect”."
        ),
        error_messages={
            "required": _("Write the standard."),
            "max_length": _("The standard must be 300 characters or fewer."),
        },
    )
    statement_cy = forms.CharField(
        label=_("Standard in Welsh (optional)"),
        max_length=300,
        required=False,
        help_text=WELSH_HINT,
        error_messages={"max_length": _("The standard in Welsh must be 300 characters or fewer.")},
    )
    evidence_prompt = forms.CharField(
        label=_("What shows it (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A prompt for people rating the service, for example “Think about the last time "
            "you booked a journey”."
        ),
        error_messages={"max_length": _("What shows it must be 500 characters or fewer.")},
    )
    evidence_prompt_cy = forms.CharField(
        label=_("What shows it, in Welsh (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=WELSH_HINT,
        error_messages={
            "max_length": _("What shows it, in Welsh, must be 500 characters or fewer.")
        },
    )

    def __init__(
        self,
        *args: Any,
        themes: Sequence[str] = (),
        standard: Standard | None = None,
        **kwargs: Any,
    ) -> None:
        if standard is not None:
            kwargs.setdefault("initial", {name: getattr(standard, name) for name in FIELDS})
        super().__init__(*args, **kwargs)
        hint = gettext("A heading that groups standards, for example “Booking a journey”.")
        if themes:
            hint += " " + gettext(
                "Themes so far: %(themes)s. Write one of them to put the standard with it."
            ) % {"themes": "; ".join(themes)}
        self.fields["theme"].help_text = hint
        if standard is not None:  # the English the Welsh is written beside
            for name in ("theme", "statement", "evidence_prompt"):
                if getattr(standard, name):
                    self.fields[f"{name}_cy"].help_text = english_hint(getattr(standard, name))


FIELDS = tuple(StandardForm.base_fields)


class NewStandardForm(OneTimeForm, StandardForm):
    """Add a standard (sent again, it adds nothing)."""


class AgreeForm(forms.Form):
    """What changed (or how version 1 was written), and the residents who wrote it."""

    change_note = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Write at most 4,000 characters.")},
    )
    change_note_cy = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=WELSH_HINT,
        error_messages={"max_length": _("Write at most 4,000 characters.")},
    )
    co_authors = forms.CharField(
        label=_("Residents who wrote it with you (optional)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "The email address of each person’s account, one a line. The public page shows "
            "their names (never their email addresses), so ask them first."
        ),
        error_messages={"max_length": _("The list of email addresses is too long.")},
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        note = self.fields["change_note"]
        if number == 1:
            note.label = gettext("How the standards were written")
            note.help_text = gettext(
                "Who wrote them and how, for example “Written with 14 passengers at three "
                "workshops in May”. It is shown with the standards."
            )
            note.error_messages["required"] = gettext("Say how the standards were written.")
            self.fields["change_note_cy"].label = gettext(
                "How the standards were written, in Welsh (optional)"
            )
        else:
            note.label = gettext("What changed, and why")
            note.help_text = gettext(
                "What is new, reworded or removed since the last version, and what people said "
                "that led to it. It is shown with the standards."
            )
            note.error_messages["required"] = gettext(
                "Say what changed since the last version, and why."
            )
            self.fields["change_note_cy"].label = gettext(
                "What changed, and why, in Welsh (optional)"
            )

    def clean_co_authors(self) -> list[User]:
        text = str(self.cleaned_data.get("co_authors") or "")
        emails = list(dict.fromkeys(e.lower() for e in SEPARATORS.split(text) if e))
        problems: list[str] = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    gettext(
                        "“%(email)s” is not an email address. Write one address a line, like "
                        "name@example.com."
                    )
                    % {"email": email}
                )
        if problems:
            raise ValidationError(problems)
        if not emails:
            return []
        if len(emails) > MAX_CO_AUTHORS:
            raise ValidationError(
                gettext("Name at most %(count)d co-authors.") % {"count": MAX_CO_AUTHORS}
            )
        anyone = Q(pk__in=[])
        for email in emails:
            anyone |= Q(email__iexact=email)
        found = {user.email.lower(): user for user in User.objects.filter(anyone)}
        unknown = [email for email in emails if email not in found]
        if unknown:
            raise ValidationError(
                [
                    gettext(
                        "Nobody has an account with the email address %(email)s. Ask them to "
                        "create one, or leave them out."
                    )
                    % {"email": email}
                    for email in unknown
                ]
            )
        return [found[email] for email in emails]
