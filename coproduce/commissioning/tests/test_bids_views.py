"""The bid pages, the admin and the site search: a bid is sealed until its deadline on every
route, for everyone but its bidder — superusers, the commissioning organisation's administrators
and professionals, other bidders, anonymous visitors — and after it every opening is logged.
Also: the bidder's pages, editing refused after the deadline, files, and bidders' questions."""

from __future__ import annotations

import html
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.commissioning import actions_bids
from coproduce.commissioning.models import (
    Attachment,
    Bid,
    BidAccess,
    BidStatus,
    Clarification,
    CriterionKind,
    Round,
)
from coproduce.commissioning.tests.factories import keeper_of, make_round
from coproduce.commissioning.tests.factories_bids import (
    close_bids,
    make_bid,
    make_bidder,
    ready_round,
)
from coproduce.contributions.tests.world import World, build_world
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.search import queries as search
from coproduce.search.actions import index_rebuild
from coproduce.search.models import Document
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

SECRET = "Quokkaplan"  # a word only in the sealed bid's method statement
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def sealed_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileSystemStorage:
    """The sealed storage in a folder of this test's own, never the real one."""
    storage = FileSystemStorage(location=tmp_path / "sealed")
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _client(user: User | None) -> Client:
    return client_for(user) if user is not None else Client()


# --- The world: a round of the owner's published service, a charity's bid with a file -----------


class Sealed:
    """The world, a round open for bids, the charity's submitted bid (with SECRET in a method
    statement and a PDF), and another organisation's bid."""

    def __init__(self) -> None:
        self.world: World = build_world()
        activity = ActivityFactory(
            service=self.world.service,
            kind=ActivityKind.COMMISSIONING_ROUND,
            state=ActivityState.OPEN,
            title="Riverbend youth support",
        )
        self.round = ready_round(
            make_round(activity=activity, staff=self.world.people["org_admin"])
        )
        self.bidder, self.charity = make_bidder()
        first = self.round.criteria.filter(kind=CriterionKind.QUALITY).first()
        assert first is not None
        statements = {
            c.pk: f"{SECRET}: drop-ins every evening." if c == first else "Key workers."
            for c in self.round.criteria.filter(kind=CriterionKind.QUALITY)
        }
        self.bid = make_bid(self.round, self.bidder, self.charity, statements=statements)
        self.attachment = actions_bids.attachment_add(
            bid=self.bid, by=self.bidder, upload=SimpleUploadedFile("plan.pdf", PDF)
        )
        self.other_bid = make_bid(self.round, self.world.people["other_professional"])

    def person(self, role: str) -> User | None:
        return self.bidder if role == "bidder" else self.world.people[role]

    def close(self) -> None:
        self.round = close_bids(self.round)


@pytest.fixture
def sealed() -> Sealed:
    return Sealed()


NOT_BIDDERS = [
    "superuser",
    "org_admin",
    "professional",
    "facilitator",
    "other_professional",
    "resident",
    "anonymous",
]
# After the deadline: the round's keepers (its organisation's admins and professionals, and
# superusers) open submitted bids; other bidders, facilitators, residents and visitors do not.
OPENS_AFTER = {"superuser", "org_admin", "professional"}


# --- Sealed before the deadline, on every route --------------------------------------------------


