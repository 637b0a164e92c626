"""People who use the platform: residents and staff alike sign in with their email address."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from coproduce.common import prepared

# How an erased account is named wherever a name is shown.
FORMER_PARTICIPANT = _("A former participant")


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by a normalised email address."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """A resident account."""
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        """A platform administrator (Django admin and every organisation)."""
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone with an account. Roles in organisations come from memberships, not from here."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("can use the Django admin"),
        default=False,
        help_text=_("Platform operators only. Organisation staff use memberships instead."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person deleted their account: the row stays, with no name, email or password,
    # so that what they did stays counted and answered (privacy.erasure, decision 0094).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        if self.erased_at is not None:
            return str(FORMER_PARTICIPANT)
        return self.name or self.email

    def get_short_name(self) -> str:
        if self.erased_at is not None:
            return str(FORMER_PARTICIPANT)
        return self.name.split(" ")[0] if self.name else self.email

    @cached_property
    def staff_roles(self) -> dict[int, str]:
        """Organisation id → role, read once per request (by a prepared query: decision 0924)."""
        return dict(_roles_query().rows(self.pk))

    @property
    def is_staff_member(self) -> bool:
        """Whether this person works for at least one organisation on the platform."""
        return self.is_superuser or bool(self.staff_roles)


@cache
def _roles_query() -> prepared.Prepared:
    """Every signed-in page asks for its reader's staff roles (prepared once the models are)."""
    memberships = User._meta.get_field("memberships").related_model
    assert isinstance(memberships, type)
    return prepared.Prepared(
        # One role per organisation: no order needed, and none joins the people and organisations.
        lambda key: (
            memberships._default_manager.filter(user_id=key)
            .order_by()
            .values_list("organisation_id", "role")
        ),
        prepared.KEY,
    )


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        """Tokens that are neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once, when created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """Return (raw token, prefix, hash) for a new token."""
        raw = "cp_" + secrets.token_urlsafe(32)
        return raw, raw[3:11], _hash_token(raw)

    @staticmethod
    def hash(raw: str) -> str:
        """The stored form of a raw token."""
        return _hash_token(raw)
