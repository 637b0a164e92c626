"""The commissioning API (coproduce/api/commissioning.py and commissioning_bids.py) × every
role, with each role's token.

Rounds are seen as their activities are: a draft round is 404 to those who may not see it.
Your weighting needs a token, to read as well as to write; weighing a draft round, or one whose
weighting has closed, is a rule (422) to those who see it. Nobody gets 403 there: anyone signed
in may weigh an open round's criteria.

Bids (decision 0413): the bidding organisation here is the world's other organisation (its
professional bids). Before bids close a bid is a 404 to everyone else — the round's staff and
the superuser included; after, its staff and the superuser read the submitted bid (logged), and
may not change it (403), while the bidder's changes are a rule (422). Asking questions and
starting a bid need a membership that may bid (administrator or professional of an
organisation): 403 for the others.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import ROLES, World
from tests.security.permission_matrix.common import (
    API_NOTHING,
    API_OWNER_MEMBERS,
    API_PUBLIC,
    API_WITH_TOKEN,
    ApiCase,
    api_row,
)

ROUNDS = "/api/commissioning/rounds"
ROUND = f"{ROUNDS}/{{round_id}}"
WEIGHTING = f"{ROUND}/weighting"
QUESTIONS = f"{ROUND}/questions"
ROUND_BIDS = f"{ROUND}/bids"
BID = "/api/commissioning/bids/{bid_id}"
COMMITMENTS = f"{BID}/commitments"
COMMITMENT = "/api/commissioning/commitments/{commitment_id}"
DRAFT_SEEN = api_row(401, 404, 200, 200, 404, 200, 200)
DRAFT_RULE = api_row(401, 404, 422, 422, 404, 422, 422)
CLOSED_RULE = api_row(401, *[422] * 6)
# Administrators and professionals of an organisation may bid and ask; the world's facilitator,
# resident and superuser (a member of none) may not.
MAY_BID = api_row(401, 403, 403, 201, 201, 201, 403)
# The other organisation's bid, before bids close: its professional alone.
BIDDER_ONLY = api_row(401, 404, 404, 404, 200, 404, 404)
BIDDER_ADDS = api_row(401, 404, 404, 404, 201, 404, 404)
# After bids close: the round's staff (the owner's professional and administrator) and the
# superuser read the submitted bid; the bidder reads it too.
OPENED_AFTER = api_row(401, 404, 404, 200, 200, 200, 200)
# After bids close, a change: the bidder is refused by the timetable, staff may not.
CHANGE_AFTER = api_row(401, 404, 404, 403, 422, 403, 403)
COMMISSIONING_API_CASES = [
    ApiCase("get", ROUNDS, "open", API_PUBLIC),
    ApiCase("get", ROUND, "open", API_PUBLIC),
    ApiCase("get", ROUND, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", WEIGHTING, "open", API_WITH_TOKEN),
    ApiCase("get", WEIGHTING, "draft", DRAFT_SEEN, "draft"),
    ApiCase("put", WEIGHTING, "open", API_WITH_TOKEN),
    ApiCase("put", WEIGHTING, "draft", DRAFT_RULE, "draft"),
    ApiCase("put", WEIGHTING, "closed", CLOSED_RULE, "closed"),
    # Bidders' questions: answered ones are public; asking needs a bidding membership.
    ApiCase("get", QUESTIONS, "bidding", API_PUBLIC),
    ApiCase("get", QUESTIONS, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("post", QUESTIONS, "bidding", MAY_BID),
    ApiCase("post", QUESTIONS, "bids_closed", CLOSED_RULE, "questions closed"),
    ApiCase("post", QUESTIONS, "draft", DRAFT_RULE, "draft"),
    # Bids: the list answers everyone (what it holds depends on who asks: see the test below).
    ApiCase("get", ROUND_BIDS, "bidding", API_PUBLIC),
    ApiCase("get", ROUND_BIDS, "bids_closed", API_PUBLIC, "bids closed"),
    ApiCase("get", ROUND_BIDS, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("post", ROUND_BIDS, "fresh", MAY_BID),
    ApiCase("post", ROUND_BIDS, "bids_closed", CLOSED_RULE, "bids closed"),
    ApiCase("post", ROUND_BIDS, "draft", DRAFT_RULE, "draft"),
    ApiCase("get", BID, "bidding", BIDDER_ONLY, "sealed"),
    ApiCase("get", BID, "bids_closed", OPENED_AFTER, "bids closed"),
    ApiCase("put", BID, "bidding", BIDDER_ONLY, "sealed"),
    ApiCase("put", BID, "bids_closed", CHANGE_AFTER, "bids closed"),
    ApiCase("post", COMMITMENTS, "bidding", BIDDER_ADDS, "sealed"),
    ApiCase("post", COMMITMENTS, "bids_closed", CHANGE_AFTER, "bids closed"),
    ApiCase("delete", COMMITMENT, "bidding", BIDDER_ONLY, "sealed"),
    ApiCase("delete", COMMITMENT, "bids_closed", CHANGE_AFTER, "bids closed"),
    ApiCase("post", f"{BID}/submit", "bidding", BIDDER_ONLY, "sealed"),
    ApiCase("post", f"{BID}/submit", "bids_closed", CHANGE_AFTER, "bids closed"),
    ApiCase("post", f"{BID}/withdraw", "bidding", BIDDER_ONLY, "sealed"),
    ApiCase("post", f"{BID}/withdraw", "bids_closed", CHANGE_AFTER, "bids closed"),
    # The register of interests, the award and the open data are public with the round.
    ApiCase("get", f"{ROUND}/interests", "bids_closed", API_PUBLIC),
    ApiCase("get", f"{ROUND}/interests", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", f"{ROUND}/award", "awarded", API_PUBLIC),
    ApiCase("get", f"{ROUND}/award", "bids_closed", API_NOTHING, "not yet"),
    ApiCase("get", f"{ROUND}/ocds", "awarded", API_PUBLIC),
    ApiCase("get", f"{ROUND}/ocds", "draft", API_OWNER_MEMBERS, "draft"),
]


def _activity(w: World, state: str) -> Any:
    from coproduce.services.models import ActivityKind
    from coproduce.services.tests.factories import ActivityFactory

    return ActivityFactory(service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=state)


def _weighing(w: World, which: str) -> dict[str, Any]:
    """A round of the world's published service with criteria: "open", "closed" (its weighting
    closed yesterday) or a draft activity's ("draft")."""
    from coproduce.commissioning.models import Round
    from coproduce.commissioning.tests.factories import make_criteria, make_round
    from coproduce.services.models import ActivityState

    staff = w.people["professional"]
    state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
    round_ = make_round(_activity(w, state), staff)
    make_criteria(round_, staff)
    if which == "closed":
        Round.objects.filter(pk=round_.pk).update(
            weighting_closes_on=timezone.localdate() - dt.timedelta(days=1)
        )
    return {"round": Round.objects.get(pk=round_.pk)}


