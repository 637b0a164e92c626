from django.urls import path

from coproduce.commissioning.views import award, bids, evaluation, open_data, public, staff

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
    # Bids, sealed until the deadline, and bidders' questions (views/bids.py).
    path("commissioning/<id:pk>/bid/", bids.bid_start, name="bid_start"),
    path("bids/<id:pk>/", bids.bid_detail, name="bid"),
    path("bids/<id:pk>/edit/", bids.bid_edit, name="bid_edit"),
    path("bids/<id:pk>/commitments/new/", bids.commitment_add, name="commitment_add"),
    path("commitments/<id:pk>/delete/", bids.commitment_delete, name="commitment_delete"),
    path("bids/<id:pk>/attachments/new/", bids.attachment_add, name="attachment_add"),
    path("attachments/<id:pk>/", bids.attachment_download, name="attachment"),
    path("attachments/<id:pk>/delete/", bids.attachment_delete, name="attachment_delete"),
    path("bids/<id:pk>/submit/", bids.bid_submit, name="bid_submit"),
    path("bids/<id:pk>/withdraw/", bids.bid_withdraw, name="bid_withdraw"),
    path("commissioning/<id:pk>/questions/", bids.clarifications, name="clarifications"),
    path(
        "staff/clarifications/<id:pk>/answer/",
        bids.clarification_answer,
        name="clarification_answer",
    ),
    path("staff/commissioning/<id:pk>/bids/", bids.bids_received, name="bids_received"),
    # Evaluation: declared interests, independent scores, moderation (views/evaluation.py).
    path("commissioning/<id:pk>/interests/", evaluation.interests, name="interests"),
    path("staff/commissioning/<id:pk>/evaluators/", evaluation.evaluators, name="evaluators"),
    path("staff/evaluators/<id:pk>/remove/", evaluation.evaluator_remove, name="evaluator_remove"),
    path("commissioning/<id:pk>/evaluate/", evaluation.evaluate, name="evaluate"),
    path("commissioning/<id:pk>/declare/", evaluation.declare, name="declare"),
    path("bids/<id:pk>/score/", evaluation.score, name="score"),
    path("staff/commissioning/<id:pk>/moderation/", evaluation.moderation, name="moderation"),
    path("staff/bids/<id:pk>/moderation/", evaluation.moderate_bid, name="moderate_bid"),
    # The award (views/award.py) and the open data (views/open_data.py).
    path("staff/commissioning/<id:pk>/award/", award.award_make, name="award_make"),
    path("commissioning/<id:pk>/award/", award.award_detail, name="award"),
    path("bids/<id:pk>/scores/", award.own_scores, name="own_scores"),
    path("commissioning/<id:pk>/ocds.json", open_data.ocds, name="ocds"),
    path("commissioning/<id:pk>/scores.csv", open_data.scores_csv, name="scores_csv"),
    path("commissioning/<id:pk>/interests.csv", open_data.interests_csv, name="interests_csv"),
]
