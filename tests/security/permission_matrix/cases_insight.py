"""Insight: surveys, assets and stories (the objects are built once per world by insight_world)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    DENIED,
    DRAFT_ACTIVITY_STAFF,
    DRAFT_TAKE_PART,
    LOGIN,
    OWNER_MEMBERS,
    PUBLIC,
    RUN_ACTIVITIES,
    SIGNED_IN,
    Case,
    draft,
    published,
    row,
)

DENIED_ALL = row(DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
CLOSED_STAFF = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)


def insight(attribute: str, key: str = "pk") -> Callable[[World], dict[str, Any]]:
    def kwargs(w: World) -> dict[str, Any]:
        from coproduce.insight.tests.factories import insight_world

        return {key: getattr(insight_world(w), attribute).pk}

    return kwargs


def insight_built(w: World) -> dict[str, Any]:
    from coproduce.insight.tests.factories import insight_world

    insight_world(w)
    return {}


def insight_answers(w: World) -> dict[str, Any]:
    from coproduce.insight.tests.factories import insight_world

    question = insight_world(w).question  # a required multiple-choice question
    return {question.field_name: [question.options[0]], "author_display": "anonymous"}


def confirm_token(w: World) -> dict[str, Any]:
    from coproduce.insight.tests.factories import CONFIRM_TOKEN

    return {"token": CONFIRM_TOKEN}


INSIGHT_CASES = [
    Case("insight:survey_answer", insight("survey"), SIGNED_IN, label="open"),
    Case("insight:survey_answer", insight("anonymous_survey"), PUBLIC, label="anonymous answers"),
    Case("insight:survey_answer", insight("closed_survey"), DENIED_ALL, label="closed"),
    Case("insight:survey_answer", insight("draft_survey"), DRAFT_TAKE_PART, label="draft"),
    Case(
        "insight:survey_answer",
        insight("survey"),
        SIGNED_IN,
        method="post",
        data=insight_answers,
        label="post",
    ),
    Case("insight:survey_confirm", insight_built, PUBLIC, data=confirm_token),
    Case("insight:survey_confirm", insight_built, PUBLIC, method="post", data=confirm_token),
    Case("insight:survey_results", insight("survey"), PUBLIC),
    Case("insight:survey_results", insight("draft_survey"), OWNER_MEMBERS, label="draft"),
    Case("insight:survey_answers", insight("survey"), PUBLIC),
    Case("insight:submission_detail", insight("submission"), PUBLIC),
    Case(
        "insight:submission_detail",
        insight("pending_submission"),
        OWNER_MEMBERS,
        label="pending",
    ),
    Case("insight:survey_manage", insight("survey"), RUN_ACTIVITIES),
    Case("insight:survey_manage", insight("closed_survey"), RUN_ACTIVITIES, label="closed"),
    Case("insight:survey_manage", insight("draft_survey"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("insight:survey_settings", insight("survey"), RUN_ACTIVITIES),
    Case("insight:survey_settings", insight("closed_survey"), CLOSED_STAFF, label="closed"),
    Case("insight:question_create", insight("survey"), RUN_ACTIVITIES),
    Case("insight:question_create", insight("closed_survey"), CLOSED_STAFF, label="closed"),
    Case("insight:question_edit", insight("question"), RUN_ACTIVITIES),
    Case("insight:question_delete", insight("question"), RUN_ACTIVITIES),
    Case(
        "insight:question_move",
        insight("question"),
        RUN_ACTIVITIES,
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    Case("insight:asset_list", published, PUBLIC),
    Case("insight:asset_list", draft, OWNER_MEMBERS, label="draft service"),
    Case("insight:asset_create", insight("survey"), SIGNED_IN),
    Case("insight:asset_create", insight("closed_survey"), DENIED_ALL, label="closed"),
    Case("insight:asset_detail", insight("asset"), PUBLIC),
    Case("insight:story_list", insight("stories"), PUBLIC),
    Case("insight:story_create", insight("stories"), SIGNED_IN),
    Case("insight:story_detail", insight("story"), PUBLIC),
    Case("insight:story_detail", insight("pending_story"), OWNER_MEMBERS, label="pending"),
]