def _bids(w: World, which: str) -> dict[str, Any]:
    """A round of the world's published service open for bids ("fresh": no bid yet;
    "bidding": the other organisation's complete draft with a commitment), its bids closed
    ("bids_closed": that bid submitted; questions closed too) or awarded ("awarded")."""
    from coproduce.commissioning import actions_award, actions_bids, actions_evaluation
    from coproduce.commissioning.models import Bid, CriterionKind, Round
    from coproduce.commissioning.tests.factories import make_round
    from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, ready_round
    from coproduce.services.models import ActivityState

    round_ = ready_round(make_round(_activity(w, ActivityState.OPEN), w.people["professional"]))
    made: dict[str, Any] = {"round": round_}
    if which == "fresh":
        return made
    bidder = w.people["other_professional"]
    bid = make_bid(round_, bidder, w.other, submit=which != "bidding")
    social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
    made["social"], made["indicator"] = social, social.indicators.get()
    made["commitment"] = actions_bids.commitment_add(
        bid=bid,
        by=bidder,
        criterion=social,
        indicator=made["indicator"],
        quantity=Decimal(12),
        description="12 local young people employed",
    )
    if which != "bidding":
        round_ = close_bids(round_)
        Round.objects.filter(pk=round_.pk).update(
            questions_close_on=timezone.localdate() - dt.timedelta(days=1)
        )
    if which == "awarded":
        keeper = w.people["org_admin"]
        bid = Bid.objects.get(pk=bid.pk)
        actions_evaluation.agreed_scores_save(
            bid=bid,
            by=keeper,
            agreed={c.pk: actions_evaluation.Given(4, "Agreed.") for c in round_.criteria.all()},
        )
        actions_award.award_make(
            round_=round_, by=keeper, bid=bid, reasons="The best plan.", feedback={bid.pk: "Good."}
        )
    made["round"], made["bid"] = Round.objects.get(pk=round_.pk), Bid.objects.get(pk=bid.pk)
    return made


