"""The public pages of a participatory budget: the activity page, the budget and its map, proposing,
the proposal page, and a rule declared by every public page (voting: test_public_voting.py;
results and receipts: test_public_results.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions
from coproduce.budgeting.models import Feasibility, Phase, Proposal
from coproduce.budgeting.tests.factories import (
    BudgetSetup,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)
from coproduce.budgeting.tests.public_pages import budget_url, publish_results
from coproduce.budgeting.tests.staff_pages import page_of, signed_in
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- The activity page, the budget page, the map ----------------------------------------------


def test_the_activity_page_says_the_phase_and_links_to_the_budget() -> None:
    setup = make_budget(proposals_close_on="2026-12-31")
    page = page_of(signed_in().get(setup.budget.activity.get_absolute_url()))
    assert "Proposals" in page
    assert "£100,000" in page
    assert "31 December 2026" in page
    assert setup.budget.get_absolute_url() in page


def test_the_activity_page_says_a_budget_is_not_set_up_yet() -> None:
    activity = ActivityFactory(kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN)
    page = page_of(signed_in().get(activity.get_absolute_url()))
    assert "not set up yet" in page


def test_the_budget_page_shows_money_phases_proposals_and_their_feasibility() -> None:
    setup = make_budget(areas=(("North", 60_000), ("South", 40_000)))
    feasible = make_proposal(setup, title="Benches by the pond")
    refused = make_proposal(
        setup, title="A new motorway", feasibility=Feasibility.NOT_FEASIBLE, area=setup.areas[1]
    )
    response = signed_in().get(setup.budget.get_absolute_url())
    page = page_of(response)
    assert response.status_code == 200
    assert "North" in page
    assert "£60,000" in page
    assert "£100,000" in page
    assert 'id="phases"' in page
    assert "Feasibility review" in page
    assert feasible.title in page
    assert refused.title in page
    assert "Not feasible" in page
    assert reverse("budgeting:how_counting_works") in page


def test_during_voting_the_budget_page_lists_only_the_projects_on_the_ballot() -> None:
    setup = make_budget()
    on = make_proposal(setup, title="On the ballot")
    off = make_proposal(setup, title="Refused one", feasibility=Feasibility.NOT_FEASIBLE)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    page = page_of(signed_in().get(setup.budget.get_absolute_url()))
    assert on.title in page
    assert off.title not in page
    assert budget_url("ballot", setup) in page


def test_the_budget_page_of_a_draft_activity_is_not_found() -> None:
    setup = make_budget(state=ActivityState.DRAFT)
    assert signed_in().get(setup.budget.get_absolute_url()).status_code == 404
    assert signed_in(UserFactory()).get(budget_url("ballot", setup)).status_code == 404


def _located(setup: BudgetSetup) -> Proposal:
    proposal = make_proposal(setup, title="Trees on the high street")
    Proposal.objects.filter(pk=proposal.pk).update(latitude="51.50735", longitude="-0.12776")
    return proposal


def test_without_a_tile_server_the_places_are_listed_without_a_map(settings: Any) -> None:
    settings.MAP_TILE_URL = ""
    setup = make_budget()
    proposal = _located(setup)
    page = page_of(signed_in().get(setup.budget.get_absolute_url()))
    assert 'id="places-list"' in page
    assert proposal.get_absolute_url() in page
    assert 'id="budget-map"' not in page
    assert "leaflet" not in page


def test_with_a_tile_server_the_map_reads_its_places_from_json(settings: Any) -> None:
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Tiles by Example"
    setup = make_budget()
    proposal = _located(setup)
    page = page_of(signed_in().get(setup.budget.get_absolute_url()))
    assert 'id="budget-map"' in page
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert 'id="budget-map-data"' in page
    assert "51.50735" in page
    assert "build/leaflet/leaflet.js" in page
    assert "js/budget-map.js" in page
    assert 'id="places-list"' in page
    assert proposal.get_absolute_url() in page
    # No inline script but the JSON data (which browsers never run).
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert all('type="application/json"' in attrs for attrs in scripts[1:])


def test_the_tile_server_is_allowed_in_the_content_security_policy() -> None:
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    def img_src(url: str) -> str:
        environment = {**os.environ, "COPRODUCE_MAP_TILE_URL": url}
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import coproduce.config.settings as s; "
                "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])",
            ],
            cwd=django_settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    assert "https://*.tile.example.org" in img_src("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "tile" not in img_src("")


def test_the_summary_in_the_spine_lists_shows_the_proposal() -> None:
    from django.template.loader import render_to_string

    setup = make_budget()
    proposal = make_proposal(setup, title="A skate park")
    html = render_to_string(
        "budgeting/_proposal_summary.html",
        {"contribution": proposal.contribution, "detail": proposal},
    )
    assert "A skate park" in html
    assert "£10,000" in html
    assert "Feasible" in html


# --- Proposing ---------------------------------------------------------------------------------


def test_a_resident_proposes_a_project_with_a_picture(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    setup = make_budget(areas=(("North", 60_000), ("South", 40_000)))
    resident = UserFactory()
    client = signed_in(resident)
    form = page_of(client.get(budget_url("proposal_create", setup)))
    assert "North (£60,000)" in form
    token = re.search(r'name="one_time_token" value="([^"]+)"', form)
    assert token
    data = {
        "one_time_token": token.group(1),
        "title": "Swings",
        "description": "New swings in the park.",
        "estimated_cost": "5000",
        "area": str(setup.areas[1].pk),
        "latitude": "51.5",
        "longitude": "-0.1",
        "image_alt": "The old swings",
        "image": SimpleUploadedFile("swings.html", PNG, content_type="text/html"),
    }
    response = client.post(budget_url("proposal_create", setup), data)
    proposal = Proposal.objects.get(title="Swings")
    assert str(proposal.image.name).endswith(".png")  # named for what it is, not what it was called
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.area == setup.areas[1]
    assert proposal.estimated_cost == 5000
    assert proposal.contribution.author == resident
    page = page_of(client.get(proposal.get_absolute_url()))
    assert "Your proposal has been sent" in page
    assert 'alt="The old swings"' in page
    # Sent again (Back and send): nothing new.
    data["image"] = SimpleUploadedFile("swings.png", PNG, content_type="image/png")
    again = client.post(budget_url("proposal_create", setup), data)
    assert again.status_code == 302
    assert Proposal.objects.filter(title="Swings").count() == 1


def test_a_proposal_with_mistakes_comes_back_with_clear_errors() -> None:
    setup = make_budget(areas=(("Whole borough", 20_000),))
    client = signed_in(UserFactory())
    response = client.post(
        budget_url("proposal_create", setup),
        {
            "title": "",
            "description": "Something",
            "estimated_cost": "£5k",
            "latitude": "51.5",
            "image": SimpleUploadedFile("x.png", b"GIF89a" + b"\x00" * 20),
        },
    )
    page = page_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a title for your project." in page
    assert "Enter the cost as a whole number" in page
    assert "Give both the latitude and the longitude" in page
    assert "must be a JPEG, PNG or WebP file" in page
    assert 'value="Something"' not in page  # a textarea keeps it as text
    assert "Something" in page
    too_dear = client.post(
        budget_url("proposal_create", setup),
        {"title": "Big", "description": "Big thing", "estimated_cost": "50000"},
    )
    assert "more than the area’s whole budget of £20,000" in page_of(too_dear)
    assert not Proposal.objects.exists()


def test_a_picture_over_5_mb_is_refused() -> None:
    setup = make_budget()
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024))
    response = signed_in(UserFactory()).post(
        budget_url("proposal_create", setup),
        {"title": "T", "description": "D", "estimated_cost": "10", "image": big, "image_alt": "x"},
    )
    assert "smaller than 5 MB" in page_of(response)


def test_only_signed_in_people_propose_and_only_in_the_proposals_phase() -> None:
    setup = make_budget()
    assert signed_in().get(budget_url("proposal_create", setup)).status_code == 302
    make_proposal(setup)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    assert signed_in(UserFactory()).get(budget_url("proposal_create", setup)).status_code == 403


def test_the_proposal_page_shows_costs_answers_origin_and_delivery(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    setup = make_voting(costs=(40_000, 30_000))
    proposal = setup.proposals[0]
    vote(setup, [proposal])
    publish_results(setup)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.DELIVERY)
    import datetime as dt

    proposal.refresh_from_db()
    actions.delivery_update_add(
        proposal=proposal,
        by=setup.staff,
        status="in_progress",
        note="Work has started.",
        on=dt.date(2026, 5, 1),
        photo=SimpleUploadedFile("work.png", PNG),
        photo_alt="Diggers in the park",
    )
    page = page_of(signed_in().get(proposal.get_absolute_url()))
    assert proposal.title in page
    assert "£40,000" in page
    assert 'id="reviewed-cost"' in page
    assert "Feasible: this proposal goes on the ballot" in page  # the spine's answer
    assert "Funded, with 1 votes" in page
    assert "Work has started." in page
    assert "1 May 2026" in page
    assert 'alt="Diggers in the park"' in page
    budget_page = page_of(signed_in().get(setup.budget.get_absolute_url()))
    assert 'id="delivery"' in budget_page
    assert "In progress" in budget_page


def test_a_proposal_brought_forward_links_to_its_idea() -> None:
    from coproduce.contributions.models import Contribution

    setup = make_budget()
    idea_activity = ActivityFactory(
        kind=ActivityKind.IDEA_CHALLENGE,
        state=ActivityState.OPEN,
        service=setup.budget.activity.service,
    )
    author = UserFactory()
    posted = signed_in(author).post(
        reverse("codesign:idea_create", args=[idea_activity.pk]),
        {
            "title": "A youth club",
            "description": "Open on Fridays.",
            "author_display": "first_name",
        },
    )
    assert posted.status_code == 302
    idea = Contribution.objects.get(kind="idea", activity=idea_activity)
    proposal = actions.proposal_bring_forward(
        budget=setup.budget, by=setup.staff, idea=idea, area=setup.area, estimated_cost=1000
    )
    page = page_of(signed_in().get(proposal.get_absolute_url()))
    assert 'id="origin"' in page
    assert idea.get_absolute_url() in page


def test_a_proposal_waiting_for_moderation_is_hidden_from_others() -> None:
    setup = make_budget()
    activity = setup.budget.activity
    activity.premoderation = True
    activity.save()
    author = UserFactory()
    proposal = make_proposal(setup, author=author, feasibility=None)
    assert signed_in().get(proposal.get_absolute_url()).status_code == 404
    assert signed_in(UserFactory()).get(proposal.get_absolute_url()).status_code == 404
    assert signed_in(author).get(proposal.get_absolute_url()).status_code == 200


# --- Every public page -------------------------------------------------------------------------


def test_every_public_page_declares_its_rule() -> None:
    from coproduce.budgeting.views import public, voting

    for module, name in (
        (public, "budget_detail"),
        (public, "proposal_create"),
        (public, "proposal_detail"),
        (voting, "ballot"),
        (voting, "ballot_review"),
        (voting, "ballot_done"),
        (voting, "ballot_code"),
        (public, "results"),
        (public, "receipt_check"),
        (public, "how_counting_works"),
    ):
        assert hasattr(getattr(module, name), "permission_rule"), name
