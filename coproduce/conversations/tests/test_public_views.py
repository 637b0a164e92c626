"""The pages of taking part: the take-part page and its order of statements, voting (with and
without htmx, refused votes, changed votes), who may take part, adding a statement after the
similarity check, your votes, and the activity page's panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions.models import Visibility
from coproduce.conversations import actions, participants
from coproduce.conversations.models import (
    Audience,
    Conversation,
    MapRun,
    MapStatus,
    Moderation,
    Participant,
    Statement,
    Vote,
    VoteValue,
)
from coproduce.conversations.tests.factories import (
    ConversationSetup,
    make_codes,
    make_conversation,
    make_participant,
)
from coproduce.services.actions import activity_transition
from coproduce.services.models import ActivityState

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, conversation: Conversation) -> str:
    return reverse(f"conversations:{name}", args=[conversation.pk])


def _text(response: Any) -> str:
    return str(response.content.decode())


def _shown(page: str) -> int:
    """The key of the statement the card asks about."""
    return int(page.split('name="statement" value="', 1)[1].split('"', 1)[0])


def _vote(
    client: Client, setup: ConversationSetup, statement: Statement, value: str, **extra: Any
) -> Any:
    data = {"statement": statement.pk, "value": value, **extra}
    return client.post(_url("vote", setup.conversation), data)


def _votes(conversation: Conversation) -> dict[int, int]:
    """Statement pk → vote value of the conversation's only visitor."""
    return dict(Vote.objects.filter(conversation=conversation).values_list("statement_id", "value"))


def _map(
    conversation: Conversation, priorities: list[int], group_of: dict[str, int] | None = None
) -> None:
    """A finished map, as the map task stores it (only the parts these pages read)."""
    MapRun.objects.create(
        conversation=conversation,
        status=MapStatus.DONE,
        finished_at=timezone.now(),
        result={"priorities": priorities, "group_of": group_of or {}},
    )


# --- The take-part page -------------------------------------------------------------------------


def test_the_page_shows_one_statement_with_three_buttons_in_a_fieldset() -> None:
    setup = make_conversation(seeds=3, description="Bikes are stolen every week.")
    page = _text(_client().get(_url("conversation", setup.conversation)))
    assert "Bikes are stolen every week." in page
    assert page.count('name="statement"') == 1
    legend = page.split("<legend", 1)[1].split("</legend>", 1)[0]
    assert setup.statements[0].text in legend
    for value in ("agree", "disagree", "pass"):
        assert f'name="value" value="{value}"' in page
    assert "You have voted on 0 of 3 statements." in page
    assert _url("map", setup.conversation) in page
    assert reverse("conversations:how_the_map_works") in page


def test_a_get_sets_no_cookie_and_makes_no_participant() -> None:
    setup = make_conversation()
    response = _client().get(_url("conversation", setup.conversation))
    assert participants.cookie_name(setup.conversation.pk) not in response.cookies
    assert not Participant.objects.exists()


def test_new_statements_come_first_then_the_map_priorities_then_the_oldest() -> None:
    setup = make_conversation(seeds=4)
    first, second, third, fourth = setup.statements
    _map(setup.conversation, priorities=[third.pk, first.pk, second.pk])  # fourth is new
    client = _client()
    order = []
    for _ in range(4):
        shown = _shown(_text(client.get(_url("conversation", setup.conversation))))
        order.append(shown)
        _vote(client, setup, Statement.objects.get(pk=shown), "pass")
    assert order == [fourth.pk, third.pk, first.pk, second.pk]
    page = _text(client.get(_url("conversation", setup.conversation)))
    assert "You have voted on every statement" in page
    assert _url("my_votes", setup.conversation) in page


def test_without_a_map_statements_come_oldest_first() -> None:
    setup = make_conversation(seeds=2)
    page = _text(_client().get(_url("conversation", setup.conversation)))
    assert _shown(page) == setup.statements[0].pk