def _made(case: ApiCase, w: World) -> dict[str, Any]:
    """What the case needs, made once per world."""
    cache: dict[str, Any] = w.people.setdefault("_commissioning_api", {})
    if case.which not in cache:
        building = _weighing if case.which in {"open", "closed", "draft"} else _bids
        cache[case.which] = building(w, case.which)
    return dict(cache[case.which])


def _path(case: ApiCase, made: dict[str, Any]) -> str:
    path = case.path.replace("{round_id}", str(made["round"].pk))
    if "bid" in made:
        path = path.replace("{bid_id}", str(made["bid"].pk))
    if "commitment" in made:
        path = path.replace("{commitment_id}", str(made["commitment"].pk))
    return path


def _body(case: ApiCase, made: dict[str, Any], w: World, role: str) -> dict[str, Any]:
    """A body that is right for the operation, so that only who asks decides the answer."""
    if case.path == WEIGHTING:
        criteria = list(made["round"].criteria.all())
        return {
            "points": [
                {"criterion": c.pk, "points": 100 if i == 0 else 0} for i, c in enumerate(criteria)
            ]
        }
    if case.path == QUESTIONS:
        return {"question": "Does the contract include TUPE transfers?"}
    if case.path == ROUND_BIDS:  # each role bids for its own organisation, if it has one
        return {"organisation": (w.other if role == "other_professional" else w.owner).slug}
    if case.path == BID:
        return {"price": 1000000, "summary": "Our price is lower now.", "statements": []}
    if case.path == COMMITMENTS:
        return {
            "criterion": made["social"].pk,
            "indicator": made["indicator"].pk,
            "quantity": 3,
            "description": "3 apprenticeships",
        }
    return {}


def _send(case: ApiCase, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    if case.method == "get":
        return Client().get(path, headers=headers)
    if case.method == "delete":
        return Client().delete(path, headers=headers)
    send: Callable[..., Any] = getattr(Client(), case.method)
    return send(path, json.dumps(body), content_type="application/json", headers=headers)


def _headers(w: World, role: str) -> dict[str, str]:
    person = w.people[role]
    if person is None:
        return {}
    return {"Authorization": f"Bearer {api_token_create(user=person, name=role)[1]}"}


@pytest.mark.parametrize(
    "case",
    COMMISSIONING_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_commissioning_api_matrix(case: ApiCase, world: World) -> None:
    made = _made(case, world)
    path = _path(case, made)
    mismatches = []
    for role in ROLES:
        with transaction.atomic():
            response = _send(case, path, _body(case, made, world, role), _headers(world, role))
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(
                f"{role}: expected {case.expected[role]}, got {response.status_code}: "
                f"{response.content[:200]!r}"
            )
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


@pytest.mark.parametrize("which", ["bidding", "bids_closed"])
def test_who_sees_which_bids_in_a_rounds_list(which: str, world: World) -> None:
    """The list answers everyone, but holds the bidder's own bid alone before the deadline, and
    after it also the submitted bid for the round's staff and the superuser; nothing without a
    token."""
    from coproduce.commissioning.models import BidAccess

    made = _made(ApiCase("get", ROUND_BIDS, which, API_PUBLIC), world)
    path = _path(ApiCase("get", ROUND_BIDS, which, API_PUBLIC), made)
    sees = {"other_professional"} | (
        {"professional", "org_admin", "superuser"} if which == "bids_closed" else set()
    )
    for role in ROLES:
        items = Client().get(path, headers=_headers(world, role)).json()["items"]
        assert [item["id"] for item in items] == ([made["bid"].pk] if role in sees else []), role
    assert not BidAccess.objects.exists()


def test_every_commissioning_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith("/api/commissioning/")
    }
    assert operations == {f"{case.method} {case.path}" for case in COMMISSIONING_API_CASES}
