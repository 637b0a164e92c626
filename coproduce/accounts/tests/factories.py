"""Factories for people. Also used by the demo (`manage.py seed_demo`)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from factory.django import DjangoModelFactory

from coproduce.accounts.models import User

DEFAULT_PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32; tests compute real codes from it


def totp_code(secret: str = TOTP_SECRET, *, at: float | None = None) -> str:
    """The current six-digit code an authenticator app would show for ``secret``."""
    return format_hotp_value(hotp_value(secret, int(at or time.time()) // 30))


class UserFactory(DjangoModelFactory[User]):
    """A resident with a verified email address who can sign in with DEFAULT_PASSWORD."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> User: ...  # type: ignore[misc]

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def mfa(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """``UserFactory(mfa=True)`` sets up TOTP with TOTP_SECRET."""
        if not (create and extracted):
            return
        if not Authenticator.objects.filter(user=obj, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(obj, TOTP_SECRET)


def client_for(user: User) -> Client:
    """A test client signed in as ``user`` (two-factor already passed)."""
    client = Client()
    client.force_login(user)
    return client
