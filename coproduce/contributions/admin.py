"""The Django admin for the spine: for looking things up; the web pages do the work.

Answer times, statuses and moderation fields are kept by the actions (decision 0011), so the admin
shows them read-only.
"""

from django.contrib import admin
from django.http import HttpRequest

from coproduce.contributions.kinds import search_lookups
from coproduce.contributions.models import (
    Contribution,
    Decision,
    Report,
    Response,
    StatusChange,
)


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 0
    fields = ["author", "body", "created_at"]
    readonly_fields = ["author", "created_at"]


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    fields = ["reporter", "reason", "status", "created_at", "reviewed_by", "reviewed_at"]
    readonly_fields = ["reporter", "reason", "status", "created_at", "reviewed_by", "reviewed_at"]
    can_delete = False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["from_status", "to_status", "reason", "changed_by", "created_at"]
    readonly_fields = ["from_status", "to_status", "reason", "changed_by", "created_at"]
    can_delete = False


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "activity", "visibility", "status", "created_at"]
    list_filter = ["kind", "visibility"]
    list_select_related = ["activity"]
    search_fields = ["author__email"]
    raw_id_fields = ["activity", "author"]
    readonly_fields = [
        "kind",
        "visibility",
        "held_reason",
        "moderated_by",
        "moderated_at",
        "created_at",
        "needs_answer",
        "status",
        "status_reason",
        "first_response_at",
        "last_response_at",
    ]
    inlines = [ResponseInline, StatusChangeInline, ReportInline]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        """The author's email and the text fields every kind registered (kinds.py)."""
        return [*self.search_fields, *search_lookups()]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["contribution", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["contribution", "reporter", "reviewed_by"]
    readonly_fields = ["status", "reviewed_by", "reviewed_at"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "service", "stage", "decided_on"]
    list_filter = ["stage"]
    search_fields = ["title", "description"]
    raw_id_fields = ["service", "recorded_by", "contributions"]
