"""Forms for answers, statuses, reports, moderation and decisions: shape and field checks only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from coproduce.common.forms import DateField, KeyChoiceField, OneTimeForm
from coproduce.common.languages import english_hint, in_language
from coproduce.contributions.kinds import Workflow
from coproduce.contributions.models import (
    DECISION_DATE_NAME,
    DECISION_DATES,
    AuthorDisplay,
    Contribution,
    Decision,
)
from coproduce.contributions.queries_inbox import DUE_DATED, DUE_OVERDUE, INBOX_AGES, InboxFilters
from coproduce.services.models import Stage


def author_display_field() -> forms.ChoiceField:
    """How the author wants their name shown: every kind of contribution asks the same way."""
    return forms.ChoiceField(
        label=_("How should your name be shown?"),
        choices=AuthorDisplay.choices,
        initial=AuthorDisplay.FIRST_NAME,
        widget=forms.RadioSelect,
        help_text=_("We never show your email address."),
        error_messages={"required": _("Choose how your name is shown.")},
    )


class ReportForm(OneTimeForm):
    reason = forms.CharField(
        label=_("Why should a moderator look at this?"),
        help_text=_(
            "For example, it is rude, shares someone's personal details, or is advertising."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say why a moderator should look at this.")},
    )


# Every Welsh field is optional: until it is written, Welsh pages show the English (decision 0025).
WELSH_HINT = _("Welsh pages show the English until you add the Welsh.")


class ResponseForm(OneTimeForm):
    body = forms.CharField(
        label=_("Your answer"),
        help_text=_(
            "Everyone can read it, and the person who wrote this gets an email. Say what will "
            "happen, or why not, in plain English."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the answer.")},
    )
    body_cy = forms.CharField(
        label=_("Your answer in Welsh (optional)"),
        help_text=WELSH_HINT,
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ResponseWelshForm(forms.Form):
    """The Welsh of an answer already published, written beside its English."""

    body_cy = forms.CharField(
        label=_("The answer in Welsh"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, english: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body_cy"].help_text = english_hint(english)


class StatusForm(forms.Form):
    """Move a contribution to one of the statuses its kind's workflow allows next, but those
    only the method's own action sets (Workflow.reserved)."""

    to_status = forms.ChoiceField(
        label=_("New status"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the new status."),
            "invalid_choice": _("Choose one of the statuses shown."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, workflow: Workflow, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workflow = workflow
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            (status, workflow.label(status)) for status in workflow.offered_next(current)
        ]
        needing = [workflow.label(status) for status in workflow.needs_reason]
        self.fields["reason"].help_text = (
            _("Shown publicly with the status. Needed for: %(statuses)s.")
            % {"statuses": ", ".join(f"“{label.lower()}”" for label in needing)}
            if needing
            else _("Shown publicly with the status.")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.data.get(self.add_prefix("to_status")) in self.workflow.reserved:
            # Not among the choices: say where it is set rather than "choose one shown".
            self.errors.pop("to_status", None)
            self.add_error("to_status", str(self.workflow.reserved_message))
        if (
            data.get("to_status") in self.workflow.needs_reason
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("Explain why, so the people who suggested it understand."))
        return data


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("hide", "hide")])


class ContributionChoiceField(forms.ModelMultipleChoiceField[Contribution]):
    """Checkboxes labelled with the kind and title of each contribution."""

    def label_from_instance(self, obj: Contribution) -> str:
        return f"{obj.get_kind_display()}: {obj.title}"


class _ContributionChoices(forms.Form):
    """A form whose ``contributions`` field offers the given contributions only."""

    def __init__(self, *args: Any, contributions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ContributionChoiceField, self.fields["contributions"]).queryset = contributions


class DecisionForm(OneTimeForm, _ContributionChoices):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("What was decided"), max_length=200)
    title_cy = forms.CharField(
        label=_("What was decided, in Welsh (optional)"),
        max_length=200,
        required=False,
        help_text=WELSH_HINT,
    )
    description = forms.CharField(
        label=_("Details and reasons"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what will happen, and why. Mention what people said that shaped it."),
    )
    description_cy = forms.CharField(
        label=_("Details and reasons, in Welsh (optional)"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("A person, role or board, for example 'Health and Wellbeing Board'."),
    )
    decided_on = DateField(
        label=_("Date of the decision"),
        name=DECISION_DATE_NAME,
        dates=DECISION_DATES,
        help_text=_("For example, 27 3 2026"),
    )
    contributions = ContributionChoiceField(
        label=_("Contributions that informed it"),
        queryset=Contribution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose contributions made to this service.")},
    )


class DecisionWelshForm(forms.Form):
    """The Welsh of a decision already recorded, written beside its English."""

    title_cy = forms.CharField(
        label=_("What was decided, in Welsh"), max_length=200, required=False
    )
    description_cy = forms.CharField(
        label=_("Details and reasons, in Welsh"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in ("title", "description"):
            self.fields[f"{field}_cy"].help_text = english_hint(getattr(decision, field))


class LinkContributionsForm(_ContributionChoices):
    contributions = ContributionChoiceField(
        label=_("Contributions to link"),
        queryset=Contribution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one contribution.")},
    )


# --- The staff inbox -----------------------------------------------------------------------------


class InboxAnswerForm(ResponseForm):
    """The answer form of one item in an inbox: the same field, shorter, without the hint (the
    page says once who reads answers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.help_text = ""
        body.widget.attrs["rows"] = 4
        # One box per item keeps the inbox short; the Welsh is added from "What has no Welsh
        # yet", or written with the answer on its own page (decision 0025).
        del self.fields["body_cy"]


class InboxFilterForm(forms.Form):
    """Narrow an inbox down to one activity, one kind, or those waiting longest (a GET form).
    A value that is not one of the choices falls back to showing everything."""

    activity = forms.ChoiceField(label=_("Activity"), required=False)
    kind = forms.ChoiceField(label=_("Kind of contribution"), required=False)
    age = forms.ChoiceField(
        label=_("How long it has waited"),
        required=False,
        widget=forms.RadioSelect(attrs={"small": True}),
    )
    due = forms.ChoiceField(
        label=_("Date an answer was promised by"),
        required=False,
        choices=[
            ("", _("With or without a date")),
            (DUE_DATED, _("Only those with a date")),
            (DUE_OVERDUE, _("Only those past their date")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        activities: Iterable[tuple[int, str]],
        kinds: Iterable[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["activity"].choices = [
            ("", gettext("All activities")),
            *((str(pk), label) for pk, label in activities),
        ]
        fields["kind"].choices = [("", gettext("All kinds")), *kinds]
        fields["age"].choices = [
            ("", gettext("Any time")),
            *(
                (
                    str(days),
                    ngettext("More than %(days)s day", "More than %(days)s days", days)
                    % {"days": days},
                )
                for days in INBOX_AGES
            ),
        ]

    def filters(self) -> InboxFilters:
        """What to show: each value that is not one of the choices falls back on its own."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return InboxFilters(
            activity=int(data["activity"]) if data.get("activity") else None,
            kind=data.get("kind") or "",
            older_than=int(data["age"]) if data.get("age") else None,
            due=data.get("due") or "",
        )


class DecisionChoiceField(KeyChoiceField):
    """A decision, named by what was decided and when."""

    def label_from_instance(self, obj: Decision) -> str:
        title = in_language(obj, "title").text
        return f"{title} ({date_format(obj.decided_on, 'j F Y')})"


class InboxDecisionForm(_ContributionChoices):
    """What to do with the contributions ticked in a service's inbox: record a decision about
    them (the decision form opens with them ticked), or add them to one of its decisions."""

    contributions = ContributionChoiceField(
        label=_("Contributions ticked"),
        queryset=Contribution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one contribution."),
            "invalid_choice": _("Tick contributions made to this service."),
        },
    )
    then = forms.ChoiceField(choices=[("decide", "decide"), ("link", "link")])
    decision = DecisionChoiceField(
        label=_("Decision"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("Choose a decision"),
        error_messages={"invalid_choice": _("Choose one of the decisions listed.")},
    )

    def __init__(self, *args: Any, contributions: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, contributions=contributions, **kwargs)
        cast(DecisionChoiceField, self.fields["decision"]).queryset = decisions

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("then") == "link" and not data.get("decision"):
            self.add_error("decision", _("Choose the decision to add them to."))
        return data
