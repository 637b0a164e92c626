"""Account forms."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import User


class SignupForm(forms.Form):
    """Extra details asked for at sign-up (allauth adds email and password)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        help_text=_("Optional. You choose each time whether it is shown with what you say."),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data.get("name", "").strip()
        user.save(update_fields=["name"])


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown with what you say only when you choose to be named."),
        error_messages={
            "required": _("Enter your name."),
            "max_length": _("Your name must be 150 characters or fewer."),
        },
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("So you can recognise it later, for example 'reporting script'."),
    )
