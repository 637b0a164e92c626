"""Walks through the bid, evaluation and award pages of a commissioning round (issue 11), for axe
and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own round in the recovery service with the real actions (the factories of the
commissioning tests), and signs in as the people it needs: a provider's staff (two-factor set
up, like all staff), the council's administrator, a resident evaluator, a bidder that lost.

The walks for the acceptance journeys of the issue (a provider bids and cannot change the bid
after the deadline; an administrator cannot read a bid before it; an evaluator declares, scores,
and cannot score a bid they have an interest in) go through the pages again with JavaScript
off, as the journeys in ``test_*.py`` do; axe cannot run there (see the README), so only the
pages with JavaScript are checked with it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, expect

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL_ADMIN, public, staff
from tests.browser.pages_commissioning import a_round

# The smallest file the bid pages accept as a PDF (they check the content, not only the name).
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
INDICATOR = "Local young people employed (in people)"  # factories_bids.ready_round's indicator


# --- Test data ----------------------------------------------------------------------------------


def open_round(title: str, *, indicators: bool = True) -> Any:
    """A round of the recovery service, set up by the council's administrator, open for bids:
    two quality criteria and a social-value one (served by an outcome indicator, with
    ``indicators``), the weights published."""
    from coproduce.accounts.models import User
    from coproduce.commissioning.tests.factories import make_round
    from coproduce.commissioning.tests.factories_bids import ready_round

    activity = a_round(title, criteria=False)
    keeper = User.objects.get(email=COUNCIL_ADMIN)
    return ready_round(make_round(activity=activity, staff=keeper), indicators=indicators)


def a_bidder(name: str, sector: str = "social_enterprise") -> tuple[Any, Any]:
    """A professional of a new organisation (not the council), with two-factor set up."""
    from coproduce.commissioning.tests.factories_bids import make_bidder
    from coproduce.organisations.tests.factories import OrganisationFactory

    return make_bidder(OrganisationFactory(name=name, sector=sector))


def a_resident(email: str, name: str) -> Any:
    from coproduce.accounts.tests.factories import UserFactory

    return UserFactory(email=email, name=name)


@dataclass
class ClosedRound:
    """A round whose bids have closed, with a submitted bid from each of its bidders."""

    round: Any
    keeper: Any
    bids: list[Any]
    bidders: list[Any]


def closed_round(title: str, bidders: Sequence[str]) -> ClosedRound:
    """A round (no outcome indicator) with one submitted bid per bidder named, at different
    prices, then its deadline passed."""
    from coproduce.accounts.models import User
    from coproduce.commissioning.models import Bid
    from coproduce.commissioning.tests.factories_bids import close_bids, make_bid

    round_ = open_round(title, indicators=False)
    bids, people = [], []
    for number, name in enumerate(bidders):
        person, organisation = a_bidder(name)
        price = Decimal(1_000_000 + 50_000 * number)
        bids.append(make_bid(round_, person, organisation, price=price))
        people.append(person)
    round_ = close_bids(round_)
    bids = [Bid.objects.select_related("round", "organisation").get(pk=b.pk) for b in bids]
    return ClosedRound(round_, User.objects.get(email=COUNCIL_ADMIN), bids, people)


# --- Browsing as someone else, and without JavaScript ---------------------------------------------


def sign_in_as(a: Auditor, email: str) -> None:
    """The walk's browser is now signed in as this person (their session replaces the last)."""
    a.site.sign_in(a.page.context, email)


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


