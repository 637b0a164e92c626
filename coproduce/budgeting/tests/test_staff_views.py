"""The staff pages of a participatory budget before voting: who may use them, set-up and
settings, areas, phases, the feasibility review and ideas brought forward, with their forms and
errors (the pages from voting on: test_staff_voting_views.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting.models import (
    Budget,
    Feasibility,
    Phase,
    Proposal,
    Rule,
)
from coproduce.budgeting.rules import BALLOT_SETTINGS
from coproduce.budgeting.tests.factories import (
    BudgetSetup,
    agreed_on_the_map,
    make_budget,
    make_proposal,
    make_voting,
)
from coproduce.budgeting.tests.staff_pages import (
    delivering,
    new_activity,
    page_of,
    setup_data,
    signed_in,
)
from coproduce.contributions.models import Contribution, Response
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

FIXED_PAGES = ("area_add", "bring_forward")

# --- Who may use the pages --------------------------------------------------------------------


def _pages(setup: BudgetSetup, proposal: Proposal) -> list[str]:
    budget = setup.budget
    count = budget.counts.get()
    return [
        reverse("budgeting:manage", args=[budget.activity_id]),
        reverse("budgeting:budget_edit", args=[budget.pk]),
        reverse("budgeting:area_add", args=[budget.pk]),
        reverse("budgeting:review_list", args=[budget.pk]),
        reverse("budgeting:proposal_review", args=[proposal.pk]),
        reverse("budgeting:bring_forward", args=[budget.pk]),
        reverse("budgeting:codes", args=[budget.pk]),
        reverse("budgeting:paper_entry", args=[budget.pk]),
        reverse("budgeting:count_status", args=[count.pk]),
        reverse("budgeting:delivery_update", args=[proposal.pk]),
        reverse("budgeting:pb_import", args=[budget.pk]),
    ]


def test_each_staff_page_serves_the_budgets_staff_and_refuses_everyone_else() -> None:
    setup, proposal = delivering()
    other_staff = staff_of(ActivityFactory())  # a professional of another organisation
    staff, resident, other = (
        signed_in(setup.staff),
        signed_in(UserFactory()),
        signed_in(other_staff),
    )
    # Adding areas and bringing ideas forward end when voting opens (decision 0121).
    fixed = {reverse(f"budgeting:{name}", args=[setup.budget.pk]) for name in FIXED_PAGES}
    for url in _pages(setup, proposal):
        assert staff.get(url).status_code == (302 if url in fixed else 200), url
        assert resident.get(url).status_code == 403, url
        assert other.get(url).status_code == 403, url
        assert signed_in().get(url)["Location"].startswith(reverse("account_login")), url
    for name in ("phase_set", "count_start"):
        url = reverse(f"budgeting:{name}", args=[setup.budget.pk])
        assert resident.post(url, {"phase": Phase.RESULTS}).status_code == 403
        assert other.post(url, {"phase": Phase.RESULTS}).status_code == 403
        assert staff.get(url).status_code == 405  # POST only
    assert setup.budget.counts.count() == 1


def test_a_facilitator_runs_the_budget_but_only_those_who_answer_review_it() -> None:
    setup = make_budget()
    proposal = make_proposal(setup, feasibility=None)
    facilitator = staff_of(setup.budget.activity, role=Role.FACILITATOR)
    client = signed_in(facilitator)
    assert client.get(reverse("budgeting:review_list", args=[setup.budget.pk])).status_code == 200
    review = reverse("budgeting:proposal_review", args=[proposal.pk])
    assert client.get(review).status_code == 403


def test_manage_is_only_for_participatory_budget_activities() -> None:
    activity = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    response = signed_in(staff_of(activity)).get(reverse("budgeting:manage", args=[activity.pk]))
    assert response.status_code == 404


# --- Set-up and settings ----------------------------------------------------------------------


def test_setting_up_a_budget_with_its_areas() -> None:
    activity, staff = new_activity()
    client = signed_in(staff)
    url = reverse("budgeting:manage", args=[activity.pk])
    page = page_of(client.get(url))
    assert "Set up the budget" in page
    assert "Which rule to choose" in page
    response = client.post(url, setup_data(more_areas="North: 50,000\nSouth, 25000\n"))
    assert response.status_code == 302
    budget = Budget.objects.get(activity=activity)
    assert sorted((a.name, a.amount) for a in budget.areas.all()) == [
        ("North", 50_000),
        ("South", 25_000),
        ("Whole borough", 100_000),
    ]
    assert (budget.currency, budget.max_choices, budget.min_age) == ("GBP", 3, 11)
    assert budget.postcode_prefixes == "NF1 NF2"
    dashboard = page_of(client.get(response["Location"]))
    assert "The budget is set up" in dashboard
    assert "Move to the next phase: Feasibility review" in dashboard
    assert "£175,000" in dashboard


def test_set_up_mistakes_show_on_their_fields_and_keep_what_was_typed() -> None:
    activity, staff = new_activity()
    url = reverse("budgeting:manage", args=[activity.pk])
    response = signed_in(staff).post(
        url,
        setup_data(
            area_name="Riverside ward",
            area_amount="lots",
            min_choices="4",
            max_choices="2",
            rule=Rule.GREEDY_THRESHOLD,
            more_areas="North fifty",
            accounts_may_vote="",
            voting_opens_on_day="31",
            voting_opens_on_month="2",
            voting_opens_on_year="2027",
        ),
    )
    page = page_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Enter the amount as a whole number",
        "Make this at least the fewest projects",
        "Give the minimum number of votes for this rule.",
        "Line 1: write the name, a colon and the amount",
        "Choose who may vote",
        "must be a real date",
    ):
        assert message in page, message
    assert 'value="Riverside ward"' in page
    assert "North fifty" in page
    assert not Budget.objects.filter(activity=activity).exists()


def test_the_settings_lock_the_ballot_once_voting_opens() -> None:
    setup = make_voting()
    client = signed_in(setup.staff)
    url = reverse("budgeting:budget_edit", args=[setup.budget.pk])
    page = page_of(client.get(url))
    assert "This cannot change now: voting has opened" in page
    assert 'name="rule" type="radio" value="greedy" disabled' in page
    data = setup_data(rule=Rule.GREEDY, postcode_prefixes="NF9", max_choices="")
    del data["area_name"], data["area_amount"], data["more_areas"]
    # From a page loaded before voting opened: the change is refused on its field, nothing saved.
    stale = client.post(url, data)
    assert stale.status_code == 200
    assert 'id="id_rule-error"' in page_of(stale)
    setup.budget.refresh_from_db()
    assert setup.budget.postcode_prefixes != "NF9"
    # A browser sends no disabled field: the rest is saved, the ballot kept.
    for name in BALLOT_SETTINGS:
        data.pop(name, None)
    assert client.post(url, data).status_code == 302
    setup.budget.refresh_from_db()
    assert setup.budget.rule == Rule.MES
    assert setup.budget.postcode_prefixes == "NF9"


def test_adding_an_area_and_its_mistakes() -> None:
    setup = make_budget()
    client = signed_in(setup.staff)
    url = reverse("budgeting:area_add", args=[setup.budget.pk])
    page = page_of(client.post(url, {"name": "Whole borough", "amount": "0"}))
    assert "Enter the amount as a whole number of more than 0" in page
    page = page_of(client.post(url, {"name": "Whole borough", "amount": "5000"}))
    assert "This budget already has an area with this name." in page
    assert 'value="5000"' in page
    assert client.post(url, {"name": "East", "amount": "5,000"}).status_code == 302
    assert setup.budget.areas.filter(name="East", amount=5000).exists()


def test_once_voting_opens_the_pages_that_change_the_ballot_say_it_is_fixed() -> None:
    setup = make_voting()
    budget = setup.budget
    client = signed_in(setup.staff)
    manage = reverse("budgeting:manage", args=[budget.activity_id])
    dashboard = page_of(client.get(manage))
    assert "Review proposals" in dashboard
    for name in FIXED_PAGES:
        url = reverse(f"budgeting:{name}", args=[budget.pk])
        assert url not in dashboard
        for method in (client.get, client.post):
            response = method(url, {"name": "East", "amount": "5000"})
            assert response["Location"] == manage
            assert "Voting has opened, so the ballot can no longer change." in page_of(
                client.get(manage)
            )
    assert list(budget.areas.values_list("name", flat=True)) == ["Whole borough"]
    proposal = setup.proposals[0]
    review = reverse("budgeting:proposal_review", args=[proposal.pk])
    page = page_of(client.get(review))
    assert "the review can no longer change" in page
    assert "Publish the answer" not in page
    data = {"feasibility": Feasibility.NOT_FEASIBLE, "reason": "A page loaded before voting."}
    assert client.post(review, data)["Location"] == review
    proposal.refresh_from_db()
    assert proposal.feasibility == Feasibility.FEASIBLE
    assert not Response.objects.filter(body__contains="A page loaded before voting").exists()


# --- Phases -----------------------------------------------------------------------------------


def test_moving_phases_with_a_banner_or_an_error_summary() -> None:
    setup = make_budget()
    make_proposal(setup, feasibility=None)
    client = signed_in(setup.staff)
    url = reverse("budgeting:phase_set", args=[setup.budget.pk])
    response = client.post(url, {"phase": Phase.REVIEW})
    assert response["Location"] == reverse("budgeting:manage", args=[setup.budget.activity_id])
    assert "now in its “Feasibility review” phase" in page_of(client.get(response["Location"]))
    response = client.post(url, {"phase": Phase.VOTING})
    page = page_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Review every proposal before voting opens: 1 still wait." in page
    page = page_of(client.post(url, {"phase": Phase.DELIVERY}))
    assert "Move the budget one phase at a time." in page
    assert "Choose the phase" in page_of(client.post(url, {"phase": "nonsense"}))
    setup.budget.refresh_from_db()
    assert setup.budget.phase == Phase.REVIEW
    assert client.post(url, {"phase": Phase.PROPOSALS}).status_code == 302


# --- Feasibility review -----------------------------------------------------------------------


def test_the_review_list_filters_and_pages() -> None:
    setup = make_budget()
    waiting = make_proposal(setup, title="Bins by the park", feasibility=None)
    feasible = make_proposal(setup, title="Benches by the pond")
    dropped = make_proposal(setup, title="A new motorway", feasibility=Feasibility.NOT_FEASIBLE)
    client = signed_in(setup.staff)
    url = reverse("budgeting:review_list", args=[setup.budget.pk])
    page = page_of(client.get(url))
    assert all(p.title in page for p in (waiting, feasible, dropped))
    page = page_of(client.get(url, {"show": "waiting"}))
    assert waiting.title in page
    assert feasible.title not in page
    page = page_of(client.get(url, {"show": "not_feasible"}))
    assert dropped.title in page
    assert waiting.title not in page
    assert client.get(url, {"show": "nonsense", "page": "99"}).status_code == 200


def test_reviewing_a_proposal_publishes_the_answer_and_shows_mistakes() -> None:
    setup = make_budget()
    on_ballot = make_proposal(setup, title="Benches by the pond")
    proposal = make_proposal(setup, title="Bins by the park", feasibility=None)
    make_proposal(setup, title="Left waiting", feasibility=None)
    client = signed_in(setup.staff)
    url = reverse("budgeting:proposal_review", args=[proposal.pk])
    page = page_of(client.get(url))
    assert f"{on_ballot.reference}: Benches by the pond" in page
    assert "Left waiting" not in page  # only proposals on the ballot can take a merger
    response = client.post(url, {"feasibility": Feasibility.COST_CHANGED, "cost": "12x"})
    page = page_of(response)
    assert "Enter the new cost as a whole number" in page
    response = client.post(
        url, {"feasibility": Feasibility.COST_CHANGED, "cost": "", "reason": "Steel costs more."}
    )
    page = page_of(response)
    assert "Give the new cost" in page
    assert "Steel costs more." in page
    response = client.post(url, {"feasibility": Feasibility.MERGED, "merged_into": ""})
    page = page_of(response)
    assert "Choose the proposal it was merged with." in page
    assert "Explain why" in page
    response = client.post(
        url,
        {"feasibility": Feasibility.COST_CHANGED, "cost": "12,500", "reason": "Steel costs more."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.feasibility, proposal.cost) == (Feasibility.COST_CHANGED, 12_500)
    answer = Response.objects.filter(contribution=proposal.contribution).latest("pk")
    assert "£12,500" in answer.body
    assert "Steel costs more." in answer.body


def test_a_review_sent_twice_publishes_one_answer() -> None:
    """Decision 0140: the form is one-time, as forms that publish are."""
    setup = make_budget()
    proposal = make_proposal(setup, title="Bins by the park", feasibility=None)
    client = signed_in(setup.staff)
    url = reverse("budgeting:proposal_review", args=[proposal.pk])
    token = re.search(r'name="one_time_token" value="([^"]+)"', page_of(client.get(url)))
    assert token is not None
    data = {"feasibility": Feasibility.FEASIBLE, "one_time_token": token.group(1)}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Response.objects.filter(contribution=proposal.contribution).count() == 1


def _idea(activity: Any, title: str, supporters: int) -> Contribution:
    """An idea posted and supported through the idea challenge's own pages."""
    author = UserFactory()
    response = signed_in(author).post(
        reverse("codesign:idea_create", args=[activity.pk]),
        {"title": title, "description": f"{title}, please.", "author_display": "first_name"},
    )
    assert response.status_code == 302
    idea = Contribution.objects.get(kind="idea", activity=activity, author=author)
    for _n in range(supporters):
        signed_in(UserFactory()).post(
            reverse("codesign:support", args=[idea.pk]), {"support": "add"}
        )
    return idea


