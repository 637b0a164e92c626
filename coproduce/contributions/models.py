"""The answer spine: what people contribute and what is done with it.

Every input a resident makes — a survey answer, an asset, a story, an idea, a comment, and the
budget projects, statements, findings, recommendations and bids to come — is one ``Contribution``
row plus one row of its own kind in the app that runs the method, joined one-to-one. Responses,
statuses, reports, decisions and follows all point at the Contribution, so "you said, we did" works
the same for every kind. Method apps describe their kind to the spine in ``kinds.py``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import FORMER_PARTICIPANT
from coproduce.common.dates import DateRange
from coproduce.common.languages import check_english_beside
from coproduce.contributions.kinds import (
    Kind,
    confirmed_fields,
    detail_joins,
    get_kind,
    registered,
)
from coproduce.services.models import Activity, Service, Stage


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


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        return self.filter(visibility=Visibility.PUBLISHED)

    def answerable(self) -> ContributionQuerySet:
        """Contributions that deserve an official response."""
        return self.filter(needs_answer=True)

    def unanswered(self) -> ContributionQuerySet:
        return self.filter(first_response_at__isnull=True)

    def for_service(self, service: Service) -> ContributionQuerySet:
        return self.filter(activity__service_stage__service=service)

    def awaiting_confirmation(self) -> ContributionQuerySet:
        """Contributions whose author has not confirmed them yet (an anonymous survey answer
        before its emailed link is used): see Kind.confirmed_field."""
        waiting = _awaiting_confirmation()
        return self.filter(waiting) if waiting is not None else self.none()

    def not_awaiting_confirmation(self) -> ContributionQuerySet:
        """Every contribution but those still waiting for their author to confirm them."""
        waiting = _awaiting_confirmation()
        return self.exclude(waiting) if waiting is not None else self

    def with_details(self) -> ContributionQuerySet:
        """Join every registered kind's own row, the activity and the author: one query for
        mixed lists."""
        return self.select_related("author", "activity__service_stage__service", *detail_joins())


def _awaiting_confirmation() -> Q | None:
    """Matches contributions whose kind needs its author's confirmation and has none yet; None
    when no installed kind needs one."""
    match: Q | None = None
    for code, path in confirmed_fields().items():
        waiting = Q(kind=code, **{f"{path}__isnull": True})
        match = waiting if match is None else match | waiting
    return match


class Contribution(models.Model):
    """One thing a person said, made or offered, in one activity."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="contributions")
    # A registered kind's code (kinds.py); checked by contribution_start, not by a constraint,
    # so that a method app can add its kind without a migration here (decision 0016).
    kind = models.CharField(max_length=32)
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
    # Whether it gets an official answer: set from its kind when it is made (a comment only when
    # its author asks the service team a question), so coverage needs no join to the kinds.
    needs_answer = models.BooleanField(default=True)
    # Where it stands in its kind's workflow ('' for kinds without one): see Kind.workflow.
    status = models.CharField(max_length=32, blank=True)
    status_reason = models.TextField(blank=True)
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
    def kind_spec(self) -> Kind:
        return get_kind(self.kind)

    def get_kind_display(self) -> str:
        """The kind's label; its code while no installed app registers it (an app taken out)."""
        return str(self.kind_spec.label) if registered(self.kind) else self.kind

    @property
    def detail(self) -> Any:
        """The row of this contribution's own kind (Idea, Comment, Story, Asset, SurveySubmission …)."""
        return getattr(self, self.kind_spec.detail)

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
        if self.author is not None and self.author.erased_at is not None:
            return str(FORMER_PARTICIPANT)  # they deleted their account (privacy.erasure)
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
    def open_data_author(self) -> str:
        """The author in open data and the API: a name only when they chose their full name."""
        named = self.author_display == AuthorDisplay.NAMED and self.author_id
        return self.author_name if named else "Anonymous"

    @property
    def has_workflow(self) -> bool:
        return self.kind_spec.workflow is not None

    def get_status_display(self) -> str:
        workflow = self.kind_spec.workflow
        return workflow.label(self.status) if workflow is not None else ""

    @property
    def status_colour(self) -> str:
        """The GOV.UK tag class for its status."""
        workflow = self.kind_spec.workflow
        colours = workflow.colours if workflow is not None else {}
        return colours.get(self.status, "govuk-tag--grey")

    def get_absolute_url(self) -> str:
        return str(self.detail.get_absolute_url())


class Response(models.Model):
    """An official answer from the organisation that runs the service."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="responses"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("response"))
    # The Welsh beside the English, blank until written (docs/decisions/0025).
    body_cy = models.TextField(_("response in Welsh"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("body",)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Response to {self.contribution}"

    def clean(self) -> None:
        check_english_beside(self)


class StatusChange(models.Model):
    """The history of a contribution's status, with the reason given."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=32)
    to_status = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contribution}: {self.from_status} → {self.to_status}"

    def get_to_status_display(self) -> str:
        return self._label(self.to_status)

    def _label(self, status: str) -> str:
        workflow = self.contribution.kind_spec.workflow
        return workflow.label(status) if workflow is not None else status


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


# A decision's date: from 2000 to today (docs/decisions/0019), and how messages name it.
DECISION_DATES = DateRange()
DECISION_DATE_NAME = _("the date of the decision")


class Decision(models.Model):
    """What the organisation decided, who decided it, when, and which contributions informed it."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="decisions")
    cycle = models.PositiveSmallIntegerField()
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    title = models.CharField(_("what was decided"), max_length=200)
    description = models.TextField(_("details and reasons"), max_length=10_000)
    # The Welsh beside the English, blank until written (docs/decisions/0025).
    title_cy = models.CharField(_("what was decided, in Welsh"), max_length=200, blank=True)
    description_cy = models.TextField(
        _("details and reasons, in Welsh"), max_length=10_000, blank=True
    )
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

    translated_fields: ClassVar[tuple[str, ...]] = ("title", "description")

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contributions:decision_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        check_english_beside(self)


class Follow(models.Model):
    """A person following exactly one service, activity or contribution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(service__isnull=False, activity__isnull=True, contribution__isnull=True)
                    | Q(service__isnull=True, activity__isnull=False, contribution__isnull=True)
                    | Q(service__isnull=True, activity__isnull=True, contribution__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "service"], name="follow_service_once"),
            models.UniqueConstraint(fields=["user", "activity"], name="follow_activity_once"),
            models.UniqueConstraint(
                fields=["user", "contribution"], name="follow_contribution_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.service or self.activity or self.contribution}"

    @property
    def target(self) -> Service | Activity | Contribution | None:
        return self.service or self.activity or self.contribution
