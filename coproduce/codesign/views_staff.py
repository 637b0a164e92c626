"""Co-design pages for staff: official answers, idea statuses, categories and the moderation
queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.codesign import actions, loaders, queries, rules
from coproduce.codesign.forms import (
    CategoryForm,
    IdeaStatusForm,
    ModerationForm,
    ResponseForm,
)
from coproduce.codesign.models import (
    Contribution,
    Idea,
    IdeaCategory,
    Report,
    ReportStatus,
    Visibility,
)
from coproduce.common.forms import add_action_errors
from coproduce.common.permissions import rule_required
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity, Service

# --- Staff pages --------------------------------------------------------------------------


@rule_required(rules.can_answer, load=loaders.visible_contribution, staff=True)
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    """Post an official answer to any contribution: an idea, a question, a story, an asset…"""
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.response_create(
                contribution=contribution, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Your answer is published. The author and followers will get an email."),
            )
            return redirect(loaders.contribution_url(contribution))
    return render(
        request,
        "codesign/respond_form.html",
        {
            "form": form,
            "contribution": contribution,
            "contribution_url": loaders.contribution_url(contribution),
            "service": contribution.service,
            "responses": contribution.responses.select_related("author").order_by("created_at"),
        },
    )


@rule_required(rules.can_set_idea_status, load=loaders.visible_idea, staff=True)
@require_http_methods(["GET", "POST"])
def idea_status(request: HttpRequest, idea: Idea) -> HttpResponse:
    """Move an idea along its statuses; adapted and not taken forward need a reason."""
    form = IdeaStatusForm(request.POST or None, current=idea.status)
    if request.method == "POST" and form.is_valid():
        try:
            idea = actions.idea_set_status(
                idea=idea,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                changed_by=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("The idea is now “%(status)s”. The author and followers will get an email.")
                % {"status": idea.get_status_display()},
            )
            return redirect(idea.get_absolute_url())
    return render(
        request,
        "codesign/status_form.html",
        {
            "form": form,
            "idea": idea,
            "service": idea.contribution.service,
            "history": idea.status_changes.all(),
        },
    )


@rule_required(service_rules.can_manage_activity, load=loaders.visible_challenge, staff=True)
@require_http_methods(["GET", "POST"])
def category_list(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The categories of an idea challenge, and a form to add one."""
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = actions.idea_category_create(
                activity=activity, name=form.cleaned_data["name"], created_by=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
            return redirect("codesign:category_list", pk=activity.pk)
    categories = IdeaCategory.objects.filter(activity=activity).annotate(idea_count=Count("ideas"))
    return render(
        request,
        "codesign/category_list.html",
        {
            "form": form,
            "activity": activity,
            "service": activity.service,
            "categories": categories,
        },
    )


@rule_required(loaders.can_manage_categories, load=loaders.visible_category, staff=True)
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, category: IdeaCategory) -> HttpResponse:
    """Rename a category."""
    form = CategoryForm(request.POST or None, initial={"name": category.name})
    if request.method == "POST" and form.is_valid():
        try:
            actions.idea_category_rename(
                category=category, name=form.cleaned_data["name"], renamed_by=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Category renamed."))
            return redirect("codesign:category_list", pk=category.activity_id)
    return render(
        request,
        "codesign/category_form.html",
        {
            "form": form,
            "category": category,
            "activity": category.activity,
            "service": category.activity.service,
        },
    )


MODERATION_VIEWS = ("pending", "reports", "hidden")


def moderation_lists(service: Service) -> dict[str, QuerySet[Contribution]]:
    """What waits for a moderator in one service, for every kind of contribution."""
    base = (
        Contribution.objects.for_service(service)
        .with_details()
        .select_related("activity")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(status=ReportStatus.OPEN).order_by("created_at"),
                to_attr="open_reports",
            ),
            "submission__answers__question",
        )
    )
    return {
        "pending": base.filter(visibility=Visibility.PENDING).order_by("created_at", "id"),
        "reports": base.annotate(
            first_report=Min("reports__created_at", filter=Q(reports__status=ReportStatus.OPEN))
        )
        .filter(first_report__isnull=False)
        .order_by("first_report", "id"),
        "hidden": base.filter(visibility=Visibility.HIDDEN).order_by("-moderated_at", "-id"),
    }


@rule_required(rules.can_moderate_service, load=loaders.visible_service, staff=True)
def moderation(request: HttpRequest, service: Service) -> HttpResponse:
    """The moderation queue: held contributions with why they were held, and open reports."""
    show = request.GET.get("show", "")
    if show not in MODERATION_VIEWS:
        show = "pending"
    lists = moderation_lists(service)
    counts = queries.moderation_counts(service)
    page = Paginator(lists[show], 20).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for contribution in items:
        contribution.url = loaders.contribution_url(contribution)  # type: ignore[attr-defined]
    return render(
        request,
        "codesign/moderation.html",
        {
            "service": service,
            "show": show,
            "counts": counts,
            "page": page,
            "items": items,
        },
    )


@rule_required(loaders.can_moderate_contribution, load=loaders.visible_contribution, staff=True)
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    """Approve (publish, dismiss reports) or hide (uphold reports) one contribution."""
    queue = reverse("codesign:moderation", kwargs={"slug": contribution.service.slug})
    if request.method == "GET":
        return redirect(queue)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to hide it."))
        return redirect(loaders.next_url(request, queue))
    if form.cleaned_data["decision"] == "approve":
        actions.moderation_approve(contribution=contribution, moderator=request.user)
        messages.success(request, _("“%(title)s” is published.") % {"title": contribution.title})
    else:
        actions.moderation_hide(contribution=contribution, moderator=request.user)
        messages.success(
            request,
            _("“%(title)s” is hidden. Its author can still see it, marked as hidden.")
            % {"title": contribution.title},
        )
    return redirect(loaders.next_url(request, queue))
