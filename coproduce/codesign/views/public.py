"""Idea challenge pages for everyone: ideas, comments, supports and agreements with comments.

Every page works without JavaScript; supporting an idea and agreeing with a comment are enhanced
with htmx (the button and count are swapped in place). Answers, statuses, reports and moderation
are the answer spine's pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.codesign import actions, queries, rules
from coproduce.codesign.forms import (
    AgreementForm,
    CommentForm,
    CommentOrderForm,
    IdeaForm,
    IdeaListForm,
    SupportForm,
)
from coproduce.codesign.models import CodesignKind, Comment, Idea
from coproduce.common import fragments, pagecache
from coproduce.common.forms import handle_form
from coproduce.common.http import safe_next_url
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import Contribution, Visibility
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity

# --- What a cached page of a challenge or an idea depends on (docs/decisions/0801-web-page-cache.md):
# the columns the rules for anonymous visitors read, and when the rows above the idea last changed.
# Everything else the pages show moves their version on when it changes (actions._pages_change).
_SERVICE = "service_stage__service"


_challenge_probe = pagecache.Probe(
    lambda pk: Activity.objects.filter(pk=pk),
    [
        "kind",
        "state",
        "updated_at",
        f"{_SERVICE}__status",
        f"{_SERVICE}__updated_at",
        f"{_SERVICE}__organisation__updated_at",
    ],
    scopes=lambda pk: [pagecache.scope(Activity, pk)],
)
_idea_probe = pagecache.Probe(
    # An idea's key is its contribution's: start there, for as few joins as the rules need (each
    # join costs PostgreSQL's planner time on every request).
    lambda pk: Contribution.objects.filter(pk=pk, kind=CodesignKind.IDEA),
    [
        "visibility",
        "activity__state",
        "activity__updated_at",
        f"activity__{_SERVICE}__status",
        f"activity__{_SERVICE}__updated_at",
        f"activity__{_SERVICE}__organisation__updated_at",
    ],
    scopes=lambda pk: [pagecache.scope(Idea, pk)],
)


def _above(activity: Activity) -> tuple[Any, ...]:
    """The state of the rows above an idea that its fragments show (the challenge's title and
    threshold, the organisation's name) and that no version covers: they change ``updated_at``.
    Read before the ideas, like the versions."""
    service = activity.service
    return (
        activity.state,
        activity.updated_at,
        service.status,
        service.updated_at,
        service.organisation.updated_at,
    )


def _comment_keys(
    nodes: list[queries.CommentNode], idea_parts: tuple[Any, ...], reader: tuple[Any, ...]
) -> dict[str, Comment]:
    """Give each comment in the threads the key of its fragment; return the comments by key. A
    comment's fragment holds its buttons and links, so the key says which the reader gets (never
    who)."""
    keys = {}
    stack = list(nodes)
    while stack:
        node = stack.pop()
        node.fragment_key = fragments.key(
            "codesign.comment",
            node.comment.pk,
            node.comment.contribution.visibility,
            *idea_parts,
            *reader,
            node.shown,
            node.agreed,
            node.can_agree,
            node.can_report,
        )
        keys[node.fragment_key] = node.comment
        stack.extend(node.replies)
    return keys


def _posted_message(contribution: Contribution, published: str, held: str) -> str:
    return published if contribution.visibility == Visibility.PUBLISHED else held


_LIST_PARAMS = {"sort", "category", "page"}


@pagecache.for_anonymous(probe=_challenge_probe, params=_LIST_PARAMS)
@rule_required(service_rules.can_view_activity, load=queries.visible_challenge, hide=True)
def idea_list(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The ideas of a challenge: sorted, filtered by category, a page at a time.

    Anonymous visitors get it from the cache while nothing on it has changed (decision 0801).
    """
    user = request.user
    categories = queries.categories_of(activity)
    form = IdeaListForm(request.GET or None, categories=categories)
    sort, category = form.choice()
    page = paginate(request, queries.listed_ideas(activity, sort, category))
    ideas = list(page.object_list)
    supported = queries.supported_by(user, ideas)
    above = _above(activity)
    list_path = request.get_full_path()
    # Only addresses of the list's own short parameters share cards: other query strings
    # (the buttons send readers back to the address) would only fill the cache.
    plain = all(
        name in _LIST_PARAMS and len(values) == 1 and pagecache.PLAIN_VALUE.fullmatch(values[0])
        for name, values in request.GET.lists()
    )
    for idea in ideas:
        idea.contribution.activity = activity  # already loaded: no query per idea for the rules
        idea.supported = idea.pk in supported
        idea.can_support = rules.can_support(user, idea)
        # A card is the same for everyone who gets the same button (decision 0806).
        idea.fragment_key = ""
        if plain:
            idea.fragment_key = fragments.key(
                "codesign.idea_card",
                idea.pk,
                *fragments.versions_of(idea),
                above,
                list_path,
                idea.supported,
                idea.can_support,
            )
    cards = fragments.Fragments(idea.fragment_key for idea in ideas if idea.fragment_key)
    queries.load_answers([idea for idea in ideas if cards.get(idea.fragment_key) is None])
    response = render(
        request,
        "codesign/idea_list.html",
        {
            "activity": activity,
            "service": activity.service,
            "form": form,
            "sort": sort,
            "category": category,
            "categories": categories,
            "page": page,
            "ideas": ideas,
            "fragments": cards,
            "list_path": list_path,
            "own_unpublished": queries.own_unpublished_ideas(activity, user),
            "threshold": queries.threshold_of(activity),
            "can_post": rules.can_post_idea(user, activity),
            "is_open": spine_rules.is_open_for(activity, CodesignKind.IDEA),
            "can_manage": service_rules.can_manage_activity(user, activity),
            "can_set_threshold": rules.can_set_threshold(user, activity),
            "can_take_forward": rules.can_take_forward(user, activity)
            and rules.takes_ideas_forward(activity),
            "can_moderate": spine_rules.can_moderate(user, activity),
        },
    )
    cards.save()
    return response


