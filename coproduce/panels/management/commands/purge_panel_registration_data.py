"""Delete citizen panels' registration data once their retention time is up (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.panels.actions import registration_data_purge


class Command(BaseCommand):
    help = (
        "Delete the registration data (answers, contact details, access needs) of closed citizen "
        "panels whose retention days have passed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = registration_data_purge()
        self.stdout.write(f"Deleted the registration data of {deleted} registrants.")
