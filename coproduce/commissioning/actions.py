"""Every write of a commissioning round: its set-up and criteria, residents' weightings, and the
published weights, each weighting then answered through the spine (decision 0074).

Each action checks its own rule (PermissionDenied), so the web pages and the API behave the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.commissioning import ledger, rules, weights
from coproduce.commissioning.models import (
    POINTS,
    WEIGHTING,
    Criterion,
    CriterionKind,
    Round,
    Weighting,
    WeightingPoints,
)
from coproduce.common.languages import in_language
from coproduce.common.locking import lock_for_share
from coproduce.common.permissions import require
from coproduce.contributions.actions import contribution_start, response_create
from coproduce.contributions.models import AuthorDisplay, Decision
from coproduce.outcomes.models import Indicator
from coproduce.services.models import Activity

AWARD_MADE = gettext_lazy("The award is made, so the round's set-up can no longer change.")

# --- The round ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFields:
    """What staff write about a round (the same for setting it up and changing it)."""

    specification: str
    contract_value: Decimal
    contract_months: int
    weighting_closes_on: dt.date
    questions_close_on: dt.date
    bids_close_at: dt.datetime
    evaluation_on: dt.date
    award_on: dt.date
    price_weight: int
    standstill_days: int = 8
    specification_cy: str = ""


def _timetable_errors(fields: RoundFields) -> dict[str, str]:
    errors: dict[str, str] = {}
    bids_close_on = timezone.localdate(fields.bids_close_at)
    if fields.questions_close_on > bids_close_on:
        errors["questions_close_on"] = _("Bidders' questions must close before bids close.")
    if fields.evaluation_on < bids_close_on:
        errors["evaluation_on"] = _("The evaluation must come after bids close.")
    if fields.award_on < fields.evaluation_on:
        errors["award_on"] = _("The award must come after the evaluation.")
    if fields.weighting_closes_on >= bids_close_on:
        errors["weighting_closes_on"] = _(
            "Residents must finish weighing the criteria before bids close, so that bidders "
            "know the weights."
        )
    if not 0 <= fields.price_weight <= POINTS:
        errors["price_weight"] = _("Give price a weight from 0 to 100.")
    return errors


def _scope(round_: Round, decisions: Iterable[Decision], indicators: Iterable[Indicator]) -> None:
    service = round_.activity.service
    chosen_decisions, chosen_indicators = list(decisions), list(indicators)
    errors = {}
    if any(decision.service_id != service.pk for decision in chosen_decisions):
        errors["decisions"] = _("Choose decisions of this service.")
    if any(indicator.outcome.service_id != service.pk for indicator in chosen_indicators):
        errors["indicators"] = _("Choose indicators of this service's outcomes framework.")
    if errors:
        raise ValidationError(errors)
    round_.decisions.set(chosen_decisions)
    round_.indicators.set(chosen_indicators)


@transaction.atomic
def round_save(
    *,
    activity: Activity,
    by: User,
    fields: RoundFields,
    decisions: Iterable[Decision] = (),
    indicators: Iterable[Indicator] = (),
) -> Round:
    """Set up the activity's round, or change it, as far as ``rules.fixed_set_up`` lets it:
    price's weight until the weights are published, what bids answer until bids close, and
    nothing once the award is made (decision 0122). Once bidding has opened, bids may close
    later than announced but never earlier."""
    require(rules.can_set_up_round(by, activity))
    # The activity's row locked first: a round's first save sent twice would otherwise find no
    # round twice and end in an IntegrityError (decision 0140).
    Activity.objects.select_for_update().filter(pk=activity.pk).exists()
    saved = Round.objects.select_for_update().filter(activity=activity).first()
    round_ = saved or Round(activity=activity)
    fixed = rules.fixed_set_up(saved)
    if fixed == rules.SET_UP:
        raise ValidationError(AWARD_MADE)
    chosen_decisions, chosen_indicators = list(decisions), list(indicators)
    chosen: dict[str, list[Decision] | list[Indicator]] = {
        "decisions": chosen_decisions,
        "indicators": chosen_indicators,
    }
    # Only what may still change is checked against the timetable: the rest stands as bid on.
    errors = {name: e for name, e in _timetable_errors(fields).items() if name not in fixed}
    for name in sorted(fixed):
        if name in chosen:
            before = set(getattr(round_, name).values_list("pk", flat=True))
            changed = before != {item.pk for item in chosen[name]}
        else:
            value = getattr(fields, name)
            changed = (value.strip() if isinstance(value, str) else value) != getattr(round_, name)
        if changed:
            errors[name] = (
                _("Price's weight cannot change once the weights are published.")
                if name == "price_weight" and not rules.bids_closed(round_)
                else _("Bids have closed, so this can no longer change: the bids answered it.")
            )
    if (
        round_.weights_published_at
        and "bids_close_at" not in fixed
        and fields.bids_close_at < round_.bids_close_at
    ):
        errors["bids_close_at"] = _(
            "Bidding has opened, so bids can close later than announced but not earlier: "
            "bidders are working to that time."
        )
    if errors:
        raise ValidationError(errors)
    for name, value in vars(fields).items():
        setattr(round_, name, value.strip() if isinstance(value, str) else value)
    round_.full_clean(exclude=["activity"])
    round_.save()
    _scope(round_, chosen_decisions, chosen_indicators)
    return round_


# --- Criteria -----------------------------------------------------------------------------------


def _criteria_fixed(round_: Round) -> None:
    if round_.weightings.exists() or round_.weights_published_at:
        raise ValidationError(
            _(
                "Residents have started weighing the criteria, so criteria cannot be added, "
                "removed or change kind. You can still correct their wording."
            )
        )


def _criterion_indicators(round_: Round, indicators: Iterable[Indicator]) -> list[Indicator]:
    chosen = list(indicators)
    if any(i.outcome.service_id != round_.activity.service.pk for i in chosen):
        raise ValidationError(
            {"indicators": _("Choose indicators of this service's outcomes framework.")}
        )
    return chosen


@transaction.atomic
def criterion_add(
    *,
    round_: Round,
    by: User,
    kind: str,
    name: str,
    description: str = "",
    name_cy: str = "",
    description_cy: str = "",
    indicators: Iterable[Indicator] = (),
) -> Criterion:
    """Add a quality or social-value criterion, before residents start weighing."""
    require(rules.can_keep_round(by, round_))
    _criteria_fixed(round_)
    if kind not in CriterionKind.values:
        raise ValidationError({"kind": _("Choose quality or social value.")})
    if round_.criteria.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The round already has a criterion with this name.")})
    chosen = _criterion_indicators(round_, indicators)
    last = round_.criteria.order_by("-position").values_list("position", flat=True).first()
    criterion = Criterion(
        round=round_,
        kind=kind,
        name=name.strip(),
        description=description.strip(),
        name_cy=name_cy.strip(),
        description_cy=description_cy.strip(),
        position=0 if last is None else last + 1,
    )
    criterion.full_clean(exclude=["round"])
    criterion.save()
    criterion.indicators.set(chosen)
    return criterion


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    by: User,
    name: str,
    description: str = "",
    name_cy: str = "",
    description_cy: str = "",
    indicators: Iterable[Indicator] = (),
) -> Criterion:
    """Correct a criterion's wording or the indicators it serves (its kind stays)."""
    round_ = criterion.round
    require(rules.can_keep_round(by, round_))
    if round_.criteria.exclude(pk=criterion.pk).filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The round already has a criterion with this name.")})
    chosen = _criterion_indicators(round_, indicators)
    criterion.name, criterion.description = name.strip(), description.strip()
    criterion.name_cy, criterion.description_cy = name_cy.strip(), description_cy.strip()
    criterion.full_clean(exclude=["round"])
    # Only the wording: the weights are the publishing's, whatever this instance holds.
    criterion.save(update_fields=["name", "description", "name_cy", "description_cy"])
    criterion.indicators.set(chosen)
    # The published weights name their criteria (read afresh: ``criterion.round`` may be old).
    published = Round.objects.filter(pk=round_.pk, weights_published_at__isnull=False).first()
    if published is not None:
        ledger.record_weights(published)
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by: User) -> None:
    """Remove a criterion, before residents start weighing."""
    require(rules.can_keep_round(by, criterion.round))
    _criteria_fixed(criterion.round)
    criterion.delete()


