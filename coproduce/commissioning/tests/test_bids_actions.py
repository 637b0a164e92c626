"""The bid actions: starting, writing, commitments, files, submitting and withdrawing; every edit
refused after the deadline; open_bid, the one way to a bid's content, and its log; bidders'
clarification questions."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions_bids as actions
from coproduce.commissioning.models import (
    AccessRoute,
    Attachment,
    Bid,
    BidAccess,
    BidStatus,
    Clarification,
    CriterionKind,
    Declaration,
    Evaluator,
    EvaluatorRole,
    Round,
)
from coproduce.commissioning.tests.factories import keeper_of, make_round
from coproduce.commissioning.tests.factories_bids import (
    close_bids,
    make_bid,
    make_bidder,
    ready_round,
)
from coproduce.common import documents
from coproduce.organisations.models import Role
from coproduce.outcomes.tests.factories import make_indicator, make_outcome

pytestmark = pytest.mark.django_db

# --- Real small files, built here --------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document/>',
    }
)
ODT = _zip(
    {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": b'<?xml version="1.0"?><office:document-content/>',
    }
)


@pytest.fixture(autouse=True)
def sealed_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileSystemStorage:
    """The sealed storage in a folder of this test's own, never the real one."""
    storage = FileSystemStorage(location=tmp_path / "sealed")
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def round_() -> Round:
    return ready_round()


def _quality(round_: Round) -> list[int]:
    return list(round_.criteria.filter(kind=CriterionKind.QUALITY).values_list("pk", flat=True))


# --- Starting a bid ----------------------------------------------------------------------------


def test_a_member_starts_one_bid_per_organisation(round_: Round) -> None:
    bidder, charity = make_bidder()
    bid = actions.bid_start(round_=round_, organisation=charity, by=bidder)
    assert (bid.status, bid.created_by, bid.organisation) == (BidStatus.DRAFT, bidder, charity)
    colleague, _ = make_bidder(charity, role=Role.ADMIN)
    with pytest.raises(ValidationError) as error:
        actions.bid_start(round_=round_, organisation=charity, by=colleague)
    assert "already started a bid" in str(error.value.message_dict["organisation"])
    assert Bid.objects.filter(round=round_).count() == 1


def test_nobody_bids_for_an_organisation_not_theirs_or_as_a_facilitator(round_: Round) -> None:
    bidder, _ = make_bidder()
    _other, other_org = make_bidder()
    with pytest.raises(PermissionDenied):
        actions.bid_start(round_=round_, organisation=other_org, by=bidder)
    facilitator, charity = make_bidder(role=Role.FACILITATOR)
    with pytest.raises(PermissionDenied):
        actions.bid_start(round_=round_, organisation=charity, by=facilitator)
    with pytest.raises(PermissionDenied):
        actions.bid_start(round_=round_, organisation=charity, by=UserFactory())
    assert not Bid.objects.exists()


def test_no_bids_before_the_weights_are_published_or_after_the_deadline() -> None:
    unpublished = make_round()
    bidder, charity = make_bidder()
    with pytest.raises(PermissionDenied):
        actions.bid_start(round_=unpublished, organisation=charity, by=bidder)
    closed = close_bids(ready_round())
    with pytest.raises(PermissionDenied):
        actions.bid_start(round_=closed, organisation=charity, by=bidder)


# --- Price, summary and method statements ------------------------------------------------------


