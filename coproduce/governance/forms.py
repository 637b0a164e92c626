"""Forms of governance: shape only; the actions check the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.common.forms import DateField, OneTimeForm
from coproduce.governance.models import (
    AttendanceStatus,
    BoardKind,
    HowChosen,
    Meeting,
    MeetingFormat,
    VoteChoice,
)
from coproduce.governance.queries import members_on_the_day, voters

TIME_HINT = _("Use the 24-hour clock, for example 18:30")


class BoardForm(OneTimeForm):
    name = forms.CharField(label=_("Name of the board"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of board"), choices=BoardKind.choices, widget=forms.RadioSelect
    )
    remit = forms.CharField(
        label=_("What the board does"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MemberForm(OneTimeForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    role = forms.CharField(
        label=_("Role"), max_length=80, help_text=_("For example, chair or member.")
    )
    resident = forms.BooleanField(
        label=_("A resident member (someone who uses or lives near the service)"), required=False
    )
    chosen = forms.ChoiceField(
        label=_("How they were chosen"), choices=HowChosen.choices, widget=forms.RadioSelect
    )
    term_start = DateField(
        label=_("Term starts"),
        name=_("the start of the term"),
        help_text=_("For example, 1 4 2026"),
    )
    term_end = DateField(
        label=_("Term ends (optional)"),
        name=_("the end of the term"),
        required=False,
        help_text=_("For example, 31 3 2028"),
    )
    interests = forms.CharField(
        label=_("Declared interests"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the public register of interests. Write “None” if there are none."),
    )


class MeetingForm(OneTimeForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    day = DateField(
        label=_("Date"), name=_("the date of the meeting"), help_text=_("For example, 14 5 2026")
    )
    starts = forms.TimeField(
        label=_("Starts at"),
        help_text=TIME_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    ends = forms.TimeField(
        label=_("Ends at"),
        help_text=TIME_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    format = forms.ChoiceField(
        label=_("How people attend"), choices=MeetingFormat.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(label=_("Place (in person)"), max_length=300, required=False)
    link = forms.URLField(label=_("Link to join (online)"), required=False, assume_scheme="https")
    is_public = forms.BooleanField(label=_("Open to the public"), required=False, initial=True)
    public_seats = forms.IntegerField(
        label=_("Seats for the public"), min_value=0, max_value=1000, initial=10
    )
    minutes_due_on = DateField(
        label=_("Minutes published by"),
        name=_("the minutes deadline"),
        help_text=_("For example, 28 5 2026"),
    )

    def meeting_times(self) -> tuple[dt.datetime, dt.datetime]:
        day, tz = self.cleaned_data["day"], timezone.get_current_timezone()
        start = dt.datetime.combine(day, self.cleaned_data["starts"], tzinfo=tz)
        end = dt.datetime.combine(day, self.cleaned_data["ends"], tzinfo=tz)
        return start, end


class AgendaItemForm(OneTimeForm):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    summary = forms.CharField(
        label=_("Summary (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaperForm(OneTimeForm):
    title = forms.CharField(label=_("Title of the paper"), max_length=200)
    upload = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, a Word document (.docx) or an ODT file, smaller than 10 MB."),
    )


class RegistrationForm(forms.Form):
    access_needs = forms.CharField(
        label=_("Access needs (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example, a hearing loop, step-free access or a British Sign Language "
            "interpreter. Only the board's clerk sees this."
        ),
    )


class QuestionForm(OneTimeForm):
    text = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The board answers it in the minutes of the meeting, which are published."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 12})
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Answer"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionForm(OneTimeForm):
    description = forms.CharField(label=_("What will be done"), max_length=300)
    owner = forms.CharField(label=_("Who will do it"), max_length=120)
    due_on = DateField(
        label=_("By when"), name=_("the due date"), help_text=_("For example, 30 6 2026")
    )


def attendance_form(meeting: Meeting, data: Any = None) -> forms.Form:
    """One choice per member of the board on the day of the meeting."""
    form = forms.Form(data)
    current = {a.membership_id: a.status for a in meeting.attendance.all()}
    for member in members_on_the_day(meeting):
        form.fields[f"member_{member.pk}"] = forms.ChoiceField(
            label=f"{member.name} ({member.role})",
            choices=AttendanceStatus.choices,
            widget=forms.RadioSelect,
            initial=current.get(member.pk),
        )
    return form


def decision_form(meeting: Meeting, data: Any = None) -> forms.Form:
    """What was decided, and (optionally) how each member voted."""
    form = OneTimeForm(data)
    form.fields["title"] = forms.CharField(label=_("What was decided"), max_length=200)
    form.fields["description"] = forms.CharField(
        label=_("Details and reasons"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    choices = [("", _("Did not vote")), *VoteChoice.choices]
    for member in voters(meeting):
        form.fields[f"vote_{member.pk}"] = forms.ChoiceField(
            label=_("How %(name)s voted") % {"name": member.name},
            choices=choices,
            required=False,
            widget=forms.Select,
        )
    return form


def votes_from(data: dict[str, Any]) -> dict[int, str]:
    return {int(k.removeprefix("vote_")): v for k, v in data.items() if k.startswith("vote_") and v}


def statuses_from(data: dict[str, Any]) -> dict[int, str]:
    return {int(k.removeprefix("member_")): v for k, v in data.items() if k.startswith("member_")}
