"""Participatory budgets: the budget and its areas, proposals (projects), ballots, voting codes,
paper ballots typed twice, counts and the delivery of funded projects (docs/budgeting-guide.md).

A budget runs as a ``services.Activity`` of kind "participatory_budget"; each proposal is a
contribution of the answer spine (kind ``budget_proposal``), so its feasibility answer shows in
"You said, we did" (decision 0030). Money is in whole units of the budget's currency.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.models import Contribution, Visibility
from coproduce.services.models import PUBLIC_ACTIVITY_STATES, Activity, Service

PROPOSAL = "budget_proposal"  # the contribution kind of a proposal


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Choose projects (between a minimum and a maximum number)")
    KNAPSACK = "knapsack", _("Choose projects up to the budget")
    CUMULATIVE = "cumulative", _("Share out points")
    RANKING = "ranking", _("Rank your favourite projects")


class Rule(models.TextChoices):
    """The counting rules a budget can use. The engine names are in budgeting.counting."""

    MES = "mes", _("Method of Equal Shares (with Add1 and greedy completion)")
    GREEDY = "greedy", _("Most votes first (greedy)")
    GREEDY_THRESHOLD = "greedy-threshold", _("Most votes first, with a minimum number of votes")
    GREEDY_NO_SKIP = (
        "greedy-no-skip",
        _("Most votes first, stopping at the first that does not fit"),
    )
    EQUALSHARES_ADD1 = "equalshares/add1", _("Equal Shares as published (Add1)")
    EQUALSHARES_ADD1_COMPARISON = (
        "equalshares/add1-comparison",
        _("Equal Shares as published (Add1), kept only if voters prefer it to greedy"),
    )


class Phase(models.TextChoices):
    PROPOSALS = "proposals", _("Proposals")
    REVIEW = "review", _("Feasibility review")
    VOTING = "voting", _("Voting")
    COUNTING = "counting", _("Counting")
    RESULTS = "results", _("Results")
    DELIVERY = "delivery", _("Delivery")


PHASE_ORDER = list(Phase.values)


class Budget(models.Model):
    """The money a participatory-budget activity shares out, how people vote and how it counts."""

    # The budget's key is its activity's, so that /budgets/<activity id>/… and the commands that
    # take an ACTIVITY_ID name the same thing (issue 10).
    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, primary_key=True, related_name="budget"
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    ballot_type = models.CharField(
        _("kind of ballot"), max_length=12, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    # Approval: at least min_choices and at most max_choices projects. Ranking: rank up to
    # max_choices projects (the "top k"). Cumulative: share out `points` points.
    min_choices = models.PositiveSmallIntegerField(
        _("fewest projects a voter must choose"), default=1
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most projects a voter may choose or rank"), null=True, blank=True
    )
    points = models.PositiveSmallIntegerField(_("points each voter shares out"), default=10)
    rule = models.CharField(
        _("counting rule"), max_length=32, choices=Rule.choices, default=Rule.MES
    )
    threshold = models.PositiveIntegerField(
        _("minimum votes to be funded"),
        null=True,
        blank=True,
        help_text=_("Only for “Most votes first, with a minimum number of votes”."),
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.PROPOSALS
    )
    proposals_close_on = models.DateField(_("proposals close on"), null=True, blank=True)
    voting_opens_on = models.DateField(_("voting opens on"), null=True, blank=True)
    voting_closes_on = models.DateField(_("voting closes on"), null=True, blank=True)
    results_on = models.DateField(_("results published on"), null=True, blank=True)
    # Who may vote: signed-in people (whose postcode starts with one of the prefixes, when there
    # are any), holders of a voting code, or both; everyone declares the minimum age if one is set.
    accounts_may_vote = models.BooleanField(_("people with an account may vote"), default=True)
    codes_may_vote = models.BooleanField(_("people with a voting code may vote"), default=False)
    postcode_prefixes = models.CharField(
        _("postcode areas"),
        max_length=200,
        blank=True,
        help_text=_("Postcode districts or sectors separated by spaces, for example “NF1 NF2 3”."),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    # From a .pb file (pb_import): the budget was counted elsewhere and its ballots imported.
    imported = models.BooleanField(default=False)
    imported_meta = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ballot_type__in=BallotType.values), name="budget_ballot_type_valid"
            ),
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="budget_rule_valid"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="budget_phase_valid"),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=F("min_choices")),
                name="budget_choices_range",
            ),
        ]

    def __str__(self) -> str:
        return self.activity.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:budget_detail", args=[self.pk])

    @property
    def total(self) -> int:
        return sum(area.amount for area in self.areas.all())

    def prefixes(self) -> list[str]:
        return [p.upper() for p in self.postcode_prefixes.split() if p]


class Area(models.Model):
    """Part of a budget with its own money: a district, or the whole place."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=120)
    name_cy = models.CharField(_("name in Welsh"), max_length=120, blank=True)
    amount = models.PositiveBigIntegerField(_("amount"))

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "name"], name="one_budget_area_name")
        ]

    def __str__(self) -> str:
        return self.name


