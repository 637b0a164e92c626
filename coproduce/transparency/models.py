"""The ledger's tables: the entries, append-only, and the head row that serialises appends."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.transparency import verify


class AppendOnly(Exception):
    """An entry of the ledger is never changed or deleted: a correction is a new entry."""


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Ledger entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Ledger entries are never deleted.")

    def in_order(self) -> LedgerEntryQuerySet:
        return self.order_by("seq")


class LedgerEntry(models.Model):
    """One public record, as it was when it was made: its content's digest, chained to the entry
    before it. Written only by ``actions.record``."""

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    type = models.CharField(_("type"), max_length=32)
    key = models.CharField(_("record"), max_length=64)
    # The canonical JSON of the record's content when recorded (what the entry page shows), and
    # its SHA-256: ledger_verify compares the digest with the live row's.
    content = models.TextField()
    content_sha256 = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    recorded_at = models.DateTimeField(_("recorded"))
    # The number of the entry this one corrects (same type and record), if it is a correction.
    corrects = models.PositiveBigIntegerField(_("corrects"), null=True, blank=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["type", "key", "seq"], name="ledger_record")]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="ledger_seq_from_one"),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | models.Q(corrects__lt=models.F("seq")),
                name="ledger_corrects_an_earlier_entry",
            ),
        ]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.seq}: {self.type} {self.key}"

    def get_absolute_url(self) -> str:
        return reverse("transparency:entry", kwargs={"seq": self.seq})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Ledger entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Ledger entries are never deleted.")

    @property
    def at(self) -> str:
        """The time as the entry's hash covers it (UTC, microseconds)."""
        return timestamp(self.recorded_at)

    @property
    def content_value(self) -> Any:
        return json.loads(self.content)

    def computed_hash(self) -> str:
        """The hash its fields give now (ledger_verify compares it with ``hash``)."""
        return verify.entry_hash(
            seq=self.seq,
            type=self.type,
            key=self.key,
            content_sha256=self.content_sha256,
            prev=self.prev_hash,
            at=self.at,
            corrects=self.corrects,
        )


HEAD = 1  # the key of the one LedgerHead row


class LedgerHead(models.Model):
    """One row: how many entries the ledger holds. Appends lock it, so they happen one at a time
    and number the entries 1, 2, 3… without gaps; ledger_verify compares it with the entries."""

    size = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.size} entries"


def timestamp(value: dt.datetime) -> str:
    """A time as ISO 8601 in UTC with microseconds: ``2026-12-02T13:57:32.123456+00:00``."""
    return str(value.astimezone(dt.UTC).isoformat(timespec="microseconds"))
