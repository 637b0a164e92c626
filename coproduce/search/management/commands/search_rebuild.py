"""manage.py search_rebuild: build the site search's index again from everything public."""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.search.actions import index_rebuild


class Command(BaseCommand):
    help = "Empty the site search's index and build it again from every public thing."

    def handle(self, *args: Any, **options: Any) -> None:
        count = index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"The search index holds {count:,} documents."))
