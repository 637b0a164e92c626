"""Boards that govern a service, their members and meetings: agendas, registrations for public
seats, attendance, minutes, the decisions taken and the action log (docs/governance.md).

A meeting runs as a ``services.Activity`` of kind "meeting", so that a public question asked before
it is a contribution of the answer spine, answered in the minutes (decision 0029).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.models import Contribution, Decision
from coproduce.services.models import Activity, Service

QUESTION = "meeting_question"  # the contribution kind of a public question to a meeting


class BoardKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("Partnership board")
    USERS_COMMITTEE = "users_committee", _("Service users' committee")
    OVERSIGHT = "oversight", _("Oversight group")
    OTHER = "other", _("Other board")


class Board(models.Model):
    """A body that governs a service, with members and meetings."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of board"), max_length=20, choices=BoardKind.choices)
    remit = models.TextField(_("what the board does"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BoardKind.values), name="board_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:board_detail", args=[self.pk])


class HowChosen(models.TextChoices):
    PANEL = "panel", _("Chosen by a citizens' panel")
    ELECTION = "election", _("Elected by people who use the service")
    APPOINTED = "appointed", _("Appointed")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def on(self, day: dt.date) -> MembershipQuerySet:
        """Those whose term covers the day."""
        return self.filter(term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )

    def current(self) -> MembershipQuerySet:
        return self.on(timezone.localdate())


class Membership(models.Model):
    """A seat on a board: who holds it, in what role, how they were chosen and for how long."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    name = models.CharField(_("name"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=80, help_text=_("For example, chair or member."))
    resident = models.BooleanField(_("resident member"), default=False)
    chosen = models.CharField(_("how chosen"), max_length=10, choices=HowChosen.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    interests = models.TextField(
        _("declared interests"),
        blank=True,
        help_text=_("Shown in the public register of interests. Write “None” if there are none."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-resident", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chosen__in=HowChosen.values), name="membership_chosen_valid"
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="membership_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def public(self) -> MeetingQuerySet:
        return self.filter(is_public=True)

    def minutes_overdue(self) -> MeetingQuerySet:
        return self.filter(
            minutes_published_at__isnull=True, minutes_due_on__lt=timezone.localdate()
        )


class Meeting(models.Model):
    """One meeting of a board, public or private."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    # Its place in the service's lifecycle: public questions are contributions to this activity.
    activity = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="meeting")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    format = models.CharField(_("format"), max_length=10, choices=MeetingFormat.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link to join online"), blank=True)
    is_public = models.BooleanField(_("open to the public"), default=True)
    public_seats = models.PositiveSmallIntegerField(_("seats for the public"), default=0)
    minutes_due_on = models.DateField(_("minutes published by"))
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(format__in=MeetingFormat.values), name="meeting_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def minutes_overdue(self) -> bool:
        return self.minutes_published_at is None and self.minutes_due_on < timezone.localdate()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="one_agenda_position")
        ]

    def __str__(self) -> str:
        return self.title


class PaperKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word document")
    ODT = "odt", _("OpenDocument text")


class Paper(models.Model):
    """A paper for an agenda item: PDF, DOCX or ODT, at most 10 MB (common.documents)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title of the paper"), max_length=200)
    file = models.FileField(upload_to="governance/papers/%Y/%m/", max_length=300)
    kind = models.CharField(max_length=4, choices=PaperKind.choices)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PaperKind.values), name="paper_kind_valid")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:paper_download", args=[self.pk])


class Registration(models.Model):
    """A resident's public seat at a meeting, with what they need to take part."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_registrations"
    )
    access_needs = models.TextField(
        _("access needs"),
        blank=True,
        help_text=_(
            "For example, a hearing loop, step-free access or a British Sign Language "
            "interpreter. Only the board's clerk sees this."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.meeting_id}"


class Question(models.Model):
    """A public question asked before a meeting: a contribution, answered in the minutes."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="meeting_question"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("your question"))

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self) -> str:
        return f"{reverse('governance:meeting_detail', args=[self.meeting_id])}#question-{self.pk}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Sent apologies")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["membership__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="one_attendance"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.status}"


class MeetingDecision(models.Model):
    """A decision of the answer spine, taken at this meeting."""

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, primary_key=True, related_name="meeting_record"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")

    class Meta:
        ordering = ["decision__decided_on", "decision_id"]

    def __str__(self) -> str:
        return f"decision {self.decision_id} at meeting {self.meeting_id}"


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstained")


class Vote(models.Model):
    """How one member voted on a decision, where the board records votes."""

    meeting_decision = models.ForeignKey(
        MeetingDecision, on_delete=models.CASCADE, related_name="votes"
    )
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)

    class Meta:
        ordering = ["membership__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting_decision", "membership"], name="one_vote"),
            models.CheckConstraint(
                condition=Q(choice__in=VoteChoice.values), name="vote_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.choice}"


class Action(models.Model):
    """An item of the meeting's action log."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what will be done"), max_length=300)
    owner = models.CharField(_("who will do it"), max_length=120)
    due_on = models.DateField(_("by when"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description
