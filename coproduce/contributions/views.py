"""Pages of the answer spine, for every kind of contribution: answers, statuses, reports,
moderation, "You said, we did", decisions, open-data exports, a person's contributions and follows.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.rules import can_manage_own_account
from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.http import safe_next_url
from coproduce.common.languages import in_english, in_language
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.contributions import actions, exports, queries, queries_inbox, rules
from coproduce.contributions.forms import (
    DecisionForm,
    DecisionWelshForm,
    InboxAnswerForm,
    InboxDecisionForm,
    InboxFilterForm,
    LinkContributionsForm,
    ModerationForm,
    ReportForm,
    ResponseForm,
    ResponseWelshForm,
    StatusForm,
)
from coproduce.contributions.models import Contribution, Decision, Response
from coproduce.notifications.actions import notifications_mark_read
from coproduce.notifications.queries import recent_notifications
from coproduce.services.models import Activity, Service
from coproduce.services.queries import visible_activity, visible_service
from coproduce.services.rules import can_view_activity

# --- Answering, statuses and reports -----------------------------------------------------------


@rule_required(rules.can_answer, load=queries.visible_contribution, staff=True)
@require_http_methods(["GET", "POST"])
def respond(request: SignedInRequest, contribution: Contribution) -> HttpResponse:
    """Post an official answer to any contribution: an idea, a question, a story, an asset…

    An inbox's answer forms post here too. With htmx the item is swapped for the answer, or for
    its form with the error; without JavaScript the answer goes back to the inbox (``next``), and
    an error shows this page.
    """
    in_place = request.method == "POST" and bool(getattr(request, "htmx", False))
    form_class = InboxAnswerForm if in_place else ResponseForm
    form = form_class(request.POST or None, auto_id=f"answer-{contribution.pk}-%s")
    url = queries.page_url(contribution)
    published: list[Response] = []

    def answer(data: dict[str, Any]) -> Response:
        published.append(
            actions.response_create(
                contribution=contribution,
                author=request.user,
                body=data["body"],
                body_cy=data.get("body_cy", ""),
            )
        )
        return published[-1]

    done = handle_form(
        request,
        form,
        answer,
        success=safe_next_url(request, url),
        message=""
        if in_place
        else _("Your answer is published. The author and followers will get an email."),
    )
    if in_place:  # sent again (the same form token): the answer it published then
        given = published[-1] if published else contribution.responses.last() if done else None
        return _inbox_item(request, contribution, form, answer=given)
    return done or render(
        request,
        "contributions/respond_form.html",
        {
            "form": form,
            "contribution": contribution,
            "contribution_url": url,
            "next": safe_next_url(request, ""),
            "service": contribution.service,
            "responses": contribution.responses.select_related("author").order_by("created_at"),
        },
    )


@rule_required(rules.can_set_status, load=queries.visible_contribution, staff=True)
@require_http_methods(["GET", "POST"])
def set_status(request: SignedInRequest, contribution: Contribution) -> HttpResponse:
    """Move a contribution along its kind's statuses; some need a reason."""
    workflow = contribution.kind_spec.workflow
    if workflow is None:  # can_set_status refuses kinds without statuses
        raise Http404
    form = StatusForm(request.POST or None, workflow=workflow, current=contribution.status)
    done = handle_form(
        request,
        form,
        lambda data: actions.contribution_set_status(
            contribution=contribution, changed_by=request.user, **data
        ),
        success=queries.page_url(contribution),
        message=lambda changed: (
            _("The %(kind)s is now “%(status)s”. The author and followers will get an email.")
            % {"kind": changed.get_kind_display().lower(), "status": changed.get_status_display()}
        ),
    )
    return done or render(
        request,
        "contributions/status_form.html",
        {
            "form": form,
            "contribution": contribution,
            "contribution_url": queries.page_url(contribution),
            "service": contribution.service,
            "history": contribution.status_changes.all(),
            # Where the statuses this page does not offer are set (Workflow.reserved).
            "reserved_message": workflow.reserved_message
            if workflow.has_reserved_next(contribution.status)
            else "",
        },
    )


@rule_required(rules.can_report, load=queries.visible_contribution)
@require_http_methods(["GET", "POST"])
def report(request: SignedInRequest, contribution: Contribution) -> HttpResponse:
    """Ask a moderator to look at a contribution; a reason is required."""
    form = ReportForm(request.POST or None)
    url = queries.page_url(contribution)
    done = handle_form(
        request,
        form,
        lambda data: actions.report_create(
            contribution=contribution, reporter=request.user, reason=data["reason"]
        ),
        success=url,
        message=_("Thank you. A moderator will look at it and decide whether to hide it."),
    )
    return done or render(
        request,
        "contributions/report_form.html",
        {
            "form": form,
            "contribution": contribution,
            "contribution_url": url,
            "service": contribution.service,
            "activity": contribution.activity,
        },
    )


