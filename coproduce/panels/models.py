"""Citizen panels: the panel and its quotas, invitations, registrants (with their special-category
registration data kept apart) and selections with a committed seed (docs/panels.md).

A panel runs as a ``services.Activity`` of kind "citizen_panel"; its key is the activity's, so
``manage.py panel_select ACTIVITY_ID`` and later pages name it by one number (decision 0045).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.models import Contribution
from coproduce.services.models import Activity

PREFER_NOT_TO_SAY = "Prefer not to say"  # the quota value of a category's "prefer not to say"


class Phase(models.TextChoices):
    SET_UP = "set_up", _("Setting up")
    INVITATIONS = "invitations", _("Invitations")
    REGISTRATION = "registration", _("Registration")
    SELECTION = "selection", _("Selection")
    DELIBERATION = "deliberation", _("Deliberation")
    CLOSED = "closed", _("Closed")


PHASE_ORDER = list(Phase.values)


class Panel(models.Model):
    """A citizen panel: its question, size, phase and planned dates, and who may register."""

    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, primary_key=True, related_name="panel"
    )
    question = models.TextField(_("question"), max_length=1000)
    question_cy = models.TextField(_("question in Welsh"), max_length=1000, blank=True)
    size = models.PositiveSmallIntegerField(_("number of members"))
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.SET_UP)
    # Planned dates shown to residents; staff move the phase, the calendar does not.
    invitations_sent_on = models.DateField(_("invitations sent on"), null=True, blank=True)
    registration_closes_on = models.DateField(_("registration closes on"), null=True, blank=True)
    selection_on = models.DateField(_("selection on"), null=True, blank=True)
    deliberation_starts_on = models.DateField(_("first session on"), null=True, blank=True)
    closes_on = models.DateField(_("panel ends on"), null=True, blank=True)
    allow_volunteers = models.BooleanField(
        _("anyone may register through an open link"),
        default=False,
        help_text=_("Otherwise only people with a registration code from a letter can register."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days to keep registration data after the panel ends"), default=90
    )
    imported = models.BooleanField(default=False)  # from a pool file (panel_import_pool)
    # When ``registration_data_purge`` deleted the panel's registration data, and with them the
    # published pool files (decision 0124).
    registration_data_deleted_on = models.DateField(null=True, blank=True)
    # The members' support a recommendation needs to be published (decision 0065).
    recommendation_threshold = models.PositiveSmallIntegerField(
        _("support a recommendation needs, in per cent of the members who vote"),
        default=80,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="panel_phase_valid"),
            models.CheckConstraint(condition=Q(size__gte=1), name="panel_size_positive"),
        ]

    def __str__(self) -> str:
        return self.activity.title


class Category(models.Model):
    """A question the quotas are about (age band, sex, area …), asked at registration."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    name_cy = models.CharField(_("name in Welsh"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    allow_prefer_not_to_say = models.BooleanField(_("offer “prefer not to say”"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="one_panel_category_name")
        ]

    def __str__(self) -> str:
        return self.name


class Feature(models.Model):
    """One answer of a category with its quota: between ``minimum`` and ``maximum`` members."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="features")
    value = models.CharField(_("answer"), max_length=100)
    value_cy = models.CharField(_("answer in Welsh"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    minimum = models.PositiveSmallIntegerField(_("fewest members"), default=0)
    maximum = models.PositiveSmallIntegerField(_("most members"))
    # Share of the area's population (0–1), from the census; the quotas may be made from it.
    population_share = models.DecimalField(
        _("share of the population"), max_digits=7, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "value"], name="one_category_value"),
            models.CheckConstraint(
                condition=Q(maximum__gte=models.F("minimum")), name="feature_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.name}={self.value}"


class Invitation(models.Model):
    """An address from the address list; drawn addresses get a letter with a registration code."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="invitations")
    property_reference = models.CharField(_("property reference"), max_length=40)
    address_lines = models.JSONField(_("address"), default=list)
    postcode = models.CharField(_("postcode"), max_length=10)
    area = models.CharField(_("area"), max_length=100, blank=True)
    registration_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    drawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["property_reference", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "property_reference"], name="one_panel_property"
            )
        ]

    def __str__(self) -> str:
        return self.property_reference

    @property
    def postcode_district(self) -> str:
        """The outward code: "NF1" of "NF1 2AB"."""
        return self.postcode.split()[0] if self.postcode.strip() else ""


class RegistrantStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SELECTED = "selected", _("Selected")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    REPLACEMENT = "replacement", _("Selected as a replacement")


ON_PANEL = (RegistrantStatus.SELECTED, RegistrantStatus.CONFIRMED, RegistrantStatus.REPLACEMENT)


class Registrant(models.Model):
    """Someone in the pool. Their answers and contact details are in ``RegistrationData``."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="registrants")
    # The person's id in the pool file and in the exported pool; "R<pk>" for people who
    # registered on the platform (decision 0046).
    external_id = models.CharField(_("pool id"), max_length=64)
    registration_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=RegistrantStatus.choices, default=RegistrantStatus.REGISTERED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the email saying they were drawn (or drawn as a replacement) went; set once, so a task
    # run twice emails nobody twice (decision 0069).
    told_selected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "external_id"], name="one_panel_pool_id"),
            models.CheckConstraint(
                condition=Q(status__in=RegistrantStatus.values), name="registrant_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.external_id


class RegistrationData(models.Model):
    """Special-category personal data of one registrant: seen only by the panel's coordinators,
    deleted on ``delete_after``. Only the quota answers are published, under the pool id, in the
    anonymised pool files (decision 0046)."""

    registrant = models.OneToOneField(
        Registrant, on_delete=models.CASCADE, primary_key=True, related_name="data"
    )
    answers = models.JSONField(default=dict)  # {category name: feature value}
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    availability = models.TextField(_("availability"), blank=True)
    access_needs = models.JSONField(_("access needs"), default=list, blank=True)
    access_notes = models.TextField(_("other access needs"), blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    delete_after = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Registration data of {self.registrant_id}"


class Algorithm(models.TextChoices):
    """The engine's names (civic_algorithms.sortition.ALGORITHMS)."""

    LEXIMIN = "leximin", _("LEXIMIN: chances as equal as the quotas allow")
    MAXIMIN = "maximin", _("MAXIMIN: the lowest chance as high as possible")
    LEGACY = "legacy", _("Legacy greedy method (for comparison)")


class SelectionStatus(models.TextChoices):
    COMMITTED = "committed", _("Seed committed, waiting to start")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Selecting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def seed_digest(seed: str) -> str:
    """The published commitment to a seed: sha256 of its text, in hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


class Selection(models.Model):
    """One draw of the panel (or of replacements), with its committed seed and its result.

    ``seed_hash`` is published when the seed is committed; ``seed`` stays private until the draw
    sets ``revealed_at``, and can never change once the hash exists (decision 0047).
    """

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="selections")
    # Set for a draw of replacements: the selection whose dropouts it replaces (decision 0048).
    replaces = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replacements"
    )
    algorithm = models.CharField(max_length=8, choices=Algorithm.choices, default=Algorithm.LEXIMIN)
    seed = models.CharField(max_length=20)
    seed_hash = models.CharField(max_length=64)
    # sha256 of the pool and quotas the seed was committed for (pool.problem_digest): the draw
    # refuses a pool or quotas changed after the commitment (decision 0047).
    pool_hash = models.CharField(max_length=64)
    committed_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=9, choices=SelectionStatus.choices, default=SelectionStatus.COMMITTED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=120, blank=True)
    version = models.CharField(max_length=32, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    probabilities = models.JSONField(default=dict, blank=True)  # {registrant pk: probability}
    members = models.JSONField(
        default=list, blank=True
    )  # registrant pks drawn, in the engine's order
    statistics = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-committed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SelectionStatus.values), name="selection_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(algorithm__in=Algorithm.values), name="selection_algorithm_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Selection {self.pk} ({self.status})"

    @property
    def seed_matches(self) -> bool:
        """The stored seed is the one committed to."""
        return bool(self.seed_hash) and seed_digest(self.seed) == self.seed_hash

    @property
    def public_seed(self) -> str | None:
        """The seed once revealed by the draw; None before."""
        return self.seed if self.revealed_at is not None else None


# --- Deliberation: members, sessions, questions, recommendations and the members' vote --------

RECOMMENDATION = "panel_recommendation"  # the contribution kind of a published recommendation
QUESTION = "panel_question"  # the contribution kind of a members' question to the service
# Days the organisation has to answer a published recommendation before it is overdue (0066).
ANSWER_DAYS = 56


class PanelMember(models.Model):
    """A selected person with an account, who may use the panel's workspace and vote."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships"
    )
    # The registrant they were selected as, when the coordinator linked one.
    registrant = models.OneToOneField(
        Registrant, on_delete=models.SET_NULL, null=True, blank=True, related_name="member"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="one_panel_member_per_user")
        ]

    def __str__(self) -> str:
        return f"Member {self.pk} of panel {self.panel_id}"