def test_the_page_says_which_group_you_are_in() -> None:
    setup = make_conversation(seeds=1)
    client = _client()
    _vote(client, setup, setup.statements[0], "agree")
    participant = Participant.objects.get()
    _map(setup.conversation, priorities=[], group_of={str(participant.pk): 1})
    page = _text(client.get(_url("conversation", setup.conversation)))
    assert "You are in group B." in page


# --- Voting -------------------------------------------------------------------------------------


def test_an_anonymous_vote_sets_a_signed_cookie_and_is_recorded() -> None:
    setup = make_conversation(seeds=2)
    client = _client()
    response = _vote(client, setup, setup.statements[0], "agree")
    assert response.status_code == 303
    assert response["Location"] == _url("conversation", setup.conversation)
    cookie = response.cookies[participants.cookie_name(setup.conversation.pk)]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == participants.COOKIE_MAX_AGE
    participant = Participant.objects.get()
    assert participant.key in cookie.value
    assert cookie.value != participant.key
    assert _votes(setup.conversation) == {setup.statements[0].pk: VoteValue.AGREE}
    # The next page asks about the other statement and says what was saved.
    page = _text(client.get(_url("conversation", setup.conversation)))
    assert _shown(page) == setup.statements[1].pk
    assert "you agree with" in page


def test_a_second_vote_changes_the_first_and_keeps_one_participant() -> None:
    setup = make_conversation(seeds=1)
    client = _client()
    statement = setup.statements[0]
    _vote(client, setup, statement, "agree")
    _vote(client, setup, statement, "disagree")
    assert Participant.objects.count() == 1
    assert _votes(setup.conversation) == {statement.pk: VoteValue.DISAGREE}


def test_a_tampered_cookie_is_refused_and_gets_a_new_participant() -> None:
    setup = make_conversation(seeds=1)
    victim = make_participant(setup.conversation)
    actions.vote_cast(participant=victim, statement=setup.statements[0], value=VoteValue.AGREE)
    client = _client()
    name = participants.cookie_name(setup.conversation.pk)
    for forged in (victim.key, f"{victim.key}:forgedsignature"):
        client.cookies[name] = forged
        _vote(client, setup, setup.statements[0], "disagree")
    assert Vote.objects.get(participant=victim).value == VoteValue.AGREE
    others = Participant.objects.exclude(pk=victim.pk)
    assert others.count() == 2
    assert all(p.votes.get().value == VoteValue.DISAGREE for p in others)


def test_another_conversations_cookie_does_not_carry_over() -> None:
    setup, other = make_conversation(seeds=1), make_conversation(seeds=1)
    client = _client()
    _vote(client, setup, setup.statements[0], "agree")
    _vote(client, other, other.statements[0], "agree")
    assert Participant.objects.filter(conversation=other.conversation).count() == 1
    assert Participant.objects.filter(conversation=setup.conversation).count() == 1


@pytest.mark.parametrize("case", ["other_conversation", "pending", "hidden", "nonsense"])
def test_a_vote_on_a_statement_that_cannot_be_voted_on_is_refused(case: str) -> None:
    setup = make_conversation(seeds=1, moderation=Moderation.PRE)
    author = make_participant(setup.conversation)
    pending = actions.statement_add(
        conversation=setup.conversation, text="Waiting for a moderator", participant=author
    )
    statement: Any = {
        "other_conversation": make_conversation(seeds=1).statements[0].pk,
        "pending": pending.pk,
        "hidden": setup.statements[0].pk,
        "nonsense": "99999999999999999999999",
    }[case]
    if case == "hidden":
        actions.statement_moderate(
            statement=setup.statements[0], by=setup.staff, decision="reject", reason="Rude"
        )
    before = Vote.objects.count()
    response = _client().post(
        _url("vote", setup.conversation), {"statement": statement, "value": "agree"}
    )
    assert response.status_code == 400
    assert "Your vote was not saved" in _text(response)
    assert Vote.objects.count() == before


