"""The pages of the people who run a conversation: its settings and seed statements, moderation,
recomputing the map, and publishing the official summary through the answer spine."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.common.forms import add_action_errors, handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.contributions.actions import decision_create
from coproduce.contributions.models import Contribution, Decision, Visibility
from coproduce.contributions.rules import can_record_decision
from coproduce.conversations import actions, queries, rules
from coproduce.conversations import forms_staff as forms
from coproduce.conversations.actions import ModerationDecision
from coproduce.conversations.models import (
    Conversation,
    MapRun,
    Participant,
    Statement,
    Vote,
)
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_manage_activity, can_view_activity

# --- Loading and rules -------------------------------------------------------------------------


def _activity(request: HttpRequest, pk: int) -> Activity:
    """An opinion-map activity (with or without its conversation yet)."""
    activity = get_object_or_404(
        Activity.objects.select_related("service_stage__service__organisation"),
        pk=pk,
        kind=ActivityKind.OPINION_MAP,
    )
    if not can_view_activity(request.user, activity):
        raise Http404
    return activity


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    return queries.visible_conversation(request.user, pk)


def _statement(request: HttpRequest, pk: int) -> Statement:
    statement = get_object_or_404(
        Statement.objects.select_related(
            "contribution", "conversation__activity__service_stage__service"
        ),
        pk=pk,
    )
    if not rules.can_view_conversation(request.user, statement.conversation):
        raise Http404
    return statement


def _can_moderate_statement(user: Visitor, statement: Statement) -> bool:
    return rules.can_moderate_conversation(user, statement.conversation)


def _can_publish_summary(user: Visitor, conversation: Conversation) -> bool:
    """The summary is a decision of the service: those who record decisions publish it."""
    return can_record_decision(user, conversation.activity.service)


def _manage_url(conversation: Conversation) -> str:
    return reverse("conversations:manage", args=[conversation.pk])


def _context(conversation: Conversation, **extra: Any) -> dict[str, Any]:
    """What every staff page of a conversation has: it, its activity and its service."""
    activity = conversation.activity
    return {
        "conversation": conversation,
        "activity": activity,
        "service": activity.service,
        **extra,
    }


# --- The conversation's page: set-up, then settings, seed statements and the map ---------------


@rule_required(can_manage_activity, load=_activity, staff=True)
@require_http_methods(["GET", "POST"])
def manage(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Set up the conversation of an opinion-map activity; once it has one, run it from here."""
    conversation = Conversation.objects.filter(activity=activity).first()
    if conversation is None:
        return _setup(request, activity)
    posted = request.POST.get("form") if request.method == "POST" else None
    initial = {name: getattr(conversation, name) for name in forms.SETTINGS}
    settings_form = forms.ConversationForm(
        request.POST if posted == "settings" else None,
        initial=initial,
        audience_fixed=rules.audience_fixed(conversation),
    )
    # Two forms on one page: the seed statement's ids differ from the settings' (one_time_token).
    statement_form = forms.StatementForm(
        request.POST if posted == "statement" else None, auto_id="seed-%s"
    )
    done = None
    if posted == "settings":
        done = handle_form(
            request,
            settings_form,
            lambda data: actions.conversation_update(
                conversation=conversation, by=request.user, **settings_form.settings()
            ),
            success=_manage_url(conversation),
            message=_("Settings saved."),
        )
    elif posted == "statement":
        done = handle_form(
            request,
            statement_form,
            lambda data: actions.statement_add(
                conversation=conversation, by=request.user, text=data["text"]
            ),
            success=_manage_url(conversation) + "#seed-statements",
            message=_("Seed statement added. People can vote on it now.")
            if rules.is_open(conversation)
            else _("Seed statement added. People can vote on it once the conversation opens."),
        )
    elif request.method == "POST":
        return redirect(_manage_url(conversation))
    if done is not None:
        return done
    if posted == "settings":
        conversation.refresh_from_db()  # a refused change: the page shows what is saved
    return render(
        request,
        "conversations/staff/manage.html",
        _context(
            conversation,
            settings_form=settings_form,
            statement_form=statement_form,
            seeds=conversation.statements.filter(is_seed=True).select_related("contribution"),
            figures=_figures(conversation),
            run=conversation.maps.first(),
            summaries=_summaries(conversation),
            debounce=actions.debounce_seconds(),
            can_publish_summary=_can_publish_summary(request.user, conversation),
            can_moderate=rules.can_moderate_conversation(request.user, conversation),
            takes_seeds=rules.takes_seed_statements(conversation),
        ),
    )


