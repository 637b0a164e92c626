"""GOV.UK Design System markup for every Django form, without hand-copied macros."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


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


def add_action_errors(form: forms.Form, error: Exception) -> None:
    """Show an action's ValidationError on the form: on its field when the form has it."""
    from django.core.exceptions import ValidationError

    if not isinstance(error, ValidationError):
        raise error
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