def test_statements_are_saved_changed_and_removed_only_for_quality_criteria(round_: Round) -> None:
    bidder, charity = make_bidder()
    bid = actions.bid_start(round_=round_, organisation=charity, by=bidder)
    first, second = _quality(round_)
    actions.bid_save(
        bid=bid,
        by=bidder,
        price=Decimal("990000.50"),
        summary="  A local charity.  ",
        statements={first: "Weekly clinics.", second: ""},
    )
    bid.refresh_from_db()
    assert (bid.price, bid.summary) == (Decimal("990000.50"), "A local charity.")
    assert dict(bid.method_statements.values_list("criterion_id", "text")) == {
        first: "Weekly clinics."
    }
    actions.bid_save(bid=bid, by=bidder, price=None, summary="", statements={first: ""})
    assert not bid.method_statements.exists()
    social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
    with pytest.raises(ValidationError) as error:
        actions.bid_save(bid=bid, by=bidder, price=None, summary="", statements={social.pk: "No"})
    assert "statements" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.bid_save(bid=bid, by=bidder, price=Decimal("-1"), summary="", statements={})
    assert "price" in error.value.message_dict


def test_submitting_lists_everything_missing_then_submits(round_: Round) -> None:
    bidder, charity = make_bidder()
    bid = actions.bid_start(round_=round_, organisation=charity, by=bidder)
    first, second = _quality(round_)
    with pytest.raises(ValidationError) as error:
        actions.bid_submit(bid=bid, by=bidder)
    assert error.value.messages == [
        "Enter your price for the whole contract.",
        "Write your method statement for “Seen within four weeks”.",
        "Write your method statement for “Staff young people trust”.",
    ]
    actions.bid_save(
        bid=bid, by=bidder, price=Decimal("1000"), summary="", statements={first: "Clinics."}
    )
    with pytest.raises(ValidationError) as error:
        actions.bid_submit(bid=bid, by=bidder)
    assert error.value.messages == ["Write your method statement for “Staff young people trust”."]
    actions.bid_save(
        bid=bid, by=bidder, price=Decimal("1000"), summary="", statements={second: "Key workers."}
    )
    submitted = actions.bid_submit(bid=bid, by=bidder)
    assert submitted.status == BidStatus.SUBMITTED
    assert submitted.submitted_at is not None
    with pytest.raises(ValidationError, match="already submitted"):
        actions.bid_submit(bid=bid, by=bidder)


def test_a_submitted_bid_changes_but_must_stay_complete(round_: Round) -> None:
    bid = make_bid(round_)
    bidder = bid.created_by
    assert bidder is not None
    first = _quality(round_)[0]
    actions.bid_save(bid=bid, by=bidder, price=Decimal("5"), summary="", statements={first: "New"})
    bid.refresh_from_db()
    assert (bid.status, bid.price) == (BidStatus.SUBMITTED, Decimal("5"))
    with pytest.raises(ValidationError) as error:
        actions.bid_save(bid=bid, by=bidder, price=None, summary="", statements={first: ""})
    assert "Your bid is submitted, so it must stay complete." in error.value.messages
    bid.refresh_from_db()
    assert bid.price == Decimal("5")  # nothing of the refused change was kept
    assert bid.method_statements.get(criterion_id=first).text == "New"


def test_withdrawing_and_starting_again_brings_the_bid_back_as_a_draft(round_: Round) -> None:
    bid = make_bid(round_)
    bidder = bid.created_by
    assert bidder is not None
    withdrawn = actions.bid_withdraw(bid=bid, by=bidder)
    assert (withdrawn.status, withdrawn.submitted_at) == (BidStatus.WITHDRAWN, None)
    with pytest.raises(PermissionDenied):  # a withdrawn bid is not edited
        actions.bid_save(bid=bid, by=bidder, price=None, summary="", statements={})
    again = actions.bid_start(round_=round_, organisation=bid.organisation, by=bidder)
    assert again.pk == bid.pk
    assert again.status == BidStatus.DRAFT
    assert again.method_statements.count() == 2  # as it was


def test_only_the_bidders_members_edit_a_bid(round_: Round) -> None:
    bid = make_bid(round_, submit=False)
    keeper = keeper_of(round_.activity.service)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    other, _ = make_bidder()
    for outsider in (keeper, superuser, other, UserFactory()):
        with pytest.raises(PermissionDenied):
            actions.bid_save(bid=bid, by=outsider, price=None, summary="", statements={})
        with pytest.raises(PermissionDenied):
            actions.bid_submit(bid=bid, by=outsider)
        with pytest.raises(PermissionDenied):
            actions.bid_withdraw(bid=bid, by=outsider)


