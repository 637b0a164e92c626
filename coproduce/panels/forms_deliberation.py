"""Forms of the deliberation pages: a member's question, a draft recommendation, a vote; and the
coordinators' sessions, evidence papers, members and the opening and closing of the vote. Shape
only: the actions check who may do what, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.common.dates import DateRange
from coproduce.common.forms import DateField, KeyChoiceField, OneTimeForm
from coproduce.panels.models import Registrant, Session

TIME_HINT = _("Use the 24-hour clock, for example 18:30")
SESSION_DATES = DateRange(years_ahead=3)


class QuestionForm(OneTimeForm):
    text = forms.CharField(
        label=_("Your question to the service"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The service team answers in public. Your name is not shown with your question."
        ),
    )


class RecommendationForm(OneTimeForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short summary, for example “Keep the drop-in open on Saturdays”."),
    )
    text = forms.CharField(
        label=_("The recommendation"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should be done, by whom, and why. The panel votes on this text."),
    )


class VoteForm(forms.Form):
    supports = forms.TypedChoiceField(
        label=_("Do you support this recommendation?"),
        choices=[("yes", _("I support it")), ("no", _("I do not support it"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you support the recommendation.")},
    )


class SessionForm(OneTimeForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    day = DateField(
        label=_("Date"),
        name=_("the date of the session"),
        dates=SESSION_DATES,
        help_text=_("For example, 14 5 2026"),
    )
    starts = forms.TimeField(
        label=_("Starts at"),
        help_text=TIME_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": _("Enter the time like 18:30.")},
    )
    place = forms.CharField(
        label=_("Place (in person)"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for a session held only online."),
    )
    online_link = forms.URLField(
        label=_("Link to join online"),
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty for a session held only in person."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    speakers = forms.CharField(
        label=_("Speakers"),
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who speaks to the panel, and for which organisation."),
    )

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        starts = timezone.localtime(session.starts_at)
        return {
            "title": session.title,
            "day": starts.date(),
            "starts": starts.time().strftime("%H:%M"),
            "place": session.place,
            "online_link": session.online_link,
            "agenda": session.agenda,
            "speakers": session.speakers,
        }

    def fields_for_action(self) -> dict[str, Any]:
        """The session's fields, with the date and the time made one moment."""
        data = dict(self.cleaned_data)
        day, starts = data.pop("day"), data.pop("starts")
        data.pop("one_time_token", None)
        data["starts_at"] = dt.datetime.combine(day, starts, tzinfo=timezone.get_current_timezone())
        return data


class EvidenceForm(OneTimeForm):
    prefix = "paper"

    title = forms.CharField(label=_("Title of the paper"), max_length=200)
    url = forms.URLField(
        label=_("Link to the paper"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where members can read it, for example a PDF on the service’s website."),
    )
    description = forms.CharField(
        label=_("What it is (optional)"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegistrantChoiceField(KeyChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = getattr(getattr(obj, "data", None), "name", "")
        return f"{obj.external_id} – {name}" if name else str(obj.external_id)


class MemberForm(OneTimeForm):
    email = forms.EmailField(
        label=_("Email address of their account"),
        help_text=_("The person must have an account on this site with this email address."),
    )
    registrant = RegistrantChoiceField(
        label=_("Selected person they are (optional)"),
        queryset=Registrant.objects.none(),
        required=False,
        empty_label=_("Not linked to a selected person"),
        help_text=_("Only the panel’s coordinators see this link."),
    )

    def __init__(self, *args: Any, registrants: QuerySet[Registrant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["registrant"]
        assert isinstance(field, RegistrantChoiceField)
        field.queryset = registrants
