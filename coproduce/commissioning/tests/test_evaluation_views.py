"""The evaluation pages: the public register of interests, choosing evaluators, the evaluator's
list, declaring, scoring (a conflicted evaluator sees no bid and saves nothing; nothing before
the deadline or after the award; independence: no one else's scores), and the moderation (every
score, a reason where they differ, the weighted totals with their arithmetic)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.commissioning.models import (
    AgreedScore,
    BidAccess,
    Declaration,
    Evaluator,
    Score,
)
from coproduce.commissioning.tests.factories import keeper_of
from coproduce.commissioning.tests.factories_evaluation import (
    Evaluated,
    agree,
    agree_example,
    award,
    close,
    declare,
    evaluated_round,
    make_evaluator,
    score,
)

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name: str, pk: int) -> str:
    return reverse(f"commissioning:{name}", args=[pk])


@pytest.fixture
def data() -> Evaluated:
    return evaluated_round()


def _score_post(data: Evaluated, scores: tuple[int, ...], comment: str) -> dict[str, str]:
    post: dict[str, str] = {}
    for criterion, value in zip(data.criteria, scores, strict=True):
        post[f"score_{criterion.pk}"] = str(value)
        post[f"comment_{criterion.pk}"] = f"{comment} on {criterion.name}"
    return post


# --- The public register of interests ----------------------------------------------------------


def test_the_register_is_published_when_bids_close() -> None:
    data = evaluated_round(closed=False)
    person = make_evaluator(data.round, data.keeper, UserFactory(name="Asha Patel"))
    page = _page(client_for(UserFactory()).get(_url("interests", data.round.pk)))
    assert "published when bids close" in page
    assert "Asha Patel" not in page
    assert "Oak Trust" not in page
    close(data)
    oak, ash, _elm = data.bids
    declare(data.round, person, {ash.pk: "My sister chairs its board."})
    make_evaluator(data.round, data.keeper, UserFactory(name="Ben Jones"))
    response = client_for(UserFactory()).get(_url("interests", data.round.pk))
    page = _page(response)
    assert response.status_code == 200
    assert "Asha Patel" in page
    assert "Resident evaluator" in page
    assert "My sister chairs its board." in page
    assert "Does not score this bid" in page
    assert "No interest" in page
    assert "Ben Jones" in page
    assert "Not declared yet" in page
    assert person.email not in page  # names only, never addresses
    assert oak.organisation.name in page


def test_the_register_is_public(data: Evaluated) -> None:
    from django.test import Client

    assert Client().get(_url("interests", data.round.pk)).status_code == 200


# --- Choosing evaluators ---------------------------------------------------------------------------


def test_a_keeper_chooses_an_evaluator_by_email(
    data: Evaluated, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(name="Asha Patel")
    client = client_for(data.keeper)
    url = _url("evaluators", data.round.pk)
    page = _page(client.get(url))
    assert "No evaluators yet." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": person.email, "role": "resident"})
    assert response.status_code == 302
    assert _messages(response) == ["Asha Patel is an evaluator of the round. We have emailed them."]
    assert Evaluator.objects.filter(round=data.round, person=person).exists()
    assert len(mailoutbox) == 1
    assert "Asha Patel" in _page(client.get(url))


def test_an_unknown_email_is_shown_on_its_field(data: Evaluated) -> None:
    response = client_for(data.keeper).post(
        _url("evaluators", data.round.pk), {"email": "nobody@example.org", "role": "resident"}
    )
    page = _page(response)
    assert response.status_code == 200
    assert "Nobody has an account with this email address" in page
    assert 'href="#id_email"' in page
    assert 'value="nobody@example.org"' in page  # nothing lost
    assert not Evaluator.objects.exists()


def test_others_cannot_choose_evaluators(data: Evaluated) -> None:
    resident = UserFactory()
    response = client_for(resident).post(
        _url("evaluators", data.round.pk), {"email": resident.email, "role": "resident"}
    )
    assert response.status_code == 403
    assert not Evaluator.objects.exists()


def test_an_evaluator_is_removed_before_declaring(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    evaluator = Evaluator.objects.get(person=person)
    client = client_for(data.keeper)
    assert "Remove" in _page(client.get(_url("evaluator_remove", evaluator.pk)))
    response = client.post(_url("evaluator_remove", evaluator.pk))
    assert response.status_code == 302
    assert not Evaluator.objects.exists()


# --- The evaluator's list, declaring ---------------------------------------------------------------


def test_the_list_says_what_to_do_in_order() -> None:
    data = evaluated_round(closed=False)
    person = make_evaluator(data.round, data.keeper)
    client = client_for(person)
    page = _page(client.get(_url("evaluate", data.round.pk)))
    assert "Then you will see who bid" in page
    assert "Oak Trust" not in page
    close(data)
    page = _page(client.get(_url("evaluate", data.round.pk)))
    assert _url("declare", data.round.pk) in page
    assert "Declare your interests first." in page
    assert _url("score", data.bids[0].pk) not in page
    declare(data.round, person, {data.bids[1].pk: "A friend runs it."})
    page = _page(client.get(_url("evaluate", data.round.pk)))
    assert _url("score", data.bids[0].pk) in page
    assert _url("score", data.bids[1].pk) not in page
    assert "You declared an interest, so you do not score this bid." in page
    assert "2 bids still to score." in page


def test_only_evaluators_have_a_list(data: Evaluated) -> None:
    assert client_for(UserFactory()).get(_url("evaluate", data.round.pk)).status_code == 403


def test_declaring_on_the_page(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    oak, ash, elm = data.bids
    client = client_for(person)
    url = _url("declare", data.round.pk)
    page = _page(client.get(url))
    for bid in data.bids:
        assert bid.organisation.name in page
    post = {
        f"interest_{oak.pk}": "none",
        f"interest_{ash.pk}": "interest",
        f"details_{ash.pk}": "",
    }
    response = client.post(url, post)
    page = _page(response)
    assert response.status_code == 200
    assert "Describe your interest in Ash Co-operative." in page
    assert "Say whether you have an interest in Elm Care Ltd." in page
    assert not Declaration.objects.exists()
    post[f"details_{ash.pk}"] = "I was a trustee until last year."
    post[f"interest_{elm.pk}"] = "none"
    response = client.post(url, post)
    assert response.status_code == 302
    assert response["Location"] == _url("evaluate", data.round.pk)
    assert Declaration.objects.get(bid=ash).details == "I was a trustee until last year."
    page = _page(client.get(url))  # final: shown, no form
    assert "I was a trustee until last year." in page
    assert "Declarations are final" in page
    assert f'name="interest_{oak.pk}"' not in page


def test_declaring_before_bids_close_is_refused() -> None:
    data = evaluated_round(closed=False)
    person = make_evaluator(data.round, data.keeper)
    client = client_for(person)
    url = _url("declare", data.round.pk)
    assert "once bids close" in _page(client.get(url))
    response = client.post(url, {f"interest_{data.bids[0].pk}": "none"})
    assert response.status_code == 403
    assert not Declaration.objects.exists()


# --- Scoring -------------------------------------------------------------------------------------


def test_an_evaluator_reads_the_bid_and_scores_it(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    declare(data.round, person)
    oak = data.bids[0]
    client = client_for(person)
    url = _url("score", oak.pk)
    page = _page(client.get(url))
    assert "£1,000,000" in page
    assert "How Oak Trust meets “Seen within four weeks”" in page
    assert "3 – Satisfactory: meets the requirement" in page  # the published scale's labels
    assert BidAccess.objects.filter(bid=oak, person=person, route="page").count() == 1
    post = _score_post(data, (3, 4, 5), "Well evidenced")
    post[f"comment_{data.criteria[2].pk}"] = ""
    response = client.post(url, post)
    page = _page(response)
    assert response.status_code == 200
    assert "Write a comment on “Local jobs” that explains the score." in page
    assert "Well evidenced on Seen within four weeks" in page  # nothing lost
    assert not Score.objects.exists()
    response = client.post(url, _score_post(data, (3, 4, 5), "Well evidenced"))
    assert response.status_code == 302
    assert sorted(Score.objects.filter(bid=oak).values_list("score", flat=True)) == [3, 4, 5]


def test_a_conflicted_evaluator_sees_no_bid_and_saves_nothing(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    ash = data.bids[1]
    declare(data.round, person, {ash.pk: "My sister chairs its board."})
    client = client_for(person)
    url = _url("score", ash.pk)
    response = client.get(url)
    page = _page(response)
    assert response.status_code == 200
    assert "You declared an interest in Ash Co-operative" in page
    assert "£1,100,000" not in page
    assert "How Ash Co-operative meets" not in page
    response = client.post(url, _score_post(data, (5, 5, 5), "Great"))
    assert response.status_code == 403
    assert "Nothing was saved." in _page(response)
    assert not Score.objects.exists()
    assert not BidAccess.objects.filter(bid=ash, person=person).exists()


def test_no_bid_is_shown_before_declaring_on_every_bidder(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    client = client_for(person)
    page = _page(client.get(_url("score", data.bids[0].pk)))
    assert "Declare your interests in every bidder first" in page
    assert "£1,000,000" not in page
    response = client.post(_url("score", data.bids[0].pk), _score_post(data, (3, 3, 3), "Ok"))
    assert response.status_code == 403
    assert not Score.objects.exists()


def test_scoring_is_refused_before_the_deadline_on_the_page() -> None:
    data = evaluated_round(closed=False)
    person = make_evaluator(data.round, data.keeper)
    client = client_for(person)
    url = _url("score", data.bids[0].pk)
    page = _page(client.get(url))
    assert "Nobody can read or score a bid before then." in page
    assert "£1,000,000" not in page
    assert client.post(url, _score_post(data, (3, 3, 3), "Ok")).status_code == 403
    assert not Score.objects.exists()


def test_scoring_is_refused_after_the_award_on_the_page(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    declare(data.round, person)
    agree_example(data)
    award(data)
    client = client_for(person)
    url = _url("score", data.bids[2].pk)
    assert "The award is made, so scoring is closed." in _page(client.get(url))
    assert client.post(url, _score_post(data, (3, 3, 3), "Late")).status_code == 403
    assert not Score.objects.exists()


def test_the_score_page_is_hidden_from_people_who_do_not_evaluate(data: Evaluated) -> None:
    url = _url("score", data.bids[0].pk)
    assert client_for(UserFactory()).get(url).status_code == 404
    assert client_for(data.bidders[1]).get(url).status_code == 404


def test_an_evaluator_never_sees_another_evaluators_scores(data: Evaluated) -> None:
    first = make_evaluator(data.round, data.keeper)
    second = make_evaluator(data.round, data.keeper)
    for person in (first, second):
        declare(data.round, person)
    oak = data.bids[0]
    score(oak, first, (1, 2, 1), comment="Quokka-first-evaluator")
    client = client_for(second)
    for url in (
        _url("score", oak.pk),
        _url("evaluate", data.round.pk),
        _url("declare", data.round.pk),
        _url("interests", data.round.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Quokka-first-evaluator" not in _page(response)
    # The first evaluator's own page shows their own comment; the moderation, everyone's.
    assert "Quokka-first-evaluator" in _page(client_for(first).get(_url("score", oak.pk)))
    assert client.get(_url("moderation", data.round.pk)).status_code == 403
    assert "Quokka-first-evaluator" in _page(
        client_for(data.keeper).get(_url("moderation", data.round.pk))
    )


# --- Moderation --------------------------------------------------------------------------------------


def _two_scores(data: Evaluated) -> list[User]:
    people = [make_evaluator(data.round, data.keeper) for _ in range(2)]
    for person, scores in zip(people, ((3, 4, 2), (3, 4, 4)), strict=True):
        declare(data.round, person)
        score(data.bids[0], person, scores, comment=f"Comment of {person.name}")
    return people


def test_the_moderation_shows_every_score_and_comment(data: Evaluated) -> None:
    people = _two_scores(data)
    page = _page(client_for(data.keeper).get(_url("moderation", data.round.pk)))
    for person in people:
        assert person.name in page
        assert f"Comment of {person.name} (Local jobs)" in page
    assert "2 – Weak: some gaps or risks" in page
    assert "4 – Good: meets it with some added value" in page
    assert "The evaluators’ scores differ" in page
    assert "Not scored yet" in page  # the other bids


def test_the_agreed_score_needs_a_reason_where_scores_differ(data: Evaluated) -> None:
    _two_scores(data)
    oak = data.bids[0]
    first, second, third = data.criteria
    client = client_for(data.keeper)
    url = _url("moderate_bid", oak.pk)
    post = {
        f"agreed_{first.pk}": "3",
        f"reason_{first.pk}": "",
        f"agreed_{second.pk}": "4",
        f"reason_{second.pk}": "",
        f"agreed_{third.pk}": "3",
        f"reason_{third.pk}": "",
    }
    response = client.post(url, post)
    page = _page(response)
    assert response.status_code == 200
    assert "The evaluators' scores for “Local jobs” differ" in page
    assert f'href="#id_reason_{third.pk}"' in page
    assert "differ from each other or from the agreed score: give the reason." in page
    assert not AgreedScore.objects.exists()
    post[f"reason_{third.pk}"] = "We met in the middle."
    response = client.post(url, post)
    assert response.status_code == 302
    assert AgreedScore.objects.get(bid=oak, criterion=third).reason == "We met in the middle."


def test_the_moderation_shows_the_totals_and_their_arithmetic(data: Evaluated) -> None:
    agree_example(data)
    page = _page(client_for(data.keeper).get(_url("moderation", data.round.pk)))
    for total in ("88.80", "83.13", "62.80"):
        assert total in page
    assert "Price (up to 40 points)" in page
    assert "Seen within four weeks (up to 18 points)" in page
    assert "The lowest price is £900,000; for Oak Trust: £900,000 ÷ £1,000,000 × 40 = 36.00" in page
    assert "up to 18 points; Oak Trust was agreed 4 of 5: 18 × 4 ÷ 5 = 14.40 points" in page
    assert _url("award_make", data.round.pk) in page


def test_after_the_award_the_moderation_is_a_record_that_cannot_change(data: Evaluated) -> None:
    """The round's page still links to the moderation after the award: it opens, read-only, even
    for a keeper who evaluates and never finished scoring (scoring is closed)."""
    colleague = keeper_of(data.round.activity.service)
    make_evaluator(data.round, data.keeper, colleague, role="staff")
    agree_example(data)
    award(data)
    oak = data.bids[0]
    for person in (data.keeper, colleague):
        client = client_for(person)
        response = client.get(_url("moderation", data.round.pk))
        page = _page(response)
        assert response.status_code == 200
        assert "Moderation: the agreed scores" in page
        assert "its scores can no longer be changed" in page
        assert "88.80" in page
        assert "Finish your own declarations" not in page
        assert _url("moderate_bid", oak.pk) not in page
        assert _url("award_make", data.round.pk) not in page
    manage = _page(
        client_for(data.keeper).get(reverse("commissioning:manage", args=[data.round.pk]))
    )
    assert _url("moderation", data.round.pk) in manage
    agreed = list(AgreedScore.objects.order_by("pk").values_list("pk", "score"))
    post = {f"agreed_{c.pk}": "0" for c in data.criteria}
    response = client_for(data.keeper).post(_url("moderate_bid", oak.pk), post)
    assert response.status_code == 403
    assert list(AgreedScore.objects.order_by("pk").values_list("pk", "score")) == agreed
    for outsider in (UserFactory(), data.bidders[0]):
        assert client_for(outsider).get(_url("moderation", data.round.pk)).status_code in (403, 404)


def test_ties_are_stated_in_words() -> None:
    data = evaluated_round(prices=("1000000", "1000000", "900000"))
    oak, ash, elm = data.bids
    agree(oak, data.keeper, (4, 4, 5))
    agree(ash, data.keeper, (4, 4, 5))
    agree(elm, data.keeper, (3, 2, 1))
    page = _page(client_for(data.keeper).get(_url("moderation", data.round.pk)))
    assert "Tied with Ash Co-operative" in page
    assert "Tied with Oak Trust" in page
    assert (
        "Oak Trust and Ash Co-operative have the same total, 88.80 points, so they share rank 1."
        in page
    )
    assert (
        "Ash Co-operative and Oak Trust have the same total, 88.80 points, so they share rank 1."
        in page
    )


def test_a_keeper_who_evaluates_sees_others_scores_only_after_their_own(data: Evaluated) -> None:
    other = make_evaluator(data.round, data.keeper)
    declare(data.round, other)
    score(data.bids[0], other, (1, 1, 1), comment="Quokka-other-evaluator")
    colleague = keeper_of(data.round.activity.service)
    make_evaluator(data.round, data.keeper, colleague, role="staff")
    client = client_for(colleague)
    for url in (_url("moderation", data.round.pk), _url("moderate_bid", data.bids[0].pk)):
        response = client.get(url)
        page = _page(response)
        assert response.status_code == 200
        assert "Finish your own declarations and scores first" in page
        assert "Quokka-other-evaluator" not in page
    oak, ash, elm = data.bids
    declare(data.round, colleague, {ash.pk: "I used to work there."})
    for bid in (oak, elm):
        score(bid, colleague, (2, 2, 2))
    page = _page(client.get(_url("moderation", data.round.pk)))
    assert "Quokka-other-evaluator" in page
    assert "You declared an interest in this bidder: others agree its scores." in page
    response = client.post(
        _url("moderate_bid", ash.pk),
        {f"agreed_{c.pk}": "3" for c in data.criteria}
        | {f"reason_{c.pk}": "Agreed." for c in data.criteria},
    )
    assert response.status_code == 403
    assert "You declared an interest in Ash Co-operative" in _page(response)
    assert not AgreedScore.objects.exists()
