"""The staff pages of a participatory budget: who may use them, their forms and errors, and the
whole run of a budget through them: set-up, review, voting, paper ballots typed twice, counting,
results and delivery news."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions
from coproduce.budgeting.models import (
    Ballot,
    BallotSource,
    BallotType,
    Budget,
    Count,
    CountStatus,
    DeliveryStatus,
    DeliveryUpdate,
    Feasibility,
    PaperEntry,
    Phase,
    Proposal,
    Rule,
    VotingCode,
)
from coproduce.budgeting.tasks import run_count
from coproduce.budgeting.tests.factories import (
    BudgetSetup,
    agreed_on_the_map,
    close_and_count,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)
from coproduce.contributions.models import Contribution, Response
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(response: Any) -> str:
    return str(response.content.decode())


def _delivering() -> tuple[BudgetSetup, Proposal]:
    """A budget in delivery whose first project was funded."""
    setup = make_voting(costs=(40_000, 30_000))
    first, second = setup.proposals
    vote(setup, [first])
    vote(setup, [first, second])
    count = close_and_count(setup)
    assert count.status == CountStatus.DONE
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.DELIVERY)
    first.refresh_from_db()
    assert first.delivery_status == DeliveryStatus.PLANNED
    return setup, first


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
    setup, proposal = _delivering()
    other_staff = staff_of(ActivityFactory())  # a professional of another organisation
    staff, resident, other = _client(setup.staff), _client(UserFactory()), _client(other_staff)
    for url in _pages(setup, proposal):
        assert staff.get(url).status_code == 200, url
        assert resident.get(url).status_code == 403, url
        assert other.get(url).status_code == 403, url
        assert _client().get(url)["Location"].startswith(reverse("account_login")), url
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
    client = _client(facilitator)
    assert client.get(reverse("budgeting:review_list", args=[setup.budget.pk])).status_code == 200
    review = reverse("budgeting:proposal_review", args=[proposal.pk])
    assert client.get(review).status_code == 403


def test_manage_is_only_for_participatory_budget_activities() -> None:
    activity = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    response = _client(staff_of(activity)).get(reverse("budgeting:manage", args=[activity.pk]))
    assert response.status_code == 404


# --- Set-up and settings ----------------------------------------------------------------------


def _setup_data(**changes: Any) -> dict[str, Any]:
    data = {
        "area_name": "Whole borough",
        "area_amount": "£100,000",
        "more_areas": "",
        "currency": "gbp",
        "ballot_type": BallotType.APPROVAL,
        "min_choices": "1",
        "max_choices": "3",
        "points": "10",
        "rule": Rule.MES,
        "threshold": "",
        "voting_opens_on_day": "",
        "voting_opens_on_month": "",
        "voting_opens_on_year": "",
        "accounts_may_vote": "on",
        "postcode_prefixes": "nf1 NF2",
        "min_age": "11",
    }
    data.update(changes)
    return data


def _new_activity() -> tuple[Any, Any]:
    activity = ActivityFactory(kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN)
    return activity, staff_of(activity)


def test_setting_up_a_budget_with_its_areas() -> None:
    activity, staff = _new_activity()
    client = _client(staff)
    url = reverse("budgeting:manage", args=[activity.pk])
    page = _page(client.get(url))
    assert "Set up the budget" in page
    assert "Which rule to choose" in page
    response = client.post(url, _setup_data(more_areas="North: 50,000\nSouth, 25000\n"))
    assert response.status_code == 302
    budget = Budget.objects.get(activity=activity)
    assert sorted((a.name, a.amount) for a in budget.areas.all()) == [
        ("North", 50_000),
        ("South", 25_000),
        ("Whole borough", 100_000),
    ]
    assert (budget.currency, budget.max_choices, budget.min_age) == ("GBP", 3, 11)
    assert budget.postcode_prefixes == "NF1 NF2"
    dashboard = _page(client.get(response["Location"]))
    assert "The budget is set up" in dashboard
    assert "Move to the next phase: Feasibility review" in dashboard
    assert "£175,000" in dashboard


def test_set_up_mistakes_show_on_their_fields_and_keep_what_was_typed() -> None:
    activity, staff = _new_activity()
    url = reverse("budgeting:manage", args=[activity.pk])
    response = _client(staff).post(
        url,
        _setup_data(
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
    page = _page(response)
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
    client = _client(setup.staff)
    url = reverse("budgeting:budget_edit", args=[setup.budget.pk])
    page = _page(client.get(url))
    assert "This cannot change now: voting has opened" in page
    assert 'name="rule" type="radio" value="greedy" disabled' in page
    data = _setup_data(rule=Rule.GREEDY, postcode_prefixes="NF9", max_choices="")
    del data["area_name"], data["area_amount"], data["more_areas"]
    response = client.post(url, data)
    assert response.status_code == 302
    setup.budget.refresh_from_db()
    assert setup.budget.rule == Rule.MES  # locked: the posted value is ignored
    assert setup.budget.postcode_prefixes == "NF9"


def test_adding_an_area_and_its_mistakes() -> None:
    setup = make_budget()
    client = _client(setup.staff)
    url = reverse("budgeting:area_add", args=[setup.budget.pk])
    page = _page(client.post(url, {"name": "Whole borough", "amount": "0"}))
    assert "Enter the amount as a whole number of more than 0" in page
    page = _page(client.post(url, {"name": "Whole borough", "amount": "5000"}))
    assert "This budget already has an area with this name." in page
    assert 'value="5000"' in page
    assert client.post(url, {"name": "East", "amount": "5,000"}).status_code == 302
    assert setup.budget.areas.filter(name="East", amount=5000).exists()


# --- Phases -----------------------------------------------------------------------------------


def test_moving_phases_with_a_banner_or_an_error_summary() -> None:
    setup = make_budget()
    make_proposal(setup, feasibility=None)
    client = _client(setup.staff)
    url = reverse("budgeting:phase_set", args=[setup.budget.pk])
    response = client.post(url, {"phase": Phase.REVIEW})
    assert response["Location"] == reverse("budgeting:manage", args=[setup.budget.activity_id])
    assert "now in its “Feasibility review” phase" in _page(client.get(response["Location"]))
    response = client.post(url, {"phase": Phase.VOTING})
    page = _page(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Review every proposal before voting opens: 1 still wait." in page
    page = _page(client.post(url, {"phase": Phase.DELIVERY}))
    assert "Move the budget one phase at a time." in page
    assert "Choose the phase" in _page(client.post(url, {"phase": "nonsense"}))
    setup.budget.refresh_from_db()
    assert setup.budget.phase == Phase.REVIEW
    assert client.post(url, {"phase": Phase.PROPOSALS}).status_code == 302


# --- Feasibility review -----------------------------------------------------------------------


def test_the_review_list_filters_and_pages() -> None:
    setup = make_budget()
    waiting = make_proposal(setup, title="Bins by the park", feasibility=None)
    feasible = make_proposal(setup, title="Benches by the pond")
    dropped = make_proposal(setup, title="A new motorway", feasibility=Feasibility.NOT_FEASIBLE)
    client = _client(setup.staff)
    url = reverse("budgeting:review_list", args=[setup.budget.pk])
    page = _page(client.get(url))
    assert all(p.title in page for p in (waiting, feasible, dropped))
    page = _page(client.get(url, {"show": "waiting"}))
    assert waiting.title in page
    assert feasible.title not in page
    page = _page(client.get(url, {"show": "not_feasible"}))
    assert dropped.title in page
    assert waiting.title not in page
    assert client.get(url, {"show": "nonsense", "page": "99"}).status_code == 200


def test_reviewing_a_proposal_publishes_the_answer_and_shows_mistakes() -> None:
    setup = make_budget()
    on_ballot = make_proposal(setup, title="Benches by the pond")
    proposal = make_proposal(setup, title="Bins by the park", feasibility=None)
    make_proposal(setup, title="Left waiting", feasibility=None)
    client = _client(setup.staff)
    url = reverse("budgeting:proposal_review", args=[proposal.pk])
    page = _page(client.get(url))
    assert f"{on_ballot.reference}: Benches by the pond" in page
    assert "Left waiting" not in page  # only proposals on the ballot can take a merger
    response = client.post(url, {"feasibility": Feasibility.COST_CHANGED, "cost": "12x"})
    page = _page(response)
    assert "Enter the new cost as a whole number" in page
    response = client.post(
        url, {"feasibility": Feasibility.COST_CHANGED, "cost": "", "reason": "Steel costs more."}
    )
    page = _page(response)
    assert "Give the new cost" in page
    assert "Steel costs more." in page
    response = client.post(url, {"feasibility": Feasibility.MERGED, "merged_into": ""})
    page = _page(response)
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


def _idea(activity: Any, title: str, supporters: int) -> Contribution:
    """An idea posted and supported through the idea challenge's own pages."""
    author = UserFactory()
    response = _client(author).post(
        reverse("codesign:idea_create", args=[activity.pk]),
        {"title": title, "description": f"{title}, please.", "author_display": "first_name"},
    )
    assert response.status_code == 302
    idea = Contribution.objects.get(kind="idea", activity=activity, author=author)
    for _n in range(supporters):
        _client(UserFactory()).post(reverse("codesign:support", args=[idea.pk]), {"support": "add"})
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
    client = _client(setup.staff)
    url = reverse("budgeting:bring_forward", args=[setup.budget.pk])
    page = _page(client.get(url))
    assert "Another service" not in page
    assert page.index("A youth club on Fridays") < page.index("A skate park")
    assert "3 supports" in page
    page = _page(client.post(url, {"idea": str(popular.pk), "area": "", "estimated_cost": "0"}))
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
    page = _page(client.get(url))
    assert f"proposal {proposal.reference} (3 supports)" in page


