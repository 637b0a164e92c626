"""Forms: GOV.UK Design System markup for every Django form, and one way to handle a POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


class GovukFormRenderer(TemplatesSetting):
    """Render forms and fields with the GOV.UK form-group, label, hint and error patterns."""

    form_template_name = "common/forms/form.html"
    field_template_name = "common/forms/field.html"


def widget_kind(field: forms.BoundField) -> str:
    """Name the GOV.UK pattern a bound field is drawn with."""
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def widget_attrs(field: forms.BoundField) -> dict[str, Any]:
    """The class and aria attributes a text-like widget needs, including the error state."""
    kind = widget_kind(field)
    base = {"select": "govuk-select", "textarea": "govuk-textarea", "file": "govuk-file-upload"}
    classes = [base.get(kind, "govuk-input")]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        classes.append(f"{classes[0]}--error")
        described_by.append(f"{field.auto_id}-error")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return attrs


def add_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def handle_form(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], T],
    *,
    success: Callable[[T], str] | str,
    message: Callable[[T], str] | str = "",
) -> HttpResponse | None:
    """The POST half of every form page: validate, run the action, show its errors on the form.

    ``action`` gets the form's cleaned data and makes the one write; a ValidationError it raises
    is shown on the form's fields (or above the form). On success the ``message`` (text, or made
    from the action's result) is flashed and the response redirects to ``success`` (a URL, a URL
    name, or made from the result). Returns None when the page should show the form (again)::

        form = IdeaForm(request.POST or None)
        done = handle_form(request, form, lambda data: actions.idea_create(**data),
                           success=lambda idea: idea.get_absolute_url(), message=_("Posted."))
        return done or render(request, "codesign/idea_form.html", {"form": form})
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        add_action_errors(form, error)
        return None
    text = message(result) if callable(message) else message
    if text:
        messages.success(request, text)
    return redirect(success(result) if callable(success) else success)


class KeyChoiceField(forms.ModelChoiceField):
    """A choice of row by primary key that turns away values no key can have before querying.

    Databases refuse integers beyond 64 bits with an error, not an empty result.
    """

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not (str(value).isdigit() and len(str(value)) < 19):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)
