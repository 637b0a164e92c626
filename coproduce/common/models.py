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


class SubmittedForm(models.Model):
    """A one-time form token that was used, and the page of what its form made.

    ``handle_form`` claims the token and runs the action in one transaction, so a form sent again
    (Back, then submit) makes nothing new. ``content`` identifies who sent what to which address,
    for a browser that reloads the form on Back with a new token but the same words
    (docs/decisions/0021-one-time-form-tokens.md).
    """

    token = models.CharField(max_length=64, unique=True)
    url = models.CharField(max_length=2000)
    content = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.url


class SentEmail(models.Model):
    """An email handed to the mail server, by its idempotency key (``mail.send_once``).

    The key is made from what the email is about (``insight.confirm:42``), so a task that runs again
    after its worker was killed finds it and sends nothing twice (docs/decisions/0901-idempotent-emails.md).
    """

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key