@contextmanager
def without_script(a: Auditor, email: str) -> Iterator[Auditor]:
    """A second browser, with JavaScript off, signed in as this person; closed afterwards."""
    browser = a.page.context.browser
    assert browser is not None
    context = browser.new_context(java_script_enabled=False)
    try:
        a.site.sign_in(context, email)
        later = NoScriptAuditor(a.site, context.new_page())
        yield later
        expect(later.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
        assert not later.problems, later.problems
    finally:
        context.close()


def link(a: Auditor, name: str | re.Pattern[str]) -> Locator:
    """The link with this accessible name (exactly, unless a pattern)."""
    if isinstance(name, str):
        return a.page.get_by_role("link", name=name, exact=True)
    return a.page.get_by_role("link", name=name)


# --- A provider bids ----------------------------------------------------------------------------


def write_and_submit_a_bid(a: Auditor, round_: Any, organisation: Any, *, question: str) -> Any:
    """From the round's page: start the bid, send the price wrongly then rightly, add and remove
    a commitment and a file (a file that is not really a PDF first), submit, withdraw, start
    again and submit again; then ask the commissioners a question."""
    from coproduce.commissioning.models import Bid, BidStatus

    title = round_.activity.title
    statements = [c.name for c in round_.criteria.filter(kind="quality")]

    a.goto(a.url("commissioning:round", round_.pk), heading=title)
    a.submit(link(a, "Start or continue your bid"), heading="Bid for this contract")
    expect(a.page.locator("#sealed")).to_contain_text("Nobody else can")
    a.submit(a.button("Start the bid"), heading="Your bid")
    bid = Bid.objects.get(round=round_, organisation=organisation)
    expect(a.page.locator("#missing")).to_be_visible()

    # The price in words: its error, and the statement already written is kept.
    a.submit(link(a, "Change the price"), heading="Price, summary and method statements")
    a.field("Your price for the whole contract, in pounds (£)").fill("about a million")
    a.field(f"Method statement: {statements[0]}").fill("Same-week first appointments.")
    a.submit(a.button("Save your bid"))
    a.errors_shown()
    expect(a.page.locator(".govuk-error-summary")).to_contain_text("Enter your price as a number")
    expect(a.field(f"Method statement: {statements[0]}")).to_have_value(
        "Same-week first appointments."
    )
    a.field("Your price for the whole contract, in pounds (£)").fill("1150000")
    a.field("Summary of your bid (optional)").fill(f"{organisation.name}: local, trusted staff.")
    a.field(f"Method statement: {statements[1]}").fill("One named worker for each young person.")
    a.submit(a.button("Save your bid"), heading="Your bid")
    expect(a.page.locator("#price").locator("xpath=following-sibling::dl[1]")).to_contain_text(
        "1,150,000"
    )

    # A social-value commitment, sent empty first, then taken out again.
    a.submit(a.button("Add a commitment"), heading="Add a social-value commitment")
    a.submit(a.button("Add the commitment"))
    a.errors_shown()
    a.field("What you promise to improve").select_option(label=INDICATOR)
    a.field("How much").fill("12")
    a.field("What you promise, in words").fill("12 local young people employed")
    a.submit(a.button("Add the commitment"), heading="Your bid")
    a.submit(
        link(a, "Remove “12 local young people employed”"),
        heading="Remove “12 local young people employed”?",
    )
    a.submit(a.button("Remove the commitment"), heading="Your bid")
    expect(a.page.get_by_text("No commitments yet.", exact=True)).to_be_visible()

    # A file: a text file called .pdf is refused; a real PDF is kept, then removed.
    a.submit(a.button("Add a file"), heading="Add a file to your bid")
    with tempfile.TemporaryDirectory(prefix="coproduce-bid-") as folder:
        fake, real = _files(Path(folder), f"bid-{bid.pk}")
        a.field("Upload a file").set_input_files(fake)
        a.submit(a.button("Upload the file"))
        a.errors_shown()
        expect(a.page.locator(".govuk-error-summary")).to_contain_text("is not a PDF")
        a.field("Upload a file").set_input_files(real)
        a.submit(a.button("Upload the file"), heading="Your bid")
    expect(a.page.get_by_role("link", name=real.name, exact=True)).to_be_visible()
    a.submit(link(a, f"Remove “{real.name}”"), heading=f"Remove “{real.name}”?")
    a.submit(a.button("Remove the file"), heading="Your bid")
    expect(a.page.get_by_text("No files.", exact=True)).to_be_visible()

    # Submitted, withdrawn, started again (it comes back as it was) and submitted again.
    a.submit(a.button("Submit your bid"), heading="Submit your bid")
    a.submit(a.button("Submit your bid"), heading="Your bid")
    expect(a.page.locator("#status")).to_contain_text("Submitted")
    a.submit(link(a, "Withdraw your bid"), heading="Withdraw your bid?")
    a.submit(a.button("Withdraw the bid"), heading="Your bid")
    expect(a.page.locator("#deadline")).to_contain_text("You withdrew this bid")
    a.submit(link(a, "Start it again"), heading="Bid for this contract")
    a.submit(a.button("Start the bid"), heading="Your bid")
    a.submit(a.button("Submit your bid"), heading="Submit your bid")
    a.submit(a.button("Submit your bid"), heading="Your bid")
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED, bid.status
    assert bid.price == Decimal("1150000"), bid.price

    # A question for the commissioners: empty first, then sent.
    a.submit(
        link(a, "Bidders’ questions and our answers").first,
        heading="Bidders’ questions and our answers",
    )
    a.submit(a.button("Send your question"))
    a.errors_shown()
    a.field("Your question").fill(question)
    a.submit(a.button("Send your question"), heading="Bidders’ questions and our answers")
    expect(a.page.locator("#waiting ~ ul").first).to_contain_text(question)
    return bid


def _files(folder: Path, stem: str) -> tuple[Path, Path]:
    """A text file named as a PDF, and a tiny real PDF, in the folder."""
    fake = folder / "accounts.pdf"
    fake.write_text("Not really a PDF.\n")
    real = folder / f"{stem}-project-plan.pdf"
    real.write_bytes(PDF)
    return fake, real


def cannot_change_after_the_deadline(a: Auditor, bid: Any) -> None:
    """The bid's page is read-only once bids close, and its form says it can no longer change."""
    a.goto(a.url("commissioning:bid", bid.pk), heading="Your bid")
    expect(a.page.locator("#deadline")).to_contain_text("Your bid can no longer be changed")
    expect(a.page.get_by_role("link", name=re.compile(r"^Change"))).to_have_count(0)
    expect(a.page.get_by_role("button", name="Submit your bid")).to_have_count(0)
    a.goto(a.url("commissioning:bid_edit", bid.pk), heading="Your bid can no longer be changed")
    a.goto(a.url("commissioning:bid_withdraw", bid.pk), heading="Your bid can no longer be changed")


@staff(
    user=None,
    covers={
        "commissioning:round",
        "commissioning:bid_start",
        "commissioning:bid",
        "commissioning:bid_edit",
        "commissioning:commitment_add",
        "commissioning:commitment_delete",
        "commissioning:attachment_add",
        "commissioning:attachment_delete",
        "commissioning:bid_submit",
        "commissioning:bid_withdraw",
        "commissioning:clarifications",
    },
)
def a_provider_bids(a: Auditor) -> None:
    """A social enterprise's professional bids (and a co-operative's, without JavaScript); once
    the deadline passes neither can change their bid."""
    from coproduce.commissioning.tests.factories_bids import close_bids

    round_ = open_round("Recovery support 2027–2030: bids")
    bidder, organisation = a_bidder("Northfield Recovery Community Interest Company")
    sign_in_as(a, bidder.email)
    bid = write_and_submit_a_bid(
        a, round_, organisation, question="Can two organisations bid together as a consortium?"
    )
    other, co_operative = a_bidder("Eastvale Peer Support Co-operative", "co_operative")
    with without_script(a, other.email) as later:
        other_bid = write_and_submit_a_bid(
            later, round_, co_operative, question="Is the contract value fixed for all 3 years?"
        )
        close_bids(round_)
        cannot_change_after_the_deadline(later, other_bid)
    cannot_change_after_the_deadline(a, bid)


# --- Staff: sealed until the deadline, then opened (and logged) -----------------------------------


def a_bid_with_a_file(round_: Any, name: str, question: str) -> Any:
    """A submitted bid with a PDF, and a question from its bidder, through the actions."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coproduce.commissioning import actions_bids
    from coproduce.commissioning.tests.factories_bids import make_bid

    bidder, organisation = a_bidder(name)
    bid = make_bid(round_, bidder, organisation)
    upload = SimpleUploadedFile("method.pdf", PDF, content_type="application/pdf")
    actions_bids.attachment_add(bid=bid, by=bidder, upload=upload)
    actions_bids.clarification_ask(round_=round_, by=bidder, question=question)
    return bid


def sealed_then_opened(a: Auditor, title: str, bidder_name: str, question: str) -> None:
    """Before the deadline: "sealed", nothing of the bid (404), the question answered. After it:
    the list, the bid read-only with the opening recorded, its file, and the log."""
    from coproduce.commissioning.models import AccessRoute, BidAccess
    from coproduce.commissioning.tests.factories_bids import close_bids

    round_ = open_round(title, indicators=False)
    bid = a_bid_with_a_file(round_, bidder_name, question)
    attachment = bid.attachments.get()

    a.goto(a.url("commissioning:manage", round_.pk), heading="Run the commissioning round")
    a.submit(link(a, "Bids received and who opened them"), heading="Bids received")
    expect(a.page.locator("#sealed")).to_contain_text("Bids are sealed until")
    expect(a.page.get_by_text(bidder_name)).to_have_count(0)
    # The administrator cannot read the bid, nor its file, before the deadline.
    a.goto(a.url("commissioning:bid", bid.pk), status=404)
    assert a.page.request.get(a.url("commissioning:attachment", attachment.pk)).status == 404
    assert not BidAccess.objects.filter(bid=bid).exists()

    # The bidder's question: the answer sent empty first, then published.
    a.goto(a.url("commissioning:manage", round_.pk))
    a.submit(link(a, "Bidders’ questions"), heading="Bidders’ questions and our answers")
    a.submit(link(a, re.compile(r"^Answer the question asked on")), heading="Answer a bidder’s")
    a.submit(a.button("Publish the answer"))
    a.errors_shown()
    a.field("Answer").fill("Yes: one organisation bids and names its partners in the summary.")
    a.submit(a.button("Publish the answer"), heading="Bidders’ questions and our answers")
    expect(a.page.locator("#answered ~ div").first).to_contain_text(question)

    close_bids(round_)
    a.goto(a.url("commissioning:bids_received", round_.pk), heading="Bids received")
    expect(a.page.locator("#no-openings")).to_be_visible()
    a.submit(link(a, bidder_name), heading=f"Bid from {bidder_name}")
    expect(a.page.locator("#logged")).to_contain_text("Your opening of this bid is recorded")
    with a.page.expect_download() as download:
        link(a, attachment.name).click()
    assert Path(download.value.path()).read_bytes() == PDF
    a.goto(a.url("commissioning:bids_received", round_.pk), heading="Bids received")
    log = a.page.locator("#log ~ table").first
    expect(log).to_contain_text("Web page")
    expect(log).to_contain_text("Attachment download")
    routes = set(BidAccess.objects.filter(bid=bid).values_list("route", flat=True))
    assert routes == {AccessRoute.PAGE, AccessRoute.ATTACHMENT}, routes


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "commissioning:manage",
        "commissioning:bids_received",
        "commissioning:bid",
        "commissioning:clarifications",
        "commissioning:clarification_answer",
    },
)
def bids_sealed_until_the_deadline(a: Auditor) -> None:
    """The council's administrator, before and after the deadline (and again without
    JavaScript)."""
    sealed_then_opened(
        a,
        "Recovery support 2027–2030: sealed bids",
        "Westbrook Housing Mutual",
        "May a bid include volunteers' time as social value?",
    )
    with without_script(a, COUNCIL_ADMIN) as later:
        sealed_then_opened(
            later,
            "Recovery support 2027–2030: sealed bids (no JavaScript)",
            "Southgate Recovery Trust",
            "Will you publish the names of the evaluators?",
        )


# --- Evaluation --------------------------------------------------------------------------------


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "commissioning:evaluators",
        "commissioning:evaluator_remove",
        "commissioning:interests",
    },
)
def choose_evaluators(a: Auditor) -> None:
    """Staff choose a resident evaluator (the form sent empty first), choose and remove another,
    and read the register of interests."""
    done = closed_round("Recovery support 2027–2030: evaluators", ["Oakfield Youth Charity"])
    chosen = a_resident("gwen.evaluator@example.org", "Gwen Roberts")
    mistaken = a_resident("sam.evaluator@example.org", "Sam Patel")
    a.goto(a.url("commissioning:manage", done.round.pk))
    a.submit(link(a, "Evaluators"), heading="Evaluators")
    a.submit(a.button("Choose this evaluator"))
    a.errors_shown()
    for person in (chosen, mistaken):
        a.field("Their email address").fill(person.email)
        a.field("Resident evaluator").check()
        a.submit(a.button("Choose this evaluator"), heading="Evaluators")
        expect(a.page.locator("#evaluators")).to_contain_text(person.name)
    a.submit(link(a, f"Remove {mistaken.name}"), heading=f"Remove {mistaken.name}")
    a.submit(a.button("Remove the evaluator"), heading="Evaluators")
    expect(a.page.locator("#evaluators")).not_to_contain_text(mistaken.name)
    a.submit(link(a, "The public register of interests"), heading="Register of interests")
    expect(a.page.get_by_text("Not declared yet")).to_be_visible()


def score_a_bid(a: Auditor, bid: Any, scores: Sequence[int]) -> None:
    """On the score page: the score and a comment for every criterion, in the round's order."""
    from coproduce.commissioning.models import SCORE_SCALE

    labels = dict(SCORE_SCALE)
    for criterion, score in zip(bid.round.criteria.all(), scores, strict=True):
        group = a.page.get_by_role("group", name=f"Your score for “{criterion.name}”")
        group.get_by_label(f"{score} – {labels[score]}", exact=True).check()
        a.field(f"Your comment on “{criterion.name}”").fill(f"Clear on {criterion.name.lower()}.")