def test_a_vote_without_a_choice_says_so() -> None:
    setup = make_conversation(seeds=1)
    response = _vote(_client(), setup, setup.statements[0], "maybe")
    assert response.status_code == 400
    assert "Choose agree, disagree or pass." in _text(response)
    assert not Vote.objects.exists()


def test_a_closed_conversation_takes_no_votes_and_says_so() -> None:
    setup = make_conversation(seeds=1)
    activity_transition(activity=setup.conversation.activity, to_state=ActivityState.CLOSED)
    page = _text(_client().get(_url("conversation", setup.conversation)))
    assert "This conversation is closed" in page
    assert 'name="value"' not in page
    response = _vote(_client(), setup, setup.statements[0], "agree")
    assert response.status_code == 403
    assert "nothing was saved" in _text(response)
    assert not Vote.objects.exists()


def test_a_signed_in_conversation_sends_visitors_to_sign_in() -> None:
    setup = make_conversation(seeds=1, audience=Audience.SIGNED_IN)
    page = _text(_client().get(_url("conversation", setup.conversation)))
    login = reverse("account_login")
    assert f"{login}?next={_url('conversation', setup.conversation).replace('/', '%2F')}" in page
    response = _vote(_client(), setup, setup.statements[0], "agree")
    assert response.status_code == 302
    assert response["Location"].startswith(login)
    assert not Vote.objects.exists()
    # Signed in, the vote counts, on the person's account.
    user = UserFactory()
    assert _vote(_client(user), setup, setup.statements[0], "agree").status_code == 303
    assert Vote.objects.get().participant.user == user


def _residents(seeds: int = 2) -> ConversationSetup:
    return make_conversation(seeds=seeds, audience=Audience.RESIDENTS, postcode_prefixes="NF1")


def _enter_code(client: Client, setup: ConversationSetup, code: str, postcode: str) -> Any:
    data = {"code": code, "postcode": postcode}
    return client.post(_url("resident_code", setup.conversation), data)


def test_a_resident_without_a_code_is_asked_for_it_and_cannot_vote() -> None:
    setup = _residents()
    client = _client(UserFactory())
    page = _text(client.get(_url("conversation", setup.conversation)))
    assert 'id="resident-code"' in page
    assert f'action="{_url("resident_code", setup.conversation)}"' in page
    assert 'name="code"' in page
    assert 'name="postcode"' in page
    assert 'name="statement"' not in page  # no statement card before the code
    # A vote posted anyway (an old page, a made-up request) is refused and says why.
    response = _vote(client, setup, setup.statements[0], "agree", postcode="NF1 2AB")
    assert response.status_code == 403
    assert "Enter the code we posted to you first" in _text(response)
    assert 'href="#code-code"' in _text(response)  # the summary links to the code field
    assert 'id="resident-code"' in _text(response)
    assert not Vote.objects.exists()
    # With htmx (a page from before the code was asked for), the page that asks is loaded.
    swapped = client.post(
        _url("vote", setup.conversation),
        {"statement": setup.statements[0].pk, "value": "agree"},
        HTTP_HX_REQUEST="true",
    )
    assert swapped.headers["HX-Redirect"] == _url("conversation", setup.conversation)
    reloaded = _text(client.get(_url("conversation", setup.conversation)))
    assert "Enter the code we posted to you first: only residents" in reloaded  # the message
    assert 'id="resident-code"' in reloaded
    assert not Vote.objects.exists()
    # Adding a statement is refused the same way, with the way to the code.
    added = client.post(_url("statement_add", setup.conversation), {"text": "Light the path"})
    assert added.status_code == 403
    assert _url("resident_code", setup.conversation) in _text(added)
    assert not Statement.objects.filter(is_seed=False).exists()


