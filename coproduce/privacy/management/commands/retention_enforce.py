"""Delete what has been kept long enough (run daily): docs/privacy.md, "Retention"."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.privacy.retention import retention_enforce


class Command(BaseCommand):
    help = (
        "Delete unconfirmed anonymous survey answers, panels' registration data past their "
        "retention days and long-unused residents' accounts; record how many of each."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention_enforce()
        for what, count in run.counts.items():
            self.stdout.write(f"{what}: {count} deleted")
