from django.urls import path

from coproduce.outcomes.views import public, staff

app_name = "outcomes"

urlpatterns = [
    path("services/<slug:slug>/outcomes/", public.service_outcomes, name="service_outcomes"),
    path("outcomes/indicators/<id:pk>/", public.indicator, name="indicator"),
    path("outcomes/indicators/<id:pk>/check/", public.check_answer, name="check_answer"),
    path("staff/services/<slug:slug>/outcomes/", staff.manage, name="manage"),
    path("staff/services/<slug:slug>/outcomes/new/", staff.outcome_create, name="outcome_create"),
    path(
        "staff/services/<slug:slug>/outcomes/import/",
        staff.measurements_import,
        name="measurements_import",
    ),
    path("staff/outcomes/<id:pk>/edit/", staff.outcome_edit, name="outcome_edit"),
    path("staff/outcomes/<id:pk>/indicators/new/", staff.indicator_create, name="indicator_create"),
    path("staff/indicators/<id:pk>/edit/", staff.indicator_edit, name="indicator_edit"),
    path(
        "staff/indicators/<id:pk>/measurements/new/",
        staff.measurement_add,
        name="measurement_add",
    ),
]