# --- Moderation --------------------------------------------------------------------------------

MODERATION_VIEWS = ("pending", "reports", "hidden")


@rule_required(rules.can_moderate_service, load=visible_service, staff=True)
def moderation(request: SignedInRequest, service: Service) -> HttpResponse:
    """The moderation queue: held contributions with why they were held, and open reports."""
    show = request.GET.get("show", "")
    if show not in MODERATION_VIEWS:
        show = "pending"
    page = paginate(request, queries.moderation_lists(service)[show], 20)
    return render(
        request,
        "contributions/moderation.html",
        {
            "service": service,
            "show": show,
            "counts": queries.moderation_counts(service),
            "page": page,
            "items": list(page.object_list),
        },
    )


@rule_required(rules.can_moderate_contribution, load=queries.visible_contribution, staff=True)
@require_http_methods(["GET", "POST"])
def moderate(request: SignedInRequest, contribution: Contribution) -> HttpResponse:
    """Approve (publish, dismiss reports) or hide (uphold reports) one contribution."""
    queue = reverse("contributions:moderation", kwargs={"slug": contribution.service.slug})
    if request.method == "GET":
        return redirect(queue)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to hide it."))
        return redirect(safe_next_url(request, queue))
    if form.cleaned_data["decision"] == "approve":
        try:
            actions.moderation_approve(contribution=contribution, moderator=request.user)
        except ValidationError as error:  # it waits for its author to confirm it
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("“%(title)s” is published.") % {"title": contribution.title}
            )
    else:
        actions.moderation_hide(contribution=contribution, moderator=request.user)
        messages.success(
            request,
            _("“%(title)s” is hidden. Its author can still see it, marked as hidden.")
            % {"title": contribution.title},
        )
    return redirect(safe_next_url(request, queue))


# --- You said, we did; decisions ---------------------------------------------------------------


@rule_required(rules.can_view_service_loop, load=visible_service, hide=True)
def you_said_we_did(request: HttpRequest, service: Service) -> HttpResponse:
    """What people said, paired with what was done and why; and what still waits for an answer."""
    waiting = request.GET.get("show") == "waiting"
    return render(
        request,
        "contributions/you_said_we_did.html",
        {
            "service": service,
            "waiting": waiting,
            "page": paginate(request, queries.loop_contributions(service, answered=not waiting)),
            "coverage": queries.answer_coverage(service),
            "decisions": queries.decisions_of(service)[:10],
            "can_decide": rules.can_record_decision(request.user, service),
        },
    )


@rule_required(rules.can_view_decision, load=queries.visible_decision, hide=True)
def decision_detail(request: HttpRequest, decision: Decision) -> HttpResponse:
    """One decision and the contributions that informed it."""
    return render(
        request,
        "contributions/decision_detail.html",
        {
            "decision": decision,
            "service": decision.service,
            "page": paginate(request, queries.decision_contributions(decision)),
            "can_link": rules.can_link_decision(request.user, decision),
        },
    )


def _ids(values: list[str]) -> list[int]:
    """Keys from a form's repeated field: at most 200, nonsense dropped."""
    return [int(v) for v in values[:200] if v.isdigit() and len(v) < 12]


