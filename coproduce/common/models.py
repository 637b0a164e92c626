"""Abstract base models shared by every domain app."""

from django.db import models


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PageVersion(models.Model):
    """The version of one group of cached pages: a challenge's idea lists, one idea's page …

    Writes give it a new random token in their own transaction, so the change of content and of
    version commit together (docs/decisions/0801-web-page-cache.md).
    """

    scope = models.CharField(max_length=100, primary_key=True)
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return self.scope
