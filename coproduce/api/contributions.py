"""Contribution endpoints: thin adapters over codesign and insight actions, rules and models.

Reads show what the website shows the same person: published contributions to everyone, and
held or hidden ones to their authors and to moderators. Writes go through the same actions as
the website, so rate limits, the spam guard, moderation and notifications behave the same.
"""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import BODILESS_WRITE_ERRORS, READ, READ_ERRORS, WRITE, WRITE_ERRORS
from coproduce.api.contribution_schemas import (
    AgreementOut,
    AssetIn,
    CommentIn,
    ContributionFilters,
    ContributionKind,
    ContributionOut,
    IdeaIn,
    IdeaStatusIn,
    ReportIn,
    ReportOut,
    ResponseIn,
    ResponseOut,
    StoryIn,
    SupportOut,
)
from coproduce.api.schemas import IdPath, LimitOffset, Shaped
from coproduce.assessment.models import FINDING, STANDARD_PROPOSAL
from coproduce.budgeting.models import PROPOSAL as BUDGET_PROPOSAL
from coproduce.codesign import actions, rules
from coproduce.codesign.models import (
    IDEA_WORKFLOW,
    Agreement,
    CodesignKind,
    Comment,
    IdeaCategory,
    Support,
)
from coproduce.codesign.queries import visible_comment, visible_idea
from coproduce.commissioning.models import WEIGHTING
from coproduce.common.pagination import KeysFirst
from coproduce.common.permissions import require
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import (
    Contribution,
    Decision,
    Response,
    StatusChange,
)
from coproduce.contributions.queries import visible_contribution
from coproduce.conversations.models import STATEMENT as OPINION_STATEMENT
from coproduce.governance.models import QUESTION as MEETING_QUESTION
from coproduce.insight import actions as insight_actions
from coproduce.insight import rules as insight_rules
from coproduce.insight.models import Answer, InsightKind, QuestionKind
from coproduce.organisations.models import Organisation
from coproduce.panels.models import QUESTION as PANEL_QUESTION
from coproduce.panels.models import RECOMMENDATION as PANEL_RECOMMENDATION
from coproduce.services.queries import visible_activity

router = Router(tags=["contributions"])
ACTIVITY_PATH = "activity__service_stage__service__organisation"


def _rows() -> QuerySet[Contribution]:
    """Contributions with everything their API shape shows, in a fixed number of queries."""
    return (
        Contribution.objects.with_details()
        .select_related(
            ACTIVITY_PATH,
            "idea__category",
            "asset__organisation",
            "standard_proposal__framework__service",
        )
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("author").order_by("created_at", "id"),
            ),
            Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on", "-id")),
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.order_by("created_at", "id"),
            ),
            Prefetch(
                "submission__answers",
                queryset=Answer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            ),
            "weighting__points",
            "finding__standards",
            "finding__actions",
        )
    )


def _supported(user: Visitor, ids: list[int]) -> set[int]:
    """Which of these ideas the person supports and which of these comments they agree with
    (an idea's or a comment's key is its contribution's, so one set holds both)."""
    if not user.is_authenticated or not ids:
        return set()
    supports = Support.objects.filter(user=user, idea_id__in=ids).values_list("idea_id", flat=True)
    agreements = Agreement.objects.filter(user=user, comment_id__in=ids).values_list(
        "comment_id", flat=True
    )
    return {*supports, *agreements}


def status_history_out(contribution: Contribution) -> list[dict[str, Any]]:
    """A contribution's status changes, oldest first (StatusChangeOut and its kin)."""
    return [
        {
            "from_status": change.from_status,
            "to_status": change.to_status,
            "reason": change.reason,
            "created_at": change.created_at,
        }
        for change in contribution.status_changes.all()
    ]


def responses_out(contribution: Contribution) -> list[dict[str, Any]]:
    """The organisation's published answers to a contribution (ResponseOut)."""
    organisation = contribution.service.organisation
    return [
        {
            "id": response.pk,
            "created_at": response.created_at,
            "organisation": organisation.slug,
            "author": response.author.name or organisation.name,
            "body": response.body,
            "body_cy": response.body_cy,
        }
        for response in contribution.responses.all()
    ]


