"""manage.py seed_demo: load the Northfield demo story (safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.accounts.tests.factories import DEFAULT_PASSWORD
from coproduce.demo.story import RESIDENTS, STAFF, SUPERUSER, seed
from coproduce.organisations.models import Role

SERVICE_RUNNERS = {"council", "nhs", "police", "charity"}  # the union runs no service
FACILITATOR = "mo.ahmed@nca.example"


class Command(BaseCommand):
    help = "Create the Northfield demo organisations, people, services and activities."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready: {organisations} organisations, {services} services, {people} people.".format(
                    **counts
                )
            )
        )
        self.stdout.write(f"Every demo account uses the password: {DEFAULT_PASSWORD}")
        self.stdout.write(f"  resident:      {RESIDENTS[0][0]}")
        for email, _name, organisation, role, _title in STAFF:
            if role == Role.ADMIN and organisation in SERVICE_RUNNERS:
                self.stdout.write(f"  administrator: {email}  ({organisation})")
        self.stdout.write(f"  facilitator:   {FACILITATOR}  (charity: moderates, does not answer)")
        self.stdout.write(f"  superuser:     {SUPERUSER[0]}")
        self.stdout.write(
            "Staff accounts use two-factor authentication; see README for the demo code."
        )
