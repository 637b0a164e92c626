from django.urls import path

from coproduce.insight import views

app_name = "insight"

urlpatterns = [
    path("surveys/<int:pk>/", views.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/answers/", views.survey_answers, name="survey_answers"),
    path("surveys/confirm/", views.survey_confirm, name="survey_confirm"),
    path("answers/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("surveys/<int:pk>/assets/new/", views.asset_create, name="asset_create"),
    path("services/<slug:slug>/assets/", views.asset_list, name="asset_list"),
    path("assets/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("collections/<int:pk>/stories/", views.story_list, name="story_list"),
    path("collections/<int:pk>/stories/new/", views.story_create, name="story_create"),
    path("staff/surveys/<int:pk>/", views.survey_manage, name="survey_manage"),
    path("staff/surveys/<int:pk>/settings/", views.survey_settings, name="survey_settings"),
    path("staff/surveys/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("staff/questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("staff/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("staff/questions/<int:pk>/move/", views.question_move, name="question_move"),
]
