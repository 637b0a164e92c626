"""The site's own pages: services, organisations, accounts, contributions, notifications, Welsh,
search, the public ledger and open data, equality monitoring and data rights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.cases_insight import insight
from tests.security.permission_matrix.common import (
    CREATE_SERVICE,
    DENIED,
    DRAFT_ACTIVITY_STAFF,
    HIDDEN,
    LOGIN,
    MANAGE_DRAFT,
    MANAGE_SERVICE,
    OK,
    ORG_ADMINS,
    OWNER_MEMBERS,
    PUBLIC,
    RUN_ACTIVITIES,
    SIGNED_IN,
    STAFF_ANYWHERE,
    Case,
    draft,
    draft_activity,
    nothing,
    open_activity,
    posted,
    published,
    row,
)

# Services, organisations, accounts and contributions.
SITE_CASES = [
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

NOTIFICATION_CASES = [
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


WELSH_CASES = [
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
SEARCH_CASES = [
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
TRANSPARENCY_CASES = [
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
def dataset(code: str, extension: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"code": code, "extension": extension}


TRANSPARENCY_CASES += [
    Case("transparency:catalogue", nothing, PUBLIC),
    Case("transparency:catalogue_json", nothing, PUBLIC),
    *(
        Case(
            "transparency:download",
            dataset(code, extension),
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
        dataset("nothing", "csv"),
        row(*[HIDDEN] * 7),
        label="missing",
    ),
]


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
EQUALITY_CASES = [
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
PRIVACY_CASES = [
    Case("privacy:data", nothing, SIGNED_IN),
    Case("privacy:data", nothing, SIGNED_IN, method="post", label="ask"),
    Case("privacy:download", _data_export, row(LOGIN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    Case("privacy:delete", nothing, SIGNED_IN),
    Case("privacy:delete", nothing, SIGNED_IN, method="post", label="without a password"),
]
