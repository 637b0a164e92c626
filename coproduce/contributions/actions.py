"""Every write on the spine: starting a contribution, answering it, moving its status, deciding,
reporting, moderating, following.

Each action checks the rule it needs (raising PermissionDenied) so that the web views and the API
behave the same. Notifications go out only after the transaction commits. Method apps create their
own rows through their own actions, which call ``contribution_start`` first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.common.dates import long_date
from coproduce.common.permissions import require
from coproduce.contributions import ledger, rules, search, spam
from coproduce.contributions.kinds import get_kind, registered
from coproduce.contributions.models import (
    DECISION_DATE_NAME,
    DECISION_DATES,
    AuthorDisplay,
    Contribution,
    Decision,
    Follow,
    Report,
    ReportStatus,
    Response,
    StatusChange,
    Visibility,
)
from coproduce.notifications.actions import notify
from coproduce.notifications.models import Event
from coproduce.search.actions import index_update
from coproduce.services.models import Activity, Service, Stage


def contributions_changed(contributions: Iterable[Contribution]) -> None:
    """Tell each kind's app that the spine changed some of its contributions (for its caches)."""
    by_kind: dict[str, list[Contribution]] = defaultdict(list)
    for contribution in contributions:
        by_kind[contribution.kind].append(contribution)
    for code, items in by_kind.items():
        hook = get_kind(code).on_change
        if hook is not None:
            hook(items)


def recipients(contribution: Contribution, *, actor: Visitor | None = None) -> list[User]:
    """The author and everyone following the contribution, its activity or its service."""
    activity = contribution.activity
    ids = set(
        Follow.objects.filter(
            Q(contribution=contribution)
            | Q(activity=activity)
            | Q(service_id=activity.service_stage.service_id)
        ).values_list("user_id", flat=True)
    )
    if contribution.author_id:
        ids.add(contribution.author_id)
    if actor is not None and actor.pk is not None:
        ids.discard(actor.pk)
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _tell(contribution: Contribution, *, event: str, message: str, actor: Visitor) -> None:
    notify(
        users=recipients(contribution, actor=actor),
        event=event,
        message=message,
        url=contribution.get_absolute_url(),
        service=contribution.service,
    )


def activity_opened_notify(activity: Activity) -> None:
    """Tell the followers of a published service that one of its activities has opened.

    Registered with ``services.hooks.ACTIVITY_OPENED``: it runs in the transaction that opens the
    activity, and the emails go after the commit (or in the digests people chose).
    """
    service = activity.service_stage.service
    if not service.is_published:
        return
    followers = Follow.objects.filter(service=service).values_list("user_id", flat=True)
    notify(
        users=User.objects.filter(pk__in=followers, is_active=True),
        event=Event.NEW_ACTIVITY,
        message=_("%(service)s has opened a new activity: “%(title)s”")
        % {"service": service.name, "title": activity.title},
        url=activity.get_absolute_url(),
        service=service,
    )


def contribution_start(
    *,
    activity: Activity,
    kind: str,
    author: Visitor | None,
    author_display: str = AuthorDisplay.FIRST_NAME,
    text: str = "",
    always_moderate: bool = False,
    needs_answer: bool | None = None,
    by_staff: bool = False,
) -> Contribution:
    """Create the shared Contribution row of a new contribution of a registered kind.

    It is held for moderation when the activity or the spam guard says so, starts in its kind's
    first status, and needs an answer when its kind says so (``needs_answer`` overrides, for a
    comment that asks a question). ``by_staff``: written by staff in their role (an opinion map's
    seed statements), so the spam guard, meant for the public, does not count or hold it. The caller, the kind's own action, has already checked who may
    contribute and runs in a transaction; it creates its own row next, with this one's key.
    """
    if not registered(kind) or not rules.accepts(activity, kind):
        raise ValidationError(_("This activity does not take this kind of contribution."))
    if author_display not in AuthorDisplay.values:
        raise ValidationError({"author_display": _("Choose how your name is shown.")})
    spec = get_kind(kind)
    reason = "" if by_staff else spam.hold_reason(author=author, text=text)
    if not reason and (activity.premoderation or always_moderate):
        reason = _("Checked by a moderator before it appears")
    return Contribution.objects.create(
        activity=activity,
        kind=kind,
        author=author if author is not None and author.is_authenticated else None,
        author_display=author_display,
        visibility=Visibility.PENDING if reason else Visibility.PUBLISHED,
        held_reason=reason,
        needs_answer=spec.answerable if needs_answer is None else needs_answer,
        status=spec.workflow.initial if spec.workflow is not None else "",
    )


