"""Contributions and what is done with them: responses, statuses, decisions, moderation.

Every input a resident makes — a survey answer, an asset, a story, an idea, a comment — is one
``Contribution`` row plus one row of its own kind (``Idea``, ``Comment`` here; ``SurveySubmission``,
``Asset``, ``Story`` in the insight app), joined one-to-one. Responses, reports, decisions and
notifications all point at the Contribution, so "you said, we did" works the same for every kind.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.services.models import Activity, Service, Stage


class ContributionKind(models.TextChoices):
    NEED = "need", _("Survey answer")
    ASSET = "asset", _("Community asset")
    STORY = "story", _("Story")
    IDEA = "idea", _("Idea")
    COMMENT = "comment", _("Comment")


class Visibility(models.TextChoices):
    """Moderation state: pending contributions wait for a facilitator; hidden ones were removed."""

    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class AuthorDisplay(models.TextChoices):
    """How the author chose to be shown with what they said."""

    NAMED = "named", _("My full name")
    FIRST_NAME = "first_name", _("My first name only")
    ANONYMOUS = "anonymous", _("Anonymous")


# Contribution kinds that always need an official answer. A comment needs one only when its
# author marked it as a question for the service team.
ANSWERABLE_KINDS = [
    ContributionKind.NEED,
    ContributionKind.ASSET,
    ContributionKind.STORY,
    ContributionKind.IDEA,
]
ANSWERABLE = Q(kind__in=ANSWERABLE_KINDS) | Q(
    kind=ContributionKind.COMMENT, comment__is_question=True
)


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        return self.filter(visibility=Visibility.PUBLISHED)

    def answerable(self) -> ContributionQuerySet:
        """Contributions that deserve an official response."""
        return self.filter(ANSWERABLE)

    def unanswered(self) -> ContributionQuerySet:
        return self.filter(first_response_at__isnull=True)

    def for_service(self, service: Service) -> ContributionQuerySet:
        return self.filter(activity__service_stage__service=service)

    def with_details(self) -> ContributionQuerySet:
        """Join every kind's own row, the activity and the author: one query for mixed lists."""
        return self.select_related(
            "author",
            "activity__service_stage__service",
            "idea",
            "comment",
            "comment__idea",
            "story",
            "asset",
            "submission__survey__activity",
        )


class Contribution(models.Model):
    """One thing a person said, made or offered, in one activity."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(max_length=10, choices=ContributionKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    author_display = models.CharField(
        _("show my name as"),
        max_length=12,
        choices=AuthorDisplay.choices,
        default=AuthorDisplay.FIRST_NAME,
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    held_reason = models.CharField(
        max_length=200, blank=True, help_text=_("Why it is waiting for moderation, for moderators.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Kept up to date by response_create, so coverage and sorting need no aggregate over responses.
    # See docs/decisions/0011-denormalised-counters.md.
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_response_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["activity", "visibility", "-created_at"], name="contribution_feed"
            ),
            models.Index(fields=["author", "-created_at"], name="contribution_by_author"),
            # The idea list's newest and recently-answered orders, and its count: see
            # docs/decisions/0702-codesign-idea-list-indexes.md.
            models.Index(
                fields=["activity", "kind", "visibility", "-created_at"],
                name="contribution_kind_feed",
            ),
            models.Index(
                fields=["activity", "kind", "visibility", "-last_response_at"],
                name="contribution_kind_answered",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContributionKind.values), name="contribution_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="contribution_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(author_display__in=AuthorDisplay.values),
                name="contribution_display_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def detail(self) -> Any:
        """The row of this contribution's own kind (Idea, Comment, Story, Asset, SurveySubmission)."""
        return getattr(self, "submission" if self.kind == ContributionKind.NEED else self.kind)

    @property
    def title(self) -> str:
        """A short text that names the contribution in lists."""
        return str(self.detail.display_title)

    @property
    def service(self) -> Service:
        return self.activity.service_stage.service

    @property
    def author_name(self) -> str:
        """The name shown in public: as the author chose, never their email."""
        if (
            self.author is None
            or self.author_display == AuthorDisplay.ANONYMOUS
            or not self.author.name
        ):
            return str(_("Anonymous"))
        if self.author_display == AuthorDisplay.FIRST_NAME:
            return self.author.name.split()[0]
        return self.author.name

    @property
    def needs_answer(self) -> bool:
        if self.kind == ContributionKind.COMMENT:
            return bool(self.comment.is_question)
        return True

    def get_absolute_url(self) -> str:
        return str(self.detail.get_absolute_url())


class Response(models.Model):
    """An official answer from the organisation that runs the service."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="responses"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("response"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Response to {self.contribution}"


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
STATUSES_NEEDING_REASON = {IdeaStatus.NOT_TAKEN_FORWARD, IdeaStatus.ADAPTED}


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
    status = models.CharField(
        max_length=24, choices=IdeaStatus.choices, default=IdeaStatus.RECEIVED
    )
    status_reason = models.TextField(blank=True)
    # Maintained by support_add / support_withdraw and comment_create (see decision 0011).
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["-support_count"], name="idea_by_supports"),
            # Joins from a challenge's contributions read support_count from this index alone.
            models.Index(fields=["contribution", "support_count"], name="idea_supports_by_pk"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IdeaStatus.values), name="idea_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("codesign:idea_detail", kwargs={"pk": self.pk})


class IdeaStatusChange(models.Model):
    """The history of an idea's status, with the reason given."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=24, choices=IdeaStatus.choices)
    to_status = models.CharField(max_length=24, choices=IdeaStatus.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.idea}: {self.from_status} → {self.to_status}"


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


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    UPHELD = "upheld", _("Upheld: contribution hidden")
    DISMISSED = "dismissed", _("Dismissed: contribution kept")


class Report(models.Model):
    """Someone asked moderators to look at a contribution."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("why should moderators look at this?"), max_length=1000)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter"],
                condition=Q(status="open"),
                name="one_open_report_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on {self.contribution}"


class Decision(models.Model):
    """What the organisation decided, who decided it, when, and which contributions informed it."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="decisions")
    cycle = models.PositiveSmallIntegerField()
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    title = models.CharField(_("what was decided"), max_length=200)
    description = models.TextField(_("details and reasons"), max_length=10_000)
    decided_by = models.CharField(
        _("decided by"),
        max_length=200,
        help_text=_("A person, role or board, for example 'Health and Wellbeing Board'."),
    )
    decided_on = models.DateField(_("decided on"))
    contributions = models.ManyToManyField(Contribution, blank=True, related_name="decisions")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("codesign:decision_detail", kwargs={"pk": self.pk})
