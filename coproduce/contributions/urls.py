from django.urls import path

from coproduce.contributions import views

app_name = "contributions"

urlpatterns = [
    path("contributions/<int:pk>/report/", views.report, name="report"),
    path("staff/contributions/<int:pk>/respond/", views.respond, name="respond"),
    path("staff/contributions/<int:pk>/status/", views.set_status, name="set_status"),
    path("staff/contributions/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("staff/services/<slug:slug>/moderation/", views.moderation, name="moderation"),
    # Closing the loop: you said, we did; decisions; open-data exports.
    path("services/<slug:slug>/you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path(
        "staff/services/<slug:slug>/decisions/new/", views.decision_create, name="decision_create"
    ),
    path("staff/decisions/<int:pk>/link/", views.decision_link, name="decision_link"),
    path("activities/<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("activities/<int:pk>/export.json", views.export_json, name="export_json"),
    # A person's own.
    path("account/contributions/", views.my_contributions, name="my_contributions"),
    path("account/following/", views.follows, name="follows"),
    path("account/follow/", views.follow, name="follow"),
]
