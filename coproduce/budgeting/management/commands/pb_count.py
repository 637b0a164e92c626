"""``manage.py pb_count ACTIVITY_ID``: count a budget (the staff button's task) and print the
funded project references as a JSON list, sorted."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.budgeting import actions_voting
from coproduce.budgeting.models import Budget, CountStatus
from coproduce.budgeting.tasks import run_count


class Command(BaseCommand):
    help = (
        "Count the ballots of a participatory-budget activity with its budget's rule (the same "
        "task as the staff page's button) and print the funded project references as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("activity_id", type=int, help="the id of the budget's activity")

    def handle(self, *args: Any, **options: Any) -> None:
        activity_id = options["activity_id"]
        budget = Budget.objects.select_related("activity").filter(activity_id=activity_id).first()
        if budget is None:
            raise CommandError(f"Activity {activity_id} has no participatory budget.")
        try:
            queued = actions_voting.count_start(budget=budget, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # The queue may have run it already (an immediate backend); otherwise count it here.
        count = run_count(queued.pk)
        if count is None or count.status != CountStatus.DONE:
            reason = count.error if count is not None else "the count disappeared"
            raise CommandError(f"The count of activity {activity_id} failed: {reason}")
        funded = sorted(ref for area in count.result["areas"] for ref in area["selected"])
        self.stdout.write(json.dumps(funded, ensure_ascii=False))
