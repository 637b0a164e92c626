"""Reads for insight pages: survey results, answer lists, assets and stories with their answers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.common.languages import field_labels, in_language, missing_fields, missing_query
from coproduce.contributions.models import Contribution
from coproduce.insight.models import (
    Answer,
    Asset,
    AssetQuerySet,
    Question,
    QuestionKind,
    Story,
    Survey,
    SurveySubmission,
)
from coproduce.services.models import (
    PUBLIC_ACTIVITY_STATES,
    Activity,
    ActivityKind,
    ActivityState,
    Service,
)
from coproduce.services.pages import Untranslated
from coproduce.services.rules import can_view_activity


@dataclass(frozen=True)
class OptionCount:
    """How many people chose one option (or one point of a scale)."""

    label: str
    count: int
    percent: int  # of the people who answered the question


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    options: list[OptionCount] = field(default_factory=list)
    average: float | None = None  # scale questions only
    published_texts: int = 0  # free-text answers that have passed moderation

    @property
    def is_free_text(self) -> bool:
        return self.question.kind == QuestionKind.FREE_TEXT


@dataclass(frozen=True)
class SurveyResults:
    respondents: int
    questions: list[QuestionResult]


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def survey_questions(activity: Activity) -> list[Question]:
    """The survey's questions in order ([] while it has none)."""
    return list(Question.objects.filter(survey__activity=activity).order_by("position", "id"))


def survey_of(activity: Activity) -> Survey | None:
    return Survey.objects.filter(activity=activity).first()


def survey_results(activity: Activity) -> SurveyResults:
    """Counts per option and per scale point, from confirmed answers not hidden by a moderator.

    Choice answers count as soon as they are confirmed: they hold no free text to check. Four
    queries, whatever the number of questions or answers; counting happens in Python because the
    options of a multiple-choice answer are a JSON list.
    """
    questions = survey_questions(activity)
    counted = SurveySubmission.objects.counted().filter(survey__activity=activity)
    respondents = counted.count()
    answered: Counter[int] = Counter()
    chosen: dict[int, Counter[str]] = {q.pk: Counter() for q in questions}
    rows = Answer.objects.filter(submission__in=counted).values_list(
        "question_id", "choices", "scale_value"
    )
    for question_id, choices, scale_value in rows.iterator(chunk_size=2000):
        answered[question_id] += 1
        if scale_value is not None:
            chosen[question_id][str(scale_value)] += 1
        for choice in choices or []:
            chosen[question_id][str(choice)] += 1
    texts = dict(
        Answer.objects.filter(
            submission__in=SurveySubmission.objects.published().filter(survey__activity=activity),
            question__kind=QuestionKind.FREE_TEXT,
        )
        .values("question_id")
        .annotate(n=Count("id"))
        .values_list("question_id", "n")
    )
    results = []
    for question in questions:
        total = answered[question.pk]
        counts = chosen[question.pk]
        if question.kind == QuestionKind.SCALE:
            labels = [str(n) for n in range(1, 6)]
            points = sum(int(label) * counts[label] for label in labels)
            average = round(points / total, 1) if total else None
        else:
            labels, average = list(question.options), None
        results.append(
            QuestionResult(
                question=question,
                answered=total,
                options=[
                    OptionCount(label, counts[label], _percent(counts[label], total))
                    for label in labels
                ],
                average=average,
                published_texts=texts.get(question.pk, 0),
            )
        )
    return SurveyResults(respondents=respondents, questions=results)


def published_submissions(activity: Activity) -> QuerySet[SurveySubmission]:
    """Moderated, confirmed submissions with their free-text answers, newest first."""
    texts = Answer.objects.filter(question__kind=QuestionKind.FREE_TEXT).select_related("question")
    return (
        SurveySubmission.objects.published()
        .filter(survey__activity=activity)
        .select_related("contribution__author")
        .prefetch_related(Prefetch("answers", queryset=texts.order_by("question__position")))
        .order_by("-contribution__created_at", "-pk")
    )


def submission_answers(submission: SurveySubmission, *, everything: bool) -> list[Answer]:
    """A submission's answers in question order; only the free text unless ``everything``."""
    answers = submission.answers.select_related("question").order_by(
        "question__position", "question_id"
    )
    if not everything:
        answers = answers.filter(question__kind=QuestionKind.FREE_TEXT)
    return list(answers)


def service_assets(service: Service) -> AssetQuerySet:
    """Published assets recorded in the service's public activities, newest first."""
    return (
        Asset.objects.published()
        .for_service(service.pk)
        .filter(contribution__activity__state__in=PUBLIC_ACTIVITY_STATES)
        .select_related("contribution__author", "organisation")
        .order_by("-contribution__created_at", "-pk")
    )


