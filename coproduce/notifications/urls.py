from django.urls import path

from coproduce.notifications import views

app_name = "notifications"

urlpatterns = [
    path("contributions/", views.my_contributions, name="my_contributions"),
    path("following/", views.follows, name="follows"),
    path("follow/", views.follow, name="follow"),
]
