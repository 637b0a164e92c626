"""The award decision (decision 0079): the winning bid, the reasons, feedback to every bidder,
and the standstill period, recorded in the public ledger.

The award needs an agreed score for every submitted bid on every criterion. Staff may choose a
bid other than the top-ranked one only by saying why; that reason is published first in the
reasons. The standstill period is counted in working days: Monday to Friday, not counting the
bank holidays of England and Wales that follow a fixed rule (one-off bank holidays, such as a
coronation, are not known to the platform).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.commissioning import ledger, queries_evaluation, rules
from coproduce.commissioning.models import Award, Bid, Round
from coproduce.common.dates import add_working_days
from coproduce.common.permissions import require

REASONS_MAX = 10_000  # Award.reasons, Bid.feedback


def feedback_field(bid_pk: int) -> str:
    return f"feedback_{bid_pk}"


# --- The standstill -----------------------------------------------------------------------------


def standstill_ends_on(round_: Round, decided_on: dt.date) -> dt.date:
    """The last day of the standstill period: the round's standstill days, counted in working
    days (weekends and the bank holidays of England and Wales left out) from the day after the
    decision."""
    return add_working_days(decided_on, round_.standstill_days)


# --- The award ------------------------------------------------------------------------------------


@transaction.atomic
def award_make(
    *,
    round_: Round,
    by: User,
    bid: Bid,
    reasons: str,
    feedback: Mapping[int, str],
    why_not_top: str = "",
    reasons_cy: str = "",
    contract_starts_on: dt.date | None = None,
) -> Award:
    """Award the round to a submitted bid, with the reasons, feedback to each bidder (bid key →
    text) and the standstill period; record it in the public ledger. Once only."""
    require(rules.can_award(by, round_))
    Round.objects.select_for_update().filter(pk=round_.pk).first()  # one award at a time
    if rules.award_made(round_):
        raise ValidationError(_("The award is already made."))
    if bid.round_id != round_.pk or not rules.submitted_bids(round_).filter(pk=bid.pk).exists():
        raise ValidationError({"bid": _("Choose one of the bids submitted to this round.")})
    missing = queries_evaluation.missing_agreed(round_)
    if missing:
        raise ValidationError(
            _(
                "Agree the scores of every bid on every criterion first. Still to agree: "
                "%(missing)s."
            )
            % {"missing": "; ".join(f"{b.organisation.name} – {c.name}" for b, c in missing)}
        )
    results = queries_evaluation.results(round_, queries_evaluation.opened_prices(round_, by))
    errors: dict[str, str] = {}
    if not reasons.strip():
        errors["reasons"] = _("Give the reasons for the decision.")
    elif len(reasons.strip()) > REASONS_MAX:
        errors["reasons"] = _("Write the reasons in %(count)d characters or fewer.") % {
            "count": REASONS_MAX
        }
    top = {line.bid.pk for line in results.top}
    if bid.pk not in top and not why_not_top.strip():
        errors["why_not_top"] = _(
            "This bid did not score highest: say why you chose it over the highest-scoring bid."
        )
    for line in results.lines:
        text = feedback.get(line.bid.pk, "").strip()
        if not text:
            errors[feedback_field(line.bid.pk)] = _("Write feedback to %(bidder)s.") % {
                "bidder": line.bid.organisation.name
            }
        elif len(text) > REASONS_MAX:
            errors[feedback_field(line.bid.pk)] = _(
                "Write the feedback in %(count)d characters or fewer."
            ) % {"count": REASONS_MAX}
    decided_at = timezone.now()
    ends_on = standstill_ends_on(round_, timezone.localdate(decided_at))
    if contract_starts_on is not None and contract_starts_on <= ends_on:
        errors["contract_starts_on"] = _(
            "The contract can start only after the standstill period, which ends on %(day)s."
        ) % {"day": date_format(ends_on, "j F Y")}
    if errors:
        raise ValidationError(errors)
    text = reasons.strip()
    if bid.pk not in top:
        with translation.override("en"):
            why = _("Why not the highest-scoring bid: %(why)s") % {"why": why_not_top.strip()}
        text = f"{why}\n\n{text}"
        if len(text) > REASONS_MAX:
            raise ValidationError(
                {
                    "reasons": _(
                        "The reasons and why you did not choose the highest-scoring bid are "
                        "too long together: shorten them."
                    )
                }
            )
    award = Award(
        round=round_,
        bid=bid,
        reasons=text,
        reasons_cy=reasons_cy.strip(),
        decided_by=by,
        decided_at=decided_at,
        standstill_ends_on=ends_on,
        contract_starts_on=contract_starts_on,
    )
    award.full_clean(exclude=["round", "bid"])
    for line in results.lines:
        Bid.objects.filter(pk=line.bid.pk).update(feedback=feedback[line.bid.pk].strip())
    try:
        with transaction.atomic():
            award.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("The award is already made.")) from None
    ledger.record_award(award)
    return award
