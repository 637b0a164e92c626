from django.urls import path

from coproduce.conversations.views import maps, public, staff

app_name = "conversations"

urlpatterns = [
    # Taking part (views/public.py)
    path("conversations/<id:pk>/", public.conversation, name="conversation"),
    path("conversations/<id:pk>/vote/", public.vote, name="vote"),
    path("conversations/<id:pk>/statements/new/", public.statement_add, name="statement_add"),
    path("conversations/<id:pk>/my-votes/", public.my_votes, name="my_votes"),
    path("conversations/<id:pk>/code/", public.resident_code, name="resident_code"),
    # The map, the report and open data (views/maps.py)
    path("conversations/<id:pk>/map/", maps.map_page, name="map"),
    path("conversations/<id:pk>/report/", maps.report, name="report"),
    path("conversations/<id:pk>/polis-export.zip", maps.export_zip, name="export_zip"),
    path("conversations/how-the-map-works/", maps.how_the_map_works, name="how_the_map_works"),
    # Staff pages (views/staff.py); "manage" takes the activity's pk (services staff links).
    path("staff/activities/<id:pk>/conversation/", staff.manage, name="manage"),
    path("staff/conversations/<id:pk>/moderation/", staff.moderation, name="moderation"),
    path("staff/statements/<id:pk>/moderate/", staff.statement_moderate, name="statement_moderate"),
    path("staff/conversations/<id:pk>/map/", staff.map_refresh, name="map_refresh"),
    path("staff/conversations/<id:pk>/summary/", staff.summary, name="summary"),
    path("staff/conversations/<id:pk>/codes/", staff.codes, name="codes"),
]
