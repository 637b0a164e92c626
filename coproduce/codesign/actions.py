"""Every write of an idea challenge: posting ideas and comments, supporting ideas, agreeing with
comments, categories, the supports threshold, and opinion-map statements taken forward as ideas.

Answers, statuses, decisions and moderation are the answer spine's (``contributions.actions``).
Each action checks the rule it needs (raising PermissionDenied) so that the web views and the API
behave the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.codesign import rules, spam
from coproduce.codesign.models import (
    IDEA_WORKFLOW,
    STATEMENT,
    Agreement,
    CodesignKind,
    Comment,
    Idea,
    IdeaCategory,
    Support,
    SupportsThreshold,
)
from coproduce.common import pagecache
from coproduce.common.locking import lock_for_share
from coproduce.common.permissions import require
from coproduce.contributions.actions import contribution_start, response_create
from coproduce.contributions.kinds import agreed, get_kind
from coproduce.contributions.models import AuthorDisplay, Contribution, Visibility
from coproduce.search.actions import index_update
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity, ActivityKind


def _pages_change(*, activity_id: int, idea_ids: Iterable[int] = ()) -> None:
    """The cached pages of this challenge (its idea lists) and of these ideas are out of date
    once the transaction commits (docs/decisions/0801-web-page-cache.md)."""
    pagecache.bump(
        pagecache.scope(Activity, activity_id), *(pagecache.scope(Idea, pk) for pk in idea_ids)
    )


def pages_changed(contributions: Sequence[Contribution]) -> None:
    """The spine changed these ideas or comments (an answer, a status, a moderation, a decision):
    the cached pages that show them — their challenge's and their idea's — are out of date.
    Registered as the two kinds' ``on_change`` (apps.py)."""
    comments = [c.pk for c in contributions if c.kind == CodesignKind.COMMENT]
    ideas_of_comments = dict(
        Comment.objects.filter(pk__in=comments).values_list("pk", "idea_id") if comments else ()
    )
    for contribution in contributions:
        idea_ids = []
        if contribution.kind == CodesignKind.IDEA:
            idea_ids.append(contribution.pk)
        elif contribution.pk in ideas_of_comments:
            idea_ids.append(ideas_of_comments[contribution.pk])
        _pages_change(activity_id=contribution.activity_id, idea_ids=idea_ids)


@transaction.atomic
def idea_create(
    *,
    activity: Activity,
    author: User,
    title: str,
    description: str,
    category: IdeaCategory | None = None,
    author_display: str = AuthorDisplay.FIRST_NAME,
) -> Idea:
    """Post an idea to an open idea challenge."""
    require(rules.can_post_idea(author, activity))
    if category is not None and category.activity_id != activity.pk:
        raise ValidationError({"category": _("Choose one of this challenge's categories.")})
    contribution = contribution_start(
        activity=activity,
        kind=CodesignKind.IDEA,
        author=author,
        author_display=author_display,
        text=f"{title}\n{description}",
    )
    idea = Idea(
        contribution=contribution,
        title=title.strip(),
        description=description.strip(),
        category=category,
    )
    idea.full_clean(exclude=["contribution"])
    idea.save()
    _pages_change(activity_id=activity.pk, idea_ids=[idea.pk])
    index_update(CodesignKind.IDEA, [idea.pk])
    return idea


@transaction.atomic
def comment_create(
    *,
    idea: Idea,
    author: User,
    body: str,
    parent: Comment | None = None,
    is_question: bool = False,
    author_display: str = AuthorDisplay.FIRST_NAME,
) -> Comment:
    """Comment on an idea, or reply to a comment on the same idea."""
    require(rules.can_comment(author, idea))
    if parent is not None and parent.idea_id != idea.pk:
        raise ValidationError({"parent": _("You can only reply to a comment on the same idea.")})
    contribution = contribution_start(
        activity=idea.contribution.activity,
        kind=CodesignKind.COMMENT,
        author=author,
        author_display=author_display,
        text=body,
        needs_answer=is_question,
    )
    comment = Comment(
        contribution=contribution,
        idea=idea,
        parent=parent,
        body=body.strip(),
        is_question=is_question,
    )
    comment.full_clean(exclude=["contribution", "idea", "parent"])
    comment.save()
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    _pages_change(activity_id=contribution.activity_id, idea_ids=[idea.pk])
    index_update(CodesignKind.COMMENT, [comment.pk])
    return comment


