"""The key that signs the ledger's tree heads (Ed25519), from the LEDGER_SIGNING_KEY setting."""

from __future__ import annotations

import base64
from functools import cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings


@cache
def _private_key(encoded: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded, validate=True))


def private_key() -> Ed25519PrivateKey:
    return _private_key(settings.LEDGER_SIGNING_KEY)


def public_key_b64() -> str:
    """The public key in base64 (raw 32 bytes), as /ledger/key serves it."""
    raw = private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(message: bytes) -> str:
    return base64.b64encode(private_key().sign(message)).decode()


def is_development_key() -> bool:
    """True when no key was configured and the key comes from the development secret."""
    return bool(settings.LEDGER_SIGNING_KEY_IS_DEVELOPMENT)
