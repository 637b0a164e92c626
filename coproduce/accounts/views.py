"""Your account: roles, profile and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts import actions, queries, rules
from coproduce.accounts.forms import ApiTokenForm, ProfileForm
from coproduce.accounts.pages import ACCOUNT_PAGE
from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.permissions import must_finish_staff_setup, rule_required


@rule_required(rules.can_manage_own_account)
def dashboard(request: SignedInRequest) -> HttpResponse:
    """Your account at a glance."""
    user = request.user
    return render(
        request,
        "accounts/dashboard.html",
        {
            "parts": ACCOUNT_PAGE.render_list(user),
            "needs_mfa": must_finish_staff_setup(user),
        },
    )


@rule_required(rules.can_manage_own_account)
@require_http_methods(["GET", "POST"])
def profile(request: SignedInRequest) -> HttpResponse:
    """Change your name."""
    form = ProfileForm(request.POST or None, initial={"name": request.user.name})
    done = handle_form(
        request,
        form,
        lambda data: actions.user_update_profile(user=request.user, name=data["name"]),
        success="accounts:dashboard",
        message=_("Your details have been saved."),
    )
    return done or render(request, "accounts/profile.html", {"form": form})


@rule_required(rules.can_use_api_tokens)
@require_http_methods(["GET", "POST"])
def api_tokens(request: SignedInRequest) -> HttpResponse:
    """Your API tokens; a new token is shown once, straight after it is created."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = actions.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = queries.api_tokens_of(request.user)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@rule_required(rules.can_use_api_tokens)
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop one of your tokens working."""
    actions.api_token_revoke(token=queries.own_token(request, pk))
    messages.success(request, _("Token revoked. It no longer works."))
    return redirect("accounts:api_tokens")