# --- Residents' weightings ----------------------------------------------------------------------


def _points_errors(round_: Round, points: Mapping[int, int]) -> dict[str, str]:
    keys = set(round_.criteria.values_list("pk", flat=True))
    if set(points) - keys:
        return {"points": _("Give points only to this round's criteria.")}
    if any(not 0 <= value <= POINTS for value in points.values()):
        return {"points": _("Give each criterion from 0 to 100 points.")}
    total = sum(points.values())
    if total != POINTS:
        return {
            "points": _("Your points add up to %(total)d. Share out exactly 100: %(change)s.")
            % {
                "total": total,
                "change": _("take away %(n)d") % {"n": total - POINTS}
                if total > POINTS
                else _("add %(n)d") % {"n": POINTS - total},
            }
        }
    return {}


@transaction.atomic
def weighting_save(
    *,
    round_: Round,
    person: Visitor,
    points: Mapping[int, int],
    author_display: str = AuthorDisplay.FIRST_NAME,
) -> Weighting:
    """A resident's 100 points across the criteria (criterion key → points; missing ones get 0).
    Saving again changes it, until the weighting closes. One each: the database says so.

    Weightings share a lock on the round's row: publishing the weights (which locks it) waits for
    those in progress, so each is counted and answered, and one sent as they are published is
    refused (decision 0140)."""
    lock_for_share(Round, round_.pk)
    round_ = Round.objects.select_related("activity__service_stage__service").get(pk=round_.pk)
    require(rules.can_weigh(person, round_))
    assert isinstance(person, User)
    errors = _points_errors(round_, points)
    if errors:
        raise ValidationError(errors)
    weighting = Weighting.objects.select_for_update().filter(round=round_, person=person).first()
    if weighting is None:
        contribution = contribution_start(
            activity=round_.activity,
            kind=WEIGHTING,
            author=person,
            author_display=author_display,
            text="",
        )
        try:
            with transaction.atomic():
                weighting = Weighting.objects.create(
                    contribution=contribution, round=round_, person=person
                )
        except IntegrityError:  # the same person saved twice at once: change that one
            raise ValidationError(
                _("Your weighting was saved a moment ago. Reload the page to change it.")
            ) from None
    weighting.points.all().delete()
    WeightingPoints.objects.bulk_create(
        WeightingPoints(weighting=weighting, criterion_id=key, points=value)
        for key, value in points.items()
        if value
    )
    weighting.save(update_fields=["updated_at"])
    return weighting


