"""Idea challenge pages for the people who run a challenge: its categories.

Answers, statuses and the moderation queue are the answer spine's staff pages.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.codesign import actions, queries, rules
from coproduce.codesign.forms import CategoryForm, NewCategoryForm
from coproduce.codesign.models import IdeaCategory
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
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