def test_a_visitor_without_an_account_is_sent_to_sign_in_for_the_code_page() -> None:
    setup = _residents()
    response = Client().get(_url("resident_code", setup.conversation))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_resident_with_a_right_code_is_verified_once_and_votes() -> None:
    setup = _residents()
    [code] = make_codes(setup.conversation)
    client = _client(UserFactory())
    form = client.get(_url("resident_code", setup.conversation))
    assert form.status_code == 200
    assert "Enter your code" in _text(form)
    entered = _enter_code(client, setup, code, "nf1 2ab")
    assert entered.status_code == 303
    assert entered["Location"] == _url("conversation", setup.conversation)
    participant = Participant.objects.get()
    assert participant.verified_at is not None
    assert participant.postcode_area == "NF1"
    page = _text(client.get(_url("conversation", setup.conversation)))
    assert "your code is accepted" in page
    assert 'id="resident-code"' not in page
    assert _shown(page) in {statement.pk for statement in setup.statements}
    assert _vote(client, setup, setup.statements[0], "agree").status_code == 303
    assert _vote(client, setup, setup.statements[1], "pass").status_code == 303
    assert Vote.objects.filter(participant=participant).count() == 2
    # Verified: the code page sends them back to the statements.
    again = client.get(_url("resident_code", setup.conversation))
    assert again.status_code == 303


def test_a_wrong_or_used_code_is_an_error_on_the_code_field() -> None:
    setup = _residents()
    [code] = make_codes(setup.conversation)
    client = _client(UserFactory())
    wrong = _enter_code(client, setup, "ABCD-EFGH-JKLM", "NF1 2AB")
    assert wrong.status_code == 400
    text = _text(wrong)
    assert "not one of this conversation’s codes" in text
    assert 'href="#code-code"' in text  # the error summary links to the field
    assert 'id="code-code-error"' in text
    outside = _enter_code(client, setup, code, "XX9 9ZZ")
    assert outside.status_code == 400
    assert 'href="#code-postcode"' in _text(outside)
    assert not setup.conversation.resident_codes.used().exists()
    # Someone else uses the code first.
    assert _enter_code(_client(UserFactory()), setup, code, "NF1 1AA").status_code == 303
    used = _enter_code(client, setup, code, "NF1 2AB")
    assert used.status_code == 400
    assert "already been used" in _text(used)
    assert Participant.objects.filter(verified_at__isnull=False).count() == 1


def test_code_attempts_are_rate_limited(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "conversation_code_attempt": "2/10m/key",
    }
    setup = _residents()
    [code] = make_codes(setup.conversation)
    client = _client(UserFactory())
    for _attempt in range(2):
        assert _enter_code(client, setup, "ABCD-EFGH-JKLM", "NF1 2AB").status_code == 400
    # Over the limit even the right code is not tried.
    limited = _enter_code(client, setup, code, "NF1 2AB")
    assert limited.status_code == 429
    assert "tried many codes" in _text(limited)
    assert not setup.conversation.resident_codes.used().exists()
    # Another person is not held back by it.
    assert _enter_code(_client(UserFactory()), setup, code, "NF1 2AB").status_code == 303


def test_the_code_page_of_a_conversation_without_codes_goes_back_to_it() -> None:
    setup = make_conversation(seeds=1)
    response = _client(UserFactory()).get(_url("resident_code", setup.conversation))
    assert response.status_code == 303
    assert response["Location"] == _url("conversation", setup.conversation)


def test_the_vote_is_rate_limited_with_a_message(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "conversation_vote": "1/10m/key",
    }
    setup = make_conversation(seeds=2)
    client = _client()
    _vote(client, setup, setup.statements[0], "agree")
    response = _vote(client, setup, setup.statements[1], "agree")
    assert response.status_code == 429
    assert "this vote was not saved" in _text(response)
    assert Vote.objects.count() == 1


