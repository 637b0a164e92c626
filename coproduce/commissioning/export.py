"""A commissioning round's open data (decision 0080): the round as an Open Contracting Data
Standard 1.1 release package (the award's scores table and the register of interests as CSV are
in export_csv.py).

What bids hold is sealed until bids close (decision 0077), so before the deadline nothing here
says who bid or for how much: no tenderers, no number of tenderers, no prices, no declarations.
After the deadline the tenderers and the register of interests are public; after the award, the
winning supplier, its price, the contract and every bid's scores. Exports publish only what the
award itself publishes, so they are not openings of a bid and are not logged as BidAccess.

Open data is written in English, the canonical language (OCDS ``language`` "en"), like the
site's other exports.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coproduce.commissioning import rules
from coproduce.commissioning.models import (
    POINTS,
    SCORE_MAX,
    Award,
    Bid,
    Clarification,
    Commitment,
    Criterion,
    CriterionKind,
    Round,
)
from coproduce.contributions.models import Decision
from coproduce.organisations.models import Organisation
from coproduce.outcomes.models import Indicator

OCDS_VERSION = "1.1"
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "ocds-1.1.5"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
# Answered clarification questions go in tender.enquiries, a field of this extension.
ENQUIRY_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/"
    "v1.1.4/extension.json"
)

# The stages a round's package has a release for, in order.
TENDER, BIDS_CLOSED, AWARDED = "tender", "tender-update", "award"
TAGS = {
    TENDER: ["planning", "tender"],
    BIDS_CLOSED: ["tenderUpdate"],
    AWARDED: ["award", "contract"],
}

# --- Small pieces -------------------------------------------------------------------------------


def ocid_prefix() -> str:
    """The publisher's OCID prefix (setting COPRODUCE_OCID_PREFIX; registered with the Open
    Contracting Partnership for real use)."""
    return str(settings.COPRODUCE_OCID_PREFIX)


def ocid(round_: Round) -> str:
    """The round's open contracting identifier: the prefix and the round's key."""
    return f"{ocid_prefix()}-{round_.pk}"


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _time(value: dt.datetime) -> str:
    """ISO 8601 in the site's time zone with its offset, to the second:
    2027-04-01T00:00:00+01:00 (a day starts at midnight where the service is)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _day_start(day: dt.date) -> str:
    return _time(timezone.make_aware(dt.datetime.combine(day, dt.time.min)))


def _day_end(day: dt.date) -> str:
    return _time(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))))


def _amount(value: Decimal) -> int | float:
    """A JSON number: whole pounds as an integer, else with its pence."""
    return int(value) if value == value.to_integral_value() else float(value)


def _value(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"amount": _amount(amount), "currency": currency}


