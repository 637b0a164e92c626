"""The conversations API: what each person sees, adding statements, votes and the map."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.api.conversations import ADDS
from coproduce.api.tests.client import Api
from coproduce.contributions.actions import moderation_hide
from coproduce.conversations import actions, tasks
from coproduce.conversations.models import (
    Audience,
    Conversation,
    MapRun,
    MapStatus,
    Moderation,
    Statement,
)
from coproduce.conversations.tests.factories import (
    ConversationSetup,
    make_codes,
    make_conversation,
    make_resident,
)
from coproduce.services.models import ActivityState

pytestmark = pytest.mark.django_db


def _api(user: User) -> Api:
    return Api(api_token_create(user=user, name="test")[1])


def _path(conversation: Conversation, rest: str = "") -> str:
    return f"/conversations/{conversation.pk}{rest}"


def _vote_path(statement: Statement) -> str:
    return f"/conversations/{statement.conversation_id}/statements/{statement.pk}/vote"


def _rules(response: Any) -> list[tuple[list[Any], str]]:
    assert response.status_code == 422, response.content
    return [(issue["loc"], issue["type"]) for issue in response.json()["detail"]]


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.clear()  # rate limits are counted in the cache
    tasks.forget()


# --- Conversations -------------------------------------------------------------------------------


def test_the_list_shows_open_conversations_and_drafts_only_to_their_staff() -> None:
    public = make_conversation(seeds=0)
    draft = make_conversation(seeds=0, state=ActivityState.DRAFT)
    listed = {item["id"] for item in Api().get("/conversations").json()["items"]}
    assert public.conversation.pk in listed
    assert draft.conversation.pk not in listed
    staff_listed = _api(draft.staff).get("/conversations", {"limit": 100}).json()["items"]
    assert draft.conversation.pk in {item["id"] for item in staff_listed}
    assert Api().get(_path(draft.conversation)).status_code == 404
    assert _api(draft.staff).get(_path(draft.conversation)).status_code == 200


def test_the_detail_gives_the_settings_and_counts() -> None:
    setup = make_conversation(
        seeds=3,
        audience=Audience.RESIDENTS,
        postcode_prefixes="nf1 NF2",
        participants_may_add=False,
        moderation=Moderation.POST,
        description="Bike theft near the station.",
    )
    conversation = setup.conversation
    voters = [make_resident(conversation) for _ in range(2)]
    for voter in voters:
        actions.vote_cast(participant=voter, statement=setup.statements[0], value=1)
    actions.vote_cast(participant=voters[0], statement=setup.statements[1], value=-1)
    actions.vote_cast(participant=voters[0], statement=setup.statements[1], value=0)  # changed
    moderation_hide(contribution=setup.statements[2].contribution, moderator=setup.staff)
    body = Api().get(_path(conversation)).json()
    assert body["id"] == conversation.activity_id
    assert body["title"] == conversation.activity.title
    assert body["open"] is True
    assert body["description"] == "Bike theft near the station."
    assert body["audience"] == "residents"
    assert body["postcode_prefixes"] == ["NF1", "NF2"]
    assert body["participants_may_add"] is False
    assert body["moderation"] == "post"
    assert (body["statements"], body["participants"], body["votes"]) == (2, 2, 3)


def test_a_closed_conversation_says_so() -> None:
    setup = make_conversation(seeds=0, state=ActivityState.CLOSED)
    assert Api().get(_path(setup.conversation)).json()["open"] is False


# --- Statements ----------------------------------------------------------------------------------


def _with_pending(setup: ConversationSetup) -> tuple[User, Statement]:
    author = UserFactory()
    response = _api(author).post(_path(setup.conversation, "/statements"), {"text": "More lights"})
    assert response.status_code == 201, response.content
    return author, Statement.objects.get(pk=response.json()["id"])


def test_statements_published_for_all_pending_for_their_author_and_moderators() -> None:
    setup = make_conversation(seeds=2, moderation=Moderation.PRE)
    author, pending = _with_pending(setup)
    path = _path(setup.conversation, "/statements")
    seeds = [s.pk for s in setup.statements]

    def listed(api: Api) -> list[tuple[int, str]]:
        items = api.get(path).json()["items"]
        return [(item["id"], item["state"]) for item in items]

    published = [(pk, "published") for pk in seeds]
    assert listed(Api()) == published
    assert listed(_api(UserFactory())) == published
    assert listed(_api(author)) == [*published, (pending.pk, "pending")]
    assert listed(_api(setup.staff)) == [*published, (pending.pk, "pending")]


def test_statements_never_name_their_author() -> None:
    setup = make_conversation(seeds=1, moderation=Moderation.POST)
    author, _statement = _with_pending(setup)
    for api in (Api(), _api(setup.staff)):
        text = api.get(_path(setup.conversation, "/statements")).content.decode()
        assert author.email not in text
        assert author.name not in text
        assert '"author' not in text
        assert "participant" not in text


def test_a_rejected_statement_shows_its_reason_to_moderators_only() -> None:
    setup = make_conversation(seeds=0)
    _author, pending = _with_pending(setup)
    actions.statement_moderate(
        statement=pending, by=setup.staff, decision="reject", reason="Off topic"
    )
    items = _api(setup.staff).get(_path(setup.conversation, "/statements")).json()["items"]
    assert [(i["state"], i["rejected_reason"]) for i in items] == [("hidden", "Off topic")]
    assert Api().get(_path(setup.conversation, "/statements")).json()["items"] == []


@pytest.mark.parametrize(
    ("moderation", "state"), [(Moderation.PRE, "pending"), (Moderation.POST, "published")]
)
def test_adding_a_statement_follows_the_moderation(moderation: str, state: str) -> None:
    setup = make_conversation(seeds=0, moderation=moderation)
    author = UserFactory()
    response = _api(author).post(
        _path(setup.conversation, "/statements"), {"text": "  More   lights  "}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["text"], body["state"], body["is_seed"]) == ("More lights", state, False)
    # The author agrees with their own statement, as in Polis.
    statement = Statement.objects.get(pk=body["id"])
    assert _api(author).get(_vote_path(statement)).json()["vote"] == "agree"


def test_refused_statements_say_where_and_why() -> None:
    setup = make_conversation(seeds=1)
    api = _api(UserFactory())
    path = _path(setup.conversation, "/statements")
    assert _rules(api.post(path, {"text": "seed STATEMENT 1"})) == [(["body", "text"], "rule")]
    too_long = api.post(path, {"text": "x" * 281})
    assert [loc for loc, _kind in _rules(too_long)] == [["body", "text"]]
    assert Api().post(path, {"text": "Hello"}).status_code == 401


@pytest.mark.parametrize(
    ("settings", "state"),
    [({"participants_may_add": False}, ActivityState.OPEN), ({}, ActivityState.CLOSED)],
)
def test_no_statements_where_they_are_not_taken(settings: dict[str, Any], state: str) -> None:
    setup = make_conversation(seeds=0, state=state, **settings)
    response = _api(UserFactory()).post(_path(setup.conversation, "/statements"), {"text": "Hi"})
    assert _rules(response) == [(["body"], "rule")]
    assert not setup.conversation.statements.exists()


def test_only_residents_verified_with_a_code_take_part() -> None:
    setup = make_conversation(seeds=1, audience=Audience.RESIDENTS, postcode_prefixes="NF1")
    conversation = setup.conversation
    person = UserFactory()
    api = _api(person)
    path = _path(conversation, "/statements")
    # A postcode in the area is not enough: the code is entered on the website first.
    refused = api.post(path, {"text": "Hi", "postcode": "nf1 2ab"})
    assert _rules(refused) == [(["body"], "rule")]
    assert "code" in refused.json()["detail"][0]["msg"]
    vote = _vote_path(setup.statements[0])
    assert _rules(api.put(vote, {"vote": "agree"})) == [(["body"], "rule")]
    assert api.get(vote).json()["may_vote"] is False
    assert not conversation.participants.exists()
    [code] = make_codes(conversation)
    actions.resident_verify(conversation=conversation, user=person, code=code, postcode="NF1 2AB")
    assert api.get(vote).json()["may_vote"] is True
    assert api.put(vote, {"vote": "agree"}).status_code == 200
    assert api.post(path, {"text": "Hi"}).status_code == 201
    assert conversation.participants.get().postcode_area == "NF1"


def test_a_draft_conversation_is_not_there_to_outsiders() -> None:
    setup = make_conversation(seeds=1, state=ActivityState.DRAFT)
    outsider = _api(UserFactory())
    assert outsider.post(_path(setup.conversation, "/statements"), {"text": "Hi"}).status_code == (
        404
    )
    assert outsider.get(_vote_path(setup.statements[0])).status_code == 404
    assert outsider.put(_vote_path(setup.statements[0]), {"vote": "agree"}).status_code == 404
    # Its staff see it, and are told it has not opened.
    refused = _api(setup.staff).put(_vote_path(setup.statements[0]), {"vote": "agree"})
    assert _rules(refused) == [(["body"], "rule")]
    assert "not opened yet" in refused.json()["detail"][0]["msg"]


def test_adding_statements_is_rate_limited() -> None:
    setup = make_conversation(seeds=0, moderation=Moderation.POST)
    api = _api(UserFactory())
    path = _path(setup.conversation, "/statements")
    with override_settings(ACCOUNT_RATE_LIMITS={ADDS: "2/10m/key"}):
        assert [api.post(path, {"text": f"Idea {i}"}).status_code for i in range(2)] == [201, 201]
        refused = api.post(path, {"text": "Idea 3"})
    assert _rules(refused) == [(["body"], "rule")]
    assert setup.conversation.statements.count() == 2


# --- Votes ---------------------------------------------------------------------------------------


def test_a_vote_is_cast_changed_and_read_back() -> None:
    setup = make_conversation(seeds=2)
    statement, other = setup.statements
    voter = UserFactory()
    api = _api(voter)
    before = api.get(_vote_path(statement)).json()
    assert (before["vote"], before["voted_at"], before["may_vote"]) == (None, None, True)
    first = api.put(_vote_path(statement), {"vote": "agree"}).json()
    assert (first["statement"], first["vote"], first["changed"]) == (statement.pk, "agree", False)
    again = api.put(_vote_path(statement), {"vote": "agree"}).json()
    assert again["changed"] is False
    changed = api.put(_vote_path(statement), {"vote": "pass"}).json()
    assert (changed["vote"], changed["changed"]) == ("pass", True)
    assert api.get(_vote_path(statement)).json()["vote"] == "pass"
    assert api.get(_vote_path(other)).json()["vote"] is None
    stored = setup.conversation.participants.get(user=voter).votes.get()
    assert (stored.statement_id, stored.value) == (statement.pk, 0)
    assert Api().put(_vote_path(statement), {"vote": "agree"}).status_code == 401
    assert Api().get(_vote_path(statement)).status_code == 401


def test_votes_only_on_published_statements_of_the_conversation() -> None:
    setup = make_conversation(seeds=1)
    _author, pending = _with_pending(setup)
    elsewhere = make_conversation(seeds=1).statements[0]
    voter = _api(UserFactory())
    # A statement others cannot see is not there; its moderators see it but cannot vote on it.
    assert voter.put(_vote_path(pending), {"vote": "agree"}).status_code == 404
    staff = _api(setup.staff)
    assert staff.get(_vote_path(pending)).json()["may_vote"] is False
    assert _rules(staff.put(_vote_path(pending), {"vote": "agree"})) == [(["body"], "rule")]
    wrong = f"/conversations/{setup.conversation.pk}/statements/{elsewhere.pk}/vote"
    assert voter.put(wrong, {"vote": "agree"}).status_code == 404
    assert _rules(voter.put(_vote_path(setup.statements[0]), {"vote": "maybe"}))[0][0] == [
        "body",
        "vote",
    ]


def test_no_votes_in_a_closed_conversation() -> None:
    setup = make_conversation(seeds=1, state=ActivityState.CLOSED)
    api = _api(UserFactory())
    assert api.get(_vote_path(setup.statements[0])).json()["may_vote"] is False
    assert _rules(api.put(_vote_path(setup.statements[0]), {"vote": "agree"})) == [
        (["body"], "rule")
    ]
    assert not setup.conversation.participants.exists()


# --- The map -------------------------------------------------------------------------------------


def test_no_map_yet_is_null() -> None:
    setup = make_conversation(seeds=1)
    body = Api().get(_path(setup.conversation, "/map")).json()
    assert body == {"conversation": setup.conversation.pk, "map": None}


# Two camps of eight: camp A agrees with the first three statements and disagrees with the last
# three, camp B the opposite; one person in each camp passes on one statement.
CAMP_A = [1, 1, 1, -1, -1, -1]
CAMP_B = [-v for v in CAMP_A]


def _two_camps(setup: ConversationSetup) -> dict[str, list[User]]:
    camps: dict[str, list[User]] = {"A": [], "B": []}
    for name, votes in (("A", CAMP_A), ("B", CAMP_B)):
        for person in range(8):
            user = UserFactory()
            participant = actions.participant_get_or_create(
                conversation=setup.conversation, user=user
            )
            for index, (statement, value) in enumerate(zip(setup.statements, votes, strict=True)):
                shown = 0 if (person, index) == (0, 0) else value
                actions.vote_cast(participant=participant, statement=statement, value=shown)
            camps[name].append(user)
    return camps


def test_the_map_shows_the_groups_but_nobody_in_them() -> None:
    setup = make_conversation(seeds=6)
    camps = _two_camps(setup)
    run = tasks.run_map(setup.conversation.pk)
    assert run is not None
    assert run.status == MapStatus.DONE
    response = Api().get(_path(setup.conversation, "/map"))
    shown = response.json()["map"]
    assert (shown["method"], shown["version"], shown["seed"]) == (run.method, run.version, run.seed)
    assert shown["parameters"] == run.parameters
    assert (shown["participants"], shown["votes"]) == (16, 16 * 6)
    assert sum(group["size"] for group in shown["groups"]) == shown["in_map"] == 16
    assert shown["your_group"] is None
    # No participant's id or position anywhere in the answer.
    text = response.content.decode()
    assert "members" not in text
    assert "group_of" not in text
    for group in shown["groups"]:
        assert set(group) == {
            "label",
            "name",
            "size",
            "shown_in_full",
            "center",
            "hull",
            "representative",
        }

    def your_group(user: User) -> int | None:
        group: int | None = (
            _api(user).get(_path(setup.conversation, "/map")).json()["map"]["your_group"]
        )
        return group

    groups = {camp: {your_group(user) for user in users} for camp, users in camps.items()}
    # Everyone in a camp is in one group, and the two camps are in different groups.
    assert len(groups["A"]) == len(groups["B"]) == 1
    assert groups["A"] != groups["B"]
    assert None not in groups["A"] | groups["B"]
    # A camp's representative statements are what it agreed with (or disagreed with).
    agreed = {s.pk for s, v in zip(setup.statements, CAMP_A, strict=True) if v == 1}
    (label_a,) = groups["A"]
    group_a = next(g for g in shown["groups"] if g["label"] == label_a)
    assert group_a["shown_in_full"] is True
    assert group_a["hull"]
    assert group_a["representative"]
    for item in group_a["representative"]:
        assert (item["statement"] in agreed) == (item["repful_for"] == "agree")
        assert item["text"] == Statement.objects.get(pk=item["statement"]).text


def _stored_map(setup: ConversationSetup, sizes: list[int]) -> MapRun:
    """A finished map as the task stores it (tasks.map_json), with groups of these sizes."""
    first = setup.statements[0].pk
    item = {"statement_id": first, "n_success": 3, "n_trials": 4, "p_success": 0.7}
    return MapRun.objects.create(
        conversation=setup.conversation,
        status=MapStatus.DONE,
        finished_at=timezone.now(),
        method="polis",
        version="1",
        participant_count=sum(sizes),
        result={
            "groups": [
                {"label": label, "size": size, "center": [0.5, 0.5], "hull": [[0, 0], [1, 1]]}
                for label, size in enumerate(sizes)
            ],
            "representative": {
                str(label): [{**item, "repful_for": "agree", "repness": 2.0}]
                for label in range(len(sizes))
            },
            "consensus": {"agree": [item], "disagree": []},
            "divisive": [{"statement_id": first, "extremity": 0.4}],
            "group_of": {},
            "in_conversation": sum(sizes),
        },
    )


def test_small_groups_are_shown_by_their_size_only() -> None:
    setup = make_conversation(seeds=1)
    _stored_map(setup, [4, 5])
    groups = Api().get(_path(setup.conversation, "/map")).json()["map"]["groups"]
    small, big = groups
    assert (small["name"], small["size"], small["shown_in_full"]) == ("A", 4, False)
    assert (small["center"], small["hull"], small["representative"]) == (None, None, [])
    assert (big["name"], big["shown_in_full"], big["center"]) == ("B", True, [0.5, 0.5])
    assert [r["statement"] for r in big["representative"]] == [setup.statements[0].pk]


def test_statements_hidden_since_the_map_leave_it_for_the_public() -> None:
    setup = make_conversation(seeds=1)
    _stored_map(setup, [6])
    moderation_hide(contribution=setup.statements[0].contribution, moderator=setup.staff)
    public = Api().get(_path(setup.conversation, "/map")).json()["map"]
    assert public["consensus"]["agree"] == public["divisive"] == []
    assert public["groups"][0]["representative"] == []
    staff = _api(setup.staff).get(_path(setup.conversation, "/map")).json()["map"]
    assert [d["statement"] for d in staff["divisive"]] == [setup.statements[0].pk]


def test_a_draft_conversations_map_is_not_there_to_outsiders() -> None:
    setup = make_conversation(seeds=1, state=ActivityState.DRAFT)
    assert Api().get(_path(setup.conversation, "/map")).status_code == 404
    assert _api(setup.staff).get(_path(setup.conversation, "/map")).status_code == 200
