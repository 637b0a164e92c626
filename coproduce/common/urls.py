from django.urls import path

from coproduce.common import views

app_name = "common"

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
    path("demo/emails/", views.demo_emails, name="demo_emails"),
]
