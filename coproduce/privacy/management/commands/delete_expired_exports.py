"""Delete the ZIP files of "Download my data" whose link has expired (run from cron, daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coproduce.privacy.tasks import delete_expired_exports


class Command(BaseCommand):
    help = (
        "Delete the files of data downloads whose link has expired, and mark requests that no "
        "worker built within a day as failed. Running it twice deletes nothing more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the job to the background workers instead of running it in this process.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = delete_expired_exports.enqueue()
            self.stdout.write(f"Queued the deletion of expired data downloads (task {result.id}).")
            return
        deleted = delete_expired_exports.call()
        self.stdout.write(f"Expired data downloads deleted: {deleted}.")
