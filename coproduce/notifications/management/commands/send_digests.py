"""Send the daily or weekly digests (run from cron: docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coproduce.notifications.models import DIGESTS
from coproduce.notifications.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Email everyone who chose a daily or weekly summary one email with their news since "
        "their last one. Running it twice sends nothing more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=[str(period) for period in DIGESTS], required=True)
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the job to the background workers instead of sending from this process.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = options["period"]
        if options["enqueue"]:
            result = send_digests.enqueue(period)
            self.stdout.write(f"Queued the {period} digests (task {result.id}).")
            return
        sent = send_digests.call(period)
        self.stdout.write(f"{period.capitalize()} digests sent: {sent}.")