@rule_required(rules.can_post_idea, load=queries.visible_challenge)
@require_http_methods(["GET", "POST"])
def idea_create(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Post an idea to an open challenge."""
    categories = queries.categories_of(activity)
    form = IdeaForm(request.POST or None, categories=categories)
    done = handle_form(
        request,
        form,
        lambda data: actions.idea_create(activity=activity, author=request.user, **data),
        success=lambda idea: idea.get_absolute_url(),
        message=lambda idea: _posted_message(
            idea.contribution,
            _("Your idea has been posted."),
            _(
                "Thank you. A moderator will check your idea before other people can "
                "see it. You can see it now, and we will tell you what happens to it."
            ),
        ),
    )
    return done or render(
        request,
        "codesign/idea_form.html",
        {"form": form, "activity": activity, "service": activity.service},
    )


@pagecache.for_anonymous(probe=_idea_probe, params={"page", "comments"})
@rule_required(rules.can_view_idea, load=queries.visible_idea_for_page, hide=True)
def idea_detail(request: HttpRequest, idea: Idea) -> HttpResponse:
    """One idea: its status and history, official answers, decisions, supports, what its
    challenge's threshold promises it, and its comments (oldest, newest or most agreed first).

    Anonymous visitors get it from the cache while nothing on it has changed (decision 0801);
    for everyone else, the parts that are the same for all come from the cache (decision 0806).
    """
    user = request.user
    contribution = idea.contribution
    activity = contribution.activity
    can_comment = rules.can_comment(user, idea)
    can_answer = spine_rules.can_answer(user, contribution)
    # The versions came with the idea, before anything else the page shows was read; its
    # visibility is in the key like in the page cache's probe (decision 0801).
    idea_parts = (
        idea.pk,
        *fragments.versions_of(idea),
        contribution.visibility,
        _above(activity),
    )
    sort = queries.comment_sort(request.GET.get("comments"))
    page_number: Any = request.GET.get("page")
    wanted = request.GET.get("comment", "")
    if page_number is None and wanted.isdigit() and len(wanted) <= 18:
        # A link to one comment (Comment.get_absolute_url) opens the page of its conversation.
        linked = queries.comment_on(idea, int(wanted))
        if linked is not None:
            page_number = queries.comment_page_number(idea, linked, user, sort)
    threads = queries.thread_page(idea, user, page_number, sort)
    threshold = queries.threshold_of(activity)
    reader = (can_comment, can_answer, sort)
    fragment_keys = {
        part: fragments.key(f"codesign.idea_{part}", *idea_parts)
        for part in ("idea", "answers", "history")
    }
    # The blank comment form is the same on every idea (its token is made fresh when served).
    site_version = fragments.versions_of(idea)[1]
    fragment_keys["comment_form"] = fragments.key("codesign.comment_form", site_version)
    # The page's threads as one part, the same for everyone with the same buttons who wrote and
    # agrees with the same comments on it; any change to a comment gives the idea a new version,
    # and the comments' own visibility is in the key as in each comment's (_comment_keys).
    fragment_keys["threads"] = fragments.key(
        "codesign.threads",
        *idea_parts,
        *reader,
        user.is_authenticated,
        [(pk, threads.index.visibility[pk]) for pk in threads.wanted],
        sorted(threads.own),
        sorted(threads.agreed),
    )
    shared = fragments.Fragments(fragment_keys.values())
    thread: list[queries.CommentNode] = []
    if shared.get(fragment_keys["threads"]) is None:
        thread = queries.thread_nodes(idea, user, threads)
        comments = _comment_keys(thread, idea_parts, reader)
        shared.fetch(comments)
        queries.load_answers([c for k, c in comments.items() if shared.get(k) is None])
    answers = (
        spine_queries.answers_of(contribution)
        if shared.get(fragment_keys["answers"]) is None
        else {}
    )
    response = render(
        request,
        "codesign/idea_detail.html",
        {
            "idea": idea,
            "contribution": contribution,
            "activity": activity,
            "service": activity.service,
            **answers,
            "history": contribution.status_changes.all(),
            "thread": thread,
            "fragment_keys": fragment_keys,
            "fragments": shared,
            "comment_page": threads.page,
            "comment_sort": sort,
            "comment_order_form": CommentOrderForm(),
            "threshold": threshold,
            "promise": queries.promise_for(idea, threshold),
            "supported": bool(queries.supported_by(user, [idea])),
            "can_support": rules.can_support(user, idea),
            "can_comment": can_comment,
            "comment_form": CommentForm(comments=Comment.objects.none()) if can_comment else None,
            "is_open": spine_rules.is_open_for(activity, CodesignKind.COMMENT),
            "can_report": spine_rules.can_report(user, contribution),
            "can_answer": can_answer,
            "can_set_status": spine_rules.can_set_status(user, contribution),
            "can_moderate": spine_rules.can_moderate(user, activity),
            "is_author": user.is_authenticated and contribution.author_id == user.pk,
        },
    )
    shared.save()
    return response


def _comment_url(
    idea: Idea, comment: Comment, user: Visitor, sort: str = queries.CommentSort.OLDEST
) -> str:
    """The idea page that shows the comment's conversation in this order, at the comment."""
    number = queries.comment_page_number(idea, comment, user, sort)
    query = urlencode(
        [
            *([("comments", sort)] if sort != queries.CommentSort.OLDEST else []),
            *([("page", number)] if number > 1 else []),
        ]
    )
    return f"{idea.get_absolute_url()}{'?' + query if query else ''}#comment-{comment.pk}"


@rule_required(rules.can_comment, load=queries.visible_idea)
@require_http_methods(["GET", "POST"])
def comment_create(request: SignedInRequest, idea: Idea) -> HttpResponse:
    """Comment on an idea or reply to a comment (GET shows the form, for replies without JS)."""
    user = request.user
    comments = queries.repliable_comments(idea, user)
    parent: Comment | None = None
    if request.method == "POST":
        form = CommentForm(request.POST, comments=comments)
    else:
        wanted = request.GET.get("parent", "")
        if wanted.isdigit() and len(wanted) < 19:
            parent = comments.filter(pk=int(wanted)).first()
        form = CommentForm(initial={"parent": parent.pk} if parent else None, comments=comments)
    done = handle_form(
        request,
        form,
        lambda data: actions.comment_create(idea=idea, author=user, **data),
        success=lambda comment: _comment_url(idea, comment, user),
        message=lambda comment: _posted_message(
            comment.contribution,
            _("Your comment has been posted."),
            _("Thank you. A moderator will check your comment before other people see it."),
        ),
    )
    if done:
        return done
    if form.is_bound:
        parent = getattr(form, "cleaned_data", {}).get("parent")
    return render(
        request,
        "codesign/comment_form.html",
        {
            "form": form,
            "idea": idea,
            "parent": parent,
            "activity": idea.contribution.activity,
            "service": idea.contribution.service,
        },
    )


@rule_required(rules.can_support, load=queries.visible_idea)
@require_http_methods(["GET", "POST"])
def support(request: SignedInRequest, idea: Idea) -> HttpResponse:
    """Support an idea or withdraw a support (POST support=add|withdraw); GET goes to the idea."""
    if request.method == "GET":
        return redirect(idea.get_absolute_url())
    form = SupportForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose to support the idea or to withdraw your support.")
    else:
        adding = form.cleaned_data["support"] == "add"
        try:
            if adding:
                actions.support_add(idea=idea, user=request.user)
            else:
                actions.support_withdraw(idea=idea, user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
    idea.refresh_from_db(fields=["support_count"])
    supported = bool(queries.supported_by(request.user, [idea]))
    if getattr(request, "htmx", False):
        return render(
            request,
            "codesign/_support.html",
            {
                "idea": idea,
                "supported": supported,
                "can_support": True,
                "error": error,
                "next": request.POST.get("next", ""),
            },
        )
    if error:
        messages.error(request, error)
    elif supported:
        messages.success(request, _("You support “%(title)s”.") % {"title": idea.title})
    else:
        messages.success(request, _("You no longer support “%(title)s”.") % {"title": idea.title})
    return redirect(safe_next_url(request, idea.get_absolute_url()))


@rule_required(rules.can_agree, load=queries.visible_comment)
@require_http_methods(["GET", "POST"])
def agree(request: SignedInRequest, comment: Comment) -> HttpResponse:
    """Agree with a comment or withdraw an agreement (POST agree=add|withdraw; ``comments`` is
    the order the page showed); GET goes to the comment. Without JavaScript it goes back to the
    comment, on the page that shows it now."""
    idea = comment.idea
    if request.method == "GET":
        return redirect(comment.get_absolute_url())
    form = AgreementForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose to agree with the comment or to withdraw your agreement.")
    else:
        try:
            if form.cleaned_data["agree"] == "add":
                actions.agreement_add(comment=comment, user=request.user)
            else:
                actions.agreement_withdraw(comment=comment, user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
    comment.refresh_from_db(fields=["agreement_count"])
    agreed = bool(queries.agreed_by(request.user, [comment.pk]))
    sort = queries.comment_sort(request.POST.get("comments"))
    if getattr(request, "htmx", False):
        return render(
            request,
            "codesign/_agreement.html",
            {
                "comment": comment,
                "agreed": agreed,
                "can_agree": True,
                "error": error,
                "comment_sort": sort,
            },
        )
    name = comment.contribution.author_name
    if error:
        messages.error(request, error)
    elif agreed:
        messages.success(request, _("You agree with the comment by %(name)s.") % {"name": name})
    else:
        messages.success(
            request, _("You no longer agree with the comment by %(name)s.") % {"name": name}
        )
    return redirect(safe_next_url(request, _comment_url(idea, comment, request.user, sort)))