def declare_and_score(a: Auditor, done: ClosedRound, *, conflict: int, to_score: int) -> None:
    """An evaluator declares an interest in one bidder (without describing it first: an error)
    and none in the others, scores another bid (sent empty first), and cannot score the bid
    they have an interest in."""
    title = done.round.activity.title
    interested, scored = done.bids[conflict], done.bids[to_score]
    a.goto(a.url("commissioning:round", done.round.pk), heading=title)
    a.submit(link(a, "Your evaluation of the bids"), heading="Evaluate the bids")
    a.submit(a.button("Declare your interests"), heading="Declare your interests")
    for bid in done.bids:
        answer = "I have an interest" if bid == interested else "No interest"
        fieldset = a.page.get_by_role("group", name=bid.organisation.name, exact=True)
        fieldset.get_by_label(answer, exact=True).check()
    a.submit(a.button("Send my declarations"))
    a.errors_shown()
    expect(a.page.locator(".govuk-error-summary")).to_contain_text("Describe your interest")
    interest = a.page.get_by_role("group", name=interested.organisation.name, exact=True)
    interest.get_by_label(f"Describe your interest in {interested.organisation.name}").fill(
        "My sister volunteers."
    )
    a.submit(a.button("Send my declarations"), heading="Evaluate the bids")
    expect(a.page.locator(f"#task-{interested.pk}")).to_contain_text("Not for you")

    a.submit(
        link(a, f"Read and score the bid – {scored.organisation.name}"),
        heading=f"Score the bid of {scored.organisation.name}",
    )
    a.submit(a.button("Save my scores"))
    a.errors_shown()
    score_a_bid(a, scored, [4, 3, 5])
    a.submit(a.button("Save my scores"), heading="Evaluate the bids")
    expect(a.page.locator(f"#task-{scored.pk}")).to_contain_text("Scored")

    a.goto(a.url("commissioning:score", interested.pk), heading="You cannot score this bid")
    expect(a.page.locator("#reason")).to_contain_text("You declared an interest")
    expect(a.page.get_by_text("Price for the whole contract")).to_have_count(0)
    a.goto(a.url("commissioning:interests", done.round.pk), heading="Register of interests")
    expect(a.page.get_by_text("My sister volunteers.").first).to_be_visible()


