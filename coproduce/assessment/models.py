"""Assessment and improvement (issue 12): a service's standards written with the people who use
it, kept in numbered versions, and the assessments that rate the service against one version.

The framework is the service's; each agreed version is frozen (an assessment pins the version it
used, so results stay comparable and explainable). A standard keeps its ``lineage`` number from
version to version, so the change on "the same standard" can be shown from one assessment to the next.
The methods share it: a user assessment (people who use the service rate it, online or on paper),
a peer review (a team of trained peers rate it independently, then agree a report) and a team's
self-reflection (private until the team publishes it). An assessment's report lists findings
(strengths, concerns, urgent concerns: contributions answered through the spine), and the service
answers concerns with improvement actions that have an owner, a due date and evidence when done.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.languages import check_english_beside
from coproduce.contributions.models import Contribution
from coproduce.outcomes.models import Indicator
from coproduce.services.models import Activity, ActivityKind, Service

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The rating scale of every standard (decision 0081): how often the statement is true for the
# person. None is "does not apply to me" and counts in no distribution.
SCALE_MAX = 5
SCALE: tuple[tuple[int, StrOrPromise], ...] = (
    (5, _("Always")),
    (4, _("Mostly")),
    (3, _("Sometimes")),
    (2, _("Rarely")),
    (1, _("Never")),
)


# The activity kinds that rate the service against its framework (one Assessment row each).
METHODS: tuple[str, ...] = (
    ActivityKind.ASSESSMENT,
    ActivityKind.PEER_REVIEW,
    ActivityKind.SELF_REFLECTION,
    ActivityKind.MYSTERY_SHOP,
)
# Those whose ratings are agreed by a team and published when the team chooses (AgreedRating).
TEAM_METHODS: tuple[str, ...] = (ActivityKind.PEER_REVIEW, ActivityKind.SELF_REFLECTION)


class Framework(models.Model):
    """A service's assessment framework: its versions of standards."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="assessment_framework"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Assessment framework of {self.service}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:framework", args=[self.service.slug])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")


