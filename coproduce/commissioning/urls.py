from django.urls import path

from coproduce.commissioning.views import public, staff

app_name = "commissioning"

urlpatterns = [
    path("commissioning/<id:pk>/", public.round_detail, name="round"),
    path("commissioning/<id:pk>/weigh/", public.weigh, name="weigh"),
    path(
        "commissioning/how-your-weighting-is-used/",
        public.how_weighting_works,
        name="how_weighting_works",
    ),
    path("staff/commissioning/<id:pk>/", staff.manage, name="manage"),
    path("staff/commissioning/<id:pk>/edit/", staff.round_edit, name="round_edit"),
    path("staff/commissioning/<id:pk>/criteria/new/", staff.criterion_add, name="criterion_add"),
    path("staff/criteria/<id:pk>/edit/", staff.criterion_edit, name="criterion_edit"),
    path("staff/criteria/<id:pk>/delete/", staff.criterion_delete, name="criterion_delete"),
    path("staff/commissioning/<id:pk>/weights/", staff.weights_publish, name="weights_publish"),
]
