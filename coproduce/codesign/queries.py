"""Reads of an idea challenge: the objects its pages are about, idea lists a page at a time,
comment threads in three orders, who supports and agrees with what, the supports threshold, and
the opinion-map statements that can be taken forward into it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, F, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.types import Visitor
from coproduce.codesign.models import (
    STATEMENT,
    Agreement,
    CodesignKind,
    Comment,
    Idea,
    IdeaCategory,
    Support,
    SupportsThreshold,
)
from coproduce.codesign.rules import can_agree, can_view_idea
from coproduce.common import fragments, prepared
from coproduce.common.pagination import KeysFirst
from coproduce.contributions import kinds
from coproduce.contributions.models import Contribution, Visibility
from coproduce.contributions.queries import answers_prefetch
from coproduce.contributions.rules import can_report, can_view_contribution
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_view_activity

ACTIVITY_PATH = "service_stage__service__organisation"


class IdeaSort(models.TextChoices):
    """The orders an idea list can be shown in; the first is the default."""

    NEWEST = "newest", _("Newest")
    SUPPORTED = "supported", _("Most supported")
    ANSWERED = "answered", _("Recently answered")


class CommentSort(models.TextChoices):
    """The orders an idea's conversations can be shown in; the first is the default."""

    OLDEST = "oldest", _("Oldest first")
    NEWEST = "newest", _("Newest first")
    AGREED = "agreed", _("Most agreed")


def comment_sort(value: str | None) -> str:
    """The order asked for, or the default when it is not one of the choices."""
    return value if value in CommentSort.values else CommentSort.OLDEST


# --- The objects pages are about, for rule_required(load=…): 404 for those the visitor may not see,
# whatever the page's own rule is about (posting an idea to a challenge one may see …).


# Prepared (decision 0924): each page about a challenge or an idea reads it first, and compiling
# these joins cost the ORM more than the rest of the read. The challenge comes with its versions:
# its idea lists' counts and keys are remembered by them (decision 0926).
_CHALLENGE = prepared.Prepared(
    lambda key: (
        fragments.versioned(Activity.objects.all())
        .select_related(ACTIVITY_PATH, "supports_threshold")
        .filter(pk=key, kind=ActivityKind.IDEA_CHALLENGE)
    ),
    prepared.KEY,
)


def _with_rows_above(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    return ideas.select_related(
        "contribution__author",
        f"contribution__activity__{ACTIVITY_PATH}",
        "contribution__activity__supports_threshold",
        "category",
    )


_IDEA_FOR_PAGE = prepared.Prepared(
    lambda key: _with_rows_above(fragments.versioned(Idea.objects.all())).filter(pk=key),
    prepared.KEY,
)


def visible_challenge(request: HttpRequest, pk: int) -> Activity:
    found = _CHALLENGE.objects(pk)
    if not found or not can_view_activity(request.user, found[0]):
        raise Http404
    activity: Activity = found[0]
    return activity


def visible_idea(request: HttpRequest, pk: int) -> Idea:
    idea = get_object_or_404(_with_rows_above(Idea.objects.all()), pk=pk)
    if not can_view_idea(request.user, idea):
        raise Http404
    return idea


def visible_idea_for_page(request: HttpRequest, pk: int) -> Idea:
    """The idea with the versions of its page, read with it: its fragments' keys (decision 0806)."""
    found = _IDEA_FOR_PAGE.objects(pk)
    if not found or not can_view_idea(request.user, found[0]):
        raise Http404
    idea: Idea = found[0]
    return idea


def visible_comment(request: HttpRequest, pk: int) -> Comment:
    """A comment the visitor may see, on an idea they may see."""
    comment = get_object_or_404(
        Comment.objects.select_related(
            "contribution__author",
            f"contribution__activity__{ACTIVITY_PATH}",
            "idea__contribution",
        ),
        pk=pk,
    )
    comment.idea.contribution.activity = comment.contribution.activity  # the same challenge
    user = request.user
    if not (
        can_view_idea(user, comment.idea) and can_view_contribution(user, comment.contribution)
    ):
        raise Http404
    return comment


def visible_category(request: HttpRequest, pk: int) -> IdeaCategory:
    category = get_object_or_404(
        IdeaCategory.objects.select_related(f"activity__{ACTIVITY_PATH}"), pk=pk
    )
    if not can_view_activity(request.user, category.activity):
        raise Http404
    return category


# --- Lists


def threshold_of(activity: Activity) -> SupportsThreshold | None:
    """The challenge's supports threshold, if it has one (no query when the loader joined it)."""
    try:
        threshold: SupportsThreshold = activity.supports_threshold
    except SupportsThreshold.DoesNotExist:
        return None
    return threshold if threshold.supports else None


@dataclass(frozen=True)
class Promise:
    """What a challenge's supports threshold promises one idea, for its page."""

    threshold: SupportsThreshold | None
    reached_on: dt.date | None  # when it had enough supports (or the threshold was set)
    due_on: dt.date | None  # a written answer was promised by then
    answered_on: dt.date | None  # its first official answer
    more_needed: int  # supports still needed; 0 once reached

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_on and self.due_on and self.answered_on > self.due_on)


