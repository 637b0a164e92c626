from django.urls import path

from coproduce.contributions import views

app_name = "contributions"

urlpatterns = [
    path("contributions/<id:pk>/report/", views.report, name="report"),
    path("staff/contributions/<id:pk>/respond/", views.respond, name="respond"),
    path("staff/contributions/<id:pk>/status/", views.set_status, name="set_status"),
    path("staff/contributions/<id:pk>/moderate/", views.moderate, name="moderate"),
    path("staff/services/<slug:slug>/moderation/", views.moderation, name="moderation"),
    # Closing the loop: you said, we did; decisions; open-data exports.
    path("services/<slug:slug>/you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("decisions/<id:pk>/", views.decision_detail, name="decision_detail"),
    path(
        "staff/services/<slug:slug>/decisions/new/", views.decision_create, name="decision_create"
    ),
    path("staff/decisions/<id:pk>/link/", views.decision_link, name="decision_link"),
    path("staff/decisions/<id:pk>/welsh/", views.decision_welsh, name="decision_welsh"),
    path("staff/answers/<id:pk>/welsh/", views.response_welsh, name="response_welsh"),
    # The staff inbox: what waits for an answer, across services and per service.
    path("staff/inbox/", views.inbox, name="inbox"),
    path("staff/services/<slug:slug>/inbox/", views.service_inbox, name="service_inbox"),
    path("activities/<id:pk>/export.csv", views.export_csv, name="export_csv"),
    path("activities/<id:pk>/export.json", views.export_json, name="export_json"),
    # A person's own.
    path("account/contributions/", views.my_contributions, name="my_contributions"),
    path("account/following/", views.follows, name="follows"),
    path("account/follow/", views.follow, name="follow"),
]