@transaction.atomic
def response_create(
    *, contribution: Contribution, author: User, body: str, body_cy: str = ""
) -> Response:
    """Post an official answer; the author and followers hear about it after the commit."""
    require(rules.can_answer(author, contribution))
    if not body.strip():
        raise ValidationError({"body": _("Write the answer.")})
    response = Response.objects.create(
        contribution=contribution, author=author, body=body.strip(), body_cy=body_cy.strip()
    )
    now = response.created_at
    Contribution.objects.filter(pk=contribution.pk, first_response_at__isnull=True).update(
        first_response_at=now
    )
    Contribution.objects.filter(pk=contribution.pk).update(last_response_at=now)
    contribution.refresh_from_db(fields=["first_response_at", "last_response_at"])
    contributions_changed([contribution])
    index_update(search.ANSWER, [response.pk])
    _tell(
        contribution,
        event=Event.RESPONSE,
        message=_("%(organisation)s answered “%(title)s”: %(body)s")
        % {
            "organisation": contribution.service.organisation.name,
            "title": contribution.title,
            "body": response.body[:300],
        },
        actor=author,
    )
    return response


@transaction.atomic
def contribution_set_status(
    *,
    contribution: Contribution,
    to_status: str,
    changed_by: User,
    reason: str = "",
    by_method: bool = False,
) -> Contribution:
    """Move a contribution along its kind's workflow; some statuses need a reason.

    The workflow's reserved statuses are refused unless ``by_method``: only the method's own
    action passes it, having done what the status says (decision 0127).
    """
    require(rules.can_set_status(changed_by, contribution))
    locked = (
        Contribution.objects.select_for_update()
        .select_related("activity__service_stage__service__organisation")
        .get(pk=contribution.pk)
    )
    workflow = locked.kind_spec.workflow
    if workflow is None:  # can_set_status refused it already; a kind cannot lose its workflow
        raise PermissionDenied
    if to_status in workflow.reserved and not by_method:
        raise ValidationError({"to_status": str(workflow.reserved_message)})
    if to_status not in workflow.next_statuses(locked.status):
        raise ValidationError(
            {
                "to_status": _("It is %(current)s now, so it cannot become %(target)s.")
                % {
                    "current": workflow.label(locked.status).lower(),
                    "target": workflow.label(to_status).lower(),
                }
            }
        )
    reason = reason.strip()
    if to_status in workflow.needs_reason and not reason:
        raise ValidationError(
            {"reason": _("Explain why, so the people who suggested it understand.")}
        )
    StatusChange.objects.create(
        contribution=locked,
        from_status=locked.status,
        to_status=to_status,
        reason=reason,
        changed_by=changed_by,
    )
    locked.status, locked.status_reason = to_status, reason
    locked.save(update_fields=["status", "status_reason"])
    contribution.status, contribution.status_reason = to_status, reason
    contributions_changed([contribution])
    message = _("“%(title)s” is now: %(status)s.") % {
        "title": contribution.title,
        "status": workflow.label(to_status).lower(),
    }
    _tell(
        contribution,
        event=Event.STATUS,
        message=f"{message} {reason}" if reason else message,
        actor=changed_by,
    )
    return contribution


def _check_decision_contributions(
    service: Service, decided_on: dt.date, contributions: Iterable[Contribution]
) -> list[Contribution]:
    """Published contributions to the service, made on or before the day of the decision (as
    stored). Not one held, hidden or awaiting its author's confirmation: the decision page and
    "You said, we did" would show it (decision 0129)."""
    items = list(contributions)
    if any(c.activity.service_stage.service_id != service.pk for c in items):
        raise ValidationError({"contributions": _("Link only contributions made to this service.")})
    published = set(
        Contribution.objects.filter(pk__in=[c.pk for c in items])
        .published()
        .values_list("pk", flat=True)
    )
    unpublished = [c for c in items if c.pk not in published]
    if unpublished:
        raise ValidationError(
            {
                "contributions": _(
                    "Link only published contributions. These are not published: %(titles)s."
                )
                % {"titles": ", ".join(f"“{c.title}”" for c in unpublished)}
            }
        )
    next_day = dt.datetime.combine(decided_on + dt.timedelta(days=1), dt.time.min)
    later = set(
        Contribution.objects.filter(
            pk__in=[c.pk for c in items], created_at__gte=timezone.make_aware(next_day)
        ).values_list("pk", flat=True)
    )
    if later:
        titles = ", ".join(f"“{c.title}”" for c in items if c.pk in later)
        raise ValidationError(
            {
                "contributions": _(
                    "A decision cannot be informed by contributions made after it. These were "
                    "made after %(date)s: %(titles)s."
                )
                % {"date": long_date(decided_on), "titles": titles}
            }
        )
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
    recorded_by: User,
    contributions: Iterable[Contribution] = (),
    title_cy: str = "",
    description_cy: str = "",
) -> Decision:
    """Record a decision in the current cycle and tell everyone whose contribution informed it."""
    require(rules.can_record_decision(recorded_by, service))
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage of the lifecycle.")})
    DECISION_DATES.check({"decided_on": (decided_on, DECISION_DATE_NAME)})
    linked = _check_decision_contributions(service, decided_on, contributions)
    decision = Decision(
        service=service,
        cycle=service.current_cycle,
        stage=stage,
        title=title.strip(),
        description=description.strip(),
        title_cy=title_cy.strip(),
        description_cy=description_cy.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        recorded_by=recorded_by,
    )
    decision.full_clean()
    decision.save()
    ledger.record_decision(decision)  # before its links, which the ledger records next
    decision_link(decision=decision, contributions=linked, linked_by=recorded_by)
    index_update(search.DECISION, [decision.pk])
    return decision


