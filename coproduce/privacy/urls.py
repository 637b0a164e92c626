from django.urls import path

from coproduce.privacy import views, views_erasure

app_name = "privacy"

urlpatterns = [
    path("account/data/", views.data, name="data"),
    path("account/data/<id:pk>/download/", views.download, name="download"),
    path("account/delete/", views_erasure.delete, name="delete"),
]