# --- Social-value commitments ------------------------------------------------------------------


def test_a_commitment_measures_an_indicator_of_its_social_value_criterion(round_: Round) -> None:
    bid = make_bid(round_, submit=False)
    bidder = bid.created_by
    assert bidder is not None
    social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
    served = social.indicators.get()
    commitment = actions.commitment_add(
        bid=bid,
        by=bidder,
        criterion=social,
        indicator=served,
        quantity=Decimal("12"),
        description=" 12 local young people employed ",
    )
    assert (commitment.quantity, commitment.description) == (
        Decimal("12"),
        "12 local young people employed",
    )
    keeper = keeper_of(round_.activity.service)
    elsewhere = make_indicator(make_outcome(round_.activity.service, keeper), keeper, name="Other")
    quality = round_.criteria.filter(kind=CriterionKind.QUALITY).first()
    assert quality is not None
    wrong: list[tuple[dict[str, Any], str]] = [
        ({"criterion": quality, "indicator": served}, "criterion"),
        ({"criterion": social, "indicator": elsewhere}, "indicator"),
        ({"criterion": social, "indicator": served, "quantity": Decimal("0")}, "quantity"),
        ({"criterion": social, "indicator": served, "description": "  "}, "description"),
    ]
    for given, field in wrong:
        fields: dict[str, Any] = {"quantity": Decimal("3"), "description": "Three jobs", **given}
        with pytest.raises(ValidationError) as error:
            actions.commitment_add(bid=bid, by=bidder, **fields)
        assert field in error.value.message_dict
    assert bid.commitments.count() == 1
    actions.commitment_delete(commitment=commitment, by=bidder)
    assert not bid.commitments.exists()


def test_without_indicators_of_its_own_a_criterion_takes_the_rounds() -> None:
    round_ = ready_round(indicators=False)
    keeper = keeper_of(round_.activity.service)
    indicator = make_indicator(make_outcome(round_.activity.service, keeper), keeper)
    round_.indicators.add(indicator)
    bid = make_bid(round_, submit=False)
    assert bid.created_by is not None
    social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
    assert actions.commitment_indicators(social) == [indicator]
    actions.commitment_add(
        bid=bid,
        by=bid.created_by,
        criterion=social,
        indicator=indicator,
        quantity=Decimal("30"),
        description="30 more young people seen within four weeks",
    )


