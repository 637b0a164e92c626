"""Token authentication and permissions: who gets 401, 403, 404 or success, on every write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from coproduce.accounts.actions import api_token_create, api_token_revoke
from coproduce.accounts.models import ApiToken
from coproduce.api.api import api
from coproduce.api.tests.client import Api
from coproduce.api.tests.loop import loop_world
from coproduce.contributions.tests.world import ROLES, World

pytestmark = pytest.mark.django_db

WRITE = "/services/published-service"


def _refused_with_401(response: Any) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_write_without_a_token_is_401(world: World, anonymous: Api) -> None:
    _refused_with_401(anonymous.patch(WRITE, {"name": "Renamed"}))


def test_an_unknown_token_is_401(world: World) -> None:
    _refused_with_401(Api("cp_not-a-real-token").patch(WRITE, {"name": "Renamed"}))


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Token abc", ""])
def test_a_malformed_authorization_header_is_401(world: World, header: str) -> None:
    _refused_with_401(Api(authorization=header).patch(WRITE, {"name": "Renamed"}))


def test_a_revoked_token_is_401(world: World) -> None:
    token, raw = api_token_create(user=world.people["professional"], name="revoked")
    assert Api(raw).patch(WRITE, {"name": "Renamed"}).status_code == 200
    api_token_revoke(token=token)
    _refused_with_401(Api(raw).patch(WRITE, {"name": "Renamed again"}))


def test_an_expired_token_is_401(world: World) -> None:
    token, raw = api_token_create(user=world.people["professional"], name="expired")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused_with_401(Api(raw).patch(WRITE, {"name": "Renamed"}))


def test_the_token_of_a_deactivated_person_is_401(world: World) -> None:
    person = world.people["professional"]
    _, raw = api_token_create(user=person, name="leaver")
    person.is_active = False
    person.save(update_fields=["is_active"])
    _refused_with_401(Api(raw).patch(WRITE, {"name": "Renamed"}))


def test_reads_are_public_but_a_bad_token_is_still_401(world: World, anonymous: Api) -> None:
    """A dead token must not quietly fall back to anonymous access."""
    assert anonymous.get("/services").status_code == 200
    _refused_with_401(Api("cp_not-a-real-token").get("/services"))


@pytest.mark.parametrize(
    "path",
    [
        "/services/published-service/standards",
        "/services/published-service/improvement-actions",
        "/assessments/2147483647",
        "/assessments/2147483647/findings",
    ],
)
def test_assessment_reads_need_no_token_but_refuse_a_bad_one(
    world: World, anonymous: Api, path: str
) -> None:
    """The token is checked before anything is looked up: 401 even where the answer is 404."""
    assert anonymous.get(path).status_code == (404 if "/assessments/" in path else 200)
    _refused_with_401(Api("cp_not-a-real-token").get(path))


def test_a_token_records_when_it_was_last_used(world: World) -> None:
    token, raw = api_token_create(user=world.people["professional"], name="used")
    assert token.last_used_at is None
    Api(raw).get("/services")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_valid_token_of_a_non_member_is_403(world: World, as_role: Callable[[str], Api]) -> None:
    response = as_role("other_professional").patch(WRITE, {"name": "Renamed"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Your token is valid, but you may not do this."}


def test_a_member_can_write(world: World, as_role: Callable[[str], Api]) -> None:
    response = as_role("professional").patch(WRITE, {"name": "Renamed"})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"


# --- The permission matrix: every write endpoint × every role. ----------------------------------
OK, UNAUTHENTICATED, DENIED, HIDDEN = 200, 401, 403, 404


def row(**statuses: int) -> dict[str, int]:
    assert set(statuses) == set(ROLES)
    return statuses


MANAGE_SERVICE = row(
    anonymous=UNAUTHENTICATED,
    resident=DENIED,
    facilitator=DENIED,
    professional=OK,
    other_professional=DENIED,
    org_admin=OK,
    superuser=OK,
)
MANAGE_DRAFT = {**MANAGE_SERVICE, "resident": HIDDEN, "other_professional": HIDDEN}
RUN_ACTIVITIES = {**MANAGE_SERVICE, "facilitator": OK}
RUN_DRAFT_ACTIVITY = {**RUN_ACTIVITIES, "resident": HIDDEN, "other_professional": HIDDEN}
CREATE_SERVICE = MANAGE_SERVICE  # in the owning organisation
# Taking part: anyone with a token, while the activity is open and the contribution published.
TAKE_PART = row(
    anonymous=UNAUTHENTICATED,
    resident=OK,
    facilitator=OK,
    professional=OK,
    other_professional=OK,
    org_admin=OK,
    superuser=OK,
)
CLOSED = {**TAKE_PART, **{role: DENIED for role in ROLES if role != "anonymous"}}
# A held contribution or a draft activity: the owner's staff see it, but nobody takes part in
# it; to everyone else it is not there.
UNSEEN_BY_OUTSIDERS = {**CLOSED, "resident": HIDDEN, "other_professional": HIDDEN}
# Official answers, idea statuses and decisions: administrators and professionals of the owner.
ANSWER = MANAGE_SERVICE
ANSWER_HELD = {**ANSWER, "resident": HIDDEN, "other_professional": HIDDEN}
# Bids (decision 0413): asking and bidding need an administrator's or a professional's
# membership of an organisation; a bid is the bidding organisation's alone until bids close.
BIDDERS_ASK = {**MANAGE_SERVICE, "other_professional": OK, "superuser": DENIED}
THE_BIDDER = {**CLOSED, "other_professional": OK}
SEALED_BID = {
    **dict.fromkeys(ROLES, HIDDEN),
    "anonymous": UNAUTHENTICATED,
    "other_professional": OK,
}
BID_AFTER_DEADLINE = {
    **SEALED_BID,
    **dict.fromkeys(["professional", "org_admin", "superuser"], DENIED),
    "other_professional": 422,
}
# Taking part in a draft activity's conversation: a rule (422) to those who see it.
DRAFT_RULE = {
    **UNSEEN_BY_OUTSIDERS,
    **dict.fromkeys(["facilitator", "professional", "org_admin", "superuser"], 422),
}


@dataclass
class Write:
    """One write request, built from the world, and who may make it."""

    name: str
    send: Callable[[Api, World], Any]
    expected: dict[str, int]
    success: int = OK


WRITES = [
    Write(
        "create a service",
        lambda api, w: api.post(
            "/services",
            {
                "organisation": w.owner.slug,
                "name": "Night buses",
                "summary": "Buses after midnight.",
                "policy_area": "transport",
                "area_served": "Northfield",
            },
        ),
        CREATE_SERVICE,
        success=201,
    ),
    Write(
        "edit a published service",
        lambda api, w: api.patch(f"/services/{w.service.slug}", {"summary": "New summary."}),
        MANAGE_SERVICE,
    ),
    Write(
        "edit a draft service",
        lambda api, w: api.patch(f"/services/{w.draft_service.slug}", {"summary": "New."}),
        MANAGE_DRAFT,
    ),
    Write(
        "publish a draft service",
        lambda api, w: api.patch(f"/services/{w.draft_service.slug}", {"status": "published"}),
        MANAGE_DRAFT,
    ),
    Write(
        "set involvement",
        lambda api, w: api.put(f"/services/{w.service.slug}/involvement", {"design": "involve"}),
        MANAGE_SERVICE,
    ),
    Write(
        "advance the stage",
        lambda api, w: api.post(f"/services/{w.service.slug}/advance", {"summary": "Done."}),
        MANAGE_SERVICE,
    ),
    Write(
        "add an activity",
        lambda api, w: api.post(
            f"/services/{w.service.slug}/activities",
            {"stage": "commissioning", "kind": "meeting", "title": "Drop-in", "summary": "Come."},
        ),
        RUN_ACTIVITIES,
        success=201,
    ),
    Write(
        "edit an open activity",
        lambda api, w: api.patch(f"/activities/{w.open_activity.pk}", {"title": "Renamed"}),
        RUN_ACTIVITIES,
    ),
    Write(
        "edit a draft activity",
        lambda api, w: api.patch(f"/activities/{w.draft_activity.pk}", {"title": "Renamed"}),
        RUN_DRAFT_ACTIVITY,
    ),
    Write(
        "open a draft activity",
        lambda api, w: api.post(
            f"/activities/{w.draft_activity.pk}/transitions", {"to_state": "open"}
        ),
        RUN_DRAFT_ACTIVITY,
    ),
    Write(
        "close an open activity",
        lambda api, w: api.post(
            f"/activities/{w.open_activity.pk}/transitions", {"to_state": "closed"}
        ),
        RUN_ACTIVITIES,
    ),
    Write(
        "post an idea",
        lambda api, w: api.post(
            f"/activities/{w.open_activity.pk}/ideas", {"title": "Bench", "description": "Sit."}
        ),
        TAKE_PART,
        success=201,
    ),
    Write(
        "post an idea to a closed challenge",
        lambda api, w: api.post(
            f"/activities/{loop_world(w).closed.pk}/ideas", {"title": "Late", "description": "."}
        ),
        CLOSED,
    ),
    Write(
        "post an idea to a draft challenge",
        lambda api, w: api.post(
            f"/activities/{w.draft_activity.pk}/ideas", {"title": "Early", "description": "."}
        ),
        UNSEEN_BY_OUTSIDERS,
    ),
    Write(
        "comment on an idea",
        lambda api, w: api.post(f"/ideas/{loop_world(w).idea.pk}/comments", {"body": "Yes."}),
        TAKE_PART,
        success=201,
    ),
    Write(
        "comment on a held idea",
        lambda api, w: api.post(
            f"/ideas/{loop_world(w).pending_idea.pk}/comments", {"body": "Yes."}
        ),
        UNSEEN_BY_OUTSIDERS,
    ),
    Write(
        "support an idea",
        lambda api, w: api.put(f"/ideas/{loop_world(w).idea.pk}/support"),
        TAKE_PART,
    ),
    Write(
        "withdraw a support",
        lambda api, w: api.delete(f"/ideas/{loop_world(w).idea.pk}/support"),
        TAKE_PART,
    ),
    Write(
        "support an idea of a closed challenge",
        lambda api, w: api.put(f"/ideas/{loop_world(w).closed_idea.pk}/support"),
        CLOSED,
    ),
    Write(
        "agree with a comment",
        lambda api, w: api.put(f"/comments/{loop_world(w).question.pk}/agreement"),
        TAKE_PART,
    ),
    Write(
        "withdraw an agreement",
        lambda api, w: api.delete(f"/comments/{loop_world(w).question.pk}/agreement"),
        TAKE_PART,
    ),
    Write(
        "agree with a comment of a closed challenge",
        lambda api, w: api.put(f"/comments/{loop_world(w).closed_comment.pk}/agreement"),
        CLOSED,
    ),
    Write(
        "record an asset",
        lambda api, w: api.post(
            f"/activities/{loop_world(w).survey.pk}/assets",
            {"kind": "people", "name": "I fix bikes", "description": "On Sundays."},
        ),
        TAKE_PART,
        success=201,
    ),
    Write(
        "tell a story",
        lambda api, w: api.post(
            f"/activities/{loop_world(w).stories.pk}/stories",
            {"title": "T", "body": "B", "author_display": "anonymous", "consent": True},
        ),
        TAKE_PART,
        success=201,
    ),
    Write(
        "report an idea",
        lambda api, w: api.post(
            f"/contributions/{loop_world(w).idea.pk}/reports", {"reason": "Rude."}
        ),
        TAKE_PART,
    ),
    Write(
        "report a held idea",
        lambda api, w: api.post(
            f"/contributions/{loop_world(w).pending_idea.pk}/reports", {"reason": "Rude."}
        ),
        UNSEEN_BY_OUTSIDERS,
    ),
    Write(
        "answer an idea",
        lambda api, w: api.post(
            f"/contributions/{loop_world(w).idea.pk}/responses", {"body": "Thank you."}
        ),
        ANSWER,
        success=201,
    ),
    Write(
        "answer a held story",
        lambda api, w: api.post(
            f"/contributions/{loop_world(w).pending_story.pk}/responses", {"body": "Thanks."}
        ),
        ANSWER_HELD,
        success=201,
    ),
    Write(
        "change an idea's status",
        lambda api, w: api.post(
            f"/ideas/{loop_world(w).idea.pk}/status", {"to_status": "under_consideration"}
        ),
        ANSWER,
    ),
    Write(
        "change a hidden idea's status",
        lambda api, w: api.post(
            f"/ideas/{loop_world(w).hidden_idea.pk}/status", {"to_status": "adopted"}
        ),
        ANSWER_HELD,
    ),
    Write(
        "record a decision",
        lambda api, w: api.post(
            f"/services/{w.service.slug}/decisions",
            {
                "title": "Open on Saturdays",
                "description": "Because you asked.",
                "decided_by": "Board",
                "decided_on": timezone.localdate().isoformat(),
                "contributions": [loop_world(w).idea.pk],
            },
        ),
        ANSWER,
        success=201,
    ),
    Write(
        "record a decision about a draft service",
        lambda api, w: api.post(
            f"/services/{w.draft_service.slug}/decisions",
            {
                "title": "Open on Saturdays",
                "description": "Because you asked.",
                "decided_by": "Board",
                "decided_on": timezone.localdate().isoformat(),
            },
        ),
        MANAGE_DRAFT,
        success=201,
    ),
    Write(
        "link contributions to a decision",
        lambda api, w: api.post(
            f"/decisions/{w.decision.pk}/contributions",
            {"contributions": [loop_world(w).asset.pk]},
        ),
        ANSWER,
    ),
    # Your own notification settings: anyone with a token, for themselves alone (decision 0024).
    Write(
        "choose your notification settings",
        lambda api, w: api.put(
            "/me/notification-settings",
            {
                "response": "weekly",
                "status": "at_once",
                "decision": "never",
                "new_activity": "daily",
                "language": "en",
            },
        ),
        TAKE_PART,
    ),
    # Participatory budgets (coproduce/api/budgets.py): anyone with a token votes while voting is
    # open; a budget that takes votes only with codes refuses accounts; voting in a budget that
    # is not open is a rule (422) to those who can see it, and not there to others.
    Write(
        "cast a ballot",
        lambda api, w: api.put(*_ballot(w, "voting")),
        TAKE_PART,
    ),
    Write(
        "cast a ballot where only voting codes vote",
        lambda api, w: api.put(*_ballot(w, "codes")),
        CLOSED,
    ),
    Write(
        "cast a ballot in a draft budget",
        lambda api, w: api.put(*_ballot(w, "draft")),
        {
            **UNSEEN_BY_OUTSIDERS,
            **dict.fromkeys(["facilitator", "professional", "org_admin", "superuser"], 422),
        },
    ),
    # Conversations (coproduce/api/conversations.py): anyone with a token adds statements and
    # votes while a conversation is open; in a draft one that is a rule (422) to those who can
    # see it, and not there to others.
    Write(
        "add a statement to a conversation",
        lambda api, w: api.post(_conversation(w, "open")[0], {"text": "More lights"}),
        TAKE_PART,
        success=201,
    ),
    Write(
        "add a statement to a draft conversation",
        lambda api, w: api.post(_conversation(w, "draft")[0], {"text": "More lights"}),
        DRAFT_RULE,
    ),
    Write(
        "vote on a statement",
        lambda api, w: api.put(_conversation(w, "open")[1], {"vote": "agree"}),
        TAKE_PART,
    ),
    Write(
        "vote on a statement of a draft conversation",
        lambda api, w: api.put(_conversation(w, "draft")[1], {"vote": "agree"}),
        DRAFT_RULE,
    ),
    # Citizen panels (coproduce/api/panels.py): the answer to a recommendation moves along its
    # statuses at the hands of those who answer for the service, as an idea's status does.
    Write(
        "move the answer to a panel's recommendation",
        lambda api, w: api.post(_recommendation_status(w), {"to_status": "accepted"}),
        ANSWER,
    ),
    # Outcomes (coproduce/api/outcomes.py): those who keep the service's outcomes record values;
    # anyone with a token answers an indicator's check of a published service, and on a draft
    # service that is a rule (422) to those who see it.
    Write(
        "record an indicator's value",
        lambda api, w: api.post(*_measurement(w, w.service)),
        MANAGE_SERVICE,
        success=201,
    ),
    Write(
        "record a value of a draft service's indicator",
        lambda api, w: api.post(*_measurement(w, w.draft_service)),
        MANAGE_DRAFT,
        success=201,
    ),
    Write(
        "answer an indicator's check",
        lambda api, w: api.put(_check(w, w.service), {"rating": 4}),
        TAKE_PART,
    ),
    Write(
        "answer a check of a draft service",
        lambda api, w: api.put(_check(w, w.draft_service), {"rating": 4}),
        DRAFT_RULE,
    ),
    # Commissioning (coproduce/api/commissioning.py): anyone with a token weighs an open round's
    # criteria; in a draft round that is a rule (422) to those who see it.
    Write(
        "weigh a round's criteria",
        lambda api, w: api.put(*_weighting(w, "open")),
        TAKE_PART,
    ),
    Write(
        "weigh the criteria of a draft round",
        lambda api, w: api.put(*_weighting(w, "draft")),
        DRAFT_RULE,
    ),
    # Bids (decision 0413): administrators and professionals of an organisation ask questions and
    # bid for it. A bid is the other organisation's here: before bids close it is not there to
    # anyone else (the owner's staff and the superuser included); after, the owner's staff may
    # read it but not change it (403) and the bidder's change is a rule (422).
    Write(
        "ask a question about a commissioning round",
        lambda api, w: api.post(f"/commissioning/rounds/{_bid(w)['round']}/questions", QUESTION),
        BIDDERS_ASK,
        success=201,
    ),
    Write(
        "start a bid",
        lambda api, w: api.post(
            f"/commissioning/rounds/{_bid(w, 'fresh')['round']}/bids",
            {"organisation": w.other.slug},
        ),
        THE_BIDDER,
        success=201,
    ),
    Write(
        "change a bid",
        lambda api, w: api.put(f"/commissioning/bids/{_bid(w)['bid']}", BID_CHANGE),
        SEALED_BID,
    ),
    Write(
        "change a bid after bids close",
        lambda api, w: api.put(f"/commissioning/bids/{_bid(w, 'closed')['bid']}", BID_CHANGE),
        BID_AFTER_DEADLINE,
    ),
    Write(
        "add a commitment to a bid",
        lambda api, w: api.post(
            f"/commissioning/bids/{_bid(w)['bid']}/commitments", _bid(w)["commitment_body"]
        ),
        SEALED_BID,
        success=201,
    ),
    Write(
        "take a commitment out of a bid",
        lambda api, w: api.delete(f"/commissioning/commitments/{_bid(w)['commitment']}"),
        SEALED_BID,
    ),
    Write(
        "submit a bid",
        lambda api, w: api.post(f"/commissioning/bids/{_bid(w)['bid']}/submit", {}),
        SEALED_BID,
    ),
    Write(
        "withdraw a bid",
        lambda api, w: api.post(f"/commissioning/bids/{_bid(w)['bid']}/withdraw", {}),
        SEALED_BID,
    ),
]

QUESTION: dict[str, Any] = {"question": "Does the contract include TUPE transfers?"}
BID_CHANGE: dict[str, Any] = {
    "price": 1000000,
    "summary": "Our price is lower now.",
    "statements": [],
}


def _bid(w: World, which: str = "bidding") -> dict[str, Any]:
    """Ids of a round of the world's published service open for bids ("fresh": no bid yet;
    "bidding": the other organisation's complete draft with a commitment) or whose bids have
    closed ("closed": that bid submitted), made once per world; and a commitment's body."""
    from coproduce.commissioning import actions_bids
    from coproduce.commissioning.models import CriterionKind
    from coproduce.commissioning.tests.factories import make_round
    from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, ready_round
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    made: dict[str, Any] = w.people.setdefault("_bids", {})
    if which not in made:
        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
        )
        round_ = ready_round(make_round(activity, w.people["professional"]))
        ids: dict[str, Any] = {"round": round_.pk}
        if which != "fresh":
            bidder = w.people["other_professional"]
            bid = make_bid(round_, bidder, w.other, submit=which == "closed")
            social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
            indicator = social.indicators.get()
            commitment = actions_bids.commitment_add(
                bid=bid,
                by=bidder,
                criterion=social,
                indicator=indicator,
                quantity=Decimal(12),
                description="12 local young people employed",
            )
            ids |= {
                "bid": bid.pk,
                "commitment": commitment.pk,
                "commitment_body": {
                    "criterion": social.pk,
                    "indicator": indicator.pk,
                    "quantity": 3,
                    "description": "3 apprenticeships",
                },
            }
            if which == "closed":
                close_bids(round_)
        made[which] = ids
    return made[which]


