"""Opinion maps: Polis-style conversations where people agree, disagree or pass on short
statements, and the map of opinion groups computed from their votes (docs/opinion-maps.md).

A conversation runs as a ``services.Activity`` of kind "opinion_map"; each statement is a
contribution of the answer spine (kind ``opinion_statement``) whose visibility is its moderation
state. Votes use the Polis export convention: 1 agree, -1 disagree, 0 pass.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.kinds import OPINION_STATEMENT
from coproduce.contributions.models import Contribution, Visibility
from coproduce.services.models import Activity

STATEMENT = OPINION_STATEMENT  # the contribution kind of a statement


class Audience(models.TextChoices):
    """Who may take part in a conversation."""

    ANYONE = "anyone", _("Anyone with a web browser")
    SIGNED_IN = "signed_in", _("People who are signed in")
    RESIDENTS = "residents", _("Verified residents of the area (with a code posted to them)")


class Moderation(models.TextChoices):
    PRE = "pre", _("Check new statements before they appear")
    POST = "post", _("Show new statements at once and check them afterwards")


class Conversation(models.Model):
    """The settings of an opinion-map activity: who takes part, statements, moderation, seed."""

    # The key is the activity's, so /conversations/<activity id>/… and ``conversation_map
    # ACTIVITY_ID`` name the same thing (as budgeting.Budget does).
    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, primary_key=True, related_name="conversation"
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the conversation is about, for residents.")
    )
    audience = models.CharField(
        _("who may take part"), max_length=10, choices=Audience.choices, default=Audience.ANYONE
    )
    postcode_prefixes = models.CharField(
        _("postcode areas"),
        max_length=200,
        blank=True,
        help_text=_("Postcode districts or sectors separated by spaces, for example “NF1 NF2 3”."),
    )
    participants_may_add = models.BooleanField(_("participants may add statements"), default=True)
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.PRE
    )
    seed = models.PositiveIntegerField(
        _("random seed of the map"), default=0, help_text=_("Recorded with every map.")
    )
    # Raised when votes are taken away or moved between participants (a visitor claiming their
    # votes on signing in): a map engine held in memory is then stale and is loaded again.
    data_version = models.PositiveIntegerField(default=0)
    # From a Polis export (conversation_import): where it came from and its summary.csv.
    imported_meta = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="conversation_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(moderation__in=Moderation.values), name="conversation_moderation_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.activity.title

    def prefixes(self) -> list[str]:
        return [p.upper() for p in self.postcode_prefixes.split() if p]


def new_participant_key() -> str:
    """The random key of a participant: the value of a visitor's signed cookie."""
    return secrets.token_urlsafe(24)


class Participant(models.Model):
    """One person in one conversation: a signed-in user, or a visitor known by a cookie key."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinion_participations",
    )
    key = models.CharField(max_length=40, unique=True, default=new_participant_key, editable=False)
    # The participant id of an imported Polis export (pid / voter-id).
    external_id = models.BigIntegerField(null=True, blank=True)
    # The postcode district a resident gave (residents-only conversations), for the report.
    postcode_area = models.CharField(max_length=8, blank=True)
    # When a resident's code was accepted (residents-only conversations: needed to take part).
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="participant_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=Q(external_id__isnull=False),
                name="participant_external_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["conversation", "created_at"], name="participant_new")]

    def __str__(self) -> str:
        return f"Participant {self.public_id}"

    @property
    def public_id(self) -> int:
        """The id shown in exports and maps: the Polis id for imported participants."""
        return self.external_id if self.external_id is not None else self.pk


class ResidentCodeQuerySet(models.QuerySet["ResidentCode"]):
    def used(self) -> ResidentCodeQuerySet:
        return self.filter(used_at__isnull=False)


class ResidentCode(models.Model):
    """A one-time code posted to a household or handed out at an event: it lets one signed-in
    person take part in a residents-only conversation. Stored as a keyed hash (decision 0112)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="resident_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    batch = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # A code verifies one participant, once: ``used_at`` stays set (the code stays used) even
    # if its participant is removed later.
    used_by = models.OneToOneField(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_code",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ResidentCodeQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_by__isnull=True) | Q(used_at__isnull=False),
                name="resident_code_used_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Resident code {self.pk} (batch {self.batch})"


class StatementQuerySet(models.QuerySet["Statement"]):
    def published(self) -> StatementQuerySet:
        return self.filter(contribution__visibility=Visibility.PUBLISHED)


class Statement(models.Model):
    """A short statement people vote on; its contribution holds its moderation state."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="opinion_statement"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    author = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        help_text=_("Empty for the seed statements written by staff."),
    )
    text = models.TextField(_("statement"))
    is_seed = models.BooleanField(default=False)
    # Meta statements are about the conversation itself ("this is a good question"): shown and
    # voted on, but left out of the map.
    is_meta = models.BooleanField(_("about the conversation itself"), default=False)
    rejected_reason = models.CharField(_("why it was rejected"), max_length=300, blank=True)
    # The comment id (tid) of an imported Polis export.
    external_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=Q(external_id__isnull=False),
                name="statement_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def display_title(self) -> str:
        """The statement names itself in lists: statements are short."""
        return Truncator(self.text).chars(100)

    def get_absolute_url(self) -> str:
        """The conversation's activity page (statements have no page of their own). That is the
        activity of the statement's contribution, which lists of contributions have read already."""
        if Statement.contribution.is_cached(self):
            activity = self.contribution.activity
        else:
            activity = self.conversation.activity
        return f"{activity.get_absolute_url()}#statement-{self.pk}"

    @property
    def public_id(self) -> int:
        """The id in exports: the Polis comment id for imported statements."""
        return self.external_id if self.external_id is not None else self.pk


class VoteValue(models.IntegerChoices):
    """The Polis export convention (and civic_algorithms.opinion's AGREE, DISAGREE, PASS)."""

    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """A participant's current vote on a statement (a changed vote updates the row)."""

    # Denormalised from the statement so that the map reads one conversation's votes, and those
    # changed since its last run, from one index with no join (decision 0041).
    # No index of their own on these two keys: the indexes below start with them.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    # Empty only for votes imported from a Polis participants-votes.csv, which has no times.
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_one_per_pair"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]
        indexes = [models.Index(fields=["conversation", "updated_at"], name="vote_changed")]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class MapStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Computing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MapRun(models.Model):
    """One computation of a conversation's map, with everything needed to re-run it.

    ``result`` (tasks.map_json): ``groups`` (label, size, centre, hull, members as participant
    pks), ``representative`` (per group label), ``consensus`` (agree and disagree), ``divisive``,
    ``priorities`` (statement pks, which to show next) and ``group_of`` (participant pk → label).
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="maps")
    status = models.CharField(max_length=8, choices=MapStatus.choices, default=MapStatus.QUEUED)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=64, blank=True)
    version = models.CharField(max_length=32, blank=True)
    parameters = models.JSONField(default=dict)
    seed = models.PositiveIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MapStatus.values), name="maprun_status_valid"
            ),
            # The debounce: at most one run waits per conversation.
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(status="queued"),
                name="maprun_one_queued",
            ),
        ]

    def __str__(self) -> str:
        return f"Map {self.pk} ({self.status})"
