from django.urls import path

from coproduce.codesign import views, views_loop, views_staff

app_name = "codesign"

urlpatterns = [
    path("challenges/<int:pk>/ideas/", views.idea_list, name="idea_list"),
    path("challenges/<int:pk>/ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/comments/new/", views.comment_create, name="comment_create"),
    path("ideas/<int:pk>/support/", views.support, name="support"),
    path("contributions/<int:pk>/report/", views.report, name="report"),
    path("staff/contributions/<int:pk>/respond/", views_staff.respond, name="respond"),
    path("staff/ideas/<int:pk>/status/", views_staff.idea_status, name="idea_status"),
    path("staff/challenges/<int:pk>/categories/", views_staff.category_list, name="category_list"),
    path("staff/categories/<int:pk>/", views_staff.category_edit, name="category_edit"),
    path("staff/services/<slug:slug>/moderation/", views_staff.moderation, name="moderation"),
    path("staff/contributions/<int:pk>/moderate/", views_staff.moderate, name="moderate"),
    # Closing the loop: you said, we did; decisions; open-data exports.
    path(
        "services/<slug:slug>/you-said-we-did/", views_loop.you_said_we_did, name="you_said_we_did"
    ),
    path("decisions/<int:pk>/", views_loop.decision_detail, name="decision_detail"),
    path(
        "staff/services/<slug:slug>/decisions/new/",
        views_loop.decision_create,
        name="decision_create",
    ),
    path("staff/decisions/<int:pk>/link/", views_loop.decision_link, name="decision_link"),
    path("activities/<int:pk>/export.csv", views_loop.export_csv, name="export_csv"),
    path("activities/<int:pk>/export.json", views_loop.export_json, name="export_json"),
]