@rule_required(rules.can_record_decision, load=visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def decision_create(request: SignedInRequest, service: Service) -> HttpResponse:
    """Record a decision, linking the contributions it came from: ?contribution=ID (repeated)
    ticks them; the newest that need an answer, or those matching ?q=, are offered to tick."""
    asked = request.POST if request.method == "POST" else request.GET
    field = "contributions" if request.method == "POST" else "contribution"
    ticked = _ids(asked.getlist(field))
    query = request.GET.get("q", "")
    form = DecisionForm(
        request.POST or None,
        initial={"stage": service.current_stage, "contributions": ticked},
        contributions=queries.decision_choices(service, ticked, query),
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.decision_create(service=service, recorded_by=request.user, **data),
        success=lambda decision: decision.get_absolute_url(),
        message=_(
            "Decision recorded. The people whose contributions informed it will hear about it."
        ),
    )
    return done or render(
        request,
        "contributions/decision_form.html",
        {"form": form, "service": service, "q": query, "ticked": ticked},
    )


@rule_required(rules.can_link_decision, load=queries.visible_decision, staff=True)
@require_http_methods(["GET", "POST"])
def decision_link(request: SignedInRequest, decision: Decision) -> HttpResponse:
    """Search the service's contributions and link more of them to a decision."""
    service = decision.service
    query = request.GET.get("q", "")
    if request.method == "POST":
        ids = _ids(request.POST.getlist("contributions"))
    else:
        ids = queries.search_contributions(service, query)
    form = LinkContributionsForm(
        request.POST or None,
        contributions=queries.decision_candidates(service, ids).exclude(decisions=decision),
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.decision_link(
            decision=decision, contributions=data["contributions"], linked_by=request.user
        ),
        success=decision.get_absolute_url(),
        message=_("Contributions linked. Their authors and followers will hear about it."),
    )
    return done or render(
        request,
        "contributions/decision_link.html",
        {"form": form, "decision": decision, "service": service, "q": query},
    )


# --- Welsh for what was published in English (docs/decisions/0025) ----------------------------


@rule_required(rules.can_link_decision, load=queries.visible_decision, staff=True)
@require_http_methods(["GET", "POST"])
def decision_welsh(request: SignedInRequest, decision: Decision) -> HttpResponse:
    """Write the Welsh of a decision beside its English."""
    form = DecisionWelshForm(
        request.POST or None,
        initial={"title_cy": decision.title_cy, "description_cy": decision.description_cy},
        decision=decision,
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.decision_set_welsh(decision=decision, by=request.user, **data),
        success=safe_next_url(request, decision.get_absolute_url()),
        message=_("The Welsh is saved."),
    )
    return done or render(
        request,
        "services/welsh_form.html",
        {
            "form": form,
            "service": decision.service,
            "what": _("Decision"),
            "english": in_english(decision.title),
            "view_url": decision.get_absolute_url(),
        },
    )


@rule_required(rules.can_translate_answer, load=queries.visible_response, staff=True)
@require_http_methods(["GET", "POST"])
def response_welsh(request: SignedInRequest, response: Response) -> HttpResponse:
    """Write the Welsh of an official answer beside its English."""
    contribution = response.contribution
    form = ResponseWelshForm(
        request.POST or None, initial={"body_cy": response.body_cy}, english=response.body
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.response_set_welsh(response=response, by=request.user, **data),
        success=safe_next_url(request, queries.page_url(contribution)),
        message=_("The Welsh is saved."),
    )
    return done or render(
        request,
        "services/welsh_form.html",
        {
            "form": form,
            "service": contribution.service,
            "what": _("Answer"),
            "english": _("Answer to “%(title)s”") % {"title": contribution.title},
            "view_url": queries.page_url(contribution),
        },
    )


# --- The staff inbox ---------------------------------------------------------------------------

INBOX_PAGE_SIZE = 20


@rule_required(rules.can_answer_somewhere, staff=True)
def inbox(request: SignedInRequest) -> HttpResponse:
    """What waits for an answer in every service the person answers for, oldest first."""
    return _inbox_page(request, queries_inbox.services_answered_by(request.user), service=None)


@rule_required(rules.can_answer_for, load=visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def service_inbox(request: SignedInRequest, service: Service) -> HttpResponse:
    """What waits for an answer in one service, oldest first, to answer in place; POST: record
    a decision about the ones ticked, or add them to one of the service's decisions."""
    ids = _ids(request.POST.getlist("contributions"))
    data = None
    if request.method == "POST":
        data = request.POST.copy()  # only keys a database can hold reach the form's query
        data.setlist("contributions", [str(pk) for pk in ids])
    ticked = InboxDecisionForm(
        data,
        contributions=queries.decision_candidates(service, ids),
        decisions=queries.recent_decisions(service),
    )

    def act(chosen: dict[str, Any]) -> dict[str, Any]:
        if chosen["then"] == "link":
            actions.decision_link(
                decision=chosen["decision"],
                contributions=chosen["contributions"],
                linked_by=request.user,
            )
        return chosen

    def then(chosen: dict[str, Any]) -> str:
        if chosen["then"] == "link":
            return request.get_full_path()
        oldest_first = sorted(chosen["contributions"], key=lambda c: (c.created_at, c.pk))
        pairs = [("contribution", c.pk) for c in oldest_first]
        url = reverse("contributions:decision_create", kwargs={"slug": service.slug})
        return f"{url}?{urlencode(pairs)}"

    done = handle_form(
        request,
        ticked,
        act,
        success=then,
        message=lambda chosen: (
            _("Contributions linked. Their authors and followers will hear about it.")
            if chosen["then"] == "link"
            else ""
        ),
    )
    return done or _inbox_page(request, [service], service=service, ticked=ticked, ids=ids)


def _inbox_page(
    request: SignedInRequest,
    services: QuerySet[Service] | list[Service],
    *,
    service: Service | None,
    ticked: InboxDecisionForm | None = None,
    ids: list[int] | None = None,
) -> HttpResponse:
    """An inbox (one service's, or every one the person answers for): filters, a page of what
    waits, an answer form for each, and for one service the form for the ones ticked."""

    def label(activity: Activity) -> str:
        """An activity in the filter, in the visitor's language (text alone: it is an option)."""
        title = in_language(activity, "title").text
        if service:
            return title
        return f"{in_language(activity.service_stage.service, 'name').text} – {title}"

    activities = [(a.pk, label(a)) for a in queries_inbox.inbox_activities(services)]
    kinds = queries_inbox.inbox_kinds()
    filters = InboxFilterForm(request.GET, activities=activities, kinds=kinds).filters()
    shown = InboxFilterForm(
        initial={
            "activity": filters.activity or "",
            "kind": filters.kind,
            "age": filters.older_than or "",
            "due": filters.due,
        },
        activities=activities,
        kinds=kinds,
    )
    page = paginate(request, queries_inbox.inbox(services, filters), INBOX_PAGE_SIZE)
    return render(
        request,
        "contributions/inbox.html",
        {
            "service": service,
            "filter_form": shown,
            "filters": filters,
            "page": page,
            "items": [
                (contribution, InboxAnswerForm(auto_id=f"answer-{contribution.pk}-%s"))
                for contribution in page.object_list
            ],
            "ticked": ticked,
            "ticked_ids": set(ids or ()),
            "by_service": None if service else queries_inbox.waiting_by_service(services),
            "inbox": "service" if service else "all",
        },
    )


def _inbox_item(
    request: SignedInRequest,
    contribution: Contribution,
    form: InboxAnswerForm | ResponseForm,
    *,
    answer: Response | None,
) -> HttpResponse:
    """One inbox item, swapped in by htmx: answered, or its answer form with the error."""
    inbox = request.POST.get("inbox", "")
    return render(
        request,
        "contributions/_inbox_item.html",
        {
            "contribution": contribution,
            "form": form,
            "answer": answer,
            "swapped": True,
            "inbox": inbox if inbox in {"service", "all"} else "all",
            "next": safe_next_url(request, ""),
        },
    )


# --- Open data ---------------------------------------------------------------------------------


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@rule_required(can_view_activity, load=visible_activity, hide=True)
def export_csv(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The activity's published contributions and responses as CSV."""
    return _download(
        exports.as_csv(activity),
        "text/csv; charset=utf-8",
        f"activity-{activity.pk}-contributions.csv",
    )


@rule_required(can_view_activity, load=visible_activity, hide=True)
def export_json(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The activity's published contributions and responses as JSON."""
    body: dict[str, Any] = {
        "activity": {
            "id": activity.pk,
            "title": activity.title,
            "kind": activity.kind,
            "service": activity.service.slug,
        },
        "contributions": list(exports.rows(activity)),
    }
    return _download(
        json.dumps(body, ensure_ascii=False, indent=1),
        "application/json",
        f"activity-{activity.pk}-contributions.json",
    )


# --- A person's own: contributions, news and follows ---------------------------------------------


@rule_required(can_manage_own_account)
def my_contributions(request: SignedInRequest) -> HttpResponse:
    """Everything you have said, where each one stands, and what happened recently."""
    user = request.user
    response = render(
        request,
        "contributions/my_contributions.html",
        {
            "page": paginate(request, queries.my_contributions(user)),
            "notifications": recent_notifications(user),
        },
    )
    notifications_mark_read(user=user)
    return response


@rule_required(can_manage_own_account)
def follows(request: SignedInRequest) -> HttpResponse:
    """What you follow; stop following from here."""
    return render(
        request,
        "contributions/follows.html",
        {"page": paginate(request, queries.follows_of(request.user))},
    )


FOLLOWABLE: dict[str, type[Service | Activity | Contribution]] = {
    "service": Service,
    "activity": Activity,
    "contribution": Contribution,
}


def _follow_target(request: HttpRequest) -> Service | Activity | Contribution:
    model = FOLLOWABLE.get(request.POST.get("target", ""))
    target_id = request.POST.get("id", "")
    if model is None or not target_id.isdigit() or len(target_id) > 12:
        raise Http404
    return cast(Service | Activity | Contribution, get_object_or_404(model, pk=int(target_id)))


@rule_required(rules.can_follow, load=_follow_target, hide=True)
@require_POST
def follow(request: SignedInRequest, target: Service | Activity | Contribution) -> HttpResponse:
    """Follow or stop following a service, activity or contribution (POST follow=1 or 0)."""
    following = actions.follow_set(
        user=request.user, target=target, follow=request.POST.get("follow") == "1"
    )
    if getattr(request, "htmx", False):
        return render(
            request,
            "contributions/_follow_button.html",
            {"target": target, "target_type": target._meta.model_name, "following": following},
        )
    messages.success(
        request,
        _("You will get an email when something happens to it.")
        if following
        else _("You no longer follow it."),
    )
    return redirect(safe_next_url(request, "/"))
