"""Your notification settings: how often you are emailed about each topic, and in which language.

Thin adapters over the notifications app's queries and actions, as the email settings page.
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Router, Schema

from coproduce.accounts.types import SignedInRequest
from coproduce.api.common import WRITE
from coproduce.api.schemas import Error, Input, ValidationErrors
from coproduce.notifications import actions, queries
from coproduce.notifications.emails import language_of
from coproduce.notifications.models import Event, Frequency, NotificationSettings

router = Router(tags=["notifications"])

# The site's languages (settings.LANGUAGES; a test checks that they agree).
Language = Literal["en", "cy"]
FREQUENCY = (
    "`at_once`: an email for each; `daily` or `weekly`: one summary email a day or a week; "
    "`never`: no email (the news is still listed on the website)."
)


class NotificationSettingsIn(Input):
    """Every topic and the language: a PUT replaces them all."""

    response: Frequency = Field(description=f"Answers to what you said or follow. {FREQUENCY}")
    status: Frequency = Field(description="Status changes of ideas you suggested or follow.")
    decision: Frequency = Field(description="Decisions informed by what you said or follow.")
    new_activity: Frequency = Field(description="New activities in the services you follow.")
    language: Language = Field(description="The language of the emails.")


class NotificationSettingsOut(Schema):
    response: Frequency = Field(description=f"Answers to what you said or follow. {FREQUENCY}")
    status: Frequency = Field(description="Status changes of ideas you suggested or follow.")
    decision: Frequency = Field(description="Decisions informed by what you said or follow.")
    new_activity: Frequency = Field(description="New activities in the services you follow.")
    language: Language = Field(description="The language of the emails.")
    chosen: bool = Field(description="False while these are the defaults, never chosen.")


def _settings_out(choices: NotificationSettings) -> dict[str, Any]:
    return {
        **choices.frequencies,
        "language": language_of(choices),
        "chosen": choices.pk is not None,
    }


@router.get(
    "/me/notification-settings",
    response={200: NotificationSettingsOut, 401: Error},
    auth=WRITE,
    summary="Your notification settings",
    description="How often you are emailed about each topic, and in which language.",
)
def notification_settings_get(request: SignedInRequest) -> dict[str, Any]:
    return _settings_out(queries.settings_of(request.user))


@router.put(
    "/me/notification-settings",
    response={
        200: NotificationSettingsOut,
        400: Error,
        401: Error,
        413: Error,
        422: ValidationErrors,
    },
    auth=WRITE,
    summary="Choose your notification settings",
    description=(
        "News that waits for a summary follows the new choice: it is sent at once, in the "
        "other summary, or not at all."
    ),
)
def notification_settings_put(
    request: SignedInRequest, payload: NotificationSettingsIn
) -> dict[str, Any]:
    choices = actions.notification_settings_set(
        user=request.user,
        frequencies={topic: str(getattr(payload, topic)) for topic in Event.values},
        language=payload.language,
    )
    return _settings_out(choices)
