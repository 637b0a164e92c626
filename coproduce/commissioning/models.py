"""Commissioning rounds for long-term outcomes (issue 11): the specification and what it answers,
the contract, the timetable, and the award criteria — price, quality and social value — whose
quality and social-value weights residents set by sharing out 100 points (decision 0074).

A round runs as a ``services.Activity`` of kind "commissioning_round"; its key is the activity's.
Each resident's weighting is a contribution of the answer spine, so it is answered and shows in
"You said, we did".
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.languages import check_english_beside
from coproduce.contributions.models import Contribution, Decision
from coproduce.outcomes.models import Indicator
from coproduce.services.models import Activity

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WEIGHTING = "criteria_weighting"  # the contribution kind of a resident's weighting
POINTS = 100  # what each resident shares out, and what the published weights add up to


class PriceMethod(models.TextChoices):
    """How a bid's price becomes a score (stated on the round's page)."""

    LOWEST_RATIO = "lowest_ratio", _("Lowest price ÷ this price × the price weight")


class Round(models.Model):
    """A commissioning round: what is bought, for how much and how long, when, and how bids are
    judged. Its timetable is published; the phases follow the dates."""

    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, primary_key=True, related_name="commissioning_round"
    )
    specification = models.TextField(_("what the service must do"), max_length=20_000)
    specification_cy = models.TextField(
        _("what the service must do, in Welsh"), max_length=20_000, blank=True
    )
    # What the specification answers: the design decisions and the outcomes framework's indicators.
    decisions = models.ManyToManyField(Decision, blank=True, related_name="commissioning_rounds")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="commissioning_rounds")
    contract_value = models.DecimalField(
        _("contract value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    contract_months = models.PositiveSmallIntegerField(
        _("contract length in months"), validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    weighting_closes_on = models.DateField(_("residents weigh the criteria until"))
    questions_close_on = models.DateField(_("bidders' questions close on"))
    bids_close_at = models.DateTimeField(_("bids close at"))
    evaluation_on = models.DateField(_("evaluation on"))
    award_on = models.DateField(_("award on"))
    standstill_days = models.PositiveSmallIntegerField(
        _("standstill period in working days"), default=8, validators=[MaxValueValidator(60)]
    )
    price_weight = models.PositiveSmallIntegerField(
        _("weight of price, in per cent of the award"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    price_method = models.CharField(
        max_length=20, choices=PriceMethod.choices, default=PriceMethod.LOWEST_RATIO
    )
    # The published weights of the quality and social-value criteria (Criterion.weight), set
    # when staff publish them; the reason when staff changed what residents' points gave.
    weights_published_at = models.DateTimeField(null=True, blank=True)
    weights_participants = models.PositiveIntegerField(null=True, blank=True)
    weights_method = models.CharField(max_length=200, blank=True)
    weights_reason = models.TextField(_("why the weights differ from residents'"), blank=True)
    weights_reason_cy = models.TextField(blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("specification", "weights_reason")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(price_weight__lte=100), name="round_price_weight_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(price_method__in=PriceMethod.values), name="round_price_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(questions_close_on__lte=F("evaluation_on"))
                & Q(evaluation_on__lte=F("award_on")),
                name="round_timetable_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.activity.title

    def get_absolute_url(self) -> str:
        return reverse("commissioning:round", args=[self.pk])

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def criteria_share(self) -> int:
        """The part of the award that the quality and social-value criteria share (100 − price)."""
        return POINTS - self.price_weight


class CriterionKind(models.TextChoices):
    QUALITY = "quality", _("Quality")
    SOCIAL_VALUE = "social_value", _("Social value")


class Criterion(models.Model):
    """A quality or social-value award criterion. Residents weigh these; price is set apart."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=12, choices=CriterionKind.choices)
    name = models.CharField(_("criterion"), max_length=200)
    name_cy = models.CharField(_("criterion in Welsh"), max_length=200, blank=True)
    description = models.TextField(_("what bidders must show"), max_length=2000, blank=True)
    description_cy = models.TextField(
        _("what bidders must show, in Welsh"), max_length=2000, blank=True
    )
    # The outcome indicators a social-value criterion serves (commitments are mapped to them).
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    # Published weight, in points of POINTS shared by the round's criteria (None until then).
    weight = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(POINTS)]
    )
    residents_weight = models.PositiveSmallIntegerField(null=True, blank=True)  # before changes

    translated_fields: ClassVar[tuple[str, ...]] = ("name", "description")

    class Meta:
        ordering = ["round", "kind", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CriterionKind.values), name="criterion_kind_valid"
            ),
            models.UniqueConstraint(fields=["round", "name"], name="one_criterion_per_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_english_beside(self)


class Weighting(models.Model):
    """One resident's 100 points shared across the round's criteria (one each, changeable until
    the weighting closes). The spine's contribution carries its answer."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.PROTECT, primary_key=True, related_name="weighting"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="weightings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_weighting_per_person")
        ]

    def __str__(self) -> str:
        return f"Weighting {self.pk} of {self.round}"

    def get_absolute_url(self) -> str:
        """Where a weighting and its answer lead: the round's published weights."""
        return reverse("commissioning:round", args=[self.round_id]) + "#weights"

    @property
    def display_title(self) -> str:
        return str(_("Weighting of the award criteria: %(round)s") % {"round": self.round})

    def summary(self) -> str:
        """The points in words, for exports: "Local staff 40; Waiting times 60"."""
        return "; ".join(f"{p.criterion.name} {p.points}" for p in self.points.all())


class WeightingPoints(models.Model):
    """The points one weighting gives one criterion."""

    weighting = models.ForeignKey(Weighting, on_delete=models.CASCADE, related_name="points")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="points")
    points = models.PositiveSmallIntegerField(validators=[MaxValueValidator(POINTS)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["weighting", "criterion"], name="one_points_per_criterion"
            ),
            models.CheckConstraint(condition=Q(points__lte=POINTS), name="points_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.points} for {self.criterion}"


# --- Bids, sealed until the deadline (decision 0077) --------------------------------------------

# The published scale every evaluator scores each criterion on (shown on the round's page).
SCORE_MAX = 5
SCORE_SCALE: tuple[tuple[int, StrOrPromise], ...] = (
    (0, _("No answer, or the answer is unacceptable")),
    (1, _("Poor: major gaps or risks")),
    (2, _("Weak: some gaps or risks")),
    (3, _("Satisfactory: meets the requirement")),
    (4, _("Good: meets it with some added value")),
    (5, _("Excellent: exceeds it with clear evidence")),
)


class BidStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet submitted")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Bid(models.Model):
    """An organisation's bid for a round: its price, a method statement per quality criterion,
    social-value commitments mapped to outcome indicators, and attachments.

    Its content is sealed until the round's bids close: only the bidding organisation's members
    read it before then (rules.can_open_bid); after it, every opening is logged (BidAccess)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="bids")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="bids"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=BidStatus.choices, default=BidStatus.DRAFT)
    price = models.DecimalField(
        _("price for the whole contract"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    summary = models.TextField(_("summary of the bid"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Written by staff at the award; read by the bidder alone.
    feedback = models.TextField(_("feedback to the bidder"), max_length=10_000, blank=True)

    class Meta:
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_bid_per_bidder"),
            models.CheckConstraint(
                condition=Q(status__in=BidStatus.values), name="bid_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(price__isnull=False) & Q(submitted_at__isnull=False)),
                name="submitted_bid_has_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:bid", args=[self.pk])


class MethodStatement(models.Model):
    """How the bidder will meet one quality criterion."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="method_statements")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("method statement"), max_length=20_000)

    class Meta:
        ordering = ["criterion__kind", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "criterion"], name="one_method_statement_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bid}: {self.criterion}"


class Commitment(models.Model):
    """A social-value commitment: a quantity of an outcome indicator the bidder promises
    ("12 local young people employed"), under one of the round's social-value criteria."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="commitments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="commitments")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    description = models.CharField(_("what you promise"), max_length=300)

    class Meta:
        ordering = ["criterion__position", "criterion_id", "id"]

    def __str__(self) -> str:
        return self.description


def _attachment_path(instance: Attachment, filename: str) -> str:
    """Never the uploaded name: a random one under the round's folder."""
    return f"bids/{instance.bid.round_id}/{uuid.uuid4().hex}"


def sealed_storage() -> Storage:
    """Where bids' files are kept: settings.STORAGES["sealed"], outside the public media."""
    return storages["sealed"]


class Attachment(models.Model):
    """A bid's file (PDF, ODT or DOCX, recognised from its content, at most 10 MB), kept in the
    sealed storage, which the web server never serves: only the bid's download view reads it."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, storage=sealed_storage, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=4)  # pdf, odt or docx (common.documents.sniff)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class AccessRoute(models.TextChoices):
    PAGE = "page", _("Web page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    ATTACHMENT = "attachment", _("Attachment download")
    EXPORT = "export", _("Export")


class BidAccess(models.Model):
    """Somebody other than the bidder opened a bid's content after the deadline."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="accesses")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=10, choices=AccessRoute.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} opened {self.bid} ({self.route})"


class Clarification(models.Model):
    """A bidder's question and the commissioner's answer, published to everyone once answered
    (the asker is never shown)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question = models.TextField(_("question"), max_length=4000)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=10_000, blank=True)
    answer_cy = models.TextField(_("answer in Welsh"), max_length=10_000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("answer",)

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return self.question[:60]


# --- Evaluation: declared interests, independent scores, moderation (decision 0078) -------------


class EvaluatorRole(models.TextChoices):
    STAFF = "staff", _("Staff")
    RESIDENT = "resident", _("Resident evaluator")


class Evaluator(models.Model):
    """A person chosen to score a round's bids: a member of staff, or a resident (for example
    from a citizen panel). Named, with their declarations, in the round's public register."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evaluators")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=EvaluatorRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_evaluator_per_person"),
            models.CheckConstraint(
                condition=Q(role__in=EvaluatorRole.values), name="evaluator_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} evaluates {self.round}"


class Declaration(models.Model):
    """An evaluator's declaration about one bidder: an interest or none. A declared interest is a
    conflict: the evaluator does not score that bid."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="declarations")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="declarations")
    conflict = models.BooleanField(_("I have an interest in this bidder"))
    details = models.TextField(_("the interest"), max_length=2000, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluator", "bid__organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "bid"], name="one_declaration_per_bid"),
            models.CheckConstraint(
                condition=Q(conflict=False) | ~Q(details=""), name="conflict_is_described"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator}: {self.bid} ({'conflict' if self.conflict else 'none'})"


class Score(models.Model):
    """One evaluator's independent score of one bid against one criterion, with a comment."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SCORE_MAX)])
    comment = models.TextField(_("comment"), max_length=4000)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bid", "criterion", "evaluator"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "bid", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(score__lte=SCORE_MAX), name="score_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.score} for {self.bid} on {self.criterion}"


class AgreedScore(models.Model):
    """The score the moderation meeting agreed for a bid on a criterion, with the reason where
    the evaluators' scores differed."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="agreed_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="agreed")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SCORE_MAX)])
    reason = models.TextField(_("reason"), max_length=4000, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bid", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_agreed_score"),
            models.CheckConstraint(condition=Q(score__lte=SCORE_MAX), name="agreed_score_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.score} agreed for {self.bid} on {self.criterion}"


# --- The award (decision 0079) -----------------------------------------------------------------


class Award(models.Model):
    """The award decision: the winning bid, the reasons, the standstill period. Published with
    the scores table; the contract's social-value commitments are then monitored against the
    outcome indicators they were mapped to."""

    round = models.OneToOneField(Round, on_delete=models.PROTECT, primary_key=True)
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("reasons for the decision"), max_length=10_000)
    reasons_cy = models.TextField(_("reasons in Welsh"), max_length=10_000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    standstill_ends_on = models.DateField()
    contract_starts_on = models.DateField(_("contract starts on"), null=True, blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("reasons",)

    def __str__(self) -> str:
        return f"Award of {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:award", args=[self.round_id])

    def clean(self) -> None:
        check_english_beside(self)
