"""Signed links to a registrant's own page ("my place"): the link is the key, so it is signed
with a salt of its own and names nothing but the registrant (decision 0060)."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from coproduce.panels.models import Registrant

SALT = "coproduce.panels.my_place"


def my_place_token(registrant: Registrant) -> str:
    """A token that opens this registrant's page and no one else's; it does not expire."""
    return signing.Signer(salt=SALT).sign(str(registrant.pk))


def my_place_path(registrant: Registrant) -> str:
    """The registrant's own page, from the site's root."""
    return reverse("panels:my_place", args=[my_place_token(registrant)])


def registrant_for(token: str) -> Registrant | None:
    """The registrant a token names; None when the token is not ours or was altered."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not (value.isdigit() and len(value) < 19):
        return None
    return (
        Registrant.objects.select_related("panel__activity__service_stage__service")
        .filter(pk=int(value))
        .first()
    )
