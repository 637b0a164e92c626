from django.urls import path

from coproduce.notifications import views

app_name = "notifications"

urlpatterns = [
    path("account/notifications/", views.notification_settings, name="settings"),
    path("email/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
