"""Settings: production refuses unsafe values; every environment variable is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)


def _load_production(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "COPRODUCE_"))
    }
    environment.update({"COPRODUCE_ENV": "production", **env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import coproduce.config.settings as s; print(s.PASSWORD_HASHERS[0])",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_a_missing_or_weak_secret_key() -> None:
    result = _load_production(DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    result = _load_production(DJANGO_ALLOWED_HOSTS="example.org", DJANGO_SECRET_KEY="short")
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_missing_hosts_and_uses_argon2() -> None:
    key = "k" * 60
    result = _load_production(DJANGO_SECRET_KEY=key)
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr
    result = _load_production(
        DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="example.org", **LEDGER_KEY
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


LEDGER_KEY = {
    "COPRODUCE_LEDGER_SIGNING_KEY": "A" * 43 + "=",  # base64 of 32 bytes
    "COPRODUCE_EQUALITY_KEYS": "B" * 43 + "=",  # url-safe base64 of 32 bytes
}


@pytest.mark.parametrize("ledger_key", ["", "not base64!", "QUJD"])
def test_production_refuses_a_missing_or_malformed_ledger_signing_key(ledger_key: str) -> None:
    result = _load_production(
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="example.org",
        COPRODUCE_LEDGER_SIGNING_KEY=ledger_key,
    )
    assert result.returncode != 0
    assert "COPRODUCE_LEDGER_SIGNING_KEY" in result.stderr


@pytest.mark.parametrize("keys", ["", "not base64!", "QUJD", "B" * 43 + "=,QUJD"])
def test_production_refuses_missing_or_malformed_equality_keys(keys: str) -> None:
    result = _load_production(
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="example.org",
        COPRODUCE_LEDGER_SIGNING_KEY=LEDGER_KEY["COPRODUCE_LEDGER_SIGNING_KEY"],
        COPRODUCE_EQUALITY_KEYS=keys,
    )
    assert result.returncode != 0
    assert "COPRODUCE_EQUALITY_KEYS" in result.stderr


def test_every_environment_variable_is_documented() -> None:
    source = (ROOT / "coproduce" / "config" / "settings.py").read_text()
    used = set(re.findall(r'env(?:_bool|_list)?\("([A-Z_]+)"', source))
    used |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', source))
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", (ROOT / "docs" / "operations.md").read_text()))
    assert used, "the pattern found no settings: fix this test"
    assert not used - documented, (
        f"Document these in docs/operations.md: {sorted(used - documented)}"
    )


@pytest.mark.parametrize(
    "header", ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"]
)
def test_security_headers_are_sent(client: Client, header: str, db: None) -> None:
    response = client.get("/")
    assert header in response.headers
    if header == "Content-Security-Policy":
        policy = response.headers[header]
        # The one inline script is allowed by its hash, not a nonce (decision 0804).
        assert f"script-src 'self' {settings.CSP_INLINE_SCRIPT_HASH}" in policy
        assert "unsafe-inline" not in policy


def test_the_policy_allows_exactly_the_inline_script_of_base_html() -> None:
    """Editing the script without its hash in settings (or adding another) fails here first."""
    import base64
    import hashlib

    inline = []
    for template in (ROOT / "coproduce").rglob("templates/**/*.html"):
        inline += re.findall(
            r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", template.read_text(), re.S
        )
    assert len(inline) == 1, inline
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.CSP_INLINE_SCRIPT_HASH
