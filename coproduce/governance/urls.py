from django.urls import path

from coproduce.governance import views

app_name = "governance"

urlpatterns = [
    path("services/<slug:slug>/boards/", views.board_list, name="board_list"),
    path("services/<slug:slug>/meetings.ics", views.meetings_ical, name="meetings_ical"),
    path("boards/<id:pk>/", views.board_detail, name="board_detail"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<id:pk>/register/", views.meeting_register, name="meeting_register"),
    path("meetings/<id:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("meetings/<id:pk>/questions/new/", views.question_create, name="question_create"),
    path("staff/services/<slug:slug>/boards/new/", views.board_create, name="board_create"),
    path("staff/boards/<id:pk>/members/new/", views.member_add, name="member_add"),
    path("staff/boards/<id:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("staff/meetings/<id:pk>/", views.clerk, name="clerk"),
    path("staff/meetings/<id:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("staff/meetings/<id:pk>/attendance/", views.attendance, name="attendance"),
    path("staff/meetings/<id:pk>/minutes/", views.minutes, name="minutes"),
    path("staff/meetings/<id:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("staff/meetings/<id:pk>/actions/new/", views.action_create, name="action_create"),
    path("staff/questions/<id:pk>/answer/", views.question_answer, name="question_answer"),
    path("staff/agenda/<id:pk>/papers/new/", views.paper_add, name="paper_add"),
    path("papers/<id:pk>/", views.paper_download, name="paper_download"),
]
