from django.urls import path

from coproduce.assessment.views import assessments, findings, framework, peer, report

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
    # Peer reviews: the team and the visit (staff), each assessor's own ratings, side by side.
    path("staff/assessments/<id:pk>/team/", peer.team, name="team"),
    path("staff/assessors/<id:pk>/remove/", peer.assessor_remove, name="assessor_remove"),
    path("assessments/<id:pk>/my-ratings/", peer.assessor_rate, name="assessor_rate"),
    path("assessments/<id:pk>/team-ratings/", peer.team_ratings, name="team_ratings"),
    # A peer review's or self-reflection's agreed report: written, published, read.
    path("assessments/<id:pk>/report/", report.report, name="report"),
    path("assessments/<id:pk>/report/edit/", report.report_edit, name="report_edit"),
    path("assessments/<id:pk>/report/publish/", report.report_publish, name="report_publish"),
    # Findings and improvement actions (views/findings.py).
    path("staff/assessments/<id:pk>/findings/new/", findings.finding_add, name="finding_add"),
    path("findings/<id:pk>/", findings.finding, name="finding"),
    path("staff/findings/<id:pk>/edit/", findings.finding_edit, name="finding_edit"),
    path("staff/findings/<id:pk>/actions/new/", findings.action_add, name="action_add"),
    path("staff/improvement-actions/<id:pk>/", findings.action_edit, name="action_edit"),
    path("services/<slug:slug>/improvement-actions/", findings.action_list, name="actions"),
]
