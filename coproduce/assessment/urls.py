from django.urls import path

from coproduce.assessment.views import (
    assessments,
    coaching,
    exports,
    findings,
    framework,
    links,
    peer,
    proposals,
    report,
    shopping,
)

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
    # The anonymised ratings of peer reviews and self-reflections, for staff (decision 0930).
    path("assessments/<id:pk>/peer-ratings.csv", exports.peer_ratings_csv, name="peer_ratings_csv"),
    path("assessments/<id:pk>/self-ratings.csv", exports.self_ratings_csv, name="self_ratings_csv"),
    # Findings and improvement actions (views/findings.py).
    path("staff/assessments/<id:pk>/findings/new/", findings.finding_add, name="finding_add"),
    path("findings/<id:pk>/", findings.finding, name="finding"),
    path("staff/findings/<id:pk>/edit/", findings.finding_edit, name="finding_edit"),
    path("staff/findings/<id:pk>/actions/new/", findings.action_add, name="action_add"),
    path("staff/improvement-actions/<id:pk>/", findings.action_edit, name="action_edit"),
    path("services/<slug:slug>/improvement-actions/", findings.action_list, name="actions"),
    # Mystery shopping: the coordinator, assignments, shoppers' reports and evidence.
    path("staff/assessments/<id:pk>/coordinator/", shopping.coordinator, name="coordinator"),
    path("assessments/<id:pk>/assignments/", shopping.assignments, name="assignments"),
    path("assignments/<id:pk>/remove/", shopping.assignment_remove, name="assignment_remove"),
    path("assignments/<id:pk>/", shopping.shop, name="shop"),
    path("assignments/<id:pk>/evidence/", shopping.evidence_add, name="evidence_add"),
    path("evidence/<id:pk>/", shopping.evidence_file, name="evidence_file"),
    path("evidence/<id:pk>/remove/", shopping.evidence_remove, name="evidence_remove"),
    path("assessments/<id:pk>/shop-reports/", shopping.shop_reports, name="shop_reports"),
    path("assessments/<id:pk>/shop-reports/publish/", shopping.shop_publish, name="shop_publish"),
    path("account/assignments/", shopping.my_assignments, name="my_assignments"),
    # Coaching sessions, private to those involved.
    path("services/<slug:slug>/coaching/new/", coaching.coaching_add, name="coaching_add"),
    path("coaching/<id:pk>/", coaching.coaching, name="coaching"),
    path("coaching/<id:pk>/edit/", coaching.coaching_edit, name="coaching_edit"),
    path("coaching/<id:pk>/leave/", coaching.coaching_leave, name="coaching_leave"),
    path("account/coaching/", coaching.my_coaching, name="my_coaching"),
    # Residents' proposals for the standards.
    path("assessments/<id:pk>/propose/", proposals.propose, name="propose"),
    path("proposals/<id:pk>/", proposals.proposal, name="proposal"),
    path("services/<slug:slug>/standards/proposals/", proposals.proposals, name="proposals"),
    path("staff/proposals/<id:pk>/take-in/", proposals.proposal_take_in, name="proposal_take_in"),
    # Standards feeding outcome indicators.
    path(
        "staff/services/<slug:slug>/standards/indicators/",
        links.indicator_links,
        name="indicator_links",
    ),
    path("staff/standard-links/<id:pk>/remove/", links.indicator_link_remove, name="link_remove"),
    path(
        "staff/assessments/<id:pk>/indicators/", links.record_indicators, name="record_indicators"
    ),
]
