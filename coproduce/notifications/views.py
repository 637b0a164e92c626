"""My contributions, what I follow, and the follow button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.rules import can_manage_own_account
from coproduce.codesign.models import Contribution
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.notifications import actions, queries, rules
from coproduce.notifications.models import Notification
from coproduce.services.models import Activity, Service

TARGETS = {"service": Service, "activity": Activity, "contribution": Contribution}


@rule_required(can_manage_own_account)
def my_contributions(request: HttpRequest) -> HttpResponse:
    """Everything you have said, where each one stands, and what happened recently."""
    user: Any = request.user
    page = paginate(request, queries.my_contributions(user))
    notifications = queries.recent_notifications(user)
    response = render(
        request,
        "notifications/my_contributions.html",
        {"page": page, "notifications": notifications},
    )
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    return response


@rule_required(can_manage_own_account)
def follows(request: HttpRequest) -> HttpResponse:
    """What you follow; stop following from here."""
    return render(
        request,
        "notifications/follows.html",
        {"page": paginate(request, queries.follows_of(request.user))},
    )


def _target(request: HttpRequest) -> Any:
    kind = request.POST.get("target", "")
    model = TARGETS.get(kind)
    target_id = request.POST.get("id", "")
    if model is None or not target_id.isdigit() or len(target_id) > 12:
        raise Http404
    return get_object_or_404(model, pk=int(target_id))


@rule_required(rules.can_follow, load=_target, hide=True)
@require_POST
def follow(request: HttpRequest, target: Any) -> HttpResponse:
    """Follow or stop following a service, activity or contribution (POST follow=1 or 0)."""
    following = actions.follow_set(
        user=request.user, target=target, follow=request.POST.get("follow") == "1"
    )
    if getattr(request, "htmx", False):
        return render(
            request,
            "notifications/_follow_button.html",
            {"target": target, "target_type": target._meta.model_name, "following": following},
        )
    messages.success(
        request,
        _("You will get an email when something happens to it.")
        if following
        else _("You no longer follow it."),
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)
