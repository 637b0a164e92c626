"""Citizen panels: the panel and its quotas, invitations, registrants (with their special-category
registration data kept apart) and selections with a committed seed (docs/panels.md).

A panel runs as a ``services.Activity`` of kind "citizen_panel"; its key is the activity's, so
``manage.py panel_select ACTIVITY_ID`` and later pages name it by one number (decision 0045).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    never exported or published, deleted on ``delete_after`` (decision 0046)."""

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