def test_bringing_forward_the_most_supported_ideas_of_the_service() -> None:
    setup = make_budget()
    service = setup.budget.activity.service
    challenge = ActivityFactory(
        service=service, kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN
    )
    _idea(challenge, "A skate park", supporters=1)
    popular = _idea(challenge, "A youth club on Fridays", supporters=3)
    elsewhere = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    _idea(elsewhere, "Another service's idea", supporters=5)
    client = signed_in(setup.staff)
    url = reverse("budgeting:bring_forward", args=[setup.budget.pk])
    page = page_of(client.get(url))
    assert "Another service" not in page
    assert page.index("A youth club on Fridays") < page.index("A skate park")
    assert "3 supports" in page
    page = page_of(client.post(url, {"idea": str(popular.pk), "area": "", "estimated_cost": "0"}))
    assert "Estimate the cost" in page
    assert "Choose an area" in page
    response = client.post(
        url, {"idea": str(popular.pk), "area": str(setup.area.pk), "estimated_cost": "8000"}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(from_contribution=popular)
    assert response["Location"] == reverse("budgeting:proposal_review", args=[proposal.pk])
    assert (proposal.title, proposal.estimated_cost) == ("A youth club on Fridays", 8000)
    assert popular.responses.exists()
    page = page_of(client.get(url))
    assert f"proposal {proposal.reference} (3 supports)" in page


def test_bringing_forward_a_statement_all_groups_agreed_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = make_budget()
    client = signed_in(setup.staff)
    opinion_map = ActivityFactory(
        service=setup.budget.activity.service,
        kind=ActivityKind.OPINION_MAP,
        state=ActivityState.OPEN,
    )
    manage = reverse("conversations:manage", args=[opinion_map.pk])
    settings = {"audience": "anyone", "moderation": "pre", "participants_may_add": "on"}
    assert client.post(manage, settings).status_code == 302
    text, divisive = "Secure bike hangars on every estate", "Ban e-bikes from the high street"
    for written in (text, divisive):
        assert client.post(manage, {"form": "statement", "text": written}).status_code == 302
    statement, other = Contribution.objects.filter(
        kind="opinion_statement", activity=opinion_map
    ).order_by("pk")
    agreed_on_the_map(monkeypatch, statement)
    url = reverse("budgeting:bring_forward", args=[setup.budget.pk])
    page = page_of(client.get(url))
    assert f"{text} (statement in “{opinion_map.title}”)" in page
    assert divisive not in page
    refused = client.post(
        url, {"idea": str(other.pk), "area": str(setup.area.pk), "estimated_cost": "15000"}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in page_of(refused)
    assert not Proposal.objects.filter(from_contribution=other).exists()
    response = client.post(
        url, {"idea": str(statement.pk), "area": str(setup.area.pk), "estimated_cost": "15000"}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(from_contribution=statement)
    assert (proposal.title, proposal.description) == (text, text)
    assert statement.responses.exists()
    page = page_of(client.get(url))
    assert f"proposal {proposal.reference} (a statement)" in page
