"""The pages of taking part in a conversation: one statement at a time (Agree / Disagree /
Pass), adding a statement after a check for similar ones, and the list of your own votes.

Every page works without JavaScript: a vote is a form with three buttons that posts and comes
back to the next statement; with htmx the card is swapped in place. Visitors without an account
are known by a signed cookie (participants.py). A refused vote is never dropped silently: the
page says what happened and what to do.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from coproduce.accounts.models import User
from coproduce.common import ratelimit as busy_ratelimit
from coproduce.common.forms import add_action_errors, handle_form
from coproduce.common.http import safe_next_url
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.contributions.models import Visibility
from coproduce.conversations import actions, participants, queries, rules, similar
from coproduce.conversations.drawing import group_name
from coproduce.conversations.forms_public import (
    VOTE_NAMES,
    ResidentCodeForm,
    StatementForm,
    VoteForm,
)
from coproduce.conversations.models import (
    Audience,
    Conversation,
    MapStatus,
    Participant,
    Statement,
    Vote,
    VoteValue,
)
from coproduce.services.models import ActivityState

VOTES = "conversation_vote"  # settings.ACCOUNT_RATE_LIMITS: votes per participant and address
ADDS = "conversation_statement_add"  # shared with the API (api/conversations.py)
CODE_ATTEMPTS = "conversation_code_attempt"  # residents' codes typed in, per person and address

# Why someone cannot take part now ("" when they can).
NOT_YET, CLOSED, SIGN_IN, CODE = "not_yet", "closed", "sign_in", "code"
REFUSALS = {
    NOT_YET: gettext_lazy("This conversation has not opened yet, so nothing was saved."),
    CLOSED: gettext_lazy(
        "This conversation is closed: it takes no more votes or statements, so nothing was saved."
    ),
    CODE: gettext_lazy(
        "Enter the code we posted to you first: only residents of the area with a code can "
        "take part. Nothing was saved."
    ),
}
SAVED = {
    VoteValue.AGREE: gettext_lazy("Your vote is saved: you agree with “%(text)s”."),
    VoteValue.DISAGREE: gettext_lazy("Your vote is saved: you disagree with “%(text)s”."),
    VoteValue.PASS: gettext_lazy("Your vote is saved: you passed on “%(text)s”."),
}


# --- Loading and who may take part -------------------------------------------------------------


def visible(request: HttpRequest, pk: int) -> Conversation:
    """The conversation, when its activity can be seen (404 otherwise)."""
    return queries.visible_conversation(request.user, pk)


def why_not(
    request: HttpRequest, conversation: Conversation, participant: Participant | None
) -> str:
    """Why this person cannot take part now ("" when they can); ``CODE``: a signed-in person in
    a residents-only conversation who has not given their resident's code yet."""
    if conversation.activity.state == ActivityState.DRAFT:
        return NOT_YET
    if not rules.is_open(conversation):
        return CLOSED
    if conversation.audience != Audience.ANYONE and not request.user.is_authenticated:
        return SIGN_IN
    if not rules.can_take_part(request.user, conversation, participant=participant):
        return CODE
    return ""


