"""Idea challenge pages for the people who run a challenge: its categories, its supports
threshold, and opinion-map statements taken forward into it as ideas.

Answers, statuses and the moderation queue are the answer spine's staff pages.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.codesign import actions, queries, rules
from coproduce.codesign.forms import (
    CategoryForm,
    NewCategoryForm,
    TakeForwardForm,
    ThresholdForm,
)
from coproduce.codesign.models import Idea, IdeaCategory, SupportsThreshold
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.contributions import rules as spine_rules
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity


@rule_required(service_rules.can_manage_activity, load=queries.visible_challenge, staff=True)
@require_http_methods(["GET", "POST"])
def category_list(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """The categories of an idea challenge, and a form to add one."""
    form = NewCategoryForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.idea_category_create(
            activity=activity, name=data["name"], created_by=request.user
        ),
        success=reverse("codesign:category_list", args=[activity.pk]),
        message=lambda category: _("Category “%(name)s” added.") % {"name": category.name},
    )
    return done or render(
        request,
        "codesign/category_list.html",
        {
            "form": form,
            "activity": activity,
            "service": activity.service,
            "categories": queries.categories_of(activity).annotate(idea_count=Count("ideas")),
        },
    )


@rule_required(rules.can_manage_categories, load=queries.visible_category, staff=True)
@require_http_methods(["GET", "POST"])
def category_edit(request: SignedInRequest, category: IdeaCategory) -> HttpResponse:
    """Rename a category."""
    form = CategoryForm(request.POST or None, initial={"name": category.name})
    done = handle_form(
        request,
        form,
        lambda data: actions.idea_category_rename(
            category=category, name=data["name"], renamed_by=request.user
        ),
        success=reverse("codesign:category_list", args=[category.activity_id]),
        message=_("Category renamed."),
    )
    return done or render(
        request,
        "codesign/category_form.html",
        {
            "form": form,
            "category": category,
            "activity": category.activity,
            "service": category.activity.service,
        },
    )


@rule_required(rules.can_set_threshold, load=queries.visible_challenge, staff=True)
@require_http_methods(["GET", "POST"])
def threshold(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Set the challenge's supports threshold: how many supports get an idea a written answer,
    and within how many working days."""
    current = queries.threshold_of(activity)
    form = ThresholdForm(
        request.POST or None,
        initial={"supports": current.supports, "answer_days": current.answer_days}
        if current
        else None,
    )

    def saved(threshold: SupportsThreshold | None) -> str:
        if threshold is None:
            return _("The challenge has no supports threshold now.")
        return _("Threshold saved: %(promise)s") % {"promise": threshold.describe()}

    done = handle_form(
        request,
        form,
        lambda data: actions.supports_threshold_set(activity=activity, set_by=request.user, **data),
        success=reverse("codesign:threshold", args=[activity.pk]),
        message=saved,
    )
    return done or render(
        request,
        "codesign/threshold_form.html",
        {
            "form": form,
            "activity": activity,
            "service": activity.service,
            "threshold": current,
            "reached": queries.ideas_reaching_threshold(activity),
            "can_answer": spine_rules.can_answer_for(request.user, activity.service),
            "today": timezone.localdate(),
        },
    )


@rule_required(rules.can_take_forward, load=queries.visible_challenge, staff=True)
@require_http_methods(["GET", "POST"])
def take_forward(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Take a statement that all groups agreed with on one of the service's opinion maps forward
    as an idea of the challenge (decision 0111)."""
    rows = queries.statements_to_take_forward(activity)
    by_pk = {str(row.contribution.pk): row.contribution for row in rows}
    form = TakeForwardForm(request.POST or None, rows=rows)

    def taken(idea: Idea) -> str:
        return _("“%(title)s” is an idea of this challenge now, and its author has been told.") % {
            "title": idea.title
        }

    done = handle_form(
        request,
        form,
        lambda data: actions.idea_take_forward(
            challenge=activity, by=request.user, statement=by_pk[data["statement"]]
        ),
        success=lambda idea: idea.get_absolute_url(),
        message=taken,
    )
    return done or render(
        request,
        "codesign/take_forward.html",
        {
            "form": form,
            "activity": activity,
            "service": activity.service,
            "taken": [row for row in rows if row.idea is not None],
            "closed": None if rules.takes_ideas_forward(activity) else rules.CLOSED_TO_IDEAS,
        },
    )
