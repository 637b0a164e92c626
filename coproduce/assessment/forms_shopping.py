"""The forms of mystery shops: choosing the coordinator, giving an assignment, a shopper's report
and a file of evidence. Shape and field checks only: the actions check the rules, the people, the
dates, every rating and every file again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.actions_assessments import Answer, comment_key, rating_key
from coproduce.assessment.actions_shopping import (
    ACCOUNT_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    EVIDENCE_FILES_MAX,
    SCENARIO_MAX,
)
from coproduce.assessment.forms_assessments import NOT_APPLICABLE, _Ratings
from coproduce.assessment.models import SCALE, Channel, Standard
from coproduce.common.dates import DateRange
from coproduce.common.forms import DateField
from coproduce.common.languages import in_language

_EMAIL_INVALID = _("Enter an email address in the correct format, like name@example.com")


def _no_maxlength(field: forms.Field) -> None:
    """Longer text is refused with a message, never cut off by the browser."""
    field.widget.attrs.pop("maxlength", None)


class CoordinatorForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the coordinator’s account"),
        help_text=_(
            "Someone who does not work for the service, for example a resident or a partner’s "
            "volunteer lead. They need an account on this site."
        ),
        error_messages={
            "required": _("Enter the email address of the coordinator’s account."),
            "invalid": _EMAIL_INVALID,
        },
    )


class AssignmentForm(forms.Form):
    """A shopper, what they try, how, and the window of dates."""

    email = forms.EmailField(
        label=_("Email address of the shopper’s account"),
        help_text=_("They need an account on this site. Ask them to create one first."),
        error_messages={
            "required": _("Enter the email address of the shopper’s account."),
            "invalid": _EMAIL_INVALID,
        },
    )
    scenario = forms.CharField(
        label=_("What to try"),
        max_length=SCENARIO_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example, “Book a return journey to the hospital for next Tuesday, and ask if "
            "the driver can help with a wheelchair.” Do not write anything that would tell the "
            "service who the shopper is."
        ),
        error_messages={
            "required": _(
                "Say what the shopper should try, for example “Book a return journey to the "
                "hospital for next Tuesday”."
            ),
            "max_length": _("What to try must be %(limit_value)d characters or fewer."),
        },
    )
    channel = forms.ChoiceField(
        label=_("How they get in touch"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the shopper gets in touch: by phone, online or in person."),
            "invalid_choice": _(
                "Choose how the shopper gets in touch: by phone, online or in person."
            ),
        },
    )
    starts_on = DateField(
        label=_("From"),
        name=_("the first day of the window"),
        dates=DateRange(years_ahead=1),
        help_text=_("The first day they may make contact. For example, 14 5 2026"),
    )
    ends_on = DateField(
        label=_("Until"),
        name=_("the last day of the window"),
        dates=DateRange(years_ahead=1),
        help_text=_("The last day, at most a year ahead. For example, 28 5 2026"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _no_maxlength(self.fields["scenario"])


def shop_rating_choices() -> list[tuple[str, Any]]:
    """Always (5) … Never (1), then "Could not test"."""
    return [
        (str(value), _("%(label)s (%(value)s)") % {"label": label, "value": value})
        for value, label in SCALE
    ] + [(NOT_APPLICABLE, _("Could not test"))]


class ShopReportForm(_Ratings, forms.Form):
    """When the shopper made contact, what happened, and each standard's rating with a comment.
    Everything is optional here: a draft may be partial, and the action asks for all of it when
    the report is sent."""

    contacted_on = DateField(
        label=_("Date"),
        name=_("the date you made contact"),
        required=False,
        dates=DateRange(),
        help_text=_("For example, 14 5 2026"),
    )
    contacted_time = forms.TimeField(
        label=_("Time"),
        required=False,
        help_text=_("Use the 24-hour clock, for example 14:30"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "invalid": _("Enter the time you made contact on the 24-hour clock, like 14:30."),
        },
    )
    account = forms.CharField(
        label=_("What happened?"),
        required=False,
        max_length=ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What you asked, what you were told, how long it took and how you were treated. "
            "Do not write anyone’s name."
        ),
        error_messages={
            "max_length": _("What happened must be %(limit_value)d characters or fewer."),
        },
    )

    def __init__(
        self,
        *args: Any,
        standards: Iterable[Standard],
        answers: Mapping[int, Answer] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _no_maxlength(self.fields["account"])
        self.standards = list(standards)
        for standard in self.standards:
            statement = in_language(standard, "statement").text
            choose = gettext("Choose how often “%(standard)s” was true, or “Could not test”.") % {
                "standard": statement
            }
            given = (answers or {}).get(standard.pk)
            rating, comment = given if given is not None else (None, "")
            self.fields[rating_key(standard.pk)] = forms.ChoiceField(
                label=statement,
                help_text=in_language(standard, "evidence_prompt").text,
                choices=shop_rating_choices,
                widget=forms.RadioSelect,
                required=False,
                initial=(NOT_APPLICABLE if rating is None else str(rating))
                if given is not None
                else None,
                error_messages={"invalid_choice": choose},
            )
            self.fields[comment_key(standard.pk)] = forms.CharField(
                label=_("What you saw or heard (optional)"),
                required=False,
                max_length=COMMENT_MAX,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": gettext(
                        "Your comment on “%(standard)s” must be %(limit)s characters or fewer."
                    )
                    % {"standard": statement, "limit": COMMENT_MAX}
                },
            )
            _no_maxlength(self.fields[comment_key(standard.pk)])

    def clean(self) -> dict[str, Any]:
        """A date needs its time and a time its date; a comment needs its rating (or "Could not
        test"), or it would be lost."""
        data = self.cleaned_data
        day, time = data.get("contacted_on"), data.get("contacted_time")
        if "contacted_on" not in self.errors and "contacted_time" not in self.errors:
            if day and not time:
                self.add_error("contacted_time", gettext("Enter the time you made contact."))
            elif time and not day:
                self.add_error("contacted_on", gettext("Enter the date you made contact."))
        for standard in self.standards:
            key = rating_key(standard.pk)
            if key in self.errors:
                continue
            if not data.get(key) and (data.get(comment_key(standard.pk)) or "").strip():
                self.add_error(
                    key,
                    gettext(
                        "Choose how often “%(standard)s” was true, or “Could not test”, to keep "
                        "your comment on it."
                    )
                    % {"standard": in_language(standard, "statement").text},
                )
        return data

    def contacted_at(self) -> dt.datetime | None:
        """The date and time of contact, in the site's time zone, or None."""
        day, time = self.cleaned_data.get("contacted_on"), self.cleaned_data.get("contacted_time")
        if not (day and time):
            return None
        return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class EvidenceForm(forms.Form):
    """One photo or PDF, and what it shows. Not a OneTimeForm: two files send the same fields."""

    upload = forms.FileField(
        label=_("Choose a file"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file you chose is empty."),
            "invalid": _("Choose a file to upload."),
            "missing": _("Choose a file to upload."),
        },
    )
    description = forms.CharField(
        label=_("What it shows (optional)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text=_("For example, “The timetable at the bus stop, out of date”."),
        error_messages={
            "max_length": _("What it shows must be %(limit_value)d characters or fewer."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _no_maxlength(self.fields["description"])
        self.fields["upload"].help_text = gettext(
            "A photo (JPEG or PNG) or a PDF, at most 5 MB. A report can have up to %(count)d "
            "files. We remove a photo’s hidden details, such as where it was taken."
        ) % {"count": EVIDENCE_FILES_MAX}
