"""Forget one-time form tokens older than their lifetime (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.common.actions import submitted_forms_purge
from coproduce.common.forms import ONE_TIME_DAYS


class Command(BaseCommand):
    help = f"Delete the record of one-time form tokens used more than {ONE_TIME_DAYS} days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = submitted_forms_purge()
        self.stdout.write(f"Deleted {deleted} used form tokens.")
