"""A person's requests for a copy of their data, and the ZIP files made for them (decision 0098)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import User

# A request that no worker has built within this time no longer counts as waiting: the nightly
# clean-up marks it failed, so the person can ask again.
STALE_AFTER = dt.timedelta(hours=24)
# Where the built ZIPs go in the private storage.
EXPORTS_FOLDER = "data-exports/"


def export_days() -> int:
    """How many days a ready file can be downloaded (``COPRODUCE_DATA_EXPORT_DAYS``, default 7)."""
    return int(getattr(settings, "COPRODUCE_DATA_EXPORT_DAYS", 7))


def private_storage() -> Storage:
    """settings.STORAGES["sealed"]: never under MEDIA_URL, only the download view reads it."""
    return storages["sealed"]


class ExportStatus(models.TextChoices):
    REQUESTED = "requested", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DataExportQuerySet(models.QuerySet["DataExport"]):
    def of(self, user: User) -> DataExportQuerySet:
        return self.filter(user=user)

    def waiting(self) -> DataExportQuerySet:
        """Requested and not yet built (nor given up on)."""
        return self.filter(status=ExportStatus.REQUESTED)

    def since(self, moment: dt.datetime) -> DataExportQuerySet:
        return self.filter(created_at__gte=moment)

    def expired(self, now: dt.datetime | None = None) -> DataExportQuerySet:
        """Ready exports past their expiry that still have a file."""
        return self.filter(
            status=ExportStatus.READY, expires_at__lte=now or timezone.now()
        ).exclude(file="")


class DataExport(models.Model):
    """One request for "Download my data", and the ZIP built for it in the background."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=12, choices=ExportStatus.choices, default=ExportStatus.REQUESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Blank before it is built and once it has expired (the file is deleted, the row kept).
    file = models.FileField(storage=private_storage, upload_to=EXPORTS_FOLDER, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # Claimed by the task that sends the "ready" email, so a second run sends nothing.
    emailed_at = models.DateTimeField(null=True, blank=True)
    # For operators (the logs have the details); never shown to the person.
    error = models.TextField(blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="data_export_by_user")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="data_export_status_valid"
            ),
            # One request waiting at a time per person (the page explains it; the action checks
            # first, this catches two requests sent at the same moment).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="requested"),
                name="data_export_one_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"Data export {self.pk}"  # never the person's name

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def downloadable(self) -> bool:
        return self.status == ExportStatus.READY and bool(self.file) and not self.is_expired


class RetentionRun(models.Model):
    """One daily run of ``retention_enforce``: how many of each kind it deleted, never what."""

    ran_at = models.DateTimeField(db_index=True)
    counts = models.JSONField(default=dict)  # {"inactive_accounts": 2, …}

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"Retention run at {self.ran_at:%Y-%m-%d %H:%M}"
