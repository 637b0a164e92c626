from django.urls import path

from coproduce.transparency import views

app_name = "transparency"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("<id:seq>/", views.entry, name="entry"),
    path("proof/<id:seq>", views.proof, name="proof"),
    path("consistency", views.consistency, name="consistency"),
    path("sth", views.sth, name="sth"),
    path("key", views.key, name="key"),
]
