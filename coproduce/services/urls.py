from django.urls import path

from coproduce.services import views

app_name = "services"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/<slug:slug>/", views.service_detail, name="detail"),
    path("services/<slug:slug>/activities/", views.activity_list, name="activity_list"),
    path("services/<slug:slug>/activities/<id:pk>/", views.activity_detail, name="activity_detail"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/services/new/", views.service_create, name="service_create"),
    path("staff/services/<slug:slug>/", views.staff_service, name="staff_service"),
    path("staff/services/<slug:slug>/edit/", views.service_edit, name="service_edit"),
    path("staff/services/<slug:slug>/publish/", views.service_publish, name="service_publish"),
    path(
        "staff/services/<slug:slug>/involvement/", views.involvement_edit, name="involvement_edit"
    ),
    path("staff/services/<slug:slug>/advance/", views.service_advance, name="service_advance"),
    path("staff/services/<slug:slug>/welsh/", views.staff_welsh, name="staff_welsh"),
    path(
        "staff/services/<slug:slug>/activities/new/", views.activity_create, name="activity_create"
    ),
    path("staff/activities/<id:pk>/", views.staff_activity, name="staff_activity"),
    path("staff/activities/<id:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("staff/activities/<id:pk>/state/", views.activity_transition, name="activity_transition"),
]