class FrameworkVersion(models.Model):
    """A numbered version of the standards. A draft is written by staff and resident
    co-authors; once agreed it never changes (a new draft starts from it)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_note = models.TextField(_("what changed, and why"), max_length=4000, blank=True)
    change_note_cy = models.TextField(
        _("what changed, and why, in Welsh"), max_length=4000, blank=True
    )
    # The residents who wrote it with staff (named on the framework page).
    co_authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("change_note",)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="one_version_number"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status="draft"),
                name="one_draft_version_per_framework",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="version_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_at__isnull=False),
                name="agreed_version_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.framework.service}"

    def clean(self) -> None:
        check_english_beside(self)


class Standard(models.Model):
    """What people should experience ("I can book a journey without help"), under a theme, with
    an optional prompt for evidence."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="standards"
    )
    # The same number for the same standard in every version (a reworded standard keeps it).
    lineage = models.PositiveIntegerField()
    theme = models.CharField(_("theme"), max_length=100)
    theme_cy = models.CharField(_("theme in Welsh"), max_length=100, blank=True)
    statement = models.CharField(_("standard"), max_length=300)
    statement_cy = models.CharField(_("standard in Welsh"), max_length=300, blank=True)
    evidence_prompt = models.CharField(_("what shows it"), max_length=500, blank=True)
    evidence_prompt_cy = models.CharField(_("what shows it, in Welsh"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    translated_fields: ClassVar[tuple[str, ...]] = ("theme", "statement", "evidence_prompt")

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage"], name="one_standard_per_lineage"),
            models.UniqueConstraint(
                fields=["version", "statement"], name="one_standard_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def clean(self) -> None:
        check_english_beside(self)


class Assessment(models.Model):
    """An assessment activity's use of the framework (any of METHODS): the agreed version it rates
    against, pinned when it is set up. A peer review or self-reflection also has its team's agreed
    ratings and report, published when the team chooses (``published_at``)."""

    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, primary_key=True, related_name="service_assessment"
    )
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A peer review's visit (or desk review) date, set when it is scheduled.
    visit_on = models.DateField(_("date of the visit"), null=True, blank=True)
    visit_place = models.CharField(_("where"), max_length=200, blank=True)
    # The team's agreed report (peer review, self-reflection): a summary, then public once published.
    summary = models.TextField(_("summary of the report"), max_length=10_000, blank=True)
    summary_cy = models.TextField(
        _("summary of the report, in Welsh"), max_length=10_000, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A mystery shop's coordinator: the one person who knows who the shoppers are (never the
    # service's own staff, so that they cannot tell who shopped them).
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    translated_fields: ClassVar[tuple[str, ...]] = ("summary",)

    def __str__(self) -> str:
        return self.activity.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment", args=[self.pk])

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def kind(self) -> str:
        return self.activity.kind

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Response(models.Model):
    """One person's ratings in a user assessment: online (``person``), or a paper form entered
    by staff (``entered_by``, no person). Named only if the person chose to be."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    named = models.BooleanField(_("show my name with my comments"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person"],
                condition=Q(person__isnull=False),
                name="one_response_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(entered_by__isnull=False),
                name="response_online_or_from_paper",
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.assessment}"


class Rating(models.Model):
    """A response's rating of one standard (None: does not apply), with an optional comment."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["response", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "standard"], name="one_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} for {self.standard}"


class AgreedRating(models.Model):
    """A team's agreed rating of one standard (a peer review's report, a team's self-reflection),
    with the reason or evidence. Private to the team until the assessment is published."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="agreed_ratings"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    note = models.TextField(_("why, and what shows it"), max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="one_agreed_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="agreed_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreed {self.rating} for {self.standard}"


class Assessor(models.Model):
    """A member of a peer review's team: a trained peer (someone who uses another service, or
    from a partner organisation) who rates the service on their own before the team agrees."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assessors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Where they come from, as shown on the report ("Eastvale Dial-a-Ride user group").
    from_group = models.CharField(_("from"), max_length=200)
    is_lead = models.BooleanField(_("leads the team"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # When they handed in their own ratings (then the others' become visible to them).
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "-is_lead", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person"], name="one_assessor_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessor {self.pk} of {self.assessment}"


class AssessorRating(models.Model):
    """One assessor's own rating of one standard, with their evidence notes."""

    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    evidence = models.TextField(_("what you saw or heard"), max_length=2000, blank=True)

    class Meta:
        ordering = ["assessor", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "standard"], name="one_assessor_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="assessor_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} for {self.standard}"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    CONCERN = "concern", _("Concern")
    URGENT = "urgent", _("Urgent concern")


# The spine's code for findings (contributions.kinds).
FINDING = "assessment_finding"


class Finding(models.Model):
    """What an assessment found, in its report: a strength, a concern or an urgent concern, linked
    to the standards it is about and the evidence. A contribution of the assessment's activity, so
    concerns are answered through the spine and show in "You said, we did"."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="finding"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("kind of finding"), max_length=10, choices=FindingKind.choices)
    title = models.CharField(_("finding"), max_length=200)
    title_cy = models.CharField(_("finding, in Welsh"), max_length=200, blank=True)
    evidence = models.TextField(_("evidence"), max_length=4000)
    evidence_cy = models.TextField(_("evidence, in Welsh"), max_length=4000, blank=True)
    standards = models.ManyToManyField(Standard, blank=True, related_name="findings")

    translated_fields: ClassVar[tuple[str, ...]] = ("title", "evidence")

    class Meta:
        ordering = ["assessment", "contribution_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values), name="finding_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_english_beside(self)

    def get_absolute_url(self) -> str:
        return reverse("assessment:finding", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title

    @property
    def needs_answer(self) -> bool:
        return self.kind != FindingKind.STRENGTH


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Not going ahead")


class ImprovementAction(models.Model):
    """What the service will do about a concern: who, by when, where it stands, and the evidence
    that it was done (or why it is not going ahead)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what will be done"), max_length=300)
    description_cy = models.CharField(_("what will be done, in Welsh"), max_length=300, blank=True)
    owner = models.CharField(
        _("who will do it"),
        max_length=120,
        help_text=_("A role or a team, for example 'Scheme manager'."),
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    # What shows it is done, or why it is not going ahead (required for those statuses).
    evidence = models.TextField(_("what shows it is done"), max_length=4000, blank=True)
    evidence_cy = models.TextField(
        _("what shows it is done, in Welsh"), max_length=4000, blank=True
    )
    evidence_link = models.URLField(_("link to the evidence"), blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("description", "evidence")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress"], closed_on__isnull=True)
                | (Q(status__in=["done", "dropped"], closed_on__isnull=False) & ~Q(evidence="")),
                name="closed_action_has_date_and_evidence",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="improvement_action_due")]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today


# --- Standards feeding outcome indicators --------------------------------------------------------


class IndicatorLink(models.Model):
    """A standard of the framework (by lineage, so every version's wording counts) that feeds an
    indicator of the service's outcomes: each closed user assessment records, as the indicator's
    value on the day it closed, the share of people who said "Always" or "Mostly"."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="links")
    lineage = models.PositiveIntegerField()
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "lineage", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "lineage", "indicator"], name="one_link_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"Standard {self.lineage} of {self.framework} feeds {self.indicator}"


# --- Mystery shopping -----------------------------------------------------------------------------


class Channel(models.TextChoices):
    PHONE = "phone", _("By phone")
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class Assignment(models.Model):
    """A mystery shopper's task: a scenario to try, by a channel, within a window of dates. Who the
    shopper is, is known to the coordinator only; everyone else sees "Shopper <number>"."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    shopper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Numbered from 1 within the assessment, the shopper's only name outside the coordinator's pages.
    number = models.PositiveSmallIntegerField()
    scenario = models.TextField(_("what to try"), max_length=2000)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_shopper_number"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="assignment_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="assignment_window_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Shopper {self.number} of {self.assessment}"


class ShopReport(models.Model):
    """What the shopper found: when they made contact, what happened, a rating of each standard
    the visit could test, and evidence. A draft until they send it; sent, it is final."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, primary_key=True, related_name="report"
    )
    contacted_at = models.DateTimeField(_("when you made contact"), null=True, blank=True)
    account = models.TextField(_("what happened"), max_length=6000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Report of {self.assignment}"


class ShopRating(models.Model):
    report = models.ForeignKey(ShopReport, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["report", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "standard"], name="one_shop_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="shop_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} for {self.standard}"


def private_storage() -> Storage:
    """Evidence files: settings.STORAGES["sealed"], outside the public media; only the evidence
    view reads them, for those who may see the report."""
    return storages["sealed"]


class Evidence(models.Model):
    """A photo or document a shopper attached: its type checked from its bytes, a photo's
    metadata (location included) stripped before it is stored, under a random name."""

    report = models.ForeignKey(ShopReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to="assessment/evidence/%Y/%m/")
    description = models.CharField(_("what it shows"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"Evidence {self.pk} of {self.report}"


# --- Coaching -------------------------------------------------------------------------------------


class CoachingSession(models.Model):
    """A session between a coach (a peer, an experienced co-producer) and a team or a resident
    assessor: its goals and the next steps agreed. Private to the coach and the participants."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="coaching_sessions")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    held_on = models.DateField(_("date of the session"))
    goals = models.TextField(_("goals"), max_length=4000)
    next_steps = models.TextField(_("next steps agreed"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Coaching session {self.pk} of {self.service}"


# --- Residents' proposals for the standards ---------------------------------------------------------

# The spine's code for proposals (contributions.kinds).
STANDARD_PROPOSAL = "standard_proposal"


class StandardProposal(models.Model):
    """A resident's proposal for the service's standards: a new standard, or a comment on one of
    the agreed version (``standard``). A contribution of the service's open assessment activity, so
    staff answer it through the spine; taken into the draft, it links to the standard it became."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="standard_proposal"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="proposals")
    standard = models.ForeignKey(
        Standard, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    text = models.CharField(_("your proposal"), max_length=500)
    why = models.TextField(_("why it matters to you"), max_length=2000, blank=True)
    # The draft standard it became, once staff took it in.
    became = models.ForeignKey(
        Standard, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["framework", "contribution_id"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("assessment:proposal", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.text
