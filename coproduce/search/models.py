"""The index of the site search: one row for each public thing that can be found.

Each app that owns things people can find (services, activities, contributions of each kind,
decisions, answers) registers a ``registry.Source`` that builds these rows, and its actions keep
them current in their own transactions. Only public things have a row, so a search never needs to
know who is asking.

The full-text part is the database's own, created by migration 0002 and invisible to Django: on
SQLite an FTS5 table, ``search_fts``, kept in step with this table by triggers; on PostgreSQL a
generated ``vector`` column with a GIN index. A later migration that makes SQLite rebuild this
table (Django does for most changes other than adding a column) drops the triggers with it and
must create them again: ``tests`` check that the index follows every write.
"""

from __future__ import annotations

from django.db import models


class Document(models.Model):
    """One public thing, as the search finds and shows it."""

    kind = models.CharField(max_length=32)  # the registered source's code: "idea", "service" …
    key = models.BigIntegerField()  # the thing's primary key
    title = models.CharField(max_length=300)
    # The Welsh beside the English, where the thing has it (docs/decisions/0025).
    title_cy = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    body_cy = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # The service it belongs to, to filter by and to show with each result; a plain key, since the
    # search sits below the services app (docs/architecture.md, layers).
    service_id = models.BigIntegerField(null=True, blank=True)
    service_slug = models.CharField(max_length=80, blank=True)
    service_name = models.CharField(max_length=200, blank=True)
    service_name_cy = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)  # when it was posted, decided or opens
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_one_document_per_thing")
        ]
        indexes = [models.Index(fields=["service_id"], name="search_document_service")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.title}"
