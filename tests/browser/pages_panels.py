"""Walks through the citizen-panel pages (issue 13), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own panels with the real actions, in the recovery service that the council's
administrator runs; the draw runs in-process (``tasks.run_selection``), as the worker would.
"""

from __future__ import annotations

from typing import Any

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff

ADDRESSES = "property_reference,address_line_1,postcode,area\n" + "".join(
    f"P{n:03d},{n} Station Road,NF1 {n % 9}AB,North\n" for n in range(1, 9)
)


def make_panel_in(phase: str, title: str, *, selected: bool = False) -> Any:
    """A panel of the recovery service run by the council's administrator, in ``phase``, with
    letters drawn and twelve volunteers; ``selected``: its draw done."""
    from coproduce.accounts.models import User
    from coproduce.panels import actions_selection
    from coproduce.panels.models import PHASE_ORDER, Phase
    from coproduce.panels.tasks import run_selection
    from coproduce.panels.tests.factories import advance, make_panel, register, small_pool
    from coproduce.services.models import ActivityKind, ActivityState, Service
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=Service.objects.get(slug=RECOVERY),
        kind=ActivityKind.CITIZEN_PANEL,
        state=ActivityState.OPEN,
        title=title,
    )
    coordinator = User.objects.get(email=COUNCIL_ADMIN)
    setup = make_panel(activity=activity, staff=coordinator, allow_volunteers=True)
    advance(setup, Phase.INVITATIONS)
    actions_selection.invitations_import(
        panel=setup.panel, by=coordinator, text=ADDRESSES, source="addresses.csv"
    )
    actions_selection.invitations_draw(panel=setup.panel, by=coordinator, count=4, seed=7)
    if PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.REGISTRATION):
        advance(setup, Phase.REGISTRATION)
        for answers in small_pool():
            register(setup, answers)
    if selected:
        advance(setup, Phase.SELECTION)
        committed = actions_selection.seed_commit(panel=setup.panel, by=coordinator, seed=2026)
        actions_selection.selection_start(selection=committed, by=coordinator)
        run_selection(committed.pk)
    advance(setup, phase)
    setup.panel.refresh_from_db()
    return setup


def deliberating(title: str) -> Any:
    """A selected panel deliberating, with the demo resident a member and one session."""
    from django.utils import timezone

    from coproduce.panels import actions_deliberation
    from coproduce.panels.models import Phase

    setup = make_panel_in(Phase.DELIBERATION, title, selected=True)
    actions_deliberation.member_add(panel=setup.panel, by=setup.staff, email=RESIDENT)
    actions_deliberation.session_create(
        panel=setup.panel,
        by=setup.staff,
        title="What the service does now",
        starts_at=timezone.now(),
        place="Recovery hub, 14 Station Road",
    )
    return setup


@public(
    user=None,
    covers={
        "panels:panel_detail",
        "panels:register",
        "panels:registered",
        "panels:my_place",
        "panels:selection_report",
        "panels:how_chosen",
    },
)
def a_citizen_panel_without_an_account(a: Auditor) -> None:
    from django.utils import timezone

    from coproduce.panels import actions
    from coproduce.panels.models import Phase, RegistrationData
    from coproduce.panels.tokens import my_place_token

    registering = make_panel_in(Phase.REGISTRATION, "Recovery panel: registering")
    panel = registering.panel
    code = str(panel.invitations.exclude(registration_code=None).first().registration_code)
    a.goto(panel.activity.get_absolute_url())
    a.goto(a.url("panels:panel_detail", panel.pk), heading="Recovery panel: registering")
    a.goto(a.url("panels:register", panel.pk), heading="Register with the code")
    a.field("Your registration code").fill("NOTACODE")
    a.submit(a.button("Continue"))
    a.errors_shown()
    a.field("Your registration code").fill(code)
    a.submit(a.button("Continue"), heading="Register for the citizen panel")
    a.submit(a.button("Register"), heading="Register for the citizen panel")
    a.errors_shown()
    a.goto(a.url("panels:registered", panel.pk), heading="You have registered")
    a.goto(a.url("panels:how_chosen"), heading="How were you chosen?")

    chosen = make_panel_in(Phase.SELECTION, "Recovery panel: chosen", selected=True)
    a.goto(a.url("panels:selection_report", chosen.panel.pk), heading="How the members were")
    someone = chosen.panel.registrants.first()
    a.goto(a.url("panels:my_place", my_place_token(someone)), heading="Your place")

    # Once the registration data are deleted, so are the pool files (decision 0124).
    ended = make_panel_in(Phase.CLOSED, "Recovery panel: ended", selected=True).panel
    data = RegistrationData.objects.filter(registrant__panel=ended)
    data.update(delete_after=timezone.localdate())
    actions.registration_data_purge()
    a.goto(a.url("panels:selection_report", ended.pk), heading="How the members were")
    a.goto(a.url("panels:pool_export", ended.pk), status=410, heading="The pool files have been")


