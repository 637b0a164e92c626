"""Writes of the conversations app: settings, participants, statements, votes, claims and map
requests. Each is keyword-only and atomic; the map task is queued after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.common.onetime import MAX_BATCH, hash_secret, make_batch
from coproduce.common.permissions import require
from coproduce.contributions.actions import (
    contribution_start,
    contributions_changed,
    moderation_approve,
    moderation_hide,
)
from coproduce.contributions.models import Visibility
from coproduce.conversations import rules
from coproduce.conversations.models import (
    STATEMENT,
    Conversation,
    MapRun,
    MapStatus,
    Moderation,
    Participant,
    ResidentCode,
    Statement,
    Vote,
    VoteValue,
)
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_manage_activity

STATEMENT_MAX_LENGTH = 280
MAX_CODES = MAX_BATCH  # residents' codes in one batch
SETTINGS_FIELDS = (
    "description",
    "audience",
    "postcode_prefixes",
    "participants_may_add",
    "moderation",
    "seed",
)


AUDIENCE_FIXED = gettext_lazy(
    "People have voted, so who may take part can no longer change: the map is of the votes of "
    "the people it let in."
)

# --- Settings ----------------------------------------------------------------------------------


def _set_fields(conversation: Conversation, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not a conversation setting: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(conversation, name, value)
    conversation.full_clean(exclude=["activity"])


@transaction.atomic
def conversation_create(*, activity: Activity, by: User | None, **fields: Any) -> Conversation:
    """Make an opinion-map activity a conversation with these settings (``by`` None: a command)."""
    if activity.kind != ActivityKind.OPINION_MAP:
        raise ValidationError(_("Only an opinion-map activity can hold a conversation."))
    if by is not None:
        require(can_manage_activity(by, activity))
    if Conversation.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity already has a conversation."))
    conversation = Conversation(activity=activity)
    _set_fields(conversation, fields)
    conversation.save()
    return conversation


@transaction.atomic
def conversation_update(*, conversation: Conversation, by: User, **fields: Any) -> Conversation:
    """Change who may take part, whether participants add statements, moderation or the seed."""
    require(rules.can_manage_conversation(by, conversation))
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if rules.audience_fixed(locked):
        changed = [
            name
            for name in rules.AUDIENCE
            if name in fields and fields[name] != getattr(locked, name)
        ]
        if changed:
            raise ValidationError(dict.fromkeys(changed, str(AUDIENCE_FIXED)))
    _set_fields(conversation, fields)
    conversation.save()
    return conversation


# --- Participants ------------------------------------------------------------------------------


def _postcode_area(postcode: str) -> str:
    """The postcode district ("NF1" of "NF1 2AB"), kept for the report by area."""
    return postcode.strip().upper().split(" ")[0][:8] if postcode.strip() else ""


def _user_participant(conversation: Conversation, user: User, area: str = "") -> Participant:
    """The participant of a signed-in person, made now if they are new."""
    found = Participant.objects.filter(conversation=conversation, user=user).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # two tabs at once: one participant
            return Participant.objects.create(
                conversation=conversation, user=user, postcode_area=area
            )
    except IntegrityError:
        return Participant.objects.get(conversation=conversation, user=user)


@transaction.atomic
def participant_get_or_create(
    *, conversation: Conversation, user: Visitor | None = None, key: str = "", postcode: str = ""
) -> Participant:
    """The participant of a signed-in person (by account) or of a visitor (by the key of their
    signed cookie; a new visitor, or an unknown key, gets a new participant and key). A new
    participant keeps the district of ``postcode`` for the report. In a residents-only
    conversation, only a participant verified with a code (``resident_verify``)."""
    visitor: Visitor = user if user is not None else AnonymousUser()
    refused = PermissionDenied(_("You cannot take part in this conversation."))
    if isinstance(visitor, User) and visitor.is_authenticated:
        found = Participant.objects.filter(conversation=conversation, user=visitor).first()
        if not rules.can_take_part(visitor, conversation, participant=found):
            raise refused
        if found is not None:
            return found
        return _user_participant(conversation, visitor, _postcode_area(postcode))
    if not rules.can_take_part(visitor, conversation):
        raise refused
    if key:
        found = Participant.objects.filter(
            conversation=conversation, key=key, user__isnull=True
        ).first()
        if found is not None:
            return found
    return Participant.objects.create(
        conversation=conversation, postcode_area=_postcode_area(postcode)
    )


# --- Residents' codes (decision 0112) -----------------------------------------------------------


@transaction.atomic
def codes_generate(*, conversation: Conversation, by: User, count: int) -> list[str]:
    """Make a batch of one-time residents' codes; the raw codes are returned once, here only."""
    require(rules.can_manage_codes(by, conversation))
    if not rules.needs_code(conversation):
        raise ValidationError(
            _(
                "Codes are only for conversations where verified residents take part. Change "
                "who may take part in the settings first."
            )
        )
    return make_batch(
        conversation.resident_codes.all(),
        lambda code_hash, batch: ResidentCode(
            conversation=conversation, code_hash=code_hash, batch=batch
        ),
        count,
    )


