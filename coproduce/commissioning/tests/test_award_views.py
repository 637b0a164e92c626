"""The award pages: making it (needs every agreed score, starts with the top-ranked bid, asks
why for another), the public award page (winner, reasons, the scores table and its arithmetic,
price method, standstill, links), and a bidder's own scores (theirs only)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.commissioning.models import Award
from coproduce.commissioning.tests.factories_evaluation import (
    Evaluated,
    agree,
    agree_example,
    award,
    evaluated_round,
)
from coproduce.common.tests.query_shapes import shape_counts

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _url(name: str, pk: int) -> str:
    return reverse(f"commissioning:{name}", args=[pk])


@pytest.fixture
def data() -> Evaluated:
    return evaluated_round()


def _award_post(data: Evaluated, bid: int, **extra: str) -> dict[str, str]:
    post = {
        "bid": str(bid),
        "reasons": "The highest score: local staff and quick appointments.",
        "why_not_top": "",
        "reasons_cy": "",
        "contract_starts_on_day": "",
        "contract_starts_on_month": "",
        "contract_starts_on_year": "",
        **{f"feedback_{b.pk}": f"Feedback for {b.organisation.name}." for b in data.bids},
    }
    post.update(extra)
    return post


# --- Making the award ------------------------------------------------------------------------------


def test_the_award_waits_for_every_agreed_score(data: Evaluated) -> None:
    agree(data.bids[0], data.keeper, (4, 4, 5))
    client = client_for(data.keeper)
    page = _page(client.get(_url("award_make", data.round.pk)))
    assert "Agree the scores of every bid on every criterion first." in page
    assert "Ash Co-operative – Local jobs" in page
    assert 'name="reasons"' not in page
    response = client.post(_url("award_make", data.round.pk), _award_post(data, data.bids[0].pk))
    assert response.status_code == 400
    assert not Award.objects.exists()


def test_the_form_starts_with_the_top_ranked_bid(data: Evaluated) -> None:
    agree_example(data)
    page = _page(client_for(data.keeper).get(_url("award_make", data.round.pk)))
    assert f'value="{data.bids[0].pk}" checked' in page
    assert "Oak Trust: 88.80 points, ranked 1" in page
    assert "the standstill period of 8 working days ends on" in page
    for bid in data.bids:
        assert f'name="feedback_{bid.pk}"' in page


def test_another_bid_needs_the_reason_why(data: Evaluated) -> None:
    agree_example(data)
    client = client_for(data.keeper)
    url = _url("award_make", data.round.pk)
    ash = data.bids[1]
    response = client.post(url, _award_post(data, ash.pk))
    page = _page(response)
    assert response.status_code == 200
    assert "This bid did not score highest: say why" in page
    assert 'href="#id_why_not_top"' in page
    assert "Feedback for Elm Care Ltd." in page  # nothing lost
    assert not Award.objects.exists()
    response = client.post(
        url, _award_post(data, ash.pk, why_not_top="Oak cannot start until next year.")
    )
    assert response.status_code == 302
    assert response["Location"] == _url("award", data.round.pk)
    assert Award.objects.get().bid == ash


def test_only_keepers_make_the_award(data: Evaluated) -> None:
    agree_example(data)
    url = _url("award_make", data.round.pk)
    for person in (UserFactory(), data.bidders[0]):
        response = client_for(person).post(url, _award_post(data, data.bids[0].pk))
        assert response.status_code == 403
    assert not Award.objects.exists()


# --- The published award ----------------------------------------------------------------------------


def test_before_the_award_its_page_says_when(data: Evaluated) -> None:
    page = _page(Client().get(_url("award", data.round.pk)))
    assert "The award has not been made yet." in page
    assert date_format(data.round.award_on, "j F Y") in page


def test_the_public_award_page(data: Evaluated) -> None:
    agree_example(data)
    made = award(data)
    response = Client().get(_url("award", data.round.pk))
    page = _page(response)
    assert response.status_code == 200
    assert "Awarded to Oak Trust" in page
    assert "88.80 points of 100, ranked 1" in page
    assert "The highest score: local staff and quick appointments." in page
    assert "£1,000,000" in page  # the contract price
    assert "£1,100,000" not in page  # the losing bids' prices are not published
    for total in ("88.80", "83.13", "62.80"):
        assert total in page
    assert "Lowest price ÷ this price × the price weight" in page  # the price method
    assert "18 × 4 ÷ 5 = 14.40 points" in page  # the arithmetic
    assert date_format(made.standstill_ends_on, "j F Y") in page
    assert _url("interests", data.round.pk) in page
    assert _url("ocds", data.round.pk) in page
    assert _url("scores_csv", data.round.pk) in page
    assert "Feedback for" not in page  # feedback is the bidders' own
    assert "Agreed at the meeting." not in page  # so are the moderation's reasons


# --- A bidder's own scores -----------------------------------------------------------------------


def test_an_unsuccessful_bidder_sees_its_own_scores_and_no_one_elses(data: Evaluated) -> None:
    agree_example(data)
    agree(data.bids[0], data.keeper, (4, 4, 5), reason="Oak-only reason")
    award(data)
    oak, ash, _elm = data.bids
    client = client_for(data.bidders[1])
    award_page = _page(client.get(_url("award", data.round.pk)))
    assert _url("own_scores", ash.pk) in award_page
    assert _url("own_scores", oak.pk) not in award_page
    response = client.get(_url("own_scores", ash.pk))
    page = _page(response)
    assert response.status_code == 200
    assert "The contract was awarded to Oak Trust." in page
    assert "Your bid scored 83.13 points of 100 and was ranked 2 of 3." in page
    assert "5 – Excellent: exceeds it with clear evidence" in page
    assert "Agreed at the meeting. (Local jobs)" in page
    assert "Feedback for Ash Co-operative." in page
    assert "18.00 of 18" in page
    assert "Feedback for Oak Trust." not in page
    assert "Feedback for Elm Care Ltd." not in page
    assert "Oak-only reason" not in page
    assert client.get(_url("own_scores", oak.pk)).status_code == 404


def test_own_scores_read_each_kind_of_thing_once(data: Evaluated) -> None:
    """Nothing on the page is read a row at a time (the moderation's reasons were, once)."""
    agree_example(data)
    award(data)
    client = client_for(data.bidders[1])
    url = _url("own_scores", data.bids[1].pk)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert max(shape_counts(queries.captured_queries).values()) <= 2


def test_own_scores_wait_for_the_award(data: Evaluated) -> None:
    agree_example(data)
    client = client_for(data.bidders[1])
    assert client.get(_url("own_scores", data.bids[1].pk)).status_code == 404
    assert client_for(data.keeper).get(_url("own_scores", data.bids[1].pk)).status_code == 404
