"""Forms for organisation membership."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coproduce.organisations.models import Role


class MemberForm(forms.Form):
    """Add a person who already has an account, or change their role."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The person must have created an account already."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)

    def clean_email(self) -> Any:
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this email address. Ask the person to create an account first.")
            )
        self.cleaned_data["user"] = user
        return email
