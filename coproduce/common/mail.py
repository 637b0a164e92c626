"""The demo's email: every message is printed, as before, and kept in a folder so that the demo
can show it on a page ("Emails sent by this demo"), for the codes a newcomer needs to sign up.

Only for development: production sends real email (SMTP), and the page exists only while DEBUG is
on with this backend (common.views.demo_emails).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.utils import timezone

BACKEND = "coproduce.common.mail.DemoEmailBackend"
KEEP = 200  # the newest messages kept; older ones are removed as new ones arrive


def folder() -> Path:
    return Path(settings.VAR_DIR) / "demo-emails"


class DemoEmailBackend(ConsoleBackend):
    """Print each message (Django's console backend) and keep it as a small JSON file."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(email_messages)
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            now = timezone.now()
            record = {
                "sent_at": now.isoformat(),
                "to": list(message.to),
                "subject": str(message.subject),
                "body": str(message.body),
            }
            name = f"{now.strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:8]}.json"
            (where / name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        for old in sorted(where.glob("*.json"))[:-KEEP]:
            old.unlink(missing_ok=True)
        return sent


@dataclass(frozen=True)
class DemoEmail:
    sent_at: str
    to: list[str]
    subject: str
    body: str


def demo_emails_shown() -> bool:
    """Whether the demo's email page exists: DEBUG on, with the demo's backend."""
    return bool(settings.DEBUG and settings.EMAIL_BACKEND == BACKEND)


def sent_emails(limit: int = 50) -> list[DemoEmail]:
    """The newest messages the demo has sent, newest first."""
    files = sorted(folder().glob("*.json"), reverse=True)[:limit] if folder().is_dir() else []
    emails = []
    for path in files:
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            emails.append(DemoEmail(data["sent_at"], data["to"], data["subject"], data["body"]))
        except (OSError, ValueError, KeyError):
            continue  # removed or half-written by another process: leave it out
    return emails