def _weighting(w: World, state: str) -> tuple[str, dict[str, Any]]:
    """The weighting address of a round of the world's published service ("open" or "draft"),
    with criteria, and a weighting of them that adds up to 100."""
    from coproduce.commissioning.tests.factories import make_criteria, make_round
    from coproduce.services.models import ActivityKind
    from coproduce.services.tests.factories import ActivityFactory, staff_of

    activity = ActivityFactory(
        service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=state
    )
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    criteria = make_criteria(round_, staff)
    points = [{"criterion": c.pk, "points": 0} for c in criteria]
    points[0]["points"] = 100
    return f"/commissioning/rounds/{round_.pk}/weighting", {"points": points}


def _indicator(w: World, service: Any, *, check: bool) -> Any:
    """An indicator of one of the world's services, made by its professional."""
    from coproduce.outcomes.tests.factories import (
        make_check_indicator,
        make_indicator,
        make_outcome,
    )

    keeper = w.people["professional"]
    make = make_check_indicator if check else make_indicator
    return make(make_outcome(service, keeper), keeper)


def _measurement(w: World, service: Any) -> tuple[str, dict[str, Any]]:
    indicator = _indicator(w, service, check=False)
    body = {"measured_on": timezone.localdate().isoformat(), "value": 55}
    return f"/indicators/{indicator.pk}/measurements", body


