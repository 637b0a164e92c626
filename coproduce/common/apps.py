from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.urls import register_converter

from coproduce.common.converters import IdConverter


class CommonConfig(AppConfig):
    name = "coproduce.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        # `<id:pk>` in every app's urls.py: the apps are ready before any URLconf is imported.
        register_converter(IdConverter, "id")
        # Cached pages follow writes made outside the apps' actions (decision 0801).
        from coproduce.common import pagecache

        post_save.connect(pagecache.person_saved, sender=settings.AUTH_USER_MODEL)
        post_delete.connect(pagecache.person_deleted, sender=settings.AUTH_USER_MODEL)
        post_save.connect(pagecache.admin_changed, sender="admin.LogEntry")
        # Numbers no id column can hold match nothing in `in`, and in `exact` through a foreign
        # key, as in Django's own integer lookups (decision 0116).
        from django.db.models import ForeignObject, IntegerField

        from coproduce.common.lookups import IntegerFieldIn, RelatedExactInRange, RelatedInRange

        IntegerField.register_lookup(IntegerFieldIn)
        ForeignObject.register_lookup(RelatedInRange)
        ForeignObject.register_lookup(RelatedExactInRange)
