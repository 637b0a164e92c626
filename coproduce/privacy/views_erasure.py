"""Delete my account: what stays and why, told first; the password asked again; then erased."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.common import ratelimit
from coproduce.common.permissions import rule_required
from coproduce.privacy import erasure, rules

ATTEMPTS = "account_delete"  # settings.ACCOUNT_RATE_LIMITS: wrong passwords here


class DeleteForm(forms.Form):
    remove_words = forms.BooleanField(
        label=gettext_lazy("Also remove the words of everything I wrote"),
        help_text=gettext_lazy(
            "They are replaced by “Removed at the request of the person who wrote it.” and the "
            "pictures you added are deleted. The answers they got stay."
        ),
        required=False,
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        help_text=gettext_lazy("To be sure it is you."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Enter your password.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password


@rule_required(rules.can_use_data_rights)
@require_http_methods(["GET", "POST"])
@never_cache
def delete(request: SignedInRequest) -> HttpResponse:
    """Tell the person what goes and what stays, then erase the account when they confirm."""
    form = DeleteForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not ratelimit.consume(request, action=ATTEMPTS, key=f"user:{request.user.pk}"):
            form.add_error(None, _("Too many tries. Wait a few minutes, then try again."))
        elif form.is_valid():
            erasure.account_erase(
                user=request.user, remove_words=bool(form.cleaned_data["remove_words"])
            )
            logout(request)
            messages.success(request, _("Your account is deleted."))
            return redirect("services:home")
    return render(
        request,
        "privacy/delete.html",
        {"form": form, "summary": erasure.summary(request.user), "stays": erasure.stays()},
    )