def promise_for(idea: Idea, threshold: SupportsThreshold | None) -> Promise | None:
    """What the idea was promised (None: no threshold, and it never reached one)."""
    reached = idea.threshold_reached_at
    if threshold is None and reached is None:
        return None
    answered = idea.contribution.first_response_at
    more = 0
    if reached is None and threshold is not None and threshold.supports:
        more = max(threshold.supports - idea.support_count, 0)
    return Promise(
        threshold=threshold,
        reached_on=timezone.localdate(reached) if reached else None,
        due_on=idea.answer_due_on,
        answered_on=timezone.localdate(answered) if answered else None,
        more_needed=more,
    )


def ideas_reaching_threshold(activity: Activity, limit: int = 50) -> list[Idea]:
    """The challenge's ideas that reached its supports threshold: the earliest due first, then
    those promised no date, each with whether and when it was answered."""
    return list(
        Idea.objects.filter(contribution__activity=activity, threshold_reached_at__isnull=False)
        .select_related("contribution")
        .order_by(F("answer_due_on").asc(nulls_last=True), "threshold_reached_at", "pk")[:limit]
    )


def categories_of(activity: Activity) -> QuerySet[IdeaCategory]:
    """The categories staff offer in a challenge, by name."""
    return IdeaCategory.objects.filter(activity=activity)


def comment_on(idea: Idea, pk: int) -> Comment | None:
    """One comment on this idea (None when the key is of no comment on it)."""
    return Comment.objects.filter(pk=pk, idea=idea).first()


# Asked on every signed-in list page: prepared (decision 0924).
_OWN_UNPUBLISHED = prepared.Prepared(
    lambda activity, person: (
        Idea.objects.filter(contribution__activity_id=activity, contribution__author_id=person)
        .exclude(contribution__visibility=Visibility.PUBLISHED)
        .select_related("contribution")
        .order_by("-contribution__created_at")[:20]
    ),
    prepared.KEY,
    prepared.KEY - 1,
)


def own_unpublished_ideas(activity: Activity, user: Visitor) -> list[Idea]:
    """The person's own ideas in the challenge that others cannot see yet (held or hidden)."""
    if not user.is_authenticated:
        return []
    return _OWN_UNPUBLISHED.objects(activity.pk, user.pk)


def repliable_comments(idea: Idea, user: Visitor) -> QuerySet[Comment]:
    """The comments on an idea someone may reply to: published ones and their own."""
    shown = Comment.objects.filter(idea=idea, contribution__visibility=Visibility.PUBLISHED)
    if user.is_authenticated:
        shown = shown | Comment.objects.filter(idea=idea, contribution__author=user)
    return shown.select_related("contribution__author")


