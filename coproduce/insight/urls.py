from django.urls import path

from coproduce.insight import views

app_name = "insight"

urlpatterns = [
    path("surveys/<id:pk>/", views.survey_answer, name="survey_answer"),
    path("surveys/<id:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<id:pk>/answers/", views.survey_answers, name="survey_answers"),
    path("surveys/confirm/", views.survey_confirm, name="survey_confirm"),
    path("answers/<id:pk>/", views.submission_detail, name="submission_detail"),
    path("surveys/<id:pk>/assets/new/", views.asset_create, name="asset_create"),
    path("services/<slug:slug>/assets/", views.asset_list, name="asset_list"),
    path("assets/<id:pk>/", views.asset_detail, name="asset_detail"),
    path("stories/<id:pk>/", views.story_detail, name="story_detail"),
    path("collections/<id:pk>/stories/", views.story_list, name="story_list"),
    path("collections/<id:pk>/stories/new/", views.story_create, name="story_create"),
    path("staff/surveys/<id:pk>/", views.survey_manage, name="survey_manage"),
    path("staff/surveys/<id:pk>/settings/", views.survey_settings, name="survey_settings"),
    path("staff/surveys/<id:pk>/questions/new/", views.question_create, name="question_create"),
    path("staff/questions/<id:pk>/edit/", views.question_edit, name="question_edit"),
    path("staff/questions/<id:pk>/welsh/", views.question_welsh, name="question_welsh"),
    path("staff/questions/<id:pk>/delete/", views.question_delete, name="question_delete"),
    path("staff/questions/<id:pk>/move/", views.question_move, name="question_move"),
]