def _check(w: World, service: Any) -> str:
    return f"/indicators/{_indicator(w, service, check=True).pk}/check"


def _recommendation_status(w: World) -> str:
    """The status address of a recommendation a panel of the world's published service passed."""
    from coproduce.accounts.tests.factories import UserFactory
    from coproduce.panels import actions_deliberation
    from coproduce.panels.models import Phase
    from coproduce.panels.tests.factories import make_panel
    from coproduce.services.models import ActivityKind
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(service=w.service, kind=ActivityKind.CITIZEN_PANEL, state="open")
    setup = make_panel(activity=activity, phase=Phase.DELIBERATION)
    member = UserFactory()
    actions_deliberation.member_add(panel=setup.panel, by=setup.staff, email=member.email)
    passed = actions_deliberation.recommendation_draft(
        panel=setup.panel, by=member, title="Open later", text="Until 10pm."
    )
    actions_deliberation.voting_open(panel=setup.panel, by=setup.staff)
    actions_deliberation.vote_cast(recommendation=passed, by=member, supports=True)
    actions_deliberation.voting_close(panel=setup.panel, by=setup.staff)
    return f"/panel-recommendations/{passed.pk}/status"


def _conversation(w: World, state: str) -> tuple[str, str]:
    """The statements address of a conversation of the world's published service ("open" or
    "draft") and the vote address of its seed statement."""
    from coproduce.conversations import actions as conversing
    from coproduce.services.models import ActivityKind
    from coproduce.services.tests.factories import ActivityFactory, staff_of

    activity = ActivityFactory(service=w.service, kind=ActivityKind.OPINION_MAP, state=state)
    staff = staff_of(activity)
    conversation = conversing.conversation_create(activity=activity, by=staff)
    seed = conversing.statement_add(conversation=conversation, by=staff, text="A seed")
    statements = f"/conversations/{conversation.pk}/statements"
    return statements, f"{statements}/{seed.pk}/vote"


