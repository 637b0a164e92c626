"""The co-design chapter of the demo: living idea challenges, supported, discussed and answered.

Every demo service with an idea challenge gets ideas, supports, threaded comments, questions with
official answers, and ideas moved along their statuses — adopted, adapted, not taken forward (with
the reason), in delivery and delivered — plus a decision that the adopted ideas informed. The youth
mental health service gets an idea challenge that is open now, with a held idea waiting for a
moderator, a reported idea, ideas still waiting for an answer, comments people agree with, and a
supports threshold that two ideas have reached (one answered, one due).

Everything goes through the factories and actions. Challenges that have already closed are
reopened for a moment to take their ideas (as the insight chapter does), then everything is dated
back to when it happened. Running it twice changes nothing: a challenge that already has
contributions is left alone. The people, ideas, comments and answers are in codesign_content.py;
this module seeds them.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.codesign import actions, spam
from coproduce.codesign.models import Comment, Idea, IdeaCategory
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Response, StatusChange, Visibility
from coproduce.demo.cast import resident
from coproduce.demo.codesign_content import (
    CHALLENGES,
    NEIGHBOURS,
    YOUTH_DECISION,
    YOUTH_DECISION_DAYS_AGO,
    ChallengeSpec,
    CommentSpec,
    IdeaSpec,
)
from coproduce.insight.models import InsightKind
from coproduce.insight.tests.factories import open_for_seeding
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service


def _posted_at(activity: Activity, index: int, count: int) -> dt.datetime:
    """Spread the ideas over the first half of the days the challenge was open (up to now)."""
    today = timezone.localdate()
    start = activity.opens_on or today - dt.timedelta(days=14)
    end = min(activity.closes_on or today, today)
    span = max((end - start).days // 2, 1)
    day = start + dt.timedelta(days=span * index // max(count, 1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10 + index % 8, 5 * index % 60)))


def _not_after_now(moment: dt.datetime) -> dt.datetime:
    return min(moment, timezone.now() - dt.timedelta(hours=1))


def _date(contribution: Contribution, moment: dt.datetime) -> None:
    Contribution.objects.filter(pk=contribution.pk).update(created_at=_not_after_now(moment))


def _answer(contribution: Contribution, body: str, author: User, moment: dt.datetime) -> None:
    response = spine_actions.response_create(contribution=contribution, author=author, body=body)
    when = _not_after_now(moment)
    Response.objects.filter(pk=response.pk).update(created_at=when)
    Contribution.objects.filter(pk=contribution.pk).update(
        first_response_at=when, last_response_at=when
    )


def _comments(
    idea: Idea,
    specs: list[CommentSpec],
    posted: dt.datetime,
    people: dict[str, User],
    parent: Comment | None = None,
) -> list[tuple[Comment, CommentSpec, dt.datetime]]:
    made: list[tuple[Comment, CommentSpec, dt.datetime]] = []
    for index, spec in enumerate(specs):
        moment = posted + dt.timedelta(hours=5 + 7 * index + (3 if parent else 0))
        comment = CommentFactory(
            idea=idea,
            parent=parent,
            author=resident(people, spec.person),
            body=spec.body,
            is_question=spec.question,
        )
        _date(comment.contribution, moment)
        agreers = [
            person
            for email, _name in NEIGHBOURS
            if email not in (spec.person, "resident@example.org")
            for person in [resident(people, email)]
        ]
        start = (5 * len(made) + len(spec.body)) % len(agreers)
        for person in (agreers[start:] + agreers[:start])[: spec.agreed]:
            actions.agreement_add(comment=comment, user=person)
        made.append((comment, spec, moment))
        made += _comments(idea, spec.replies, moment, people, parent=comment)
    return made


def _challenge(activity: Activity, spec: ChallengeSpec, people: dict[str, User]) -> None:
    answerer = resident(people, spec.answerer)
    moderator = resident(people, spec.moderator)
    supporters = [resident(people, email) for email, _name in NEIGHBOURS]
    posted: list[tuple[Idea, IdeaSpec, dt.datetime]] = []
    comments: list[tuple[Comment, CommentSpec, dt.datetime]] = []
    with open_for_seeding(activity):
        categories = {
            name: actions.idea_category_create(activity=activity, name=name, created_by=answerer)
            for name in spec.categories
        }
        for index, idea_spec in enumerate(spec.ideas):
            moment = _posted_at(activity, index, len(spec.ideas))
            author = resident(people, idea_spec.person)
            idea = IdeaFactory(
                activity=activity,
                author=author,
                title=idea_spec.title,
                description=idea_spec.description,
                category=categories.get(idea_spec.category),
                author_display=idea_spec.display,
            )
            _date(idea.contribution, moment)
            posted.append((idea, idea_spec, moment))
            if idea.contribution.visibility != "published":
                continue  # held for a moderator: nobody can support or comment yet
            backers = [p for p in supporters if p.pk != author.pk]
            start = (7 * index) % len(backers)
            for person in (backers[start:] + backers[:start])[: idea_spec.supporters]:
                actions.support_add(idea=idea, user=person)
            comments += _comments(idea, idea_spec.comments, moment, people)
    # After the challenge: reports, moderation, answers and statuses, dated to when they happened.
    for comment, comment_spec, moment in comments:
        if comment_spec.hidden:
            spine_actions.report_create(
                contribution=comment.contribution,
                reporter=resident(people, "resident@example.org"),
                reason=comment_spec.hidden,
            )
            spine_actions.moderation_hide(contribution=comment.contribution, moderator=moderator)
        elif comment_spec.answer:
            _answer(comment.contribution, comment_spec.answer, answerer, moment + dt.timedelta(1))
    decided = []
    for idea, idea_spec, moment in posted:
        if idea_spec.report:
            spine_actions.report_create(
                contribution=idea.contribution,
                reporter=resident(people, "priya.s@example.org"),
                reason=idea_spec.report,
            )
        if idea_spec.answer:
            _answer(idea.contribution, idea_spec.answer, answerer, moment + dt.timedelta(days=6))
        for status, reason, after in idea_spec.statuses:
            spine_actions.contribution_set_status(
                contribution=idea.contribution, to_status=status, reason=reason, changed_by=answerer
            )
            StatusChange.objects.filter(contribution=idea.contribution, to_status=status).update(
                created_at=_not_after_now(moment + dt.timedelta(days=after))
            )
        if idea_spec.decided:
            decided.append(idea.contribution)
    if spec.threshold:
        _threshold(activity, spec.threshold, answerer, posted)
    if spec.decision and decided:
        spine_actions.decision_create(
            service=activity.service,
            stage=activity.service_stage.stage,
            title=spec.decision["title"],
            description=spec.decision["description"],
            decided_by=spec.decision["decided_by"],
            decided_on=timezone.localdate() - dt.timedelta(days=spec.decision["days_ago"]),
            recorded_by=answerer,
            contributions=decided,
        )
    # The demo's history happened over months, not in this minute: forget the support counts.
    cache.delete_many([spam.vote_rate_key(person) for person in supporters])


def _threshold(
    activity: Activity,
    threshold: tuple[int, int],
    staff: User,
    posted: list[tuple[Idea, IdeaSpec, dt.datetime]],
) -> None:
    """Promise answers to the most supported ideas; those that have the supports reached them two
    days after they were posted, and are due so many working days after that."""
    supports, days = threshold
    promise = actions.supports_threshold_set(
        activity=activity, supports=supports, answer_days=days, set_by=staff
    )
    assert promise is not None
    for idea, _spec, moment in posted:
        reached = _not_after_now(moment + dt.timedelta(days=2))
        Idea.objects.filter(pk=idea.pk, threshold_reached_at__isnull=False).update(
            threshold_reached_at=reached, answer_due_on=promise.due_on(timezone.localdate(reached))
        )


def _open_youth_challenge() -> None:
    """Young people share ideas before they vote on how the new money is spent."""
    service = Service.objects.filter(slug="youth-mental-health-support").first()
    title = "Your ideas for young people's mental health"
    if (
        service is None
        or Activity.objects.filter(service_stage__service=service, title=title).exists()
    ):
        return
    today = timezone.localdate()
    IdeaChallengeFactory(
        service=service,
        title=title,
        summary="What would help? Post an idea, support the ones you like and say what you think. "
        "The most supported ideas go forward to next year's young people's budget vote.",
        how_to_take_part="Post online, or tell a youth worker at any Northfield youth club.",
        opens_on=today - dt.timedelta(days=12),
        closes_on=today + dt.timedelta(days=30),
    )


def _youth_decision(people: dict[str, User]) -> None:
    """The youth service's challenge is still open, but what young people said in its survey and
    stories has already informed a decision: so its "You said, we did" has one too."""
    service = Service.objects.filter(slug="youth-mental-health-support").first()
    if service is None or service.decisions.filter(title=YOUTH_DECISION["title"]).exists():
        return
    decided_on = timezone.localdate() - dt.timedelta(days=YOUTH_DECISION_DAYS_AGO)
    next_day = dt.datetime.combine(decided_on + dt.timedelta(days=1), dt.time.min)
    informed = list(
        Contribution.objects.filter(
            activity__service_stage__service=service,
            kind__in=[InsightKind.STORY, InsightKind.NEED],
            visibility=Visibility.PUBLISHED,
            first_response_at__isnull=False,
            created_at__lt=timezone.make_aware(next_day),  # none made after the decision
        ).order_by("created_at", "pk")[:3]
    )
    if not informed:
        return
    spine_actions.decision_create(
        service=service,
        stage=informed[0].activity.service_stage.stage,
        title=YOUTH_DECISION["title"],
        description=YOUTH_DECISION["description"],
        decided_by=YOUTH_DECISION["decided_by"],
        decided_on=decided_on,
        recorded_by=resident(people, "sam.reid@nhs-northfield.example"),
        contributions=informed,
    )


def seed_codesign(people: dict[str, User]) -> int:
    """Fill every demo idea challenge that is still empty, and give the youth service a decision
    (see ``_youth_decision``). Returns how many challenges were filled."""
    _open_youth_challenge()
    _youth_decision(people)
    filled = 0
    challenges = (
        Activity.objects.filter(kind=ActivityKind.IDEA_CHALLENGE)
        .exclude(state=ActivityState.DRAFT)
        .select_related("service_stage__service__organisation")
        .order_by("id")
    )
    for activity in challenges:
        spec = CHALLENGES.get((activity.service.slug, activity.title))
        if spec is None or Contribution.objects.filter(activity=activity).exists():
            continue
        if IdeaCategory.objects.filter(activity=activity).exists():
            continue
        _challenge(activity, spec, people)
        filled += 1
    return filled