def decisions_out(contribution: Contribution) -> list[dict[str, Any]]:
    """The decisions a contribution informed (DecisionBriefOut)."""
    return [
        {
            "id": decision.pk,
            "title": decision.title,
            "title_cy": decision.title_cy,
            "stage": decision.stage,
            "cycle": decision.cycle,
            "decided_by": decision.decided_by,
            "decided_on": decision.decided_on,
        }
        for decision in contribution.decisions.all()
    ]


def _kind_fields(contribution: Contribution, user: Visitor, supported: set[int]) -> dict[str, Any]:
    kind = contribution.kind
    fields: dict[str, Any] = dict.fromkeys(ContributionKind)
    if kind == CodesignKind.IDEA:
        idea = contribution.idea
        fields["idea"] = {
            "title": idea.title,
            "description": idea.description,
            "category": idea.category.name if idea.category else None,
            "status": contribution.status,
            "status_reason": contribution.status_reason,
            "next_statuses": IDEA_WORKFLOW.offered_next(contribution.status),
            "status_history": status_history_out(contribution),
            "support_count": idea.support_count,
            "comment_count": idea.comment_count,
            "supported": idea.pk in supported,
            "threshold_reached_at": idea.threshold_reached_at,
            "answer_due_on": idea.answer_due_on,
        }
    elif kind == CodesignKind.COMMENT:
        comment = contribution.comment
        fields["comment"] = {
            "idea": comment.idea_id,
            "parent": comment.parent_id,
            "body": comment.body,
            "is_question": comment.is_question,
            "agreement_count": comment.agreement_count,
            "agreed": comment.pk in supported,
        }
    elif kind == InsightKind.ASSET:
        asset = contribution.asset
        fields["asset"] = {
            "kind": asset.kind,
            "name": asset.name,
            "description": asset.description,
            "postcode": asset.postcode,
            "place_description": asset.place_description,
            "area": asset.area,
            "organisation": asset.organisation.slug if asset.organisation else None,
        }
    elif kind == InsightKind.STORY:
        story = contribution.story
        fields["story"] = {"title": story.title, "body": story.body}
    elif kind == InsightKind.NEED:
        everything = insight_rules.can_see_every_answer(user, contribution)
        fields["need"] = {
            "answers": [
                {
                    "question": answer.question_id,
                    "question_text": answer.question.text,
                    "question_text_cy": answer.question.text_cy,
                    "question_kind": answer.question.kind,
                    "text": answer.text,
                    "choices": list(answer.choices),
                    "scale_value": answer.scale_value,
                }
                for answer in contribution.submission.answers.all()
                if everything or answer.question.kind == QuestionKind.FREE_TEXT
            ],
            "complete": everything,
        }
    elif kind == MEETING_QUESTION:
        question = contribution.meeting_question
        fields["meeting_question"] = {"meeting": question.meeting_id, "text": question.text}
    elif kind == BUDGET_PROPOSAL:
        proposal = contribution.budget_proposal
        fields["budget_proposal"] = {
            "budget": proposal.budget_id,
            "reference": proposal.reference,
            "area": proposal.area_id,
            "description": proposal.description,
            "estimated_cost": proposal.estimated_cost,
            "cost": proposal.cost,
            "feasibility": proposal.feasibility,
        }
    elif kind == OPINION_STATEMENT:
        statement = contribution.opinion_statement
        fields["opinion_statement"] = {
            "conversation": statement.conversation_id,
            "text": statement.text,
            "is_seed": statement.is_seed,
            "is_meta": statement.is_meta,
        }
    elif kind == PANEL_QUESTION:
        asked = contribution.panel_question
        fields["panel_question"] = {"panel": asked.panel_id, "text": asked.text}
    elif kind == PANEL_RECOMMENDATION:
        recommendation = contribution.panel_recommendation
        fields["panel_recommendation"] = {
            "panel": recommendation.panel_id,
            "title": recommendation.title,
            "text": recommendation.text,
            "support_count": recommendation.support_count,
            "against_count": recommendation.against_count,
            "members_count": recommendation.members_count,
            "answer_due": recommendation.answer_due,
        }
    elif kind == WEIGHTING:
        weighting = contribution.weighting
        fields["criteria_weighting"] = {
            "round": weighting.round_id,
            "points": [
                {"criterion": given.criterion_id, "points": given.points}
                for given in sorted(weighting.points.all(), key=lambda p: p.criterion_id)
            ],
        }
    elif kind == FINDING:
        finding = contribution.finding
        today = timezone.localdate()
        fields["assessment_finding"] = {
            "assessment": finding.assessment_id,
            "kind": finding.kind,
            "title": finding.title,
            "evidence": finding.evidence,
            "standards": sorted(standard.pk for standard in finding.standards.all()),
            "actions": [
                {
                    "id": action.pk,
                    "description": action.description,
                    "owner": action.owner,
                    "due_on": action.due_on,
                    "status": action.status,
                    "overdue": action.is_overdue(today),
                    "closed_on": action.closed_on,
                    "evidence": action.evidence,
                    "evidence_link": action.evidence_link,
                }
                for action in sorted(finding.actions.all(), key=lambda a: (a.due_on, a.pk))
            ],
        }
    elif kind == STANDARD_PROPOSAL:
        proposed = contribution.standard_proposal
        fields["standard_proposal"] = {
            "framework": proposed.framework.service.slug,
            "standard": proposed.standard_id,
            "text": proposed.text,
            "why": proposed.why,
            "became": proposed.became_id,
        }
    return fields


