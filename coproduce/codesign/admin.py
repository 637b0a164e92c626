"""The Django admin for idea challenges: for looking things up; the web pages do the work.

Counters are kept by the actions (decision 0011), so the admin shows them read-only. Contributions,
answers, statuses and decisions are in the contributions app's admin.
"""

from django.contrib import admin

from coproduce.codesign.models import Comment, Idea, IdeaCategory, SupportsThreshold


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "support_count", "comment_count"]
    search_fields = ["title", "description"]
    raw_id_fields = ["contribution", "category"]
    readonly_fields = ["support_count", "comment_count", "threshold_reached_at", "answer_due_on"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "idea", "is_question"]
    list_filter = ["is_question"]
    search_fields = ["body"]
    raw_id_fields = ["contribution", "idea", "parent"]
    readonly_fields = ["agreement_count"]


@admin.register(IdeaCategory)
class IdeaCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "activity"]
    search_fields = ["name"]
    raw_id_fields = ["activity"]


@admin.register(SupportsThreshold)
class SupportsThresholdAdmin(admin.ModelAdmin):
    list_display = ["activity", "supports", "answer_days", "updated_at"]
    raw_id_fields = ["activity", "updated_by"]
    readonly_fields = ["updated_at"]