def _limit_key(request: HttpRequest, participant: Participant) -> str:
    """The rate-limit key of a person: their account (as the API counts) or their participant."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"participant:{participant.pk}"


def _login_url(conversation: Conversation) -> str:
    target = reverse("conversations:conversation", args=[conversation.pk])
    return f"{reverse('account_login')}?{urlencode({'next': target})}"


# --- Which statement comes next ----------------------------------------------------------------


def _priorities(conversation: Conversation) -> list[int]:
    """The statement keys of the latest map, most worth asking about first (only that part of
    the stored result is read: the result also holds every participant's group)."""
    found = (
        conversation.maps.filter(status=MapStatus.DONE)
        .order_by("-finished_at", "-pk")
        .values_list("result__priorities", flat=True)
        .first()
    )
    return [int(pk) for pk in found] if isinstance(found, list) else []


def order_statements(unvoted: list[int], priorities: list[int]) -> list[int]:
    """Statements in the order to ask them: those the latest map has not seen yet (new ones)
    first, then by the map's priority; ``unvoted`` comes oldest first, which breaks ties."""
    rank = {pk: index for index, pk in enumerate(priorities)}
    return sorted(unvoted, key=lambda pk: (pk in rank, rank.get(pk, 0)))


def progress(conversation: Conversation, participant: Participant | None) -> dict[str, Any]:
    """The next statement to vote on (or None), how many are voted on, and how many there are."""
    published = list(conversation.statements.published().values_list("pk", flat=True))
    voted: set[int] = set()
    if participant is not None:
        voted = set(participant.votes.values_list("statement_id", flat=True))
    unvoted = [pk for pk in published if pk not in voted]
    statement = None
    if unvoted:
        first = order_statements(unvoted, _priorities(conversation))[0]
        statement = Statement.objects.get(pk=first)
    return {
        "statement": statement,
        "voted": len(published) - len(unvoted),
        "total": len(published),
    }


# --- Pages -------------------------------------------------------------------------------------


def _page(conversation: Conversation, **extra: Any) -> dict[str, Any]:
    activity = conversation.activity
    return {
        "conversation": conversation,
        "activity": activity,
        "service": activity.service,
        **extra,
    }


def _card(
    conversation: Conversation,
    participant: Participant | None,
    reason: str,
    *,
    form: VoteForm | None = None,
    statement: Statement | None = None,
) -> dict[str, Any]:
    """What the statement card shows: a statement and its form, or that all are voted on."""
    shown = progress(conversation, participant)
    if statement is not None:
        shown["statement"] = statement
    return _page(
        conversation,
        **shown,
        form=form,
        may_add=conversation.participants_may_add,
    )


def _take_part_page(
    request: HttpRequest,
    conversation: Conversation,
    participant: Participant | None,
    reason: str,
    *,
    form: VoteForm | None = None,
    statement: Statement | None = None,
    status: int = 200,
) -> HttpResponse:
    may_take_part = reason == ""
    context = _page(conversation, reason=reason, may_take_part=may_take_part, form=form)
    if may_take_part:
        context.update(_card(conversation, participant, reason, form=form, statement=statement))
    else:
        context["total"] = conversation.statements.published().count()
    if reason == CODE:
        context["code_form"] = ResidentCodeForm(auto_id="code-%s")
    group = queries.group_of_participant(participant) if participant is not None else None
    context.update(
        group=None if group is None else group_name(group),
        has_voted=participant is not None and participant.votes.exists(),
        login_url=_login_url(conversation),
    )
    return render(request, "conversations/conversation.html", context, status=status)


@rule_required(rules.can_view_conversation, load=visible, hide=True)
@require_GET
def conversation(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    """The take-part page: one statement at a time, how far you are, and your group."""
    participant = participants.current(request, conversation)
    reason = why_not(request, conversation, participant)
    return _take_part_page(request, conversation, participant, reason)


@rule_required(rules.can_view_conversation, load=visible, hide=True)
@require_POST
def vote(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    """Agree, disagree or pass on a statement (or change a vote), then the next statement."""
    participant = participants.current(request, conversation)
    form = VoteForm(request.POST, conversation=conversation)
    valid = form.is_valid()
    reason = why_not(request, conversation, participant)
    if reason == SIGN_IN:
        return redirect_to_login(reverse("conversations:conversation", args=[conversation.pk]))
    status = 400
    if reason:
        form.add_error(None, REFUSALS[reason])
        status = 403
    elif valid:
        if participant is None:
            participant = participants.join(request, conversation)
        statement: Statement = form.cleaned_data["statement"]
        value = form.vote_value()
        if not busy_ratelimit.consume(request, action=VOTES, key=_limit_key(request, participant)):
            form.add_error(
                None,
                _(
                    "You have voted many times in the last few minutes, so this vote was not "
                    "saved. Wait a few minutes, then try again."
                ),
            )
            status = 429
        else:
            try:
                actions.vote_cast(participant=participant, statement=statement, value=value)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return _voted(request, conversation, participant, statement, value)
    return _vote_refused(request, conversation, participant, reason, form, status)


def _voted(
    request: HttpRequest,
    conversation: Conversation,
    participant: Participant,
    statement: Statement,
    value: int,
) -> HttpResponse:
    """After a vote: the next card (htmx), or back to the page it came from."""
    saved = SAVED[VoteValue(value)] % {"text": statement.display_title}
    response: HttpResponse
    if getattr(request, "htmx", False) and "next" not in request.POST:
        context = _card(conversation, participant, "")
        response = render(
            request, "conversations/_statement_card.html", {**context, "saved": saved}
        )
    else:
        messages.success(request, saved)
        default = reverse("conversations:conversation", args=[conversation.pk])
        response = HttpResponseRedirect(safe_next_url(request, default), status=303)
    participants.remember(response, request, participant)
    return response


def _vote_refused(
    request: HttpRequest,
    conversation: Conversation,
    participant: Participant | None,
    reason: str,
    form: VoteForm,
    status: int,
) -> HttpResponse:
    """A vote that was not saved: say why, on the card it came from (or the page of ``next``)."""
    tried = form.cleaned_data.get("statement") if hasattr(form, "cleaned_data") else None
    if "next" in request.POST:
        for error in form.errors.values():
            for message in error:
                messages.error(request, str(message))
        default = reverse("conversations:conversation", args=[conversation.pk])
        return HttpResponseRedirect(safe_next_url(request, default), status=303)
    if getattr(request, "htmx", False):
        if reason == CODE:  # a page from before the code was asked for: load the page that asks
            messages.error(request, str(REFUSALS[CODE]))
            return HttpResponseClientRedirect(
                reverse("conversations:conversation", args=[conversation.pk])
            )
        # htmx swaps only successful answers: the card with its error comes as a 200.
        context = _card(conversation, participant, reason, form=form, statement=tried)
        return render(request, "conversations/_statement_card.html", context)
    return _take_part_page(
        request, conversation, participant, reason, form=form, statement=tried, status=status
    )


def _similar(
    conversation: Conversation, participant: Participant | None, text: str
) -> list[Statement]:
    """The published statements (and the person's own waiting ones) that say much the same."""
    mine = Q(contribution__visibility=Visibility.PUBLISHED)
    if participant is not None:
        mine |= Q(author=participant, contribution__visibility=Visibility.PENDING)
    candidates = conversation.statements.filter(mine).values_list("pk", "text")
    keys = similar.similar_to(text, candidates)
    found = conversation.statements.select_related("contribution").in_bulk(keys)
    return [found[pk] for pk in keys if pk in found]


@rule_required(rules.can_view_conversation, load=visible, hide=True)
@require_http_methods(["GET", "POST"])
def statement_add(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    """Add a statement, after being shown any that already say much the same."""
    participant = participants.current(request, conversation)
    reason = why_not(request, conversation, participant)
    if reason == SIGN_IN:
        return redirect_to_login(request.get_full_path())
    if reason or not conversation.participants_may_add:
        context = _page(conversation, reason=reason or "no_adding", form=None)
        return render(request, "conversations/statement_form.html", context, status=403)
    form = StatementForm(request.POST or None)
    alike: list[Statement] = []
    if request.method == "POST":
        valid = form.is_valid()
        if valid and not form.cleaned_data["add_anyway"]:
            alike = _similar(conversation, participant, form.cleaned_data["text"])
    if request.method == "POST" and not form.errors and not alike:
        joined: list[Participant] = []

        def add(data: dict[str, Any]) -> Statement:
            person = participant or participants.join(request, conversation)
            joined.append(person)
            if not ratelimit.consume(request, action=ADDS, key=_limit_key(request, person)):
                raise ValidationError(
                    _(
                        "You have added many statements in the last few minutes, so this one "
                        "was not added. Wait a few minutes, then try again."
                    )
                )
            return actions.statement_add(
                conversation=conversation, text=data["text"], participant=person
            )

        done = handle_form(
            request,
            form,
            add,
            success=reverse("conversations:conversation", args=[conversation.pk]),
            message=_added_message,
        )
        if done is not None:
            if joined:
                participants.remember(done, request, joined[0])
            return done
    return render(
        request,
        "conversations/statement_form.html",
        _page(conversation, reason=reason, form=form, similar=alike),
    )


def _added_message(statement: Statement) -> str:
    if statement.contribution.visibility == Visibility.PUBLISHED:
        return _(
            "Your statement is added and others can vote on it now. We have saved that you "
            "agree with it."
        )
    return _(
        "Thank you. A moderator will check your statement before others can vote on it. We "
        "have saved that you agree with it."
    )


@rule_required(rules.can_view_conversation, load=visible, hide=True)
@require_GET
def my_votes(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    """Your votes in this conversation, newest first, each with buttons to change it."""
    participant = participants.current(request, conversation)
    reason = why_not(request, conversation, participant)
    votes = (
        participant.votes.select_related("statement__contribution").order_by("-updated_at", "-pk")
        if participant is not None
        else Vote.objects.none()
    )
    page = paginate(request, votes)
    rows = [
        {
            "vote": vote,
            "statement": vote.statement,
            "name": VOTE_NAMES[vote.value],
            "may_change": not reason
            and vote.statement.contribution.visibility == Visibility.PUBLISHED,
        }
        for vote in page.object_list
    ]
    return render(
        request,
        "conversations/my_votes.html",
        _page(conversation, page=page, rows=rows, reason=reason, here=request.get_full_path()),
    )


@rule_required(rules.can_view_conversation, load=visible, hide=True)
@require_http_methods(["GET", "POST"])
def resident_code(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    """A resident's one-time code (and postcode), asked before their first vote in a
    residents-only conversation; a right code verifies them, once (decision 0112)."""
    participant = participants.current(request, conversation)
    reason = why_not(request, conversation, participant)
    back = reverse("conversations:conversation", args=[conversation.pk])
    if reason == SIGN_IN:
        return redirect_to_login(request.get_full_path())
    if reason != CODE:  # verified already, not residents-only, or not open: the page says so
        return HttpResponseRedirect(back, status=303)
    form = ResidentCodeForm(request.POST or None, auto_id="code-%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            key = f"user:{request.user.pk}"
            if not busy_ratelimit.consume(request, action=CODE_ATTEMPTS, key=key):
                form.add_error(
                    "code",
                    _(
                        "You have tried many codes in the last few minutes. Wait a few minutes, "
                        "then type your code again. If it still does not work, ask the people "
                        "who sent it."
                    ),
                )
                status = 429
            else:
                assert isinstance(request.user, User)  # signed in (why_not)
                try:
                    actions.resident_verify(
                        conversation=conversation,
                        user=request.user,
                        code=form.cleaned_data["code"],
                        postcode=form.cleaned_data["postcode"],
                    )
                except ValidationError as error:
                    add_action_errors(form, error)
                else:
                    messages.success(
                        request, _("Thank you: your code is accepted. You can vote now.")
                    )
                    return HttpResponseRedirect(back, status=303)
    return render(
        request, "conversations/resident_code.html", _page(conversation, form=form), status=status
    )
