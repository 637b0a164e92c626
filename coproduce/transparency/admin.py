from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coproduce.transparency.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read only: the ledger is appended to by the actions that make records, never by hand."""

    list_display = ["seq", "type", "key", "recorded_at", "hash"]
    list_filter = ["type"]
    search_fields = ["key", "hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
