"""Idea challenges: ideas, comments on them, supports, agreements with comments, the categories
staff offer and a challenge's supports threshold.

An idea and a comment are contributions (``contributions.Contribution``, joined one-to-one) so the
answer spine can answer, moderate, give statuses and link them to decisions; this app registers the
two kinds in ``apps.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.common.dates import add_working_days
from coproduce.contributions import kinds
from coproduce.contributions.kinds import Workflow
from coproduce.contributions.models import Contribution
from coproduce.services.models import Activity

# The spine kind of an opinion-map statement, which can be taken forward as an idea (decision
# 0111): named by the spine because codesign does not import conversations.
STATEMENT = kinds.OPINION_STATEMENT


class CodesignKind(models.TextChoices):
    """The kinds of contribution an idea challenge takes (registered with the spine)."""

    IDEA = kinds.IDEA, _("Idea")
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


# The most working days a challenge may promise for an answer: about six months.
MAX_ANSWER_DAYS = 120


class SupportsThreshold(models.Model):
    """A challenge's promise: ideas with ``supports`` supports get a written answer, within
    ``answer_days`` working days when it says so (docs/decisions/0026)."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="supports_threshold"
    )
    supports = models.PositiveIntegerField(
        _("supports needed"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    answer_days = models.PositiveSmallIntegerField(
        _("working days to answer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ANSWER_DAYS)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(supports__isnull=True) | Q(supports__gte=1),
                name="threshold_supports_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(answer_days__isnull=True)
                | Q(answer_days__gte=1, answer_days__lte=MAX_ANSWER_DAYS),
                name="threshold_answer_days_in_range",
            ),
            # A time to answer is counted from reaching a number of supports.
            models.CheckConstraint(
                condition=Q(answer_days__isnull=True) | Q(supports__isnull=False),
                name="threshold_answer_days_need_supports",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supports} supports, {self.answer_days} working days"

    def describe(self) -> str:
        """The promise in plain English, for residents and staff."""
        supports = self.supports or 0
        if not self.answer_days:
            return ngettext(
                "An idea with %(supports)s support gets a written answer from the team.",
                "Ideas with %(supports)s supports get a written answer from the team.",
                supports,
            ) % {"supports": supports}
        within = ngettext("%(days)s working day", "%(days)s working days", self.answer_days) % {
            "days": self.answer_days
        }
        return ngettext(
            "An idea with %(supports)s support gets a written answer from the team within "
            "%(within)s.",
            "Ideas with %(supports)s supports get a written answer from the team within "
            "%(within)s.",
            supports,
        ) % {"supports": supports, "within": within}

    def due_on(self, reached: dt.date) -> dt.date | None:
        """When an idea that reached the threshold on ``reached`` is to be answered by."""
        return add_working_days(reached, self.answer_days) if self.answer_days else None


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
    # When it first had the supports its challenge's threshold asks for (or when the threshold was
    # set, if it already had them), and the date a written answer was promised by then. Set once,
    # by support_add and supports_threshold_set: a promise stands (decision 0026).
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    answer_due_on = models.DateField(null=True, blank=True)
    # A statement all groups agreed with on an opinion map, taken forward by staff as this idea
    # (idea_take_forward, decision 0111): its contribution, kept for its history.
    from_contribution = models.ForeignKey(
        Contribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taken_forward_as",
    )

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
    # Maintained by agreement_add / agreement_withdraw (decisions 0011 and 0026).
    agreement_count = models.PositiveIntegerField(default=0)

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


class Agreement(models.Model):
    """One person agreeing with one comment; they can withdraw it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="agreements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_agreements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_agreement_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} agrees with comment {self.comment_id}"