def asset_areas(service: Service) -> list[str]:
    """The areas named by the service's published assets, for the filter."""
    return sorted(
        set(
            service_assets(service)
            .exclude(area="")
            .order_by()
            .values_list("area", flat=True)
            .distinct()
        ),
        key=str.casefold,
    )


def published_stories(activity: Activity) -> QuerySet[Story]:
    return (
        Story.objects.published()
        .filter(contribution__activity=activity)
        .select_related("contribution__author")
        .order_by("-contribution__created_at", "-pk")
    )


def answers_text(contribution: Contribution) -> str:
    """One person's survey answers as text, for open-data exports (answers prefetched)."""
    return "\n".join(
        f"{a.question.text}: {a.text or ', '.join(a.choices) or (a.scale_value or '')}"
        for a in contribution.submission.answers.all()
    )


def asset_text(contribution: Contribution) -> str:
    """An asset's description and where it is, for open-data exports."""
    asset = contribution.asset
    return "\n".join(filter(None, [asset.description, asset.place_description, asset.postcode]))


# --- The objects pages are about. ``load_*`` finds one for rule_required, which hides it (404) from
# those its rule refuses; ``visible_question`` does both, for staff pages whose rule is about
# composing (another organisation's draft survey is not found, rather than forbidden).

CONTRIBUTION_RELATED = "contribution__activity__service_stage__service__organisation"


def visible_question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("survey__activity__service_stage__service__organisation"),
        pk=pk,
    )
    if not can_view_activity(request.user, question.survey.activity):
        raise Http404
    return question


def load_submission(request: HttpRequest, pk: int) -> SurveySubmission:
    return get_object_or_404(
        SurveySubmission.objects.select_related(CONTRIBUTION_RELATED, "contribution__author"),
        pk=pk,
    )


def load_asset(request: HttpRequest, pk: int) -> Asset:
    return get_object_or_404(
        Asset.objects.select_related(CONTRIBUTION_RELATED, "contribution__author", "organisation"),
        pk=pk,
    )


def load_story(request: HttpRequest, pk: int) -> Story:
    return get_object_or_404(
        Story.objects.select_related(CONTRIBUTION_RELATED, "contribution__author"), pk=pk
    )


def own_submission(activity: Activity, user: User) -> SurveySubmission | None:
    """The person's answers to the survey, if they have answered it."""
    return SurveySubmission.objects.filter(survey__activity=activity, respondent=user).first()


def waiting_for_confirmation(token: str) -> SurveySubmission | None:
    """The unconfirmed answers an emailed link's token belongs to (None for any other token)."""
    if not token or len(token) > 200:
        return None
    return (
        SurveySubmission.objects.filter(
            confirmation_token_hash=SurveySubmission.hash_token(token), confirmed_at__isnull=True
        )
        .select_related("contribution__activity")
        .first()
    )


def has_answers(activity: Activity) -> bool:
    """Whether anyone has answered the survey (its questions' types are then fixed)."""
    return SurveySubmission.objects.filter(survey__activity=activity).exists()


def open_surveys(service: Service) -> list[Activity]:
    """The needs surveys of a published service that are open now: where to record an asset."""
    if not service.is_published:
        return []
    return list(
        Activity.objects.filter(
            service_stage__service=service,
            kind=ActivityKind.NEEDS_SURVEY,
            state=ActivityState.OPEN,
        ).order_by("id")
    )


# --- What has no Welsh yet (services.pages.MISSING_WELSH) --------------------------------------


def questions_without_welsh(service: Service) -> QuerySet[Question]:
    """The questions of the service's surveys with some text that has no Welsh, in survey order."""
    return (
        Question.objects.filter(survey__activity__service_stage__service=service)
        .filter(missing_query(Question))
        .select_related("survey__activity")
        .order_by(
            "survey__activity__service_stage__cycle",
            "survey__activity__service_stage__position",
            "survey__activity_id",
            "position",
            "id",
        )
    )


def untranslated_question(question: Question) -> Untranslated:
    return Untranslated(
        what=_("Survey question"),
        name=in_language(question, "text"),
        missing=field_labels(Question, missing_fields(question)),
        url=reverse("insight:question_welsh", kwargs={"pk": question.pk}),
        where=in_language(question.survey.activity, "title"),
    )


def confirmed_anonymous_answers(activity_ids: list[int]) -> QuerySet:
    """(activity id, contribution id) of the confirmed answers given without an account."""
    return SurveySubmission.objects.filter(
        contribution__activity_id__in=activity_ids,
        respondent__isnull=True,
        confirmed_at__isnull=False,
    ).values_list("contribution__activity_id", "contribution_id")
