"""Every write of a bid, and THE function that opens one (decision 0077).

A bid is sealed until its round's deadline: ``open_bid`` is the only way to its content (price,
summary, method statements, commitments, files) for anyone, on any route — pages, the API, the
admin, exports. It checks ``rules.can_open_bid`` and logs every opening by someone other than the
bidder (``BidAccess``). Its two siblings open the same way and log the same: ``check_opening``
where the page reads nothing more, ``open_prices`` for a list of bids' prices. The other modules
import them; none reads a bid's content another way.

Each write checks its own rule (PermissionDenied), so the pages and the API behave the same, and
every edit is refused once bids close (``rules.can_edit_bid``). Bidders' clarification questions
and the commissioners' answers are here too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.commissioning import rules
from coproduce.commissioning.models import (
    AccessRoute,
    Attachment,
    Bid,
    BidAccess,
    BidStatus,
    Clarification,
    Commitment,
    Criterion,
    CriterionKind,
    MethodStatement,
    Round,
)
from coproduce.common.documents import MAX_BYTES, extension_of, sniff
from coproduce.common.permissions import require
from coproduce.organisations.models import Organisation
from coproduce.outcomes.models import Indicator

MAX_ATTACHMENTS = 10  # files per bid
NAME_LENGTH = 200  # Attachment.name
ROUND_PATH = "round__activity__service_stage__service__organisation"


def _locked(bid: Bid) -> Bid:
    """The bid read again and locked for this transaction (a submit and an edit at the same
    moment wait for each other), with its round."""
    return Bid.objects.select_for_update().select_related("round").get(pk=bid.pk)


# --- Opening a bid: the one way to its content -------------------------------------------------


def _opening(bid: Bid, person: Visitor, route: str) -> BidAccess | None:
    """Refuse (PermissionDenied) anyone ``rules.can_open_bid`` does not allow; the log entry
    (unsaved) of an opening by anyone but the bidder, None for the bidder's own."""
    if route not in AccessRoute.values:
        raise ValueError(f"Unknown route {route!r}: use one of {AccessRoute.values}.")
    if rules.is_bidder(person, bid):
        return None
    require(rules.can_open_others_bid(person, bid))
    assert isinstance(person, User)  # can_open_others_bid allows nobody anonymous
    return BidAccess(bid=bid, person=person, route=route)


def check_opening(bid: Bid, person: Visitor, route: str) -> None:
    """Open the bid without reading its content again: where the page has what it shows, or
    shows nothing of it. Allowed and logged exactly as ``open_bid``."""
    access = _opening(bid, person, route)
    if access is not None:
        access.save()


def open_bid(bid: Bid, person: Visitor, route: str) -> Bid:
    """The bid with its statements, commitments and files, for someone ``rules.can_open_bid``
    allows (PermissionDenied for everyone else). An opening by anyone but the bidder is logged
    with its route (``AccessRoute``: page, api, admin, attachment, export)."""
    check_opening(bid, person, route)
    return (
        Bid.objects.select_related("organisation", ROUND_PATH)
        .prefetch_related(
            "method_statements__criterion",
            "commitments__criterion",
            "commitments__indicator__outcome",
            "attachments",
        )
        .get(pk=bid.pk)
    )


def open_prices(bids: Sequence[Bid], person: Visitor, route: str) -> dict[int, Decimal | None]:
    """The bids' prices alone, as read with ``bids``: every bid opened as ``open_bid`` opens it
    (all refused if one is; the openings logged together)."""
    accesses = [_opening(bid, person, route) for bid in bids]
    BidAccess.objects.bulk_create([access for access in accesses if access is not None])
    return {bid.pk: bid.price for bid in bids}


def attachment_open(attachment: Attachment, person: Visitor) -> FieldFile:
    """One of a bid's files, opened for reading from the sealed storage: allowed and logged as
    ``open_bid`` (route "attachment")."""
    check_opening(attachment.bid, person, AccessRoute.ATTACHMENT)
    attachment.file.open("rb")
    return attachment.file


# --- What a bid needs before it is submitted ---------------------------------------------------


def quality_criteria(round_: Round) -> list[Criterion]:
    """The criteria a bid writes a method statement for, in the round's order."""
    return list(round_.criteria.filter(kind=CriterionKind.QUALITY))


def missing_parts(bid: Bid) -> list[str]:
    """What the bid still needs before it can be submitted, in words: its price and a method
    statement for every quality criterion. For a bid already opened (``open_bid``)."""
    missing: list[str] = []
    if bid.price is None:
        missing.append(_("Enter your price for the whole contract."))
    written = {s.criterion_id for s in bid.method_statements.all() if s.text.strip()}
    for criterion in quality_criteria(bid.round):
        if criterion.pk not in written:
            missing.append(
                _("Write your method statement for “%(criterion)s”.")
                % {"criterion": criterion.name}
            )
    return missing


# --- Starting, changing, submitting and withdrawing a bid --------------------------------------


