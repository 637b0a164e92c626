"""The Django admin of commissioning: bids only, and never one before its deadline (decision 0077).

A bid is sealed until its round's bids close, for superusers too. So the admin's list holds only
submitted bids of rounds whose bids have closed — a sealed bid is not in its queryset at all: not
listed, not counted, not found by its key. After the deadline a bid's page is read-only and is
opened through ``actions_bids.open_bid``: the same rule as the site (``rules.can_open_bid``), and
the opening is logged with the route "admin". The list shows who bid, never what they bid, and
searches nothing a bid says.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from coproduce.commissioning.actions_bids import open_bid
from coproduce.commissioning.models import (
    AccessRoute,
    Attachment,
    Bid,
    BidStatus,
    Commitment,
    MethodStatement,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MethodStatementInline(_ReadOnlyInline):
    model = MethodStatement
    readonly_fields = (
        "criterion",
        "text",
    )
    fields = readonly_fields


class CommitmentInline(_ReadOnlyInline):
    model = Commitment
    readonly_fields = (
        "criterion",
        "indicator",
        "quantity",
        "description",
    )
    fields = readonly_fields


class AttachmentInline(_ReadOnlyInline):
    """The files' names and checksums; the file itself is downloaded from the bid's page."""

    model = Attachment
    readonly_fields = (
        "name",
        "kind",
        "size",
        "sha256",
        "uploaded_at",
    )
    fields = readonly_fields


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin[Bid]):
    """Submitted bids after their deadline, read-only; every opening logged."""

    list_display = ["organisation", "round", "status", "submitted_at"]
    list_filter = ["round"]
    readonly_fields = (
        "round",
        "organisation",
        "status",
        "submitted_at",
        "price",
        "summary",
        "feedback",
    )
    fields = readonly_fields
    inlines = [MethodStatementInline, CommitmentInline, AttachmentInline]
    # No search_fields: searching the list would read what bids say without opening them.

    def get_queryset(self, request: HttpRequest) -> QuerySet[Bid]:
        """Only bids that can be opened by anyone but their bidder: submitted, deadline passed."""
        return (
            super()
            .get_queryset(request)
            .filter(status=BidStatus.SUBMITTED, round__bids_close_at__lte=timezone.now())
            .select_related("organisation", "round__activity")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Open the bid as the site does: refused (403) unless rules.can_open_bid, logged."""
        bid = self.get_object(request, object_id)
        if bid is not None:
            open_bid(bid, request.user, AccessRoute.ADMIN)  # PermissionDenied: a 403
        return super().change_view(request, object_id, form_url, extra_context)