@pytest.mark.parametrize("role", NOT_BIDDERS)
def test_before_the_deadline_nobody_but_the_bidder_opens_the_bid_or_its_file(
    sealed: Sealed, role: str
) -> None:
    client = _client(sealed.person(role))
    for url in (
        reverse("commissioning:bid", args=[sealed.bid.pk]),
        reverse("commissioning:attachment", args=[sealed.attachment.pk]),
        reverse("commissioning:bid_edit", args=[sealed.bid.pk]),
        reverse("commissioning:bid_submit", args=[sealed.bid.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in _page(response)
    assert not BidAccess.objects.exists()


def test_before_the_deadline_the_bidder_works_on_the_bid_unlogged(sealed: Sealed) -> None:
    client = client_for(sealed.bidder)
    page = client.get(reverse("commissioning:bid", args=[sealed.bid.pk]))
    assert page.status_code == 200
    text = _page(page)
    assert SECRET in text
    assert "Your bid is sealed" in text
    assert "Submit your bid" not in text
    assert reverse("commissioning:bid_edit", args=[sealed.bid.pk]) in text
    download = client.get(reverse("commissioning:attachment", args=[sealed.attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert not BidAccess.objects.exists()


def test_before_the_deadline_the_admin_shows_nothing_of_any_bid_even_to_superusers(
    sealed: Sealed,
) -> None:
    admin = client_for(sealed.world.people["superuser"])
    listing = admin.get(reverse("admin:commissioning_bid_changelist"))
    assert listing.status_code == 200
    text = _page(listing)
    assert sealed.charity.name not in text
    assert "Other Trust" not in text
    assert "0 bids" in text
    change = admin.get(reverse("admin:commissioning_bid_change", args=[sealed.bid.pk]))
    assert change.status_code == 302  # "does not exist": back to the admin's index
    assert SECRET not in _page(admin.get(change["Location"]))
    for role in ("org_admin", "professional", "bidder"):  # not admin users at all
        response = _client(sealed.person(role)).get(
            reverse("admin:commissioning_bid_change", args=[sealed.bid.pk])
        )
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    assert not BidAccess.objects.exists()


def test_nothing_of_a_bid_is_ever_found_by_the_site_search(sealed: Sealed) -> None:
    for moment in ("before", "after"):
        if moment == "after":
            sealed.close()
        index_rebuild()
        assert search.search("Riverbend").keys  # the search works: the round's activity is found
        assert not search.search(SECRET).keys
        assert not Document.objects.filter(body__icontains=SECRET).exists()
        for role in ("anonymous", "superuser", "bidder"):
            response = _client(sealed.person(role)).get(reverse("search:results"), {"q": SECRET})
            assert response.status_code == 200
            assert "Riverbend" not in _page(response)  # nothing found at all


# --- Opened after the deadline by the keepers only, every opening logged -------------------------


@pytest.mark.parametrize("role", NOT_BIDDERS)
def test_after_the_deadline_keepers_open_the_bid_and_its_file_and_are_logged(
    sealed: Sealed, role: str
) -> None:
    sealed.close()
    client = _client(sealed.person(role))
    page = client.get(reverse("commissioning:bid", args=[sealed.bid.pk]))
    download = client.get(reverse("commissioning:attachment", args=[sealed.attachment.pk]))
    if role in OPENS_AFTER:
        assert page.status_code == 200
        text = _page(page)
        assert SECRET in text
        assert "£1,150,000" in text
        assert "Your opening of this bid is recorded" in text
        assert reverse("commissioning:bid_edit", args=[sealed.bid.pk]) not in text  # read-only
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in download["Cache-Control"]
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
        person = sealed.person(role)
        assert list(BidAccess.objects.order_by("id").values_list("person", "bid", "route")) == [
            (person.pk if person else None, sealed.bid.pk, "page"),
            (person.pk if person else None, sealed.bid.pk, "attachment"),
        ]
    else:
        assert page.status_code == 404
        assert download.status_code == 404
        assert SECRET not in _page(page)
        assert not BidAccess.objects.exists()


def test_after_the_deadline_the_bidder_reads_the_bid_but_cannot_change_it(sealed: Sealed) -> None:
    sealed.close()
    client = client_for(sealed.bidder)
    page = client.get(reverse("commissioning:bid", args=[sealed.bid.pk]))
    assert page.status_code == 200
    text = _page(page)
    assert SECRET in text
    assert "Your bid can no longer be changed" in text
    assert reverse("commissioning:bid_edit", args=[sealed.bid.pk]) not in text
    assert not BidAccess.objects.exists()  # the bidder is never logged


def test_after_the_deadline_the_admin_is_read_only_and_logs_each_opening(sealed: Sealed) -> None:
    draft = make_bid(sealed.round, submit=False)
    sealed.close()
    superuser = sealed.world.people["superuser"]
    admin = client_for(superuser)
    listing = _page(admin.get(reverse("admin:commissioning_bid_changelist")))
    assert sealed.charity.name in listing
    assert "Other Trust" in listing
    assert draft.organisation.name not in listing  # never submitted: never opened by others
    assert SECRET not in listing
    assert "1150000" not in listing
    assert not BidAccess.objects.exists()
    change = admin.get(reverse("admin:commissioning_bid_change", args=[sealed.bid.pk]))
    assert change.status_code == 200
    text = _page(change)
    assert SECRET in text
    assert 'name="_save"' not in text
    assert list(BidAccess.objects.values_list("person", "route")) == [(superuser.pk, "admin")]
    posted = admin.post(
        reverse("admin:commissioning_bid_change", args=[sealed.bid.pk]), {"price": "1"}
    )
    assert posted.status_code == 403
    assert Bid.objects.get(pk=sealed.bid.pk).price == Decimal("1150000")
    deleting = admin.post(
        reverse("admin:commissioning_bid_delete", args=[sealed.bid.pk]), {"post": "yes"}
    )
    assert deleting.status_code == 403
    assert Bid.objects.filter(pk=sealed.bid.pk).exists()


def test_an_admin_user_who_does_not_keep_the_round_is_refused_after_the_deadline(
    sealed: Sealed,
) -> None:
    sealed.close()
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_bid"))
    admin = client_for(clerk)
    assert sealed.charity.name in _page(admin.get(reverse("admin:commissioning_bid_changelist")))
    change = admin.get(reverse("admin:commissioning_bid_change", args=[sealed.bid.pk]))
    assert change.status_code == 403
    assert SECRET not in _page(change)
    assert not BidAccess.objects.exists()


# --- Bids received, for the round's keepers -------------------------------------------------------


def test_bids_received_says_only_sealed_before_the_deadline(sealed: Sealed) -> None:
    keeper = client_for(sealed.world.people["org_admin"])
    url = reverse("commissioning:bids_received", args=[sealed.round.pk])
    text = _page(keeper.get(url))
    assert "Bids are sealed until" in text
    for leak in (sealed.charity.name, "Other Trust", SECRET, 'id="bids"', "No bids were"):
        assert leak not in text
    assert "submitted bids" not in text.split("Bids are sealed until", 1)[1].split("After it")[0]
    assert _client(sealed.bidder).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_bids_received_lists_the_submitted_bids_and_the_access_log_after_it(
    sealed: Sealed,
) -> None:
    withdrawn = make_bid(sealed.round)
    assert withdrawn.created_by is not None
    actions_bids.bid_withdraw(bid=withdrawn, by=withdrawn.created_by)
    sealed.close()
    org_admin = sealed.world.people["org_admin"]
    keeper = client_for(org_admin)
    keeper.get(reverse("commissioning:bid", args=[sealed.bid.pk]))
    text = _page(keeper.get(reverse("commissioning:bids_received", args=[sealed.round.pk])))
    assert "2 submitted bids" in text
    assert sealed.charity.name in text
    assert "Other Trust" in text
    assert withdrawn.organisation.name not in text
    assert SECRET not in text
    log = text.split("Who opened the bids", 1)[1]
    assert org_admin.name in log
    assert "Web page" in log
    assert sealed.charity.name in log


# --- Editing refused after the deadline (pages) ---------------------------------------------------


def test_every_edit_page_refuses_after_the_deadline_and_nothing_changes(sealed: Sealed) -> None:
    social = sealed.round.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
    commitment = actions_bids.commitment_add(
        bid=sealed.bid,
        by=sealed.bidder,
        criterion=social,
        indicator=social.indicators.get(),
        quantity=Decimal("12"),
        description="12 local young people employed",
    )
    sealed.close()
    client = client_for(sealed.bidder)
    pk = sealed.bid.pk
    pages = [
        (reverse("commissioning:bid_edit", args=[pk]), {"price": "1", "summary": "Late"}),
        (reverse("commissioning:commitment_add", args=[pk]), {"quantity": "1"}),
        (reverse("commissioning:commitment_delete", args=[commitment.pk]), {}),
        (reverse("commissioning:attachment_add", args=[pk]), {}),
        (reverse("commissioning:attachment_delete", args=[sealed.attachment.pk]), {}),
        (reverse("commissioning:bid_submit", args=[pk]), {}),
        (reverse("commissioning:bid_withdraw", args=[pk]), {}),
    ]
    for url, data in pages:
        shown = client.get(url)
        assert shown.status_code == 200, url
        assert "Bids closed at" in _page(shown)
        refused = client.post(url, data)
        assert refused.status_code == 403, url
        assert "Nothing was saved." in _page(refused)
    bid = Bid.objects.get(pk=pk)
    assert (bid.status, bid.price, bid.summary) == (
        BidStatus.SUBMITTED,
        Decimal("1150000"),
        "We have run youth services in the borough for ten years.",
    )
    assert bid.commitments.count() == 1
    assert bid.attachments.count() == 1


# --- The bidder's pages ---------------------------------------------------------------------------


def test_a_bidder_starts_writes_and_submits_a_bid_through_the_pages() -> None:
    round_ = ready_round()
    bidder, charity = make_bidder()
    client = client_for(bidder)
    start = client.get(reverse("commissioning:bid_start", args=[round_.pk]))
    assert start.status_code == 200
    assert "Bids close at" in _page(start)
    assert "Your bid is sealed" in _page(start)
    started = client.post(
        reverse("commissioning:bid_start", args=[round_.pk]), {"organisation": charity.pk}
    )
    bid = Bid.objects.get(round=round_, organisation=charity)
    assert started["Location"] == bid.get_absolute_url()
    # Coming back to "Bid for this contract" continues it.
    again = client.get(reverse("commissioning:bid_start", args=[round_.pk]))
    assert again["Location"] == bid.get_absolute_url()
    detail = _page(client.get(bid.get_absolute_url()))
    assert "Not yet submitted" in detail
    assert "Enter your price for the whole contract." in detail

    first, second = round_.criteria.filter(kind=CriterionKind.QUALITY)
    edit = reverse("commissioning:bid_edit", args=[bid.pk])
    wrong = client.post(
        edit,
        {"price": "a lot", "summary": "Local.", f"statement_{first.pk}": "Evening clinics."},
    )
    assert wrong.status_code == 200
    text = _page(wrong)
    assert "Enter your price as a number" in text
    assert "Evening clinics." in text
    client.post(
        edit,
        {"price": "990000", "summary": "Local.", f"statement_{first.pk}": "Evening clinics."},
    )
    submit = reverse("commissioning:bid_submit", args=[bid.pk])
    incomplete = client.post(submit)
    assert "Write your method statement for “Staff young people trust”." in _page(incomplete)
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.DRAFT
    client.post(
        edit,
        {
            "price": "990000",
            "summary": "Local.",
            f"statement_{first.pk}": "Evening clinics.",
            f"statement_{second.pk}": "The same key worker throughout.",
        },
    )
    assert "Submit your bid" in _page(client.get(submit))
    done = client.post(submit, follow=True)
    assert "Your bid is submitted." in " ".join(_messages(done))
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.SUBMITTED
    # A submitted bid keeps its statements: an empty one is an error on its field.
    emptied = client.post(edit, {"price": "990000", f"statement_{first.pk}": "Evening clinics."})
    assert "a submitted bid needs one for every quality criterion" in _page(emptied)


def test_commitments_and_files_through_the_pages(sealed_storage: FileSystemStorage) -> None:
    round_ = ready_round()
    bid = make_bid(round_, submit=False)
    assert bid.created_by is not None
    client = client_for(bid.created_by)
    social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
    indicator = social.indicators.get()
    add = reverse("commissioning:commitment_add", args=[bid.pk])
    form = _page(client.get(add))
    assert "Local young people employed (in people)" in form
    missing = client.post(add, {"measure": "", "quantity": "-3", "description": "Jobs"})
    text = _page(missing)
    assert "Choose what you promise to improve." in text
    assert "Promise a quantity greater than 0." in text
    assert 'value="Jobs"' in text
    client.post(
        add,
        {
            "measure": f"{social.pk}-{indicator.pk}",
            "quantity": "12",
            "description": "12 local young people employed",
        },
    )
    commitment = bid.commitments.get()
    assert (commitment.indicator, commitment.quantity) == (indicator, Decimal("12"))
    assert "12 local young people employed" in _page(client.get(bid.get_absolute_url()))
    client.post(reverse("commissioning:commitment_delete", args=[commitment.pk]))
    assert not bid.commitments.exists()

    upload = reverse("commissioning:attachment_add", args=[bid.pk])
    assert 'enctype="multipart/form-data"' in _page(client.get(upload))
    refused = client.post(upload, {"upload": SimpleUploadedFile("plan.docx", PDF)})
    assert refused.status_code == 200
    assert "“plan.docx” is not a PDF, Word (.docx) or OpenDocument text (.odt) file" in _page(
        refused
    )
    added = client.post(upload, {"upload": SimpleUploadedFile("plan.docx", _docx())}, follow=True)
    assert "“plan.docx” added." in " ".join(_messages(added))
    attachment = bid.attachments.get()
    assert attachment.kind == "docx"
    stored = str(attachment.file.name)
    assert Path(sealed_storage.path(stored)).is_file()
    client.post(reverse("commissioning:attachment_delete", args=[attachment.pk]))
    assert not bid.attachments.exists()


def test_someone_in_two_organisations_chooses_which_bids() -> None:
    round_ = ready_round()
    bidder, charity = make_bidder()
    mutual = OrganisationFactory(name="Riverside Mutual")
    MembershipFactory(user=bidder, organisation=mutual)
    client = client_for(bidder)
    url = reverse("commissioning:bid_start", args=[round_.pk])
    text = _page(client.get(url))
    assert "Which organisation is bidding?" in text
    assert charity.name in text
    assert "Riverside Mutual" in text
    assert "Choose the organisation that is bidding." in _page(client.post(url, {}))
    client.post(url, {"organisation": mutual.pk})
    assert Bid.objects.get(round=round_).organisation == mutual
    text = _page(client.get(url))  # the other can still start one
    assert "Bids you have started" in text
    assert 'type="radio"' not in text
    stranger = OrganisationFactory()
    assert "Choose one of your organisations" in _page(
        client.post(url, {"organisation": stranger.pk})
    )
    assert not Bid.objects.filter(organisation=stranger).exists()


def test_withdrawing_through_the_pages(sealed: Sealed) -> None:
    client = client_for(sealed.bidder)
    url = reverse("commissioning:bid_withdraw", args=[sealed.bid.pk])
    assert "Withdraw your bid?" in _page(client.get(url))
    client.post(url)
    assert Bid.objects.get(pk=sealed.bid.pk).status == BidStatus.WITHDRAWN
    page = _page(client.get(sealed.bid.get_absolute_url()))
    assert "You withdrew this bid" in page
    assert "Start it again" in page
    assert client.post(reverse("commissioning:bid_edit", args=[sealed.bid.pk])).status_code == 403


# --- Bidders' questions ---------------------------------------------------------------------------


def test_questions_are_asked_answered_and_published_without_the_asker(sealed: Sealed) -> None:
    url = reverse("commissioning:clarifications", args=[sealed.round.pk])
    anonymous = _page(Client().get(url))
    assert "No questions have been answered yet." in anonymous
    assert "Ask a question" not in anonymous
    assert Client().post(url, {"question": "Hello?"}).status_code == 403
    resident = client_for(sealed.world.people["resident"])
    assert "Ask a question" not in _page(resident.get(url))
    assert resident.post(url, {"question": "Hello?"}).status_code == 403

    bidder = client_for(sealed.bidder)
    assert "Write your question." in _page(bidder.post(url, {"question": " "}))
    bidder.post(url, {"question": "May a consortium bid?"})
    question = Clarification.objects.get()
    assert question.asked_by == sealed.bidder
    assert "May a consortium bid?" in _page(bidder.get(url))  # the asker's own, waiting
    assert "May a consortium bid?" not in _page(Client().get(url))  # not public until answered

    answer = reverse("commissioning:clarification_answer", args=[question.pk])
    assert bidder.get(answer).status_code == 403
    keeper = client_for(sealed.world.people["professional"])
    assert "May a consortium bid?" in _page(keeper.get(url))  # to answer
    assert "Write the answer." in _page(keeper.post(answer, {"answer": ""}))
    keeper.post(answer, {"answer": "Yes, with a lead partner.", "answer_cy": ""})
    public = _page(Client().get(url))
    assert "May a consortium bid?" in public
    assert "Yes, with a lead partner." in public
    assert sealed.bidder.name not in public
    assert sealed.charity.name not in public


def test_questions_close_on_their_date() -> None:
    round_ = ready_round()
    Round.objects.filter(pk=round_.pk).update(questions_close_on="2000-01-01")
    bidder, _ = make_bidder()
    url = reverse("commissioning:clarifications", args=[round_.pk])
    text = _page(client_for(bidder).get(url))
    assert "Questions closed on 1 January 2000." in text
    assert client_for(bidder).post(url, {"question": "Late?"}).status_code == 403
    assert not Clarification.objects.exists()


def test_a_draft_rounds_questions_are_hidden() -> None:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.DRAFT)
    round_ = make_round(activity=activity)
    url = reverse("commissioning:clarifications", args=[round_.pk])
    assert Client().get(url).status_code == 404
    assert client_for(keeper_of(activity.service)).get(url).status_code == 200