def weighting_points(weighting: Weighting) -> dict[int, int]:
    """A weighting's points by criterion key (0 for criteria it gave nothing)."""
    given = dict(weighting.points.values_list("criterion_id", "points"))
    return {key: given.get(key, 0) for key in weighting.round.criteria.values_list("pk", flat=True)}


def residents_weights(round_: Round) -> dict[int, int]:
    """What residents' weightings give now (criterion key → points adding up to 100)."""
    keys = list(round_.criteria.values_list("pk", flat=True))
    given: dict[int, dict[int, int]] = {}
    for weighting_id, criterion_id, value in WeightingPoints.objects.filter(
        weighting__round=round_
    ).values_list("weighting_id", "criterion_id", "points"):
        given.setdefault(weighting_id, {})[criterion_id] = value
    for weighting_id in round_.weightings.values_list("pk", flat=True):
        given.setdefault(weighting_id, {})
    return weights.combine(keys, list(given.values()))


# --- Publishing the weights ---------------------------------------------------------------------


@transaction.atomic
def weights_publish(
    *,
    round_: Round,
    by: User,
    changed: Mapping[int, int] | None = None,
    reason: str = "",
    reason_cy: str = "",
) -> Round:
    """Publish the criteria's weights: residents' (``weights.combine``), or ``changed`` by staff
    with a published reason. Then answer every weighting through the spine with the result."""
    require(rules.can_keep_round(by, round_))
    # Locked, then read again: the same publish sent twice answers every weighting once
    # (decision 0140). The caller's round is the one published, as callers expect.
    Round.objects.select_for_update().filter(pk=round_.pk).exists()
    round_.refresh_from_db()
    if round_.weights_published_at:
        raise ValidationError(_("The weights are already published."))
    criteria = list(round_.criteria.all())
    if not criteria:
        raise ValidationError(_("Add the criteria first."))
    computed = residents_weights(round_)
    final = dict(changed) if changed is not None else computed
    if set(final) != set(computed) or any(not 0 <= v <= POINTS for v in final.values()):
        raise ValidationError({"weights": _("Give every criterion a weight from 0 to 100.")})
    if sum(final.values()) != POINTS:
        raise ValidationError(
            {
                "weights": _("The weights add up to %(total)d: they must add up to 100.")
                % {"total": sum(final.values())}
            }
        )
    if final != computed and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the weights differ from what residents' points gave.")}
        )
    for criterion in criteria:
        criterion.residents_weight = computed[criterion.pk]
        criterion.weight = final[criterion.pk]
    Criterion.objects.bulk_update(criteria, ["residents_weight", "weight"])
    round_.weights_published_at = timezone.now()
    round_.weights_participants = round_.weightings.count()
    round_.weights_method = weights.METHOD
    round_.weights_reason = reason.strip() if final != computed else ""
    round_.weights_reason_cy = reason_cy.strip() if final != computed else ""
    round_.full_clean(exclude=["activity"])
    round_.save()
    ledger.record_weights(round_)
    _answer_weightings(round_, criteria, by)
    return round_


def _answer(round_: Round, criteria: list[Criterion], given: Mapping[int, int]) -> str:
    rows = "; ".join(
        _("%(criterion)s: you gave %(yours)d, published %(weight)d")
        % {"criterion": in_language(c, "name"), "yours": given.get(c.pk, 0), "weight": c.weight}
        for c in criteria
    )
    text = _(
        "Thank you for weighing the criteria. %(people)d people did; the published weights "
        "are the middle value (median) of everyone's points for each criterion, scaled to add "
        "up to 100. %(rows)s."
    ) % {"people": round_.weights_participants, "rows": rows}
    if round_.weights_reason:
        text += " " + _("We changed what residents' points gave, because: %(reason)s") % {
            "reason": in_language(round_, "weights_reason")
        }
    return str(text)


def _answer_weightings(round_: Round, criteria: list[Criterion], by: User) -> None:
    for weighting in round_.weightings.select_related("contribution__activity").prefetch_related(
        "points"
    ):
        given = {p.criterion_id: p.points for p in weighting.points.all()}
        with translation.override("en"):
            body = _answer(round_, criteria, given)
        with translation.override("cy"):
            body_cy = _answer(round_, criteria, given)
        response_create(contribution=weighting.contribution, author=by, body=body, body_cy=body_cy)
