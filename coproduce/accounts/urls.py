from django.urls import path

from coproduce.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<id:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