@public(
    user=RESIDENT,
    covers={
        "panels:workspace",
        "panels:recommendations",
        "panels:recommendation_add",
        "panels:recommendation_detail",
        "panels:recommendation_vote",
    },
)
def a_citizen_panel_as_a_member(a: Auditor) -> None:
    from coproduce.panels import actions_deliberation

    setup = deliberating("Recovery panel: deliberating")
    panel = setup.panel
    a.goto(a.url("panels:workspace", panel.pk), heading="Panel workspace")
    a.goto(a.url("panels:recommendation_add", panel.pk), heading="Draft a recommendation")
    a.submit(a.button("Save the draft"))
    a.errors_shown()
    a.field("Title").fill("Open the hub on Saturdays")
    a.field("The recommendation").fill("From 10am to 2pm, with a peer mentor.")
    a.submit(a.button("Save the draft"))
    recommendation = panel.recommendations.get(title="Open the hub on Saturdays")
    actions_deliberation.voting_open(panel=panel, by=setup.staff)
    a.goto(a.url("panels:recommendation_detail", recommendation.pk), heading="Open the hub")
    a.goto(a.url("panels:recommendation_vote", recommendation.pk), heading="Open the hub")
    a.submit(a.button("Save my vote"))
    a.errors_shown()
    a.goto(a.url("panels:recommendations", panel.pk), heading="What the citizen panel recommends")


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "panels:manage",
        "panels:panel_edit",
        "panels:phase_set",
        "panels:quotas",
        "panels:census_import",
        "panels:invitations",
        "panels:registrants",
        "panels:feasibility",
        "panels:selection",
        "panels:selection_status",
    },
)
def a_citizen_panel_as_coordinator(a: Auditor) -> None:
    from coproduce.panels.models import Phase
    from coproduce.services.models import ActivityKind, ActivityState, Service
    from coproduce.services.tests.factories import ActivityFactory

    fresh = ActivityFactory(
        service=Service.objects.get(slug=RECOVERY),
        kind=ActivityKind.CITIZEN_PANEL,
        state=ActivityState.DRAFT,
        title="Recovery panel: to set up",
    )
    a.goto(a.url("panels:manage", fresh.pk), heading="Set up the citizen panel")
    a.submit(a.button("Set up the panel"), heading="Set up the citizen panel")
    a.errors_shown()

    # Categories are added until registration opens (decision 0120).
    inviting = make_panel_in(Phase.INVITATIONS, "Recovery panel: inviting").panel
    a.goto(a.url("panels:quotas", inviting.pk), heading="Quotas")
    a.submit(a.button("Add the category"), heading="Quotas")
    a.errors_shown()

    setup = make_panel_in(Phase.REGISTRATION, "Recovery panel: coordinating")
    panel = setup.panel
    a.goto(a.url("panels:manage", panel.pk), heading="Run the panel")
    a.goto(a.url("panels:panel_edit", panel.pk))
    a.goto(a.url("panels:quotas", panel.pk), heading="Quotas")
    a.goto(a.url("panels:census_import", panel.pk), heading="Quotas from census shares")
    a.goto(a.url("panels:invitations", panel.pk), heading="Addresses and invitations")
    a.goto(a.url("panels:registrants", panel.pk), heading="Registrants")
    a.goto(a.url("panels:feasibility", panel.pk), heading="Can the quotas be met?")
    a.goto(a.url("panels:manage", panel.pk), heading="Run the panel")
    a.submit(a.page.get_by_role("button", name="Move to the next phase").first)
    a.goto(a.url("panels:selection", panel.pk), heading="Selection")
    a.submit(a.button("Commit the seed"), heading="Selection")
    a.submit(a.button("Start the draw"), heading="Draw of the panel")

    chosen = make_panel_in(Phase.SELECTION, "Recovery panel: drawn", selected=True)
    selection = chosen.panel.selections.latest("pk")
    a.goto(a.url("panels:selection_status", selection.pk), heading="Draw of the panel")
    a.goto(a.url("panels:quotas", chosen.panel.pk), heading="Quotas")  # a record, once drawn


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "panels:session_add",
        "panels:session_edit",
        "panels:voting",
        "panels:members",
    },
)
def a_citizen_panel_deliberating_as_coordinator(a: Auditor) -> None:
    from coproduce.accounts.models import User
    from coproduce.panels import actions_deliberation

    setup = deliberating("Recovery panel: sessions")
    panel = setup.panel
    a.goto(a.url("panels:members", panel.pk), heading="Panel members")
    a.submit(a.button("Add the member"), heading="Panel members")
    a.errors_shown()
    a.goto(a.url("panels:session_add", panel.pk))
    a.submit(a.button("Save the session"))
    a.errors_shown()
    a.goto(a.url("panels:session_edit", panel.sessions.get().pk))
    a.goto(a.url("panels:voting", panel.pk), heading="The members’ vote")

    # While the vote is open the panel cannot end: the page says so instead of the button.
    actions_deliberation.recommendation_draft(
        panel=panel,
        by=User.objects.get(email=RESIDENT),
        title="Open the hub on Saturdays",
        text="From 10am to 2pm, with a peer mentor.",
    )
    actions_deliberation.voting_open(panel=panel, by=setup.staff)
    a.goto(a.url("panels:manage", panel.pk), heading="Run the panel")
    assert a.page.locator("#phase-blocked").count() == 1