def _code_used_message() -> str:
    return _(
        "This code has already been used: each code lets one person take part. If you did not "
        "use it, ask the people who sent it to you for a new one."
    )


@transaction.atomic
def resident_verify(
    *, conversation: Conversation, user: User, code: str, postcode: str
) -> Participant:
    """Accept a resident's one-time code: their participant (made now if new) is verified and
    keeps their postcode district, and the code is used up. A wrong code, a used one or another
    conversation's is refused on ``code``; a postcode outside the area on ``postcode``."""
    require(rules.can_verify_residence(user, conversation))
    found = Participant.objects.filter(conversation=conversation, user=user).first()
    if found is not None and rules.is_verified(found):
        return found
    errors: dict[str, str] = {}
    if not postcode.strip():
        errors["postcode"] = _("Enter your postcode, for example NF1 2AB.")
    elif not rules.postcode_fits(conversation, postcode):
        errors["postcode"] = _(
            "This postcode is not in the conversation’s area: only people who live there can "
            "take part. Check your postcode."
        )
    resident_code = (
        ResidentCode.objects.filter(conversation=conversation, code_hash=hash_secret(code)).first()
        if code.strip()
        else None
    )
    if not code.strip():
        errors["code"] = _("Enter the code from your letter or card.")
    elif resident_code is None:
        errors["code"] = _(
            "This code is not one of this conversation’s codes. Check it and try again."
        )
    elif resident_code.used_at is not None:
        errors["code"] = _code_used_message()
    if errors or resident_code is None:
        raise ValidationError(errors)
    participant = found if found is not None else _user_participant(conversation, user)
    now = timezone.now()
    # One update decides who uses the code: two people typing it at once, only one wins.
    taken = ResidentCode.objects.filter(pk=resident_code.pk, used_at__isnull=True).update(
        used_by=participant, used_at=now
    )
    if not taken:
        raise ValidationError({"code": _code_used_message()})
    participant.verified_at = now
    participant.postcode_area = _postcode_area(postcode)
    participant.save(update_fields=["verified_at", "postcode_area"])
    return participant


def _require_verified(participant: Participant) -> None:
    """In a residents-only conversation, only verified participants vote and add statements."""
    if rules.needs_code(participant.conversation) and not rules.is_verified(participant):
        raise ValidationError(
            _(
                "Only verified residents can take part in this conversation. Enter the code "
                "posted to you first."
            )
        )