@public(
    user=None,
    covers={
        "commissioning:round",
        "commissioning:evaluate",
        "commissioning:declare",
        "commissioning:score",
        "commissioning:interests",
    },
)
def an_evaluator_declares_and_scores(a: Auditor) -> None:
    """A resident evaluator (and another, without JavaScript) declares, scores one bid, and
    cannot score the bid of the organisation they have an interest in."""
    from coproduce.commissioning.tests.factories_evaluation import make_evaluator

    done = closed_round(
        "Recovery support 2027–2030: evaluation",
        ["Hillside Recovery Charity", "Riverside Co-operative", "Parkway Care Ltd"],
    )
    first = make_evaluator(
        done.round, done.keeper, a_resident("rhys.evaluator@example.org", "Rhys Morgan")
    )
    second = make_evaluator(
        done.round, done.keeper, a_resident("ffion.evaluator@example.org", "Ffion Hughes")
    )
    sign_in_as(a, first.email)
    declare_and_score(a, done, conflict=0, to_score=1)
    with without_script(a, second.email) as later:
        declare_and_score(later, done, conflict=2, to_score=0)


def moderated(title: str, names: Sequence[str], *, to_agree: int | None = None) -> ClosedRound:
    """A closed round of three bids whose evaluator declared (an interest in the last bidder) and
    scored the others, and whose agreed scores are recorded for every bid but ``to_agree``: the
    first bid (the cheapest) ranks first, the second second."""
    from coproduce.commissioning.tests import factories_evaluation as evaluation

    done = closed_round(title, names)
    person = evaluation.make_evaluator(done.round, done.keeper)
    evaluation.declare(done.round, person, {done.bids[-1].pk: "I used to work there."})
    for bid, scores in zip(done.bids[:-1], ([4, 4, 5], [3, 5, 2]), strict=True):
        evaluation.score(bid, person, scores)
    agreed = ([4, 4, 5], [3, 4, 2], [2, 2, 3])
    for number, (bid, scores) in enumerate(zip(done.bids, agreed, strict=True)):
        if number != to_agree:
            evaluation.agree(bid, done.keeper, scores)
    return done


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "commissioning:moderation",
        "commissioning:moderate_bid",
        "commissioning:award_make",
        "commissioning:award",
    },
)
def moderate_and_award(a: Auditor) -> None:
    """The moderation: one bid's agreed scores (sent empty first); the award (sent without its
    reasons first), then its public page."""
    names = ["Brookside Recovery Trust", "Meadow Co-operative", "Castle Care Ltd"]
    done = moderated("Recovery support 2027–2030: moderation", names, to_agree=1)
    bid = done.bids[1]
    a.goto(a.url("commissioning:manage", done.round.pk))
    a.submit(link(a, "Moderation and the weighted scores"), heading="Moderation: agree the scores")
    expect(a.page.locator(f"#bid-{bid.pk}")).to_contain_text("To agree")
    a.submit(
        a.button(f"Record the agreed scores – {bid.organisation.name}"),
        heading=f"Agree the scores of {bid.organisation.name}",
    )
    a.submit(a.button("Save the agreed scores"))
    a.errors_shown()
    for criterion, score in zip(done.round.criteria.all(), [3, 4, 2], strict=True):
        group = a.page.get_by_role("group", name=f"Agreed score for “{criterion.name}”")
        group.get_by_label(re.compile(rf"^{score} – ")).check()
        a.field(f"Reason for the agreed score on “{criterion.name}”").fill(
            "The evaluators agreed at the meeting."
        )
    a.submit(a.button("Save the agreed scores"), heading="Moderation: agree the scores")
    expect(a.page.locator(f"#bid-{bid.pk}")).to_contain_text("Agreed")

    a.submit(a.button("Make the award"), heading="Make the award")
    a.submit(a.button("Make and publish the award"))
    a.errors_shown()
    a.field("Reasons for the decision").fill("The highest total: quick appointments, local staff.")
    for name in names:
        a.field(f"Feedback to {name}").fill(f"Thank you, {name}: the method statements were clear.")
    a.submit(a.button("Make and publish the award"), heading="The award decision")
    expect(a.page.get_by_text(f"Awarded to {names[0]}")).to_be_visible()


