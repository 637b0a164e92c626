from django.contrib import admin
from django.db import models

from coproduce.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "area"]
    list_filter = ["sector"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    # A website typed without its scheme is taken as https (Django 6's default; 5 warns).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
