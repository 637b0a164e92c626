"""A round's open data: the OCDS release package (validated offline against the shipped OCDS 1.1.5
schema) before the deadline, after it and after the award; the scores and interests CSV; the
views, called directly and — once urls.py points at views/open_data.py — by their URLs (the
CSV's rows: test_export_csv.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import export, export_csv
from coproduce.commissioning.models import Bid, Clarification, Round
from coproduce.commissioning.tests.factories import make_criteria, make_round
from coproduce.commissioning.tests.test_export_data import (
    PRICES,
    Scenario,
    add_bids,
    answered_question,
    awarded_round,
    close_bids,
    published_round,
)
from coproduce.commissioning.views import open_data
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

SCHEMAS = Path(export.__file__).resolve().parent / "schemas" / "ocds-1.1.5"


# --- Validation against the shipped schema, offline ---------------------------------------------


def _retrieve(uri: str) -> Any:
    """The only schema the package schema refers to, from the repository: never the network."""
    if uri != export.RELEASE_SCHEMA_URL:
        raise ValueError(f"No network at test time: {uri}")
    return json.loads((SCHEMAS / "release-schema.json").read_text())


@cache
def _validator() -> jsonschema_rs.Validator:
    schema = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    return jsonschema_rs.Draft4Validator(schema, retriever=_retrieve, validate_formats=True)


def _valid(package: dict[str, Any]) -> dict[str, Any]:
    """The package, after checking it against the schema (every error listed when it fails)."""
    text = json.dumps(package)  # what the view sends: plain JSON values only
    errors = [f"{e.instance_path}: {e.message}" for e in _validator().iter_errors(json.loads(text))]
    assert errors == []
    return package


def _text(package: dict[str, Any]) -> str:
    return json.dumps(package, ensure_ascii=False)


def _latest(package: dict[str, Any]) -> dict[str, Any]:
    release: dict[str, Any] = package["releases"][-1]
    return release


def test_the_schemas_are_shipped_unchanged_with_their_licence_notice() -> None:
    notice = (SCHEMAS / "LICENSE-NOTICE.md").read_text()
    for words in ("Apache License 2.0", "Open Contracting Partnership", "1__1__5", "schema/"):
        assert words in notice
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    assert release["id"] == export.RELEASE_SCHEMA_URL
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    assert package["properties"]["releases"]["items"]["$ref"] == export.RELEASE_SCHEMA_URL


def test_the_validator_refuses_what_the_standard_refuses() -> None:
    """The check is real: a release without its ocid, or with a tag outside the closed
    codelist, fails."""
    scenario = published_round()
    package = export.ocds_package(scenario.round)
    del package["releases"][0]["ocid"]
    assert not _validator().is_valid(json.loads(json.dumps(package)))
    package = export.ocds_package(scenario.round)
    package["releases"][0]["tag"] = ["bids"]
    assert not _validator().is_valid(json.loads(json.dumps(package)))


# --- Before the deadline ------------------------------------------------------------------------


def test_before_the_weights_are_published_the_tender_is_planned() -> None:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    criteria = make_criteria(round_, staff)
    package = _valid(export.ocds_package(round_))
    (release,) = package["releases"]
    assert release["tag"] == ["planning", "tender"]
    assert release["tender"]["status"] == "planned"
    assert "startDate" not in release["tender"]["tenderPeriod"]
    details = release["tender"]["awardCriteriaDetails"]
    assert "not published yet" in details
    assert all(c.name in details for c in criteria)


def test_before_the_deadline_nothing_sealed_is_in_the_package() -> None:
    scenario = add_bids(published_round())
    round_ = scenario.round
    package = _valid(export.ocds_package(round_))
    (release,) = package["releases"]
    text = _text(package)
    for bid in [*scenario.bids, *scenario.others]:
        assert bid.organisation.name not in text
        assert str(int(bid.price or 0)) not in text
    assert "tenderer" not in text
    assert "numberOfTenderers" not in text
    assert "awards" not in release
    assert "contracts" not in release
    assert [party["roles"] for party in release["parties"]] == [["buyer", "procuringEntity"]]
    # The planning and the tender, in full.
    assert release["ocid"] == f"ocds-coproduce-{round_.pk}"
    assert release["tag"] == ["planning", "tender"]
    assert release["buyer"]["name"] == round_.activity.service.organisation.name
    assert release["planning"]["rationale"].startswith(round_.specification)
    assert scenario.indicator.name in release["planning"]["rationale"]
    assert release["planning"]["documents"][0]["url"].endswith(
        scenario.indicator.get_absolute_url()
    )
    tender = release["tender"]
    assert tender["status"] == "active"
    assert tender["value"] == {"amount": 1200000, "currency": "GBP"}
    assert tender["awardCriteria"] == "ratedCriteria"
    assert tender["tenderPeriod"]["endDate"] == export._time(round_.bids_close_at)
    assert tender["enquiryPeriod"]["endDate"].startswith(round_.questions_close_on.isoformat())
    assert tender["contractPeriod"] == {"durationInDays": 1096}  # 36 months, no start date yet
    details = tender["awardCriteriaDetails"]
    assert "Price counts for 40% of the award" in details
    assert "Seen within four weeks (quality): 30 points, 18% of the award" in details
    assert "Local jobs (social value): 40 points, 24% of the award" in details
    assert "Residents who weighed the criteria: 1." in details
    # And the CSVs say nothing but their headers.
    assert "".join(export_csv.scores_csv(round_)) == ",".join(export_csv.SCORE_FIELDS) + "\r\n"
    assert (
        "".join(export_csv.interests_csv(round_)) == ",".join(export_csv.INTEREST_FIELDS) + "\r\n"
    )


def test_answered_questions_are_published_without_who_asked() -> None:
    scenario = published_round()
    asker = UserFactory(name="Quentin Asker", email="quentin@example.org")
    answered = answered_question(scenario.round, asker, scenario.staff)
    Clarification.objects.create(round=scenario.round, asked_by=asker, question="Unanswered?")
    package = _valid(export.ocds_package(scenario.round))
    tender = _latest(package)["tender"]
    assert tender["hasEnquiries"] is True
    assert tender["enquiries"] == [
        {
            "id": str(answered.pk),
            "date": export._time(answered.asked_at),
            "description": "Can a consortium bid?",
            "answer": "Yes: name a lead organisation.",
            "dateAnswered": export._time(answered.answered_at or timezone.now()),
        }
    ]
    assert "Quentin" not in _text(package)
    assert "quentin@example.org" not in _text(package)
    assert export.ENQUIRY_EXTENSION in package["extensions"]
    assert package["publishedDate"] == export._time(answered.answered_at or timezone.now())


@override_settings(COPRODUCE_OCID_PREFIX="ocds-a1b2c3")
def test_the_ocid_prefix_is_a_setting() -> None:
    scenario = published_round()
    package = _valid(export.ocds_package(scenario.round))
    assert _latest(package)["ocid"] == f"ocds-a1b2c3-{scenario.round.pk}"
    assert _latest(package)["buyer"]["id"].startswith("ocds-a1b2c3-org-")


# --- After the deadline -------------------------------------------------------------------------


def test_after_the_deadline_the_tenderers_are_public_and_their_prices_are_not() -> None:
    scenario = close_bids(add_bids(published_round()))
    package = _valid(export.ocds_package(scenario.round))
    tender_release, update = package["releases"]
    assert [r["tag"] for r in package["releases"]] == [["planning", "tender"], ["tenderUpdate"]]
    assert "tenderers" not in tender_release["tender"]
    assert update["date"] == export._time(scenario.round.bids_close_at)
    assert update["tender"]["numberOfTenderers"] == 3
    assert sorted(t["name"] for t in update["tender"]["tenderers"]) == sorted(
        b.organisation.name for b in scenario.bids
    )
    roles = {party["name"]: party["roles"] for party in update["parties"]}
    assert all(roles[b.organisation.name] == ["tenderer"] for b in scenario.bids)
    text = _text(package)
    for bid in scenario.others:  # drafts and withdrawn bids are never named
        assert bid.organisation.name not in text
    for price in PRICES:
        assert str(int(price)) not in text
    assert "awards" not in update
    assert (
        "".join(export_csv.scores_csv(scenario.round)) == ",".join(export_csv.SCORE_FIELDS) + "\r\n"
    )


def test_a_buyer_that_bids_is_one_party_with_both_roles() -> None:
    scenario = published_round()
    buyer = scenario.round.activity.service.organisation
    Bid.objects.create(
        round=scenario.round,
        organisation=buyer,
        status="submitted",
        price=Decimal("1000"),
        submitted_at=timezone.now(),
    )
    close_bids(scenario)
    parties = _latest(_valid(export.ocds_package(scenario.round)))["parties"]
    assert [p["roles"] for p in parties] == [["buyer", "procuringEntity", "tenderer"]]


# --- After the award ----------------------------------------------------------------------------


def test_after_the_award_the_package_has_the_award_and_the_contract() -> None:
    scenario = awarded_round(contract_starts_on=dt.date(2027, 1, 31))
    award = scenario.award
    assert award is not None
    package = _valid(export.ocds_package(scenario.round))
    assert [r["tag"] for r in package["releases"]] == [
        ["planning", "tender"],
        ["tenderUpdate"],
        ["award", "contract"],
    ]
    assert len({r["id"] for r in package["releases"]}) == 3
    release = _latest(package)
    winner = scenario.bids[0].organisation
    assert release["tender"]["status"] == "complete"
    (awarded,) = release["awards"]
    assert awarded["value"] == {"amount": 1000000, "currency": "GBP"}
    assert awarded["suppliers"] == [{"id": export._party_id(winner), "name": winner.name}]
    assert awarded["date"] == export._time(award.decided_at)
    assert awarded["status"] == "pending"  # during the standstill period
    assert awarded["description"] == award.reasons
    (contract,) = release["contracts"]
    assert contract["awardID"] == awarded["id"]
    assert contract["value"] == {"amount": 1000000, "currency": "GBP"}
    assert contract["period"] == {
        "startDate": export._day_start(dt.date(2027, 1, 31)),
        "endDate": export._day_end(dt.date(2030, 1, 30)),
        "durationInDays": 1096,
    }
    assert release["tender"]["contractPeriod"] == contract["period"]
    assert "12 local young people employed" in contract["description"]
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles[winner.name] == ["tenderer", "supplier"]
    assert roles[scenario.bids[1].organisation.name] == ["tenderer"]
    # Only the winner's price is published, never the others'.
    text = _text(package)
    assert str(int(PRICES[1])) not in text
    assert str(int(PRICES[2])) not in text
    assert package["publishedDate"] == export._time(award.decided_at)


def test_the_award_and_contract_statuses_follow_the_calendar() -> None:
    scenario = awarded_round(contract_starts_on=timezone.localdate() + dt.timedelta(days=20))
    later = timezone.now() + dt.timedelta(days=30)
    release = _latest(_valid(export.ocds_package(scenario.round, now=later)))
    assert release["awards"][0]["status"] == "active"
    assert release["contracts"][0]["status"] == "active"
    much_later = timezone.now() + dt.timedelta(days=4 * 365)
    release = _latest(_valid(export.ocds_package(scenario.round, now=much_later)))
    assert release["contracts"][0]["status"] == "terminated"


def test_without_a_start_date_the_contract_is_pending_and_has_only_its_length() -> None:
    scenario = awarded_round()
    release = _latest(_valid(export.ocds_package(scenario.round)))
    assert release["contracts"][0]["status"] == "pending"
    assert release["contracts"][0]["period"] == {"durationInDays": 1096}


def test_the_contract_ends_the_day_before_the_same_date_months_later() -> None:
    assert export.add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert export.add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert export.add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)
    scenario = published_round()
    assert export.contract_period(scenario.round, dt.date(2027, 4, 1))["endDate"].startswith(
        "2030-03-31"
    )


# --- The views ----------------------------------------------------------------------------------


def _call(view: Any, round_: Round, user: Any = None) -> Any:
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return view(request, pk=round_.pk)


def _body(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


def test_the_views_serve_json_and_csv_with_file_names() -> None:
    scenario = awarded_round()
    round_ = scenario.round
    response = _call(open_data.ocds, round_)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert _valid(json.loads(_body(response)))["uri"].endswith(
        reverse("commissioning:ocds", args=[round_.pk])
    )
    scores = _call(open_data.scores_csv, round_)
    assert scores["Content-Type"] == "text/csv; charset=utf-8"
    assert scores["Content-Disposition"] == (
        f'attachment; filename="commissioning-round-{round_.pk}-scores.csv"'
    )
    assert _body(scores) == "".join(export_csv.scores_csv(round_))
    interests = _call(open_data.interests_csv, round_)
    assert interests["Content-Type"] == "text/csv; charset=utf-8"
    assert interests["Content-Disposition"] == (
        f'attachment; filename="commissioning-round-{round_.pk}-interests.csv"'
    )
    assert "Asha Patel" in _body(interests)


def test_a_draft_round_is_hidden_from_everyone_but_its_staff() -> None:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.DRAFT)
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    for view in (open_data.ocds, open_data.scores_csv, open_data.interests_csv):
        for visitor in (AnonymousUser(), UserFactory()):
            with pytest.raises(Http404):
                _call(view, round_, visitor)
        assert _call(view, round_, staff).status_code == 200


def test_the_views_answer_only_get() -> None:
    scenario = published_round()
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    assert open_data.ocds(request, pk=scenario.round.pk).status_code == 405


# --- The pages, by URL: run once urls.py points at views/open_data.py ---------------------------


def test_the_open_data_urls_serve_the_exports(client: Client) -> None:
    scenario = awarded_round()
    round_ = scenario.round
    response = client.get(reverse("commissioning:ocds", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    _valid(response.json())
    for name in ("scores_csv", "interests_csv"):
        response = client.get(reverse(f"commissioning:{name}", args=[round_.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment; filename=" in response["Content-Disposition"]


def test_the_open_data_urls_of_a_draft_round_are_not_found(client: Client) -> None:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.DRAFT)
    round_ = make_round(activity, staff_of(activity))
    for name in ("ocds", "scores_csv", "interests_csv"):
        assert client.get(reverse(f"commissioning:{name}", args=[round_.pk])).status_code == 404


def test_before_the_deadline_the_urls_give_nothing_sealed(client: Client) -> None:
    scenario: Scenario = add_bids(published_round())
    body = client.get(reverse("commissioning:ocds", args=[scenario.round.pk])).content.decode()
    for bid in scenario.bids:
        assert bid.organisation.name not in body


def test_the_package_reads_each_thing_once_however_many_releases_it_has() -> None:
    """The three releases repeat the planning section: its indicators and decisions are read
    once for the package, not once per release."""
    scenario = awarded_round()
    round_ = Round.objects.get(pk=scenario.round.pk)
    with CaptureQueriesContext(connection) as queries:
        package = export.ocds_package(round_)
    assert len(package["releases"]) == 3
    assert package["releases"][0]["planning"]["documents"], "the scenario has indicators"
    repeated = [sql for sql, n in Counter(q["sql"] for q in queries).items() if n > 1]
    assert repeated == []
