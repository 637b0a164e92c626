"""Equality answers, kept apart from accounts and encrypted, and the population they are compared
with (decisions 0091 and 0092).

An answer is never shown with a name: not on a page, not in the API, not in the admin (neither
model is registered there). People see their own answers; everyone else, staff and administrators
included, sees only totals with small numbers hidden (``queries.representation``).
"""

from __future__ import annotations

import json
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.models import Contribution
from coproduce.organisations.models import Organisation
from coproduce.services.models import Service

# Raised when the consent wording changes in a way people must agree to again.
CONSENT_VERSION = 1


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    """The keys of settings.EQUALITY_KEYS: the first encrypts, every one decrypts."""
    return _fernet(tuple(settings.EQUALITY_KEYS))


AREA_CODE_LENGTH = 20  # an ONS code has 9 characters; room for local ones


class Answers(models.Model):
    """Equality answers given with explicit consent (UK GDPR article 9): ``answers`` holds the
    Fernet token of a JSON object {category code: answer code}; a question left out is absent."""

    answers = models.TextField(editable=False)
    consent_version = models.PositiveSmallIntegerField(default=CONSENT_VERSION)
    consented_at = models.DateTimeField()

    class Meta:
        abstract = True

    def decrypted(self) -> dict[str, str]:
        """The answers, {category code: answer code}."""
        value = json.loads(cipher().decrypt(self.answers.encode()))
        return {str(key): str(answer) for key, answer in value.items()}

    def encrypt(self, answers: dict[str, str]) -> None:
        """Store these answers, encrypted with the first key."""
        text = json.dumps(answers, sort_keys=True, separators=(",", ":")).encode()
        self.answers = cipher().encrypt(text).decode()


class EqualityRecord(Answers):
    """One person's answers, given with their explicit consent.

    Deleted with the account, and when the person withdraws their consent.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Equality record {self.pk}"  # never the person's name


class SurveyEqualityRecord(Answers):
    """The answers given at the end of an anonymous survey answer, with explicit consent
    (decision 0110).

    Tied to that answer, not to a person: no account, no email address. They count once the
    answer is confirmed, and go with it: an answer never confirmed is deleted by the retention
    task, and its equality answers with it. Nobody can find them again to change or withdraw them,
    which the consent wording says before anyone agrees.
    """

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="+", editable=False
    )

    def __str__(self) -> str:
        return f"Survey equality record {self.pk}"


class PopulationArea(models.Model):
    """An area whose population participation is compared with, kept by an organisation: a
    council's wards, a trust's catchment (figures usually from the 2021 Census)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="population_areas"
    )
    code = models.CharField(
        _("area code"),
        max_length=AREA_CODE_LENGTH,
        help_text=_("The ONS code, for example E08000025."),
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source of the figures"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="population_area_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PopulationCount(models.Model):
    """How many people of the area are in one answer of one category."""

    area = models.ForeignKey(PopulationArea, on_delete=models.CASCADE, related_name="counts")
    category = models.CharField(max_length=30)
    value = models.CharField(max_length=30)
    count = models.PositiveIntegerField(validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["category", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "category", "value"], name="population_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.category}={self.value}: {self.count}"


class ServicePopulation(models.Model):
    """The area a service's participation is compared with."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="population"
    )
    area = models.ForeignKey(PopulationArea, on_delete=models.PROTECT, related_name="services")

    def __str__(self) -> str:
        return f"{self.service} → {self.area}"