@transaction.atomic
def participant_claim(*, participant: Participant, user: User) -> Participant:
    """Merge a visitor's participant (from their cookie) into the signed-in user's participant.

    The visitor's votes move across; where both voted on a statement the newer vote wins. Their
    statements move too, and the visitor's participant is removed. Returns the user's participant.
    """
    conversation = participant.conversation
    if participant.user_id == user.pk:
        return participant
    if participant.user_id is not None:
        raise PermissionDenied(_("These votes belong to someone else."))
    mine, _created = Participant.objects.get_or_create(conversation=conversation, user=user)
    # Claims into one account wait for each other (two cookies' votes on one statement would
    # both move in), and a claim sent twice finds the visitor gone: nothing more to move
    # (decision 0140).
    Participant.objects.select_for_update().filter(pk=mine.pk).exists()
    visitor = (
        Participant.objects.select_for_update().filter(pk=participant.pk, user__isnull=True).first()
    )
    if visitor is None:
        mine.refresh_from_db()
        return mine
    now = timezone.now()
    votes = Vote.objects.filter(participant=visitor)
    theirs = {
        statement: (value, updated)
        for statement, value, updated in votes.values_list("statement_id", "value", "updated_at")
    }
    clash = Vote.objects.filter(participant=mine, statement_id__in=votes.values("statement_id"))
    for vote in clash.select_for_update():
        value, updated = theirs[vote.statement_id]
        if updated is not None and (vote.updated_at is None or updated > vote.updated_at):
            Vote.objects.filter(pk=vote.pk).update(value=value, updated_at=now)
    Vote.objects.filter(participant=visitor, statement_id__in=clash.values("statement_id")).delete()
    # Moved votes count as changed, so that the next map reads them again.
    Vote.objects.filter(participant=visitor).update(participant=mine, updated_at=now)
    Statement.objects.filter(author=visitor).update(author=mine)
    if not mine.postcode_area and visitor.postcode_area:
        Participant.objects.filter(pk=mine.pk).update(postcode_area=visitor.postcode_area)
    visitor.delete()
    # A participant left the conversation: a map engine in memory no longer matches the votes.
    Conversation.objects.filter(pk=conversation.pk).update(data_version=F("data_version") + 1)
    map_request(conversation=conversation)
    mine.refresh_from_db()
    return mine


# --- Statements --------------------------------------------------------------------------------


def _clean_text(conversation: Conversation, text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationError({"text": _("Write your statement.")})
    if len(cleaned) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep your statement to %(max)s characters or fewer.")
                % {"max": STATEMENT_MAX_LENGTH}
            }
        )
    if conversation.statements.filter(text__iexact=cleaned).exists():
        raise ValidationError({"text": _("This statement is already in the conversation.")})
    return cleaned


@transaction.atomic
def statement_add(
    *,
    conversation: Conversation,
    text: str,
    by: User | None = None,
    participant: Participant | None = None,
) -> Statement:
    """Add a statement: a seed statement by staff (``by``), published at once, or a participant's
    statement, held for moderation first when the conversation is pre-moderated. A participant
    agrees with their own statement, as in Polis."""
    if participant is None:
        if by is None:
            raise ValueError("statement_add needs the staff member or the participant")
        require(rules.can_manage_conversation(by, conversation))
        if not rules.takes_seed_statements(conversation):
            raise ValidationError(_("This conversation has closed, so it takes no new statements."))
    else:
        if participant.conversation_id != conversation.pk:
            raise ValueError("the participant is not in this conversation")
        if not rules.is_open(conversation):
            raise ValidationError(_("This conversation is closed."))
        if not conversation.participants_may_add:
            raise ValidationError(_("This conversation does not take new statements."))
        _require_verified(participant)
    cleaned = _clean_text(conversation, text)
    author = by if participant is None else participant.user
    contribution = contribution_start(
        activity=conversation.activity,
        kind=STATEMENT,
        author=author,
        text=cleaned,
        always_moderate=participant is not None and conversation.moderation == Moderation.PRE,
        by_staff=participant is None,
    )
    if participant is None and contribution.visibility != Visibility.PUBLISHED:
        # Staff write the seed statements; nobody checks them.
        contribution.visibility = Visibility.PUBLISHED
        contribution.held_reason = ""
        contribution.save(update_fields=["visibility", "held_reason"])
    statement = Statement.objects.create(
        contribution=contribution,
        conversation=conversation,
        author=participant,
        text=cleaned,
        is_seed=participant is None,
    )
    if participant is not None:
        _upsert_vote(participant=participant, statement=statement, value=VoteValue.AGREE)
    map_request(conversation=conversation)
    return statement


