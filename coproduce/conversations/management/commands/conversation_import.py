"""``manage.py conversation_import DIR --service SLUG``: a Polis export as an open conversation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.conversations.polis_io import import_polis
from coproduce.services.models import Service


class Command(BaseCommand):
    help = (
        "Import a Polis export folder (comments.csv, votes.csv or participants-votes.csv, "
        "summary.csv) or a red-dwarf fixture folder (votes.json, comments.json) into a service "
        "as an open opinion-map activity. Participants and statements keep their Polis ids. "
        "Prints the new activity id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="the export folder")
        parser.add_argument("--service", required=True, help="the slug of the service")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["directory"])
        service = Service.objects.filter(slug=options["service"]).first()
        if service is None:
            raise CommandError(f"No service has the slug {options['service']!r}.")
        try:
            conversation = import_polis(folder, service=service)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(str(conversation.pk))
        self.stderr.write(
            f"Imported {folder.name} as activity {conversation.pk}: "
            f"{conversation.participants.count()} participants, "
            f"{conversation.statements.count()} statements."
        )
