"""Every write about contributions: posting, supporting, answering, deciding, moderating.

Each action checks the rule it needs (raising PermissionDenied) so that the web views and the API
behave the same. Notifications go out only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.codesign import rules, spam
from coproduce.codesign.models import (
    IDEA_TRANSITIONS,
    STATUSES_NEEDING_REASON,
    AuthorDisplay,
    Comment,
    Contribution,
    ContributionKind,
    Decision,
    Idea,
    IdeaCategory,
    IdeaStatus,
    IdeaStatusChange,
    Report,
    ReportStatus,
    Response,
    Support,
    Visibility,
)
from coproduce.common import pagecache
from coproduce.notifications.actions import notify
from coproduce.notifications.models import Event
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity, ActivityKind, Service, Stage


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _pages_change(*, activity_id: int, idea_ids: Iterable[int] = ()) -> None:
    """The cached pages of this challenge (its idea lists) and of these ideas are out of date
    once the transaction commits (docs/decisions/0801-web-page-cache.md)."""
    pagecache.bump(
        pagecache.scope(Activity, activity_id), *(pagecache.scope(Idea, pk) for pk in idea_ids)
    )


def _contributions_change(contributions: Iterable[Contribution]) -> None:
    """The cached pages that show these contributions: their challenge's and their idea's."""
    items = list(contributions)
    comments = [c.pk for c in items if c.kind == ContributionKind.COMMENT]
    ideas_of_comments = dict(
        Comment.objects.filter(pk__in=comments).values_list("pk", "idea_id") if comments else ()
    )
    for contribution in items:
        idea_ids = []
        if contribution.kind == ContributionKind.IDEA:
            idea_ids.append(contribution.pk)
        elif contribution.pk in ideas_of_comments:
            idea_ids.append(ideas_of_comments[contribution.pk])
        _pages_change(activity_id=contribution.activity_id, idea_ids=idea_ids)


def contribution_start(
    *,
    activity: Activity,
    kind: str,
    author: Any,
    author_display: str = AuthorDisplay.FIRST_NAME,
    text: str = "",
    always_moderate: bool = False,
) -> Contribution:
    """Create the shared Contribution row; held for moderation when the activity or spam guard says so.

    The caller has already checked who may contribute; this checks the method takes ``kind``.
    """
    if not rules.accepts(activity, kind):
        raise ValidationError(_("This activity does not take this kind of contribution."))
    if author_display not in AuthorDisplay.values:
        raise ValidationError({"author_display": _("Choose how your name is shown.")})
    reason = spam.hold_reason(author=author, text=text)
    if not reason and (activity.premoderation or always_moderate):
        reason = _("Checked by a moderator before it appears")
    return Contribution.objects.create(
        activity=activity,
        kind=kind,
        author=author if author is not None and author.is_authenticated else None,
        author_display=author_display,
        visibility=Visibility.PENDING if reason else Visibility.PUBLISHED,
        held_reason=reason,
    )


@transaction.atomic
def idea_create(
    *,
    activity: Activity,
    author: Any,
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
        kind=ContributionKind.IDEA,
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
    author: Any,
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
        kind=ContributionKind.COMMENT,
        author=author,
        author_display=author_display,
        text=body,
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
def support_add(*, idea: Idea, user: Any) -> bool:
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
def support_withdraw(*, idea: Idea, user: Any) -> bool:
    """Withdraw a support. Returns False when there was none."""
    _require(rules.can_support(user, idea))
    spam.support_rate_check(user=user)
    deleted, _details = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        _pages_change(activity_id=idea.contribution.activity_id, idea_ids=[idea.pk])
    return bool(deleted)


@transaction.atomic
def response_create(*, contribution: Contribution, author: Any, body: str) -> Response:
    """Post an official answer; the author and followers hear about it after the commit."""
    _require(rules.can_answer(author, contribution))
    if not body.strip():
        raise ValidationError({"body": _("Write the answer.")})
    response = Response.objects.create(contribution=contribution, author=author, body=body.strip())
    now = response.created_at
    Contribution.objects.filter(pk=contribution.pk, first_response_at__isnull=True).update(
        first_response_at=now
    )
    Contribution.objects.filter(pk=contribution.pk).update(last_response_at=now)
    contribution.refresh_from_db(fields=["first_response_at", "last_response_at"])
    _contributions_change([contribution])
    organisation = contribution.service.organisation.name
    notify(
        contribution=contribution,
        event=Event.RESPONSE,
        message=_("%(organisation)s answered “%(title)s”: %(body)s")
        % {"organisation": organisation, "title": contribution.title, "body": response.body[:300]},
        actor=author,
    )
    return response


@transaction.atomic
def idea_set_status(*, idea: Idea, to_status: str, changed_by: Any, reason: str = "") -> Idea:
    """Move an idea along received → … → delivered; some statuses need a reason."""
    _require(rules.can_set_idea_status(changed_by, idea))
    idea = Idea.objects.select_for_update().select_related("contribution__activity").get(pk=idea.pk)
    labels = dict(IdeaStatus.choices)
    if to_status not in IDEA_TRANSITIONS.get(idea.status, []):
        raise ValidationError(
            {
                "to_status": _("An idea that is %(current)s cannot become %(target)s.")
                % {
                    "current": str(labels[idea.status]).lower(),
                    "target": str(labels.get(to_status, to_status)).lower(),
                }
            }
        )
    if to_status in STATUSES_NEEDING_REASON and not reason.strip():
        raise ValidationError(
            {"reason": _("Explain why, so the people who suggested it understand.")}
        )
    IdeaStatusChange.objects.create(
        idea=idea,
        from_status=idea.status,
        to_status=to_status,
        reason=reason.strip(),
        changed_by=changed_by,
    )
    idea.status, idea.status_reason = to_status, reason.strip()
    idea.save(update_fields=["status", "status_reason"])
    _pages_change(activity_id=idea.contribution.activity_id, idea_ids=[idea.pk])
    message = _("The idea “%(title)s” is now: %(status)s.") % {
        "title": idea.title,
        "status": str(labels[to_status]).lower(),
    }
    if reason.strip():
        message = f"{message} {reason.strip()}"
    notify(contribution=idea.contribution, event=Event.STATUS, message=message, actor=changed_by)
    return idea


def _check_decision_contributions(
    service: Service, contributions: Iterable[Contribution]
) -> list[Contribution]:
    items = list(contributions)
    if any(c.activity.service_stage.service_id != service.pk for c in items):
        raise ValidationError({"contributions": _("Link only contributions made to this service.")})
    return items


@transaction.atomic
def decision_create(
    *,
    service: Service,
    stage: str,
    title: str,
    description: str,
    decided_by: str,
    decided_on: dt.date,
    recorded_by: Any,
    contributions: Iterable[Contribution] = (),
) -> Decision:
    """Record a decision in the current cycle and tell everyone whose contribution informed it."""
    _require(rules.can_record_decision(recorded_by, service))
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage of the lifecycle.")})
    if decided_on > timezone.localdate():
        raise ValidationError(
            {"decided_on": _("The date of the decision must be today or in the past.")}
        )
    linked = _check_decision_contributions(service, contributions)
    decision = Decision(
        service=service,
        cycle=service.current_cycle,
        stage=stage,
        title=title.strip(),
        description=description.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        recorded_by=recorded_by,
    )
    decision.full_clean()
    decision.save()
    decision_link(decision=decision, contributions=linked, linked_by=recorded_by)
    return decision


@transaction.atomic
def decision_link(
    *, decision: Decision, contributions: Iterable[Contribution], linked_by: Any
) -> None:
    """Link more contributions to a decision; their authors and followers are told."""
    _require(rules.can_record_decision(linked_by, decision.service))
    already = set(decision.contributions.values_list("pk", flat=True))
    new = [
        c
        for c in _check_decision_contributions(decision.service, contributions)
        if c.pk not in already
    ]
    decision.contributions.add(*new)
    _contributions_change(new)
    for contribution in new:
        notify(
            contribution=contribution,
            event=Event.DECISION,
            message=_("A decision was informed by “%(title)s”: %(decision)s")
            % {"title": contribution.title, "decision": decision.title},
            actor=linked_by,
        )


@transaction.atomic
def report_create(*, contribution: Contribution, reporter: Any, reason: str) -> Report:
    """Ask moderators to look at a contribution; a reason is required."""
    _require(rules.can_report(reporter, contribution))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why moderators should look at this.")})
    report, _created = Report.objects.get_or_create(
        contribution=contribution,
        reporter=reporter,
        status=ReportStatus.OPEN,
        defaults={"reason": reason.strip()},
    )
    return report


def _moderate(contribution: Contribution, moderator: Any, visibility: str) -> Contribution:
    _require(rules.can_moderate(moderator, contribution.activity))
    contribution.visibility = visibility
    contribution.moderated_by = moderator
    contribution.moderated_at = timezone.now()
    contribution.save(update_fields=["visibility", "moderated_by", "moderated_at"])
    _contributions_change([contribution])
    return contribution


@transaction.atomic
def moderation_approve(*, contribution: Contribution, moderator: Any) -> Contribution:
    """Publish a held contribution, and close any open reports about it as dismissed."""
    _moderate(contribution, moderator, Visibility.PUBLISHED)
    _close_reports(contribution, moderator, ReportStatus.DISMISSED)
    return contribution


@transaction.atomic
def moderation_hide(*, contribution: Contribution, moderator: Any) -> Contribution:
    """Hide a contribution after review; open reports about it are upheld."""
    _moderate(contribution, moderator, Visibility.HIDDEN)
    _close_reports(contribution, moderator, ReportStatus.UPHELD)
    return contribution


def _close_reports(contribution: Contribution, moderator: Any, status: str) -> None:
    Report.objects.filter(contribution=contribution, status=ReportStatus.OPEN).update(
        status=status, reviewed_by=moderator, reviewed_at=timezone.now()
    )


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
def idea_category_create(*, activity: Activity, name: str, created_by: Any) -> IdeaCategory:
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
def idea_category_rename(*, category: IdeaCategory, name: str, renamed_by: Any) -> IdeaCategory:
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
