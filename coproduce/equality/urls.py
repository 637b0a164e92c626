from django.urls import path

from coproduce.equality import views

app_name = "equality"

urlpatterns = [
    path("account/equality/", views.mine, name="mine"),
    path("account/equality/withdraw/", views.withdraw, name="withdraw"),
    path("services/<slug:slug>/who-took-part/", views.service_public, name="service_public"),
    path("staff/services/<slug:slug>/who-took-part/", views.service_staff, name="service_staff"),
    path(
        "staff/services/<slug:slug>/who-took-part/area/",
        views.service_area,
        name="service_area",
    ),
    path("staff/organisations/<slug:slug>/population/", views.areas, name="areas"),
    path(
        "staff/organisations/<slug:slug>/population/import/",
        views.population_import,
        name="population_import",
    ),
    path(
        "staff/organisations/<slug:slug>/population/<str:code>/",
        views.area_detail,
        name="area_detail",
    ),
]
