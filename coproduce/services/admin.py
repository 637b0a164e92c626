from django.contrib import admin

from coproduce.services.models import Activity, Service, ServiceStage


class ServiceStageInline(admin.TabularInline):
    model = ServiceStage
    extra = 0
    fields = ["cycle", "stage", "planned_level", "started_at", "ended_at"]
    readonly_fields = ["cycle", "stage", "started_at", "ended_at"]
    can_delete = False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "current_stage", "current_cycle"]
    list_filter = ["status", "current_stage", "policy_area"]
    search_fields = ["name", "summary"]
    readonly_fields = ["current_stage", "current_cycle"]
    inlines = [ServiceStageInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "service_stage"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]
    readonly_fields = ["state"]
