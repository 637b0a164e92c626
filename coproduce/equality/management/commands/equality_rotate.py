"""Encrypt every equality record again with the first key of COPRODUCE_EQUALITY_KEYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.equality.actions import records_rotate


class Command(BaseCommand):
    help = (
        "After putting a new key first in COPRODUCE_EQUALITY_KEYS, encrypt every equality record "
        "again with it; then the old keys can be removed. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = records_rotate()
        self.stdout.write(f"Encrypted {changed} records again with the first key.")
