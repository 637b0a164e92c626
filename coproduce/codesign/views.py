"""Idea challenge pages for everyone: ideas, comments, supports and reports (staff pages are in
views_staff.py).

Every page works without JavaScript; supporting an idea is enhanced with htmx (the button and
count are swapped in place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.codesign import actions, loaders, rules
from coproduce.codesign.forms import (
    CommentForm,
    IdeaForm,
    IdeaListForm,
    IdeaSort,
    ReportForm,
    SupportForm,
)
from coproduce.codesign.models import (
    Comment,
    Contribution,
    ContributionKind,
    Decision,
    Idea,
    IdeaCategory,
    Response,
    Support,
    Visibility,
)
from coproduce.common import pagecache
from coproduce.common.forms import add_action_errors
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity

# --- Helpers ------------------------------------------------------------------------------


def _answers_prefetch(prefix: str = "") -> list[Prefetch[Any]]:
    """Official answers and linked decisions of contributions, two queries for a whole list."""
    return [
        Prefetch(
            f"{prefix}responses",
            queryset=Response.objects.select_related("author").order_by("created_at", "id"),
        ),
        Prefetch(f"{prefix}decisions", queryset=Decision.objects.order_by("-decided_on", "-id")),
    ]


class KeysFirst:
    """A page source for Paginator: order and count a narrow query of keys, then load one page.

    Sorting 10,000 ideas with every column a list shows is slow on SQLite; sorting their keys is
    not (docs/decisions/0702-codesign-idea-list-indexes.md).
    """

    ordered = True  # Paginator warns about unordered lists; the keys query is always ordered

    def __init__(
        self, keys: QuerySet[Any], rows: QuerySet[Any], counted: QuerySet[Any] | None = None
    ) -> None:
        self.keys = keys
        self.rows = rows
        self.counted = keys if counted is None else counted

    def count(self) -> int:
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        ids = list(self.keys.values_list("pk", flat=True)[index])
        loaded = self.rows.in_bulk(ids)
        return [loaded[pk] for pk in ids if pk in loaded]


def idea_keys(activity: Activity, sort: str, category: IdeaCategory | None) -> QuerySet[Idea]:
    """The published ideas of a challenge in the chosen order (no columns beyond what sorts).

    "Recently answered" lists only ideas that have an official answer, latest answer first
    (docs/decisions/0701-codesign-recently-answered.md). Every order ends with the primary key,
    so pages never repeat or skip an idea.
    """
    ideas = Idea.objects.filter(
        contribution__activity=activity,
        contribution__kind=ContributionKind.IDEA,
        contribution__visibility=Visibility.PUBLISHED,
    )
    if category is not None:
        ideas = ideas.filter(category=category)
    if sort == IdeaSort.SUPPORTED:
        return ideas.order_by("-support_count", "-contribution__created_at", "-pk")
    if sort == IdeaSort.ANSWERED:
        return ideas.filter(contribution__last_response_at__isnull=False).order_by(
            F("contribution__last_response_at").desc(), "-pk"
        )
    return ideas.order_by("-contribution__created_at", "-pk")


def listed_ideas(activity: Activity, sort: str, category: IdeaCategory | None) -> KeysFirst:
    """The ideas of a challenge for a list page: ordered keys, then each page with its answers.

    Without a category the count reads the contributions' index alone: every idea contribution
    has its Idea row, made in the same transaction (actions.idea_create).
    """
    rows = Idea.objects.select_related("contribution__author", "category").prefetch_related(
        *_answers_prefetch("contribution__")
    )
    counted = None
    if category is None:
        counted = Contribution.objects.filter(
            activity=activity, kind=ContributionKind.IDEA, visibility=Visibility.PUBLISHED
        )
        if sort == IdeaSort.ANSWERED:
            counted = counted.filter(last_response_at__isnull=False)
    return KeysFirst(idea_keys(activity, sort, category), rows, counted)


def _supported_by(user: Any, ideas: list[Idea]) -> set[int]:
    if not user.is_authenticated or not ideas:
        return set()
    return set(
        Support.objects.filter(user=user, idea__in=[i.pk for i in ideas]).values_list(
            "idea_id", flat=True
        )
    )


@dataclass
class CommentNode:
    """One comment in a thread. ``shown`` is False for a removed comment that still has replies."""

    comment: Comment
    shown: bool
    depth: int
    can_report: bool
    replies: list[CommentNode] = field(default_factory=list)


# Comments are shown a thread at a time: a top-level comment with all its replies. Fifty threads
# bound what one idea page costs, however busy the idea (docs/decisions/0802-comment-pages.md).
THREADS_PER_PAGE = 50


@dataclass
class ThreadIndex:
    """Who replied to whom on one idea, from a narrow query: enough to page by thread."""

    children: dict[int | None, list[int]]
    parent: dict[int, int | None]
    shown: set[int]  # comments this person may read
    kept: set[int]  # shown, or a placeholder for replies that are shown

    @property
    def roots(self) -> list[int]:
        """The threads this person sees, oldest first."""
        return [pk for pk in self.children.get(None, []) if pk in self.kept]

    def root_of(self, pk: int) -> int:
        while (parent := self.parent.get(pk)) is not None:
            pk = parent
        return pk


def thread_index(idea: Idea, user: Any) -> ThreadIndex:
    """Everyone sees published comments; authors also see their own held or hidden ones. A comment
    nobody may see is left out, or kept as a placeholder when it has replies people can see."""
    user_id = user.pk if user.is_authenticated else None
    rows = (
        Comment.objects.filter(idea=idea)
        .order_by("contribution__created_at", "pk")
        .values_list("pk", "parent_id", "contribution__visibility", "contribution__author_id")
    )
    index = ThreadIndex(children={}, parent={}, shown=set(), kept=set())
    for pk, parent, visibility, author_id in rows:
        index.children.setdefault(parent, []).append(pk)
        index.parent[pk] = parent
        if visibility == Visibility.PUBLISHED or (user_id is not None and author_id == user_id):
            index.shown.add(pk)
    for shown in index.shown:  # keep every comment on the way up to a shown one
        step: int | None = shown
        while step is not None and step not in index.kept:
            index.kept.add(step)
            step = index.parent.get(step)
    return index


def comment_page_number(idea: Idea, comment: Comment, user: Any) -> int:
    """The page of the idea's comments that shows this comment's thread to this person."""
    index = thread_index(idea, user)
    roots = index.roots
    root = index.root_of(comment.pk)
    return roots.index(root) // THREADS_PER_PAGE + 1 if root in roots else 1


def comment_thread(
    idea: Idea, user: Any, page_number: Any = 1
) -> tuple[Page[int], list[CommentNode]]:
    """One page of an idea's comment threads, oldest first: in four queries whatever their size.

    Returns the page (of top-level comment keys) and its threads as CommentNodes.
    """
    index = thread_index(idea, user)
    page = Paginator(index.roots, THREADS_PER_PAGE).get_page(page_number)
    wanted: list[int] = []
    stack = list(page.object_list)
    while stack:
        pk = stack.pop()
        wanted.append(pk)
        stack.extend(reply for reply in index.children.get(pk, []) if reply in index.kept)
    comments = (
        Comment.objects.filter(pk__in=wanted)
        .select_related("contribution__author")
        .prefetch_related(*_answers_prefetch("contribution__"))
        .in_bulk()
        if wanted
        else {}
    )

    def build(keys: list[int], depth: int) -> list[CommentNode]:
        nodes = []
        for pk in keys:
            if pk not in index.kept:
                continue
            comment = comments[pk]
            comment.contribution.activity = idea.contribution.activity  # no query per comment
            shown = pk in index.shown
            can_report = shown and rules.can_report(user, comment.contribution)
            replies = build(index.children.get(pk, []), depth + 1)
            nodes.append(CommentNode(comment, shown, depth, can_report, replies))
        return nodes

    return page, build(list(page.object_list), 0)


# --- Residents' pages ---------------------------------------------------------------------


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
    lambda pk: Contribution.objects.filter(pk=pk, kind=ContributionKind.IDEA),
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


@pagecache.for_anonymous(probe=_challenge_probe, params={"sort", "category", "page"})
@rule_required(service_rules.can_view_activity, load=loaders.load_challenge, hide=True)
def idea_list(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The ideas of a challenge: sorted, filtered by category, a page at a time.

    Anonymous visitors get it from the cache while nothing on it has changed (decision 0801).
    """
    return _idea_list_page(request, activity)


