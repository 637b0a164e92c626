from django.urls import path

from coproduce.transparency import views

app_name = "transparency"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<id:seq>/", views.entry, name="entry"),
    path("ledger/proof/<id:seq>", views.proof, name="proof"),
    path("ledger/consistency", views.consistency, name="consistency"),
    path("ledger/sth", views.sth, name="sth"),
    path("ledger/key", views.key, name="key"),
    # Open data: the catalogue, and each dataset's files (/data/ledger.jsonl …).
    path("data/", views.catalogue, name="catalogue"),
    path("data/catalogue.json", views.catalogue_json, name="catalogue_json"),
    path("data/<slug:code>.<slug:extension>", views.download, name="download"),
]
