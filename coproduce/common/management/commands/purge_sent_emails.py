"""Forget the idempotency keys of emails sent long ago (run daily; decision 0901)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.common.email_once import KEEP_DAYS, sent_emails_purge


class Command(BaseCommand):
    help = f"Delete the record of emails sent more than {KEEP_DAYS} days ago (their keys)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = sent_emails_purge()
        self.stdout.write(f"Deleted {deleted} keys of sent emails.")