class ModerationDecision:
    ACCEPT = "accept"
    REJECT = "reject"
    META = "meta"
    NOT_META = "not_meta"


@transaction.atomic
def statement_moderate(
    *, statement: Statement, by: User, decision: str, reason: str = ""
) -> Statement:
    """Accept (publish) a statement, reject it with a reason (hidden: left out of the map), or
    mark it as meta (about the conversation: voted on, left out of the map) or not."""
    conversation = statement.conversation
    require(rules.can_moderate_conversation(by, conversation))
    contribution = statement.contribution
    if decision == ModerationDecision.ACCEPT:
        moderation_approve(contribution=contribution, moderator=by)
        statement.rejected_reason = ""
    elif decision == ModerationDecision.REJECT:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the statement is rejected.")})
        moderation_hide(contribution=contribution, moderator=by)
        statement.rejected_reason = reason.strip()[:300]
    elif decision in (ModerationDecision.META, ModerationDecision.NOT_META):
        statement.is_meta = decision == ModerationDecision.META
        contributions_changed([contribution])
    else:
        raise ValueError(f"unknown moderation decision {decision!r}")
    statement.save(update_fields=["rejected_reason", "is_meta"])
    map_request(conversation=conversation)
    return statement


# --- Votes -------------------------------------------------------------------------------------


def _upsert_vote(*, participant: Participant, statement: Statement, value: int) -> Vote:
    """One row per participant and statement, inserted or changed in one statement (so two
    requests at once neither lose a vote nor make two)."""
    now = timezone.now()
    Vote.objects.bulk_create(
        [
            Vote(
                conversation_id=statement.conversation_id,
                participant=participant,
                statement=statement,
                value=value,
                created_at=now,
                updated_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["participant", "statement"],
        update_fields=["value", "updated_at"],
    )
    return Vote.objects.get(participant=participant, statement=statement)


@transaction.atomic
def vote_cast(*, participant: Participant, statement: Statement, value: int) -> Vote:
    """Agree (1), disagree (-1) or pass (0) on a published statement; a second vote changes the
    first. The map is recomputed shortly after."""
    if value not in VoteValue.values:
        raise ValidationError({"value": _("Choose agree, disagree or pass.")})
    conversation = participant.conversation
    if statement.conversation_id != conversation.pk:
        raise ValidationError(_("This statement is not in this conversation."))
    if not rules.is_open(conversation):
        raise ValidationError(_("This conversation is closed."))
    if statement.contribution.visibility != Visibility.PUBLISHED:
        raise ValidationError(_("This statement cannot be voted on."))
    _require_verified(participant)
    vote = _upsert_vote(participant=participant, statement=statement, value=value)
    map_request(conversation=conversation)
    return vote


# --- The map -----------------------------------------------------------------------------------


def debounce_seconds() -> int:
    """How long a map request waits for more votes before the map is computed."""
    return int(getattr(settings, "COPRODUCE_MAP_DEBOUNCE_SECONDS", 10))


@transaction.atomic
def map_request(*, conversation: Conversation, by: User | None = None) -> MapRun:
    """Ask for the map to be recomputed shortly; requests while one waits share it (debounce)."""
    if by is not None:
        require(rules.can_manage_conversation(by, conversation))
    waiting = MapRun.objects.filter(conversation=conversation, status=MapStatus.QUEUED).first()
    if waiting is not None:
        return waiting
    try:
        with transaction.atomic():
            run = MapRun.objects.create(
                conversation=conversation, status=MapStatus.QUEUED, seed=conversation.seed
            )
    except IntegrityError:  # another request queued one at the same moment
        return MapRun.objects.get(conversation=conversation, status=MapStatus.QUEUED)
    pk = conversation.pk
    transaction.on_commit(lambda: _enqueue_map(pk))
    return run


def _enqueue_map(conversation_id: int) -> None:
    from coproduce.conversations.tasks import compute_map

    task = compute_map
    delay = debounce_seconds()
    if delay > 0 and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    task.enqueue(conversation_id)
