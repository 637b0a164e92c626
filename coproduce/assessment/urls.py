from django.urls import path

from coproduce.assessment.views import assessments, framework

app_name = "assessment"

urlpatterns = [
    # The framework: agreed standards (public), the draft and agreeing it (staff).
    path("services/<slug:slug>/standards/", framework.framework, name="framework"),
    path("standards/versions/<id:pk>/", framework.version, name="version"),
    path(
        "staff/services/<slug:slug>/standards/", framework.manage_framework, name="manage_framework"
    ),
    path(
        "staff/services/<slug:slug>/standards/new-version/",
        framework.version_start,
        name="version_start",
    ),
    path("staff/standards/versions/<id:pk>/", framework.version_edit, name="version_edit"),
    path("staff/standards/versions/<id:pk>/new/", framework.standard_add, name="standard_add"),
    path("staff/standards/<id:pk>/edit/", framework.standard_edit, name="standard_edit"),
    path("staff/standards/<id:pk>/delete/", framework.standard_delete, name="standard_delete"),
    path("staff/standards/versions/<id:pk>/agree/", framework.version_agree, name="version_agree"),
    # User assessments: set up, rate, enter paper forms, results (views/assessments.py).
    path("staff/assessments/<id:pk>/", assessments.manage, name="manage"),
    path("assessments/<id:pk>/", assessments.assessment_detail, name="assessment"),
    path("assessments/<id:pk>/rate/", assessments.rate, name="rate"),
    path("staff/assessments/<id:pk>/paper/", assessments.paper_entry, name="paper_entry"),
    path("assessments/<id:pk>/results/", assessments.results, name="results"),
    path("assessments/<id:pk>/ratings.csv", assessments.ratings_csv, name="ratings_csv"),
]
