"""Idea challenges: ideas, comments on them, supports and the categories staff offer.

An idea and a comment are contributions (``contributions.Contribution``, joined one-to-one) so the
answer spine can answer, moderate, give statuses and link them to decisions; this app registers the
two kinds in ``apps.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.kinds import Workflow
from coproduce.contributions.models import Contribution
from coproduce.services.models import Activity


class CodesignKind(models.TextChoices):
    """The kinds of contribution an idea challenge takes (registered with the spine)."""

    IDEA = "idea", _("Idea")
    COMMENT = "comment", _("Comment")


class IdeaStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    ADAPTED = "adapted", _("Adapted")
    NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")
    IN_DELIVERY = "in_delivery", _("In delivery")
    DELIVERED = "delivered", _("Delivered")


IDEA_TRANSITIONS: dict[str, list[str]] = {
    IdeaStatus.RECEIVED: [
        IdeaStatus.UNDER_CONSIDERATION,
        IdeaStatus.ADOPTED,
        IdeaStatus.ADAPTED,
        IdeaStatus.NOT_TAKEN_FORWARD,
    ],
    IdeaStatus.UNDER_CONSIDERATION: [
        IdeaStatus.ADOPTED,
        IdeaStatus.ADAPTED,
        IdeaStatus.NOT_TAKEN_FORWARD,
    ],
    IdeaStatus.ADOPTED: [IdeaStatus.IN_DELIVERY, IdeaStatus.NOT_TAKEN_FORWARD],
    IdeaStatus.ADAPTED: [IdeaStatus.IN_DELIVERY, IdeaStatus.NOT_TAKEN_FORWARD],
    IdeaStatus.NOT_TAKEN_FORWARD: [IdeaStatus.UNDER_CONSIDERATION],
    IdeaStatus.IN_DELIVERY: [IdeaStatus.DELIVERED],
    IdeaStatus.DELIVERED: [],
}
IDEA_WORKFLOW = Workflow(
    choices=IdeaStatus.choices,
    initial=IdeaStatus.RECEIVED,
    transitions=IDEA_TRANSITIONS,
    needs_reason={IdeaStatus.NOT_TAKEN_FORWARD, IdeaStatus.ADAPTED},
    colours={
        IdeaStatus.RECEIVED: "govuk-tag--grey",
        IdeaStatus.UNDER_CONSIDERATION: "govuk-tag--blue",
        IdeaStatus.ADOPTED: "govuk-tag--green",
        IdeaStatus.ADAPTED: "govuk-tag--turquoise",
        IdeaStatus.NOT_TAKEN_FORWARD: "govuk-tag--orange",
        IdeaStatus.IN_DELIVERY: "govuk-tag--purple",
        IdeaStatus.DELIVERED: "govuk-tag--green",
    },
)


class IdeaCategory(models.Model):
    """A category staff offer in an idea challenge."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="idea_categories")
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="one_category_name")
        ]

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    """An idea or proposal in an idea challenge."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="idea"
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    category = models.ForeignKey(
        IdeaCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("category"),
    )
    # Maintained by support_add / support_withdraw and comment_create (see decision 0011).
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["-support_count"], name="idea_by_supports"),
            # Joins from a challenge's contributions read support_count from this index alone.
            models.Index(fields=["contribution", "support_count"], name="idea_supports_by_pk"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("codesign:idea_detail", kwargs={"pk": self.pk})


class Comment(models.Model):
    """A comment on an idea; replies make threads. A question asks the service team for an answer."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="comment"
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=2000)
    is_question = models.BooleanField(
        _("This is a question for the service team"),
        default=False,
        help_text=_("The team will answer it publicly."),
    )

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.body if len(self.body) <= 80 else self.body[:79] + "…"

    def get_absolute_url(self) -> str:
        """The idea page that shows this comment's conversation, at the comment."""
        return f"{self.idea.get_absolute_url()}?comment={self.pk}#comment-{self.pk}"


class Support(models.Model):
    """One person backing one idea; they can withdraw it."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} supports {self.idea}"
