"""The Django admin for contributions: for looking things up; the web pages do the work.

Counters, answer times and moderation fields are kept by the actions (decision 0011), so the admin
shows them read-only.
"""

from django.contrib import admin

from coproduce.codesign.models import (
    Comment,
    Contribution,
    Decision,
    Idea,
    IdeaCategory,
    IdeaStatusChange,
    Report,
    Response,
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


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "activity", "visibility", "created_at", "first_response_at"]
    list_filter = ["kind", "visibility"]
    list_select_related = ["activity"]
    search_fields = ["idea__title", "comment__body", "author__email"]
    raw_id_fields = ["activity", "author"]
    readonly_fields = [
        "kind",
        "visibility",
        "held_reason",
        "moderated_by",
        "moderated_at",
        "created_at",
        "first_response_at",
        "last_response_at",
    ]
    inlines = [ResponseInline, ReportInline]


class IdeaStatusChangeInline(admin.TabularInline):
    model = IdeaStatusChange
    extra = 0
    fields = ["from_status", "to_status", "reason", "changed_by", "created_at"]
    readonly_fields = ["from_status", "to_status", "reason", "changed_by", "created_at"]
    can_delete = False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "category", "support_count", "comment_count"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    raw_id_fields = ["contribution", "category"]
    readonly_fields = ["status", "status_reason", "support_count", "comment_count"]
    inlines = [IdeaStatusChangeInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "idea", "is_question"]
    list_filter = ["is_question"]
    search_fields = ["body"]
    raw_id_fields = ["contribution", "idea", "parent"]


@admin.register(IdeaCategory)
class IdeaCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "activity"]
    search_fields = ["name"]
    raw_id_fields = ["activity"]


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
