"""``manage.py panel_select ACTIVITY_ID --algorithm leximin --seed N``: commit the seed, draw the
panel (the coordinator's button's task) and print the panel and every probability as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.panels import actions_selection, queries
from coproduce.panels.models import Algorithm, Panel, SelectionStatus
from coproduce.panels.tasks import run_selection


class Command(BaseCommand):
    help = (
        "Commit the seed (its hash goes in the public ledger first), select the panel of a "
        "citizen-panel activity with the same task as the coordinator's button, and print the "
        "panel and every registrant's selection probability (by pool id) as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("activity_id", type=int, help="the id of the panel's activity")
        parser.add_argument("--algorithm", choices=Algorithm.values, default=Algorithm.LEXIMIN)
        parser.add_argument(
            "--seed", required=True, help="the public random seed (a whole number >= 0)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        activity_id = options["activity_id"]
        panel = Panel.objects.filter(activity_id=activity_id).first()
        if panel is None:
            raise CommandError(f"Activity {activity_id} has no citizen panel.")
        try:
            seed = actions_selection.seed_text(options["seed"])
            done = panel.selections.filter(replaces=None, status=SelectionStatus.DONE).first()
            if done is not None and (done.seed, done.algorithm) == (seed, options["algorithm"]):
                self.stdout.write(json.dumps(queries.by_pool_id(done), ensure_ascii=False))
                return  # the same draw again: the same result
            committed = actions_selection.seed_commit(
                panel=panel, by=None, seed=seed, algorithm=options["algorithm"]
            )
            actions_selection.selection_start(selection=committed, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # The queue may have run it already (an immediate backend); otherwise select here.
        selection = run_selection(committed.pk)
        if selection is None or selection.status != SelectionStatus.DONE:
            reason = selection.error if selection is not None else "the selection disappeared"
            raise CommandError(f"The selection of activity {activity_id} failed: {reason}")
        self.stdout.write(json.dumps(queries.by_pool_id(selection), ensure_ascii=False))
