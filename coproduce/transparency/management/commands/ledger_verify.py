"""Recompute every hash of the public ledger from the live rows and the chain."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.transparency import queries, signing, verify


class Command(BaseCommand):
    help = (
        "Check the public ledger: every record against its live row, every hash of the chain, and "
        "(with --against) a signed tree head published earlier. Exits 1 naming the first entry "
        "that no longer matches."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            metavar="STH_FILE",
            help="a signed tree head saved earlier from /ledger/sth: the ledger must still hold it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        against = None
        if options["against"]:
            with open(options["against"], encoding="utf-8") as file:
                against = json.load(file)
            try:
                verify.verify_sth(against, signing.public_key_b64())
            except verify.VerificationError as error:
                raise CommandError(str(error)) from error
        result = queries.check_ledger(against)
        if isinstance(result, queries.Problem):
            raise CommandError(str(result))
        self.stdout.write(
            f"The ledger's {result.size} entries match their records and chain "
            f"(root hash {result.root_hash})."
        )