def contribution_out(
    contribution: Contribution, user: Visitor, supported: set[int]
) -> dict[str, Any]:
    """One contribution as the API shows it to ``user`` (loaded through ``_rows``)."""
    return {
        "id": contribution.pk,
        "kind": contribution.kind,
        "activity": contribution.activity_id,
        "service": contribution.service.slug,
        "created_at": contribution.created_at,
        "author": contribution.open_data_author,
        "yours": bool(user.is_authenticated and contribution.author_id == user.pk),
        "visibility": contribution.visibility,
        "held_reason": contribution.held_reason
        if spine_rules.can_moderate(user, contribution.activity)
        else None,
        "title": contribution.title,
        "needs_answer": contribution.needs_answer,
        "first_response_at": contribution.first_response_at,
        "responses": responses_out(contribution),
        "decisions": decisions_out(contribution),
        **_kind_fields(contribution, user, supported),
    }


def _shown(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A contribution the person may see, as the API shows it (after a write, say)."""
    contribution = _rows().get(pk=pk)
    return contribution_out(contribution, request.user, _supported(request.user, [pk]))


# --- Reads --------------------------------------------------------------------------------------
@router.get(
    "/activities/{activity_id}/contributions",
    response={200: list[ContributionOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Contributions to an activity, newest first",
    description=(
        "Published contributions; with a token, also your own that wait for a moderator or were "
        "hidden, and — for the activity's moderators — everyone's."
    ),
)
@paginate(LimitOffset)
def contribution_list(
    request: HttpRequest, activity_id: IdPath, filters: Query[ContributionFilters]
) -> Shaped[dict[str, Any]]:
    activity = visible_activity(request, activity_id)
    user = request.user
    items = spine_queries.contributions_seen_by(user, activity)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.visibility:
        items = items.filter(visibility=filters.visibility)
    if filters.idea:
        items = items.filter(comment__idea_id=filters.idea)

    # Keys first: order and slice a narrow query, then load one page with all its details.
    def shape(rows: list[Contribution]) -> list[dict[str, Any]]:
        voted = {CodesignKind.IDEA, CodesignKind.COMMENT}
        supported = _supported(user, [c.pk for c in rows if c.kind in voted])
        return [contribution_out(c, user, supported) for c in rows]

    return Shaped(KeysFirst(items.order_by("-created_at", "-id"), _rows()), shape)


@router.get(
    "/contributions/{contribution_id}",
    response={200: ContributionOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One contribution, with its official answers and the decisions it informed",
)
def contribution_detail(request: HttpRequest, contribution_id: IdPath) -> dict[str, Any]:
    contribution = visible_contribution(request, contribution_id)
    return _shown(request, contribution.pk)


# --- Taking part --------------------------------------------------------------------------------
@router.post(
    "/activities/{activity_id}/ideas",
    response={201: ContributionOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Post an idea to an open idea challenge",
    description="It may wait for a moderator first (visibility 'pending').",
)
def idea_create(request: SignedInRequest, activity_id: IdPath, payload: IdeaIn) -> Status[Any]:
    activity = visible_activity(request, activity_id)
    require(rules.can_post_idea(request.user, activity))
    category = None
    if payload.category is not None:
        category = IdeaCategory.objects.filter(pk=payload.category).first()
        if category is None:
            raise ValidationError({"category": "Choose one of this challenge's categories."})
    idea = actions.idea_create(
        activity=activity,
        author=request.user,
        title=payload.title,
        description=payload.description,
        category=category,
        author_display=payload.author_display,
    )
    return Status(201, _shown(request, idea.pk))


@router.post(
    "/ideas/{idea_id}/comments",
    response={201: ContributionOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Comment on an idea, or reply to a comment",
    description="An idea's id is its contribution's id.",
)
def comment_create(request: SignedInRequest, idea_id: IdPath, payload: CommentIn) -> Status[Any]:
    idea = visible_idea(request, idea_id)
    require(rules.can_comment(request.user, idea))
    parent = None
    if payload.parent is not None:
        parent = (
            Comment.objects.select_related(f"contribution__{ACTIVITY_PATH}")
            .filter(pk=payload.parent)
            .first()
        )
        if parent is None or not spine_rules.can_view_contribution(
            request.user, parent.contribution
        ):
            raise ValidationError(
                {"parent": "The comment you are replying to is not on this idea."}
            )
    comment = actions.comment_create(
        idea=idea,
        author=request.user,
        body=payload.body,
        parent=parent,
        is_question=payload.is_question,
        author_display=payload.author_display,
    )
    return Status(201, _shown(request, comment.pk))


@router.put(
    "/ideas/{idea_id}/support",
    response={200: SupportOut, **BODILESS_WRITE_ERRORS},
    auth=WRITE,
    summary="Support an idea (once per person; supporting again changes nothing)",
    description="At most 20 supports and withdrawals a minute per person.",
)
def support_add(request: SignedInRequest, idea_id: IdPath) -> dict[str, Any]:
    idea = visible_idea(request, idea_id)
    require(rules.can_support(request.user, idea))
    changed = actions.support_add(idea=idea, user=request.user)
    idea.refresh_from_db(fields=["support_count"])
    return {"supported": True, "changed": changed, "support_count": idea.support_count}


@router.delete(
    "/ideas/{idea_id}/support",
    response={200: SupportOut, **BODILESS_WRITE_ERRORS},
    auth=WRITE,
    summary="Withdraw your support from an idea",
    description="At most 20 supports and withdrawals a minute per person.",
)
def support_withdraw(request: SignedInRequest, idea_id: IdPath) -> dict[str, Any]:
    idea = visible_idea(request, idea_id)
    require(rules.can_support(request.user, idea))
    changed = actions.support_withdraw(idea=idea, user=request.user)
    idea.refresh_from_db(fields=["support_count"])
    return {"supported": False, "changed": changed, "support_count": idea.support_count}


@router.put(
    "/comments/{comment_id}/agreement",
    response={200: AgreementOut, **BODILESS_WRITE_ERRORS},
    auth=WRITE,
    summary="Agree with a comment (once per person; agreeing again changes nothing)",
    description=(
        "Not with your own comment, and only while the challenge is open. At most 20 supports, "
        "agreements and withdrawals a minute per person, together."
    ),
)
def agreement_add(request: SignedInRequest, comment_id: IdPath) -> dict[str, Any]:
    comment = visible_comment(request, comment_id)
    require(rules.can_agree(request.user, comment))
    changed = actions.agreement_add(comment=comment, user=request.user)
    comment.refresh_from_db(fields=["agreement_count"])
    return {"agreed": True, "changed": changed, "agreement_count": comment.agreement_count}


@router.delete(
    "/comments/{comment_id}/agreement",
    response={200: AgreementOut, **BODILESS_WRITE_ERRORS},
    auth=WRITE,
    summary="Withdraw your agreement with a comment",
    description="At most 20 supports, agreements and withdrawals a minute per person, together.",
)
def agreement_withdraw(request: SignedInRequest, comment_id: IdPath) -> dict[str, Any]:
    comment = visible_comment(request, comment_id)
    require(rules.can_agree(request.user, comment))
    changed = actions.agreement_withdraw(comment=comment, user=request.user)
    comment.refresh_from_db(fields=["agreement_count"])
    return {"agreed": False, "changed": changed, "agreement_count": comment.agreement_count}


@router.post(
    "/activities/{activity_id}/assets",
    response={201: ContributionOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Record a community asset in an open needs and assets survey",
)
def asset_create(request: SignedInRequest, activity_id: IdPath, payload: AssetIn) -> Status[Any]:
    activity = visible_activity(request, activity_id)
    require(insight_rules.can_record_asset(request.user, activity))
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise ValidationError({"organisation": "Choose an organisation you work for."})
    asset = insight_actions.asset_create(
        activity=activity,
        author=request.user,
        kind=payload.kind,
        name=payload.name,
        description=payload.description,
        postcode=payload.postcode,
        place_description=payload.place_description,
        area=payload.area,
        organisation=organisation,
        author_display=payload.author_display,
    )
    return Status(201, _shown(request, asset.pk))


@router.post(
    "/activities/{activity_id}/stories",
    response={201: ContributionOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Tell a story in an open story collection",
    description="Every story waits for a moderator before others can read it.",
)
def story_create(request: SignedInRequest, activity_id: IdPath, payload: StoryIn) -> Status[Any]:
    activity = visible_activity(request, activity_id)
    require(insight_rules.can_tell_story(request.user, activity))
    story = insight_actions.story_create(
        activity=activity,
        author=request.user,
        title=payload.title,
        body=payload.body,
        author_display=payload.author_display,
        consent=payload.consent,
    )
    return Status(201, _shown(request, story.pk))


@router.post(
    "/contributions/{contribution_id}/reports",
    response={200: ReportOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Ask a moderator to look at someone else's contribution",
    description="Reporting it again while your report is open changes nothing.",
)
def report_create(request: SignedInRequest, contribution_id: IdPath, payload: ReportIn) -> Any:
    contribution = visible_contribution(request, contribution_id)
    require(spine_rules.can_report(request.user, contribution))
    report = spine_actions.report_create(
        contribution=contribution, reporter=request.user, reason=payload.reason
    )
    return {
        "contribution": contribution.pk,
        "status": report.status,
        "created_at": report.created_at,
    }


# --- Answering ----------------------------------------------------------------------------------
@router.post(
    "/contributions/{contribution_id}/responses",
    response={201: ResponseOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Publish an official answer (staff of the organisation that runs the service)",
    description="The author and followers are emailed once it is saved.",
)
def response_create(
    request: SignedInRequest, contribution_id: IdPath, payload: ResponseIn
) -> Status[Any]:
    contribution = visible_contribution(request, contribution_id)
    require(spine_rules.can_answer(request.user, contribution))
    response = spine_actions.response_create(
        contribution=contribution,
        author=request.user,
        body=payload.body,
        body_cy=payload.body_cy,
    )
    organisation = contribution.service.organisation
    return Status(
        201,
        {
            "id": response.pk,
            "created_at": response.created_at,
            "organisation": organisation.slug,
            "author": response.author.name or organisation.name,
            "body": response.body,
            "body_cy": response.body_cy,
        },
    )


@router.post(
    "/ideas/{idea_id}/status",
    response={200: ContributionOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Move an idea to its next status (staff of the organisation that runs the service)",
    description=(
        "adapted and not_taken_forward need a reason. The author and followers are emailed."
    ),
)
def idea_status(request: SignedInRequest, idea_id: IdPath, payload: IdeaStatusIn) -> dict[str, Any]:
    idea = visible_idea(request, idea_id)
    require(spine_rules.can_set_status(request.user, idea.contribution))
    spine_actions.contribution_set_status(
        contribution=idea.contribution,
        to_status=payload.to_status,
        changed_by=request.user,
        reason=payload.reason,
    )
    return _shown(request, idea.pk)