@public(user=None, covers={"commissioning:award", "commissioning:own_scores"})
def an_unsuccessful_bidder_reads_its_scores(a: Auditor) -> None:
    """A visitor reads the award; the bidder that came second reads its own scores and feedback."""
    from coproduce.commissioning.models import Award
    from coproduce.commissioning.tests import factories_evaluation as evaluation

    names = ["Greenway Recovery Charity", "Orchard Mutual", "Summit Care Ltd"]
    done = moderated("Recovery support 2027–2030: awarded", names)
    award = evaluation.award(evaluation.Evaluated(done.round, done.keeper, [], done.bids, []))
    assert isinstance(award, Award)
    a.goto(a.url("commissioning:award", done.round.pk), heading="The award decision")
    expect(a.page.locator("#own")).to_have_count(0)
    sign_in_as(a, done.bidders[1].email)
    a.goto(a.url("commissioning:award", done.round.pk), heading="The award decision")
    a.submit(
        link(a, f"Read the scores, comments and feedback for your bid ({names[1]})"),
        heading=f"Your scores: {names[1]}",
    )
    expect(a.page.locator("#outcome")).to_contain_text(f"The contract was awarded to {names[0]}")
    expect(a.page.locator("#feedback")).to_contain_text(f"Feedback for {names[1]}")
    a.goto(a.url("commissioning:own_scores", done.bids[0].pk), status=404)
