from django.urls import path

from coproduce.codesign.views import public, staff

app_name = "codesign"

urlpatterns = [
    path("challenges/<id:pk>/ideas/", public.idea_list, name="idea_list"),
    path("challenges/<id:pk>/ideas/new/", public.idea_create, name="idea_create"),
    path("ideas/<id:pk>/", public.idea_detail, name="idea_detail"),
    path("ideas/<id:pk>/comments/new/", public.comment_create, name="comment_create"),
    path("ideas/<id:pk>/support/", public.support, name="support"),
    path("comments/<id:pk>/agree/", public.agree, name="agree"),
    path("staff/challenges/<id:pk>/categories/", staff.category_list, name="category_list"),
    path("staff/categories/<id:pk>/", staff.category_edit, name="category_edit"),
    path("staff/challenges/<id:pk>/threshold/", staff.threshold, name="threshold"),
    path("staff/challenges/<id:pk>/take-forward/", staff.take_forward, name="take_forward"),
]