def _setup(request: SignedInRequest, activity: Activity) -> HttpResponse:
    form = forms.ConversationForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.conversation_create(
            activity=activity, by=request.user, **form.settings()
        ),
        success=reverse("conversations:manage", args=[activity.pk]),
        message=_("The conversation is set up. Write its seed statements next."),
    )
    return done or render(
        request,
        "conversations/staff/setup.html",
        {"form": form, "activity": activity, "service": activity.service},
    )


def _figures(conversation: Conversation) -> dict[str, int]:
    """How many people took part and voted, and how many statements wait for a moderator."""
    rows = (
        conversation.statements.order_by()
        .values("contribution__visibility")
        .annotate(n=Count("pk"))
    )
    by_visibility = {row["contribution__visibility"]: row["n"] for row in rows}
    return {
        "participants": Participant.objects.filter(conversation=conversation).count(),
        "votes": Vote.objects.filter(conversation=conversation).count(),
        "published": by_visibility.get(Visibility.PUBLISHED, 0),
        "pending": by_visibility.get(Visibility.PENDING, 0),
        "rejected": by_visibility.get(Visibility.HIDDEN, 0),
    }


def _summaries(conversation: Conversation) -> QuerySet[Decision]:
    """The decisions that answer statements of this conversation: its published summaries."""
    return (
        Decision.objects.filter(contributions__opinion_statement__conversation=conversation)
        .annotate(statements=Count("contributions", distinct=True))
        .order_by("-decided_on", "-id")
    )


@rule_required(rules.can_manage_conversation, load=_conversation, staff=True)
@require_POST
def map_refresh(request: SignedInRequest, conversation: Conversation) -> HttpResponse:
    """Ask for the map to be recomputed now, in the background (never during this request)."""
    actions.map_request(conversation=conversation, by=request.user)
    messages.success(
        request,
        _("The map will be recomputed in the background within %(seconds)s seconds.")
        % {"seconds": actions.debounce_seconds()},
    )
    return redirect(_manage_url(conversation) + "#map")


# --- Moderation --------------------------------------------------------------------------------

WAITING, PUBLISHED, REJECTED, META = "waiting", "published", "rejected", "meta"
SHOWN = [
    (WAITING, gettext_lazy("Waiting")),
    (PUBLISHED, gettext_lazy("Published")),
    (REJECTED, gettext_lazy("Rejected")),
    (META, gettext_lazy("Meta")),
]
_FILTERS = {
    WAITING: Q(contribution__visibility=Visibility.PENDING),
    PUBLISHED: Q(contribution__visibility=Visibility.PUBLISHED, is_meta=False),
    REJECTED: Q(contribution__visibility=Visibility.HIDDEN),
    META: Q(is_meta=True),
}


def _show(value: object) -> str:
    return value if isinstance(value, str) and value in _FILTERS else WAITING


def _moderation_url(conversation: Conversation, show: str, page: int | None = None) -> str:
    query = {"show": show, **({"page": str(page)} if page and page > 1 else {})}
    return f"{reverse('conversations:moderation', args=[conversation.pk])}?{urlencode(query)}"


def _to_moderate(conversation: Conversation, show: str) -> QuerySet[Statement]:
    """The statements under one filter, with their authors and vote counts; the waiting ones
    oldest first (the longest waiting), the rest newest first."""
    statements = (
        conversation.statements.filter(_FILTERS[show])
        .select_related("contribution", "author__user")
        .annotate(vote_count=Count("votes"))
    )
    order = ("created_at", "pk") if show == WAITING else ("-created_at", "-pk")
    return statements.order_by(*order)


@rule_required(rules.can_moderate_conversation, load=_conversation, staff=True)
def moderation(request: SignedInRequest, conversation: Conversation) -> HttpResponse:
    """The conversation's statements to accept, reject or mark as meta, by filter."""
    show = _show(request.GET.get("show"))
    counts = {
        name: conversation.statements.filter(condition).count()
        for name, condition in _FILTERS.items()
    }
    page = paginate(request, _to_moderate(conversation, show))
    return render(
        request,
        "conversations/staff/moderation.html",
        _context(
            conversation,
            page=page,
            show=show,
            filters=[(value, label, counts[value]) for value, label in SHOWN],
            decisions=ModerationDecision,
        ),
    )


