"""Forms for surveys, assets and stories: shape and field-level messages only.

The actions check everything again (required answers, options, the 1–5 scale, postcodes), so a
form is a convenience for the browser, not the last line of defence.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.types import Visitor
from coproduce.common.forms import FixableForm, OneTimeForm
from coproduce.common.languages import english_hint, fill, in_language, item_in_language
from coproduce.contributions.models import AuthorDisplay
from coproduce.insight.actions import (
    KIND_FIXED,
    OPTIONS_FIXED,
    WELSH_OPTIONS_COUNT,
    normalise_postcode,
)
from coproduce.insight.models import AssetKind, Question, QuestionKind
from coproduce.organisations.models import Organisation, OrganisationQuerySet

AUTHOR_DISPLAY_HELP = _("This is how you will appear next to what you wrote.")
SHOW_NAME_AS = _("Show my name as")


def _author_display(initial: str, label: Any = SHOW_NAME_AS) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=AuthorDisplay.choices,
        widget=forms.RadioSelect,
        initial=initial,
        help_text=AUTHOR_DISPLAY_HELP,
        error_messages={"required": _("Select how your name is shown.")},
    )


class SurveySettingsForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown above the questions: why you are asking and what you will do with it."),
    )
    anonymous_answers = forms.BooleanField(
        label=_("Allow answers without an account"),
        required=False,
        help_text=_("People confirm their answers through a link we email them."),
    )


# Every Welsh field is optional: until it is written, Welsh pages show the English (decision 0025).
WELSH_HINT = _("Welsh pages show the English until you add the Welsh.")
WELSH_OPTIONS_HINT = _("Write each option on its own line, in the same order as the English.")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(FixableForm):
    """A question of a survey. ``answered``: people have answered the survey, so its type and
    options are shown but do not change (decision 0134)."""

    text = forms.CharField(label=_("Question"), max_length=300)
    text_cy = forms.CharField(
        label=_("Question in Welsh (optional)"),
        max_length=300,
        required=False,
        help_text=WELSH_HINT,
    )
    help_text = forms.CharField(
        label=_("Hint (optional)"),
        max_length=300,
        required=False,
        help_text=_("Extra words under the question, for example what to include."),
    )
    help_text_cy = forms.CharField(
        label=_("Hint in Welsh (optional)"), max_length=300, required=False
    )
    kind = forms.ChoiceField(
        label=_("Type of answer"),
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of answer.")},
    )
    options = forms.CharField(
        label=_("Options (for ‘Choose one’ and ‘Choose any’)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write each option on its own line."),
    )
    options_cy = forms.CharField(
        label=_("Options in Welsh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=WELSH_OPTIONS_HINT,
    )
    scale_low_label = forms.CharField(
        label=_("What 1 means (for a scale)"),
        max_length=60,
        required=False,
        help_text=_("For example, not at all important."),
    )
    scale_high_label = forms.CharField(
        label=_("What 5 means (for a scale)"),
        max_length=60,
        required=False,
        help_text=_("For example, very important."),
    )
    required = forms.BooleanField(label=_("People must answer this question"), required=False)

    def __init__(self, *args: Any, answered: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if answered:
            self.fix(["kind"], KIND_FIXED)
            self.fix(["options"], OPTIONS_FIXED)

    def clean_options(self) -> list[str]:
        return _lines(self.cleaned_data["options"])

    def clean_options_cy(self) -> list[str]:
        return _lines(self.cleaned_data["options_cy"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        choice = kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
        if choice and len(data.get("options") or []) < 2:
            self.add_error("options", _("Give at least 2 options, one on each line."))
        welsh = data.get("options_cy") or []
        if choice and welsh and "options" in data and len(welsh) != len(data["options"]):
            self.add_error("options_cy", WELSH_OPTIONS_COUNT)
        return data

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            "text": question.text,
            "help_text": question.help_text,
            "kind": question.kind,
            "options": "\n".join(question.options),
            "text_cy": question.text_cy,
            "help_text_cy": question.help_text_cy,
            "options_cy": "\n".join(question.options_cy),
            "scale_low_label": question.scale_low_label,
            "scale_high_label": question.scale_high_label,
            "required": question.required,
        }


class NewQuestionForm(OneTimeForm, QuestionForm):
    """Add a question (sent again, it adds nothing)."""


class QuestionWelshForm(forms.Form):
    """The Welsh of a question, its hint and its options, written beside the English."""

    text_cy = forms.CharField(label=_("Question in Welsh"), max_length=300, required=False)
    help_text_cy = forms.CharField(label=_("Hint in Welsh"), max_length=300, required=False)
    options_cy = forms.CharField(
        label=_("Options in Welsh"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "text_cy": question.text_cy,
                "help_text_cy": question.help_text_cy,
                "options_cy": "\n".join(question.options_cy),
            },
        )
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["text_cy"].help_text = english_hint(question.text)
        if question.help_text:
            self.fields["help_text_cy"].help_text = english_hint(question.help_text)
        else:
            del self.fields["help_text_cy"]
        if question.is_choice:
            self.fields["options_cy"].help_text = fill(
                "%(hint)s %(english)s",
                hint=str(WELSH_OPTIONS_HINT),
                english=english_hint(" / ".join(question.options)),
            )
        else:
            del self.fields["options_cy"]

    def clean_options_cy(self) -> list[str]:
        welsh = _lines(self.cleaned_data["options_cy"])
        if welsh and len(welsh) != len(self.question.options):
            raise ValidationError(WELSH_OPTIONS_COUNT)
        return welsh


def _question_field(question: Question) -> forms.Field:
    """The field for one question, in the visitor's language (the English, marked, where the
    Welsh is missing: decision 0025)."""
    text = in_language(question, "text").__html__()
    common: dict[str, Any] = {
        "label": text
        if question.required
        else fill(str(_("%(question)s (optional)")), question=text),
        "required": question.required,
        "help_text": in_language(question, "help_text").__html__(),
    }
    if question.kind == QuestionKind.FREE_TEXT:
        return forms.CharField(
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={
                "required": _("Enter your answer to this question."),
                "max_length": _("Your answer must be 5,000 characters or fewer."),
            },
            **common,
        )
    if question.kind == QuestionKind.SCALE:
        labels = {1: question.scale_low_label, 5: question.scale_high_label}
        choices = [(str(n), f"{n} – {labels[n]}" if labels.get(n) else str(n)) for n in range(1, 6)]
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Select a number from 1 to 5."),
                "invalid_choice": _("Select a number from 1 to 5."),
            },
            **common,
        )
    choices = [
        (option, item_in_language(question, "options", option).__html__())
        for option in question.options
    ]
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Select one option."),
                "invalid_choice": _("Select one of the options shown."),
            },
            **common,
        )
    return forms.MultipleChoiceField(
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one option."),
            "invalid_choice": _("Select only the options shown."),
            "invalid_list": _("Select only the options shown."),
        },
        **common,
    )


class SurveyAnswerForm(OneTimeForm):
    """One field per question, then an email address (anonymous) or a name choice (signed in)."""

    def __init__(self, *args: Any, questions: list[Question], anonymous: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.field_name] = _question_field(question)
        if anonymous:
            self.fields["email"] = forms.EmailField(
                label=_("Your email address"),
                max_length=254,
                help_text=_(
                    "We will email you a link to confirm your answers. They count only once you "
                    "confirm. Then we delete your email address."
                ),
                error_messages={
                    "required": _("Enter your email address, so you can confirm your answers."),
                    "invalid": _(
                        "Enter an email address in the correct format, like name@example.com."
                    ),
                },
            )
        else:
            self.fields["author_display"] = _author_display(
                AuthorDisplay.ANONYMOUS, _("If your written answers are shown, show my name as")
            )

    def answers(self) -> dict[int, Any]:
        """Question id → the cleaned answer, for survey_submit."""
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}


class AssetForm(OneTimeForm):
    kind = forms.ChoiceField(
        label=_("What kind of asset is it?"),
        choices=AssetKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of asset.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("For example, Westbrook Allotment Society, or ‘I can fix bikes’."),
        error_messages={"required": _("Enter the name of the asset.")},
    )
    description = forms.CharField(
        label=_("Describe it"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it is, who it helps and how people can use it."),
        error_messages={"required": _("Describe the asset.")},
    )
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        max_length=10,
        required=False,
        help_text=_("If it is in one place. For example, NF1 2AB."),
    )
    place_description = forms.CharField(
        label=_("Or describe where it is (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example, the back room of the library on Station Road."),
    )
    area = forms.CharField(
        label=_("Area (optional)"),
        max_length=100,
        required=False,
        help_text=_("The neighbourhood, village or ward. For example, Westbrook."),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations is not None and organisations.exists():
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Offered by an organisation you work for (optional)"),
                queryset=organisations,
                required=False,
                empty_label=_("No, it is my own"),
                error_messages={"invalid_choice": _("Choose an organisation you work for.")},
            )
        self.fields["author_display"] = _author_display(AuthorDisplay.FIRST_NAME)

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["postcode"]) from None


class AssetFilterForm(forms.Form):
    """The asset list filters. Every field is optional; bad values become clear messages."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind of asset"),
        required=False,
        choices=[("", _("All kinds")), *AssetKind.choices],
        error_messages={"invalid_choice": _("Choose one of the kinds in the list.")},
    )
    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the areas in the list.")},
    )

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", _("All areas")), *((a, a) for a in areas)]


class StoryForm(OneTimeForm):
    title = forms.CharField(
        label=_("Give your story a title"),
        max_length=150,
        error_messages={"required": _("Enter a title for your story.")},
    )
    body = forms.CharField(
        label=_("Your story"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "What happened, what helped and what did not. Do not name other people or include "
            "details that could identify them."
        ),
        error_messages={
            "required": _("Write your story."),
            "max_length": _("Your story must be 10,000 characters or fewer."),
        },
    )
    author_display = forms.ChoiceField(
        label=_("How should we show your name with the story?"),
        choices=AuthorDisplay.choices,
        widget=forms.RadioSelect,
        help_text=AUTHOR_DISPLAY_HELP,
        error_messages={"required": _("Select how your name is shown with the story.")},
    )
    consent = forms.BooleanField(
        label=_("I agree that this story can be published on this website"),
        help_text=_(
            "A facilitator reads every story before it appears. You can ask us to remove it at "
            "any time."
        ),
        error_messages={"required": _("Select the box to agree that your story can be published.")},
    )


def organisations_of(user: Visitor) -> OrganisationQuerySet:
    """The organisations a person works for (for 'offered by an organisation')."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")
