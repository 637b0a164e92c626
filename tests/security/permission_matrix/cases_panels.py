"""Citizen panels: the pages (the panels API is in tests/security/test_api_matrix_panels.py, which
builds its panels with panel_made)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    DENIED,
    DRAFT_ACTIVITY_STAFF,
    LOGIN,
    OK,
    OWNER_MEMBERS,
    PUBLIC,
    RUN_ACTIVITIES,
    Case,
    nothing,
    posted,
    row,
)


# Citizen panels (coproduce/panels): public pages with the activity; registration while the panel
# registers; the selection report and pool once the draw is done; the workspace for members (the
# world's resident is one) and coordinators; staff pages for those who run the activities.
def panel_made(w: World, which: str) -> Any:
    """A panel of the world's published service, made once per world: "registration" (letters
    drawn), "selected" (its draw done), "deliberation" (the resident a member, with a published
    recommendation and one in the members' vote) or "draft" (its activity a draft)."""
    made = w.people.setdefault("_panelling", {})
    if which not in made:
        from coproduce.panels import actions_deliberation, actions_selection
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
            committed = actions_selection.seed_commit(panel=setup.panel, by=staff, seed=42)
            actions_selection.selection_start(selection=committed, by=staff)
            run_selection(committed.pk)
        if which == "deliberation":
            advance(setup, Phase.DELIBERATION)
            member = w.people["resident"]
            actions_deliberation.member_add(panel=setup.panel, by=staff, email=member.email)
            session = actions_deliberation.session_create(
                panel=setup.panel,
                by=staff,
                title="First session",
                starts_at=timezone.now(),
                place="Town hall",
            )
            made["session"] = session
            passed = actions_deliberation.recommendation_draft(
                panel=setup.panel, by=member, title="Open later", text="Until 10pm."
            )
            actions_deliberation.voting_open(panel=setup.panel, by=staff)
            actions_deliberation.vote_cast(recommendation=passed, by=member, supports=True)
            actions_deliberation.voting_close(panel=setup.panel, by=staff)
            made["published"] = passed
            made["in_vote"] = actions_deliberation.recommendation_draft(
                panel=setup.panel, by=member, title="More benches", text="In the park."
            )
            actions_deliberation.voting_open(panel=setup.panel, by=staff)
        made[which] = setup.panel
    return made[which]


def panel(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": panel_made(w, which).pk}


def panel_part(which: str, part: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(w: World) -> dict[str, Any]:
        panel_made(w, which)
        return {"pk": w.people["_panelling"][part].pk}

    return kwargs


def latest_selection(w: World) -> dict[str, Any]:
    return {"pk": panel_made(w, "selected").selections.latest("pk").pk}


def my_place(w: World) -> dict[str, Any]:
    from coproduce.panels.tokens import my_place_token

    return {"token": my_place_token(panel_made(w, "selected").registrants.first())}


WORKSPACE = row(LOGIN, OK, OK, OK, DENIED, OK, OK)
MEMBERS_ONLY = row(LOGIN, OK, DENIED, DENIED, DENIED, DENIED, DENIED)
PANEL_CASES = [
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
