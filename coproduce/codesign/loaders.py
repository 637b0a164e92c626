"""What the co-design pages load and check before they run: the object a page is about (404 when
the visitor may not know it exists), rules in the shape ``rule_required`` calls them, and where
to go after a POST."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme

from coproduce.codesign import rules
from coproduce.codesign.models import Contribution, Idea, IdeaCategory
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity, ActivityKind, Service

ACTIVITY_PATH = "service_stage__service__organisation"

# --- Loaders


def load_challenge(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related(ACTIVITY_PATH), pk=pk, kind=ActivityKind.IDEA_CHALLENGE
    )


def visible_challenge(request: HttpRequest, pk: int) -> Activity:
    activity = load_challenge(request, pk)
    if not service_rules.can_view_activity(request.user, activity):
        raise Http404
    return activity


def load_idea(request: HttpRequest, pk: int) -> Idea:
    return get_object_or_404(
        Idea.objects.select_related(
            "contribution__author", f"contribution__activity__{ACTIVITY_PATH}", "category"
        ),
        pk=pk,
    )


def visible_idea(request: HttpRequest, pk: int) -> Idea:
    idea = load_idea(request, pk)
    if not rules.can_view_contribution(request.user, idea.contribution):
        raise Http404
    return idea


def visible_contribution(request: HttpRequest, pk: int) -> Contribution:
    contribution = get_object_or_404(
        Contribution.objects.with_details().select_related(f"activity__{ACTIVITY_PATH}"), pk=pk
    )
    if not rules.can_view_contribution(request.user, contribution):
        raise Http404
    return contribution


def visible_service(request: HttpRequest, slug: str) -> Service:
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    if not service_rules.can_view_service(request.user, service):
        raise Http404
    return service


def visible_category(request: HttpRequest, pk: int) -> IdeaCategory:
    category = get_object_or_404(
        IdeaCategory.objects.select_related(f"activity__{ACTIVITY_PATH}"), pk=pk
    )
    if not service_rules.can_view_activity(request.user, category.activity):
        raise Http404
    return category


# --- Rules in the shape rule_required calls them: rule(user, loaded object).


def can_view_idea(user: Any, idea: Idea) -> bool:
    return rules.can_view_contribution(user, idea.contribution)


def can_moderate_contribution(user: Any, contribution: Contribution) -> bool:
    return rules.can_moderate(user, contribution.activity)


def can_manage_categories(user: Any, category: IdeaCategory) -> bool:
    return service_rules.can_manage_activity(user, category.activity)


# --- Where to go


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: the page it came from when that is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def contribution_url(contribution: Contribution) -> str:
    """The contribution's page, or its activity's page while that kind has no page yet."""
    try:
        return contribution.get_absolute_url()
    except NoReverseMatch:
        return contribution.activity.get_absolute_url()
