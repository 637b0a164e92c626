"""Delete survey answers given without an account and never confirmed (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.insight.actions import submissions_purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete anonymous survey answers not confirmed within 7 days, with their email addresses."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = submissions_purge_unconfirmed()
        self.stdout.write(f"Deleted {deleted} unconfirmed survey answers.")
