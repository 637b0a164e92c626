"""The insight chapter of the demo: survey answers, community assets and stories, some answered.

Every needs survey and story collection in the demo gets questions and contributions, built with
the insight factories (so through the real actions). Surveys that have already closed are briefly
reopened to take their answers, then dated back to when they ran. Some written answers and stories
still wait for a moderator, and some contributions are still waiting for an official answer.
Running it twice changes nothing: an activity that already has contributions is left alone.
The questions, answers, assets and stories are in insight_content.py; this module seeds them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Response
from coproduce.demo.cast import resident
from coproduce.demo.insight_content import ANSWERED, CHAPTERS, PENDING, Chapter
from coproduce.insight import actions
from coproduce.insight.models import Asset, Question, SurveySubmission
from coproduce.insight.tests.factories import (
    AssetFactory,
    StoryFactory,
    SubmissionFactory,
    open_for_seeding,
)
from coproduce.services.models import Activity, ActivityKind, ActivityState


def _when(activity: Activity, index: int, count: int) -> dt.datetime:
    """Spread contributions over the days the activity was open (up to yesterday)."""
    today = timezone.localdate()
    start = activity.opens_on or today - dt.timedelta(days=14)
    end = min(activity.closes_on or today, today - dt.timedelta(days=1))
    span = max((end - start).days, 1)
    day = start + dt.timedelta(days=span * (index + 1) // (count + 1))
    moment = dt.datetime.combine(day, dt.time(9 + index % 9, 7 * index % 60))
    return timezone.make_aware(moment)


def _follow_up(
    contribution: Contribution, then: str, chapter: Chapter, people: dict[str, User]
) -> None:
    """Moderate and answer as the chapter says, dating the answer some days after."""
    moderator = resident(people, chapter.moderator)
    if then == PENDING:
        return
    if contribution.visibility != "published":
        spine_actions.moderation_approve(contribution=contribution, moderator=moderator)
    if then != ANSWERED:
        return
    response = spine_actions.response_create(
        contribution=contribution, author=resident(people, chapter.answerer), body=chapter.reply
    )
    answered = min(contribution.created_at + dt.timedelta(days=6), timezone.now())
    Response.objects.filter(pk=response.pk).update(created_at=answered)
    Contribution.objects.filter(pk=contribution.pk).update(
        first_response_at=answered, last_response_at=answered
    )


def _survey(activity: Activity, chapter: Chapter, people: dict[str, User]) -> list[Contribution]:
    composer = resident(people, chapter.moderator)
    actions.survey_settings_update(
        activity=activity,
        user=composer,
        introduction=chapter.introduction,
        anonymous_answers=chapter.anonymous_answers,
    )
    questions = [
        actions.question_create(activity=activity, user=composer, **spec)
        for spec in chapter.questions
    ]
    made: list[tuple[Contribution, str]] = []
    for index, given in enumerate(chapter.answers):
        answers = {
            q.pk: value
            for q, value in zip(questions, given.values, strict=True)
            if value not in (None, "", [])
        }
        submission: SurveySubmission
        if given.person is None:
            submission = SubmissionFactory(
                activity=activity,
                author=AnonymousUser(),
                answers=answers,
                email=f"demo-anonymous-{activity.pk}-{index}@example.org",
            )
            token = f"demo-{activity.pk}-{index}"
            SurveySubmission.objects.filter(pk=submission.pk).update(
                confirmation_token_hash=SurveySubmission.hash_token(token)
            )
            submission = actions.submission_confirm(raw_token=token)
        else:
            submission = SubmissionFactory(
                activity=activity,
                author=resident(people, given.person),
                answers=answers,
                author_display=given.display,
            )
        made.append((submission.contribution, given.then))
    for spec in chapter.assets:
        author = resident(people, spec.person)
        membership = author.memberships.first()
        asset: Asset = AssetFactory(
            activity=activity,
            author=author,
            kind=spec.kind,
            name=spec.name,
            description=spec.description,
            area=spec.area,
            postcode=spec.postcode,
            place_description=spec.place,
            organisation=membership.organisation if membership is not None else None,
        )
        made.append((asset.contribution, spec.then))
    return _settle(activity, made, chapter, people)


def _stories(activity: Activity, chapter: Chapter, people: dict[str, User]) -> list[Contribution]:
    made: list[tuple[Contribution, str]] = [
        (
            StoryFactory(
                activity=activity,
                author=resident(people, spec.person),
                title=spec.title,
                body=spec.body,
                author_display=spec.display,
            ).contribution,
            spec.then,
        )
        for spec in chapter.stories
    ]
    return _settle(activity, made, chapter, people)


def _settle(
    activity: Activity,
    made: list[tuple[Contribution, str]],
    chapter: Chapter,
    people: dict[str, User],
) -> list[Contribution]:
    """Date the contributions to when the activity ran, then moderate and answer them."""
    for index, (contribution, _then) in enumerate(made):
        contribution.created_at = _when(activity, index, len(made))
        Contribution.objects.filter(pk=contribution.pk).update(created_at=contribution.created_at)
    for contribution, then in made:
        _follow_up(contribution, then, chapter, people)
    return [contribution for contribution, then in made if then != PENDING]


def _decide(
    activity: Activity, chapter: Chapter, informed_by: list[Contribution], people: dict[str, User]
) -> None:
    if not chapter.decision or not informed_by:
        return
    spec = chapter.decision
    spine_actions.decision_create(
        service=activity.service,
        stage=activity.service_stage.stage,
        title=spec["title"],
        description=spec["description"],
        decided_by=spec["decided_by"],
        decided_on=timezone.localdate() - dt.timedelta(days=spec["days_ago"]),
        recorded_by=resident(people, chapter.moderator),
        contributions=informed_by,
    )


def seed_insight(people: dict[str, User]) -> int:
    """Fill every demo needs survey and story collection that is still empty. Returns how many."""
    filled = 0
    activities = (
        Activity.objects.filter(kind__in=[ActivityKind.NEEDS_SURVEY, ActivityKind.STORY_COLLECTION])
        .exclude(state=ActivityState.DRAFT)
        .select_related("service_stage__service__organisation")
        .order_by("id")
    )
    for activity in activities:
        chapter = CHAPTERS.get((activity.service.slug, activity.kind))
        if chapter is None or Contribution.objects.filter(activity=activity).exists():
            continue
        if Question.objects.filter(survey__activity=activity).exists():
            continue
        with open_for_seeding(activity):
            if activity.kind == ActivityKind.NEEDS_SURVEY:
                informed_by = _survey(activity, chapter, people)
            else:
                informed_by = _stories(activity, chapter, people)
        _decide(activity, chapter, informed_by[:3], people)
        filled += 1
    return filled