_DONE = {
    ModerationDecision.ACCEPT: gettext_lazy("The statement is published: people can vote on it."),
    ModerationDecision.REJECT: gettext_lazy(
        "The statement is rejected. Its author can see why, and it is left out of the map."
    ),
    ModerationDecision.META: gettext_lazy(
        "The statement is marked as meta: people still vote on it, but it is left out of the map."
    ),
    ModerationDecision.NOT_META: gettext_lazy(
        "The statement is no longer meta: it counts in the map again."
    ),
}


@rule_required(_can_moderate_statement, load=_statement, staff=True)
@require_POST
def statement_moderate(request: SignedInRequest, statement: Statement) -> HttpResponse:
    """Accept, reject (with a reason) or mark a statement as meta, then go back to the list."""
    conversation = statement.conversation
    form = forms.ModerationForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data
    back = _moderation_url(conversation, _show(data.get("show")), form.page_number())
    if "decision" in form.errors:
        messages.error(request, _("Choose what to do with the statement."))
        return redirect(back)
    if valid:
        try:
            actions.statement_moderate(
                statement=statement,
                by=request.user,
                decision=data["decision"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, str(_DONE[data["decision"]]))
            return redirect(back)
    # A reason missing or too long: the reason's own page, with the error on its field.
    return render(
        request,
        "conversations/staff/statement_reject.html",
        _context(conversation, form=form, statement=statement, back=back),
    )


# --- The official summary ----------------------------------------------------------------------


def _map_highlights(run: MapRun | None) -> list[int]:
    """The statements the latest map picked out: consensus, then each group's representatives."""
    if run is None:
        return []
    result = run.result
    consensus = result.get("consensus", {})
    picked = [
        *consensus.get("agree", []),
        *consensus.get("disagree", []),
        *(item for items in result.get("representative", {}).values() for item in items),
    ]
    return list(dict.fromkeys(int(item["statement_id"]) for item in picked))


@rule_required(_can_publish_summary, load=_conversation, staff=True)
@require_http_methods(["GET", "POST"])
def summary(request: SignedInRequest, conversation: Conversation) -> HttpResponse:
    """Publish the official summary as a decision of the service, answering the statements it
    draws on: it then shows in "You said, we did" and beside each of those statements."""
    activity = conversation.activity
    highlights = _map_highlights(queries.latest_map(conversation))
    first = Case(
        When(pk__in=highlights, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    statements = (
        Contribution.objects.filter(
            opinion_statement__conversation=conversation, visibility=Visibility.PUBLISHED
        )
        .select_related("opinion_statement", "activity__service_stage__service")
        .annotate(picked_first=first)
        .order_by("picked_first", "created_at", "pk")
    )
    form = forms.SummaryForm(
        request.POST or None,
        statements=statements,
        initial={"contributions": highlights, "decided_on": timezone.localdate()},
    )
    done = handle_form(
        request,
        form,
        lambda data: decision_create(
            service=activity.service,
            stage=activity.service_stage.stage,
            recorded_by=request.user,
            **data,
        ),
        success=_manage_url(conversation) + "#summaries",
        message=_(
            "The summary is published. It shows in “You said, we did”, and the people who wrote "
            "the statements it answers will hear about it."
        ),
    )
    return done or render(
        request,
        "conversations/staff/summary.html",
        _context(conversation, form=form, has_map=bool(highlights)),
    )


# --- Residents' codes (decision 0112) ----------------------------------------------------------


@rule_required(rules.can_manage_codes, load=_conversation, staff=True)
@require_http_methods(["GET", "POST"])
def codes(request: SignedInRequest, conversation: Conversation) -> HttpResponse:
    """Make a batch of residents' codes; the answer to the form is the codes themselves, to
    print, shown this once. Only residents-only conversations take codes."""
    needs_code = rules.needs_code(conversation)
    form = forms.CodesForm(request.POST or None) if needs_code else None
    status = 200
    if request.method == "POST":
        status = 400
        if form is not None and form.is_valid():
            try:
                raw = actions.codes_generate(
                    conversation=conversation, by=request.user, count=form.cleaned_data["count"]
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                response = render(
                    request,
                    "conversations/staff/codes_print.html",
                    _context(
                        conversation,
                        codes=raw,
                        # Printed sheets outlive the request: the site's address.
                        take_part_url=settings.SITE_URL
                        + reverse("conversations:conversation", args=[conversation.pk]),
                    ),
                )
                response["Cache-Control"] = "no-store"
                return response
    made = conversation.resident_codes.all()
    return render(
        request,
        "conversations/staff/codes.html",
        _context(
            conversation,
            form=form,
            needs_code=needs_code,
            made=made.count(),
            used=made.used().count(),
        ),
        status=status,
    )
