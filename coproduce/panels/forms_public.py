"""Forms of the public panel pages: the registration code, registration itself and a selected
person's answer. Shape and field checks only: ``actions.registrant_register`` checks the code, the
phase and the answers again (the same messages whichever way registration arrives)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coproduce.common.forms import OneTimeForm
from coproduce.common.languages import in_language
from coproduce.panels.models import PREFER_NOT_TO_SAY, Category, Panel

# What people may need to take part; the values are stored in RegistrationData.access_needs.
ACCESS_NEEDS = [
    ("bsl", _("A British Sign Language (BSL) interpreter")),
    ("step-free", _("Step-free access")),
    ("childcare", _("Help with childcare, or paying for it")),
    ("travel", _("Help with travel, or paying for it")),
]


def normalise_code(text: str) -> str:
    """A code as printed ("ABCD EFGH", "abcd-efgh") in the form the letters' codes are stored."""
    return "".join(text.split()).replace("-", "").upper()


class CodeForm(forms.Form):
    """The first step of registering: the code from the letter."""

    code = forms.CharField(
        label=_("Your registration code"),
        help_text=_("It is on your letter, for example ABCD EFGH."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={"required": _("Enter the registration code from your letter.")},
    )

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])


def category_field_name(category: Category) -> str:
    return f"category_{category.pk}"


class RegistrationForm(OneTimeForm):
    """Contact details, one question per quota category, availability, access needs, consent."""

    name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will email you a link to see whether you have been selected."),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("If you have no email address, we will phone you instead."),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}
        ),
    )

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.panel = panel
        self.categories = list(panel.categories.prefetch_related("features"))
        for category in self.categories:
            choices: list[tuple[str, Any]] = [
                (feature.value, in_language(feature, "value").text)
                for feature in category.features.all()
            ]
            if category.allow_prefer_not_to_say:
                choices.append((PREFER_NOT_TO_SAY, _("Prefer not to say")))
            name = in_language(category, "name").text
            self.fields[category_field_name(category)] = forms.ChoiceField(
                label=name,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer for “%(question)s”.") % {"question": name},
                    "invalid_choice": _("Choose one of the answers for “%(question)s”.")
                    % {"question": name},
                },
            )
        # After the quota questions: availability, access needs and consent.
        self.fields["availability"] = forms.CharField(
            label=_("When can you take part? (optional)"),
            help_text=_("For example: weekday evenings, Saturdays, not in August."),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["access_needs"] = forms.MultipleChoiceField(
            label=_("What would help you take part? (optional)"),
            help_text=_("Choose all that apply, so that we can arrange it before the meetings."),
            choices=ACCESS_NEEDS,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Choose from the list.")},
        )
        self.fields["access_notes"] = forms.CharField(
            label=_("Anything else we should know so that you can take part (optional)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I agree that the people running this panel may keep and use my answers as "
                "described on this page"
            ),
            error_messages={"required": _("Say that you agree to how we use your answers.")},
        )

    def quota_fields(self) -> list[forms.BoundField]:
        """The quota questions, for the part of the page that says why they are asked."""
        return [self[category_field_name(category)] for category in self.categories]

    def answers(self) -> dict[str, str]:
        """The answers as the action takes them: {category name: answer} (after is_valid)."""
        return {
            category.name: self.cleaned_data[category_field_name(category)]
            for category in self.categories
        }

    def field_for_category(self, name: str) -> str | None:
        """The form field of a category named in an action's error."""
        for category in self.categories:
            if category.name == name:
                return category_field_name(category)
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("email") or data.get("phone")) and not self.has_error("email"):
            self.add_error(
                "email", _("Give an email address or a phone number, so that we can tell you.")
            )
        return data


def action_error_for_form(form: RegistrationForm, error: ValidationError) -> ValidationError:
    """The action's error with its category names turned into the form's field names."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {form.field_for_category(key) or key: value for key, value in error.error_dict.items()}
    )


class RespondForm(forms.Form):
    """A selected person says whether they will take part."""

    response = forms.ChoiceField(
        label=_("Will you take part in the panel?"),
        choices=[
            ("confirm", _("Yes, I will take part")),
            ("decline", _("No, I cannot take part")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will take part.")},
    )