def _mark_threshold_reached(idea: Idea) -> None:
    """Record the moment the idea first has the supports its challenge's threshold asks for, and
    the date a written answer is due by (decision 0026). Once only: a promise stands."""
    threshold = SupportsThreshold.objects.filter(
        activity_id=idea.contribution.activity_id, supports__isnull=False
    ).first()
    if threshold is None:
        return
    now = timezone.now()
    Idea.objects.filter(
        pk=idea.pk, threshold_reached_at__isnull=True, support_count__gte=threshold.supports
    ).update(threshold_reached_at=now, answer_due_on=threshold.due_on(timezone.localdate(now)))


@transaction.atomic
def support_add(*, idea: Idea, user: User) -> bool:
    """Back an idea. Returns False when the person already supports it (nothing changes)."""
    require(rules.can_support(user, idea))
    spam.vote_rate_check(user=user)
    # Shared with everyone supporting; a new threshold waits for it (``supports_threshold_set``),
    # so that no idea reaches it unmarked.
    lock_for_share(Activity, idea.contribution.activity_id)
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        return False
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    _mark_threshold_reached(idea)
    _pages_change(activity_id=idea.contribution.activity_id, idea_ids=[idea.pk])
    return True


@transaction.atomic
def support_withdraw(*, idea: Idea, user: User) -> bool:
    """Withdraw a support. Returns False when there was none. An idea that had reached its
    challenge's threshold keeps its due date (decision 0026)."""
    require(rules.can_support(user, idea))
    spam.vote_rate_check(user=user)
    deleted, _details = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        _pages_change(activity_id=idea.contribution.activity_id, idea_ids=[idea.pk])
    return bool(deleted)


@transaction.atomic
def agreement_add(*, comment: Comment, user: User) -> bool:
    """Agree with a comment. Returns False when the person already agrees (nothing changes).

    The agreement and the comment's count change in one transaction (decision 0011), and the
    idea's cached pages with them (decision 0801). Supports and agreements share one rate limit.
    """
    require(rules.can_agree(user, comment))
    spam.vote_rate_check(user=user)
    try:
        with transaction.atomic():
            Agreement.objects.create(comment=comment, user=user)
    except IntegrityError:
        return False
    Comment.objects.filter(pk=comment.pk).update(agreement_count=F("agreement_count") + 1)
    pagecache.bump(pagecache.scope(Idea, comment.idea_id))  # idea lists do not show agreements
    return True


@transaction.atomic
def agreement_withdraw(*, comment: Comment, user: User) -> bool:
    """Withdraw an agreement with a comment. Returns False when there was none."""
    require(rules.can_agree(user, comment))
    spam.vote_rate_check(user=user)
    deleted, _details = Agreement.objects.filter(comment=comment, user=user).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(agreement_count=F("agreement_count") - 1)
        pagecache.bump(pagecache.scope(Idea, comment.idea_id))
    return bool(deleted)


@transaction.atomic
def supports_threshold_set(
    *, activity: Activity, supports: int | None, answer_days: int | None, set_by: User
) -> SupportsThreshold | None:
    """Set (or, with no number of supports, remove) a challenge's promise: ideas with
    ``supports`` supports get a written answer, within ``answer_days`` working days if given.

    Ideas that already have the supports reach the threshold now, and are due ``answer_days``
    working days from today. Ideas that reached it before keep the date they were promised;
    those promised no date, and not answered yet, get one from today when days are added.
    Every page of the challenge changes (decision 0026).
    """
    require(rules.can_set_threshold(set_by, activity))
    if activity.kind != ActivityKind.IDEA_CHALLENGE:
        raise ValidationError(_("Only idea challenges have a supports threshold."))
    # Waits for supports being added (their shared lock) and holds the next ones until the new
    # threshold is in, so that each support sees it (``support_add``).
    Activity.objects.select_for_update().filter(pk=activity.pk).exists()
    if supports is None and answer_days is not None:
        raise ValidationError(
            {
                "supports": _(
                    "Enter how many supports an idea needs. The working days are counted from "
                    "the day an idea reaches them."
                )
            }
        )
    now = timezone.now()
    threshold: SupportsThreshold | None = None
    if supports is None:
        SupportsThreshold.objects.filter(activity=activity).delete()
    else:
        threshold = SupportsThreshold(
            activity=activity, supports=supports, answer_days=answer_days, updated_by=set_by
        )
        threshold.full_clean(exclude=["activity", "updated_by"])
        threshold.save()
        ideas = Idea.objects.filter(contribution__activity=activity)
        due = threshold.due_on(timezone.localdate(now))
        ideas.filter(threshold_reached_at__isnull=True, support_count__gte=supports).update(
            threshold_reached_at=now, answer_due_on=due
        )
        if due is not None:
            ideas.filter(
                threshold_reached_at__isnull=False,
                answer_due_on__isnull=True,
                contribution__first_response_at__isnull=True,
            ).update(answer_due_on=due)
    # The idea lists and every idea page read the threshold: a new updated_at changes the probe
    # of them all at once (decision 0801), however many ideas the challenge has.
    Activity.objects.filter(pk=activity.pk).update(updated_at=now)
    return threshold


