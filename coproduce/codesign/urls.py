from django.urls import path

from coproduce.codesign.views import public, staff

app_name = "codesign"

urlpatterns = [
    path("challenges/<int:pk>/ideas/", public.idea_list, name="idea_list"),
    path("challenges/<int:pk>/ideas/new/", public.idea_create, name="idea_create"),
    path("ideas/<int:pk>/", public.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/comments/new/", public.comment_create, name="comment_create"),
    path("ideas/<int:pk>/support/", public.support, name="support"),
    path("staff/challenges/<int:pk>/categories/", staff.category_list, name="category_list"),
    path("staff/categories/<int:pk>/", staff.category_edit, name="category_edit"),
]
