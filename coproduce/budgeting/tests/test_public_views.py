"""The public pages of a participatory budget: the budget and its map, proposing, each kind of
ballot cast through the pages (with mistakes, changes and the receipt), voting codes,
eligibility, results and the receipt check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions
from coproduce.budgeting.models import Ballot, BallotType, Feasibility, Phase, Proposal, Rule
from coproduce.budgeting.tests.factories import (
    BudgetSetup,
    close_and_count,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, setup: BudgetSetup) -> str:
    return reverse(f"budgeting:{name}", args=[setup.budget.pk])


def _text(response: Any) -> str:
    return str(response.content.decode())


def _receipt(page: str) -> str:
    found = re.search(r'id="receipt-code">([A-Z0-9-]+)<', page)
    assert found, "no receipt code on the page"
    return found.group(1)


def _publish(setup: BudgetSetup) -> None:
    close_and_count(setup)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)


# --- The activity page, the budget page, the map ----------------------------------------------


def test_the_activity_page_says_the_phase_and_links_to_the_budget() -> None:
    setup = make_budget(proposals_close_on="2026-12-31")
    page = _text(_client().get(setup.budget.activity.get_absolute_url()))
    assert "Proposals" in page
    assert "£100,000" in page
    assert "31 December 2026" in page
    assert setup.budget.get_absolute_url() in page


def test_the_activity_page_says_a_budget_is_not_set_up_yet() -> None:
    activity = ActivityFactory(kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN)
    page = _text(_client().get(activity.get_absolute_url()))
    assert "not set up yet" in page


def test_the_budget_page_shows_money_phases_proposals_and_their_feasibility() -> None:
    setup = make_budget(areas=(("North", 60_000), ("South", 40_000)))
    feasible = make_proposal(setup, title="Benches by the pond")
    refused = make_proposal(
        setup, title="A new motorway", feasibility=Feasibility.NOT_FEASIBLE, area=setup.areas[1]
    )
    response = _client().get(setup.budget.get_absolute_url())
    page = _text(response)
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
    page = _text(_client().get(setup.budget.get_absolute_url()))
    assert on.title in page
    assert off.title not in page
    assert _url("ballot", setup) in page


def test_the_budget_page_of_a_draft_activity_is_not_found() -> None:
    setup = make_budget(state=ActivityState.DRAFT)
    assert _client().get(setup.budget.get_absolute_url()).status_code == 404
    assert _client(UserFactory()).get(_url("ballot", setup)).status_code == 404


def _located(setup: BudgetSetup) -> Proposal:
    proposal = make_proposal(setup, title="Trees on the high street")
    Proposal.objects.filter(pk=proposal.pk).update(latitude="51.50735", longitude="-0.12776")
    return proposal


def test_without_a_tile_server_the_places_are_listed_without_a_map(settings: Any) -> None:
    settings.MAP_TILE_URL = ""
    setup = make_budget()
    proposal = _located(setup)
    page = _text(_client().get(setup.budget.get_absolute_url()))
    assert 'id="places-list"' in page
    assert proposal.get_absolute_url() in page
    assert 'id="budget-map"' not in page
    assert "leaflet" not in page


def test_with_a_tile_server_the_map_reads_its_places_from_json(settings: Any) -> None:
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Tiles by Example"
    setup = make_budget()
    proposal = _located(setup)
    page = _text(_client().get(setup.budget.get_absolute_url()))
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
    client = _client(resident)
    form = _text(client.get(_url("proposal_create", setup)))
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
    response = client.post(_url("proposal_create", setup), data)
    proposal = Proposal.objects.get(title="Swings")
    assert str(proposal.image.name).endswith(".png")  # named for what it is, not what it was called
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.area == setup.areas[1]
    assert proposal.estimated_cost == 5000
    assert proposal.contribution.author == resident
    page = _text(client.get(proposal.get_absolute_url()))
    assert "Your proposal has been sent" in page
    assert 'alt="The old swings"' in page
    # Sent again (Back and send): nothing new.
    data["image"] = SimpleUploadedFile("swings.png", PNG, content_type="image/png")
    again = client.post(_url("proposal_create", setup), data)
    assert again.status_code == 302
    assert Proposal.objects.filter(title="Swings").count() == 1


def test_a_proposal_with_mistakes_comes_back_with_clear_errors() -> None:
    setup = make_budget(areas=(("Whole borough", 20_000),))
    client = _client(UserFactory())
    response = client.post(
        _url("proposal_create", setup),
        {
            "title": "",
            "description": "Something",
            "estimated_cost": "£5k",
            "latitude": "51.5",
            "image": SimpleUploadedFile("x.png", b"GIF89a" + b"\x00" * 20),
        },
    )
    page = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a title for your project." in page
    assert "Enter the cost as a whole number" in page
    assert "Give both the latitude and the longitude" in page
    assert "must be a JPEG, PNG or WebP file" in page
    assert 'value="Something"' not in page  # a textarea keeps it as text
    assert "Something" in page
    too_dear = client.post(
        _url("proposal_create", setup),
        {"title": "Big", "description": "Big thing", "estimated_cost": "50000"},
    )
    assert "more than the area’s whole budget of £20,000" in _text(too_dear)
    assert not Proposal.objects.exists()


def test_a_picture_over_5_mb_is_refused() -> None:
    setup = make_budget()
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024))
    response = _client(UserFactory()).post(
        _url("proposal_create", setup),
        {"title": "T", "description": "D", "estimated_cost": "10", "image": big, "image_alt": "x"},
    )
    assert "smaller than 5 MB" in _text(response)


def test_only_signed_in_people_propose_and_only_in_the_proposals_phase() -> None:
    setup = make_budget()
    assert _client().get(_url("proposal_create", setup)).status_code == 302
    make_proposal(setup)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    assert _client(UserFactory()).get(_url("proposal_create", setup)).status_code == 403


def test_the_proposal_page_shows_costs_answers_origin_and_delivery(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    setup = make_voting(costs=(40_000, 30_000))
    proposal = setup.proposals[0]
    vote(setup, [proposal])
    _publish(setup)
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
    page = _text(_client().get(proposal.get_absolute_url()))
    assert proposal.title in page
    assert "£40,000" in page
    assert 'id="reviewed-cost"' in page
    assert "Feasible: this proposal goes on the ballot" in page  # the spine's answer
    assert "Funded, with 1 votes" in page
    assert "Work has started." in page
    assert "1 May 2026" in page
    assert 'alt="Diggers in the park"' in page
    budget_page = _text(_client().get(setup.budget.get_absolute_url()))
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
    posted = _client(author).post(
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
    page = _text(_client().get(proposal.get_absolute_url()))
    assert 'id="origin"' in page
    assert idea.get_absolute_url() in page


def test_a_proposal_waiting_for_moderation_is_hidden_from_others() -> None:
    setup = make_budget()
    activity = setup.budget.activity
    activity.premoderation = True
    activity.save()
    author = UserFactory()
    proposal = make_proposal(setup, author=author, feasibility=None)
    assert _client().get(proposal.get_absolute_url()).status_code == 404
    assert _client(UserFactory()).get(proposal.get_absolute_url()).status_code == 404
    assert _client(author).get(proposal.get_absolute_url()).status_code == 200


# --- Voting through the pages ------------------------------------------------------------------


def _ballot(
    client: Client, setup: BudgetSetup, data: dict[str, Any], *, follow_review: bool = True
) -> Any:
    """Send the ballot page; return the review page (or the ballot page with its errors)."""
    response = client.post(_url("ballot", setup), {"area": setup.area.pk, **data})
    if response.status_code == 302 and follow_review:
        assert response["Location"] == _url("ballot_review", setup)
        return client.get(response["Location"])
    return response


def _cast(client: Client, setup: BudgetSetup) -> str:
    response = client.post(_url("ballot_review", setup))
    assert response.status_code == 302, _text(response)
    assert response["Location"] == _url("ballot_done", setup)
    return _receipt(_text(client.get(_url("ballot_done", setup))))


def _values(ballot: Ballot) -> dict[int, int]:
    return dict(ballot.choices.values_list("proposal_id", "value"))


def test_approval_ballot_with_too_many_choices_then_fixed_then_changed() -> None:
    setup = make_voting(ballot_type=BallotType.APPROVAL, min_choices=1, max_choices=2)
    p1, p2, p3, _p4 = setup.proposals
    resident = UserFactory()
    client = _client(resident)
    form = _text(client.get(_url("ballot", setup)))
    assert "Choose between 1 and 2 projects." in form
    assert p1.title in form
    review = _text(_ballot(client, setup, {"projects": [p1.pk, p2.pk, p3.pk]}))
    assert "Choose no more than 2 projects: take 1 off." in review
    assert "Cast my vote" not in review
    # "Change" keeps the choices.
    again = _text(client.get(_url("ballot", setup)))
    assert again.count(" checked") == 3
    review = _text(_ballot(client, setup, {"projects": [p1.pk, p2.pk]}))
    assert "Cast my vote" in review
    assert p1.title in review
    receipt = _cast(client, setup)
    ballot = Ballot.objects.get(voter=resident)
    assert _values(ballot) == {p1.pk: 1, p2.pk: 1}
    assert ballot.public_id == actions.public_id_for(receipt)
    # The receipt is shown once.
    shown_again = _text(client.get(_url("ballot_done", setup)))
    assert receipt not in shown_again
    assert "shown once" in shown_again
    # Change of vote: the ballot page is filled in with the vote cast.
    prefilled = _text(client.get(_url("ballot", setup)))
    assert "Change your vote" in prefilled
    assert prefilled.count(" checked") == 2
    review = _text(_ballot(client, setup, {"projects": [p3.pk]}))
    assert "Change my vote" in review
    new_receipt = _cast(client, setup)
    assert new_receipt != receipt
    assert Ballot.objects.filter(budget=setup.budget).count() == 1
    assert _values(Ballot.objects.get(voter=resident)) == {p3.pk: 1}


def test_knapsack_ballot_shows_the_total_and_refuses_going_over() -> None:
    setup = make_voting(ballot_type=BallotType.KNAPSACK, costs=(60_000, 50_000, 20_000))
    p1, p2, p3 = setup.proposals
    client = _client(UserFactory())
    form = _text(client.get(_url("ballot", setup)))
    assert 'data-cost="60000"' in form
    assert 'id="running-total"' in form
    review = _text(_ballot(client, setup, {"projects": [p1.pk, p2.pk]}))
    assert "Your projects cost £110,000 but the budget is £100,000" in review
    assert "Cast my vote" not in review
    review = _text(_ballot(client, setup, {"projects": [p1.pk, p3.pk]}))
    assert "Total cost: <strong>£80,000</strong> of £100,000." in review
    assert "£20,000 left." in review
    _cast(client, setup)
    assert set(_values(Ballot.objects.get())) == {p1.pk, p3.pk}


def test_cumulative_ballot_keeps_the_points_when_there_are_too_many() -> None:
    setup = make_voting(ballot_type=BallotType.CUMULATIVE, points=10)
    p1, p2, _p3, _p4 = setup.proposals
    client = _client(UserFactory())
    form = _text(client.get(_url("ballot", setup)))
    assert "You have 10 points." in form
    bad = _ballot(client, setup, {f"points_{p1.pk}": "seven"}, follow_review=False)
    assert bad.status_code == 200
    assert "Enter the points as a whole number" in _text(bad)
    review = _text(_ballot(client, setup, {f"points_{p1.pk}": "8", f"points_{p2.pk}": "5"}))
    assert "You gave 13 points but have 10: take 3 off." in review
    back = _text(client.get(_url("ballot", setup)))
    assert 'value="8"' in back
    assert 'value="5"' in back
    review = _text(_ballot(client, setup, {f"points_{p1.pk}": "7", f"points_{p2.pk}": "2"}))
    assert "1 point is not used." in review
    _cast(client, setup)
    assert _values(Ballot.objects.get()) == {p1.pk: 7, p2.pk: 2}


def test_ranking_ballot_needs_each_rank_once() -> None:
    setup = make_voting(ballot_type=BallotType.RANKING, min_choices=1, max_choices=3)
    p1, p2, p3, p4 = setup.proposals
    client = _client(UserFactory())
    form = _text(client.get(_url("ballot", setup)))
    assert "Not ranked" in form
    assert "Rank up to 3 projects" in form
    review = _text(_ballot(client, setup, {f"rank_{p1.pk}": "1", f"rank_{p2.pk}": "1"}))
    assert "each number once" in review
    bad = _ballot(client, setup, {f"rank_{p1.pk}": "9"}, follow_review=False)
    assert "Choose a rank from the list." in _text(bad)
    review = _text(
        _ballot(client, setup, {f"rank_{p3.pk}": "1", f"rank_{p1.pk}": "2", f"rank_{p4.pk}": ""})
    )
    assert "Ranked 1" in review
    assert review.index(p3.title) < review.index(p1.title)
    _cast(client, setup)
    assert _values(Ballot.objects.get()) == {p3.pk: 1, p1.pk: 2}


def test_several_areas_start_with_the_choice_of_area() -> None:
    setup = make_budget(areas=(("North", 50_000), ("South", 50_000)))
    north = make_proposal(setup, title="North swings", area=setup.areas[0])
    south = make_proposal(setup, title="South benches", area=setup.areas[1])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    client = _client(UserFactory())
    first = _text(client.get(_url("ballot", setup)))
    assert "Choose your area" in first
    assert 'type="radio"' in first
    missing = _text(client.get(_url("ballot", setup) + "?area="))
    assert "Choose the area you live in." in missing
    south_page = _text(client.get(_url("ballot", setup) + f"?area={setup.areas[1].pk}"))
    assert south.title in south_page
    assert north.title not in south_page
    response = client.post(
        _url("ballot", setup), {"area": setup.areas[1].pk, "projects": [south.pk]}
    )
    assert response.status_code == 302
    _cast(client, setup)
    assert Ballot.objects.get().area == setup.areas[1]


def test_eligibility_errors_go_on_the_fields() -> None:
    setup = make_voting(postcode_prefixes="NF1 NF2", min_age=16)
    p1 = setup.proposals[0]
    client = _client(UserFactory())
    form = _text(client.get(_url("ballot", setup)))
    assert "Your postcode" in form
    assert "I am 16 or older" in form
    response = _ballot(client, setup, {"projects": [p1.pk], "postcode": "ZZ9 9ZZ"})
    page = _text(response)
    assert response.status_code == 200
    assert "This vote is for people who live in NF1, NF2" in page
    assert "Confirm that you are 16 or older to vote." in page
    assert 'href="#id_postcode"' in page
    assert 'href="#id_age_confirmed"' in page
    assert 'value="ZZ9 9ZZ"' in page
    assert not Ballot.objects.exists()
    _ballot(client, setup, {"projects": [p1.pk], "postcode": "nf2 4ab", "age_confirmed": "on"})
    _cast(client, setup)
    assert Ballot.objects.get().postcode_district == "NF2"


def test_voting_closed_or_not_open_is_a_clear_page() -> None:
    setup = make_budget()
    make_proposal(setup)
    client = _client(UserFactory())
    response = client.get(_url("ballot", setup))
    assert response.status_code == 403
    assert "Voting has not opened yet" in _text(response)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    client.post(_url("ballot", setup), {"area": setup.area.pk, "projects": [setup.proposals[0].pk]})
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    for name in ("ballot", "ballot_review"):
        response = client.get(_url(name, setup))
        assert response.status_code == 403
        assert "Voting has closed" in _text(response)
    response = client.post(_url("ballot_review", setup))
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_and_accountless_budgets_refuse_accounts() -> None:
    setup = make_voting()
    response = _client().get(_url("ballot", setup))
    assert response.status_code == 302
    assert "login" in response["Location"]
    codes_only = make_voting(accounts_may_vote=False, codes_may_vote=True)
    page = _client().get(_url("ballot", codes_only))
    assert page.status_code == 200
    assert _url("ballot_code", codes_only) in _text(page)
    refused = _client(UserFactory()).get(_url("ballot", codes_only))
    assert refused.status_code == 403
    assert "not open to people with an account" in _text(refused)


def test_a_person_without_an_account_votes_with_a_code_and_changes_the_vote() -> None:
    setup = make_voting(codes_may_vote=True, postcode_prefixes="NF1")
    code = actions.codes_generate(budget=setup.budget, by=setup.staff, count=2)[0]
    p1, p2 = setup.proposals[:2]
    client = _client()
    wrong = client.post(_url("ballot_code", setup), {"code": "AAAA-BBBB-CCCC"})
    assert "not one of this vote’s codes" in _text(wrong)
    response = client.post(_url("ballot_code", setup), {"code": code.lower()})
    assert response.status_code == 302
    assert response["Location"] == _url("ballot", setup)
    form = _text(client.get(_url("ballot", setup)))
    assert "voting with a voting code" in form
    assert "Your postcode" not in form  # code holders are eligible by their letter
    _ballot(client, setup, {"projects": [p1.pk]})
    receipt = _cast(client, setup)
    ballot = Ballot.objects.get()
    assert ballot.code is not None
    assert ballot.voter is None
    _ballot(client, setup, {"projects": [p2.pk]})
    assert receipt != _cast(client, setup)
    assert _values(Ballot.objects.get()) == {p2.pk: 1}


def test_guessing_voting_codes_is_refused(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "budget_code_attempt": "3/h/ip"}
    setup = make_voting(codes_may_vote=True)
    code = actions.codes_generate(budget=setup.budget, by=setup.staff, count=1)[0]
    client = _client()
    for guess in ("AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC"):
        assert client.post(_url("ballot_code", setup), {"code": guess}).status_code == 200
    refused = client.post(_url("ballot_code", setup), {"code": code})
    assert refused.status_code == 429
    assert "too many tries" in _text(refused)
    assert "How to vote" in _text(_client().get(_url("ballot", setup)))  # no code in the session


def test_casting_many_times_in_a_row_is_refused(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "budget_ballot_cast": "1/h/key"}
    setup = make_voting()
    resident = UserFactory()
    client = _client(resident)
    _ballot(client, setup, {"projects": [setup.proposals[0].pk]})
    _cast(client, setup)
    _ballot(client, setup, {"projects": [setup.proposals[1].pk]})
    refused = client.post(_url("ballot_review", setup))
    assert refused.status_code == 429
    assert "Nothing has changed" in _text(refused)
    assert _values(Ballot.objects.get(voter=resident)) == {setup.proposals[0].pk: 1}


def test_codes_are_refused_when_the_budget_does_not_use_them() -> None:
    setup = make_voting()
    response = _client().get(_url("ballot_code", setup))
    assert response.status_code == 403
    assert "does not use voting codes" in _text(response)


def test_review_and_done_without_a_ballot_go_back_to_the_ballot() -> None:
    setup = make_voting()
    client = _client(UserFactory())
    assert client.get(_url("ballot_review", setup))["Location"] == _url("ballot", setup)
    assert client.get(_url("ballot_done", setup))["Location"] == _url("ballot", setup)


def test_nonsense_on_the_ballot_never_fails() -> None:
    setup = make_voting()
    client = _client(UserFactory())
    for data in (
        {"area": "99999999999999999999"},
        {"area": "x"},
        {"area": setup.area.pk, "projects": ["abc"]},
        {"area": setup.area.pk, "projects": ["99999999"]},
    ):
        response = client.post(_url("ballot", setup), data)
        assert response.status_code in (200, 302)
    assert client.get(_url("ballot", setup) + "?area=9999999999999999999999").status_code == 200


# --- Results and receipts ----------------------------------------------------------------------


def _counted(**fields: Any) -> tuple[BudgetSetup, str]:
    """A budget whose result shows Equal Shares funding differently from a simple vote."""
    setup = make_voting(costs=(60_000, 40_000, 40_000), **fields)
    big, left1, left2 = setup.proposals
    receipt = ""
    for index in range(6):
        cast = vote(setup, [big])
        receipt = receipt or cast.receipt
        del index
    for _index in range(4):
        vote(setup, [left1, left2])
    _publish(setup)
    return setup, receipt


def test_results_show_funded_projects_reasons_comparison_and_the_check() -> None:
    setup, _receipt_code = _counted()
    response = _client().get(_url("results", setup))
    page = _text(response)
    assert response.status_code == 200
    count = setup.budget.counts.get()
    area = count.result["areas"][0]
    funded = {p["reference"] for p in area["projects"] if p["funded"]}
    for project in area["projects"]:
        assert project["title"] in page
    assert 'class="app-chart"' in page
    assert "<svg" in page
    assert 'id="votes-' in page
    assert "10 people voted." in page
    reasons = {p["reason"] for p in area["projects"] if not p["funded"]}
    from coproduce.budgeting.views.public import REASONS

    for reason in reasons:
        assert str(REASONS[reason]) in page
    if set(area["simple_vote"]) == funded:
        assert "would have funded the same projects" in page
    else:
        assert "would have funded different projects" in page
    assert area["ejr"]["checked"] is True
    assert ("Passed" in page) if area["ejr"]["passed"] else ("Failed" in page)
    assert count.method in page
    assert count.version in page
    assert "transparency" not in page or "/ledger/" in page
    assert _url("export_pb", setup) in page
    assert _url("ballots_csv", setup) in page


def test_results_words_for_each_reason_and_unchecked_proportionality() -> None:
    setup = make_voting(ballot_type=BallotType.CUMULATIVE, costs=(60_000, 50_000, 55_000))
    p1, p2, _p3 = setup.proposals
    vote(setup, {p1: 6, p2: 4})
    vote(setup, {p2: 10})
    _publish(setup)
    page = _text(_client().get(_url("results", setup)))
    assert "Not checked: the check works on ballots where people choose projects" in page
    assert "Nobody voted for it." in page  # p3
    assert "Points" in page


def test_greedy_results_say_it_cost_more_than_what_was_left() -> None:
    setup = make_voting(rule=Rule.GREEDY, costs=(70_000, 50_000))
    p1, p2 = setup.proposals
    vote(setup, [p1])
    vote(setup, [p1, p2])
    _publish(setup)
    page = _text(_client().get(_url("results", setup)))
    assert "It cost more than what was left." in page


def test_results_are_for_staff_until_published() -> None:
    setup = make_voting()
    vote(setup, [setup.proposals[0]])
    close_and_count(setup)
    assert _client(UserFactory()).get(_url("results", setup)).status_code == 403
    staff = _client(setup.staff).get(_url("results", setup))
    assert staff.status_code == 200
    assert "Not published yet" in _text(staff)


def test_a_receipt_finds_the_anonymised_ballot_once_voting_has_closed() -> None:
    setup = make_voting()
    p1, p2 = setup.proposals[:2]
    resident = UserFactory()
    client = _client(resident)
    _ballot(client, setup, {"projects": [p1.pk]})
    old_receipt = _cast(client, setup)
    _ballot(client, setup, {"projects": [p1.pk, p2.pk]})
    receipt = _cast(client, setup)
    early = _text(client.post(_url("receipt_check", setup), {"receipt": receipt}))
    assert 'id="receipts-not-open"' in early
    assert 'id="receipt-found"' not in early
    _publish(setup)
    anyone = _client()
    found = _text(anyone.post(_url("receipt_check", setup), {"receipt": receipt.lower()}))
    assert 'id="receipt-found"' in found
    assert p1.title in found
    assert p2.title in found
    assert actions.public_id_for(receipt) in found
    assert resident.email not in found
    gone = _text(anyone.post(_url("receipt_check", setup), {"receipt": old_receipt}))
    assert 'id="receipt-not-found"' in gone
    assert "each change gives a new code" in gone
    empty = _text(anyone.post(_url("receipt_check", setup), {"receipt": ""}))
    assert "Enter your receipt code." in empty


def test_how_the_votes_are_counted_is_a_public_page() -> None:
    response = _client().get(reverse("budgeting:how_counting_works"))
    assert response.status_code == 200
    assert "Method of Equal Shares" in _text(response)
    assert "run out of their share of the budget" in _text(response)


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
