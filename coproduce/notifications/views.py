"""Email settings for the person signed in, and the unsubscribe link of every email."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.permissions import anyone, rule_required
from coproduce.common.views import request_too_large
from coproduce.notifications import actions, queries, rules
from coproduce.notifications.emails import read_unsubscribe_token
from coproduce.notifications.forms import NotificationSettingsForm
from coproduce.notifications.models import TOPIC_NAMES, Frequency


def _page_language() -> str:
    language = translation.get_language() or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@rule_required(rules.can_change_notification_settings)
@require_http_methods(["GET", "POST"])
def notification_settings(request: SignedInRequest) -> HttpResponse:
    """Which news we email you, how often, and in which language."""
    current = queries.settings_of(request.user)
    initial = {**current.frequencies, "language": current.language or _page_language()}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    done = handle_form(
        request,
        form,
        lambda data: actions.notification_settings_set(
            user=request.user, frequencies=form.frequencies, language=data["language"]
        ),
        success="notifications:settings",
        message=_("Your email settings have been saved."),
    )
    return done or render(request, "notifications/settings.html", {"form": form})


# Exempt from CSRF: mail clients send the one-click POST (RFC 8058) without a token, and none is
# needed, since the signed token in the address is the proof and the only change it can make is to
# stop emails (docs/decisions/0024-notification-settings.md).
@rule_required(anyone)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """The link in every email: GET asks to confirm (link scanners change nothing); POST stops
    the emails, from the page's button or the mail client's one-click, without signing in."""
    token = request.GET.get("token", "")
    if request.method == "POST":
        try:
            token = request.POST.get("token") or token
        except RequestDataTooBig:  # the middleware leaves bodies of CSRF-exempt views to them
            return request_too_large(request)
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"problem": True}, status=404)
    context = {"token": token, "topics": [TOPIC_NAMES[topic] for topic in found.topics]}
    if request.method == "POST":
        actions.notifications_unsubscribe(user=found.user, topics=found.topics)
        return render(request, "notifications/unsubscribe.html", {**context, "done": True})
    current = queries.settings_of(found.user)
    off = all(current.frequency(topic) == Frequency.NEVER for topic in found.topics)
    return render(request, "notifications/unsubscribe.html", {**context, "off": off})
