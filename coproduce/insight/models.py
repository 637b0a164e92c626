"""Insight: needs and aspirations surveys, community assets and lived-experience stories.

Each answer, asset and story is a ``contributions.Contribution`` (so it can be moderated, answered and
linked to decisions) plus a row of its own kind here.
"""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.languages import check_english_beside, in_language
from coproduce.contributions.models import Contribution, Visibility
from coproduce.organisations.models import Organisation
from coproduce.services.models import Activity


class InsightKind(models.TextChoices):
    """The kinds of contribution insight activities take (registered with the spine)."""

    NEED = "need", _("Survey answer")
    ASSET = "asset", _("Community asset")
    STORY = "story", _("Story")


class Survey(models.Model):
    """The questions of one needs and assets survey activity."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="survey")
    introduction = models.TextField(_("introduction"), blank=True)

    def __str__(self) -> str:
        return f"Survey: {self.activity}"


class QuestionKind(models.TextChoices):
    FREE_TEXT = "free_text", _("Free text")
    SINGLE_CHOICE = "single_choice", _("Choose one")
    MULTIPLE_CHOICE = "multiple_choice", _("Choose any")
    SCALE = "scale", _("Scale from 1 to 5")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    kind = models.CharField(_("type of answer"), max_length=20, choices=QuestionKind.choices)
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_("For choice questions: the options, in order."),
    )
    scale_low_label = models.CharField(_("label for 1"), max_length=60, blank=True)
    scale_high_label = models.CharField(_("label for 5"), max_length=60, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    # The Welsh beside the English, blank until written (docs/decisions/0025). The Welsh options
    # are labels only, in the order of the English ones: answers store the English option.
    text_cy = models.CharField(_("question in Welsh"), max_length=300, blank=True)
    help_text_cy = models.CharField(_("hint in Welsh"), max_length=300, blank=True)
    options_cy = models.JSONField(_("options in Welsh"), default=list, blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("text", "help_text", "options")

    class Meta:
        ordering = ["survey", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def field_name(self) -> str:
        """The name of this question's field in the answer form (and in validation errors)."""
        return f"q{self.pk}"

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class SubmissionQuerySet(models.QuerySet["SurveySubmission"]):
    def counted(self) -> SubmissionQuerySet:
        """Submissions that count in the results: confirmed, and not hidden by a moderator."""
        return self.filter(confirmed_at__isnull=False).exclude(
            contribution__visibility=Visibility.HIDDEN
        )

    def published(self) -> SubmissionQuerySet:
        """Submissions whose free-text answers may be shown: confirmed and moderated."""
        return self.filter(
            confirmed_at__isnull=False, contribution__visibility=Visibility.PUBLISHED
        )


class SurveySubmission(models.Model):
    """One person's answers to a survey. Anonymous answers count once confirmed by email."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="submission"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="submissions")
    # The signed-in person who answered (the contribution's author, repeated here so that the
    # database itself enforces one submission per person per survey).
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmation_email = models.EmailField(
        blank=True, help_text=_("Erased once the answer is confirmed.")
    )
    confirmation_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="one_submission_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @staticmethod
    def hash_token(raw: str) -> str:
        """The stored form of a confirmation token: only its SHA-256 is kept."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def display_title(self) -> str:
        # Through the contribution: lists load it with its activity already (with_details).
        title = in_language(self.contribution.activity, "title").text
        return str(_("Answers to “%(title)s”") % {"title": title})

    def get_absolute_url(self) -> str:
        return reverse("insight:submission_detail", kwargs={"pk": self.pk})


class Answer(models.Model):
    submission = models.ForeignKey(
        SurveySubmission, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True, max_length=5000)
    choices = models.JSONField(default=list, blank=True)
    scale_value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=1, scale_value__lte=5),
                name="answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"


class AssetKind(models.TextChoices):
    PEOPLE = "people", _("People and skills")
    GROUP = "group", _("Groups and networks")
    PLACE = "place", _("Places and spaces")
    EQUIPMENT = "equipment", _("Equipment")
    MONEY_TIME = "money_time", _("Money and time")


class AssetQuerySet(models.QuerySet["Asset"]):
    def published(self) -> AssetQuerySet:
        return self.filter(contribution__visibility=Visibility.PUBLISHED)

    def for_service(self, service_id: int) -> AssetQuerySet:
        return self.filter(contribution__activity__service_stage__service_id=service_id)

    def search(self, text: str = "", kind: str = "", area: str = "") -> AssetQuerySet:
        """Filter by words in the name, description or place, by kind and by area."""
        result = self
        for word in text.split()[:10]:
            result = result.filter(
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(place_description__icontains=word)
                | Q(postcode__icontains=word)
            )
        if kind:
            result = result.filter(kind=kind)
        if area:
            result = result.filter(area=area)
        return result


class Asset(models.Model):
    """Something a community brings: skills, groups, places, equipment, money or time."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="asset"
    )
    kind = models.CharField(_("type of asset"), max_length=12, choices=AssetKind.choices)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), max_length=3000)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    place_description = models.CharField(_("where"), max_length=200, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("offered by organisation"),
    )

    objects = AssetQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssetKind.values), name="asset_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_title(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("insight:asset_detail", kwargs={"pk": self.pk})


class StoryQuerySet(models.QuerySet["Story"]):
    def published(self) -> StoryQuerySet:
        return self.filter(contribution__visibility=Visibility.PUBLISHED)


class Story(models.Model):
    """A lived-experience story, published only with consent and after moderation."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="story"
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("your story"), max_length=10_000)
    consent = models.BooleanField(_("I agree that this story can be published on this website"))

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="story_needs_consent")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("insight:story_detail", kwargs={"pk": self.pk})
