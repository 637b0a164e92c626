"""The permission matrix: every write endpoint × every role, with the answer each role gets (401,
403, 404, 422 or success); and a check that the matrix covers every write operation of the API."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from coproduce.api.api import api
from coproduce.api.tests.client import Api
from coproduce.api.tests.loop import loop_world
from coproduce.api.tests.permission_matrix_helpers import (
    ANSWER,
    ANSWER_HELD,
    BID_AFTER_DEADLINE,
    BIDDERS_ASK,
    CLOSED,
    CREATE_SERVICE,
    DRAFT_RULE,
    MANAGE_DRAFT,
    MANAGE_SERVICE,
    OK,
    RUN_ACTIVITIES,
    RUN_DRAFT_ACTIVITY,
    SEALED_BID,
    TAKE_PART,
    THE_BIDDER,
    UNSEEN_BY_OUTSIDERS,
    Write,
    setup_ballot,
    setup_bid,
    setup_check,
    setup_conversation,
    setup_measurement,
    setup_recommendation_status,
    setup_weighting,
)
from coproduce.contributions.tests.world import ROLES, World

pytestmark = pytest.mark.django_db

# --- The permission matrix: every write endpoint × every role. ----------------------------------
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
        lambda api, w: api.put(*setup_ballot(w, "voting")),
        TAKE_PART,
    ),
    Write(
        "cast a ballot where only voting codes vote",
        lambda api, w: api.put(*setup_ballot(w, "codes")),
        CLOSED,
    ),
    Write(
        "cast a ballot in a draft budget",
        lambda api, w: api.put(*setup_ballot(w, "draft")),
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
        lambda api, w: api.post(setup_conversation(w, "open")[0], {"text": "More lights"}),
        TAKE_PART,
        success=201,
    ),
    Write(
        "add a statement to a draft conversation",
        lambda api, w: api.post(setup_conversation(w, "draft")[0], {"text": "More lights"}),
        DRAFT_RULE,
    ),
    Write(
        "vote on a statement",
        lambda api, w: api.put(setup_conversation(w, "open")[1], {"vote": "agree"}),
        TAKE_PART,
    ),
    Write(
        "vote on a statement of a draft conversation",
        lambda api, w: api.put(setup_conversation(w, "draft")[1], {"vote": "agree"}),
        DRAFT_RULE,
    ),
    # Citizen panels (coproduce/api/panels.py): the answer to a recommendation moves along its
    # statuses at the hands of those who answer for the service, as an idea's status does.
    Write(
        "move the answer to a panel's recommendation",
        lambda api, w: api.post(setup_recommendation_status(w), {"to_status": "accepted"}),
        ANSWER,
    ),
    # Outcomes (coproduce/api/outcomes.py): those who keep the service's outcomes record values;
    # anyone with a token answers an indicator's check of a published service, and on a draft
    # service that is a rule (422) to those who see it.
    Write(
        "record an indicator's value",
        lambda api, w: api.post(*setup_measurement(w, w.service)),
        MANAGE_SERVICE,
        success=201,
    ),
    Write(
        "record a value of a draft service's indicator",
        lambda api, w: api.post(*setup_measurement(w, w.draft_service)),
        MANAGE_DRAFT,
        success=201,
    ),
    Write(
        "answer an indicator's check",
        lambda api, w: api.put(setup_check(w, w.service), {"rating": 4}),
        TAKE_PART,
    ),
    Write(
        "answer a check of a draft service",
        lambda api, w: api.put(setup_check(w, w.draft_service), {"rating": 4}),
        DRAFT_RULE,
    ),
    # Commissioning (coproduce/api/commissioning.py): anyone with a token weighs an open round's
    # criteria; in a draft round that is a rule (422) to those who see it.
    Write(
        "weigh a round's criteria",
        lambda api, w: api.put(*setup_weighting(w, "open")),
        TAKE_PART,
    ),
    Write(
        "weigh the criteria of a draft round",
        lambda api, w: api.put(*setup_weighting(w, "draft")),
        DRAFT_RULE,
    ),
    # Bids (decision 0413): administrators and professionals of an organisation ask questions and
    # bid for it. A bid is the other organisation's here: before bids close it is not there to
    # anyone else (the owner's staff and the superuser included); after, the owner's staff may
    # read it but not change it (403) and the bidder's change is a rule (422).
    Write(
        "ask a question about a commissioning round",
        lambda api, w: api.post(
            f"/commissioning/rounds/{setup_bid(w)['round']}/questions", QUESTION
        ),
        BIDDERS_ASK,
        success=201,
    ),
    Write(
        "start a bid",
        lambda api, w: api.post(
            f"/commissioning/rounds/{setup_bid(w, 'fresh')['round']}/bids",
            {"organisation": w.other.slug},
        ),
        THE_BIDDER,
        success=201,
    ),
    Write(
        "change a bid",
        lambda api, w: api.put(f"/commissioning/bids/{setup_bid(w)['bid']}", BID_CHANGE),
        SEALED_BID,
    ),
    Write(
        "change a bid after bids close",
        lambda api, w: api.put(f"/commissioning/bids/{setup_bid(w, 'closed')['bid']}", BID_CHANGE),
        BID_AFTER_DEADLINE,
    ),
    Write(
        "add a commitment to a bid",
        lambda api, w: api.post(
            f"/commissioning/bids/{setup_bid(w)['bid']}/commitments",
            setup_bid(w)["commitment_body"],
        ),
        SEALED_BID,
        success=201,
    ),
    Write(
        "take a commitment out of a bid",
        lambda api, w: api.delete(f"/commissioning/commitments/{setup_bid(w)['commitment']}"),
        SEALED_BID,
    ),
    Write(
        "submit a bid",
        lambda api, w: api.post(f"/commissioning/bids/{setup_bid(w)['bid']}/submit", {}),
        SEALED_BID,
    ),
    Write(
        "withdraw a bid",
        lambda api, w: api.post(f"/commissioning/bids/{setup_bid(w)['bid']}/withdraw", {}),
        SEALED_BID,
    ),
]

QUESTION: dict[str, Any] = {"question": "Does the contract include TUPE transfers?"}
BID_CHANGE: dict[str, Any] = {
    "price": 1000000,
    "summary": "Our price is lower now.",
    "statements": [],
}


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
