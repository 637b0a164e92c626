"""What the assessment pages share: the context every page about one assessment has, and a form's
standards by theme, numbered in the order the page shows them."""

from __future__ import annotations

from typing import Any, Protocol

from coproduce.assessment.models import Assessment
from coproduce.assessment.queries_assessments import Theme, by_theme


class StandardsForm(Protocol):
    def standard_fields(self) -> list[dict[str, Any]]: ...


def assessment_page(assessment: Assessment, **extra: Any) -> dict[str, Any]:
    """The assessment, its activity, service and pinned version, and the page's own."""
    activity = assessment.activity
    return {
        "assessment": assessment,
        "activity": activity,
        "service": activity.service,
        "version": assessment.version,
        **extra,
    }


def numbered_themes(form: StandardsForm) -> list[Theme]:
    """The form's standards (one dict of bound fields each) by theme, numbered from 1."""
    themes = by_theme(form.standard_fields(), lambda item: item["standard"])
    items = (item for theme in themes for item in theme.items)
    for number, item in enumerate(items, 1):
        item["number"] = number
    return themes
