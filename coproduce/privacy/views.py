"""Your data: ask for a copy of everything the platform holds about you, and download it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.common.permissions import rule_required
from coproduce.privacy import actions, queries, rules
from coproduce.privacy.models import ExportStatus, export_days


@rule_required(rules.can_use_data_rights)
@require_http_methods(["GET", "POST"])
@never_cache
def data(request: SignedInRequest) -> HttpResponse:
    """The person's downloads, and the button that asks for a new one."""
    if request.method == "POST":
        try:
            actions.data_export_request(user=request.user)
        except ValidationError:
            pass  # the page says why (a request waiting, or the daily limit)
        else:
            messages.success(
                request,
                _(
                    "We are preparing your data. We will email %(email)s when it is ready, "
                    "usually within a few minutes."
                )
                % {"email": request.user.email},
            )
        return redirect("privacy:data")
    return render(
        request,
        "privacy/data.html",
        {
            "exports": queries.exports_of(request.user),
            "refusal": queries.refusal(request.user),
            "days": export_days(),
            "per_day": queries.EXPORTS_PER_DAY,
            "statuses": ExportStatus,
        },
    )


@rule_required(rules.can_use_data_rights)
@require_GET
@never_cache
def download(request: SignedInRequest, pk: int) -> HttpResponseBase:
    """The ZIP, for its owner only (404 for anyone else), while the link has not expired."""
    export = queries.own_export(request, pk)
    if export.status == ExportStatus.REQUESTED:
        messages.info(request, _("Your data is still being prepared. We will email you."))
        return redirect("privacy:data")
    if export.status == ExportStatus.FAILED:
        messages.info(request, _("We could not prepare that download. Please ask again."))
        return redirect("privacy:data")
    if not export.downloadable:
        return render(
            request,
            "privacy/expired.html",
            {"export": export, "days": export_days()},
            status=410,
        )
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"my-data-{timezone.localdate(export.finished_at):%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