def _ballot(w: World, which: str) -> tuple[str, dict[str, Any]]:
    """The ballot address of a budget of the world's published service and a ballot for it:
    in its voting phase ("voting", "codes": votes with codes only) or a draft ("draft")."""
    from coproduce.budgeting.tests.factories import make_budget, make_voting
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
    activity = ActivityFactory(
        service=w.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=state
    )
    if which == "draft":
        setup = make_budget(activity=activity)
    else:
        setup = make_voting(
            activity=activity, accounts_may_vote=which != "codes", codes_may_vote=which == "codes"
        )
    choices = [{"project": p.reference} for p in setup.proposals[:1]]
    return f"/budgets/{setup.budget.pk}/ballot", {"area": setup.area.pk, "choices": choices}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_permission_matrix(
    world: World, as_role: Callable[[str], Api], write: Write, role: str
) -> None:
    response = write.send(as_role(role), world)
    expected = write.expected[role]
    assert response.status_code == (write.success if expected == OK else expected), response.content
    if expected != OK:
        assert set(response.json()) == {"detail"}


def test_the_matrix_covers_every_write_operation(world: World) -> None:
    """A new write endpoint must be added to WRITES (and so to the matrix)."""
    writes = {
        f"{method.upper()} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if method != "get"
    }
    covered = set()
    for write in WRITES:
        response = write.send(Api(), world)
        request = response.wsgi_request
        match = request.resolver_match
        assert match is not None
        covered.add(f"{request.method} {_template(match.route)}")
    assert covered == writes


def _template(route: str) -> str:
    """Django's route for a ninja path ('api/services/<slug>') as OpenAPI writes it."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_a_signed_in_browser_session_is_not_a_token(world: World, anonymous: Api) -> None:
    """The API ignores session cookies: no drafts, no writes (and so no CSRF to worry about)."""
    anonymous.client.force_login(world.people["professional"])
    assert anonymous.get("/services/draft-service").status_code == 404
    _refused_with_401(anonymous.patch(WRITE, {"name": "Renamed"}))