# --- Files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("plan.pdf", PDF, "pdf"), ("plan.docx", DOCX, "docx"), ("Plan.ODT", ODT, "odt")],
)
def test_real_files_are_kept_under_a_random_name_with_their_checksum(
    round_: Round,
    sealed_storage: FileSystemStorage,
    django_capture_on_commit_callbacks: Any,
    name: str,
    content: bytes,
    kind: str,
) -> None:
    bid = make_bid(round_, submit=False)
    assert bid.created_by is not None
    attachment = actions.attachment_add(
        bid=bid, by=bid.created_by, upload=SimpleUploadedFile(name, content)
    )
    assert (attachment.name, attachment.kind, attachment.size) == (name, kind, len(content))
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    stored = str(attachment.file.name)
    assert name.split(".")[0] not in stored
    assert stored.startswith(f"bids/{round_.pk}/")
    assert Path(sealed_storage.path(stored)).read_bytes() == content
    with django_capture_on_commit_callbacks(execute=True):
        actions.attachment_delete(attachment=attachment, by=bid.created_by)
    assert not sealed_storage.exists(stored)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 a program", "is not a PDF, Word (.docx) or OpenDocument"),
        ("report.docx", PDF, "is not a PDF, Word (.docx) or OpenDocument"),
        ("report.pdf", DOCX, "is not a PDF, Word (.docx) or OpenDocument"),
        ("archive.docx", _zip({"hello.txt": b"hi"}), "is not a PDF, Word (.docx) or OpenDocument"),
        ("notes.txt", PDF, "is not a PDF, Word (.docx) or OpenDocument"),
        ("empty.pdf", b"", "is empty"),
        ("big.pdf", PDF + b"0" * documents.MAX_BYTES, "is bigger than 10 MB"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(
    round_: Round, sealed_storage: FileSystemStorage, name: str, content: bytes, message: str
) -> None:
    bid = make_bid(round_, submit=False)
    assert bid.created_by is not None
    with pytest.raises(ValidationError) as error:
        actions.attachment_add(bid=bid, by=bid.created_by, upload=SimpleUploadedFile(name, content))
    assert message in error.value.message_dict["upload"][0]
    assert f"“{name}”" in error.value.message_dict["upload"][0]
    assert not bid.attachments.exists()
    assert not [path for path in Path(sealed_storage.location).rglob("*") if path.is_file()]


def test_the_same_file_twice_and_an_eleventh_file_are_refused(round_: Round) -> None:
    bid = make_bid(round_, submit=False)
    bidder = bid.created_by
    assert bidder is not None
    actions.attachment_add(bid=bid, by=bidder, upload=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationError, match=r"already added this file, as “a\.pdf”"):
        actions.attachment_add(bid=bid, by=bidder, upload=SimpleUploadedFile("b.pdf", PDF))
    for n in range(1, actions.MAX_ATTACHMENTS):
        actions.attachment_add(
            bid=bid, by=bidder, upload=SimpleUploadedFile(f"{n}.pdf", PDF + str(n).encode())
        )
    assert bid.attachments.count() == actions.MAX_ATTACHMENTS
    with pytest.raises(ValidationError, match="already has 10 files"):
        actions.attachment_add(bid=bid, by=bidder, upload=SimpleUploadedFile("x.pdf", PDF + b"x"))


def test_a_long_name_is_shortened_keeping_its_extension(round_: Round) -> None:
    bid = make_bid(round_, submit=False)
    assert bid.created_by is not None
    long_name = "C:\\Users\\bid\\" + "a" * 300 + ".pdf"
    attachment = actions.attachment_add(
        bid=bid, by=bid.created_by, upload=SimpleUploadedFile(long_name, PDF)
    )
    assert len(attachment.name) == actions.NAME_LENGTH
    assert attachment.name.endswith("aaa.pdf")
    assert "\\" not in attachment.name


# --- After the deadline nothing changes ---------------------------------------------------------


def test_every_edit_is_refused_after_the_deadline(round_: Round) -> None:
    bid = make_bid(round_)
    bidder = bid.created_by
    assert bidder is not None
    social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
    commitment = actions.commitment_add(
        bid=bid,
        by=bidder,
        criterion=social,
        indicator=social.indicators.get(),
        quantity=Decimal("1"),
        description="One job",
    )
    attachment = actions.attachment_add(bid=bid, by=bidder, upload=SimpleUploadedFile("a.pdf", PDF))
    close_bids(round_)
    bid = Bid.objects.select_related("round").get(pk=bid.pk)
    first = _quality(round_)[0]
    edits = [
        lambda: actions.bid_save(
            bid=bid, by=bidder, price=Decimal("1"), summary="", statements={first: "Late"}
        ),
        lambda: actions.bid_submit(bid=bid, by=bidder),
        lambda: actions.bid_withdraw(bid=bid, by=bidder),
        lambda: actions.commitment_add(
            bid=bid,
            by=bidder,
            criterion=social,
            indicator=social.indicators.get(),
            quantity=Decimal("2"),
            description="Late",
        ),
        lambda: actions.commitment_delete(commitment=commitment, by=bidder),
        lambda: actions.attachment_add(
            bid=bid, by=bidder, upload=SimpleUploadedFile("b.pdf", PDF + b"b")
        ),
        lambda: actions.attachment_delete(attachment=attachment, by=bidder),
    ]
    for edit in edits:
        with pytest.raises(PermissionDenied):
            edit()
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED
    assert bid.price == Decimal("1150000")
    assert bid.commitments.count() == 1
    assert bid.attachments.count() == 1
    assert "Late" not in bid.method_statements.get(criterion_id=first).text


# --- Opening a bid: sealed until the deadline, logged after it ----------------------------------


def test_before_the_deadline_only_the_bidder_opens_a_bid_and_is_not_logged(round_: Round) -> None:
    bid = make_bid(round_)
    assert bid.created_by is not None
    colleague, _ = make_bidder(bid.organisation, role=Role.ADMIN)
    for member in (bid.created_by, colleague):
        opened = actions.open_bid(bid, member, AccessRoute.PAGE)
        assert opened.method_statements.count() == 2
    service = round_.activity.service
    other, _ = make_bidder()
    refused = [
        keeper_of(service, Role.ADMIN),
        keeper_of(service, Role.PROFESSIONAL),
        UserFactory(is_superuser=True, is_staff=True),
        other,
        UserFactory(),
    ]
    for person in refused:
        for route in AccessRoute.values:
            with pytest.raises(PermissionDenied):
                actions.open_bid(bid, person, route)
    with pytest.raises(PermissionDenied):
        actions.open_bid(bid, AnonymousUser(), AccessRoute.PAGE)
    assert not BidAccess.objects.exists()


def test_after_the_deadline_keepers_open_a_bid_and_each_opening_is_logged(round_: Round) -> None:
    bid = make_bid(round_)
    draft = make_bid(round_, submit=False)
    close_bids(round_)
    bid = Bid.objects.select_related("round").get(pk=bid.pk)
    keeper = keeper_of(round_.activity.service, Role.ADMIN)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    actions.open_bid(bid, keeper, AccessRoute.PAGE)
    actions.open_bid(bid, superuser, AccessRoute.ADMIN)
    actions.open_bid(bid, keeper, AccessRoute.API)
    assert bid.created_by is not None
    actions.open_bid(bid, bid.created_by, AccessRoute.PAGE)  # the bidder: not logged
    log = list(BidAccess.objects.order_by("id").values_list("person", "route"))
    assert log == [(keeper.pk, "page"), (superuser.pk, "admin"), (keeper.pk, "api")]
    other, _ = make_bidder()
    for person in (other, UserFactory()):
        with pytest.raises(PermissionDenied):
            actions.open_bid(bid, person, AccessRoute.PAGE)
    with pytest.raises(PermissionDenied):  # a bid never submitted is never opened by others
        actions.open_bid(Bid.objects.get(pk=draft.pk), keeper, AccessRoute.PAGE)
    with pytest.raises(ValueError, match="Unknown route"):
        actions.open_bid(bid, keeper, "email")
    assert BidAccess.objects.count() == 3


def test_an_evaluator_opens_bids_only_once_declared_and_never_a_conflicted_one(
    round_: Round,
) -> None:
    first, second = make_bid(round_), make_bid(round_)
    close_bids(round_)
    resident = UserFactory()
    evaluator = Evaluator.objects.create(round=round_, person=resident, role=EvaluatorRole.RESIDENT)
    first = Bid.objects.select_related("round").get(pk=first.pk)
    second = Bid.objects.select_related("round").get(pk=second.pk)
    with pytest.raises(PermissionDenied):  # not declared yet
        actions.open_bid(first, resident, AccessRoute.PAGE)
    Declaration.objects.create(evaluator=evaluator, bid=first, conflict=False)
    Declaration.objects.create(evaluator=evaluator, bid=second, conflict=True, details="Trustee")
    actions.open_bid(first, resident, AccessRoute.PAGE)
    with pytest.raises(PermissionDenied):
        actions.open_bid(second, resident, AccessRoute.PAGE)
    assert list(BidAccess.objects.values_list("bid", "person")) == [(first.pk, resident.pk)]


def test_prices_are_opened_as_a_bid_is_and_logged_together(round_: Round) -> None:
    """``open_prices`` (the moderation and award pages): the same people, every opening logged,
    none logged if one bid is refused; one check per bid, never a read of each bid's content."""
    for price in ("900000", "1000000", "1100000", "1200000", "1300000"):
        make_bid(round_, price=price)
    bids = list(round_.bids.order_by("pk"))[:2]
    keeper = keeper_of(round_.activity.service)
    with pytest.raises(PermissionDenied):  # sealed before the deadline
        actions.open_prices(bids, keeper, AccessRoute.PAGE)
    round_ = close_bids(round_)
    everyone = list(round_.bids.order_by("pk"))
    bids = everyone[:2]
    prices = actions.open_prices(bids, keeper, AccessRoute.PAGE)
    assert prices == {bids[0].pk: Decimal(900000), bids[1].pk: Decimal(1000000)}
    log = list(BidAccess.objects.order_by("bid").values_list("bid", "person", "route"))
    assert log == [(bid.pk, keeper.pk, "page") for bid in bids]
    assert bids[0].created_by is not None
    with pytest.raises(PermissionDenied):  # a bidder opens its own bid, not the other one
        actions.open_prices(bids, bids[0].created_by, AccessRoute.PAGE)
    assert BidAccess.objects.count() == 2
    with CaptureQueriesContext(connection) as few:
        actions.open_prices(bids, keeper, AccessRoute.PAGE)
    with CaptureQueriesContext(connection) as many:
        actions.open_prices(everyone, keeper, AccessRoute.PAGE)
    assert len(many) - len(few) <= 3  # the bidder check, once per bid


def test_a_file_is_opened_through_open_bid(round_: Round) -> None:
    bid = make_bid(round_)
    assert bid.created_by is not None
    attachment = actions.attachment_add(
        bid=bid, by=bid.created_by, upload=SimpleUploadedFile("plan.odt", ODT)
    )
    keeper = keeper_of(round_.activity.service)
    with pytest.raises(PermissionDenied):
        actions.attachment_open(attachment, keeper)
    close_bids(round_)
    attachment = Attachment.objects.select_related("bid__round").get(pk=attachment.pk)
    with actions.attachment_open(attachment, keeper) as file:
        assert file.read() == ODT
    assert list(BidAccess.objects.values_list("person", "route")) == [(keeper.pk, "attachment")]


# --- Clarification questions -------------------------------------------------------------------


def test_bidders_ask_until_questions_close_and_staff_answer(round_: Round) -> None:
    bidder, _ = make_bidder()
    clarification = actions.clarification_ask(
        round_=round_, by=bidder, question="  Can we bid as a consortium?  "
    )
    assert clarification.question == "Can we bid as a consortium?"
    with pytest.raises(ValidationError):
        actions.clarification_ask(round_=round_, by=bidder, question="   ")
    for nobody in (UserFactory(), make_bidder(role=Role.FACILITATOR)[0]):
        with pytest.raises(PermissionDenied):
            actions.clarification_ask(round_=round_, by=nobody, question="Why?")
    with pytest.raises(PermissionDenied):
        actions.clarification_answer(clarification=clarification, by=bidder, answer="Yes")
    keeper = keeper_of(round_.activity.service)
    with pytest.raises(ValidationError):
        actions.clarification_answer(clarification=clarification, by=keeper, answer=" ")
    answered = actions.clarification_answer(
        clarification=clarification, by=keeper, answer="Yes, with a lead partner.", answer_cy="Ie."
    )
    assert answered.answered_at is not None
    assert (answered.answer, answered.answer_cy, answered.answered_by) == (
        "Yes, with a lead partner.",
        "Ie.",
        keeper,
    )
    Round.objects.filter(pk=round_.pk).update(questions_close_on=dt.date(2000, 1, 1))
    round_.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.clarification_ask(round_=round_, by=bidder, question="Too late?")
    assert Clarification.objects.count() == 1
