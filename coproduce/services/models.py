"""Services, their five-stage lifecycle in repeated cycles, and the activities in each stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.dates import DateRange
from coproduce.common.languages import check_english_beside
from coproduce.common.models import TimeStampedModel

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from coproduce.accounts.types import Visitor
from coproduce.organisations.models import Organisation, Role


class Stage(models.TextChoices):
    """The five stages of a service's life, in order."""

    COMMISSIONING = "commissioning", _("Commissioning")
    DESIGN = "design", _("Design")
    DELIVERY = "delivery", _("Delivery")
    IMPLEMENTATION = "implementation", _("Implementation and governance")
    ASSESSMENT = "assessment", _("Assessment and improvement")


STAGE_ORDER: list[str] = list(Stage.values)

STAGE_DESCRIPTIONS: dict[str, StrPromise] = {
    Stage.COMMISSIONING: _("Deciding what the service should achieve and who should provide it."),
    Stage.DESIGN: _("Shaping how the service will work, with the people who will use it."),
    Stage.DELIVERY: _("Running the service, day to day."),
    Stage.IMPLEMENTATION: _("Overseeing the service and holding it to account."),
    Stage.ASSESSMENT: _("Checking how well the service works and agreeing what to improve."),
}


class InvolvementLevel(models.TextChoices):
    """The IAP2 spectrum of public participation, from least to most power."""

    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")


LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(InvolvementLevel.values, 1)}

# Each level in a few plain words, shown beside its name ("Empower: you decide").
LEVEL_PLAIN: dict[str, StrPromise] = {
    InvolvementLevel.INFORM: _("we tell you"),
    InvolvementLevel.CONSULT: _("we ask you"),
    InvolvementLevel.INVOLVE: _("we work with your ideas"),
    InvolvementLevel.COLLABORATE: _("we decide with you"),
    InvolvementLevel.EMPOWER: _("you decide"),
}

PROMISES: dict[str, StrPromise] = {
    InvolvementLevel.INFORM: _("We will keep you informed."),
    InvolvementLevel.CONSULT: _(
        "We will listen to you, take account of what you say, and tell you how it shaped the decision."
    ),
    InvolvementLevel.INVOLVE: _(
        "We will work with you so that your concerns and hopes shape the options, "
        "and tell you how you influenced the decision."
    ),
    InvolvementLevel.COLLABORATE: _(
        "We will work with you to find solutions and put your advice into the decisions "
        "as far as we can."
    ),
    InvolvementLevel.EMPOWER: _("We will put in place what you decide."),
}


class PolicyArea(models.TextChoices):
    HEALTH = "health", _("Health")
    SOCIAL_CARE = "social_care", _("Social care")
    POLICING = "policing", _("Policing")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    ENVIRONMENT = "environment", _("Environment")
    TRANSPORT = "transport", _("Transport")
    OTHER = "other", _("Other")


class ServiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


STAFF_ROLES = [Role.ADMIN, Role.PROFESSIONAL]


class ServiceQuerySet(models.QuerySet["Service"]):
    def published(self) -> ServiceQuerySet:
        """Services anyone can see."""
        return self.filter(status=ServiceStatus.PUBLISHED)

    def visible_to(self, user: Visitor) -> ServiceQuerySet:
        """Published services, plus drafts of the organisations the person works for."""
        if user.is_superuser:
            return self.all()
        if not user.is_authenticated:
            return self.published()
        return self.filter(
            Q(status=ServiceStatus.PUBLISHED) | Q(organisation__memberships__user=user)
        ).distinct()

    def search(self, text: str = "", area: str = "", policy_area: str = "") -> ServiceQuerySet:
        """Filter by words in the name or summary, the area served and the policy area."""
        result = self
        for word in text.split()[:10]:
            result = result.filter(
                Q(name__icontains=word)
                | Q(summary__icontains=word)
                | Q(name_cy__icontains=word)
                | Q(summary_cy__icontains=word)
                | Q(organisation__name__icontains=word)
            )
        if area:
            result = result.filter(area_served__icontains=area.strip())
        if policy_area:
            result = result.filter(policy_area=policy_area)
        return result