def _check_category_name(activity: Activity, name: str, *, exclude: int | None = None) -> str:
    """The name, stripped, if no other category of the challenge has it in any case. Under the
    challenge's row lock, so that two people adding "Parks" at once add it once."""
    Activity.objects.select_for_update().filter(pk=activity.pk).exists()
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the category.")})
    taken = IdeaCategory.objects.filter(activity=activity, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("This challenge already has a category with that name.")})
    return name


@transaction.atomic
def idea_category_create(*, activity: Activity, name: str, created_by: User) -> IdeaCategory:
    """Offer a new category in an idea challenge: for the people who run its activities."""
    require(service_rules.can_manage_activity(created_by, activity))
    if activity.kind != ActivityKind.IDEA_CHALLENGE:
        raise ValidationError(_("Only idea challenges have categories."))
    category = IdeaCategory(activity=activity, name=_check_category_name(activity, name))
    category.full_clean()
    category.save()
    _pages_change(activity_id=activity.pk)  # the lists offer it as a filter
    return category


@transaction.atomic
def idea_category_rename(*, category: IdeaCategory, name: str, renamed_by: User) -> IdeaCategory:
    """Rename a category; ideas in it keep it."""
    require(service_rules.can_manage_activity(renamed_by, category.activity))
    category.name = _check_category_name(category.activity, name, exclude=category.pk)
    category.full_clean()
    category.save(update_fields=["name"])
    _pages_change(  # the lists, and the page of every idea in it
        activity_id=category.activity_id,
        idea_ids=category.ideas.values_list("pk", flat=True),
    )
    return category


@transaction.atomic
def idea_take_forward(*, challenge: Activity, by: User, statement: Contribution) -> Idea:
    """Take a statement that all groups agreed with on an opinion map of the same service forward
    as a published idea of the challenge (decision 0111).

    The idea keeps the statement's author and links back to it, so its history and votes stay
    where they are; the statement gets an answer saying where it went ("You said, we did").
    """
    require(rules.can_take_forward(by, challenge))
    if challenge.kind != ActivityKind.IDEA_CHALLENGE:
        raise ValidationError(_("Only idea challenges take ideas."))
    locked = Activity.objects.select_for_update().get(pk=challenge.pk)  # as closing it locks it
    if not rules.takes_ideas_forward(locked):
        raise ValidationError(str(rules.CLOSED_TO_IDEAS))
    if statement.activity.service_stage.service_id != challenge.service_stage.service_id:
        raise ValidationError(
            {"statement": _("Take forward statements from this service’s own opinion maps.")}
        )
    if statement.kind != STATEMENT or statement.visibility != Visibility.PUBLISHED:
        raise ValidationError(
            {"statement": _("Only published opinion-map statements can be taken forward.")}
        )
    if statement.pk not in agreed(STATEMENT, [statement.pk]):
        raise ValidationError(
            {
                "statement": _(
                    "Choose a statement that all groups agreed with on the opinion map’s latest "
                    "map: only those can be taken forward."
                )
            }
        )
    # One at a time per statement, so that two staff sending the form at once make one idea.
    Contribution.objects.select_for_update().filter(pk=statement.pk).exists()
    if Idea.objects.filter(contribution__activity=challenge, from_contribution=statement).exists():
        raise ValidationError(
            {"statement": _("This statement is already an idea in this challenge.")}
        )
    text = get_kind(STATEMENT).text(statement).strip()
    contribution = Contribution.objects.create(
        activity=challenge,
        kind=CodesignKind.IDEA,
        author=statement.author,
        author_display=statement.author_display,
        visibility=Visibility.PUBLISHED,
        needs_answer=get_kind(CodesignKind.IDEA).answerable,
        status=IDEA_WORKFLOW.initial,
    )
    idea = Idea(
        contribution=contribution,
        title=Truncator(text).chars(150),
        description=text[:5000],
        from_contribution=statement,
    )
    idea.full_clean(exclude=["contribution", "from_contribution"])
    idea.save()
    _pages_change(activity_id=challenge.pk, idea_ids=[idea.pk])
    index_update(CodesignKind.IDEA, [idea.pk])
    response_create(
        contribution=statement,
        author=by,
        body=_("Taken forward to the idea challenge “%(challenge)s” as an idea.")
        % {"challenge": challenge.title},
    )
    return idea
