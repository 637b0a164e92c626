"""``manage.py conversation_map ACTIVITY_ID``: compute the map now and print the groups."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.conversations.models import Conversation, MapStatus
from coproduce.conversations.queries import public_group_of
from coproduce.conversations.tasks import run_map


class Command(BaseCommand):
    help = (
        "Compute a conversation's opinion map with the same job the site runs in the background, "
        "store it, and print the groups as JSON: {participant id: group}. Imported participants "
        "are named by their Polis id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("activity_id", type=int, help="the id of the opinion-map activity")

    def handle(self, *args: Any, **options: Any) -> None:
        pk = options["activity_id"]
        if not Conversation.objects.filter(pk=pk).exists():
            raise CommandError(f"Activity {pk} is not a conversation (an opinion-map activity).")
        run = run_map(pk)
        assert run is not None
        if run.status != MapStatus.DONE:
            raise CommandError(f"The map could not be computed: {run.error}")
        groups = public_group_of(run)
        self.stdout.write(json.dumps({str(k): v for k, v in sorted(groups.items())}))
