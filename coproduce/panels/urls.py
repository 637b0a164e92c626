from django.urls import path

from coproduce.panels.views import deliberation, public, quotas, recruitment, selection, staff

app_name = "panels"

urlpatterns = [
    # The public side and registration (views/public.py)
    path("panels/<id:pk>/", public.panel_detail, name="panel_detail"),
    path("panels/<id:pk>/register/", public.register, name="register"),
    path("panels/<id:pk>/registered/", public.registered, name="registered"),
    path("panels/my-place/<str:token>/", public.my_place, name="my_place"),
    path("panels/<id:pk>/selection/", public.selection_report, name="selection_report"),
    path("panels/<id:pk>/selection/pool.zip", public.pool_export, name="pool_export"),
    path("panels/how-were-you-chosen/", public.how_chosen, name="how_chosen"),
    # Deliberation and recommendations (views/deliberation.py)
    path("panels/<id:pk>/workspace/", deliberation.workspace, name="workspace"),
    path("panels/<id:pk>/recommendations/", deliberation.recommendations, name="recommendations"),
    path(
        "panels/<id:pk>/recommendations/new/",
        deliberation.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "panel-recommendations/<id:pk>/",
        deliberation.recommendation_detail,
        name="recommendation_detail",
    ),
    path(
        "panel-recommendations/<id:pk>/vote/",
        deliberation.recommendation_vote,
        name="recommendation_vote",
    ),
    path("staff/panels/<id:pk>/sessions/new/", deliberation.session_add, name="session_add"),
    path("staff/panel-sessions/<id:pk>/", deliberation.session_edit, name="session_edit"),
    path("staff/panels/<id:pk>/voting/", deliberation.voting, name="voting"),
    path("staff/panels/<id:pk>/members/", deliberation.members, name="members"),
    # The panel's page and phases (views/staff.py); "manage" takes the activity's pk (services
    # staff links).
    path("staff/activities/<id:pk>/panel/", staff.manage, name="manage"),
    path("staff/panels/<id:pk>/settings/", staff.panel_edit, name="panel_edit"),
    path("staff/panels/<id:pk>/phase/", staff.phase_set, name="phase_set"),
    # Quotas and whether they can be met (views/quotas.py)
    path("staff/panels/<id:pk>/quotas/", quotas.quotas, name="quotas"),
    path("staff/panels/<id:pk>/quotas/census/", quotas.census_import, name="census_import"),
    path("staff/panels/<id:pk>/feasibility/", quotas.feasibility, name="feasibility"),
    # Invitations, letters and registrants (views/recruitment.py)
    path("staff/panels/<id:pk>/invitations/", recruitment.invitations, name="invitations"),
    path("staff/panels/<id:pk>/invitations.csv", recruitment.mail_house_csv, name="mail_house_csv"),
    path("staff/panels/<id:pk>/letters.pdf", recruitment.letters_pdf, name="letters_pdf"),
    path("staff/panels/<id:pk>/registrants/", recruitment.registrants, name="registrants"),
    # The draw (views/selection.py)
    path("staff/panels/<id:pk>/selection/", selection.selection, name="selection"),
    path("staff/panel-selections/<id:pk>/", selection.selection_status, name="selection_status"),
]
