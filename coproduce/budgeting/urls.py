from django.urls import path

from coproduce.budgeting.views import exports, public, staff, voting

app_name = "budgeting"

urlpatterns = [
    # Public pages (views/public.py)
    path("budgets/<id:pk>/", public.budget_detail, name="budget_detail"),
    path("budgets/<id:pk>/proposals/new/", public.proposal_create, name="proposal_create"),
    path("budget-proposals/<id:pk>/", public.proposal_detail, name="proposal_detail"),
    # Voting (views/voting.py)
    path("budgets/<id:pk>/vote/", voting.ballot, name="ballot"),
    path("budgets/<id:pk>/vote/review/", voting.ballot_review, name="ballot_review"),
    path("budgets/<id:pk>/vote/done/", voting.ballot_done, name="ballot_done"),
    path("budgets/<id:pk>/vote/code/", voting.ballot_code, name="ballot_code"),
    # Results and receipts (views/public.py)
    path("budgets/<id:pk>/results/", public.results, name="results"),
    path("budgets/<id:pk>/receipt/", public.receipt_check, name="receipt_check"),
    path("budgets/how-votes-are-counted/", public.how_counting_works, name="how_counting_works"),
    # Open data (views/exports.py)
    path("budgets/<id:pk>/export.pb", exports.export_pb, name="export_pb"),
    path("budgets/<id:pk>/ballots.csv", exports.ballots_csv, name="ballots_csv"),
    path("budgets/<id:pk>/projects.csv", exports.projects_csv, name="projects_csv"),
    # Staff pages (views/staff.py); "manage" takes the activity's pk (services staff links).
    path("staff/activities/<id:pk>/budget/", staff.manage, name="manage"),
    path("staff/budgets/<id:pk>/settings/", staff.budget_edit, name="budget_edit"),
    path("staff/budgets/<id:pk>/areas/new/", staff.area_add, name="area_add"),
    path("staff/budgets/<id:pk>/phase/", staff.phase_set, name="phase_set"),
    path("staff/budgets/<id:pk>/proposals/", staff.review_list, name="review_list"),
    path("staff/budget-proposals/<id:pk>/review/", staff.proposal_review, name="proposal_review"),
    path("staff/budgets/<id:pk>/bring-forward/", staff.bring_forward, name="bring_forward"),
    path("staff/budgets/<id:pk>/codes/", staff.codes, name="codes"),
    path("staff/budgets/<id:pk>/paper/", staff.paper_entry, name="paper_entry"),
    path("staff/budgets/<id:pk>/count/", staff.count_start, name="count_start"),
    path("staff/counts/<id:pk>/", staff.count_status, name="count_status"),
    path(
        "staff/budget-proposals/<id:pk>/delivery/",
        staff.delivery_update,
        name="delivery_update",
    ),
    path("staff/budgets/<id:pk>/import/", staff.pb_import, name="pb_import"),
]