@transaction.atomic
def bid_start(*, round_: Round, organisation: Organisation, by: User) -> Bid:
    """Start the organisation's bid for the round (one per organisation). A bid the organisation
    withdrew comes back as a draft, as it was."""
    require(rules.can_bid(by, round_))
    require(rules.bidding_organisations(by).filter(pk=organisation.pk).exists())
    existing = (
        Bid.objects.select_for_update().filter(round=round_, organisation=organisation).first()
    )
    if existing is not None:
        if existing.status != BidStatus.WITHDRAWN:
            raise ValidationError(
                {
                    "organisation": _("%(organisation)s has already started a bid for this round.")
                    % {"organisation": organisation.name}
                }
            )
        existing.status, existing.submitted_at = BidStatus.DRAFT, None
        existing.save(update_fields=["status", "submitted_at", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Bid.objects.create(round=round_, organisation=organisation, created_by=by)
    except IntegrityError:  # two members started it at the same moment
        raise ValidationError(
            {
                "organisation": _("%(organisation)s has already started a bid for this round.")
                % {"organisation": organisation.name}
            }
        ) from None


@transaction.atomic
def bid_save(
    *,
    bid: Bid,
    by: User,
    price: Decimal | None,
    summary: str,
    statements: Mapping[int, str],
) -> Bid:
    """Change the bid's price, summary and method statements (criterion key → text; an empty text
    removes that statement, a criterion left out keeps its own). Only the round's quality
    criteria take statements. A submitted bid stays submitted, so it must stay complete."""
    locked = _locked(bid)
    require(rules.can_edit_bid(by, locked))
    quality = {c.pk: c for c in quality_criteria(locked.round)}
    if set(statements) - set(quality):
        raise ValidationError(
            {"statements": _("Write method statements only for this round's quality criteria.")}
        )
    if price is not None and price < 0:
        raise ValidationError({"price": _("Your price cannot be less than 0.")})
    if locked.status == BidStatus.SUBMITTED:
        _still_complete(locked, price, statements)
    locked.price, locked.summary = price, summary.strip()
    locked.full_clean(exclude=["round", "organisation", "created_by"])
    locked.save()
    for key, text in statements.items():
        text = text.strip()
        if not text:
            MethodStatement.objects.filter(bid=locked, criterion_id=key).delete()
            continue
        statement = MethodStatement.objects.filter(bid=locked, criterion_id=key).first()
        statement = statement or MethodStatement(bid=locked, criterion=quality[key])
        statement.text = text
        statement.full_clean(exclude=["bid", "criterion"])
        statement.save()
    return locked


def _still_complete(bid: Bid, price: Decimal | None, statements: Mapping[int, str]) -> None:
    """A submitted bid's change must leave it with its price and every method statement."""
    written = {s.criterion_id for s in bid.method_statements.all() if s.text.strip()}
    written |= {key for key, text in statements.items() if text.strip()}
    written -= {key for key, text in statements.items() if not text.strip()}
    missing = [_("Enter your price for the whole contract.")] if price is None else []
    missing += [
        _("Write your method statement for “%(criterion)s”.") % {"criterion": criterion.name}
        for criterion in quality_criteria(bid.round)
        if criterion.pk not in written
    ]
    if missing:
        raise ValidationError([_("Your bid is submitted, so it must stay complete."), *missing])


@transaction.atomic
def bid_submit(*, bid: Bid, by: User) -> Bid:
    """Submit the bid: it needs a price and a method statement for every quality criterion (the
    ValidationError lists what is missing). It can still change until bids close."""
    locked = _locked(bid)
    require(rules.can_edit_bid(by, locked))
    if locked.status == BidStatus.SUBMITTED:
        raise ValidationError(_("Your bid is already submitted."))
    missing = missing_parts(locked)
    if missing:
        raise ValidationError(missing)
    locked.status, locked.submitted_at = BidStatus.SUBMITTED, timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return locked


@transaction.atomic
def bid_withdraw(*, bid: Bid, by: User) -> Bid:
    """Withdraw the bid before bids close: it is not evaluated. Starting again brings it back as
    a draft."""
    locked = _locked(bid)
    require(rules.can_edit_bid(by, locked))
    locked.status, locked.submitted_at = BidStatus.WITHDRAWN, None
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return locked


# --- Social-value commitments ------------------------------------------------------------------


def commitment_indicators(criterion: Criterion) -> list[Indicator]:
    """What a commitment under this criterion may measure: the indicators it serves, or the
    round's when it serves none."""
    served = list(criterion.indicators.select_related("outcome"))
    return served or list(criterion.round.indicators.select_related("outcome"))


@transaction.atomic
def commitment_add(
    *,
    bid: Bid,
    by: User,
    criterion: Criterion,
    indicator: Indicator,
    quantity: Decimal,
    description: str,
) -> Commitment:
    """Promise a quantity of an outcome indicator under one of the round's social-value criteria
    ("12 local young people employed")."""
    locked = _locked(bid)
    require(rules.can_edit_bid(by, locked))
    if criterion.round_id != locked.round_id or criterion.kind != CriterionKind.SOCIAL_VALUE:
        raise ValidationError({"criterion": _("Choose one of this round's social-value criteria.")})
    if indicator.pk not in {i.pk for i in commitment_indicators(criterion)}:
        raise ValidationError(
            {
                "indicator": _("Choose one of the outcome indicators that “%(criterion)s” serves.")
                % {"criterion": criterion.name}
            }
        )
    if quantity <= 0:
        raise ValidationError({"quantity": _("Promise a quantity greater than 0.")})
    if not description.strip():
        raise ValidationError({"description": _("Say what you promise.")})
    commitment = Commitment(
        bid=locked,
        criterion=criterion,
        indicator=indicator,
        quantity=quantity,
        description=description.strip(),
    )
    commitment.full_clean(exclude=["bid", "criterion", "indicator"])
    commitment.save()
    return commitment


@transaction.atomic
def commitment_delete(*, commitment: Commitment, by: User) -> None:
    """Take a commitment out of the bid, before bids close."""
    require(rules.can_edit_bid(by, _locked(commitment.bid)))
    commitment.delete()


# --- Files -------------------------------------------------------------------------------------


def _display_name(name: str, kind: str) -> str:
    """The uploaded file's own name, as the bidder will see it (never its stored name): its last
    part, without control characters, at most NAME_LENGTH characters with its extension kept."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable()).strip() or f"file.{kind}"
    if len(base) > NAME_LENGTH:
        stem, dot, extension = base.rpartition(".")
        tail = f"{dot}{extension}" if dot and len(extension) < 10 else ""
        base = (stem if tail else base)[: NAME_LENGTH - len(tail)] + tail
    return base


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def attachment_add(*, bid: Bid, by: User, upload: UploadedFile) -> Attachment:
    """Add a file to the bid: a real PDF, Word (.docx) or OpenDocument text (.odt) file,
    recognised from its content, at most 10 MB, at most 10 files a bid. It is stored under a
    random name in the sealed storage, with its SHA-256."""
    locked = _locked(bid)
    require(rules.can_edit_bid(by, locked))
    given = upload.name or ""
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "upload": _(
                    "Your bid already has %(count)d files, the most it can have. Remove one "
                    "before you add another."
                )
                % {"count": MAX_ATTACHMENTS}
            }
        )
    if not upload.size:
        raise ValidationError({"upload": _("“%(name)s” is empty.") % {"name": given}})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {
                "upload": _(
                    "“%(name)s” is bigger than 10 MB. Make it smaller, or split it into two files."
                )
                % {"name": given}
            }
        )
    kind = sniff(upload.file) if upload.file is not None else None
    if kind is None or extension_of(given) != kind:
        raise ValidationError(
            {
                "upload": _(
                    "“%(name)s” is not a PDF, Word (.docx) or OpenDocument text (.odt) file. "
                    "Save it as one of these, then add it again."
                )
                % {"name": given}
            }
        )
    sha256 = _sha256(upload)
    same = locked.attachments.filter(sha256=sha256).first()
    if same is not None:
        raise ValidationError(
            {"upload": _("You have already added this file, as “%(name)s”.") % {"name": same.name}}
        )
    attachment = Attachment(
        bid=locked, name=_display_name(given, kind), kind=kind, size=upload.size, sha256=sha256
    )
    attachment.file.save(kind, upload, save=False)  # the name is random (models._attachment_path)
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        attachment.file.storage.delete(str(attachment.file.name))
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: User) -> None:
    """Take a file out of the bid, before bids close; the stored file goes once this commits."""
    require(rules.can_edit_bid(by, _locked(attachment.bid)))
    storage, name = attachment.file.storage, str(attachment.file.name)
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Bidders' clarification questions ----------------------------------------------------------


@transaction.atomic
def clarification_ask(*, round_: Round, by: User, question: str) -> Clarification:
    """A bidder's question about the round. Once answered it is published to everyone, without
    the asker."""
    require(rules.can_ask_question(by, round_))
    if not question.strip():
        raise ValidationError({"question": _("Write your question.")})
    clarification = Clarification(round=round_, asked_by=by, question=question.strip())
    clarification.full_clean(exclude=["round", "asked_by", "answered_by"])
    clarification.save()
    return clarification


@transaction.atomic
def clarification_answer(
    *, clarification: Clarification, by: User, answer: str, answer_cy: str = ""
) -> Clarification:
    """Answer a question (or correct the answer): it is then public on the round's questions
    page."""
    require(rules.can_answer_questions(by, clarification.round))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    clarification.answer, clarification.answer_cy = answer.strip(), answer_cy.strip()
    clarification.answered_by, clarification.answered_at = by, timezone.now()
    clarification.full_clean(exclude=["round", "asked_by", "answered_by"])
    clarification.save()
    return clarification