def idea_keys(activity: Activity, sort: str, category: IdeaCategory | None) -> QuerySet[Idea]:
    """The published ideas of a challenge in the chosen order (no columns beyond what sorts).

    "Recently answered" lists only ideas that have an official answer, latest answer first
    (docs/decisions/0701-codesign-recently-answered.md). Every order ends with the primary key,
    so pages never repeat or skip an idea.
    """
    ideas = Idea.objects.filter(
        contribution__activity=activity,
        contribution__kind=CodesignKind.IDEA,
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


# A page of the list's rows, prepared (decision 0924): compiling it cost more than running it.
_LISTED = prepared.Bulk(
    lambda: fragments.versioned(Idea.objects.select_related("contribution__author", "category")),
    settings.COPRODUCE_PAGE_SIZE,
)


def listed_ideas(activity: Activity, sort: str, category: IdeaCategory | None) -> KeysFirst:
    """The ideas of a challenge for a list page: ordered keys, then each page with its answers.

    Without a category the count reads the contributions' index alone: every idea contribution
    has its Idea row, made in the same transaction (actions.idea_create). Each row comes with the
    versions of its card (decision 0806); ``load_answers`` reads the answers of the cards to render.

    The count and each page's keys are remembered by the challenge's versions, read with it
    (``visible_challenge``): every write that changes which ideas a list shows, or their order,
    gives the challenge a new version (decision 0926).
    """
    counted = None
    if category is None:
        counted = _Counted(activity.pk, answered=sort == IdeaSort.ANSWERED)
    versions = None  # an activity read without its versions: nothing to remember the keys by
    if hasattr(activity, "fragment_version"):
        version, site = fragments.versions_of(activity)
        filtered = "" if category is None else category.pk
        versions = f"codesign.idea_list:{activity.pk}:{version}:{site}:{sort}:{filtered}"
    return KeysFirst(idea_keys(activity, sort, category), _LISTED, counted, versions=versions)


def _published_ideas(key: int, *, answered: bool) -> QuerySet[Contribution, Any]:
    """Every idea contribution has its Idea row, made in the same transaction (idea_create)."""
    found = Contribution.objects.filter(
        activity_id=key, kind=CodesignKind.IDEA, visibility=Visibility.PUBLISHED
    )
    if answered:
        found = found.filter(last_response_at__isnull=False)
    # One group, so one row: the count (none when there are no ideas).
    return found.order_by().values("activity_id").annotate(ideas=Count("pk")).values_list("ideas")


_COUNTS = {
    answered: prepared.Prepared(
        lambda key, answered=answered: _published_ideas(key, answered=answered), prepared.KEY
    )
    for answered in (False, True)
}


@dataclass
class _Counted:
    """How many published ideas (with an answer, or any) a challenge has: from the index of
    contributions alone, by a prepared query (decision 0924)."""

    activity: int
    answered: bool

    def count(self) -> int:
        found = _COUNTS[self.answered].rows(self.activity)
        return int(found[0][0]) if found else 0


def load_answers(rows: Sequence[Idea | Comment]) -> None:
    """Official answers and decisions of these ideas or comments, for the fragments that show
    them and are not in the cache (decision 0806): two queries, or none."""
    if rows:
        prefetch_related_objects(list(rows), *answers_prefetch("contribution__"))


# Which ideas of a page the reader supports, prepared like the page's rows (decision 0924).
_SUPPORTED = prepared.Prepared(
    lambda person, *ideas: Support.objects.filter(user_id=person, idea_id__in=ideas).values_list(
        "idea_id"
    ),
    prepared.KEY - settings.COPRODUCE_PAGE_SIZE,
    *prepared.keys(settings.COPRODUCE_PAGE_SIZE),
)


def supported_by(user: Visitor, ideas: list[Idea]) -> set[int]:
    """Which of these ideas (at most a page of them) the person supports."""
    if not user.is_authenticated or not ideas:
        return set()
    keys = prepared.padded([idea.pk for idea in ideas])
    return {row[0] for row in _SUPPORTED.rows(user.pk, *keys)}


def agreed_by(user: Visitor, comment_ids: list[int]) -> set[int]:
    """Which of these comments the person agrees with."""
    if not user.is_authenticated or not comment_ids:
        return set()
    return set(
        Agreement.objects.filter(user=user, comment_id__in=comment_ids).values_list(
            "comment_id", flat=True
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
    agreed: bool = False  # the person reading agrees with it
    can_agree: bool = False
    fragment_key: str = ""  # of its cached part (decision 0806): set by the idea page


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
    agreements: dict[int, int] = field(default_factory=dict)
    own: set[int] = field(default_factory=set)  # comments this person wrote
    visibility: dict[int, str] = field(default_factory=dict)
    sort: str = CommentSort.OLDEST

    @property
    def roots(self) -> list[int]:
        """The threads this person sees, oldest first; newest first; or the most agreed first (a
        placeholder counts as none), then oldest first. Replies stay in the order they were
        written, under their conversation."""
        roots = [pk for pk in self.children.get(None, []) if pk in self.kept]
        if self.sort == CommentSort.NEWEST:
            return roots[::-1]
        if self.sort == CommentSort.AGREED:  # sorted() is stable: ties stay oldest first
            return sorted(roots, key=lambda pk: -self.agreements[pk] if pk in self.shown else 0)
        return roots

    def root_of(self, pk: int) -> int:
        while (parent := self.parent.get(pk)) is not None:
            pk = parent
        return pk


# Every idea page reads who replied to whom and, for a signed-in reader, what they agree with:
# prepared (decision 0924). The columns need no conversion (keys, counts and a text choice).
_THREAD_ROWS = prepared.Prepared(
    lambda key: (
        Comment.objects.filter(idea_id=key)
        .order_by("contribution__created_at", "pk")
        .values_list(
            "pk",
            "parent_id",
            "contribution__visibility",
            "contribution__author_id",
            "agreement_count",
        )
    ),
    prepared.KEY,
)
_AGREED_ON_IDEA = prepared.Prepared(
    lambda person, idea: (
        Agreement.objects.filter(user_id=person, comment__idea_id=idea)
        .order_by()
        .values_list("comment_id")
    ),
    prepared.KEY - 1,
    prepared.KEY,
)


def thread_index(idea: Idea, user: Visitor, sort: str = CommentSort.OLDEST) -> ThreadIndex:
    """Everyone sees published comments; authors also see their own held or hidden ones. A comment
    nobody may see is left out, or kept as a placeholder when it has replies people can see."""
    user_id = user.pk if user.is_authenticated else None
    index = ThreadIndex(children={}, parent={}, shown=set(), kept=set(), sort=sort)
    for pk, parent, visibility, author_id, agreements in _THREAD_ROWS.rows(idea.pk):
        index.children.setdefault(parent, []).append(pk)
        index.parent[pk] = parent
        index.agreements[pk] = agreements
        index.visibility[pk] = visibility
        mine = user_id is not None and author_id == user_id
        if mine:
            index.own.add(pk)
        if visibility == Visibility.PUBLISHED or mine:
            index.shown.add(pk)
    for shown in index.shown:  # keep every comment on the way up to a shown one
        step: int | None = shown
        while step is not None and step not in index.kept:
            index.kept.add(step)
            step = index.parent.get(step)
    return index


def comment_page_number(
    idea: Idea, comment: Comment, user: Visitor, sort: str = CommentSort.OLDEST
) -> int:
    """The page of the idea's comments that shows this comment's thread to this person, in the
    order they read it."""
    index = thread_index(idea, user, sort)
    roots = index.roots
    root = index.root_of(comment.pk)
    return roots.index(root) // THREADS_PER_PAGE + 1 if root in roots else 1


@dataclass
class ThreadPage:
    """One page of an idea's comment threads as this person reads them, before the comments
    themselves are loaded: which comments it holds, in order, and which of them the person
    wrote or agrees with (all a cached page of threads depends on beyond the idea's versions)."""

    index: ThreadIndex
    page: Page[int]  # of top-level comment keys
    wanted: list[int]  # every comment of the page's threads that is shown or kept
    agreed: set[int]  # those the person agrees with
    own: set[int]  # those the person wrote


def thread_page(
    idea: Idea, user: Visitor, page_number: Any = 1, sort: str = CommentSort.OLDEST
) -> ThreadPage:
    """One page of an idea's comment threads, oldest first, newest first or most agreed first,
    in two narrow queries whatever their size (``thread_nodes`` loads the comments)."""
    index = thread_index(idea, user, sort)
    page = Paginator(index.roots, THREADS_PER_PAGE).get_page(page_number)
    wanted: list[int] = []
    stack = list(page.object_list)
    while stack:
        pk = stack.pop()
        wanted.append(pk)
        stack.extend(reply for reply in index.children.get(pk, []) if reply in index.kept)
    agreed: set[int] = set()
    if user.is_authenticated:
        agreed = {row[0] for row in _AGREED_ON_IDEA.rows(user.pk, idea.pk)}
        agreed.intersection_update(pk for pk in wanted if pk in index.shown)
    return ThreadPage(index, page, wanted, agreed, index.own.intersection(wanted))


def thread_nodes(idea: Idea, user: Visitor, part: ThreadPage) -> list[CommentNode]:
    """The page's threads as CommentNodes, in one query (their answers are read by
    ``load_answers``, for the comments whose cached part is missing)."""
    index = part.index
    rows = Comment.objects.filter(pk__in=part.wanted).select_related("contribution__author")
    comments = rows.in_bulk() if part.wanted else {}

    def build(keys: list[int], depth: int) -> list[CommentNode]:
        nodes = []
        for pk in keys:
            if pk not in index.kept:
                continue
            comment = comments[pk]
            comment.contribution.activity = idea.contribution.activity  # no query per comment
            comment.idea = idea
            shown = pk in index.shown
            node = CommentNode(
                comment,
                shown,
                depth,
                can_report=shown and can_report(user, comment.contribution),
                replies=build(index.children.get(pk, []), depth + 1),
                agreed=pk in part.agreed,
                can_agree=shown and can_agree(user, comment),
            )
            nodes.append(node)
        return nodes

    return build(list(part.page.object_list), 0)


def comments_on(ideas: Sequence[int]) -> dict[str, list[int]]:
    """The comments on these ideas, which the site search finds only while their idea is public
    (the ideas' search ``dependents``)."""
    return {
        CodesignKind.COMMENT: list(
            Comment.objects.filter(idea__in=ideas).values_list("pk", flat=True)
        )
    }


def supporters(activity_ids: list[int]) -> QuerySet:
    """(activity id, user id) of everyone who backed an idea: taking part, for equality
    monitoring (registered in apps.py)."""
    return Support.objects.filter(idea__contribution__activity_id__in=activity_ids).values_list(
        "idea__contribution__activity_id", "user_id"
    )


# --- Statements taken forward as ideas ------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    contribution: Contribution
    text: str
    opinion_map: str  # the title of the statement's activity
    idea: Idea | None  # the idea it already is in this challenge, if it is one


def statements_to_take_forward(challenge: Activity, limit: int = 200) -> list[StatementRow]:
    """The published statements of the service's opinion maps that all groups agreed with on
    their latest map, oldest first, and those already taken forward into this challenge; read
    through the spine (codesign does not import conversations; decision 0111)."""
    spec = kinds.get_kind(STATEMENT)
    published = Contribution.objects.filter(
        kind=STATEMENT,
        activity__service_stage__service=challenge.service_stage.service_id,
        visibility=Visibility.PUBLISHED,
    )
    taken = {
        idea.from_contribution_id: idea
        for idea in Idea.objects.filter(
            contribution__activity=challenge, from_contribution__in=published
        )
    }
    chosen = kinds.agreed(STATEMENT, list(published.values_list("pk", flat=True)))
    chosen |= {pk for pk in taken if pk is not None}
    statements = published.filter(pk__in=chosen).select_related(
        spec.detail, "activity", *spec.select_related
    )
    return [
        StatementRow(
            contribution=statement,
            text=spec.text(statement),
            opinion_map=statement.activity.title,
            idea=taken.get(statement.pk),
        )
        for statement in statements.order_by("created_at", "pk")[:limit]
    ]
