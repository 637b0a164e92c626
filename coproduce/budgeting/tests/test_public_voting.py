"""Voting through the public pages of a participatory budget: each kind of ballot (with mistakes,
changes and the receipt), areas, eligibility, voting codes, closed voting and refusals."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions, actions_voting
from coproduce.budgeting.models import Ballot, BallotType, Phase
from coproduce.budgeting.tests.factories import make_budget, make_proposal, make_voting
from coproduce.budgeting.tests.public_pages import budget_url, cast_ballot, send_ballot
from coproduce.budgeting.tests.staff_pages import page_of, signed_in

pytestmark = pytest.mark.django_db


def _values(ballot: Ballot) -> dict[int, int]:
    return dict(ballot.choices.values_list("proposal_id", "value"))


def test_approval_ballot_with_too_many_choices_then_fixed_then_changed() -> None:
    setup = make_voting(ballot_type=BallotType.APPROVAL, min_choices=1, max_choices=2)
    p1, p2, p3, _p4 = setup.proposals
    resident = UserFactory()
    client = signed_in(resident)
    form = page_of(client.get(budget_url("ballot", setup)))
    assert "Choose between 1 and 2 projects." in form
    assert p1.title in form
    review = page_of(send_ballot(client, setup, {"projects": [p1.pk, p2.pk, p3.pk]}))
    assert "Choose no more than 2 projects: take 1 off." in review
    assert "Cast my vote" not in review
    # "Change" keeps the choices.
    again = page_of(client.get(budget_url("ballot", setup)))
    assert again.count(" checked") == 3
    review = page_of(send_ballot(client, setup, {"projects": [p1.pk, p2.pk]}))
    assert "Cast my vote" in review
    assert p1.title in review
    receipt = cast_ballot(client, setup)
    ballot = Ballot.objects.get(voter=resident)
    assert _values(ballot) == {p1.pk: 1, p2.pk: 1}
    assert ballot.public_id == actions_voting.public_id_for(receipt)
    # The receipt is shown once.
    shown_again = page_of(client.get(budget_url("ballot_done", setup)))
    assert receipt not in shown_again
    assert "shown once" in shown_again
    # Change of vote: the ballot page is filled in with the vote cast.
    prefilled = page_of(client.get(budget_url("ballot", setup)))
    assert "Change your vote" in prefilled
    assert prefilled.count(" checked") == 2
    review = page_of(send_ballot(client, setup, {"projects": [p3.pk]}))
    assert "Change my vote" in review
    new_receipt = cast_ballot(client, setup)
    assert new_receipt != receipt
    assert Ballot.objects.filter(budget=setup.budget).count() == 1
    assert _values(Ballot.objects.get(voter=resident)) == {p3.pk: 1}


def test_knapsack_ballot_shows_the_total_and_refuses_going_over() -> None:
    setup = make_voting(ballot_type=BallotType.KNAPSACK, costs=(60_000, 50_000, 20_000))
    p1, p2, p3 = setup.proposals
    client = signed_in(UserFactory())
    form = page_of(client.get(budget_url("ballot", setup)))
    assert 'data-cost="60000"' in form
    assert 'id="running-total"' in form
    review = page_of(send_ballot(client, setup, {"projects": [p1.pk, p2.pk]}))
    assert "Your projects cost £110,000 but the budget is £100,000" in review
    assert "Cast my vote" not in review
    review = page_of(send_ballot(client, setup, {"projects": [p1.pk, p3.pk]}))
    assert "Total cost: <strong>£80,000</strong> of £100,000." in review
    assert "£20,000 left." in review
    cast_ballot(client, setup)
    assert set(_values(Ballot.objects.get())) == {p1.pk, p3.pk}


def test_cumulative_ballot_keeps_the_points_when_there_are_too_many() -> None:
    setup = make_voting(ballot_type=BallotType.CUMULATIVE, points=10)
    p1, p2, _p3, _p4 = setup.proposals
    client = signed_in(UserFactory())
    form = page_of(client.get(budget_url("ballot", setup)))
    assert "You have 10 points." in form
    bad = send_ballot(client, setup, {f"points_{p1.pk}": "seven"}, follow_review=False)
    assert bad.status_code == 200
    assert "Enter the points as a whole number" in page_of(bad)
    review = page_of(send_ballot(client, setup, {f"points_{p1.pk}": "8", f"points_{p2.pk}": "5"}))
    assert "You gave 13 points but have 10: take 3 off." in review
    back = page_of(client.get(budget_url("ballot", setup)))
    assert 'value="8"' in back
    assert 'value="5"' in back
    review = page_of(send_ballot(client, setup, {f"points_{p1.pk}": "7", f"points_{p2.pk}": "2"}))
    assert "1 point is not used." in review
    cast_ballot(client, setup)
    assert _values(Ballot.objects.get()) == {p1.pk: 7, p2.pk: 2}


def test_ranking_ballot_needs_each_rank_once() -> None:
    setup = make_voting(ballot_type=BallotType.RANKING, min_choices=1, max_choices=3)
    p1, p2, p3, p4 = setup.proposals
    client = signed_in(UserFactory())
    form = page_of(client.get(budget_url("ballot", setup)))
    assert "Not ranked" in form
    assert "Rank up to 3 projects" in form
    review = page_of(send_ballot(client, setup, {f"rank_{p1.pk}": "1", f"rank_{p2.pk}": "1"}))
    assert "each number once" in review
    bad = send_ballot(client, setup, {f"rank_{p1.pk}": "9"}, follow_review=False)
    assert "Choose a rank from the list." in page_of(bad)
    review = page_of(
        send_ballot(
            client, setup, {f"rank_{p3.pk}": "1", f"rank_{p1.pk}": "2", f"rank_{p4.pk}": ""}
        )
    )
    assert "Ranked 1" in review
    assert review.index(p3.title) < review.index(p1.title)
    cast_ballot(client, setup)
    assert _values(Ballot.objects.get()) == {p3.pk: 1, p1.pk: 2}


def test_several_areas_start_with_the_choice_of_area() -> None:
    setup = make_budget(areas=(("North", 50_000), ("South", 50_000)))
    north = make_proposal(setup, title="North swings", area=setup.areas[0])
    south = make_proposal(setup, title="South benches", area=setup.areas[1])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    client = signed_in(UserFactory())
    first = page_of(client.get(budget_url("ballot", setup)))
    assert "Choose your area" in first
    assert 'type="radio"' in first
    missing = page_of(client.get(budget_url("ballot", setup) + "?area="))
    assert "Choose the area you live in." in missing
    south_page = page_of(client.get(budget_url("ballot", setup) + f"?area={setup.areas[1].pk}"))
    assert south.title in south_page
    assert north.title not in south_page
    response = client.post(
        budget_url("ballot", setup), {"area": setup.areas[1].pk, "projects": [south.pk]}
    )
    assert response.status_code == 302
    cast_ballot(client, setup)
    assert Ballot.objects.get().area == setup.areas[1]


def test_eligibility_errors_go_on_the_fields() -> None:
    setup = make_voting(postcode_prefixes="NF1 NF2", min_age=16)
    p1 = setup.proposals[0]
    client = signed_in(UserFactory())
    form = page_of(client.get(budget_url("ballot", setup)))
    assert "Your postcode" in form
    assert "I am 16 or older" in form
    response = send_ballot(client, setup, {"projects": [p1.pk], "postcode": "ZZ9 9ZZ"})
    page = page_of(response)
    assert response.status_code == 200
    assert "This vote is for people who live in NF1, NF2" in page
    assert "Confirm that you are 16 or older to vote." in page
    assert 'href="#id_postcode"' in page
    assert 'href="#id_age_confirmed"' in page
    assert 'value="ZZ9 9ZZ"' in page
    assert not Ballot.objects.exists()
    send_ballot(client, setup, {"projects": [p1.pk], "postcode": "nf2 4ab", "age_confirmed": "on"})
    cast_ballot(client, setup)
    assert Ballot.objects.get().postcode_district == "NF2"


def test_voting_closed_or_not_open_is_a_clear_page() -> None:
    setup = make_budget()
    make_proposal(setup)
    client = signed_in(UserFactory())
    response = client.get(budget_url("ballot", setup))
    assert response.status_code == 403
    assert "Voting has not opened yet" in page_of(response)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    client.post(
        budget_url("ballot", setup), {"area": setup.area.pk, "projects": [setup.proposals[0].pk]}
    )
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    for name in ("ballot", "ballot_review"):
        response = client.get(budget_url(name, setup))
        assert response.status_code == 403
        assert "Voting has closed" in page_of(response)
    response = client.post(budget_url("ballot_review", setup))
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_and_accountless_budgets_refuse_accounts() -> None:
    setup = make_voting()
    response = signed_in().get(budget_url("ballot", setup))
    assert response.status_code == 302
    assert "login" in response["Location"]
    codes_only = make_voting(accounts_may_vote=False, codes_may_vote=True)
    page = signed_in().get(budget_url("ballot", codes_only))
    assert page.status_code == 200
    assert budget_url("ballot_code", codes_only) in page_of(page)
    refused = signed_in(UserFactory()).get(budget_url("ballot", codes_only))
    assert refused.status_code == 403
    assert "not open to people with an account" in page_of(refused)


def test_a_person_without_an_account_votes_with_a_code_and_changes_the_vote() -> None:
    setup = make_voting(codes_may_vote=True, postcode_prefixes="NF1")
    code = actions_voting.codes_generate(budget=setup.budget, by=setup.staff, count=2)[0]
    p1, p2 = setup.proposals[:2]
    client = signed_in()
    wrong = client.post(budget_url("ballot_code", setup), {"code": "AAAA-BBBB-CCCC"})
    assert "not one of this vote’s codes" in page_of(wrong)
    response = client.post(budget_url("ballot_code", setup), {"code": code.lower()})
    assert response.status_code == 302
    assert response["Location"] == budget_url("ballot", setup)
    form = page_of(client.get(budget_url("ballot", setup)))
    assert "voting with a voting code" in form
    assert "Your postcode" not in form  # code holders are eligible by their letter
    send_ballot(client, setup, {"projects": [p1.pk]})
    receipt = cast_ballot(client, setup)
    ballot = Ballot.objects.get()
    assert ballot.code is not None
    assert ballot.voter is None
    send_ballot(client, setup, {"projects": [p2.pk]})
    assert receipt != cast_ballot(client, setup)
    assert _values(Ballot.objects.get()) == {p2.pk: 1}


def test_guessing_voting_codes_is_refused(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "budget_code_attempt": "3/h/ip"}
    setup = make_voting(codes_may_vote=True)
    code = actions_voting.codes_generate(budget=setup.budget, by=setup.staff, count=1)[0]
    client = signed_in()
    for guess in ("AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC"):
        assert client.post(budget_url("ballot_code", setup), {"code": guess}).status_code == 200
    refused = client.post(budget_url("ballot_code", setup), {"code": code})
    assert refused.status_code == 429
    assert "too many tries" in page_of(refused)
    # No code in the session:
    assert "How to vote" in page_of(signed_in().get(budget_url("ballot", setup)))


def test_casting_many_times_in_a_row_is_refused(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "budget_ballot_cast": "1/h/key"}
    setup = make_voting()
    resident = UserFactory()
    client = signed_in(resident)
    send_ballot(client, setup, {"projects": [setup.proposals[0].pk]})
    cast_ballot(client, setup)
    send_ballot(client, setup, {"projects": [setup.proposals[1].pk]})
    refused = client.post(budget_url("ballot_review", setup))
    assert refused.status_code == 429
    assert "Nothing has changed" in page_of(refused)
    assert _values(Ballot.objects.get(voter=resident)) == {setup.proposals[0].pk: 1}


def test_codes_are_refused_when_the_budget_does_not_use_them() -> None:
    setup = make_voting()
    response = signed_in().get(budget_url("ballot_code", setup))
    assert response.status_code == 403
    assert "does not use voting codes" in page_of(response)


def test_review_and_done_without_a_ballot_go_back_to_the_ballot() -> None:
    setup = make_voting()
    client = signed_in(UserFactory())
    assert client.get(budget_url("ballot_review", setup))["Location"] == budget_url("ballot", setup)
    assert client.get(budget_url("ballot_done", setup))["Location"] == budget_url("ballot", setup)


def test_nonsense_on_the_ballot_never_fails() -> None:
    setup = make_voting()
    client = signed_in(UserFactory())
    for data in (
        {"area": "99999999999999999999"},
        {"area": "x"},
        {"area": setup.area.pk, "projects": ["abc"]},
        {"area": setup.area.pk, "projects": ["99999999"]},
    ):
        response = client.post(budget_url("ballot", setup), data)
        assert response.status_code in (200, 302)
    assert (
        client.get(budget_url("ballot", setup) + "?area=9999999999999999999999").status_code == 200
    )