class Session(models.Model):
    """One meeting of the panel: when, where, the agenda, the speakers and the evidence."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("link to join online"), blank=True)
    agenda = models.TextField(_("agenda"), max_length=10_000, blank=True)
    speakers = models.TextField(_("speakers"), max_length=5_000, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="session_place_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidencePaper(models.Model):
    """A paper the members read for a session: a link and what it is (no uploads, decision 0064)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    description = models.TextField(_("what it is"), max_length=2_000, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class PanelQuestion(models.Model):
    """A member's question to the service: a contribution, answered in public by staff."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="panel_question"
    )
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("your question"), max_length=2_000)

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self) -> str:
        url = reverse("panels:recommendations", args=[self.panel_id])
        return f"{url}#question-{self.pk}"


class VotingRound(models.Model):
    """The members' vote on the recommendations drafted so far, from opening to closing."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="voting_rounds")
    threshold = models.PositiveSmallIntegerField()  # the panel's threshold when it opened
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel"],
                condition=Q(closed_at__isnull=True),
                name="one_open_voting_round_per_panel",
            )
        ]

    def __str__(self) -> str:
        return f"Vote of panel {self.panel_id} opened {self.opened_at:%Y-%m-%d}"


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VOTING = "voting", _("Members are voting")
    PUBLISHED = "published", _("Published")
    NOT_PASSED = "not_passed", _("Not enough support")
    # In a vote still open when its panel closed, before decision 0124 stopped that: the vote was
    # closed without being counted (migration 0006, decision 0131). Nothing else sets it.
    UNCOUNTED = "uncounted", _("Not counted")


class AnswerStatus(models.TextChoices):
    """The organisation's answer to a published recommendation (its spine workflow)."""

    WAITING = "waiting", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_IN_PART = "accepted_in_part", _("Accepted in part")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Recommendation(models.Model):
    """What the members recommend. Drafted and voted on inside the panel; once passed it is
    published as a contribution the organisation must answer (decision 0064)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="recommendations")
    # Set when the vote passes it: the spine's row, which carries its answers and status.
    contribution = models.OneToOneField(
        Contribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_recommendation",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the recommendation"), max_length=10_000)
    status = models.CharField(
        max_length=10, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT
    )
    # Never shown: a recommendation is the panel's, not one member's.
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    voting_round = models.ForeignKey(
        VotingRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    # The result, set when the vote closes: totals only (decision 0065).
    support_count = models.PositiveSmallIntegerField(null=True, blank=True)
    against_count = models.PositiveSmallIntegerField(null=True, blank=True)
    members_count = models.PositiveSmallIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateField(null=True, blank=True)  # published day + ANSWER_DAYS

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="recommendation_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=RecommendationStatus.PUBLISHED)
                | Q(contribution__isnull=False, answer_due__isnull=False),
                name="published_recommendation_on_the_spine",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("panels:recommendation_detail", args=[self.pk])

    @property
    def answer_overdue(self) -> bool:
        """Published, unanswered and past the day its answer was due (decision 0066)."""
        return (
            self.status == RecommendationStatus.PUBLISHED
            and self.contribution is not None
            and self.contribution.first_response_at is None
            and self.answer_due is not None
            and self.answer_due < timezone.localdate()
        )

    @property
    def votes_cast(self) -> int | None:
        if self.support_count is None or self.against_count is None:
            return None
        return self.support_count + self.against_count

    @property
    def support_percent(self) -> int | None:
        """Support as a whole per cent of the votes cast, rounded down (None before the result)."""
        cast = self.votes_cast
        if not cast or self.support_count is None:
            return None
        return self.support_count * 100 // cast


class RecommendationVote(models.Model):
    """A member's vote while the vote is open; deleted when it closes, leaving only the totals
    (decision 0065). Never shown to anyone but the member who cast it."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="votes")
    supports = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "member"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"Vote {self.pk}"