def test_htmx_gets_the_next_card_only() -> None:
    setup = make_conversation(seeds=2)
    client = _client()
    response = client.post(
        _url("vote", setup.conversation),
        {"statement": setup.statements[0].pk, "value": "disagree"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = _text(response)
    assert fragment.startswith('<div id="take-part-card">') or 'id="take-part-card"' in fragment
    assert "<html" not in fragment
    assert _shown(fragment) == setup.statements[1].pk
    assert "you disagree with" in fragment
    assert participants.cookie_name(setup.conversation.pk) in response.cookies
    # A refused vote comes back as the card with its error, so htmx shows it.
    refused = client.post(
        _url("vote", setup.conversation),
        {"statement": setup.statements[1].pk, "value": "nonsense"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200
    assert "Choose agree, disagree or pass." in _text(refused)


# The conversation, the participant, the statement; the upsert and its read; the debounce check;
# two savepoints and their releases (the test runs in a transaction).
QUERIES = 10


def test_a_vote_takes_few_queries(django_assert_max_num_queries: Any) -> None:
    setup = make_conversation(seeds=3)
    client = _client()
    _vote(client, setup, setup.statements[0], "agree")  # the participant and its cookie exist
    with django_assert_max_num_queries(QUERIES):
        response = _vote(client, setup, setup.statements[1], "disagree")
    assert response.status_code == 303
    with django_assert_max_num_queries(QUERIES):  # a changed vote
        _vote(client, setup, setup.statements[1], "agree")
    assert _votes(setup.conversation)[setup.statements[1].pk] == VoteValue.AGREE


def test_a_vote_from_your_votes_goes_back_there_and_refusals_are_said() -> None:
    setup = make_conversation(seeds=1)
    client = _client()
    _vote(client, setup, setup.statements[0], "agree")
    here = _url("my_votes", setup.conversation)
    response = _vote(client, setup, setup.statements[0], "pass", next=here)
    assert response.status_code == 303
    assert response["Location"] == here
    assert _votes(setup.conversation) == {setup.statements[0].pk: VoteValue.PASS}
    elsewhere = _vote(client, setup, setup.statements[0], "pass", next="https://evil.example/")
    assert elsewhere["Location"] == _url("conversation", setup.conversation)
    activity_transition(activity=setup.conversation.activity, to_state=ActivityState.CLOSED)
    refused = _vote(client, setup, setup.statements[0], "agree", next=here)
    assert refused["Location"] == here
    assert "nothing was saved" in _text(client.get(here))
    assert _votes(setup.conversation) == {setup.statements[0].pk: VoteValue.PASS}


# --- Adding a statement -------------------------------------------------------------------------


def test_a_similar_statement_is_shown_and_add_anyway_adds_it() -> None:
    setup = make_conversation(seeds=0, moderation=Moderation.POST)
    actions.statement_add(
        conversation=setup.conversation,
        by=setup.staff,
        text="We need more bike racks in the town centre",
    )
    client = _client()
    url = _url("statement_add", setup.conversation)
    page = _text(client.get(url))
    token = page.split('name="one_time_token" value="', 1)[1].split('"', 1)[0]
    data = {"text": "The town centre needs more bike racks", "one_time_token": token}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Is your statement already here?" in _text(response)
    assert "We need more bike racks in the town centre" in _text(response)
    assert Statement.objects.count() == 1
    added = client.post(url, {**data, "add_anyway": "on"})
    assert added.status_code == 302
    statement = Statement.objects.get(text="The town centre needs more bike racks")
    assert statement.contribution.visibility == Visibility.PUBLISHED
    assert statement.votes.get().value == VoteValue.AGREE  # the author agrees with it
    assert participants.cookie_name(setup.conversation.pk) in added.cookies
    assert "others can vote on it now" in _text(client.get(added["Location"]))


def test_a_different_statement_is_added_at_once_and_held_under_pre_moderation() -> None:
    setup = make_conversation(seeds=1, moderation=Moderation.PRE)
    client = _client()
    response = client.post(
        _url("statement_add", setup.conversation), {"text": "Light the canal path at night"}
    )
    assert response.status_code == 302
    statement = Statement.objects.get(text="Light the canal path at night")
    assert statement.contribution.visibility == Visibility.PENDING
    page = _text(client.get(response["Location"]))
    assert "A moderator will check your statement" in page
    # Held statements are not offered to vote on.
    assert _shown(page) == setup.statements[0].pk


def test_a_statement_too_long_or_a_duplicate_gets_a_field_message() -> None:
    setup = make_conversation(seeds=1)
    url = _url("statement_add", setup.conversation)
    too_long = _client().post(url, {"text": "x" * 281})
    assert "280 characters or fewer" in _text(too_long)
    same = _client().post(url, {"text": "seed STATEMENT 1", "add_anyway": "on"})
    assert "already in the conversation" in _text(same)
    assert 'class="govuk-error-summary"' in _text(same)
    assert Statement.objects.count() == 1


def test_a_verified_resident_adds_a_statement_with_their_area() -> None:
    setup = _residents(seeds=0)
    client = _client(UserFactory())
    [code] = make_codes(setup.conversation)
    url = _url("statement_add", setup.conversation)
    assert client.get(url).status_code == 403
    assert _enter_code(client, setup, code, "NF1 1AA").status_code == 303
    assert 'name="postcode"' not in _text(client.get(url))
    added = client.post(url, {"text": "Light the canal path"})
    assert added.status_code == 302
    author = Statement.objects.get().author
    assert author is not None
    assert author.postcode_area == "NF1"


def test_adding_is_refused_where_participants_may_not_add() -> None:
    setup = make_conversation(seeds=1, participants_may_add=False)
    url = _url("statement_add", setup.conversation)
    assert _client().get(url).status_code == 403
    assert _client().post(url, {"text": "Something new"}).status_code == 403
    assert Statement.objects.count() == 1


# --- Your votes and claiming them on signing in -------------------------------------------------


def test_your_votes_lists_only_your_own_and_lets_you_change_them() -> None:
    setup = make_conversation(seeds=2)
    someone = make_participant(setup.conversation)
    actions.vote_cast(participant=someone, statement=setup.statements[1], value=VoteValue.AGREE)
    client = _client()
    _vote(client, setup, setup.statements[0], "disagree")
    page = _text(client.get(_url("my_votes", setup.conversation)))
    assert setup.statements[0].text in page
    assert setup.statements[1].text not in page
    assert f'name="next" value="{_url("my_votes", setup.conversation)}' in page
    assert "You have not voted" in _text(_client().get(_url("my_votes", setup.conversation)))


@pytest.fixture
def claiming() -> Any:
    """The claim receiver connected to allauth's signal, as apps.ready() will do."""
    from allauth.account.signals import user_logged_in

    user_logged_in.connect(participants.claim_on_sign_in, dispatch_uid="test-claim")
    yield
    user_logged_in.disconnect(dispatch_uid="test-claim")


def test_signing_in_claims_the_visitors_votes(claiming: Any) -> None:
    from coproduce.accounts.tests.factories import DEFAULT_PASSWORD

    setup = make_conversation(seeds=2)
    client = _client()
    _vote(client, setup, setup.statements[0], "agree")
    _vote(client, setup, setup.statements[1], "disagree")
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.user == user
    assert _votes(setup.conversation) == {
        setup.statements[0].pk: VoteValue.AGREE,
        setup.statements[1].pk: VoteValue.DISAGREE,
    }
    page = _text(client.get(_url("conversation", setup.conversation)))
    assert "You have voted on 2 of 2 statements." in page


# --- The activity page ---------------------------------------------------------------------------


def test_the_activity_page_links_to_the_conversation_with_its_counts() -> None:
    setup = make_conversation(seeds=3)
    make_participant(setup.conversation)
    page = _text(_client().get(setup.conversation.activity.get_absolute_url()))
    assert _url("conversation", setup.conversation) in page
    assert 'id="statement-count">3<' in page
    assert 'id="participant-count">1<' in page
    assert _url("map", setup.conversation) in page
