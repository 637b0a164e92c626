"""The forms of proposals for the standards: proposing (a new standard, or a comment on one) and
taking a proposal into the draft. Shape and field checks only: the actions check the rules, the
length, the standard and repeats again (decision 0089)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.actions_proposals import TEXT_MAX, TEXT_MIN, WHY_MAX
from coproduce.assessment.forms_framework import StandardForm
from coproduce.assessment.models import Standard, StandardProposal
from coproduce.common.forms import OneTimeForm
from coproduce.common.languages import in_language
from coproduce.contributions.forms import author_display_field

NEW, COMMENT = "new", "comment"


class ProposalForm(OneTimeForm):
    """Propose a new standard, or comment on one of the assessment's standards."""

    about = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=[(NEW, _("Propose a new standard")), (COMMENT, _("Comment on a standard"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you propose a new standard or comment on one."),
            "invalid_choice": _("Choose whether you propose a new standard or comment on one."),
        },
    )
    standard = forms.ChoiceField(
        label=_("If you are commenting, which standard is it about?"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the standards this assessment uses.")},
    )
    text = forms.CharField(
        label=_("Your proposal"),
        help_text=_(
            "A new standard in your own words, for example “I can book a journey on the day”, "
            "or what should change in the standard you chose."
        ),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write your proposal."),
            "min_length": _("Write your proposal in 10 characters or more."),
            "max_length": _("Your proposal must be 500 characters or fewer."),
        },
    )
    why = forms.CharField(
        label=_("Why it matters to you (optional)"),
        max_length=WHY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Why it matters must be 2000 characters or fewer.")},
    )
    author_display = author_display_field()

    def __init__(self, *args: Any, standards: Sequence[Standard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standards = {str(standard.pk): standard for standard in standards}
        groups: dict[str, list[tuple[str, str]]] = {}
        for standard in standards:
            theme = in_language(standard, "theme").text
            groups.setdefault(theme, []).append(
                (str(standard.pk), in_language(standard, "statement").text)
            )
        field = self.fields["standard"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a standard")), *groups.items()]

    def clean_standard(self) -> Standard | None:
        return self.standards.get(self.cleaned_data.get("standard") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("about") == COMMENT and data.get("standard") is None:
            if "standard" not in self.errors:
                self.add_error("standard", _("Choose the standard you are commenting on."))
        elif data.get("about") == NEW:
            data["standard"] = None
        return data


class TakeInForm(OneTimeForm, StandardForm):
    """The standard a proposal becomes in the draft: its theme, words and prompt (the Welsh is
    added later, on the draft's own page)."""

    def __init__(
        self, *args: Any, proposal: StandardProposal, themes: Sequence[str] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "theme": proposal.standard.theme if proposal.standard else "",
                "statement": proposal.text,
            },
        )
        super().__init__(*args, themes=themes, **kwargs)
        for name in ("theme_cy", "statement_cy", "evidence_prompt_cy"):
            del self.fields[name]
