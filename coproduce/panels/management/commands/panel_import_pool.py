"""``manage.py panel_import_pool DIR --service SLUG --panel-size K``: a pool file as a panel at its
selection phase; prints the activity id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.panels.pool import import_pool
from coproduce.services.models import Service


class Command(BaseCommand):
    help = (
        "Import a pool (respondents.csv + categories.csv, or candidates.csv + features.csv) into "
        "a service as a citizen panel at its selection phase, keeping the pool's ids. Prints the "
        "new activity id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the folder with the pool files")
        parser.add_argument("--service", required=True, help="the slug of the service")
        parser.add_argument(
            "--panel-size", type=int, required=True, help="the number of people to select"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        service = Service.objects.filter(slug=options["service"]).first()
        if service is None:
            raise CommandError(f"No service has the slug {options['service']!r}.")
        try:
            panel = import_pool(
                directory=options["directory"], service=service, panel_size=options["panel_size"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(str(panel.pk))