def percent(value: Fraction) -> str:
    """A share of the award: "18" or "17.5" (half-up to one decimal place)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_period(round_: Round, starts_on: dt.date | None) -> dict[str, Any]:
    """The contract's period: from its start date for its months when the award set one;
    otherwise only its length, the months at 365.25 ÷ 12 days each, rounded."""
    if starts_on is None:
        return {"durationInDays": round(round_.contract_months * 365.25 / 12)}
    ends_on = add_months(starts_on, round_.contract_months) - dt.timedelta(days=1)
    return {
        "startDate": _day_start(starts_on),
        "endDate": _day_end(ends_on),
        "durationInDays": (ends_on - starts_on).days + 1,
    }


def _party_id(organisation: Organisation) -> str:
    return f"{ocid_prefix()}-org-{organisation.pk}"


def _reference(organisation: Organisation) -> dict[str, str]:
    return {"id": _party_id(organisation), "name": organisation.name}


KIND_WORDS = {
    CriterionKind.QUALITY.value: "quality",
    CriterionKind.SOCIAL_VALUE.value: "social value",
}


def kind_label(kind: str) -> str:
    """A criterion's kind in words, for the award criteria's details."""
    return KIND_WORDS.get(kind, kind)


# --- What a round's package is made from ---------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    """Everything the releases are made from, read once. ``bids`` and ``award`` are empty until
    bids close: nothing about them is read before then."""

    round: Round
    closed: bool
    buyer: Organisation
    criteria: list[Criterion]
    enquiries: list[Clarification]
    bids: list[Bid]
    award: Award | None
    commitments: list[Commitment]
    indicators: list[Indicator]
    decisions: list[Decision]
    now: dt.datetime


def _facts(round_: Round, now: dt.datetime) -> _Facts:
    closed = rules.bids_closed(round_, now)
    bids = (
        list(rules.submitted_bids(round_).select_related("organisation").order_by("pk"))
        if closed
        else []
    )
    award = (
        Award.objects.filter(round=round_).select_related("bid__organisation").first()
        if closed
        else None
    )
    commitments = (
        list(award.bid.commitments.select_related("indicator", "criterion"))
        if award is not None
        else []
    )
    return _Facts(
        round=round_,
        closed=closed,
        buyer=round_.activity.service.organisation,
        criteria=list(round_.criteria.all()),
        enquiries=list(round_.clarifications.filter(answered_at__isnull=False).exclude(answer="")),
        bids=bids,
        award=award,
        commitments=commitments,
        indicators=list(round_.indicators.order_by("outcome__position", "position", "pk")),
        decisions=list(round_.decisions.order_by("decided_on", "pk")),
        now=now,
    )


def award_criteria_details(round_: Round, criteria: Sequence[Criterion]) -> str:
    """How bids are judged, in words: price's weight and method, each criterion's weight and its
    share of the award, and how the weights were set."""
    share = round_.criteria_share
    text = [
        f"Price counts for {round_.price_weight}% of the award, scored as the lowest price ÷ "
        f"the bid's price × {round_.price_weight}.",
        f"The quality and social-value criteria share the other {share}%: each scores its "
        f"weight (of {POINTS} points) × {share} ÷ 100 × the agreed score ÷ {SCORE_MAX}, the top "
        "of the published scale.",
    ]
    if round_.weights_published_at is None or any(c.weight is None for c in criteria):
        names = "; ".join(f"{c.name} ({kind_label(c.kind)})" for c in criteria)
        text.append(
            "Residents are setting the criteria's weights; they are not published yet."
            + (f" The criteria: {names}." if names else "")
        )
        return " ".join(text)
    weights = "; ".join(
        f"{c.name} ({kind_label(c.kind)}): {c.weight} points, "
        f"{percent(Fraction((c.weight or 0) * share, POINTS))}% of the award"
        for c in criteria
    )
    text.append(f"Weights: {weights}.")
    text.append(
        f"Residents who weighed the criteria: {round_.weights_participants or 0}. The weights "
        f"are the {round_.weights_method or 'residents’ points'}."
    )
    if round_.weights_reason:
        text.append(f"Staff changed what residents' points gave, because: {round_.weights_reason}")
    return " ".join(text)


def _rationale(round_: Round, indicators: Sequence[Indicator]) -> str:
    targets = [
        f"{i.name} (target {i.target.normalize():f} {i.unit} by {i.target_on.isoformat()})"
        for i in indicators
    ]
    if not targets:
        return round_.specification
    return (
        round_.specification.rstrip()
        + "\n\nThe outcome indicators it answers: "
        + "; ".join(targets)
        + "."
    )


def _planning(facts: _Facts) -> dict[str, Any]:
    round_ = facts.round
    documents = [
        {
            "id": f"indicator-{indicator.pk}",
            "title": indicator.name,
            "description": "An outcome indicator of the service that the round answers.",
            "url": _url(indicator.get_absolute_url()),
            "format": "text/html",
            "language": "en",
        }
        for indicator in facts.indicators
    ]
    documents += [
        {
            "id": f"decision-{decision.pk}",
            "title": decision.title,
            "description": "A decision of the service that the round answers.",
            "url": _url(decision.get_absolute_url()),
            "format": "text/html",
            "language": "en",
        }
        for decision in facts.decisions
    ]
    planning: dict[str, Any] = {
        "rationale": _rationale(round_, facts.indicators),
        "budget": {
            "description": "The contract's whole value.",
            "amount": _value(round_.contract_value, round_.currency),
        },
    }
    if documents:
        planning["documents"] = documents
    return planning


def _enquiry(clarification: Clarification) -> dict[str, Any]:
    """A published question and its answer; never who asked."""
    enquiry: dict[str, Any] = {
        "id": str(clarification.pk),
        "date": _time(clarification.asked_at),
        "description": clarification.question,
        "answer": clarification.answer,
    }
    if clarification.answered_at is not None:
        enquiry["dateAnswered"] = _time(clarification.answered_at)
    return enquiry


def _tender_status(facts: _Facts, stage: str) -> str:
    if stage == AWARDED:
        return "complete"
    if stage == TENDER and facts.round.weights_published_at is None:
        return "planned"
    return "active"


def _tender(facts: _Facts, stage: str) -> dict[str, Any]:
    round_ = facts.round
    tender_period: dict[str, Any] = {"endDate": _time(round_.bids_close_at)}
    if round_.weights_published_at is not None:
        tender_period = {"startDate": _time(round_.weights_published_at), **tender_period}
    tender: dict[str, Any] = {
        "id": f"{ocid(round_)}-tender",
        "title": round_.activity.title,
        "description": round_.activity.summary,
        "status": _tender_status(facts, stage),
        "procuringEntity": _reference(facts.buyer),
        "value": _value(round_.contract_value, round_.currency),
        "procurementMethod": "open",
        "procurementMethodDetails": "Open to any organisation registered on the platform.",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": award_criteria_details(round_, facts.criteria),
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": tender_period,
        "enquiryPeriod": {"endDate": _day_end(round_.questions_close_on)},
        "hasEnquiries": bool(facts.enquiries),
        "awardPeriod": {
            "startDate": _day_start(round_.evaluation_on),
            "endDate": _day_end(round_.award_on),
        },
        "contractPeriod": contract_period(
            round_, facts.award.contract_starts_on if facts.award and stage == AWARDED else None
        ),
        "documents": [
            {
                "id": "round",
                "documentType": "tenderNotice",
                "title": round_.activity.title,
                "description": "The round's page: what is bought, the timetable and how bids "
                "are judged.",
                "url": _url(round_.get_absolute_url()),
                "format": "text/html",
                "language": "en",
            }
        ],
    }
    if facts.enquiries:
        tender["enquiries"] = [_enquiry(c) for c in facts.enquiries]
    if stage != TENDER:  # bids have closed: who bid is public
        tender["numberOfTenderers"] = len(facts.bids)
        tender["tenderers"] = [_reference(bid.organisation) for bid in facts.bids]
    return tender


def _parties(facts: _Facts, stage: str) -> list[dict[str, Any]]:
    buyer = facts.buyer
    contact = {
        key: value
        for key, value in (
            ("name", buyer.name),
            ("email", buyer.contact_email),
            ("telephone", buyer.phone),
            ("url", buyer.website),
        )
        if value
    }
    parties: dict[int, dict[str, Any]] = {
        buyer.pk: {
            **_reference(buyer),
            "contactPoint": contact,
            "roles": ["buyer", "procuringEntity"],
        }
    }
    if stage != TENDER:
        for bid in facts.bids:
            party = parties.setdefault(bid.organisation_id, _reference(bid.organisation))
            party["roles"] = [*party.get("roles", []), "tenderer"]
    if stage == AWARDED and facts.award is not None:
        winner = facts.award.bid.organisation
        party = parties.setdefault(winner.pk, _reference(winner))
        party["roles"] = [*party.get("roles", []), "supplier"]
    return list(parties.values())


def _award_status(award: Award, today: dt.date) -> str:
    """Pending during the standstill period, in force after it."""
    return "pending" if today <= award.standstill_ends_on else "active"


def _contract_status(round_: Round, award: Award, today: dt.date) -> str:
    starts_on = award.contract_starts_on
    if starts_on is None or today < starts_on:
        return "pending"
    if today < add_months(starts_on, round_.contract_months):
        return "active"
    return "terminated"


def _commitments_text(commitments: Sequence[Commitment]) -> str:
    if not commitments:
        return "The winning bid made no social-value commitments."
    return "Social-value commitments, monitored against the service's outcome indicators: " + (
        "; ".join(
            f"{c.description} ({c.indicator.name}: {c.quantity.normalize():f} {c.indicator.unit})"
            for c in commitments
        )
        + "."
    )


def _awards_and_contracts(facts: _Facts) -> dict[str, Any]:
    award, round_ = facts.award, facts.round
    assert award is not None
    today = timezone.localdate(facts.now)
    price = award.bid.price
    assert price is not None  # a submitted bid has a price (the database says so)
    period = contract_period(round_, award.contract_starts_on)
    award_id = f"{ocid(round_)}-award"
    return {
        "awards": [
            {
                "id": award_id,
                "title": f"Award of {round_.activity.title}",
                "description": award.reasons,
                "status": _award_status(award, today),
                "date": _time(award.decided_at),
                "value": _value(price, round_.currency),
                "suppliers": [_reference(award.bid.organisation)],
                "contractPeriod": period,
                "documents": [
                    {
                        "id": "award",
                        "documentType": "awardNotice",
                        "title": f"Award of {round_.activity.title}",
                        "description": "The decision, its reasons, the scores table and the "
                        f"standstill period, which ends on {award.standstill_ends_on.isoformat()}.",
                        "url": _url(award.get_absolute_url()),
                        "format": "text/html",
                        "language": "en",
                    }
                ],
            }
        ],
        "contracts": [
            {
                "id": f"{ocid(round_)}-contract",
                "awardID": award_id,
                "title": round_.activity.title,
                "description": _commitments_text(facts.commitments),
                "status": _contract_status(round_, award, today),
                "period": period,
                "value": _value(price, round_.currency),
            }
        ],
    }


def _release_date(facts: _Facts, stage: str) -> dt.datetime:
    round_ = facts.round
    if stage == AWARDED and facts.award is not None:
        return facts.award.decided_at
    if stage == BIDS_CLOSED:
        return round_.bids_close_at
    return round_.weights_published_at or round_.activity.created_at


def _release(facts: _Facts, stage: str) -> dict[str, Any]:
    """One stage's release: everything known at that stage (each later release repeats what
    the earlier ones say, so the latest alone is the whole story)."""
    round_ = facts.round
    release: dict[str, Any] = {
        "ocid": ocid(round_),
        "id": f"{ocid(round_)}-{stage}",
        "date": _time(_release_date(facts, stage)),
        "tag": TAGS[stage],
        "initiationType": "tender",
        "language": "en",
        "parties": _parties(facts, stage),
        "buyer": _reference(facts.buyer),
        "planning": _planning(facts),
        "tender": _tender(facts, stage),
    }
    if stage == AWARDED:
        release.update(_awards_and_contracts(facts))
    return release


def _stages(facts: _Facts) -> list[str]:
    """The stages the round has reached: the tender, bids closed, the award."""
    if not facts.closed:
        return [TENDER]
    return [TENDER, BIDS_CLOSED] if facts.award is None else [TENDER, BIDS_CLOSED, AWARDED]


def ocds_package(round_: Round, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The round as an OCDS 1.1 release package: a release per stage reached (the tender;
    bids closed, with the tenderers; the award, with the contract)."""
    now = now or timezone.now()
    facts = _facts(round_, now)
    releases = [_release(facts, stage) for stage in _stages(facts)]
    changes = [_release_date(facts, stage) for stage in _stages(facts)]
    changes += [c.answered_at for c in facts.enquiries if c.answered_at is not None]
    buyer = facts.buyer
    return {
        "uri": _url(reverse("commissioning:ocds", args=[round_.pk])),
        "version": OCDS_VERSION,
        "extensions": [ENQUIRY_EXTENSION],
        "publishedDate": _time(max(changes)),
        "publisher": {"name": buyer.name, "uri": _url(buyer.get_absolute_url())},
        "license": settings.OPEN_DATA_LICENCE_URL,
        "releases": releases,
    }