def _idea_list_page(request: HttpRequest, activity: Activity) -> HttpResponse:
    user: Any = request.user
    categories = IdeaCategory.objects.filter(activity=activity)
    form = IdeaListForm(request.GET or None, categories=categories)
    sort, category = form.choice()
    page = paginate(request, listed_ideas(activity, sort, category))
    ideas = list(page.object_list)
    supported = _supported_by(user, ideas)
    for idea in ideas:
        idea.contribution.activity = activity  # already loaded: no query per idea for the rules
        idea.supported = idea.pk in supported
        idea.can_support = rules.can_support(user, idea)
    own_unpublished = (
        Idea.objects.filter(contribution__activity=activity, contribution__author=user)
        .exclude(contribution__visibility=Visibility.PUBLISHED)
        .select_related("contribution")
        .order_by("-contribution__created_at")[:20]
        if user.is_authenticated
        else []
    )
    return render(
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
            "own_unpublished": own_unpublished,
            "can_post": rules.can_post_idea(user, activity),
            "is_open": rules.is_open_for(activity, "idea"),
            "can_manage": service_rules.can_manage_activity(user, activity),
            "can_moderate": rules.can_moderate(user, activity),
        },
    )


@rule_required(rules.can_post_idea, load=loaders.visible_challenge)
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Post an idea to an open challenge."""
    categories = IdeaCategory.objects.filter(activity=activity)
    form = IdeaForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            idea = actions.idea_create(activity=activity, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if idea.contribution.visibility == Visibility.PUBLISHED:
                messages.success(request, _("Your idea has been posted."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. A moderator will check your idea before other people can "
                        "see it. You can see it now, and we will tell you what happens to it."
                    ),
                )
            return redirect(idea.get_absolute_url())
    return render(
        request,
        "codesign/idea_form.html",
        {"form": form, "activity": activity, "service": activity.service},
    )


@pagecache.for_anonymous(probe=_idea_probe, params={"page"})
@rule_required(loaders.can_view_idea, load=loaders.load_idea, hide=True)
def idea_detail(request: HttpRequest, idea: Idea) -> HttpResponse:
    """One idea: its status and history, official answers, decisions, supports and comments.

    Anonymous visitors get it from the cache while nothing on it has changed (decision 0801).
    """
    return _idea_page(request, idea)


def _idea_page(request: HttpRequest, idea: Idea) -> HttpResponse:
    user: Any = request.user
    contribution = idea.contribution
    activity = contribution.activity
    can_comment = rules.can_comment(user, idea)
    page_number: Any = request.GET.get("page")
    wanted = request.GET.get("comment", "")
    if page_number is None and wanted.isdigit() and len(wanted) <= 18:
        # A link to one comment (Comment.get_absolute_url) opens the page of its conversation.
        linked = Comment.objects.filter(pk=int(wanted), idea=idea).first()
        if linked is not None:
            page_number = comment_page_number(idea, linked, user)
    comment_page, thread = comment_thread(idea, user, page_number)
    return render(
        request,
        "codesign/idea_detail.html",
        {
            "idea": idea,
            "contribution": contribution,
            "activity": activity,
            "service": activity.service,
            "responses": contribution.responses.select_related("author").order_by("created_at"),
            "decisions": contribution.decisions.order_by("-decided_on", "-id"),
            "history": idea.status_changes.all(),
            "thread": thread,
            "comment_page": comment_page,
            "supported": bool(_supported_by(user, [idea])),
            "can_support": rules.can_support(user, idea),
            "can_comment": can_comment,
            "comment_form": CommentForm(comments=Comment.objects.none()) if can_comment else None,
            "is_open": rules.is_open_for(activity, "comment"),
            "can_report": rules.can_report(user, contribution),
            "can_answer": rules.can_answer(user, contribution),
            "can_set_status": rules.can_set_idea_status(user, idea),
            "can_moderate": rules.can_moderate(user, activity),
            "is_author": user.is_authenticated and contribution.author_id == user.pk,
        },
    )


@rule_required(rules.can_comment, load=loaders.visible_idea)
@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, idea: Idea) -> HttpResponse:
    """Comment on an idea or reply to a comment (GET shows the form, for replies without JS)."""
    user: Any = request.user
    # People reply only to comments they can see: published ones and their own.
    comments = (
        Comment.objects.filter(idea=idea)
        .filter(Q(contribution__visibility=Visibility.PUBLISHED) | Q(contribution__author=user))
        .select_related("contribution__author")
    )
    parent: Comment | None = None
    if request.method == "POST":
        form = CommentForm(request.POST, comments=comments)
        if form.is_valid():
            try:
                comment = actions.comment_create(idea=idea, author=user, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                if comment.contribution.visibility == Visibility.PUBLISHED:
                    messages.success(request, _("Your comment has been posted."))
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you. A moderator will check your comment before other "
                            "people see it."
                        ),
                    )
                number = comment_page_number(idea, comment, user)
                query = f"?page={number}" if number > 1 else ""
                return redirect(f"{idea.get_absolute_url()}{query}#comment-{comment.pk}")
        parent = form.cleaned_data.get("parent")
    else:
        wanted = request.GET.get("parent", "")
        if wanted.isdigit() and len(wanted) < 19:
            parent = comments.filter(pk=int(wanted)).first()
        form = CommentForm(initial={"parent": parent.pk} if parent else None, comments=comments)
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


@rule_required(rules.can_support, load=loaders.visible_idea)
@require_http_methods(["GET", "POST"])
def support(request: HttpRequest, idea: Idea) -> HttpResponse:
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
    supported = bool(_supported_by(request.user, [idea]))
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
    return redirect(loaders.next_url(request, idea.get_absolute_url()))


@rule_required(rules.can_report, load=loaders.visible_contribution)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    """Ask a moderator to look at a contribution; a reason is required."""
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_create(
                contribution=contribution, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. A moderator will look at it and decide whether to hide it."),
            )
            return redirect(loaders.contribution_url(contribution))
    return render(
        request,
        "codesign/report_form.html",
        {
            "form": form,
            "contribution": contribution,
            "contribution_url": loaders.contribution_url(contribution),
            "service": contribution.service,
            "activity": contribution.activity,
        },
    )
