"""Every write of an idea challenge: posting ideas and comments, supporting, categories.

Answers, statuses, decisions and moderation are the answer spine's (``contributions.actions``).
Each action checks the rule it needs (raising PermissionDenied) so that the web views and the API
behave the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.codesign import rules, spam
from coproduce.codesign.models import CodesignKind, Comment, Idea, IdeaCategory, Support
from coproduce.common import pagecache
from coproduce.contributions.actions import contribution_start
from coproduce.contributions.models import AuthorDisplay, Contribution
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity, ActivityKind


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


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
    _require(rules.can_post_idea(author, activity))
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
    _require(rules.can_comment(author, idea))
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
    return comment


@transaction.atomic
def support_add(*, idea: Idea, user: User) -> bool:
    """Back an idea. Returns False when the person already supports it (nothing changes)."""
    _require(rules.can_support(user, idea))
    spam.support_rate_check(user=user)
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        return False
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    _pages_change(activity_id=idea.contribution.activity_id, idea_ids=[idea.pk])
    return True


@transaction.atomic
def support_withdraw(*, idea: Idea, user: User) -> bool:
    """Withdraw a support. Returns False when there was none."""
    _require(rules.can_support(user, idea))
    spam.support_rate_check(user=user)
    deleted, _details = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        _pages_change(activity_id=idea.contribution.activity_id, idea_ids=[idea.pk])
    return bool(deleted)


def _check_category_name(activity: Activity, name: str, *, exclude: int | None = None) -> str:
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
    _require(service_rules.can_manage_activity(created_by, activity))
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
    _require(service_rules.can_manage_activity(renamed_by, category.activity))
    category.name = _check_category_name(category.activity, name, exclude=category.pk)
    category.full_clean()
    category.save(update_fields=["name"])
    _pages_change(  # the lists, and the page of every idea in it
        activity_id=category.activity_id,
        idea_ids=category.ideas.values_list("pk", flat=True),
    )
    return category
