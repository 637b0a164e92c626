"""Settings, participants, statements, moderation, votes, claims and map requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.onetime import hash_secret
from coproduce.contributions.models import Visibility
from coproduce.conversations import actions, tasks
from coproduce.conversations.actions import ModerationDecision
from coproduce.conversations.models import (
    Audience,
    MapRun,
    MapStatus,
    Moderation,
    Participant,
    ResidentCode,
    Statement,
    Vote,
    VoteValue,
)
from coproduce.conversations.tests.factories import (
    make_codes,
    make_conversation,
    make_participant,
    make_resident,
)
from coproduce.services.models import ActivityKind
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def test_only_an_opinion_map_activity_holds_a_conversation() -> None:
    activity = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE)
    with pytest.raises(ValidationError):
        actions.conversation_create(activity=activity, by=staff_of(activity))


def test_only_staff_change_the_settings() -> None:
    setup = make_conversation()
    with pytest.raises(PermissionDenied):
        actions.conversation_update(
            conversation=setup.conversation, by=UserFactory(), moderation=Moderation.POST
        )
    actions.conversation_update(
        conversation=setup.conversation, by=setup.staff, moderation=Moderation.POST, seed=7
    )
    setup.conversation.refresh_from_db()
    assert (setup.conversation.moderation, setup.conversation.seed) == (Moderation.POST, 7)


def test_who_may_take_part_is_fixed_once_anyone_has_voted() -> None:
    setup = make_conversation()
    conversation = setup.conversation
    for audience in (Audience.SIGNED_IN, Audience.ANYONE):  # nobody has voted: it may change
        actions.conversation_update(conversation=conversation, by=setup.staff, audience=audience)
    actions.vote_cast(
        participant=make_participant(conversation),
        statement=setup.statements[0],
        value=VoteValue.AGREE,
    )
    with pytest.raises(ValidationError) as error:
        actions.conversation_update(
            conversation=conversation,
            by=setup.staff,
            audience=Audience.RESIDENTS,
            postcode_prefixes="NF1",
            moderation=Moderation.POST,
        )
    assert set(error.value.message_dict) == {"audience", "postcode_prefixes"}
    assert "People have voted" in error.value.message_dict["audience"][0]
    conversation.refresh_from_db()
    assert (conversation.audience, conversation.moderation) == (Audience.ANYONE, Moderation.PRE)
    actions.conversation_update(  # the rest still changes, the audience sent unchanged
        conversation=conversation,
        by=setup.staff,
        audience=Audience.ANYONE,
        postcode_prefixes="",
        moderation=Moderation.POST,
    )
    conversation.refresh_from_db()
    assert conversation.moderation == Moderation.POST


def test_a_changed_vote_updates_its_row_and_is_never_duplicated() -> None:
    setup = make_conversation()
    participant = make_participant(setup.conversation)
    statement = setup.statements[0]
    first = actions.vote_cast(participant=participant, statement=statement, value=VoteValue.AGREE)
    for value in (VoteValue.DISAGREE, VoteValue.PASS, VoteValue.DISAGREE):
        vote = actions.vote_cast(participant=participant, statement=statement, value=value)
    assert Vote.objects.filter(participant=participant, statement=statement).count() == 1
    assert vote.pk == first.pk
    assert vote.value == VoteValue.DISAGREE
    assert vote.created_at == first.created_at
    assert vote.updated_at is not None
    assert first.updated_at is not None
    assert vote.updated_at >= first.updated_at


def test_a_vote_must_be_agree_disagree_or_pass_on_a_published_statement() -> None:
    setup = make_conversation(moderation=Moderation.PRE)
    participant = make_participant(setup.conversation)
    with pytest.raises(ValidationError):
        actions.vote_cast(participant=participant, statement=setup.statements[0], value=2)
    held = actions.statement_add(
        conversation=setup.conversation, participant=participant, text="Bins twice a week"
    )
    other = make_participant(setup.conversation)
    with pytest.raises(ValidationError):
        actions.vote_cast(participant=other, statement=held, value=VoteValue.AGREE)


def test_the_same_person_or_cookie_is_the_same_participant() -> None:
    setup = make_conversation()
    user = UserFactory()
    conversation = setup.conversation
    by_user = actions.participant_get_or_create(conversation=conversation, user=user)
    assert actions.participant_get_or_create(conversation=conversation, user=user) == by_user
    visitor = actions.participant_get_or_create(conversation=conversation)
    again = actions.participant_get_or_create(conversation=conversation, key=visitor.key)
    assert again == visitor
    # A forged or stale key is never someone else's participant, and never a signed-in one's.
    forged = actions.participant_get_or_create(conversation=conversation, key=by_user.key)
    assert forged not in (by_user, visitor)
    assert Participant.objects.filter(conversation=conversation).count() == 3


def test_the_audience_decides_who_takes_part() -> None:
    signed_in = make_conversation(audience=Audience.SIGNED_IN).conversation
    with pytest.raises(PermissionDenied):
        actions.participant_get_or_create(conversation=signed_in, user=AnonymousUser())
    assert actions.participant_get_or_create(conversation=signed_in, user=UserFactory())

    residents = make_conversation(
        audience=Audience.RESIDENTS, postcode_prefixes="NF1 NF2"
    ).conversation
    # A postcode in the area is not enough: only a resident verified with a code takes part.
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        actions.participant_get_or_create(conversation=residents, user=person, postcode="NF2 4AB")
    [code] = make_codes(residents)
    verified = actions.resident_verify(
        conversation=residents, user=person, code=code, postcode="nf2 4ab"
    )
    assert actions.participant_get_or_create(conversation=residents, user=person) == verified
    assert verified.postcode_area == "NF2"


def test_nobody_takes_part_in_a_closed_conversation() -> None:
    setup = make_conversation(state="closed")
    with pytest.raises(PermissionDenied):
        actions.participant_get_or_create(conversation=setup.conversation)


def test_pre_moderation_holds_participant_statements_and_post_moderation_shows_them() -> None:
    pre = make_conversation(moderation=Moderation.PRE)
    participant = make_participant(pre.conversation)
    held = actions.statement_add(
        conversation=pre.conversation, participant=participant, text="More benches in the park"
    )
    assert held.contribution.visibility == Visibility.PENDING
    assert not held.is_seed
    assert held.author == participant
    # The author agrees with their own statement, as in Polis.
    assert Vote.objects.get(participant=participant, statement=held).value == VoteValue.AGREE
    assert not held.contribution.needs_answer

    post = make_conversation(moderation=Moderation.POST)
    shown = actions.statement_add(
        conversation=post.conversation,
        participant=make_participant(post.conversation),
        text="Longer library hours",
    )
    assert shown.contribution.visibility == Visibility.PUBLISHED
    # Seed statements by staff are published whatever the mode.
    assert all(s.contribution.visibility == Visibility.PUBLISHED for s in pre.statements)
    assert all(s.is_seed and s.author is None for s in pre.statements)


def test_statements_can_be_switched_off_and_duplicates_are_caught() -> None:
    setup = make_conversation(participants_may_add=False)
    participant = make_participant(setup.conversation)
    with pytest.raises(ValidationError):
        actions.statement_add(conversation=setup.conversation, participant=participant, text="Hi")
    open_setup = make_conversation()
    with pytest.raises(ValidationError):
        actions.statement_add(
            conversation=open_setup.conversation,
            participant=make_participant(open_setup.conversation),
            text="  seed STATEMENT 1 ",
        )


def test_moderators_accept_reject_with_a_reason_and_mark_meta() -> None:
    setup = make_conversation(moderation=Moderation.PRE)
    conversation = setup.conversation
    participant = make_participant(conversation)
    texts = ["Open the pool earlier", "Ban e-bikes", "This is a good conversation"]
    held = [
        actions.statement_add(conversation=conversation, participant=participant, text=t)
        for t in texts
    ]
    with pytest.raises(PermissionDenied):
        actions.statement_moderate(
            statement=held[0], by=UserFactory(), decision=ModerationDecision.ACCEPT
        )
    actions.statement_moderate(statement=held[0], by=setup.staff, decision="accept")
    with pytest.raises(ValidationError):
        actions.statement_moderate(statement=held[1], by=setup.staff, decision="reject")
    actions.statement_moderate(
        statement=held[1], by=setup.staff, decision="reject", reason="Not about the service"
    )
    actions.statement_moderate(statement=held[2], by=setup.staff, decision="meta")
    for statement in held:
        statement.refresh_from_db()
        statement.contribution.refresh_from_db()
    assert held[0].contribution.visibility == Visibility.PUBLISHED
    assert held[1].contribution.visibility == Visibility.HIDDEN
    assert held[1].rejected_reason == "Not about the service"
    assert held[2].is_meta


def test_hidden_and_meta_statements_reach_the_engine_as_such() -> None:
    setup = make_conversation(seeds=8, moderation=Moderation.POST)
    conversation = setup.conversation
    statements = setup.statements
    for number in range(12):
        participant = make_participant(conversation)
        for index, statement in enumerate(statements):
            value = 1 if (number + index) % 3 else -1
            actions.vote_cast(participant=participant, statement=statement, value=value)
    hidden, meta = statements[0], statements[1]
    actions.statement_moderate(statement=hidden, by=setup.staff, decision="reject", reason="Rude")
    actions.statement_moderate(statement=meta, by=setup.staff, decision="meta")
    tasks.forget()
    with tasks._LOCK:
        result = tasks.engine_for(conversation).analyse(seed=0)
    ids = result.statement_ids.tolist()
    assert set(result.statement_ids[result.moderated_out].tolist()) == {hidden.pk}
    assert set(result.statement_ids[result.meta].tolist()) == {meta.pk}
    assert len(ids) == len(statements)
    priorities = [pk for pk, _score in result.priority_ranking()]
    assert hidden.pk not in priorities


def _voted(participant: Participant, statement: Statement, value: int, at: dt.datetime) -> None:
    actions.vote_cast(participant=participant, statement=statement, value=value)
    Vote.objects.filter(participant=participant, statement=statement).update(updated_at=at)


def test_a_visitor_claims_their_votes_and_the_newer_vote_wins() -> None:
    setup = make_conversation(seeds=4)
    conversation = setup.conversation
    s1, s2, s3, s4 = setup.statements
    user = UserFactory()
    mine = actions.participant_get_or_create(conversation=conversation, user=user)
    visitor = make_participant(conversation)
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    _voted(mine, s1, VoteValue.DISAGREE, now)  # the account's vote is newer: it stays
    _voted(visitor, s1, VoteValue.AGREE, now - hour)
    _voted(mine, s2, VoteValue.DISAGREE, now - hour)  # the visitor's vote is newer: it wins
    _voted(visitor, s2, VoteValue.AGREE, now)
    _voted(visitor, s3, VoteValue.PASS, now)  # only the visitor voted: it moves
    _voted(mine, s4, VoteValue.AGREE, now)  # only the account voted: untouched
    version = conversation.data_version
    claimed = actions.participant_claim(participant=visitor, user=user)
    assert claimed == mine
    assert not Participant.objects.filter(pk=visitor.pk).exists()
    votes = dict(Vote.objects.filter(participant=mine).values_list("statement_id", "value"))
    assert votes == {
        s1.pk: VoteValue.DISAGREE,
        s2.pk: VoteValue.AGREE,
        s3.pk: VoteValue.PASS,
        s4.pk: VoteValue.AGREE,
    }
    assert Vote.objects.filter(conversation=conversation).count() == 4
    conversation.refresh_from_db()
    assert conversation.data_version == version + 1


def test_someone_elses_participant_cannot_be_claimed() -> None:
    setup = make_conversation()
    other = make_participant(setup.conversation, signed_in=True)
    with pytest.raises(PermissionDenied):
        actions.participant_claim(participant=other, user=UserFactory())


def test_map_requests_share_one_waiting_run() -> None:
    setup = make_conversation()
    conversation = setup.conversation
    first = actions.map_request(conversation=conversation)
    second = actions.map_request(conversation=conversation)
    assert first == second
    assert MapRun.objects.filter(conversation=conversation, status=MapStatus.QUEUED).count() == 1
    with pytest.raises(PermissionDenied):
        actions.map_request(conversation=conversation, by=UserFactory())


def test_a_vote_queues_the_map_which_the_task_then_computes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup = make_conversation()
    participant = make_participant(setup.conversation)
    MapRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.vote_cast(participant=participant, statement=setup.statements[0], value=1)
    assert len(callbacks) == 1
    run = MapRun.objects.get(conversation=setup.conversation)
    assert run.status == MapStatus.DONE
    assert run.vote_count == 1


def test_staff_write_many_seed_statements_in_a_row_unheld() -> None:
    # The spam guard holds a member of the public's 11th contribution in ten minutes and
    # refuses the 31st; a conversation's seed statements are staff work, not counted.
    setup = make_conversation(seeds=40)
    assert setup.conversation.statements.published().count() == 40
    visitor = make_participant(setup.conversation, signed_in=True)
    assert visitor.user is not None
    for number in range(11):
        statement = actions.statement_add(
            conversation=setup.conversation, participant=visitor, text=f"Mine {number}"
        )
    assert "short time" in statement.contribution.held_reason


# --- Residents' codes (decision 0112) -------------------------------------------------------------


def _residents(**settings: Any) -> Any:
    return make_conversation(
        seeds=2, audience=Audience.RESIDENTS, postcode_prefixes="NF1 NF2", **settings
    )


def test_codes_are_made_in_batches_and_kept_only_as_keyed_hashes() -> None:
    setup = _residents()
    conversation = setup.conversation
    first = actions.codes_generate(conversation=conversation, by=setup.staff, count=3)
    second = actions.codes_generate(conversation=conversation, by=setup.staff, count=2)
    assert len(set(first + second)) == 5
    rows = list(conversation.resident_codes.order_by("pk"))
    assert [row.batch for row in rows] == [1, 1, 1, 2, 2]
    assert [row.code_hash for row in rows] == [hash_secret(code) for code in first + second]
    assert not any(code.replace("-", "") in row.code_hash for code in first for row in rows)
    assert not conversation.resident_codes.used().exists()


def test_only_staff_make_codes_and_only_for_residents_only_conversations() -> None:
    setup = _residents()
    with pytest.raises(PermissionDenied):
        actions.codes_generate(conversation=setup.conversation, by=UserFactory(), count=1)
    with pytest.raises(ValidationError) as too_many:
        actions.codes_generate(
            conversation=setup.conversation, by=setup.staff, count=actions.MAX_CODES + 1
        )
    assert "count" in too_many.value.message_dict
    anyone = make_conversation(seeds=0)
    with pytest.raises(ValidationError):
        actions.codes_generate(conversation=anyone.conversation, by=anyone.staff, count=1)
    assert not ResidentCode.objects.exists()


def test_a_right_code_verifies_a_resident_once_and_they_vote() -> None:
    setup = _residents()
    conversation = setup.conversation
    [code] = make_codes(conversation)
    person = UserFactory()
    unverified = Participant.objects.create(conversation=conversation, user=person)
    with pytest.raises(ValidationError):  # not verified yet: no vote
        actions.vote_cast(participant=unverified, statement=setup.statements[0], value=1)
    # Typed as on paper, in lower case with spaces: the same code.
    participant = actions.resident_verify(
        conversation=conversation, user=person, code=f" {code.lower()} ", postcode="nf1 2ab"
    )
    assert participant == unverified
    assert participant.verified_at is not None
    assert participant.postcode_area == "NF1"
    used = ResidentCode.objects.get()
    assert used.used_by == participant
    assert used.used_at is not None
    assert actions.vote_cast(participant=participant, statement=setup.statements[0], value=1)
    # Verified once: entering a code again changes nothing and uses no code.
    [spare] = make_codes(conversation)
    again = actions.resident_verify(
        conversation=conversation, user=person, code=spare, postcode="NF1 2AB"
    )
    assert again.verified_at == participant.verified_at
    assert conversation.resident_codes.used().count() == 1


def test_a_used_code_does_not_verify_anyone_else() -> None:
    setup = _residents()
    [code] = make_codes(setup.conversation)
    actions.resident_verify(
        conversation=setup.conversation, user=UserFactory(), code=code, postcode="NF1 1AA"
    )
    other = UserFactory()
    with pytest.raises(ValidationError) as refused:
        actions.resident_verify(
            conversation=setup.conversation, user=other, code=code, postcode="NF1 1AA"
        )
    assert "already been used" in refused.value.message_dict["code"][0]
    assert not Participant.objects.filter(user=other).exists()


@pytest.mark.parametrize(
    ("code", "postcode", "field"),
    [
        ("WRNG-CODE-HERE", "NF1 1AA", "code"),
        ("", "NF1 1AA", "code"),
        (None, "ZZ9 9ZZ", "postcode"),
        (None, "", "postcode"),
    ],
)
def test_a_wrong_code_or_postcode_is_refused_on_its_field(
    code: str | None, postcode: str, field: str
) -> None:
    setup = _residents()
    [right] = make_codes(setup.conversation)
    with pytest.raises(ValidationError) as refused:
        actions.resident_verify(
            conversation=setup.conversation,
            user=UserFactory(),
            code=right if code is None else code,
            postcode=postcode,
        )
    assert set(refused.value.message_dict) == {field}
    assert not setup.conversation.resident_codes.used().exists()  # the right code is not spent
    assert not Participant.objects.exists()


def test_another_conversations_code_is_refused() -> None:
    setup = _residents()
    elsewhere = _residents()
    [theirs] = make_codes(elsewhere.conversation)
    with pytest.raises(ValidationError) as refused:
        actions.resident_verify(
            conversation=setup.conversation, user=UserFactory(), code=theirs, postcode="NF1 1AA"
        )
    assert "not one of this conversation’s codes" in refused.value.message_dict["code"][0]
    assert not ResidentCode.objects.used().exists()


def test_codes_are_entered_only_while_a_residents_only_conversation_is_open() -> None:
    closed = _residents(state="closed")
    [code] = make_codes(closed.conversation)
    with pytest.raises(PermissionDenied):
        actions.resident_verify(
            conversation=closed.conversation, user=UserFactory(), code=code, postcode="NF1 1AA"
        )


def test_an_unverified_resident_adds_no_statement_and_a_verified_one_does() -> None:
    setup = _residents(moderation=Moderation.POST)
    unverified = Participant.objects.create(conversation=setup.conversation, user=UserFactory())
    with pytest.raises(ValidationError):
        actions.statement_add(
            conversation=setup.conversation, participant=unverified, text="Light the canal path"
        )
    resident = make_resident(setup.conversation)
    statement = actions.statement_add(
        conversation=setup.conversation, participant=resident, text="Light the canal path"
    )
    assert statement.author == resident


def test_a_used_code_stays_used_when_its_participant_is_removed() -> None:
    setup = _residents()
    resident = make_resident(setup.conversation)
    resident.delete()
    code = ResidentCode.objects.get()
    assert code.used_by is None
    assert ResidentCode.objects.used().count() == 1
