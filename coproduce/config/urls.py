"""The site's URL map: one include per app, namespaced by the app's folder name."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from coproduce.api.api import api
from coproduce.common.views import set_language

urlpatterns = [
    path("", include("coproduce.services.urls")),
    path("", include("coproduce.contributions.urls")),
    path("", include("coproduce.codesign.urls")),
    path("", include("coproduce.governance.urls")),
    path("", include("coproduce.budgeting.urls")),
    path("", include("coproduce.conversations.urls")),
    path("", include("coproduce.panels.urls")),
    path("", include("coproduce.outcomes.urls")),
    path("", include("coproduce.commissioning.urls")),
    path("", include("coproduce.assessment.urls")),
    path("", include("coproduce.equality.urls")),
    path("", include("coproduce.privacy.urls")),
    path("insight/", include("coproduce.insight.urls")),
    path("search/", include("coproduce.search.urls")),
    path("", include("coproduce.transparency.urls")),  # ledger/, data/
    path("organisations/", include("coproduce.organisations.urls")),
    path("", include("coproduce.notifications.urls")),  # account/notifications/, email/unsubscribe/
    path("account/", include("coproduce.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("language/", set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
    path("", include("coproduce.common.urls")),
]

handler400 = "coproduce.common.views.bad_request"
handler403 = "coproduce.common.views.permission_denied"
handler404 = "coproduce.common.views.page_not_found"
handler500 = "coproduce.common.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
