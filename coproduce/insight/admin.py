"""Admin views for support staff: look, and fix by hand only what the pages cannot."""

from django.contrib import admin
from django.http import HttpRequest

from coproduce.insight.models import Answer, Asset, Question, Story, Survey, SurveySubmission


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "text", "kind", "options", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["activity"]
    search_fields = ["activity__title"]
    raw_id_fields = ["activity"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "text", "choices", "scale_value"]
    can_delete = False


@admin.register(SurveySubmission)
class SurveySubmissionAdmin(admin.ModelAdmin):
    list_display = ["pk", "survey", "respondent", "confirmed_at"]
    list_filter = ["contribution__visibility"]
    # Email and token hash are not shown: support staff do not need them.
    fields = ["contribution", "survey", "respondent", "confirmed_at"]
    readonly_fields = ["contribution", "survey", "respondent", "confirmed_at"]
    inlines = [AnswerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a respondent's answers come from the survey's form, never from here


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "postcode", "organisation"]
    list_filter = ["kind", "contribution__visibility"]
    search_fields = ["name", "description", "area", "postcode"]
    raw_id_fields = ["contribution", "organisation"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "contribution"]
    list_filter = ["contribution__visibility"]
    search_fields = ["title", "body"]
    raw_id_fields = ["contribution"]