def test_bringing_forward_a_statement_all_groups_agreed_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = make_budget()
    client = _client(setup.staff)
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
    page = _page(client.get(url))
    assert f"{text} (statement in “{opinion_map.title}”)" in page
    assert divisive not in page
    refused = client.post(
        url, {"idea": str(other.pk), "area": str(setup.area.pk), "estimated_cost": "15000"}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in _page(refused)
    assert not Proposal.objects.filter(from_contribution=other).exists()
    response = client.post(
        url, {"idea": str(statement.pk), "area": str(setup.area.pk), "estimated_cost": "15000"}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(from_contribution=statement)
    assert (proposal.title, proposal.description) == (text, text)
    assert statement.responses.exists()
    page = _page(client.get(url))
    assert f"proposal {proposal.reference} (a statement)" in page


# --- Voting codes -----------------------------------------------------------------------------


def test_codes_download_as_csv_once_and_the_page_counts_them() -> None:
    setup = make_voting(codes_may_vote=True)
    client = _client(setup.staff)
    url = reverse("budgeting:codes", args=[setup.budget.pk])
    page = _page(client.get(url))
    assert "shown only once" in page
    response = client.post(url, {"count": "3", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["code"]
    assert len(rows) == 4
    code = actions.code_find(setup.budget, rows[1][0])
    actions.ballot_cast(
        budget=setup.budget, area=setup.area, choices={setup.proposals[0].pk: 1}, code=code
    )
    page = _page(client.get(url))
    assert 'Codes made</dt><dd class="govuk-summary-list__value">3' in page
    assert 'Codes used to vote</dt><dd class="govuk-summary-list__value">1' in page


def test_codes_print_as_slips_with_the_address_to_vote(settings: Any) -> None:
    settings.SITE_URL = "https://coproduce.example.gov.uk"  # not the address the sheet is made at
    setup = make_voting(codes_may_vote=True)
    response = _client(setup.staff).post(
        reverse("budgeting:codes", args=[setup.budget.pk]), {"count": "2", "format": "print"}
    )
    page = _page(response)
    assert response["Cache-Control"] == "no-store"
    assert page.count('class="app-code-slip"') == 2
    vote_at = reverse("budgeting:ballot_code", args=[setup.budget.pk])
    assert f"https://coproduce.example.gov.uk{vote_at}" in page
    assert "testserver" not in page
    assert "codes-print.css" in page
    assert VotingCode.objects.filter(budget=setup.budget).count() == 2


def test_codes_form_mistakes() -> None:
    setup = make_voting(codes_may_vote=True)
    page = _page(
        _client(setup.staff).post(
            reverse("budgeting:codes", args=[setup.budget.pk]), {"count": "0", "format": "zip"}
        )
    )
    assert "There is a problem" in page
    assert not VotingCode.objects.exists()


# --- Paper ballots typed twice ----------------------------------------------------------------


def _paper(client: Client, setup: BudgetSetup, reference: str, **choices: Any) -> Any:
    data = {"paper_reference": reference, "area": str(setup.area.pk), **choices}
    return client.post(reverse("budgeting:paper_entry", args=[setup.budget.pk]), data)


def test_paper_ballots_count_when_two_people_agree_and_never_twice() -> None:
    setup = make_voting()
    first, second = setup.proposals[0], setup.proposals[1]
    one, two = _client(setup.staff), _client(staff_of(setup.budget.activity))
    three = _client(staff_of(setup.budget.activity))
    _paper(one, setup, "a-101", choices=[str(first.pk), str(second.pk)])
    page = _page(one.get(reverse("budgeting:paper_entry", args=[setup.budget.pk])))
    assert "Typed once: waiting for a second person" in page
    assert "A-101" in page
    page = _page(_paper(one, setup, "A-101", choices=[str(first.pk), str(second.pk)]))
    assert "You have typed this ballot already" in page
    response = _paper(two, setup, "A-101", choices=[str(first.pk), str(second.pk)])
    assert response.status_code == 302
    assert "matches its first typing: counted" in _page(two.get(response["Location"]))
    ballot = Ballot.objects.get(budget=setup.budget, source=BallotSource.PAPER)
    assert sorted(ballot.choices.values_list("proposal_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    page = _page(_paper(three, setup, "A-101", choices=[str(first.pk), str(second.pk)]))
    assert "typed twice and counted already" in page
    assert Ballot.objects.filter(budget=setup.budget, source=BallotSource.PAPER).count() == 1
    page = _page(three.get(reverse("budgeting:paper_entry", args=[setup.budget.pk])))
    assert "1 paper ballot counted." in page


def test_a_paper_mismatch_is_listed_with_both_typings_until_the_wrong_one_is_deleted() -> None:
    setup = make_voting()
    first, second = setup.proposals[0], setup.proposals[1]
    one, two = _client(setup.staff), _client(staff_of(setup.budget.activity))
    _paper(one, setup, "B-7", choices=[str(first.pk)])
    response = _paper(two, setup, "B-7", choices=[str(second.pk)])
    page = _page(two.get(response["Location"]))
    assert "does not match its first typing" in page
    assert "Typings that do not match" in page
    mismatch = page.split("Typings that do not match")[1].split("Typed once")[0]
    assert first.title in mismatch
    assert second.title in mismatch
    assert mismatch.count("Delete this typing") == 2
    assert not Ballot.objects.filter(source=BallotSource.PAPER).exists()
    wrong = PaperEntry.objects.filter(paper_reference="B-7").order_by("pk").last()
    assert wrong is not None
    assert wrong.choices == {str(second.pk): 1}
    url = reverse("budgeting:paper_entry", args=[setup.budget.pk])
    response = two.post(url, {"action": "delete", "entry": str(wrong.pk)})
    assert "is deleted" in _page(two.get(response["Location"]))
    assert PaperEntry.objects.filter(paper_reference="B-7").count() == 1
    response = two.post(url, {"action": "delete", "entry": "99999999999999999999999"})
    assert response.status_code == 302
    _paper(two, setup, "B-7", choices=[str(first.pk)])
    assert Ballot.objects.filter(source=BallotSource.PAPER, paper_reference="B-7").count() == 1


def test_paper_ballots_of_points_and_ranks_and_their_mistakes() -> None:
    setup = make_voting(ballot_type=BallotType.CUMULATIVE, points=5)
    first, second = setup.proposals[0], setup.proposals[1]
    client = _client(setup.staff)
    page = _page(_paper(client, setup, "C-1", **{f"p{first.pk}": "4", f"p{second.pk}": "3"}))
    assert "You gave 7 points but have 5" in page
    assert 'value="C-1"' in page
    response = _paper(client, setup, "C-1", **{f"p{first.pk}": "4", f"p{second.pk}": "1"})
    assert response.status_code == 302
    entry = PaperEntry.objects.get(paper_reference="C-1")
    assert entry.choices == {str(first.pk): 4, str(second.pk): 1}

    ranked = make_voting(ballot_type=BallotType.RANKING, max_choices=2)
    a, b = ranked.proposals[0], ranked.proposals[1]
    client = _client(ranked.staff)
    page = _page(_paper(client, ranked, "R-1", **{f"p{a.pk}": "1", f"p{b.pk}": "1"}))
    assert "Number your projects 1, 2, 3" in page
    assert _paper(client, ranked, "R-1", **{f"p{a.pk}": "2", f"p{b.pk}": "1"}).status_code == 302


def test_paper_ballots_are_closed_before_voting() -> None:
    setup = make_budget()
    page = _page(_client(setup.staff).get(reverse("budgeting:paper_entry", args=[setup.budget.pk])))
    assert "Paper ballots are typed in while voting is open" in page
    assert 'name="paper_reference"' not in page


# --- Counting ---------------------------------------------------------------------------------


def test_counting_shows_progress_then_the_summary() -> None:
    setup = make_voting(costs=(40_000, 30_000))
    vote(setup, [setup.proposals[0]])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    client = _client(setup.staff)
    response = client.post(reverse("budgeting:count_start", args=[setup.budget.pk]))
    count = Count.objects.get(budget=setup.budget)
    status_url = reverse("budgeting:count_status", args=[count.pk])
    assert response["Location"] == status_url
    page = _page(client.get(status_url))
    assert "Waiting to start" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-get="{status_url}"' in page
    assert "<progress" in page
    assert ">Refresh" in page
    fragment = _page(client.get(status_url, headers={"HX-Request": "true"}))
    assert fragment.startswith('<div id="count-progress"')
    assert "<html" not in fragment
    run_count(count.pk)
    page = _page(client.get(status_url))
    assert "hx-trigger" not in page
    assert "Ballots counted" in page
    assert setup.proposals[0].title in page
    assert reverse("budgeting:results", args=[setup.budget.pk]) in page


def test_a_failed_count_shows_the_error_and_counts_again() -> None:
    setup = make_voting()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    count = actions.count_start(budget=setup.budget, by=setup.staff)
    Count.objects.filter(pk=count.pk).update(status=CountStatus.FAILED, error="Out of memory.")
    client = _client(setup.staff)
    page = _page(client.get(reverse("budgeting:count_status", args=[count.pk])))
    assert "The count failed" in page
    assert "Out of memory." in page
    assert "Count again" in page
    response = client.post(reverse("budgeting:count_start", args=[setup.budget.pk]))
    again = setup.budget.counts.first()
    assert again is not None
    assert again.pk != count.pk
    assert response["Location"] == reverse("budgeting:count_status", args=[again.pk])


def test_counting_before_voting_closes_says_what_to_do() -> None:
    setup = make_voting()
    client = _client(setup.staff)
    response = client.post(reverse("budgeting:count_start", args=[setup.budget.pk]))
    assert "Close voting" in _page(client.get(response["Location"]))
    assert not Count.objects.exists()


# --- Delivery ---------------------------------------------------------------------------------


def _delivery_data(**changes: Any) -> dict[str, Any]:
    data = {
        "status": DeliveryStatus.IN_PROGRESS,
        "on_day": "2",
        "on_month": "3",
        "on_year": "2026",
        "note": "The benches are being built.",
        "photo_alt": "",
    }
    data.update(changes)
    return data


def test_delivery_news_with_a_photo() -> None:
    setup, proposal = _delivering()
    client = _client(setup.staff)
    url = reverse("budgeting:delivery_update", args=[proposal.pk])
    photo = SimpleUploadedFile("benches.png", PNG, content_type="image/png")
    response = client.post(url, _delivery_data(photo=photo, photo_alt="New benches"))
    assert response.status_code == 302
    update = DeliveryUpdate.objects.filter(proposal=proposal).latest("pk")
    assert update.status == DeliveryStatus.IN_PROGRESS
    assert str(update.photo.name).endswith(".png")
    proposal.refresh_from_db()
    assert proposal.delivery_status == DeliveryStatus.IN_PROGRESS
    assert "The benches are being built." in _page(client.get(url))


def test_delivery_news_mistakes_keep_what_was_typed() -> None:
    setup, proposal = _delivering()
    client = _client(setup.staff)
    url = reverse("budgeting:delivery_update", args=[proposal.pk])
    fake = SimpleUploadedFile("benches.png", b"<svg>not a picture</svg>", content_type="image/png")
    page = _page(client.post(url, _delivery_data(photo=fake, on_month="13")))
    assert "must be a JPEG, PNG or WebP picture" in page
    assert "must be a real date" in page
    assert "The benches are being built." in page
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024))
    assert "smaller than 5 MB" in _page(client.post(url, _delivery_data(photo=big)))
    photo = SimpleUploadedFile("benches.png", PNG, content_type="image/png")
    page = _page(client.post(url, _delivery_data(photo=photo)))
    assert "Describe the photo for people who cannot see it." in page
    page = _page(client.post(url, _delivery_data(status="", note="")))
    assert "There is a problem" in page
    assert DeliveryUpdate.objects.filter(proposal=proposal).count() == 1  # the planned one


def test_delivery_news_only_for_funded_projects() -> None:
    setup = make_voting()
    page = _page(
        _client(setup.staff).get(reverse("budgeting:delivery_update", args=[setup.proposals[0].pk]))
    )
    assert "Only funded projects have delivery news." in page


# --- Importing a .pb file ---------------------------------------------------------------------

PB = """META
key;value
description;Imported vote
country;Wales
unit;Northfield
instance;2026
num_projects;2
num_votes;2
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
1;60;Benches
2;50;Bins
VOTES
voter_id;vote
v1;1
v2;1,2
"""


def test_importing_a_pb_file_makes_a_new_closed_budget_of_the_service() -> None:
    setup = make_budget()
    client = _client(setup.staff)
    url = reverse("budgeting:pb_import", args=[setup.budget.pk])
    upload = SimpleUploadedFile("northfield.pb", PB.encode(), content_type="text/plain")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302, _page(response)
    new = Budget.objects.exclude(pk=setup.budget.pk).get()
    assert new.activity.service_stage.service_id == setup.budget.activity.service_stage.service_id
    assert response["Location"] == reverse("budgeting:manage", args=[new.activity_id])
    assert new.ballots.count() == 2
    assert "Imported" in _page(client.get(response["Location"]))


def test_a_bad_pb_file_shows_its_line() -> None:
    setup = make_budget()
    client = _client(setup.staff)
    url = reverse("budgeting:pb_import", args=[setup.budget.pk])
    bad = PB.replace("2;50;Bins", "2;fifty;Bins")
    page = _page(client.post(url, {"file": SimpleUploadedFile("bad.pb", bad.encode())}))
    assert "There is a problem" in page
    assert "bad.pb, line 15" in page
    assert "fifty" in page  # what was typed, quoted in the message
    page = _page(client.post(url, {"file": SimpleUploadedFile("votes.csv", b"a,b")}))
    assert "ending in .pb" in page
    page = _page(client.post(url, {"file": SimpleUploadedFile("x.pb", b"\xff\xfe\x00bad")}))
    assert "UTF-8" in page
    assert Budget.objects.count() == 1


# --- The whole run ----------------------------------------------------------------------------


def test_the_whole_staff_flow_from_set_up_to_delivery_news() -> None:
    activity, staff = _new_activity()
    second_staff = staff_of(activity)
    client, other = _client(staff), _client(second_staff)
    manage = reverse("budgeting:manage", args=[activity.pk])
    assert (
        client.post(
            manage, _setup_data(max_choices="2", min_age="", postcode_prefixes="")
        ).status_code
        == 302
    )
    budget = Budget.objects.get(activity=activity)
    setup = BudgetSetup(budget=budget, staff=staff, areas=list(budget.areas.all()))
    benches = make_proposal(setup, cost=40_000, title="Benches", feasibility=None)
    bins = make_proposal(setup, cost=30_000, title="Bins", feasibility=None)
    lights = make_proposal(setup, cost=90_000, title="Lights", feasibility=None)

    phase = reverse("budgeting:phase_set", args=[budget.pk])
    assert client.post(phase, {"phase": Phase.REVIEW}).status_code == 302
    for proposal, data in (
        (benches, {"feasibility": Feasibility.FEASIBLE}),
        (bins, {"feasibility": Feasibility.FEASIBLE}),
        (lights, {"feasibility": Feasibility.NOT_FEASIBLE, "reason": "Not our street."}),
    ):
        response = client.post(reverse("budgeting:proposal_review", args=[proposal.pk]), data)
        assert response.status_code == 302
    assert "3 still wait" not in _page(client.post(phase, {"phase": Phase.VOTING}))
    budget.refresh_from_db()
    assert budget.phase == Phase.VOTING

    vote(setup, [benches])
    vote(setup, [benches, bins])
    _paper(client, setup, "P-1", choices=[str(bins.pk)])
    _paper(other, setup, "P-1", choices=[str(bins.pk)])  # matches: counted
    _paper(client, setup, "P-2", choices=[str(benches.pk)])
    _paper(other, setup, "P-2", choices=[str(bins.pk)])  # a mismatch: not counted
    dashboard = _page(client.get(manage))
    assert 'On paper, typed twice</dt><dd class="govuk-summary-list__value">1' in dashboard
    assert 'Online, with an account</dt><dd class="govuk-summary-list__value">2' in dashboard

    assert client.post(phase, {"phase": Phase.COUNTING}).status_code == 302
    response = client.post(reverse("budgeting:count_start", args=[budget.pk]))
    count = Count.objects.get(budget=budget)
    run_count(count.pk)
    count.refresh_from_db()
    assert count.ballot_count == 3
    assert "Ballots counted" in _page(client.get(response["Location"]))
    assert "Done" in _page(client.get(manage))

    assert client.post(phase, {"phase": Phase.RESULTS}).status_code == 302
    assert client.post(phase, {"phase": Phase.DELIVERY}).status_code == 302
    funded = budget.proposals.exclude(delivery_status="")
    assert set(funded.values_list("title", flat=True)) == {"Benches", "Bins"}
    response = client.post(
        reverse("budgeting:delivery_update", args=[benches.pk]),
        _delivery_data(status=DeliveryStatus.DELIVERED, note="The benches are in."),
    )
    assert response.status_code == 302
    benches.refresh_from_db()
    assert benches.delivery_status == DeliveryStatus.DELIVERED
    assert (
        "The benches are in."
        in Response.objects.filter(contribution=benches.contribution).latest("pk").body
    )
    assert "Delivered" in _page(client.get(manage))