class Service(TimeStampedModel):
    """A public service that residents help to commission, design, deliver, govern and assess."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_services", verbose_name=_("partners")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # The Welsh beside the English, blank until written (docs/decisions/0025).
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    summary_cy = models.CharField(_("summary in Welsh"), max_length=300, blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    policy_area = models.CharField(_("policy area"), max_length=20, choices=PolicyArea.choices)
    area_served = models.CharField(_("area served"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.DRAFT
    )
    current_stage = models.CharField(
        _("current stage"), max_length=20, choices=Stage.choices, default=Stage.COMMISSIONING
    )
    current_cycle = models.PositiveSmallIntegerField(_("current cycle"), default=1)

    objects = ServiceQuerySet.as_manager()

    translated_fields: ClassVar[tuple[str, ...]] = ("name", "summary", "description")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_stage__in=Stage.values), name="service_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ServiceStatus.values), name="service_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(current_cycle__gte=1), name="service_cycle_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def is_published(self) -> bool:
        return self.status == ServiceStatus.PUBLISHED


class ServiceStage(models.Model):
    """One stage of one cycle of a service: its planned involvement level and when it ran."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="stages")
    cycle = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    position = models.PositiveSmallIntegerField(editable=False)
    planned_level = models.CharField(
        _("planned involvement"), max_length=20, choices=InvolvementLevel.choices, blank=True
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(
        _("what happened in this stage"),
        blank=True,
        help_text=_("A short public summary, written when the stage ends."),
    )

    class Meta:
        ordering = ["service", "cycle", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "cycle", "stage"], name="one_stage_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(planned_level__in=[*InvolvementLevel.values, ""]),
                name="stage_planned_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__lte=models.F("ended_at")),
                name="stage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} – cycle {self.cycle} – {self.get_stage_display()}"

    @property
    def promise(self) -> str:
        """The plain-English promise matching the planned level, or an empty string."""
        return str(PROMISES[self.planned_level]) if self.planned_level else ""

    @property
    def description(self) -> str:
        return str(STAGE_DESCRIPTIONS[self.stage])


class ActivityKind(models.TextChoices):
    """Participation methods; each activity uses exactly one."""

    NEEDS_SURVEY = "needs_survey", _("Needs and assets survey")
    STORY_COLLECTION = "story_collection", _("Story collection")
    IDEA_CHALLENGE = "idea_challenge", _("Idea challenge")
    OPINION_MAP = "opinion_map", _("Opinion map")
    CITIZEN_PANEL = "citizen_panel", _("Citizen panel")
    PARTICIPATORY_BUDGET = "participatory_budget", _("Participatory budget")
    ASSESSMENT = "assessment", _("Service assessment")
    PEER_REVIEW = "peer_review", _("Peer review")
    MYSTERY_SHOP = "mystery_shop", _("Mystery shopping")
    SELF_REFLECTION = "self_reflection", _("Self-reflection")
    MEETING = "meeting", _("Public meeting")
    COMMISSIONING_ROUND = "commissioning_round", _("Commissioning round")


# The most public power each method can give when it runs: the rule behind the delivered level.
# See docs/decisions/0006-delivered-involvement-level.md.
KIND_LEVEL: dict[str, str] = {
    ActivityKind.MEETING: InvolvementLevel.INFORM,
    ActivityKind.NEEDS_SURVEY: InvolvementLevel.CONSULT,
    ActivityKind.STORY_COLLECTION: InvolvementLevel.CONSULT,
    ActivityKind.SELF_REFLECTION: InvolvementLevel.CONSULT,
    ActivityKind.IDEA_CHALLENGE: InvolvementLevel.INVOLVE,
    ActivityKind.OPINION_MAP: InvolvementLevel.INVOLVE,
    ActivityKind.MYSTERY_SHOP: InvolvementLevel.INVOLVE,
    ActivityKind.ASSESSMENT: InvolvementLevel.COLLABORATE,
    ActivityKind.PEER_REVIEW: InvolvementLevel.COLLABORATE,
    ActivityKind.CITIZEN_PANEL: InvolvementLevel.COLLABORATE,
    ActivityKind.COMMISSIONING_ROUND: InvolvementLevel.COLLABORATE,
    ActivityKind.PARTICIPATORY_BUDGET: InvolvementLevel.EMPOWER,
}


class ActivityState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REPORTED = "reported", _("Reported")


# Allowed moves between states: an activity can be re-opened after closing, never un-reported.
ACTIVITY_TRANSITIONS: dict[str, list[str]] = {
    ActivityState.DRAFT: [ActivityState.OPEN],
    ActivityState.OPEN: [ActivityState.CLOSED],
    ActivityState.CLOSED: [ActivityState.OPEN, ActivityState.REPORTED],
    ActivityState.REPORTED: [],
}

PUBLIC_ACTIVITY_STATES = [ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REPORTED]


# An activity's dates: from 2000 to ten years from today (docs/decisions/0019), named in messages.
ACTIVITY_DATES = DateRange(years_ahead=10)
ACTIVITY_DATE_NAMES = {"opens_on": _("the opening date"), "closes_on": _("the closing date")}


class ActivityQuerySet(models.QuerySet["Activity"]):
    def public(self) -> ActivityQuerySet:
        """Activities that have run or are running (not drafts) of published services."""
        return self.filter(
            state__in=PUBLIC_ACTIVITY_STATES,
            service_stage__service__status=ServiceStatus.PUBLISHED,
        )

    def ran(self) -> ActivityQuerySet:
        """Activities that have been opened at least once: they count towards the delivered level."""
        return self.filter(state__in=PUBLIC_ACTIVITY_STATES)

    def open_now(self) -> ActivityQuerySet:
        return self.filter(state=ActivityState.OPEN)


class Activity(TimeStampedModel):
    """One participation activity in one stage of a service, using one method."""

    service_stage = models.ForeignKey(
        ServiceStage, on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("method"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    how_to_take_part = models.TextField(
        _("how to take part"),
        blank=True,
        help_text=_("Where, when and how residents can join in. Plain English."),
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ActivityState.choices, default=ActivityState.DRAFT
    )
    premoderation = models.BooleanField(
        _("check contributions before they appear"),
        default=False,
        help_text=_("A facilitator approves every contribution before it is public."),
    )
    anonymous_answers = models.BooleanField(
        _("allow answers without an account"),
        default=False,
        help_text=_("Surveys only. People confirm their answer by email."),
    )
    outcome = models.TextField(
        _("what came of it"),
        blank=True,
        help_text=_("The public report: what people said and what was done with it."),
    )
    # The Welsh beside the English, blank until written (docs/decisions/0025).
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    summary_cy = models.CharField(_("summary in Welsh"), max_length=300, blank=True)
    how_to_take_part_cy = models.TextField(_("how to take part, in Welsh"), blank=True)
    outcome_cy = models.TextField(_("what came of it, in Welsh"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    translated_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "summary",
        "how_to_take_part",
        "outcome",
    )

    class Meta:
        ordering = ["service_stage__cycle", "service_stage__position", "opens_on", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ActivityState.values), name="activity_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="activity_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "services:activity_detail",
            kwargs={"slug": self.service_stage.service.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def service(self) -> Service:
        return self.service_stage.service

    @property
    def level(self) -> str:
        """The most public power this method gives (see KIND_LEVEL)."""
        return KIND_LEVEL[self.kind]

    @property
    def next_states(self) -> list[str]:
        return ACTIVITY_TRANSITIONS[self.state]
