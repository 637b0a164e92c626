"""``manage.py pb_import FILE.pb --service SLUG``: a Pabulib file as a closed budget, ready to count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.budgeting.pabulib_io import import_pb
from coproduce.services.models import Service


class Command(BaseCommand):
    help = (
        "Import a Pabulib .pb file into a service as a closed participatory-budget activity "
        "(projects keep their ids as references; ballots, rule and threshold come from the file). "
        "Prints the new activity id and budget id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .pb file")
        parser.add_argument("--service", required=True, help="the slug of the service")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        service = Service.objects.filter(slug=options["service"]).first()
        if service is None:
            raise CommandError(f"No service has the slug {options['service']!r}.")
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"{path}: cannot read the file ({error.strerror or error})."
            ) from error
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise CommandError(
                f"{path}, line {line}: the file is not UTF-8 text (save it as UTF-8 and try again)"
            ) from error
        notes: list[str] = []
        try:
            budget = import_pb(text=text, service=service, by=None, source=str(path), notes=notes)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Imported {path.name}: activity {budget.activity_id}, budget {budget.pk} "
            f"({budget.proposals.count()} projects, {budget.ballots.count()} ballots, "
            f"rule {budget.rule})."
        )
        for note in notes:
            self.stdout.write(f"Note: {note}")
