"""The forms of findings and improvement actions. Shape and field checks only: the actions check
the rules, the standards, the dates and the evidence again (decision 0084)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models import (
    ActionStatus,
    Finding,
    FindingKind,
    FrameworkVersion,
    ImprovementAction,
    Standard,
)
from coproduce.common.forms import DateField, OneTimeForm
from coproduce.common.languages import in_language

DUE_NAME = _("the due date")
DUE_HINT = _("For example, 30 6 2027")


class StandardsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        standard: Standard = obj
        return in_language(standard, "statement").text


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of finding is it?"),
        choices=FindingKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether it is a strength, a concern or an urgent concern."),
            "invalid_choice": _("Choose whether it is a strength, a concern or an urgent concern."),
        },
    )
    title = forms.CharField(
        label=_("The finding, in a sentence"),
        max_length=200,
        error_messages={"required": _("Enter the finding.")},
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        help_text=_("What people said or what was seen that shows it: ratings, comments, visits."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter the evidence for the finding.")},
    )
    standards = StandardsField(
        label=_("Which standards is it about?"),
        queryset=Standard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose standards of this assessment.")},
    )
    title_cy = forms.CharField(label=_("The finding, in Welsh"), max_length=200, required=False)
    evidence_cy = forms.CharField(
        label=_("Evidence, in Welsh"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self, *args: Any, version: FrameworkVersion, finding: Finding | None = None, **kwargs: Any
    ) -> None:
        if finding is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": finding.kind,
                    "title": finding.title,
                    "evidence": finding.evidence,
                    "standards": list(finding.standards.all()),
                    "title_cy": finding.title_cy,
                    "evidence_cy": finding.evidence_cy,
                },
            )
        super().__init__(*args, **kwargs)
        field = self.fields["standards"]
        assert isinstance(field, StandardsField)
        field.queryset = Standard.objects.filter(version=version).order_by("position", "id")


class NewFindingForm(OneTimeForm, FindingForm):
    """Sent twice (a double click, the Back button), it adds one finding."""


class ActionForm(OneTimeForm):
    description = forms.CharField(
        label=_("What will be done"),
        max_length=300,
        error_messages={"required": _("Enter what will be done.")},
    )
    owner = forms.CharField(
        label=_("Who will do it"),
        help_text=_("A role or a team, for example 'Scheme manager'."),
        max_length=120,
        error_messages={"required": _("Enter who will do it.")},
    )
    due_on = DateField(label=_("By when"), name=DUE_NAME, help_text=DUE_HINT)
    description_cy = forms.CharField(
        label=_("What will be done, in Welsh"), max_length=300, required=False
    )


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Where does the action stand?"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose where the action stands."),
            "invalid_choice": _("Choose where the action stands."),
        },
    )
    evidence = forms.CharField(
        label=_("What shows it is done, or why it is not going ahead"),
        help_text=_("Needed when the action is done or not going ahead."),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_link = forms.URLField(
        label=_("Link to the evidence (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address starting with https://")},
    )
    owner = forms.CharField(
        label=_("Who will do it"),
        max_length=120,
        error_messages={"required": _("Enter who will do it.")},
    )
    due_on = DateField(label=_("By when"), name=DUE_NAME, help_text=DUE_HINT)
    evidence_cy = forms.CharField(
        label=_("What shows it is done, in Welsh"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, action: ImprovementAction, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": action.status,
                "evidence": action.evidence,
                "evidence_link": action.evidence_link,
                "owner": action.owner,
                "due_on": action.due_on,
                "evidence_cy": action.evidence_cy,
            },
        )
        super().__init__(*args, **kwargs)
