"""Answer coverage for service pages, the staff flags for contributions waiting too long and for
the moderation queue, the way into the staff inbox, and links that never fail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from coproduce.contributions import queries, queries_inbox, rules
from coproduce.contributions.models import Contribution
from coproduce.services.models import Service

register = template.Library()


@register.inclusion_tag("contributions/_coverage.html", takes_context=True)
def answer_coverage(context: dict[str, Any], service: Service) -> dict[str, Any]:
    """Per activity: share of contributions answered and median days to answer."""
    return {
        "service": service,
        "coverage": queries.answer_coverage(service),
        "request": context["request"],
    }


@register.inclusion_tag("contributions/_overdue.html", takes_context=True)
def overdue_flag(context: dict[str, Any], service: Service) -> dict[str, Any]:
    """For staff who answer: contributions unanswered for more than 30 days."""
    user = context["request"].user
    allowed = rules.can_record_decision(user, service)
    return {
        "service": service,
        "overdue": queries.overdue_contributions(service)[:20] if allowed else [],
        "allowed": allowed,
    }


@register.inclusion_tag("contributions/_moderation_row.html", takes_context=True)
def moderation_row(context: dict[str, Any], service: Service) -> dict[str, Any]:
    """For moderators, a summary-list row: what waits in the service's moderation queue."""
    user = context["request"].user
    allowed = rules.can_moderate_service(user, service)
    return {
        "service": service,
        "counts": queries.moderation_counts(service) if allowed else {},
        "allowed": allowed,
    }


@register.inclusion_tag("contributions/_inbox_link.html", takes_context=True)
def inbox_link(context: dict[str, Any], service: Service) -> dict[str, Any]:
    """For staff who answer: how much waits for an answer, the inbox, "Record a decision"."""
    user = context["request"].user
    allowed = rules.can_answer_for(user, service)
    return {
        "service": service,
        "waiting": queries_inbox.waiting_in(service) if allowed else None,
        "allowed": allowed,
    }


@register.inclusion_tag("contributions/_inbox_summary.html", takes_context=True)
def inbox_summary(context: dict[str, Any]) -> dict[str, Any]:
    """For staff who answer, on their dashboard: how much waits in all their services."""
    user = context["request"].user
    allowed = rules.can_answer_somewhere(user)
    return {
        "allowed": allowed,
        "waiting": queries_inbox.waiting_count(queries_inbox.services_answered_by(user))
        if allowed
        else 0,
    }


@register.filter
def days_waiting(contribution: Contribution) -> int:
    """Whole days since the contribution was made."""
    return (timezone.now() - contribution.created_at).days


@register.filter
def answer_due(contribution: Contribution) -> dt.date | None:
    """The date an answer was promised by (its kind's ``answer_due_field``), or None."""
    return queries_inbox.answer_due_of(contribution)


@register.filter
def answer_overdue(contribution: Contribution) -> bool:
    """Whether the date an answer was promised by has passed."""
    due = queries_inbox.answer_due_of(contribution)
    return due is not None and due < timezone.localdate()


@register.filter
def link_to(obj: Any) -> str:
    """``obj.get_absolute_url()``; while that page does not exist (yet), its activity's page or ''."""
    return queries.page_url(obj)
