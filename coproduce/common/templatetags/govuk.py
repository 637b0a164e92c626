"""Template helpers for GOV.UK markup: forms, pagination and plain formatting."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from coproduce.common import forms as govuk_forms
from coproduce.common.forms import widget_attrs, widget_kind

register = template.Library()


@register.filter
def kind(field: forms.BoundField) -> str:
    """The GOV.UK pattern for a field: input, textarea, select, radios, checkboxes, checkbox, date."""
    return widget_kind(field)


@register.filter
def date_parts(field: forms.BoundField) -> list[dict[str, Any]]:
    """The day, month and year inputs of a date field, each marked when it is in error."""
    return govuk_forms.date_parts(field)


@register.filter
def error_target(field: forms.BoundField) -> str:
    """The id the error summary links to for a field (its first input, or first wrong part)."""
    return govuk_forms.error_target(field)


@register.simple_tag
def govuk_widget(field: forms.BoundField) -> SafeString:
    """Render a text-like widget with GOV.UK classes, error state and aria-describedby."""
    return field.as_widget(attrs=widget_attrs(field))


@register.filter
def is_checked(value: Any, selected: Any) -> bool:
    """Whether a choice value is among the current values of a field."""
    if selected is None:
        return False
    values = selected if isinstance(selected, list | tuple | set) else [selected]
    return str(value) in {str(item) for item in values}


@register.inclusion_tag("common/pagination.html", takes_context=True)
def pagination(context: dict[str, Any], page: Any, fragment: str = "") -> dict[str, Any]:
    """GOV.UK pagination links that keep the rest of the query string (and go to ``#fragment``)."""
    request = context["request"]
    query = request.GET.copy()
    anchor = f"#{fragment}" if fragment else ""

    def link(number: int) -> str:
        query["page"] = str(number)
        return "?" + query.urlencode() + anchor

    numbers: list[dict[str, Any]] = []
    if page.paginator.num_pages > 1:
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
            if number == page.paginator.ELLIPSIS:
                numbers.append({"ellipsis": True})
            else:
                numbers.append(
                    {"number": number, "href": link(int(number)), "current": number == page.number}
                )
    return {
        "page": page,
        "numbers": numbers,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }
