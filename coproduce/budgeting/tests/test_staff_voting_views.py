"""The staff pages of a participatory budget from voting on: voting codes, paper ballots typed
twice, counting, delivery news, importing a .pb file, and the whole run of a budget through
the staff pages."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.budgeting import actions, actions_voting
from coproduce.budgeting.models import (
    Ballot,
    BallotSource,
    BallotType,
    Budget,
    Count,
    CountStatus,
    DeliveryStatus,
    DeliveryUpdate,
    Feasibility,
    PaperEntry,
    Phase,
    VotingCode,
)
from coproduce.budgeting.tasks import run_count
from coproduce.budgeting.tests.factories import (
    BudgetSetup,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)
from coproduce.budgeting.tests.staff_pages import (
    delivering,
    new_activity,
    page_of,
    setup_data,
    signed_in,
)
from coproduce.contributions.models import Response
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


# --- Voting codes -----------------------------------------------------------------------------


def test_codes_download_as_csv_once_and_the_page_counts_them() -> None:
    setup = make_voting(codes_may_vote=True)
    client = signed_in(setup.staff)
    url = reverse("budgeting:codes", args=[setup.budget.pk])
    page = page_of(client.get(url))
    assert "shown only once" in page
    response = client.post(url, {"count": "3", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["code"]
    assert len(rows) == 4
    code = actions_voting.code_find(setup.budget, rows[1][0])
    actions_voting.ballot_cast(
        budget=setup.budget, area=setup.area, choices={setup.proposals[0].pk: 1}, code=code
    )
    page = page_of(client.get(url))
    assert 'Codes made</dt><dd class="govuk-summary-list__value">3' in page
    assert 'Codes used to vote</dt><dd class="govuk-summary-list__value">1' in page


def test_codes_print_as_slips_with_the_address_to_vote(settings: Any) -> None:
    settings.SITE_URL = "https://coproduce.example.gov.uk"  # not the address the sheet is made at
    setup = make_voting(codes_may_vote=True)
    response = signed_in(setup.staff).post(
        reverse("budgeting:codes", args=[setup.budget.pk]), {"count": "2", "format": "print"}
    )
    page = page_of(response)
    assert response["Cache-Control"] == "no-store"
    assert page.count('class="app-code-slip"') == 2
    vote_at = reverse("budgeting:ballot_code", args=[setup.budget.pk])
    assert f"https://coproduce.example.gov.uk{vote_at}" in page
    assert "testserver" not in page
    assert "codes-print.css" in page
    assert VotingCode.objects.filter(budget=setup.budget).count() == 2


def test_codes_form_mistakes() -> None:
    setup = make_voting(codes_may_vote=True)
    page = page_of(
        signed_in(setup.staff).post(
            reverse("budgeting:codes", args=[setup.budget.pk]), {"count": "0", "format": "zip"}
        )
    )
    assert "There is a problem" in page
    assert not VotingCode.objects.exists()


# --- Paper ballots typed twice ----------------------------------------------------------------


def _paper(client: Client, setup: BudgetSetup, reference: str, **choices: Any) -> Any:
    data = {"paper_reference": reference, "area": str(setup.area.pk), **choices}
    return client.post(reverse("budgeting:paper_entry", args=[setup.budget.pk]), data)


def test_paper_ballots_count_when_two_people_agree_and_never_twice() -> None:
    setup = make_voting()
    first, second = setup.proposals[0], setup.proposals[1]
    one, two = signed_in(setup.staff), signed_in(staff_of(setup.budget.activity))
    three = signed_in(staff_of(setup.budget.activity))
    _paper(one, setup, "a-101", choices=[str(first.pk), str(second.pk)])
    page = page_of(one.get(reverse("budgeting:paper_entry", args=[setup.budget.pk])))
    assert "Typed once: waiting for a second person" in page
    assert "A-101" in page
    page = page_of(_paper(one, setup, "A-101", choices=[str(first.pk), str(second.pk)]))
    assert "You have typed this ballot already" in page
    response = _paper(two, setup, "A-101", choices=[str(first.pk), str(second.pk)])
    assert response.status_code == 302
    assert "matches its first typing: counted" in page_of(two.get(response["Location"]))
    ballot = Ballot.objects.get(budget=setup.budget, source=BallotSource.PAPER)
    assert sorted(ballot.choices.values_list("proposal_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    page = page_of(_paper(three, setup, "A-101", choices=[str(first.pk), str(second.pk)]))
    assert "typed twice and counted already" in page
    assert Ballot.objects.filter(budget=setup.budget, source=BallotSource.PAPER).count() == 1
    page = page_of(three.get(reverse("budgeting:paper_entry", args=[setup.budget.pk])))
    assert "1 paper ballot counted." in page


def test_a_paper_mismatch_is_listed_with_both_typings_until_the_wrong_one_is_deleted() -> None:
    setup = make_voting()
    first, second = setup.proposals[0], setup.proposals[1]
    one, two = signed_in(setup.staff), signed_in(staff_of(setup.budget.activity))
    _paper(one, setup, "B-7", choices=[str(first.pk)])
    response = _paper(two, setup, "B-7", choices=[str(second.pk)])
    page = page_of(two.get(response["Location"]))
    assert "does not match its first typing" in page
    assert "Typings that do not match" in page
    mismatch = page.split("Typings that do not match")[1].split("Typed once")[0]
    assert first.title in mismatch
    assert second.title in mismatch
    assert mismatch.count("Delete this typing") == 2
    assert not Ballot.objects.filter(source=BallotSource.PAPER).exists()
    wrong = PaperEntry.objects.filter(paper_reference="B-7").order_by("pk").last()
    assert wrong is not None
    assert wrong.choices == {str(second.pk): 1}
    url = reverse("budgeting:paper_entry", args=[setup.budget.pk])
    response = two.post(url, {"action": "delete", "entry": str(wrong.pk)})
    assert "is deleted" in page_of(two.get(response["Location"]))
    assert PaperEntry.objects.filter(paper_reference="B-7").count() == 1
    response = two.post(url, {"action": "delete", "entry": "99999999999999999999999"})
    assert response.status_code == 302
    _paper(two, setup, "B-7", choices=[str(first.pk)])
    assert Ballot.objects.filter(source=BallotSource.PAPER, paper_reference="B-7").count() == 1


def test_paper_ballots_of_points_and_ranks_and_their_mistakes() -> None:
    setup = make_voting(ballot_type=BallotType.CUMULATIVE, points=5)
    first, second = setup.proposals[0], setup.proposals[1]
    client = signed_in(setup.staff)
    page = page_of(_paper(client, setup, "C-1", **{f"p{first.pk}": "4", f"p{second.pk}": "3"}))
    assert "You gave 7 points but have 5" in page
    assert 'value="C-1"' in page
    response = _paper(client, setup, "C-1", **{f"p{first.pk}": "4", f"p{second.pk}": "1"})
    assert response.status_code == 302
    entry = PaperEntry.objects.get(paper_reference="C-1")
    assert entry.choices == {str(first.pk): 4, str(second.pk): 1}

    ranked = make_voting(ballot_type=BallotType.RANKING, max_choices=2)
    a, b = ranked.proposals[0], ranked.proposals[1]
    client = signed_in(ranked.staff)
    page = page_of(_paper(client, ranked, "R-1", **{f"p{a.pk}": "1", f"p{b.pk}": "1"}))
    assert "Number your projects 1, 2, 3" in page
    assert _paper(client, ranked, "R-1", **{f"p{a.pk}": "2", f"p{b.pk}": "1"}).status_code == 302


def test_paper_ballots_are_closed_before_voting() -> None:
    setup = make_budget()
    page = page_of(
        signed_in(setup.staff).get(reverse("budgeting:paper_entry", args=[setup.budget.pk]))
    )
    assert "Paper ballots are typed in while voting is open" in page
    assert 'name="paper_reference"' not in page


# --- Counting ---------------------------------------------------------------------------------


def test_counting_shows_progress_then_the_summary() -> None:
    setup = make_voting(costs=(40_000, 30_000))
    vote(setup, [setup.proposals[0]])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    client = signed_in(setup.staff)
    response = client.post(reverse("budgeting:count_start", args=[setup.budget.pk]))
    count = Count.objects.get(budget=setup.budget)
    status_url = reverse("budgeting:count_status", args=[count.pk])
    assert response["Location"] == status_url
    page = page_of(client.get(status_url))
    assert "Waiting to start" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-get="{status_url}"' in page
    assert "<progress" in page
    assert ">Refresh" in page
    fragment = page_of(client.get(status_url, headers={"HX-Request": "true"}))
    assert fragment.startswith('<div id="count-progress"')
    assert "<html" not in fragment
    run_count(count.pk)
    page = page_of(client.get(status_url))
    assert "hx-trigger" not in page
    assert "Ballots counted" in page
    assert setup.proposals[0].title in page
    assert reverse("budgeting:results", args=[setup.budget.pk]) in page


def test_a_failed_count_shows_the_error_and_counts_again() -> None:
    setup = make_voting()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    count = actions_voting.count_start(budget=setup.budget, by=setup.staff)
    Count.objects.filter(pk=count.pk).update(status=CountStatus.FAILED, error="Out of memory.")
    client = signed_in(setup.staff)
    page = page_of(client.get(reverse("budgeting:count_status", args=[count.pk])))
    assert "The count failed" in page
    assert "Out of memory." in page
    assert "Count again" in page
    response = client.post(reverse("budgeting:count_start", args=[setup.budget.pk]))
    again = setup.budget.counts.first()
    assert again is not None
    assert again.pk != count.pk
    assert response["Location"] == reverse("budgeting:count_status", args=[again.pk])


def test_counting_before_voting_closes_says_what_to_do() -> None:
    setup = make_voting()
    client = signed_in(setup.staff)
    response = client.post(reverse("budgeting:count_start", args=[setup.budget.pk]))
    assert "Close voting" in page_of(client.get(response["Location"]))
    assert not Count.objects.exists()


# --- Delivery ---------------------------------------------------------------------------------


def _delivery_data(**changes: Any) -> dict[str, Any]:
    data = {
        "status": DeliveryStatus.IN_PROGRESS,
        "on_day": "2",
        "on_month": "3",
        "on_year": "2026",
        "note": "The benches are being built.",
        "photo_alt": "",
    }
    data.update(changes)
    return data


def test_delivery_news_with_a_photo() -> None:
    setup, proposal = delivering()
    client = signed_in(setup.staff)
    url = reverse("budgeting:delivery_update", args=[proposal.pk])
    photo = SimpleUploadedFile("benches.png", PNG, content_type="image/png")
    response = client.post(url, _delivery_data(photo=photo, photo_alt="New benches"))
    assert response.status_code == 302
    update = DeliveryUpdate.objects.filter(proposal=proposal).latest("pk")
    assert update.status == DeliveryStatus.IN_PROGRESS
    assert str(update.photo.name).endswith(".png")
    proposal.refresh_from_db()
    assert proposal.delivery_status == DeliveryStatus.IN_PROGRESS
    assert "The benches are being built." in page_of(client.get(url))


def test_delivery_news_mistakes_keep_what_was_typed() -> None:
    setup, proposal = delivering()
    client = signed_in(setup.staff)
    url = reverse("budgeting:delivery_update", args=[proposal.pk])
    fake = SimpleUploadedFile("benches.png", b"<svg>not a picture</svg>", content_type="image/png")
    page = page_of(client.post(url, _delivery_data(photo=fake, on_month="13")))
    assert "must be a JPEG, PNG or WebP picture" in page
    assert "must be a real date" in page
    assert "The benches are being built." in page
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024))
    assert "smaller than 5 MB" in page_of(client.post(url, _delivery_data(photo=big)))
    photo = SimpleUploadedFile("benches.png", PNG, content_type="image/png")
    page = page_of(client.post(url, _delivery_data(photo=photo)))
    assert "Describe the photo for people who cannot see it." in page
    page = page_of(client.post(url, _delivery_data(status="", note="")))
    assert "There is a problem" in page
    assert DeliveryUpdate.objects.filter(proposal=proposal).count() == 1  # the planned one


def test_delivery_news_only_for_funded_projects() -> None:
    setup = make_voting()
    page = page_of(
        signed_in(setup.staff).get(
            reverse("budgeting:delivery_update", args=[setup.proposals[0].pk])
        )
    )
    assert "Only funded projects have delivery news." in page


# --- Importing a .pb file ---------------------------------------------------------------------

PB = """META
key;value
description;Imported vote
country;Wales
unit;Northfield
instance;2026
num_projects;2
num_votes;2
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
1;60;Benches
2;50;Bins
VOTES
voter_id;vote
v1;1
v2;1,2
"""


def test_importing_a_pb_file_makes_a_new_closed_budget_of_the_service() -> None:
    setup = make_budget()
    client = signed_in(setup.staff)
    url = reverse("budgeting:pb_import", args=[setup.budget.pk])
    upload = SimpleUploadedFile("northfield.pb", PB.encode(), content_type="text/plain")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302, page_of(response)
    new = Budget.objects.exclude(pk=setup.budget.pk).get()
    assert new.activity.service_stage.service_id == setup.budget.activity.service_stage.service_id
    assert response["Location"] == reverse("budgeting:manage", args=[new.activity_id])
    assert new.ballots.count() == 2
    assert "Imported" in page_of(client.get(response["Location"]))


def test_a_bad_pb_file_shows_its_line() -> None:
    setup = make_budget()
    client = signed_in(setup.staff)
    url = reverse("budgeting:pb_import", args=[setup.budget.pk])
    bad = PB.replace("2;50;Bins", "2;fifty;Bins")
    page = page_of(client.post(url, {"file": SimpleUploadedFile("bad.pb", bad.encode())}))
    assert "There is a problem" in page
    assert "bad.pb, line 15" in page
    assert "fifty" in page  # what was typed, quoted in the message
    page = page_of(client.post(url, {"file": SimpleUploadedFile("votes.csv", b"a,b")}))
    assert "ending in .pb" in page
    page = page_of(client.post(url, {"file": SimpleUploadedFile("x.pb", b"\xff\xfe\x00bad")}))
    assert "UTF-8" in page
    assert Budget.objects.count() == 1


# --- The whole run ----------------------------------------------------------------------------


def test_the_whole_staff_flow_from_set_up_to_delivery_news() -> None:
    activity, staff = new_activity()
    second_staff = staff_of(activity)
    client, other = signed_in(staff), signed_in(second_staff)
    manage = reverse("budgeting:manage", args=[activity.pk])
    assert (
        client.post(
            manage, setup_data(max_choices="2", min_age="", postcode_prefixes="")
        ).status_code
        == 302
    )
    budget = Budget.objects.get(activity=activity)
    setup = BudgetSetup(budget=budget, staff=staff, areas=list(budget.areas.all()))
    benches = make_proposal(setup, cost=40_000, title="Benches", feasibility=None)
    bins = make_proposal(setup, cost=30_000, title="Bins", feasibility=None)
    lights = make_proposal(setup, cost=90_000, title="Lights", feasibility=None)

    phase = reverse("budgeting:phase_set", args=[budget.pk])
    assert client.post(phase, {"phase": Phase.REVIEW}).status_code == 302
    for proposal, data in (
        (benches, {"feasibility": Feasibility.FEASIBLE}),
        (bins, {"feasibility": Feasibility.FEASIBLE}),
        (lights, {"feasibility": Feasibility.NOT_FEASIBLE, "reason": "Not our street."}),
    ):
        response = client.post(reverse("budgeting:proposal_review", args=[proposal.pk]), data)
        assert response.status_code == 302
    assert "3 still wait" not in page_of(client.post(phase, {"phase": Phase.VOTING}))
    budget.refresh_from_db()
    assert budget.phase == Phase.VOTING

    vote(setup, [benches])
    vote(setup, [benches, bins])
    _paper(client, setup, "P-1", choices=[str(bins.pk)])
    _paper(other, setup, "P-1", choices=[str(bins.pk)])  # matches: counted
    _paper(client, setup, "P-2", choices=[str(benches.pk)])
    _paper(other, setup, "P-2", choices=[str(bins.pk)])  # a mismatch: not counted
    dashboard = page_of(client.get(manage))
    assert 'On paper, typed twice</dt><dd class="govuk-summary-list__value">1' in dashboard
    assert 'Online, with an account</dt><dd class="govuk-summary-list__value">2' in dashboard

    assert client.post(phase, {"phase": Phase.COUNTING}).status_code == 302
    response = client.post(reverse("budgeting:count_start", args=[budget.pk]))
    count = Count.objects.get(budget=budget)
    run_count(count.pk)
    count.refresh_from_db()
    assert count.ballot_count == 3
    assert "Ballots counted" in page_of(client.get(response["Location"]))
    assert "Done" in page_of(client.get(manage))

    assert client.post(phase, {"phase": Phase.RESULTS}).status_code == 302
    assert client.post(phase, {"phase": Phase.DELIVERY}).status_code == 302
    funded = budget.proposals.exclude(delivery_status="")
    assert set(funded.values_list("title", flat=True)) == {"Benches", "Bins"}
    response = client.post(
        reverse("budgeting:delivery_update", args=[benches.pk]),
        _delivery_data(status=DeliveryStatus.DELIVERED, note="The benches are in."),
    )
    assert response.status_code == 302
    benches.refresh_from_db()
    assert benches.delivery_status == DeliveryStatus.DELIVERED
    assert (
        "The benches are in."
        in Response.objects.filter(contribution=benches.contribution).latest("pk").body
    )
    assert "Delivered" in page_of(client.get(manage))
