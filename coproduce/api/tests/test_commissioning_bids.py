"""The commissioning API's bids (decision 0413): sealed until the deadline for everyone but the
bidder — the round's staff and superusers included —, every later opening logged with the route
"api"; starting, changing, submitting and withdrawing a bid through the website's actions, and
refused once bids close; bidders' questions; the register of interests; the award with its
scores table; the round as an OCDS release package."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.api.commissioning_bids_schemas import BidStatusName, EvaluatorRoleName
from coproduce.api.tests.client import Api, fields
from coproduce.commissioning import actions_award, actions_bids, actions_evaluation, export
from coproduce.commissioning.models import (
    AccessRoute,
    Bid,
    BidAccess,
    BidStatus,
    Clarification,
    Commitment,
    Criterion,
    CriterionKind,
    EvaluatorRole,
    Round,
)
from coproduce.commissioning.tests.factories_bids import (
    close_bids,
    make_bid,
    make_bidder,
    ready_round,
)
from coproduce.organisations.models import Organisation, Role
from coproduce.outcomes.models import Indicator
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def _api(user: User) -> Api:
    return Api(api_token_create(user=user, name="test")[1])


@dataclass
class Bidding:
    """A round open for bids, its keeper (an administrator of the commissioning organisation), a
    bidder with a bid, another bidder, and a superuser."""

    round_: Round
    keeper: User
    bidder: User
    organisation: Organisation
    bid: Bid
    other: User
    other_bid: Bid
    superuser: User

    @property
    def quality(self) -> list[Criterion]:
        return list(self.round_.criteria.filter(kind=CriterionKind.QUALITY))

    @property
    def social(self) -> Criterion:
        return self.round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)

    @property
    def indicator(self) -> Indicator:
        indicator = self.social.indicators.first()
        assert indicator is not None
        return indicator


def _bidding(*, submit: bool = True) -> Bidding:
    round_ = ready_round()
    keeper = staff_of(round_.activity, Role.ADMIN)
    bidder, organisation = make_bidder()
    bid = make_bid(round_, bidder, organisation, submit=submit)
    other, other_organisation = make_bidder()
    other_bid = make_bid(round_, other, other_organisation)
    superuser = UserFactory(is_superuser=True, is_staff=True, mfa=True)
    return Bidding(round_, keeper, bidder, organisation, bid, other, other_bid, superuser)


def _bid_url(bid: Bid) -> str:
    return f"/commissioning/bids/{bid.pk}"


def _round_url(round_: Round, tail: str = "") -> str:
    return f"/commissioning/rounds/{round_.pk}{tail}"


def _rule_message(response: Any) -> str:
    assert response.status_code == 422, response.content
    issues = response.json()["detail"]
    assert {issue["type"] for issue in issues} == {"rule"}
    return " ".join(issue["msg"] for issue in issues)


def test_the_enums_are_the_models_choices() -> None:
    assert {s.value for s in BidStatusName} == set(BidStatus.values)
    assert {r.value for r in EvaluatorRoleName} == set(EvaluatorRole.values)


# --- Sealing ------------------------------------------------------------------------------------


def test_before_the_deadline_only_the_bidder_reads_a_bid_and_nothing_is_logged() -> None:
    setup = _bidding()
    mine = _api(setup.bidder).get(_bid_url(setup.bid))
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert body["price"] == 1150000.0
    assert body["status"] == "submitted"
    assert {s["criterion"] for s in body["statements"]} == {c.pk for c in setup.quality}
    assert body["may_edit"] is True
    assert body["feedback"] is None
    resident = UserFactory()
    for person in (setup.keeper, setup.superuser, setup.other, resident):
        refused = _api(person).get(_bid_url(setup.bid))
        assert refused.status_code == 404, person
        assert refused.json() == {"detail": "Not found."}
    assert Api().get(_bid_url(setup.bid)).status_code == 401
    assert not BidAccess.objects.exists()


def test_after_the_deadline_staff_read_submitted_bids_and_each_reading_is_logged() -> None:
    setup = _bidding()
    setup.round_ = close_bids(setup.round_)
    for person in (setup.keeper, setup.superuser):
        response = _api(person).get(_bid_url(setup.bid))
        assert response.status_code == 200, response.content
        assert response.json()["price"] == 1150000.0
        assert response.json()["may_edit"] is False
    logged = list(BidAccess.objects.order_by("at", "pk").values_list("person", "route", "bid"))
    assert logged == [
        (setup.keeper.pk, AccessRoute.API, setup.bid.pk),
        (setup.superuser.pk, AccessRoute.API, setup.bid.pk),
    ]
    # The bidder's own reading is not an opening to log; another bidder still may not read it.
    assert _api(setup.bidder).get(_bid_url(setup.bid)).status_code == 200
    assert _api(setup.other).get(_bid_url(setup.bid)).status_code == 404
    assert _api(UserFactory()).get(_bid_url(setup.bid)).status_code == 404
    assert Api().get(_bid_url(setup.bid)).status_code == 401
    assert BidAccess.objects.count() == 2


def test_a_draft_stays_sealed_after_the_deadline() -> None:
    setup = _bidding(submit=False)
    setup.round_ = close_bids(setup.round_)
    assert _api(setup.keeper).get(_bid_url(setup.bid)).status_code == 404
    assert _api(setup.superuser).get(_bid_url(setup.bid)).status_code == 404
    assert _api(setup.bidder).get(_bid_url(setup.bid)).json()["status"] == "draft"
    assert not BidAccess.objects.exists()


def _evaluator(setup: Bidding) -> User:
    """A resident chosen to evaluate the round (who has declared nothing yet)."""
    person = UserFactory(name="Jo Evaluator")
    actions_evaluation.evaluator_add(
        round_=setup.round_, by=setup.keeper, email=person.email, role=EvaluatorRole.RESIDENT
    )
    return person


def _declare(setup: Bidding, person: User, *, conflict_with: Bid | None = None) -> None:
    answers = {
        bid.pk: actions_evaluation.Interest(
            conflict=bid == conflict_with, details="My sister works there." * (bid == conflict_with)
        )
        for bid in (setup.bid, setup.other_bid)
    }
    actions_evaluation.declarations_save(round_=setup.round_, person=person, answers=answers)


def test_an_evaluator_reads_bids_only_after_declaring_and_never_a_conflicted_one() -> None:
    setup = _bidding()
    evaluator = _evaluator(setup)
    setup.round_ = close_bids(setup.round_)
    api = _api(evaluator)
    assert api.get(_bid_url(setup.bid)).status_code == 404
    assert api.get(_round_url(setup.round_, "/bids")).json()["count"] == 0
    _declare(setup, evaluator, conflict_with=setup.other_bid)
    assert api.get(_bid_url(setup.bid)).status_code == 200
    assert api.get(_bid_url(setup.other_bid)).status_code == 404
    listed = api.get(_round_url(setup.round_, "/bids")).json()
    assert [item["id"] for item in listed["items"]] == [setup.bid.pk]
    assert list(BidAccess.objects.values_list("person", "route")) == [
        (evaluator.pk, AccessRoute.API)
    ]


def test_the_list_of_bids_holds_no_content_and_follows_the_sealing_rule() -> None:
    setup = _bidding()
    url = _round_url(setup.round_, "/bids")
    mine = _api(setup.bidder).get(url).json()
    assert mine["count"] == 1
    assert mine["items"] == [
        {
            "id": setup.bid.pk,
            "organisation": setup.organisation.slug,
            "status": "submitted",
            "submitted_at": mine["items"][0]["submitted_at"],
        }
    ]
    # Before the deadline the round's staff and superusers see none: not even how many.
    for person in (setup.keeper, setup.superuser, UserFactory()):
        assert _api(person).get(url).json() == {"items": [], "count": 0}
    assert Api().get(url).json() == {"items": [], "count": 0}  # nobody's, without a token
    setup.round_ = close_bids(setup.round_)
    seen = _api(setup.keeper).get(url).json()
    assert {item["id"] for item in seen["items"]} == {setup.bid.pk, setup.other_bid.pk}
    assert all(
        set(item) == {"id", "organisation", "status", "submitted_at"} for item in seen["items"]
    )
    assert _api(setup.other).get(url).json()["count"] == 1
    assert Api().get(url).json()["count"] == 0
    assert not BidAccess.objects.exists()  # listing opens nothing


# --- Starting and changing a bid ----------------------------------------------------------------


def test_a_bid_is_started_written_submitted_withdrawn_and_started_again() -> None:
    round_ = ready_round()
    bidder, organisation = make_bidder()
    api = _api(bidder)
    started = api.post(_round_url(round_, "/bids"), {"organisation": organisation.slug})
    assert started.status_code == 201, started.content
    bid = started.json()
    assert (bid["status"], bid["price"], bid["statements"]) == ("draft", None, [])
    url = f"/commissioning/bids/{bid['id']}"
    quality = list(round_.criteria.filter(kind=CriterionKind.QUALITY))
    early = api.post(f"{url}/submit", {})
    assert "Enter your price" in _rule_message(early)
    written = api.put(
        url,
        {
            "price": 987654.321,
            "summary": "  A local charity.  ",
            "statements": [{"criterion": c.pk, "text": f"We will {c.name}."} for c in quality],
        },
    )
    assert written.status_code == 200, written.content
    assert written.json()["price"] == 987654.32
    assert written.json()["summary"] == "A local charity."
    assert Bid.objects.get(pk=bid["id"]).price == Decimal("987654.32")
    submitted = api.post(f"{url}/submit", {})
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"] is not None
    again = api.post(f"{url}/submit", {})
    assert "already submitted" in _rule_message(again)
    # A submitted bid must stay complete: removing a statement is refused, nothing changes.
    emptied = api.put(
        url,
        {"price": 1000, "summary": "", "statements": [{"criterion": quality[0].pk, "text": ""}]},
    )
    assert "must stay complete" in _rule_message(emptied)
    assert Bid.objects.get(pk=bid["id"]).price == Decimal("987654.32")
    withdrawn = api.post(f"{url}/withdraw", {})
    assert withdrawn.json()["status"] == "withdrawn"
    refused = api.put(url, {"price": 1, "summary": ""})
    assert "withdrawn" in _rule_message(refused)
    back = api.post(_round_url(round_, "/bids"), {"organisation": organisation.slug})
    assert back.status_code == 201
    assert back.json()["id"] == bid["id"]
    assert back.json()["status"] == "draft"
    assert back.json()["price"] == 987654.32


def test_who_may_start_a_bid_and_when() -> None:
    round_ = ready_round()
    bidder, organisation = make_bidder()
    url = _round_url(round_, "/bids")
    body = {"organisation": organisation.slug}
    someone_else = _api(make_bidder()[0]).post(url, body)
    assert someone_else.status_code == 403
    assert "administrator or a professional" in someone_else.json()["detail"]
    assert _api(UserFactory()).post(url, body).status_code == 403
    assert Api().post(url, body).status_code == 401
    assert fields(_api(bidder).post(url, {"organisation": "no-such-organisation"})) == {
        ("body", "organisation"): "rule"
    }
    assert _api(bidder).post(url, body).status_code == 201
    twice = _api(bidder).post(url, body)
    assert fields(twice) == {("body", "organisation"): "rule"}
    assert "already started a bid" in twice.json()["detail"][0]["msg"]
    assert Bid.objects.filter(round=round_).count() == 1


def test_no_bid_before_the_weights_are_published_or_after_bids_close() -> None:
    from coproduce.commissioning.tests.factories import make_criteria, make_round

    unpublished = make_round()
    make_criteria(unpublished, staff_of(unpublished.activity))
    bidder, organisation = make_bidder()
    body = {"organisation": organisation.slug}
    early = _api(bidder).post(_round_url(unpublished, "/bids"), body)
    assert "weights are published" in _rule_message(early)
    closed = close_bids(ready_round())
    late = _api(bidder).post(_round_url(closed, "/bids"), body)
    assert "Bids closed on" in _rule_message(late)
    assert not Bid.objects.exists()


def test_edits_are_refused_after_the_deadline_with_a_clear_message() -> None:
    setup = _bidding()
    commitment = actions_bids.commitment_add(
        bid=setup.bid,
        by=setup.bidder,
        criterion=setup.social,
        indicator=setup.indicator,
        quantity=Decimal(12),
        description="12 local young people employed",
    )
    setup.round_ = close_bids(setup.round_)
    api = _api(setup.bidder)
    url = _bid_url(setup.bid)
    attempts = [
        api.put(url, {"price": 1, "summary": "Cheaper now."}),
        api.post(
            f"{url}/commitments",
            {
                "criterion": setup.social.pk,
                "indicator": setup.indicator.pk,
                "quantity": 5,
                "description": "Five more",
            },
        ),
        api.delete(f"/commissioning/commitments/{commitment.pk}"),
        api.post(f"{url}/submit", {}),
        api.post(f"{url}/withdraw", {}),
    ]
    for response in attempts:
        assert "Bids closed on" in _rule_message(response)
        assert "can no longer change" in response.json()["detail"][0]["msg"]
    setup.bid.refresh_from_db()
    assert (setup.bid.price, setup.bid.status) == (Decimal("1150000"), BidStatus.SUBMITTED)
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    # The round's staff may read the bid now, but never change it.
    staff = _api(setup.keeper).put(url, {"price": 1, "summary": ""})
    assert staff.status_code == 403
    assert "bidding organisation" in staff.json()["detail"]
    # Those who may not read it are not told it exists.
    assert _api(setup.other).put(url, {"price": 1, "summary": ""}).status_code == 404


def test_before_the_deadline_nobody_but_the_bidder_learns_that_a_bid_exists() -> None:
    setup = _bidding()
    url = _bid_url(setup.bid)
    for person in (setup.keeper, setup.superuser, setup.other):
        api = _api(person)
        assert api.put(url, {"price": 1, "summary": ""}).status_code == 404
        assert api.post(f"{url}/submit", {}).status_code == 404
        assert api.post(f"{url}/withdraw", {}).status_code == 404
    setup.bid.refresh_from_db()
    assert setup.bid.status == BidStatus.SUBMITTED


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"price": -1, "summary": ""}, {("body", "price"): "greater_than_equal"}),
        ({"price": "12", "summary": ""}, {("body", "price"): "float_type"}),
        ({"price": 1, "summary": "x" * 2001}, {("body", "summary"): "string_too_long"}),
        ({"price": 1}, {("body", "summary"): "missing"}),
        ({"price": 1, "summary": "", "extra": 1}, {("body", "extra"): "extra_forbidden"}),
        (
            {"price": 1, "summary": "", "statements": [{"criterion": 0, "text": "x"}]},
            {("body", "statements", 0, "criterion"): "greater_than_equal"},
        ),
    ],
)
def test_a_change_outside_the_schema_is_refused_field_by_field(
    body: dict[str, Any], expected: dict[tuple[Any, ...], str]
) -> None:
    setup = _bidding(submit=False)
    response = _api(setup.bidder).put(_bid_url(setup.bid), body)
    got = fields(response)
    assert {loc: kind for loc, kind in got.items() if loc in expected} == expected, got
    assert Bid.objects.get(pk=setup.bid.pk).price == Decimal("1150000")


def test_statements_only_for_the_rounds_quality_criteria_and_once_each() -> None:
    setup = _bidding(submit=False)
    api = _api(setup.bidder)
    social = {
        "price": 1,
        "summary": "",
        "statements": [{"criterion": setup.social.pk, "text": "x"}],
    }
    assert fields(api.put(_bid_url(setup.bid), social)) == {("body", "statements"): "rule"}
    twice = {
        "price": 1,
        "summary": "",
        "statements": [{"criterion": setup.quality[0].pk, "text": t} for t in ("a", "b")],
    }
    assert fields(api.put(_bid_url(setup.bid), twice)) == {("body", "statements"): "rule"}
    assert Bid.objects.get(pk=setup.bid.pk).price == Decimal("1150000")


def test_commitments_are_added_checked_field_by_field_and_taken_out() -> None:
    setup = _bidding(submit=False)
    api = _api(setup.bidder)
    url = f"{_bid_url(setup.bid)}/commitments"
    good = {
        "criterion": setup.social.pk,
        "indicator": setup.indicator.pk,
        "quantity": 12,
        "description": "12 local young people employed",
    }
    added = api.post(url, good)
    assert added.status_code == 201, added.content
    assert added.json() == {"id": added.json()["id"], **good, "quantity": 12.0}
    assert _api(setup.bidder).get(_bid_url(setup.bid)).json()["commitments"] == [added.json()]
    quality = {**good, "criterion": setup.quality[0].pk}
    assert fields(api.post(url, quality)) == {("body", "criterion"): "rule"}
    other_round = ready_round()
    foreign = {**good, "criterion": other_round.criteria.get(kind=CriterionKind.SOCIAL_VALUE).pk}
    assert fields(api.post(url, foreign)) == {("body", "criterion"): "rule"}
    other_indicator = other_round.criteria.get(kind=CriterionKind.SOCIAL_VALUE).indicators.get()
    assert fields(api.post(url, {**good, "indicator": other_indicator.pk})) == {
        ("body", "indicator"): "rule"
    }
    assert fields(api.post(url, {**good, "quantity": 0})) == {("body", "quantity"): "greater_than"}
    assert fields(api.post(url, {**good, "quantity": 0.001})) == {("body", "quantity"): "rule"}
    assert fields(api.post(url, {**good, "description": "   "})) == {
        ("body", "description"): "value_error"
    }
    assert Commitment.objects.filter(bid=setup.bid).count() == 1
    # Only the bidder takes it out; the answer is the bid.
    path = f"/commissioning/commitments/{added.json()['id']}"
    assert _api(setup.keeper).delete(path).status_code == 404
    removed = api.delete(path)
    assert removed.status_code == 200
    assert removed.json()["commitments"] == []
    assert api.delete(path).status_code == 404


# --- Bidders' questions -------------------------------------------------------------------------


def test_bidders_ask_and_everyone_reads_the_answered_questions_without_the_asker() -> None:
    round_ = ready_round()
    bidder, _organisation = make_bidder()
    asked = _api(bidder).post(_round_url(round_, "/questions"), {"question": " Is TUPE in scope? "})
    assert asked.status_code == 201, asked.content
    assert asked.json()["question"] == "Is TUPE in scope?"
    assert asked.json()["answer"] == ""
    url = _round_url(round_, "/questions")
    assert Api().get(url).json() == {"items": [], "count": 0}
    clarification = Clarification.objects.get(pk=asked.json()["id"])
    keeper = staff_of(round_.activity, Role.ADMIN)
    actions_bids.clarification_answer(
        clarification=clarification, by=keeper, answer="Yes: see annex B.", answer_cy="Ydy."
    )
    listed = Api().get(url).json()
    assert listed["count"] == 1
    (item,) = listed["items"]
    assert (item["question"], item["answer"], item["answer_cy"]) == (
        "Is TUPE in scope?",
        "Yes: see annex B.",
        "Ydy.",
    )
    assert bidder.email not in json.dumps(listed)
    assert str(bidder.name) not in json.dumps(listed)


def test_only_organisations_members_ask_and_only_until_questions_close() -> None:
    round_ = ready_round()
    url = _round_url(round_, "/questions")
    resident = _api(UserFactory()).post(url, {"question": "Why?"})
    assert resident.status_code == 403
    assert "administrators and professionals of an organisation" in resident.json()["detail"]
    assert Api().post(url, {"question": "Why?"}).status_code == 401
    bidder, _organisation = make_bidder()
    assert fields(_api(bidder).post(url, {"question": "  "})) == {
        ("body", "question"): "value_error"
    }
    Round.objects.filter(pk=round_.pk).update(
        questions_close_on=timezone.localdate() - dt.timedelta(days=1)
    )
    late = _api(bidder).post(url, {"question": "Why?"})
    assert "Questions closed on" in _rule_message(late)
    assert not Clarification.objects.exists()


# --- The register of interests, the award, open data --------------------------------------------


def test_the_register_of_interests_is_published_once_bids_close() -> None:
    setup = _bidding()
    evaluator = _evaluator(setup)
    url = _round_url(setup.round_, "/interests")
    assert Api().get(url).json() == {"round": setup.round_.pk, "published": False, "evaluators": []}
    setup.round_ = close_bids(setup.round_)
    before = Api().get(url).json()
    assert before["published"] is True
    (row,) = before["evaluators"]
    assert (row["name"], row["role"], row["declared_all"]) == ("Jo Evaluator", "resident", False)
    assert [d["declared"] for d in row["declarations"]] == [False, False]
    _declare(setup, evaluator, conflict_with=setup.other_bid)
    (row,) = Api().get(url).json()["evaluators"]
    assert row["declared_all"] is True
    declared = {d["bid"]: d for d in row["declarations"]}
    assert declared[setup.other_bid.pk]["conflict"] is True
    assert declared[setup.other_bid.pk]["details"] == "My sister works there."
    assert declared[setup.bid.pk]["conflict"] is False
    assert declared[setup.bid.pk]["details"] == ""
    assert evaluator.email not in json.dumps(row)


def _award(setup: Bidding, scores: dict[int, int]) -> None:
    """Bids closed, scores agreed (every criterion of a bid the same score) and the award made to
    ``setup.bid``."""
    setup.round_ = close_bids(setup.round_)
    for bid in Bid.objects.filter(pk__in=[setup.bid.pk, setup.other_bid.pk]):
        actions_evaluation.agreed_scores_save(
            bid=bid,
            by=setup.keeper,
            agreed={
                c.pk: actions_evaluation.Given(scores[bid.pk], "Agreed at the meeting.")
                for c in setup.round_.criteria.all()
            },
        )
    actions_award.award_make(
        round_=setup.round_,
        by=setup.keeper,
        bid=Bid.objects.get(pk=setup.bid.pk),
        reasons="The best plan for young people.",
        feedback={setup.bid.pk: "Strong.", setup.other_bid.pk: "Good, but dearer."},
    )


def test_the_award_is_404_until_made_then_has_the_scores_table() -> None:
    setup = _bidding()
    url = _round_url(setup.round_, "/award")
    assert Api().get(url).status_code == 404
    _award(setup, {setup.bid.pk: 5, setup.other_bid.pk: 3})
    response = Api().get(url)
    assert response.status_code == 200, response.content
    award = response.json()
    assert (award["bid"], award["organisation"]) == (setup.bid.pk, setup.organisation.slug)
    assert award["value"] == 1150000.0
    assert award["reasons"] == "The best plan for young people."
    assert award["price_weight"] == setup.round_.price_weight
    assert [step["score"] for step in award["scale"]] == [0, 1, 2, 3, 4, 5]
    first, second = award["scores"]
    assert (first["bid"], first["rank"], first["awarded"]) == (setup.bid.pk, 1, True)
    assert (second["bid"], second["rank"], second["awarded"]) == (setup.other_bid.pk, 2, False)
    # Equal prices: each gets the whole price weight; the criteria share the rest by score.
    assert first["price_points"] == second["price_points"] == setup.round_.price_weight
    assert first["total"] == 100.0
    share = (100 - setup.round_.price_weight) * 3 / 5
    assert second["total"] == pytest.approx(setup.round_.price_weight + share, abs=0.01)
    assert {c["criterion"] for c in first["criteria"]} == {
        c.pk for c in setup.round_.criteria.all()
    }
    assert sum(c["weight"] for c in first["criteria"]) == 100
    assert all(c["score"] == 3 for c in second["criteria"])
    assert first["tied_with"] == second["tied_with"] == []
    # The bidder now reads its feedback with its bid; nobody else gets it.
    assert _api(setup.bidder).get(_bid_url(setup.bid)).json()["feedback"] == "Strong."
    assert _api(setup.keeper).get(_bid_url(setup.bid)).json()["feedback"] is None


def test_the_ocds_package_is_the_exports_and_names_no_bidder_before_the_deadline() -> None:
    setup = _bidding()
    url = _round_url(setup.round_, "/ocds")
    before = Api().get(url)
    assert before.status_code == 200
    package = before.json()
    assert package["version"] == "1.1"
    assert package == json.loads(json.dumps(export.ocds_package(setup.round_)))
    text = json.dumps(package)
    for name in (setup.organisation.name, setup.bid.organisation.slug, "1150000"):
        assert name not in text
    _award(setup, {setup.bid.pk: 5, setup.other_bid.pk: 3})
    after = Api().get(url).json()
    assert [r["tag"] for r in after["releases"]][-1] == ["award", "contract"]
    assert setup.organisation.name in json.dumps(after)


def test_a_draft_rounds_bids_questions_register_award_and_data_are_404_to_outsiders() -> None:
    from coproduce.commissioning.tests.factories import make_round
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.DRAFT)
    draft = make_round(activity)
    api = _api(UserFactory())
    for tail in ("/questions", "/bids", "/interests", "/award", "/ocds"):
        assert api.get(_round_url(draft, tail)).status_code == 404, tail
    assert api.post(_round_url(draft, "/questions"), {"question": "?"}).status_code == 404
    assert api.post(_round_url(draft, "/bids"), {"organisation": "x"}).status_code == 404