@transaction.atomic
def decision_link(
    *, decision: Decision, contributions: Iterable[Contribution], linked_by: User
) -> None:
    """Link more contributions to a decision; their authors and followers are told."""
    require(rules.can_record_decision(linked_by, decision.service))
    already = set(decision.contributions.values_list("pk", flat=True))
    new = [
        c
        for c in _check_decision_contributions(decision.service, decision.decided_on, contributions)
        if c.pk not in already
    ]
    decision.contributions.add(*new)
    ledger.record_links(decision, [c.pk for c in new])
    contributions_changed(new)
    for contribution in new:
        _tell(
            contribution,
            event=Event.DECISION,
            message=_("A decision was informed by “%(title)s”: %(decision)s")
            % {"title": contribution.title, "decision": decision.title},
            actor=linked_by,
        )


@transaction.atomic
def decision_set_welsh(
    *, decision: Decision, by: User, title_cy: str, description_cy: str
) -> Decision:
    """Write (or change, or clear) the Welsh of a decision already recorded. Nobody is told: what
    was decided is the same."""
    require(rules.can_record_decision(by, decision.service))
    decision.title_cy, decision.description_cy = title_cy.strip(), description_cy.strip()
    decision.full_clean()
    decision.save(update_fields=["title_cy", "description_cy"])
    ledger.record_decision_change(decision)  # a correction of its entry in the public ledger
    contributions_changed(decision.contributions.all())  # their pages show the decision
    index_update(search.DECISION, [decision.pk])
    return decision


@transaction.atomic
def response_set_welsh(*, response: Response, by: User, body_cy: str) -> Response:
    """Write (or change, or clear) the Welsh of an answer already published. Nobody is told: the
    answer is the same."""
    require(rules.can_answer(by, response.contribution))
    response.body_cy = body_cy.strip()
    response.full_clean(exclude=["contribution", "author"])
    response.save(update_fields=["body_cy"])
    contributions_changed([response.contribution])
    index_update(search.ANSWER, [response.pk])
    return response


@transaction.atomic
def report_create(*, contribution: Contribution, reporter: User, reason: str) -> Report:
    """Ask moderators to look at a contribution; a reason is required."""
    require(rules.can_report(reporter, contribution))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why moderators should look at this.")})
    report, _created = Report.objects.get_or_create(
        contribution=contribution,
        reporter=reporter,
        status=ReportStatus.OPEN,
        defaults={"reason": reason.strip()},
    )
    return report


def _moderate(contribution: Contribution, moderator: User, visibility: str) -> Contribution:
    require(rules.can_moderate(moderator, contribution.activity))
    contribution.visibility = visibility
    contribution.moderated_by = moderator
    contribution.moderated_at = timezone.now()
    contribution.save(update_fields=["visibility", "moderated_by", "moderated_at"])
    contributions_changed([contribution])
    # Found once published, not while held or hidden; nor, then, its answers (or its comments).
    index_update(contribution.kind, [contribution.pk])
    return contribution


def _close_reports(contribution: Contribution, moderator: User, status: str) -> None:
    Report.objects.filter(contribution=contribution, status=ReportStatus.OPEN).update(
        status=status, reviewed_by=moderator, reviewed_at=timezone.now()
    )


@transaction.atomic
def moderation_approve(*, contribution: Contribution, moderator: User) -> Contribution:
    """Publish a held contribution, and close any open reports about it as dismissed.

    Not one that waits for its author to confirm it (an anonymous survey answer before its
    emailed link is used): it is published, or held, when they confirm it (decision 0127).
    """
    require(rules.can_moderate(moderator, contribution.activity))
    if Contribution.objects.filter(pk=contribution.pk).awaiting_confirmation().exists():
        raise ValidationError(
            _("Its author has not confirmed it by email yet, so it cannot be published.")
        )
    _moderate(contribution, moderator, Visibility.PUBLISHED)
    _close_reports(contribution, moderator, ReportStatus.DISMISSED)
    return contribution


@transaction.atomic
def moderation_hide(*, contribution: Contribution, moderator: User) -> Contribution:
    """Hide a contribution after review; open reports about it are upheld."""
    _moderate(contribution, moderator, Visibility.HIDDEN)
    _close_reports(contribution, moderator, ReportStatus.UPHELD)
    return contribution


FollowTarget = Service | Activity | Contribution


@transaction.atomic
def follow_set(*, user: User, target: FollowTarget, follow: bool) -> bool:
    """Follow or stop following a service, activity or contribution. Returns the new state."""
    require(rules.can_follow(user, target))
    lookup: dict[str, Any] = {"user": user, _follow_field(target): target}
    if follow:
        Follow.objects.get_or_create(**lookup)
    else:
        Follow.objects.filter(**lookup).delete()
    return follow


def _follow_field(target: FollowTarget) -> str:
    if isinstance(target, Service):
        return "service"
    if isinstance(target, Activity):
        return "activity"
    return "contribution"