class Feasibility(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    FEASIBLE = "feasible", _("Feasible")
    COST_CHANGED = "cost_changed", _("Feasible at a different cost")
    MERGED = "merged", _("Merged with another proposal")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


ON_BALLOT = (Feasibility.FEASIBLE, Feasibility.COST_CHANGED)


class DeliveryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def on_ballot(self) -> ProposalQuerySet:
        """Proposals found feasible whose contribution is published: what people vote on."""
        return self.filter(
            feasibility__in=ON_BALLOT, contribution__visibility=Visibility.PUBLISHED
        ).order_by("area__name", "reference", "pk")


class Proposal(models.Model):
    """A project someone proposed for the budget; on the ballot once found feasible."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="budget_proposal"
    )
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="proposals")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="proposals")
    # The project's id in exports and on paper ballots ("P12"), or the .pb file's project_id.
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost"))
    # Set by the feasibility review: what it will cost (the estimate, or a changed one).
    cost = models.PositiveBigIntegerField(_("cost after review"), null=True, blank=True)
    feasibility = models.CharField(
        max_length=12, choices=Feasibility.choices, default=Feasibility.PENDING
    )
    feasibility_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    image = models.FileField(upload_to="budgeting/proposals/%Y/%m/", blank=True, max_length=300)
    image_alt = models.CharField(_("description of the picture"), max_length=200, blank=True)
    # An idea brought forward from an idea challenge: its contribution, kept for its history.
    from_contribution = models.ForeignKey(
        Contribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brought_forward_as",
    )
    delivery_status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, blank=True, default=""
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "reference"], name="one_budget_proposal_reference"
            ),
            models.CheckConstraint(
                condition=Q(feasibility__in=Feasibility.values), name="proposal_feasibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(delivery_status="") | Q(delivery_status__in=DeliveryStatus.values),
                name="proposal_delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90)
                    & Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="proposal_location_valid",
            ),
        ]
        indexes = [models.Index(fields=["budget", "feasibility"], name="proposal_by_feasibility")]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:proposal_detail", args=[self.pk])

    @property
    def ballot_cost(self) -> int:
        """What the count uses: the reviewed cost, else the estimate."""
        return self.cost if self.cost is not None else self.estimated_cost


class DeliveryUpdate(models.Model):
    """A funded project moved on: planned, in progress, delivered; with a note and a photo."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    note = models.TextField(_("what happened"), blank=True)
    on = models.DateField(_("date"))
    photo = models.FileField(upload_to="budgeting/delivery/%Y/%m/", blank=True, max_length=300)
    photo_alt = models.CharField(_("description of the photo"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_update_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.on})"


class VotingCode(models.Model):
    """A one-time code printed on a letter or handed out at an event; stored as a keyed hash."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    batch = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return f"Voting code {self.pk} (batch {self.batch})"


class BallotSource(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper, typed twice")
    IMPORTED = "imported", _("Imported from a Pabulib file")


class Ballot(models.Model):
    """One person's vote in one budget: at most one per account, code and paper ballot."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_ballots",
    )
    code = models.OneToOneField(
        VotingCode, on_delete=models.PROTECT, null=True, blank=True, related_name="ballot"
    )
    paper_reference = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=8, choices=BallotSource.choices)
    # The anonymised voter id published with the ballots: a hash of the receipt code the voter
    # was given; a new receipt each time the ballot changes.
    public_id = models.CharField(max_length=40, unique=True)
    postcode_district = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "voter"],
                condition=Q(voter__isnull=False),
                name="one_ballot_per_voter",
            ),
            models.UniqueConstraint(
                fields=["budget", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="one_ballot_per_paper",
            ),
            models.CheckConstraint(
                condition=Q(source__in=BallotSource.values), name="ballot_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Ballot {self.public_id}"


class BallotChoice(models.Model):
    """A project on a ballot, with its points (cumulative) or rank (1 = first; ranking)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="choices")
    value = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["ballot", "value", "proposal"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="one_choice_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.value}"


class PaperEntry(models.Model):
    """One typing of a paper ballot; two matching typings by different staff make a ballot."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="paper_entries")
    paper_reference = models.CharField(_("number on the paper ballot"), max_length=40)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    # {proposal pk as text: value}
    choices = models.JSONField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paper_reference", "entered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "paper_reference", "entered_by"], name="one_typing_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Paper ballot {self.paper_reference}"


class CountStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Counting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Count(models.Model):
    """One run of the counting rule over a budget's ballots, with everything needed to re-run it."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="counts")
    status = models.CharField(max_length=8, choices=CountStatus.choices, default=CountStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=64, blank=True)
    version = models.CharField(max_length=32, blank=True)
    parameters = models.JSONField(default=dict)
    ballot_count = models.PositiveIntegerField(default=0)
    # budgeting.counting.CountResult.as_json(): per area, the funded projects and the facts shown.
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CountStatus.values), name="count_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Count {self.pk} ({self.status})"


def funded_projects(service: Service) -> QuerySet[Proposal]:
    """The service's funded projects in delivery, from budgets whose activity is public."""
    return (
        Proposal.objects.filter(
            budget__activity__service_stage__service=service,
            budget__activity__state__in=PUBLIC_ACTIVITY_STATES,
            budget__phase=Phase.DELIVERY,
            contribution__visibility=Visibility.PUBLISHED,
        )
        .exclude(delivery_status="")
        .select_related("budget__activity")
        .order_by("delivery_status", "title", "pk")
    )
