"""Every view × every role, against the rule the view declares.

OK: the page is served (or the action done: 2xx, or a redirect that is not to sign in).
LOGIN: sent to sign in. DENIED: 403. HIDDEN: 404 (private things do not show they exist).
A new view must be added here, or test_every_view_is_in_the_matrix fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import ROLES, World, build_world

OK, LOGIN, DENIED, HIDDEN = "ok", "login", "denied", "hidden"
PROJECT_NAMESPACES = {
    "common",
    "assessment",
    "commissioning",
    "accounts",
    "organisations",
    "services",
    "contributions",
    "insight",
    "codesign",
    "budgeting",
    "conversations",
    "governance",
    "notifications",
    "outcomes",
    "equality",
    "privacy",
    "panels",
    "search",
    "transparency",
}


def row(
    anonymous: str,
    resident: str,
    facilitator: str,
    professional: str,
    other_professional: str,
    org_admin: str,
    superuser: str,
) -> dict[str, str]:
    return dict(
        zip(
            ROLES,
            [
                anonymous,
                resident,
                facilitator,
                professional,
                other_professional,
                org_admin,
                superuser,
            ],
            strict=True,
        )
    )


PUBLIC = row(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(LOGIN, OK, OK, OK, OK, OK, OK)
OWNER_MEMBERS = row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK)
STAFF_ANYWHERE = row(LOGIN, DENIED, OK, OK, OK, OK, OK)
CREATE_SERVICE = row(LOGIN, DENIED, DENIED, OK, OK, OK, OK)
RUN_ACTIVITIES = row(LOGIN, DENIED, OK, OK, DENIED, OK, OK)
MANAGE_SERVICE = row(LOGIN, DENIED, DENIED, OK, DENIED, OK, OK)
MANAGE_DRAFT = row(HIDDEN, HIDDEN, DENIED, OK, HIDDEN, OK, OK)
DRAFT_ACTIVITY_STAFF = row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK)
ORG_ADMINS = row(LOGIN, DENIED, DENIED, DENIED, DENIED, OK, OK)


@dataclass
class Case:
    name: str
    kwargs: Callable[[World], dict[str, Any]]
    expected: dict[str, str]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    label: str = ""


def published(w: World) -> dict[str, Any]:
    return {"slug": w.service.slug}


def draft(w: World) -> dict[str, Any]:
    return {"slug": w.draft_service.slug}


def open_activity(w: World) -> dict[str, Any]:
    return {"pk": w.open_activity.pk}


def draft_activity(w: World) -> dict[str, Any]:
    return {"pk": w.draft_activity.pk}


def nothing(w: World) -> dict[str, Any]:
    return {}


CASES = [
    Case("common:accessibility", nothing, PUBLIC),
    Case("common:privacy", nothing, PUBLIC),
    Case("common:health", nothing, PUBLIC),
    # Only in the demo, with DEBUG on (common/mail.py); the tests run with DEBUG off.
    Case(
        "common:demo_emails", nothing, row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
    ),
    Case("services:home", nothing, PUBLIC),
    Case("services:detail", published, PUBLIC, label="published"),
    Case("services:detail", draft, OWNER_MEMBERS, label="draft"),
    Case("services:activity_list", published, PUBLIC),
    Case("services:activity_list", draft, OWNER_MEMBERS, label="draft service"),
    Case(
        "services:activity_detail",
        lambda w: {"slug": w.service.slug, "pk": w.open_activity.pk},
        PUBLIC,
    ),
    Case(
        "services:activity_detail",
        lambda w: {"slug": w.service.slug, "pk": w.draft_activity.pk},
        OWNER_MEMBERS,
        label="draft activity",
    ),
    Case("services:staff_dashboard", nothing, STAFF_ANYWHERE),
    Case("services:service_create", nothing, CREATE_SERVICE),
    Case("services:staff_service", published, RUN_ACTIVITIES),
    Case(
        "services:staff_service", draft, row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK), label="draft"
    ),
    Case("services:service_edit", published, MANAGE_SERVICE),
    Case("services:service_edit", draft, MANAGE_DRAFT, label="draft"),
    Case(
        "services:service_publish",
        draft,
        MANAGE_DRAFT,
        method="post",
        data=lambda w: {"status": "published"},
    ),
    Case("services:involvement_edit", published, MANAGE_SERVICE),
    Case("services:service_advance", published, MANAGE_SERVICE),
    Case("services:activity_create", published, RUN_ACTIVITIES),
    Case("services:staff_activity", open_activity, RUN_ACTIVITIES),
    Case("services:staff_activity", draft_activity, DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("services:activity_edit", open_activity, RUN_ACTIVITIES),
    Case(
        "services:activity_transition",
        open_activity,
        RUN_ACTIVITIES,
        method="post",
        data=lambda w: {"to_state": "closed"},
    ),
    Case("organisations:list", nothing, PUBLIC),
    Case("organisations:detail", lambda w: {"slug": w.owner.slug}, PUBLIC),
    Case("organisations:members", lambda w: {"slug": w.owner.slug}, ORG_ADMINS),
    Case(
        "organisations:member_remove",
        lambda w: {"slug": w.owner.slug, "pk": w.people["facilitator"].memberships.get().pk},
        ORG_ADMINS,
        method="post",
    ),
    Case("accounts:dashboard", nothing, SIGNED_IN),
    Case("accounts:profile", nothing, SIGNED_IN),
    Case("accounts:api_tokens", nothing, SIGNED_IN),
    Case("contributions:my_contributions", nothing, SIGNED_IN),
    Case("contributions:follows", nothing, SIGNED_IN),
    Case(
        "contributions:follow",
        nothing,
        row(HIDDEN, OK, OK, OK, OK, OK, OK),
        method="post",
        data=lambda w: {"target": "service", "id": w.service.pk, "follow": "1"},
    ),
    Case(
        "contributions:follow",
        nothing,
        OWNER_MEMBERS,
        method="post",
        label="draft service",
        data=lambda w: {"target": "service", "id": w.draft_service.pk, "follow": "1"},
    ),
    Case("contributions:you_said_we_did", published, PUBLIC),
    Case("contributions:you_said_we_did", draft, OWNER_MEMBERS, label="draft"),
    Case("contributions:decision_detail", lambda w: {"pk": w.decision.pk}, PUBLIC),
    Case("contributions:decision_create", published, MANAGE_SERVICE),
    Case("contributions:decision_create", draft, MANAGE_DRAFT, label="draft"),
    Case("contributions:decision_link", lambda w: {"pk": w.decision.pk}, MANAGE_SERVICE),
    # The staff inbox: for the people who answer (facilitators moderate, but do not answer).
    Case("contributions:inbox", nothing, CREATE_SERVICE),
    Case("contributions:service_inbox", published, MANAGE_SERVICE),
    Case("contributions:service_inbox", draft, MANAGE_DRAFT, label="draft"),
    Case(
        "contributions:service_inbox",
        published,
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {"then": "link", "decision": w.decision.pk},
        label="ticked",
    ),
    Case("contributions:export_csv", open_activity, PUBLIC),
    Case("contributions:export_csv", draft_activity, OWNER_MEMBERS, label="draft"),
    Case("contributions:export_json", open_activity, PUBLIC),
    # The token belongs to the resident: everyone else is told it does not exist.
    Case(
        "accounts:api_token_revoke",
        lambda w: {"pk": w.people["resident_token"].pk},
        row(LOGIN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        method="post",
    ),
]

# --- Insight: surveys, assets and stories (objects built once per world by insight_world). ---
DENIED_ALL = row(DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
CLOSED_STAFF = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
DRAFT_TAKE_PART = row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED)


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
    question = w.insight.question  # a required multiple-choice question
    return {question.field_name: [question.options[0]], "author_display": "anonymous"}


def confirm_token(w: World) -> dict[str, Any]:
    from coproduce.insight.tests.factories import CONFIRM_TOKEN

    return {"token": CONFIRM_TOKEN}


CASES += [
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


# --- Co-design: the idea challenge, answers, statuses, categories, moderation (codesign_world). ---
CLOSED_TO_ALL = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)


def codesign(attribute: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(w: World) -> dict[str, Any]:
        from coproduce.codesign.tests.factories import codesign_world

        return {"pk": getattr(codesign_world(w), attribute).pk}

    return kwargs


def posted(**data: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: data


IDEA = posted(title="An idea", description="Why and how.", author_display="first_name")
COMMENT = posted(body="A comment", author_display="first_name")

CASES += [
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


# --- Notification settings, and the unsubscribe link of every email (no sign-in: the token). ---
EVERYONE_HIDDEN = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)


def unsubscribe_token(good: bool) -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        from coproduce.notifications.emails import unsubscribe_token

        token = unsubscribe_token(w.people["resident"], ["response"])
        return {"token": token if good else token[:-3]}

    return data


NOTIFICATION_SETTINGS = posted(
    response="weekly", status="at_once", decision="never", new_activity="daily", language="en"
)

CASES += [
    Case("notifications:settings", nothing, SIGNED_IN),
    Case(
        "notifications:settings",
        nothing,
        SIGNED_IN,
        method="post",
        data=NOTIFICATION_SETTINGS,
        label="post",
    ),
    # Anyone holding the email's link: GET asks, POST unsubscribes the person the token names.
    Case("notifications:unsubscribe", nothing, PUBLIC, data=unsubscribe_token(True)),
    Case(
        "notifications:unsubscribe",
        nothing,
        PUBLIC,
        method="post",
        data=unsubscribe_token(True),
        label="post",
    ),
    Case(
        "notifications:unsubscribe",
        nothing,
        EVERYONE_HIDDEN,
        data=unsubscribe_token(False),
        label="altered token",
    ),
    Case(
        "notifications:unsubscribe",
        nothing,
        EVERYONE_HIDDEN,
        method="post",
        data=unsubscribe_token(False),
        label="altered token, post",
    ),
]


# --- Welsh beside the English (decision 0025): only the owning organisation's staff write it,
# as they write the English. A response is made on the challenge's published idea.
def answer_in_english(w: World) -> dict[str, Any]:
    from coproduce.codesign.tests.factories import codesign_world
    from coproduce.contributions.actions import response_create

    contribution = codesign_world(w).idea.contribution
    response = response_create(
        contribution=contribution, author=w.people["org_admin"], body="Thank you."
    )
    return {"pk": response.pk}


def survey_question(attribute: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(w: World) -> dict[str, Any]:
        from coproduce.insight.tests.factories import insight_world

        survey = getattr(insight_world(w), attribute)
        return {"pk": survey.survey.questions.order_by("position", "id")[0].pk}

    return kwargs


CASES += [
    Case("services:staff_welsh", published, MANAGE_SERVICE),
    Case("services:staff_welsh", draft, MANAGE_DRAFT, label="draft"),
    Case("contributions:decision_welsh", lambda w: {"pk": w.decision.pk}, MANAGE_SERVICE),
    Case(
        "contributions:decision_welsh",
        lambda w: {"pk": w.decision.pk},
        MANAGE_SERVICE,
        method="post",
        data=posted(title_cy="Penderfyniad", description_cy="Oherwydd."),
        label="post",
    ),
    Case("contributions:response_welsh", answer_in_english, MANAGE_SERVICE),
    Case(
        "contributions:response_welsh",
        answer_in_english,
        MANAGE_SERVICE,
        method="post",
        data=posted(body_cy="Diolch."),
        label="post",
    ),
    # Also once the survey has closed: its results still show the questions.
    Case("insight:question_welsh", insight("question"), RUN_ACTIVITIES),
    Case(
        "insight:question_welsh",
        insight("question"),
        RUN_ACTIVITIES,
        method="post",
        data=posted(text_cy="Cwestiwn"),
        label="post",
    ),
    Case(
        "insight:question_welsh", survey_question("closed_survey"), RUN_ACTIVITIES, label="closed"
    ),
    Case(
        "insight:question_welsh",
        survey_question("draft_survey"),
        DRAFT_ACTIVITY_STAFF,
        label="draft",
    ),
]


# --- The site search: anyone, and everyone sees the same (only public things are indexed). ---
CASES += [
    Case("search:results", nothing, PUBLIC),
    Case("search:results", nothing, PUBLIC, data=lambda w: {"q": w.service.name}, label="q"),
    Case(
        "search:results",
        nothing,
        PUBLIC,
        data=lambda w: {"q": '"((*', "kind": "nope", "service": "-", "page": "x"},
        label="nonsense",
    ),
]


# --- The public ledger: every entry, proof, tree head and key is public; what a record says is
# shown only to those who may see the record (tests in coproduce/transparency and contributions).
def first_entry(w: World) -> dict[str, Any]:
    return {"seq": 1}


BAD_REQUEST = row(*["status 400"] * 7)
CASES += [
    Case("transparency:ledger", nothing, PUBLIC),
    Case("transparency:ledger", nothing, PUBLIC, data=lambda w: {"page": "x"}, label="nonsense"),
    Case("transparency:entry", first_entry, PUBLIC),
    Case(
        "transparency:entry",
        lambda w: {"seq": 10**17},
        row(*[HIDDEN] * 7),
        label="missing",
    ),
    Case("transparency:proof", first_entry, PUBLIC),
    Case("transparency:consistency", nothing, PUBLIC, data=lambda w: {"from": 1, "to": 1}),
    Case(
        "transparency:consistency",
        nothing,
        BAD_REQUEST,
        data=lambda w: {"from": "x", "to": 10**30},
        label="nonsense",
    ),
    Case("transparency:sth", nothing, PUBLIC),
    Case("transparency:key", nothing, PUBLIC),
]

# --- Open data: the catalogue and every dataset's files are public and hold only public things
# (tests in coproduce/transparency/tests/test_open_data.py and contributions/tests/test_opendata.py).
CASES += [
    Case("transparency:catalogue", nothing, PUBLIC),
    Case("transparency:catalogue_json", nothing, PUBLIC),
    *(
        Case(
            "transparency:download",
            lambda w, code=code, extension=extension: {"code": code, "extension": extension},
            PUBLIC,
            label=f"{code}.{extension}",
        )
        for code, extension in [
            ("ledger", "jsonl"),
            ("services", "json"),
            ("decisions", "csv"),
            ("decisions", "json"),
            ("you-said-we-did", "csv"),
            ("you-said-we-did", "json"),
        ]
    ),
    Case(
        "transparency:download",
        lambda w: {"code": "nothing", "extension": "csv"},
        row(*[HIDDEN] * 7),
        label="missing",
    ),
]


# --- Governance: boards and public meetings are public; private meetings only for the
# organisation's staff; the clerk is the service's admins and professionals.
def _governance(w: World) -> dict[str, Any]:
    """A board with a member, a public and a private meeting, and a question (made once)."""
    if "_governance" not in w.people:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from coproduce.governance import actions as governance
        from coproduce.governance.tests.factories import make_board, make_meeting, make_member

        clerk = w.people["professional"]
        board = make_board(w.service, clerk)
        make_member(board, clerk)
        meeting = make_meeting(board, clerk)
        private = make_meeting(board, clerk, title="Private meeting", is_public=False)
        question = governance.question_ask(meeting=meeting, author=w.people["resident"], text="?")
        item = governance.agenda_item_add(meeting=meeting, title="Budget", added_by=clerk)
        governance.agenda_publish(meeting=meeting, published_by=clerk)
        paper = governance.paper_add(
            item=item,
            title="Budget report",
            upload=SimpleUploadedFile("budget.pdf", b"%PDF-1.7\n%%EOF\n"),
            added_by=clerk,
        )
        w.people["_governance"] = {
            "board": board,
            "meeting": meeting,
            "private": private,
            "question": question,
            "item": item,
            "paper": paper,
        }
    return dict(w.people["_governance"])


def board_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["board"].pk}


def meeting_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["meeting"].pk}


def private_meeting_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["private"].pk}


def question_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["question"].pk}


def agenda_item_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["item"].pk}


def paper_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["paper"].pk}


STAFF_ONLY_HIDDEN = row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK)
CLERK_PRIVATE = row(HIDDEN, HIDDEN, DENIED, OK, HIDDEN, OK, OK)
CASES += [
    Case("governance:board_list", published, PUBLIC),
    Case("governance:board_list", draft, OWNER_MEMBERS, label="draft service"),
    Case("governance:meetings_ical", published, PUBLIC),
    Case("governance:board_detail", board_pk, PUBLIC),
    Case("governance:meeting_detail", meeting_pk, PUBLIC),
    Case("governance:meeting_detail", private_meeting_pk, STAFF_ONLY_HIDDEN, label="private"),
    Case("governance:meeting_register", meeting_pk, SIGNED_IN),
    Case(
        "governance:meeting_register",
        meeting_pk,
        SIGNED_IN,
        method="post",
        data=lambda w: {"access_needs": "A hearing loop"},
        label="post",
    ),
    Case(
        "governance:meeting_register",
        private_meeting_pk,
        row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED),
        label="private",
    ),
    Case("governance:registration_cancel", meeting_pk, SIGNED_IN, method="post"),
    Case("governance:question_create", meeting_pk, SIGNED_IN),
    Case(
        "governance:question_create",
        meeting_pk,
        SIGNED_IN,
        method="post",
        data=lambda w: {"text": "Is there parking?"},
        label="post",
    ),
    Case("governance:board_create", published, MANAGE_SERVICE),
    Case("governance:member_add", board_pk, MANAGE_SERVICE),
    Case("governance:meeting_create", board_pk, MANAGE_SERVICE),
    Case("governance:clerk", meeting_pk, MANAGE_SERVICE),
    Case("governance:clerk", private_meeting_pk, CLERK_PRIVATE, label="private"),
    Case("governance:agenda_publish", meeting_pk, MANAGE_SERVICE, method="post"),
    Case("governance:attendance", meeting_pk, MANAGE_SERVICE),
    Case("governance:minutes", meeting_pk, MANAGE_SERVICE),
    Case("governance:decision_create", meeting_pk, MANAGE_SERVICE),
    Case("governance:action_create", meeting_pk, MANAGE_SERVICE),
    Case("governance:question_answer", question_pk, MANAGE_SERVICE),
    Case("governance:paper_add", agenda_item_pk, MANAGE_SERVICE),
    Case("governance:paper_download", paper_pk, PUBLIC),
]


# --- Participatory budgets (issue 10): every page of coproduce/budgeting/urls.py by phase, from
# budgeting/rules.py. Budgets of the published service are public once their activity opens; a
# draft activity's budget is not there to outsiders (404). Residents propose in the proposals
# phase and vote in the voting phase (with an account, or with a code where codes vote); voting
# not open is refused to everyone (403, no sign-in: it would not help). Results are public in the
# results phase, and for the budget's staff as soon as a count is done. Staff pages: those who run
# the service's activities; feasibility answers and delivery news: those who answer.
def _budgeting(w: World, which: str) -> Any:
    """A budget of the world's published service in one state, made once per world:
    "proposals" (a proposal waits for review), "draft" (a draft activity), "voting" (accounts
    vote), "codes" (only voting codes vote), "counting" (voting closed, nothing counted),
    "counted" (counted, not published), "results" (published) and "delivery"."""
    made = w.people.setdefault("_budgeting", {})
    if which not in made:
        from coproduce.budgeting import actions as budgeting
        from coproduce.budgeting.models import Phase
        from coproduce.budgeting.tests.factories import (
            close_and_count,
            make_budget,
            make_proposal,
            make_voting,
            vote,
        )
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=state
        )
        if which in ("proposals", "draft"):
            setup = make_budget(activity=activity)
            if which == "proposals":
                make_proposal(setup, feasibility=None)
        else:
            codes = which == "codes"
            setup = make_voting(
                activity=activity, accounts_may_vote=not codes, codes_may_vote=codes
            )
        if which in ("counting", "counted", "results", "delivery"):
            vote(setup, setup.proposals[:2])
            if which == "counting":
                budgeting.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
            else:
                close_and_count(setup)
        for phase in {"results": [Phase.RESULTS], "delivery": [Phase.RESULTS, Phase.DELIVERY]}.get(
            which, []
        ):
            budgeting.phase_set(budget=setup.budget, by=setup.staff, phase=phase)
        made[which] = setup
    return made[which]


def budget(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _budgeting(w, which).budget.pk}


def budget_activity(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _budgeting(w, which).budget.activity_id}


def budget_proposal(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _budgeting(w, which).budget.proposals.order_by("pk")[0].pk}


def hidden_budget_proposal(w: World) -> dict[str, Any]:
    from coproduce.contributions.actions import moderation_hide

    setup = _budgeting(w, "voting")
    proposal = setup.proposals[-1]
    moderation_hide(contribution=proposal.contribution, moderator=setup.staff)
    return {"pk": proposal.pk}


def latest_count(w: World) -> dict[str, Any]:
    return {"pk": _budgeting(w, "counted").budget.counts.get().pk}


def an_activity_without_budget(w: World) -> dict[str, Any]:
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=w.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN
    )
    return {"pk": activity.pk}


def ballot_choice(w: World) -> dict[str, Any]:
    setup = _budgeting(w, "voting")
    return {"area": setup.area.pk, "projects": [setup.proposals[0].pk]}


def a_receipt(w: World) -> dict[str, Any]:
    return {"receipt": "ABCD-EFGH-JKLM"}


VOTING_CLOSED = row(DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
CODES_ONLY = row(OK, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
# The activity's staff (and its budget's results before they are published).
RUN_BUDGET = RUN_ACTIVITIES
ANSWER_PROPOSALS = MANAGE_SERVICE
CASES += [
    # Public pages
    Case("budgeting:budget_detail", budget("proposals"), PUBLIC),
    Case("budgeting:budget_detail", budget("results"), PUBLIC, label="results"),
    Case("budgeting:budget_detail", budget("draft"), OWNER_MEMBERS, label="draft"),
    Case("budgeting:how_counting_works", nothing, PUBLIC),
    Case("budgeting:proposal_create", budget("proposals"), SIGNED_IN),
    Case("budgeting:proposal_create", budget("voting"), CLOSED_TO_ALL, label="voting"),
    Case("budgeting:proposal_create", budget("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("budgeting:proposal_detail", budget_proposal("proposals"), PUBLIC),
    Case(
        "budgeting:proposal_detail",
        hidden_budget_proposal,
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="hidden",
    ),
    Case("budgeting:ballot", budget("voting"), SIGNED_IN),
    Case(
        "budgeting:ballot",
        budget("voting"),
        SIGNED_IN,
        method="post",
        data=ballot_choice,
        label="post",
    ),
    Case("budgeting:ballot", budget("codes"), CODES_ONLY, label="codes only"),
    Case("budgeting:ballot", budget("proposals"), VOTING_CLOSED, label="not open yet"),
    Case("budgeting:ballot", budget("results"), VOTING_CLOSED, label="closed"),
    Case("budgeting:ballot", budget("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("budgeting:ballot_review", budget("voting"), SIGNED_IN),
    Case("budgeting:ballot_review", budget("results"), VOTING_CLOSED, label="closed"),
    Case("budgeting:ballot_done", budget("voting"), PUBLIC),
    Case("budgeting:ballot_code", budget("codes"), PUBLIC),
    Case(
        "budgeting:ballot_code",
        budget("codes"),
        PUBLIC,
        method="post",
        data=posted(code="ABCD-EFGH-JKLM"),
        label="post",
    ),
    Case("budgeting:ballot_code", budget("voting"), VOTING_CLOSED, label="accounts only"),
    Case("budgeting:ballot_code", budget("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("budgeting:results", budget("results"), PUBLIC),
    Case("budgeting:results", budget("delivery"), PUBLIC, label="delivery"),
    Case("budgeting:results", budget("counted"), RUN_BUDGET, label="counted"),
    Case("budgeting:results", budget("voting"), RUN_BUDGET, label="voting"),
    Case("budgeting:receipt_check", budget("results"), PUBLIC),
    Case(
        "budgeting:receipt_check",
        budget("results"),
        PUBLIC,
        method="post",
        data=a_receipt,
        label="post",
    ),
    Case("budgeting:receipt_check", budget("draft"), OWNER_MEMBERS, label="draft"),
    # Open data: the anonymised ballots and the projects, once the result is published
    # (rules.can_export); before, only for those who see the result, and not there to others.
    Case("budgeting:export_pb", budget("results"), PUBLIC),
    Case("budgeting:export_pb", budget("counted"), STAFF_ONLY_HIDDEN, label="counted"),
    # Never while voting, not even for staff: no running tallies.
    Case("budgeting:export_pb", budget("voting"), row(*[HIDDEN] * 7), label="voting"),
    Case("budgeting:ballots_csv", budget("voting"), row(*[HIDDEN] * 7), label="voting"),
    Case("budgeting:ballots_csv", budget("results"), PUBLIC),
    Case("budgeting:ballots_csv", budget("counted"), STAFF_ONLY_HIDDEN, label="counted"),
    Case("budgeting:projects_csv", budget("results"), PUBLIC),
    Case("budgeting:projects_csv", budget("counted"), STAFF_ONLY_HIDDEN, label="counted"),
    # Staff pages ("manage" takes the activity, with or without its budget yet)
    Case("budgeting:manage", budget_activity("proposals"), RUN_BUDGET),
    Case("budgeting:manage", an_activity_without_budget, RUN_BUDGET, label="no budget yet"),
    Case("budgeting:manage", budget_activity("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("budgeting:budget_edit", budget("proposals"), RUN_BUDGET),
    Case("budgeting:budget_edit", budget("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("budgeting:area_add", budget("proposals"), RUN_BUDGET),
    Case(
        "budgeting:phase_set",
        budget("proposals"),
        RUN_BUDGET,
        method="post",
        data=posted(phase="review"),
    ),
    Case("budgeting:review_list", budget("proposals"), RUN_BUDGET),
    Case("budgeting:review_list", budget("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("budgeting:proposal_review", budget_proposal("proposals"), ANSWER_PROPOSALS),
    Case("budgeting:bring_forward", budget("proposals"), RUN_BUDGET),
    Case("budgeting:codes", budget("codes"), RUN_BUDGET),
    Case("budgeting:paper_entry", budget("voting"), RUN_BUDGET),
    Case("budgeting:count_start", budget("counting"), RUN_BUDGET, method="post"),
    Case("budgeting:count_status", latest_count, RUN_BUDGET),
    Case("budgeting:delivery_update", budget_proposal("delivery"), ANSWER_PROPOSALS),
    Case("budgeting:pb_import", budget("proposals"), RUN_BUDGET),
]


# Opinion maps (coproduce/conversations): the conversation's pages are seen with its activity;
# votes and statements come from anyone (the world's conversations let anyone take part) while it
# is open; the staff pages are for those who run the service's activities, the summary (a
# decision) for those who record its decisions.
def _conversing(w: World, which: str) -> Any:
    """A conversation of the world's published service with one seed statement, made once per
    world: "open", "closed" or "draft"."""
    made = w.people.setdefault("_conversing", {})
    if which not in made:
        from coproduce.conversations import actions as conversing
        from coproduce.services.models import ActivityKind
        from coproduce.services.tests.factories import ActivityFactory, staff_of

        activity = ActivityFactory(service=w.service, kind=ActivityKind.OPINION_MAP, state=which)
        staff = staff_of(activity)
        conversation = conversing.conversation_create(activity=activity, by=staff)
        conversing.statement_add(conversation=conversation, by=staff, text="A seed statement")
        made[which] = conversation
    return made[which]


def conversation(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _conversing(w, which).pk}


def seed_statement(w: World) -> dict[str, Any]:
    return {"pk": _conversing(w, "open").statements.get().pk}


def residents_conversation(w: World) -> dict[str, Any]:
    """An open conversation of verified residents only (residents' codes, decision 0112)."""
    made = w.people.setdefault("_conversing", {})
    if "residents" not in made:
        from coproduce.conversations import actions as conversing
        from coproduce.services.models import ActivityKind
        from coproduce.services.tests.factories import ActivityFactory, staff_of

        activity = ActivityFactory(service=w.service, kind=ActivityKind.OPINION_MAP, state="open")
        made["residents"] = conversing.conversation_create(
            activity=activity, by=staff_of(activity), audience="residents", postcode_prefixes="NF1"
        )
    return {"pk": made["residents"].pk}


def a_vote(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"statement": _conversing(w, which).statements.get().pk, "value": "agree"}


CASES += [
    Case("conversations:conversation", conversation("open"), PUBLIC),
    Case("conversations:conversation", conversation("closed"), PUBLIC, label="closed"),
    Case("conversations:conversation", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:vote", conversation("open"), PUBLIC, method="post", data=a_vote("open")),
    Case(
        "conversations:vote",
        conversation("draft"),
        DRAFT_TAKE_PART,
        method="post",
        data=a_vote("draft"),
        label="draft",
    ),
    Case(
        "conversations:vote",
        conversation("closed"),
        row(*[DENIED] * 7),
        method="post",
        data=a_vote("closed"),
        label="closed",
    ),
    Case("conversations:statement_add", conversation("open"), PUBLIC),
    Case("conversations:statement_add", conversation("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("conversations:my_votes", conversation("open"), PUBLIC),
    Case("conversations:resident_code", conversation("open"), PUBLIC),
    Case("conversations:resident_code", residents_conversation, SIGNED_IN, label="residents"),
    Case("conversations:map", conversation("open"), PUBLIC),
    Case("conversations:map", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:report", conversation("open"), PUBLIC),
    Case("conversations:report", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:export_zip", conversation("open"), PUBLIC),
    Case("conversations:export_zip", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:how_the_map_works", nothing, PUBLIC),
    Case("conversations:manage", conversation("open"), RUN_ACTIVITIES),
    Case("conversations:manage", conversation("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("conversations:moderation", conversation("open"), RUN_ACTIVITIES),
    Case(
        "conversations:statement_moderate",
        seed_statement,
        RUN_ACTIVITIES,
        method="post",
        data=posted(decision="meta"),
    ),
    Case("conversations:map_refresh", conversation("open"), RUN_ACTIVITIES, method="post"),
    Case("conversations:summary", conversation("open"), MANAGE_SERVICE),
    Case("conversations:codes", conversation("open"), RUN_ACTIVITIES),
    Case("conversations:codes", residents_conversation, RUN_ACTIVITIES, label="residents"),
]


# Citizen panels (coproduce/panels): public pages with the activity; registration while the panel
# registers; the selection report and pool once the draw is done; the workspace for members (the
# world's resident is one) and coordinators; staff pages for those who run the activities.
def _panelling(w: World, which: str) -> Any:
    """A panel of the world's published service, made once per world: "registration" (letters
    drawn), "selected" (its draw done), "deliberation" (the resident a member, with a published
    recommendation and one in the members' vote) or "draft" (its activity a draft)."""
    made = w.people.setdefault("_panelling", {})
    if which not in made:
        from coproduce.panels import actions as panelling
        from coproduce.panels.models import Phase
        from coproduce.panels.tasks import run_selection
        from coproduce.panels.tests.factories import advance, make_panel, register, small_pool
        from coproduce.services.models import ActivityKind
        from coproduce.services.tests.factories import ActivityFactory

        state = "draft" if which == "draft" else "open"
        activity = ActivityFactory(service=w.service, kind=ActivityKind.CITIZEN_PANEL, state=state)
        staff = w.people["professional"]
        setup = make_panel(activity=activity, staff=staff, allow_volunteers=True)
        advance(setup, Phase.REGISTRATION)
        for answers in small_pool():
            register(setup, answers)
        if which in ("selected", "deliberation"):
            advance(setup, Phase.SELECTION)
            committed = panelling.seed_commit(panel=setup.panel, by=staff, seed=42)
            panelling.selection_start(selection=committed, by=staff)
            run_selection(committed.pk)
        if which == "deliberation":
            advance(setup, Phase.DELIBERATION)
            member = w.people["resident"]
            panelling.member_add(panel=setup.panel, by=staff, email=member.email)
            session = panelling.session_create(
                panel=setup.panel,
                by=staff,
                title="First session",
                starts_at=timezone.now(),
                place="Town hall",
            )
            made["session"] = session
            passed = panelling.recommendation_draft(
                panel=setup.panel, by=member, title="Open later", text="Until 10pm."
            )
            panelling.voting_open(panel=setup.panel, by=staff)
            panelling.vote_cast(recommendation=passed, by=member, supports=True)
            panelling.voting_close(panel=setup.panel, by=staff)
            made["published"] = passed
            made["in_vote"] = panelling.recommendation_draft(
                panel=setup.panel, by=member, title="More benches", text="In the park."
            )
            panelling.voting_open(panel=setup.panel, by=staff)
        made[which] = setup.panel
    return made[which]


def panel(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _panelling(w, which).pk}


def panel_part(which: str, part: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(w: World) -> dict[str, Any]:
        _panelling(w, which)
        return {"pk": w.people["_panelling"][part].pk}

    return kwargs


def latest_selection(w: World) -> dict[str, Any]:
    return {"pk": _panelling(w, "selected").selections.latest("pk").pk}


def my_place(w: World) -> dict[str, Any]:
    from coproduce.panels.tokens import my_place_token

    return {"token": my_place_token(_panelling(w, "selected").registrants.first())}


WORKSPACE = row(LOGIN, OK, OK, OK, DENIED, OK, OK)
MEMBERS_ONLY = row(LOGIN, OK, DENIED, DENIED, DENIED, DENIED, DENIED)
CASES += [
    Case("panels:panel_detail", panel("registration"), PUBLIC),
    Case("panels:panel_detail", panel("draft"), OWNER_MEMBERS, label="draft"),
    Case("panels:register", panel("registration"), PUBLIC),
    Case("panels:register", panel("draft"), OWNER_MEMBERS, label="draft"),
    Case("panels:registered", panel("registration"), PUBLIC),
    Case("panels:my_place", my_place, PUBLIC),
    Case("panels:selection_report", panel("selected"), PUBLIC),
    Case("panels:selection_report", panel("draft"), OWNER_MEMBERS, label="draft"),
    Case("panels:pool_export", panel("selected"), PUBLIC),
    Case("panels:how_chosen", nothing, PUBLIC),
    Case("panels:workspace", panel("deliberation"), WORKSPACE),
    Case("panels:recommendations", panel("deliberation"), PUBLIC),
    Case("panels:recommendation_detail", panel_part("deliberation", "published"), PUBLIC),
    Case(
        "panels:recommendation_detail",
        panel_part("deliberation", "in_vote"),
        WORKSPACE,
        label="in the members' vote",
    ),
    Case("panels:recommendation_add", panel("deliberation"), MEMBERS_ONLY),
    Case(
        "panels:recommendation_vote",
        panel_part("deliberation", "in_vote"),
        MEMBERS_ONLY,
        method="post",
        data=posted(supports="yes"),
    ),
    Case("panels:session_add", panel("deliberation"), RUN_ACTIVITIES),
    Case("panels:session_edit", panel_part("deliberation", "session"), RUN_ACTIVITIES),
    Case("panels:voting", panel("deliberation"), RUN_ACTIVITIES),
    Case("panels:members", panel("deliberation"), RUN_ACTIVITIES),
    Case("panels:manage", panel("registration"), RUN_ACTIVITIES),
    Case("panels:manage", panel("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("panels:panel_edit", panel("registration"), RUN_ACTIVITIES),
    Case(
        "panels:phase_set",
        panel("registration"),
        RUN_ACTIVITIES,
        method="post",
        data=posted(phase="selection"),
    ),
    Case("panels:quotas", panel("registration"), RUN_ACTIVITIES),
    Case("panels:census_import", panel("registration"), RUN_ACTIVITIES),
    Case("panels:invitations", panel("registration"), RUN_ACTIVITIES),
    Case("panels:mail_house_csv", panel("registration"), RUN_ACTIVITIES),
    Case("panels:letters_pdf", panel("registration"), RUN_ACTIVITIES),
    Case("panels:registrants", panel("registration"), RUN_ACTIVITIES),
    Case("panels:feasibility", panel("registration"), RUN_ACTIVITIES),
    Case("panels:selection", panel("selected"), RUN_ACTIVITIES),
    Case("panels:selection_status", latest_selection, RUN_ACTIVITIES),
]


# The budgets API (coproduce/api/budgets.py), with each role's token: 401 without one on what
# needs it, 404 for what the caller may not see, 403 where the budget takes no votes from
# accounts, 422 (a rule) where voting is not open.
@dataclass
class ApiCase:
    method: str
    path: str  # an OpenAPI path of the operation
    which: str  # the budget, as _budgeting names it
    expected: dict[str, int]
    label: str = ""


def api_row(*statuses: int) -> dict[str, int]:
    return dict(zip(ROLES, statuses, strict=True))


API_PUBLIC = api_row(200, 200, 200, 200, 200, 200, 200)
API_OWNER_MEMBERS = api_row(404, 404, 200, 200, 404, 200, 200)
API_STAFF_RESULTS = api_row(404, 404, 200, 200, 404, 200, 200)
API_NOTHING = api_row(404, 404, 404, 404, 404, 404, 404)
API_WITH_TOKEN = api_row(401, 200, 200, 200, 200, 200, 200)
API_VOTE_CLOSED = api_row(401, 422, 422, 422, 422, 422, 422)
API_CASES = [
    ApiCase("get", "/api/budgets", "proposals", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}", "proposals", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", "/api/budgets/{budget_id}/projects", "proposals", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}/projects", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", "/api/budgets/{budget_id}/results", "results", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}/results", "counted", API_STAFF_RESULTS, "counted"),
    ApiCase("get", "/api/budgets/{budget_id}/results", "voting", API_NOTHING, "voting"),
    ApiCase("get", "/api/budgets/{budget_id}/ballot", "voting", API_WITH_TOKEN),
    ApiCase(
        "get",
        "/api/budgets/{budget_id}/ballot",
        "draft",
        api_row(401, 404, 200, 200, 404, 200, 200),
        "draft",
    ),
    ApiCase("put", "/api/budgets/{budget_id}/ballot", "voting", API_WITH_TOKEN),
    ApiCase(
        "put",
        "/api/budgets/{budget_id}/ballot",
        "codes",
        api_row(401, 403, 403, 403, 403, 403, 403),
        "codes only",
    ),
    ApiCase("put", "/api/budgets/{budget_id}/ballot", "proposals", API_VOTE_CLOSED, "not open"),
    ApiCase("put", "/api/budgets/{budget_id}/ballot", "results", API_VOTE_CLOSED, "closed"),
    ApiCase(
        "put",
        "/api/budgets/{budget_id}/ballot",
        "draft",
        api_row(401, 404, 422, 422, 404, 422, 422),
        "draft",
    ),
]


@pytest.mark.parametrize(
    "case",
    API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_budget_api_matrix(case: ApiCase, world: World) -> None:
    import json

    setup = _budgeting(world, case.which)
    path = case.path.replace("{budget_id}", str(setup.budget.pk))
    body = {
        "area": setup.area.pk,
        "choices": [{"project": p.reference} for p in setup.proposals[:1]],
    }
    mismatches = []
    for role in ROLES:
        person = world.people[role]
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {api_token_create(user=person, name=role)[1]}"
        with transaction.atomic():
            if case.method == "put":
                response = Client().put(
                    path, json.dumps(body), content_type="application/json", headers=headers
                )
            else:
                response = Client().get(path, headers=headers)
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


def test_every_budget_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith("/api/budgets")
    }
    assert operations == {f"{case.method} {case.path}" for case in API_CASES}


# The conversations API (coproduce/api/conversations.py): seen with their activity (404 for what
# the caller may not see); statements and votes need a token and an open conversation (a closed
# or draft one is a 422 of type rule).
API_ADDED = api_row(401, 201, 201, 201, 201, 201, 201)
API_DRAFT_TAKE_PART = api_row(401, 404, 422, 422, 404, 422, 422)
STATEMENTS = "/api/conversations/{conversation_id}/statements"
VOTE = "/api/conversations/{conversation_id}/statements/{statement_id}/vote"
CONVERSATION_API_CASES = [
    ApiCase("get", "/api/conversations", "open", API_PUBLIC),
    ApiCase("get", "/api/conversations/{conversation_id}", "open", API_PUBLIC),
    ApiCase("get", "/api/conversations/{conversation_id}", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", STATEMENTS, "open", API_PUBLIC),
    ApiCase("get", STATEMENTS, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("post", STATEMENTS, "open", API_ADDED),
    ApiCase("post", STATEMENTS, "closed", API_VOTE_CLOSED, "closed"),
    ApiCase("post", STATEMENTS, "draft", API_DRAFT_TAKE_PART, "draft"),
    ApiCase("get", VOTE, "open", API_WITH_TOKEN),
    ApiCase("get", VOTE, "draft", api_row(401, 404, 200, 200, 404, 200, 200), "draft"),
    ApiCase("put", VOTE, "open", API_WITH_TOKEN),
    ApiCase("put", VOTE, "closed", API_VOTE_CLOSED, "closed"),
    ApiCase("put", VOTE, "draft", API_DRAFT_TAKE_PART, "draft"),
    ApiCase("get", "/api/conversations/{conversation_id}/map", "open", API_PUBLIC),
    ApiCase("get", "/api/conversations/{conversation_id}/map", "draft", API_OWNER_MEMBERS, "draft"),
]


@pytest.mark.parametrize(
    "case",
    CONVERSATION_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_conversation_api_matrix(case: ApiCase, world: World) -> None:
    import json

    conversation = _conversing(world, case.which)
    path = case.path.replace("{conversation_id}", str(conversation.pk)).replace(
        "{statement_id}", str(conversation.statements.get().pk)
    )
    body = {"post": {"text": "A new statement"}, "put": {"vote": "agree"}}.get(case.method)
    mismatches = []
    for role in ROLES:
        person = world.people[role]
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {api_token_create(user=person, name=role)[1]}"
        with transaction.atomic():
            send = getattr(Client(), case.method)
            if body is None:
                response = send(path, headers=headers)
            else:
                response = send(
                    path, json.dumps(body), content_type="application/json", headers=headers
                )
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


def test_every_conversation_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith("/api/conversations")
    }
    assert operations == {f"{case.method} {case.path}" for case in CONVERSATION_API_CASES}


# --- Outcomes (issue 11): public with their service; kept by the service's admins and
# professionals; a resident check answered by signed-in people on a published service.
def _outcomes(w: World, which: str) -> Any:
    """An outcome with a staff-measured and a resident-reported indicator, in the published
    service ("published") or the draft one ("draft"), made once per world."""
    made = w.people.setdefault("_outcomes", {})
    if which not in made:
        from coproduce.outcomes.tests.factories import (
            make_check_indicator,
            make_indicator,
            make_outcome,
        )

        service = w.service if which == "published" else w.draft_service
        keeper = w.people["professional"]
        outcome = make_outcome(service, keeper)
        made[which] = {
            "outcome": outcome,
            "indicator": make_indicator(outcome, keeper),
            "check": make_check_indicator(outcome, keeper),
        }
    return made[which]


def outcomes_of(which: str, thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _outcomes(w, which)[thing].pk}


CHECK_ON_DRAFT = row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED)
CASES += [
    Case("outcomes:service_outcomes", published, PUBLIC),
    Case("outcomes:service_outcomes", draft, OWNER_MEMBERS, label="draft service"),
    Case("outcomes:indicator", outcomes_of("published", "indicator"), PUBLIC),
    Case("outcomes:indicator", outcomes_of("draft", "indicator"), OWNER_MEMBERS, label="draft"),
    Case(
        "outcomes:check_answer",
        outcomes_of("published", "check"),
        SIGNED_IN,
        method="post",
        data=lambda w: {"rating": "4"},
    ),
    Case(
        "outcomes:check_answer",
        outcomes_of("published", "indicator"),
        row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
        method="post",
        data=lambda w: {"rating": "4"},
        label="measured by staff",
    ),
    Case(
        "outcomes:check_answer",
        outcomes_of("draft", "check"),
        CHECK_ON_DRAFT,
        method="post",
        data=lambda w: {"rating": "4"},
        label="draft",
    ),
    Case("outcomes:manage", published, MANAGE_SERVICE),
    Case("outcomes:manage", draft, MANAGE_DRAFT, label="draft"),
    Case("outcomes:outcome_create", published, MANAGE_SERVICE),
    Case("outcomes:measurements_import", published, MANAGE_SERVICE),
    Case("outcomes:outcome_edit", outcomes_of("published", "outcome"), MANAGE_SERVICE),
    Case("outcomes:outcome_edit", outcomes_of("draft", "outcome"), MANAGE_DRAFT, label="draft"),
    Case("outcomes:indicator_create", outcomes_of("published", "outcome"), MANAGE_SERVICE),
    Case("outcomes:indicator_edit", outcomes_of("published", "indicator"), MANAGE_SERVICE),
    Case("outcomes:measurement_add", outcomes_of("published", "indicator"), MANAGE_SERVICE),
    Case(
        "outcomes:measurement_add",
        outcomes_of("published", "indicator"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {
            "measured_on_0": "1",
            "measured_on_1": "1",
            "measured_on_2": "2026",
            "value": "51",
        },
        label="post",
    ),
]


# --- Commissioning rounds (issue 11): public as their activity is; residents weigh the criteria
# signed in while the weighting is open; the round is kept by the service's admins and
# professionals.
def _commissioning(w: World, which: str) -> Any:
    """A round with criteria on an open activity of the published service ("open"), on a draft
    activity ("draft"), or a commissioning-round activity without a round ("bare")."""
    made = w.people.setdefault("_commissioning", {})
    if which not in made:
        from coproduce.commissioning.tests.factories import make_criteria, make_round
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=state
        )
        if which == "bare":
            made[which] = {"activity": activity}
        else:
            round_ = make_round(activity=activity, staff=w.people["professional"])
            criteria = make_criteria(round_, w.people["professional"])
            made[which] = {"activity": activity, "round": round_, "criterion": criteria[0]}
    return made[which]


def commissioning(which: str, thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _commissioning(w, which)[thing].pk}


CASES += [
    Case("commissioning:round", commissioning("open", "round"), PUBLIC),
    Case(
        "commissioning:round", commissioning("draft", "round"), DRAFT_ACTIVITY_STAFF, label="draft"
    ),
    Case("commissioning:how_weighting_works", nothing, PUBLIC),
    Case("commissioning:weigh", commissioning("open", "round"), SIGNED_IN),
    Case(
        "commissioning:weigh",
        commissioning("draft", "round"),
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="draft",
    ),
    Case("commissioning:manage", commissioning("open", "activity"), MANAGE_SERVICE),
    Case("commissioning:manage", commissioning("bare", "activity"), MANAGE_SERVICE, label="bare"),
    Case("commissioning:manage", commissioning("draft", "activity"), MANAGE_DRAFT, label="draft"),
    Case("commissioning:round_edit", commissioning("bare", "activity"), MANAGE_SERVICE),
    Case("commissioning:criterion_add", commissioning("open", "round"), MANAGE_SERVICE),
    Case("commissioning:criterion_edit", commissioning("open", "criterion"), MANAGE_SERVICE),
    Case("commissioning:criterion_delete", commissioning("open", "criterion"), MANAGE_SERVICE),
    Case("commissioning:weights_publish", commissioning("open", "round"), MANAGE_SERVICE),
]


# --- Bids (decision 0077): the round is the owner's, the bid the other organisation's
# ("other_professional" bids). Sealed: before the deadline nobody but the bidder knows the bid
# exists; after it the round's keepers (and superusers) open it too, logged.
BIDDERS = row(LOGIN, DENIED, DENIED, OK, OK, OK, DENIED)  # superusers belong to no organisation
THE_BIDDER = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, HIDDEN)
BIDDER_AND_KEEPERS = row(HIDDEN, HIDDEN, HIDDEN, OK, OK, OK, OK)


def _bids(w: World, when: str) -> dict[str, Any]:
    """A round of the owner's published service with published weights, the other
    organisation's submitted bid with a commitment and a file, and an unanswered question;
    bids still open ("open") or closed ("closed")."""
    made = w.people.setdefault("_bids", {})
    if when not in made:
        from decimal import Decimal

        from django.core.files.uploadedfile import SimpleUploadedFile

        from coproduce.commissioning import actions_bids
        from coproduce.commissioning.models import CriterionKind
        from coproduce.commissioning.tests.factories import make_round
        from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, ready_round
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
        )
        round_ = ready_round(make_round(activity=activity, staff=w.people["org_admin"]))
        bidder = w.people["other_professional"]
        bid = make_bid(round_, bidder)
        social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
        things: dict[str, Any] = {
            "bid": bid,
            "commitment": actions_bids.commitment_add(
                bid=bid,
                by=bidder,
                criterion=social,
                indicator=social.indicators.get(),
                quantity=Decimal("12"),
                description="12 local young people employed",
            ),
            "attachment": actions_bids.attachment_add(
                bid=bid,
                by=bidder,
                upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"),
            ),
            "clarification": actions_bids.clarification_ask(
                round_=round_, by=bidder, question="When does the contract start?"
            ),
        }
        things["round"] = close_bids(round_) if when == "closed" else round_
        made[when] = things
    return made[when]


def bids(when: str, thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _bids(w, when)[thing].pk}


EVALUATORS_ONLY = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
ALL_HIDDEN = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)


def _evaluation(w: World) -> dict[str, Any]:
    """A round of the owner's published service, weighted, with one submitted bid of a new
    bidder and one resident evaluator; bids closed."""
    made = w.people.setdefault("_evaluation", {})
    if not made:
        from coproduce.commissioning.models import Evaluator
        from coproduce.commissioning.tests.factories import make_round
        from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, ready_round
        from coproduce.commissioning.tests.factories_evaluation import make_evaluator
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
        )
        keeper = w.people["professional"]
        round_ = ready_round(make_round(activity=activity, staff=keeper))
        bid = make_bid(round_)
        person = make_evaluator(round_, keeper)
        made.update(
            round=close_bids(round_),
            bid=bid,
            evaluator=Evaluator.objects.get(round=round_, person=person),
        )
    return made


def evaluation(thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _evaluation(w)[thing].pk}


CASES += [
    Case("commissioning:bid_start", bids("open", "round"), BIDDERS),
    Case("commissioning:bid", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:bid", bids("closed", "bid"), BIDDER_AND_KEEPERS, label="closed"),
    Case("commissioning:bid_edit", bids("open", "bid"), THE_BIDDER),
    # After the deadline the bidder is told it can no longer change the bid.
    Case("commissioning:bid_edit", bids("closed", "bid"), THE_BIDDER, label="closed"),
    Case("commissioning:commitment_add", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:commitment_delete", bids("open", "commitment"), THE_BIDDER),
    Case("commissioning:attachment_add", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:attachment", bids("open", "attachment"), THE_BIDDER),
    Case(
        "commissioning:attachment",
        bids("closed", "attachment"),
        BIDDER_AND_KEEPERS,
        label="closed",
    ),
    Case("commissioning:attachment_delete", bids("open", "attachment"), THE_BIDDER),
    Case("commissioning:bid_submit", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:bid_withdraw", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:clarifications", bids("open", "round"), PUBLIC),
    Case(
        "commissioning:clarifications",
        commissioning("draft", "round"),
        DRAFT_ACTIVITY_STAFF,
        label="draft",
    ),
    Case("commissioning:clarification_answer", bids("open", "clarification"), MANAGE_SERVICE),
    Case("commissioning:bids_received", bids("open", "round"), MANAGE_SERVICE),
    Case("commissioning:bids_received", bids("closed", "round"), MANAGE_SERVICE, label="closed"),
    # Evaluation and award (decisions 0078, 0079): a resident evaluator is chosen; no world role
    # evaluates or bids, so the evaluator's and bidder's own pages are hidden from every role.
    Case("commissioning:interests", evaluation("round"), PUBLIC),
    Case("commissioning:award", evaluation("round"), PUBLIC),  # "not made yet"
    Case("commissioning:evaluators", evaluation("round"), MANAGE_SERVICE),
    Case("commissioning:evaluator_remove", evaluation("evaluator"), MANAGE_SERVICE),
    Case("commissioning:moderation", evaluation("round"), MANAGE_SERVICE),
    Case("commissioning:moderate_bid", evaluation("bid"), MANAGE_SERVICE),
    Case("commissioning:award_make", evaluation("round"), MANAGE_SERVICE),
    Case("commissioning:evaluate", evaluation("round"), EVALUATORS_ONLY),
    Case("commissioning:declare", evaluation("round"), EVALUATORS_ONLY),
    Case("commissioning:score", evaluation("bid"), ALL_HIDDEN),
    Case("commissioning:own_scores", evaluation("bid"), ALL_HIDDEN),
    # Open data: public as the round is (sealed content is never in it before the deadline).
    *[
        Case(f"commissioning:{name}", commissioning("open", "round"), PUBLIC)
        for name in ("ocds", "scores_csv", "interests_csv")
    ],
    *[
        Case(
            f"commissioning:{name}",
            commissioning("draft", "round"),
            DRAFT_ACTIVITY_STAFF,
            label="draft",
        )
        for name in ("ocds", "scores_csv", "interests_csv")
    ],
]


# --- Assessment frameworks (issue 12, decision 0081): agreed versions public with the service;
# the draft and every change kept by the service's administrators and professionals.
FRAMEWORK_KEEPERS = row(HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK)


def _standards(w: World, which: str) -> Any:
    """Version 1 agreed (two standards) and version 2 drafted from it, on the published service;
    an agreed version on the draft service ("hidden")."""
    made = w.people.setdefault("_standards", {})
    if not made:
        from coproduce.assessment.tests.factories import make_framework, next_draft

        keeper = w.people["professional"]
        agreed = make_framework(w.service, keeper, count=2)
        second = next_draft(agreed, keeper)
        made.update(
            agreed=agreed,
            agreed_standard=agreed.standards.order_by("position").first(),
            draft=second,
            draft_standard=second.standards.order_by("position").first(),
            hidden=make_framework(w.draft_service, keeper, count=1),
        )
    return made[which]


def standards(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _standards(w, which).pk}


CASES += [
    Case("assessment:framework", published, PUBLIC),
    Case("assessment:framework", draft, OWNER_MEMBERS, label="draft service"),
    Case("assessment:version", standards("agreed"), PUBLIC),
    Case("assessment:version", standards("draft"), FRAMEWORK_KEEPERS, label="draft"),
    Case("assessment:version", standards("hidden"), OWNER_MEMBERS, label="draft service"),
    Case("assessment:manage_framework", published, MANAGE_SERVICE),
    Case("assessment:manage_framework", draft, MANAGE_DRAFT, label="draft service"),
    Case("assessment:version_start", published, MANAGE_SERVICE),
    Case("assessment:version_start", published, MANAGE_SERVICE, method="post", label="post"),
    Case("assessment:version_edit", standards("draft"), MANAGE_SERVICE),
    Case("assessment:version_edit", standards("agreed"), MANAGE_SERVICE, label="agreed"),
    Case(
        "assessment:version_edit",
        standards("draft"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {"down": str(_standards(w, "draft_standard").pk)},
        label="move",
    ),
    Case("assessment:standard_add", standards("draft"), MANAGE_SERVICE),
    Case(
        "assessment:standard_add",
        standards("draft"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {"theme": "Booking", "statement": "I can book any time"},
        label="post",
    ),
    Case("assessment:standard_edit", standards("draft_standard"), MANAGE_SERVICE),
    Case("assessment:standard_edit", standards("agreed_standard"), MANAGE_SERVICE, label="agreed"),
    Case("assessment:standard_delete", standards("draft_standard"), MANAGE_SERVICE),
    Case(
        "assessment:standard_delete",
        standards("draft_standard"),
        MANAGE_SERVICE,
        method="post",
        label="post",
    ),
    Case("assessment:version_agree", standards("draft"), MANAGE_SERVICE),
    Case(
        "assessment:version_agree",
        standards("draft"),
        MANAGE_SERVICE,
        method="post",
        data=lambda w: {"change_note": "Checked again."},
        label="post",
    ),
]


# --- User assessments (decision 0082): public as their activity is; signed-in people rate while
# it is open; staff set it up, enter paper forms and download the anonymised ratings.
def _assessment(w: World, which: str) -> Any:
    """An assessment of the published service pinned to an agreed version, on an open ("open"),
    closed ("closed") or draft ("draft") activity; or an assessment activity not set up ("bare")."""
    made = w.people.setdefault("_assessment", {})
    if which not in made:
        from coproduce.assessment.actions_assessments import assessment_set_up
        from coproduce.assessment.models import FrameworkVersion
        from coproduce.assessment.tests.factories import make_framework
        from coproduce.services.actions import activity_transition
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
        activity = ActivityFactory(service=w.service, kind=ActivityKind.ASSESSMENT, state=state)
        if which == "bare":
            made[which] = {"activity": activity}
        else:
            staff = w.people["professional"]
            version = FrameworkVersion.objects.filter(
                framework_id=w.service.pk, status="agreed"
            ).first() or make_framework(w.service, staff)
            made[which] = {
                "activity": activity,
                "assessment": assessment_set_up(activity=activity, by=staff, version=version),
            }
            if which == "closed":
                activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    return made[which]


def assessment(which: str, thing: str = "assessment") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _assessment(w, which)[thing].pk}


CASES += [
    Case("assessment:assessment", assessment("open"), PUBLIC),
    Case("assessment:assessment", assessment("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("assessment:results", assessment("open"), PUBLIC),
    Case("assessment:results", assessment("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("assessment:rate", assessment("open"), SIGNED_IN),
    Case("assessment:rate", assessment("closed"), SIGNED_IN, label="closed"),
    Case(
        "assessment:rate",
        assessment("closed"),
        row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
        method="post",
        label="closed, sent",
    ),
    Case(
        "assessment:rate",
        assessment("draft"),
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="draft",
    ),
    Case("assessment:manage", assessment("open", "activity"), MANAGE_SERVICE),
    Case("assessment:manage", assessment("bare", "activity"), MANAGE_SERVICE, label="bare"),
    Case("assessment:manage", assessment("draft", "activity"), MANAGE_DRAFT, label="draft"),
    Case("assessment:paper_entry", assessment("open"), MANAGE_SERVICE),
    Case("assessment:paper_entry", assessment("closed"), MANAGE_SERVICE, label="closed"),
    Case("assessment:paper_entry", assessment("draft"), MANAGE_DRAFT, label="draft"),
    Case("assessment:ratings_csv", assessment("open"), MANAGE_SERVICE),
    Case("assessment:ratings_csv", assessment("draft"), MANAGE_DRAFT, label="draft"),
]


# --- Findings and improvement actions (decision 0084): public with their finding; written by the
# service's staff once the assessment's results are public.
def _finding(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_finding", {})
    if not made:
        import datetime as dt

        from django.utils import timezone

        from coproduce.assessment import actions_findings

        closed = _assessment(w, "closed")["assessment"]
        closed.activity.refresh_from_db()
        staff = w.people["professional"]
        finding = actions_findings.finding_add(
            assessment=closed, by=staff, kind="concern", title="Late pick-ups", evidence="Half."
        )
        made["finding"] = finding
        made["action"] = actions_findings.action_add(
            finding=finding,
            by=staff,
            description="Text when late",
            owner="Coordinator",
            due_on=timezone.localdate() + dt.timedelta(days=9),
        )
    return made


def finding(thing: str = "finding") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _finding(w)[thing].pk}


NOBODY_SIGNED_IN = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
CASES += [
    Case("assessment:finding", finding(), PUBLIC),
    Case("assessment:finding_add", assessment("closed"), MANAGE_SERVICE),
    Case("assessment:finding_add", assessment("open"), NOBODY_SIGNED_IN, label="still open"),
    Case("assessment:finding_edit", finding(), MANAGE_SERVICE),
    Case("assessment:action_add", finding(), MANAGE_SERVICE),
    Case("assessment:action_edit", finding("action"), MANAGE_SERVICE),
    Case("assessment:actions", published, PUBLIC),
    Case("assessment:actions", draft, OWNER_MEMBERS, label="draft service"),
]


# --- Peer reviews and self-reflections (decisions 0083, 0085): a peer team's pages are private to
# it and the service's staff; a report is private until published, then public. The resident is
# the lead assessor of the peer review and has handed in their ratings.
def _team(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_team", {})
    if not made:
        from django.utils import timezone

        from coproduce.assessment.models import Assessment
        from coproduce.assessment.tests.factories_peer import add_assessor, hand_in
        from coproduce.assessment.tests.factories_report import make_team_assessment
        from coproduce.services.models import ActivityKind

        staff = w.people["professional"]
        for which, kind in (
            ("self", ActivityKind.SELF_REFLECTION),
            ("self_published", ActivityKind.SELF_REFLECTION),
            ("peer", ActivityKind.PEER_REVIEW),
        ):
            made[which], _staff = make_team_assessment(kind, service=w.service)
        Assessment.objects.filter(pk=made["self_published"].pk).update(published_at=timezone.now())
        lead = add_assessor(made["peer"], staff, w.people["resident"], lead=True)
        hand_in(lead, 4)
        made["assessor"] = add_assessor(made["peer"], staff)
    return made


def team(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _team(w)[which].pk}


TEAM_STAFF = row(HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK)
NOBODY = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
LEAD_ONLY = row(HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
CASES += [
    Case("assessment:team", team("peer"), TEAM_STAFF),
    Case("assessment:team", team("self"), NOBODY, label="self-reflection"),
    Case("assessment:assessor_remove", team("assessor"), TEAM_STAFF),
    Case("assessment:assessor_remove", team("assessor"), TEAM_STAFF, method="post", label="post"),
    Case("assessment:assessor_rate", team("peer"), LEAD_ONLY),
    Case("assessment:team_ratings", team("peer"), row(HIDDEN, OK, HIDDEN, OK, HIDDEN, OK, OK)),
    Case("assessment:report", team("self"), TEAM_STAFF, label="self-reflection, draft"),
    Case("assessment:report", team("self_published"), PUBLIC, label="self-reflection"),
    Case("assessment:report", team("peer"), row(HIDDEN, OK, HIDDEN, OK, HIDDEN, OK, OK)),
    Case("assessment:report", assessment("open"), NOBODY, label="user assessment"),
    Case("assessment:report_edit", team("self"), TEAM_STAFF, label="self-reflection"),
    Case("assessment:report_edit", team("self_published"), NOBODY, label="published"),
    Case("assessment:report_edit", team("peer"), LEAD_ONLY),
    Case("assessment:report_publish", team("self"), TEAM_STAFF, label="self-reflection"),
    Case("assessment:report_publish", team("peer"), LEAD_ONLY),
    Case("assessment:peer_ratings_csv", team("peer"), MANAGE_SERVICE),
    Case("assessment:self_ratings_csv", team("self"), TEAM_STAFF, label="draft"),
    Case("assessment:self_ratings_csv", team("self_published"), MANAGE_SERVICE),
]


# --- Coaching (decision 0088): private to the coach and the participants, superusers too. The
# professional coaches the resident.
def _coaching(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_coaching", {})
    if not made:
        from coproduce.assessment.tests.factories_coaching import make_session

        made["session"] = make_session(w.service, w.people["professional"], [w.people["resident"]])
    return made


def coaching(w: World) -> dict[str, Any]:
    return {"pk": _coaching(w)["session"].pk}


IN_THE_SESSION = row(HIDDEN, OK, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN)
CASES += [
    Case("assessment:coaching_add", published, MANAGE_SERVICE),
    Case("assessment:coaching", coaching, IN_THE_SESSION),
    Case("assessment:coaching_edit", coaching, IN_THE_SESSION),
    Case("assessment:coaching_leave", coaching, IN_THE_SESSION),
    Case("assessment:my_coaching", lambda w: {}, SIGNED_IN),
]


# --- Residents' proposals for the standards (decision 0089): public with their activity; made in
# an open user assessment; taken into the draft by staff.
def _proposal(w: World, which: str = "published") -> Any:
    made = w.people.setdefault("_proposal", {})
    if which not in made:
        from coproduce.accounts.tests.factories import UserFactory
        from coproduce.assessment.actions_proposals import proposal_add
        from coproduce.contributions.actions import moderation_hide

        proposal = proposal_add(
            assessment=_assessment(w, "open")["assessment"],
            author=UserFactory(),
            text=f"I can book a journey on the day ({which})",
        )
        if which == "hidden":
            moderation_hide(contribution=proposal.contribution, moderator=w.people["professional"])
        made[which] = proposal
    return made[which]


def proposal(which: str = "published") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _proposal(w, which).pk}


CASES += [
    Case("assessment:propose", assessment("open"), SIGNED_IN),
    Case("assessment:propose", assessment("closed"), SIGNED_IN, label="closed"),
    Case(
        "assessment:propose",
        assessment("closed"),
        NOBODY_SIGNED_IN,
        method="post",
        label="closed, sent",
    ),
    Case(
        "assessment:propose",
        assessment("draft"),
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="draft",
    ),
    Case("assessment:proposal", proposal(), PUBLIC),
    Case("assessment:proposal", proposal("hidden"), DRAFT_ACTIVITY_STAFF, label="hidden"),
    Case("assessment:proposals", published, PUBLIC),
    Case("assessment:proposals", draft, OWNER_MEMBERS, label="draft service"),
    Case("assessment:proposal_take_in", proposal(), MANAGE_SERVICE),
]


# --- Mystery shopping (decision 0087): the coordinator and the shoppers are residents outside the
# matrix's roles, so their own pages are 404 to every role; the service's staff read the reports
# (shoppers unnamed) and their evidence files; the public reads the reports once published.
def _shop(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_shop", {})
    if not made:
        from django.utils import timezone

        from coproduce.assessment import actions_shopping
        from coproduce.assessment.models import Assessment
        from coproduce.assessment.tests.factories_shopping import (
            assign,
            jpeg_with_gps,
            mystery_shop,
            send_report,
        )

        for which in ("open", "published"):
            shop, _staff, _coordinator = mystery_shop(service=w.service)
            assignment = assign(shop)
            evidence = actions_shopping.evidence_add(
                assignment=assignment,
                by=assignment.shopper,
                upload=jpeg_with_gps(),
                description="The booking line's recorded message",
            )
            send_report(assignment)
            made[which] = {"shop": shop, "assignment": assignment, "evidence": evidence}
        Assessment.objects.filter(pk=made["published"]["shop"].pk).update(
            published_at=timezone.now()
        )
        made["draft"] = {"assignment": assign(mystery_shop(service=w.service)[0])}
    return made


def shop(which: str, thing: str = "shop") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _shop(w)[which][thing].pk}


SERVICE_STAFF_ONLY = row(HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK)
CASES += [
    Case("assessment:coordinator", shop("open"), MANAGE_SERVICE),
    Case("assessment:assignments", shop("open"), NOBODY),
    Case("assessment:assignment_remove", shop("draft", "assignment"), NOBODY),
    Case("assessment:shop", shop("draft", "assignment"), NOBODY),
    Case("assessment:evidence_add", shop("draft", "assignment"), NOBODY),
    Case("assessment:evidence_file", shop("open", "evidence"), SERVICE_STAFF_ONLY),
    Case(
        "assessment:evidence_file",
        shop("published", "evidence"),
        SERVICE_STAFF_ONLY,
        label="published",
    ),
    Case("assessment:evidence_remove", shop("open", "evidence"), NOBODY),
    Case("assessment:shop_reports", shop("open"), SERVICE_STAFF_ONLY),
    Case("assessment:shop_reports", shop("published"), PUBLIC, label="published"),
    Case("assessment:shop_publish", shop("open"), NOBODY),
    Case("assessment:my_assignments", lambda w: {}, SIGNED_IN),
]


# --- Standards feeding outcome indicators (decision 0090): the service's staff.
def _link(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_link", {})
    if not made:
        from coproduce.assessment.actions_links import link_add
        from coproduce.assessment.queries_assessments import latest_agreed
        from coproduce.outcomes.tests.factories import make_indicator, make_outcome

        staff = w.people["professional"]
        _assessment(w, "closed")
        latest = latest_agreed(w.service)
        assert latest is not None
        made["link"] = link_add(
            service=w.service,
            by=staff,
            standard=latest.standards.order_by("position").first(),
            indicator=make_indicator(make_outcome(w.service, staff), staff),
        )
    return {"pk": made["link"].pk}


CASES += [
    Case("assessment:indicator_links", published, MANAGE_SERVICE),
    Case("assessment:indicator_links", draft, MANAGE_DRAFT, label="draft service"),
    Case("assessment:link_remove", _link, MANAGE_SERVICE),
    Case("assessment:record_indicators", assessment("closed"), MANAGE_SERVICE),
    Case("assessment:record_indicators", assessment("open"), NOBODY_SIGNED_IN, label="still open"),
    Case(
        "assessment:record_indicators",
        assessment("draft"),
        row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED),
        label="draft",
    ),
]


def outcome(response: Any) -> str:
    if response.status_code == 404:
        return HIDDEN
    if response.status_code == 403:
        return DENIED
    if response.status_code in (301, 302) and response["Location"].startswith(
        reverse("account_login")
    ):
        return LOGIN
    if response.status_code in (301, 302) and "/mfa/" in response["Location"]:
        return "mfa-setup"
    if 200 <= response.status_code < 400:
        return OK
    return f"status {response.status_code}"


def an_area(w: World) -> dict[str, Any]:
    from coproduce.equality.models import PopulationArea

    area, _new = PopulationArea.objects.get_or_create(
        organisation=w.owner, code="E05011121", defaults={"name": "Northfield"}
    )
    return {"slug": w.owner.slug, "code": area.code}


def owner_org(w: World) -> dict[str, Any]:
    return {"slug": w.owner.slug}


# Equality monitoring (issue 16): a person's own answers; totals for the staff who run activities
# and, for published services, the public; population figures kept by admins and professionals.
CASES += [
    Case("equality:mine", nothing, SIGNED_IN),
    Case("equality:mine", nothing, SIGNED_IN, method="post", label="post"),
    Case("equality:withdraw", nothing, SIGNED_IN),
    Case("equality:withdraw", nothing, SIGNED_IN, method="post", label="post"),
    Case("equality:service_public", published, PUBLIC),
    Case(
        "equality:service_public",
        draft,
        row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED),
        label="draft",
    ),
    Case("equality:service_staff", published, RUN_ACTIVITIES),
    Case("equality:service_staff", draft, DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("equality:service_area", published, MANAGE_SERVICE, method="post"),
    Case("equality:service_area", draft, MANAGE_DRAFT, method="post", label="draft"),
    Case("equality:areas", owner_org, MANAGE_SERVICE),
    Case("equality:population_import", owner_org, MANAGE_SERVICE),
    Case("equality:area_detail", an_area, MANAGE_SERVICE),
]


def _data_export(w: World) -> dict[str, Any]:
    made = w.people.setdefault("_data_export", {})
    if not made:
        from coproduce.privacy.tests.factories import ready_export

        made["export"] = ready_export(w.people["resident"])
    return {"pk": made["export"].pk}


# Data rights (issue 16): each person's own data, and their own account to delete.
CASES += [
    Case("privacy:data", nothing, SIGNED_IN),
    Case("privacy:data", nothing, SIGNED_IN, method="post", label="ask"),
    Case("privacy:download", _data_export, row(LOGIN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    Case("privacy:delete", nothing, SIGNED_IN),
    Case("privacy:delete", nothing, SIGNED_IN, method="post", label="without a password"),
]


@pytest.fixture
def world(db: Any) -> World:
    w = build_world()
    token, _raw = api_token_create(user=w.people["resident"], name="matrix")
    w.people["resident_token"] = token
    return w


@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"{c.name}{'[' + c.label + ']' if c.label else ''}"
)
def test_view_matrix(case: Case, world: World) -> None:
    url = reverse(case.name, kwargs=case.kwargs(world))
    mismatches = []
    for role in ROLES:
        client = Client()
        if world.people[role] is not None:
            client.force_login(world.people[role])
        with transaction.atomic():
            response = getattr(client, case.method)(url, case.data(world))
            transaction.set_rollback(True)
        got = outcome(response)
        if got != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {got}")
    assert not mismatches, f"{case.method.upper()} {url}\n" + "\n".join(mismatches)


def _named_project_views() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern) and pattern.name and namespace in PROJECT_NAMESPACES
            ):
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_view_is_in_the_matrix() -> None:
    missing = _named_project_views() - {case.name for case in CASES}
    assert not missing, f"Add these views to the permission matrix: {sorted(missing)}"


def test_every_view_declares_a_rule() -> None:
    undeclared = [
        name for name in _named_project_views() if not hasattr(_view(name), "permission_rule")
    ]
    assert not undeclared, f"Views without a permission rule: {sorted(undeclared)}"


def _view(name: str) -> Any:
    """The view function behind a named URL, found by trying the argument shapes we use."""
    shapes: list[dict[str, Any]] = [
        {},
        {"slug": "x"},
        {"pk": 1},
        {"slug": "x", "pk": 1},
        {"seq": 1},
        {"code": "x", "extension": "csv"},
        {"slug": "x", "code": "x"},
        {"token": "x"},
    ]
    for kwargs in shapes:
        try:
            return resolve(reverse(name, kwargs=kwargs)).func
        except NoReverseMatch:
            continue
    raise AssertionError(f"Cannot reverse {name}")


@pytest.mark.django_db
def test_staff_without_two_factor_are_sent_to_set_it_up() -> None:
    from coproduce.accounts.tests.factories import UserFactory
    from coproduce.organisations.tests.factories import MembershipFactory

    user = UserFactory(email="nomfa@example.org", mfa=False)
    MembershipFactory(user=user, role="professional")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("services:staff_dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
