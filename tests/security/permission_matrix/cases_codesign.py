"""Co-design: the idea challenge, answers, statuses, categories, moderation (the objects are built
once per world by codesign_world)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    CLOSED_TO_ALL,
    DRAFT_ACTIVITY_STAFF,
    DRAFT_TAKE_PART,
    HIDDEN,
    MANAGE_DRAFT,
    MANAGE_SERVICE,
    OK,
    OWNER_MEMBERS,
    PUBLIC,
    RUN_ACTIVITIES,
    SIGNED_IN,
    Case,
    draft,
    draft_activity,
    open_activity,
    posted,
    published,
    row,
)


def codesign(attribute: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(w: World) -> dict[str, Any]:
        from coproduce.codesign.tests.factories import codesign_world

        return {"pk": getattr(codesign_world(w), attribute).pk}

    return kwargs


IDEA = posted(title="An idea", description="Why and how.", author_display="first_name")
COMMENT = posted(body="A comment", author_display="first_name")

CODESIGN_CASES = [
    Case("codesign:idea_list", open_activity, PUBLIC),
    Case("codesign:idea_list", draft_activity, OWNER_MEMBERS, label="draft"),
    Case("codesign:idea_create", open_activity, SIGNED_IN),
    Case("codesign:idea_create", open_activity, SIGNED_IN, method="post", data=IDEA, label="post"),
    Case("codesign:idea_create", codesign("closed"), CLOSED_TO_ALL, label="closed"),
    Case("codesign:idea_create", draft_activity, DRAFT_TAKE_PART, label="draft"),
    Case("codesign:idea_detail", codesign("idea"), PUBLIC),
    Case("codesign:idea_detail", codesign("held_idea"), OWNER_MEMBERS, label="held"),
    Case("codesign:comment_create", codesign("idea"), SIGNED_IN),
    Case(
        "codesign:comment_create",
        codesign("idea"),
        SIGNED_IN,
        method="post",
        data=COMMENT,
        label="post",
    ),
    Case(
        "codesign:comment_create",
        codesign("closed_idea"),
        CLOSED_TO_ALL,
        method="post",
        data=COMMENT,
        label="closed",
    ),
    Case(
        "codesign:comment_create",
        codesign("held_idea"),
        DRAFT_TAKE_PART,
        method="post",
        data=COMMENT,
        label="held",
    ),
    Case(
        "codesign:support", codesign("idea"), SIGNED_IN, method="post", data=posted(support="add")
    ),
    Case(
        "codesign:support",
        codesign("closed_idea"),
        CLOSED_TO_ALL,
        method="post",
        data=posted(support="add"),
        label="closed",
    ),
    Case("codesign:agree", codesign("comment"), SIGNED_IN, method="post", data=posted(agree="add")),
    Case(
        "codesign:agree",
        codesign("closed_comment"),
        CLOSED_TO_ALL,
        method="post",
        data=posted(agree="add"),
        label="closed",
    ),
    Case("contributions:report", codesign("idea"), SIGNED_IN),
    Case(
        "contributions:report",
        codesign("idea"),
        SIGNED_IN,
        method="post",
        data=posted(reason="Rude"),
        label="post",
    ),
    Case("contributions:report", codesign("closed_idea"), SIGNED_IN, label="closed"),
    Case("contributions:respond", codesign("idea"), MANAGE_SERVICE),
    Case(
        "contributions:respond",
        codesign("closed_idea"),
        MANAGE_SERVICE,
        method="post",
        data=posted(body="Thank you."),
        label="closed",
    ),
    Case("contributions:respond", codesign("held_idea"), MANAGE_DRAFT, label="held"),
    Case("contributions:set_status", codesign("idea"), MANAGE_SERVICE),
    Case(
        "contributions:set_status",
        codesign("idea"),
        MANAGE_SERVICE,
        method="post",
        data=posted(to_status="adopted"),
        label="post",
    ),
    Case("codesign:category_list", open_activity, RUN_ACTIVITIES),
    Case(
        "codesign:category_list",
        open_activity,
        RUN_ACTIVITIES,
        method="post",
        data=posted(name="New category"),
        label="post",
    ),
    Case("codesign:category_list", draft_activity, DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("codesign:category_edit", codesign("category"), RUN_ACTIVITIES),
    Case("codesign:threshold", open_activity, RUN_ACTIVITIES),
    Case(
        "codesign:threshold",
        open_activity,
        RUN_ACTIVITIES,
        method="post",
        data=posted(supports="50", answer_days="20"),
        label="post",
    ),
    Case("codesign:threshold", draft_activity, DRAFT_ACTIVITY_STAFF, label="draft"),
    # Taking an agreed statement forward answers it: those who answer for the service (0111).
    Case("codesign:take_forward", open_activity, MANAGE_SERVICE),
    Case("contributions:moderation", published, RUN_ACTIVITIES),
    Case("contributions:moderation", draft, DRAFT_ACTIVITY_STAFF, label="draft"),
    Case(
        "contributions:moderate",
        codesign("held_idea"),
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        method="post",
        data=posted(decision="approve"),
        label="held",
    ),
    Case(
        "contributions:moderate",
        codesign("idea"),
        RUN_ACTIVITIES,
        method="post",
        data=posted(decision="hide"),
    ),
]
