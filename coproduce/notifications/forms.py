"""Notification settings: how often we email about each topic, and in which language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coproduce.notifications.models import TOPIC_HINTS, TOPIC_NAMES, Event, Frequency

CHOOSE = _("Choose how often we email you about this.")


class NotificationSettingsForm(forms.Form):
    """A group of radios per topic (``Event``), named as the topic, and the emails' language."""

    language = forms.ChoiceField(
        label=_("Language of our emails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose English or Cymraeg."),
            "invalid_choice": _("Choose English or Cymraeg."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = {
            topic: forms.ChoiceField(
                label=TOPIC_NAMES[topic],
                help_text=TOPIC_HINTS[topic],
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
            )
            for topic in Event.values
        }
        self.fields = {**topics, "language": self.fields["language"]}

    @property
    def frequencies(self) -> dict[str, str]:
        return {topic: self.cleaned_data[topic] for topic in Event.values}
