"""Every write of the evaluation (decision 0078): choosing evaluators, their declarations of
interest, their independent scores, and the moderation's agreed scores.

Each action checks its own rule (PermissionDenied), so the pages and the API behave the same.
A declaration is final once made: the register of interests is public and must not change
behind people's backs. An evaluator's scores for a bid are fixed once the moderation has agreed
any score for it, so that the agreed scores are compared with what the evaluators really gave.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.commissioning import rules
from coproduce.commissioning.models import (
    SCORE_MAX,
    AgreedScore,
    Bid,
    BidStatus,
    Criterion,
    Declaration,
    Evaluator,
    EvaluatorRole,
    Round,
    Score,
)
from coproduce.common.email_once import send_once
from coproduce.common.permissions import require
from coproduce.organisations.models import Membership

DETAILS_MAX = 2000  # Declaration.details
COMMENT_MAX = 4000  # Score.comment, AgreedScore.reason


# --- Field names: the forms use the same keys, so an action's error lands on its field ---------


def interest_field(bid_pk: int) -> str:
    return f"interest_{bid_pk}"


def details_field(bid_pk: int) -> str:
    return f"details_{bid_pk}"


def score_field(criterion_pk: int) -> str:
    return f"score_{criterion_pk}"


def comment_field(criterion_pk: int) -> str:
    return f"comment_{criterion_pk}"


def agreed_field(criterion_pk: int) -> str:
    return f"agreed_{criterion_pk}"


def reason_field(criterion_pk: int) -> str:
    return f"reason_{criterion_pk}"


# --- Choosing evaluators -----------------------------------------------------------------------


def _works_for(person: User, organisation_id: int) -> bool:
    return Membership.objects.filter(user=person, organisation_id=organisation_id).exists()


@transaction.atomic
def evaluator_add(*, round_: Round, by: User, email: str, role: str) -> Evaluator:
    """Choose a person with an account (found by their email address) to evaluate the round's
    bids, as a member of staff (of the commissioning organisation) or as a resident. They are
    told by email once this is saved."""
    require(rules.can_choose_evaluators(by, round_))
    if role not in EvaluatorRole.values:
        raise ValidationError({"role": _("Choose staff or resident evaluator.")})
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody has an account with this email address. Ask them to create an "
                    "account, then choose them."
                )
            }
        )
    if not person.name.strip():
        raise ValidationError(
            {
                "email": _(
                    "This person has not given their name. The register of interests is public "
                    "and names every evaluator: ask them to add their name to their account."
                )
            }
        )
    if Evaluator.objects.filter(round=round_, person=person).exists():
        raise ValidationError({"email": _("This person is already an evaluator of the round.")})
    bidders = round_.bids.exclude(status=BidStatus.WITHDRAWN).values("organisation_id")
    if Membership.objects.filter(user=person, organisation_id__in=bidders).exists():
        raise ValidationError(
            {"email": _("This person works for an organisation that is bidding in this round.")}
        )
    organisation_id = round_.activity.service.organisation_id
    if role == EvaluatorRole.STAFF and not _works_for(person, organisation_id):
        raise ValidationError(
            {
                "role": _(
                    "Only people who work for %(organisation)s can evaluate as staff. Choose "
                    "resident evaluator, or choose someone else."
                )
                % {"organisation": round_.activity.service.organisation.name}
            }
        )
    if role == EvaluatorRole.RESIDENT and _works_for(person, organisation_id):
        raise ValidationError(
            {
                "role": _(
                    "This person works for %(organisation)s: choose staff, so that the register "
                    "of interests says so."
                )
                % {"organisation": round_.activity.service.organisation.name}
            }
        )
    try:
        with transaction.atomic():
            evaluator = Evaluator.objects.create(round=round_, person=person, role=role)
    except IntegrityError:  # chosen twice at once
        raise ValidationError(
            {"email": _("This person is already an evaluator of the round.")}
        ) from None
    pk = evaluator.pk
    transaction.on_commit(lambda: send_evaluator_email.enqueue(pk))
    return evaluator


@transaction.atomic
def evaluator_remove(*, evaluator: Evaluator, by: User) -> None:
    """Take someone off the round's evaluators, before they declare anything: once they have,
    their declarations stay in the public register."""
    require(rules.can_choose_evaluators(by, evaluator.round))
    if not rules.progress(evaluator.round, evaluator)[evaluator.pk].removable:
        raise ValidationError(
            _(
                "This evaluator has declared their interests, which the public register keeps, "
                "so they cannot be removed. If they should not score, they can declare an "
                "interest in the bidders instead."
            )
        )
    evaluator.delete()


@task()
def send_evaluator_email(evaluator_id: int) -> bool:
    """Tell a person they were chosen to evaluate a round, with the link to their list of what
    to do; False when they are no longer an evaluator, or a run before this one told them
    (decision 0901). Not news: no unsubscribe link."""
    evaluator = (
        Evaluator.objects.filter(pk=evaluator_id)
        .select_related("person", "round__activity__service_stage__service__organisation")
        .first()
    )
    if evaluator is None or not evaluator.person.email:
        return False
    round_ = evaluator.round
    context = {
        "evaluator": evaluator,
        "round": round_,
        "activity": round_.activity,
        "service": round_.activity.service,
        "link": settings.SITE_URL + reverse("commissioning:evaluate", args=[round_.pk]),
        "interests_link": settings.SITE_URL + reverse("commissioning:interests", args=[round_.pk]),
    }
    return send_once(
        f"commissioning.evaluator-chosen:{evaluator.pk}",
        EmailMessage(
            subject=render_to_string(
                "commissioning/evaluation/email/chosen_subject.txt", context
            ).strip(),
            body=render_to_string("commissioning/evaluation/email/chosen_body.txt", context),
            to=[evaluator.person.email],
        ),
    )


# --- Declarations of interest ------------------------------------------------------------------


@dataclass(frozen=True)
class Interest:
    """What an evaluator declares about one bidder: an interest (described) or none."""

    conflict: bool
    details: str = ""


def _evaluator(person: Visitor, round_: Round) -> Evaluator:
    evaluator = rules.evaluator_of(person, round_)
    if evaluator is None:
        raise PermissionDenied
    return evaluator


@transaction.atomic
def declarations_save(
    *, round_: Round, person: Visitor, answers: Mapping[int, Interest]
) -> list[Declaration]:
    """The evaluator's declarations about every bidder not yet declared (bid key → Interest),
    all at once. A declaration is final: declaring again about a bidder is refused."""
    require(rules.can_declare(person, round_))
    evaluator = _evaluator(person, round_)
    declared = set(evaluator.declarations.values_list("bid_id", flat=True))
    waiting = [bid for bid in rules.submitted_bids(round_) if bid.pk not in declared]
    if not waiting:
        raise ValidationError(_("You have already declared your interests in every bidder."))
    if set(answers) - {bid.pk for bid in waiting}:
        raise ValidationError(
            _(
                "Your declarations are already recorded for some of these bidders and cannot "
                "change. Reload the page to see them."
            )
        )
    errors: dict[str, str] = {}
    for bid in waiting:
        answer = answers.get(bid.pk)
        if answer is None:
            errors[interest_field(bid.pk)] = _(
                "Say whether you have an interest in %(bidder)s."
            ) % {"bidder": bid.organisation.name}
        elif answer.conflict and not answer.details.strip():
            errors[details_field(bid.pk)] = _("Describe your interest in %(bidder)s.") % {
                "bidder": bid.organisation.name
            }
        elif len(answer.details.strip()) > DETAILS_MAX:
            errors[details_field(bid.pk)] = _(
                "Describe your interest in %(count)d characters or fewer."
            ) % {"count": DETAILS_MAX}
    if errors:
        raise ValidationError(errors)
    made = [
        Declaration(
            evaluator=evaluator,
            bid=bid,
            conflict=answers[bid.pk].conflict,
            details=answers[bid.pk].details.strip() if answers[bid.pk].conflict else "",
        )
        for bid in waiting
    ]
    try:
        with transaction.atomic():
            return Declaration.objects.bulk_create(made)
    except IntegrityError:  # the same form sent twice at once
        raise ValidationError(
            _("Your declarations were saved a moment ago. Reload the page to see them.")
        ) from None


# --- Independent scores ------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """A score on the published scale with its comment."""

    score: int
    comment: str


def _scale_errors(
    criteria: list[Criterion],
    given: Mapping[int, Given],
    *,
    score_name: Callable[[int], str],
    text_name: Callable[[int], str],
    text_required: bool,
) -> dict[str, str]:
    """Each criterion's score on the scale and its text (required, or not), by field name."""
    errors: dict[str, str] = {}
    for criterion in criteria:
        entry = given.get(criterion.pk)
        name = criterion.name
        if entry is None or not 0 <= entry.score <= SCORE_MAX:
            errors[score_name(criterion.pk)] = _(
                "Choose a score from 0 to %(top)d for “%(criterion)s”."
            ) % {"top": SCORE_MAX, "criterion": name}
            continue
        text = entry.comment.strip()
        if text_required and not text:
            errors[text_name(criterion.pk)] = _(
                "Write a comment on “%(criterion)s” that explains the score."
            ) % {"criterion": name}
        elif len(text) > COMMENT_MAX:
            errors[text_name(criterion.pk)] = _(
                "Write at most %(count)d characters about “%(criterion)s”."
            ) % {"count": COMMENT_MAX, "criterion": name}
    return errors


def scored_criteria(round_: Round) -> list[Criterion]:
    """The criteria every bid is scored on: quality, then social value, in the round's order."""
    return list(round_.criteria.all())


@transaction.atomic
def scores_save(*, bid: Bid, person: Visitor, scores: Mapping[int, Given]) -> list[Score]:
    """The evaluator's scores of a bid on every criterion (criterion key → Given), each with a
    comment. Saving again changes them, until the moderation agrees the bid's scores."""
    require(rules.can_score(person, bid))
    evaluator = _evaluator(person, bid.round)
    criteria = scored_criteria(bid.round)
    if set(scores) - {c.pk for c in criteria}:
        raise ValidationError(_("Score only this round's criteria."))
    errors = _scale_errors(
        criteria, scores, score_name=score_field, text_name=comment_field, text_required=True
    )
    if errors:
        raise ValidationError(errors)
    Bid.objects.select_for_update().filter(pk=bid.pk).first()  # one save of a bid at a time
    if bid.agreed_scores.exists():
        raise ValidationError(
            _(
                "The moderation has started agreeing this bid's scores, so your scores for it "
                "cannot change now."
            )
        )
    saved = []
    for criterion in criteria:
        entry = scores[criterion.pk]
        score, _made = Score.objects.update_or_create(
            evaluator=evaluator,
            bid=bid,
            criterion=criterion,
            defaults={"score": entry.score, "comment": entry.comment.strip()},
        )
        saved.append(score)
    return saved


def scoring_done(evaluator: Evaluator) -> bool:
    """The evaluator has declared on every bidder and scored every criterion of every bid they
    may score (those they have no interest in)."""
    return rules.progress(evaluator.round, evaluator)[evaluator.pk].done


def may_moderate_bid(user: Visitor, bid: Bid) -> bool:
    """rules.can_moderate, for a bid: not by a keeper who evaluates the round and has not
    finished their own scores (they would see the others' first) or declared an interest in
    this bidder."""
    if bid.status != BidStatus.SUBMITTED or not rules.can_moderate(user, bid.round):
        return False
    evaluator = rules.evaluator_of(user, bid.round)
    return evaluator is None or (scoring_done(evaluator) and not rules.has_conflict(evaluator, bid))


# --- Moderation: the agreed scores -------------------------------------------------------------


def scores_differ(given: list[int], agreed: int) -> bool:
    """A reason is needed unless at least one evaluator scored and every score is the agreed one."""
    return not given or any(score != agreed for score in given)


@transaction.atomic
def agreed_scores_save(*, bid: Bid, by: User, agreed: Mapping[int, Given]) -> list[AgreedScore]:
    """The moderation meeting's agreed score of a bid on every criterion (criterion key → Given,
    whose comment is the reason). The reason is required where the evaluators' scores differ
    from one another or from the agreed score, or nobody scored. Changeable until the award."""
    require(may_moderate_bid(by, bid))
    criteria = scored_criteria(bid.round)
    if set(agreed) - {c.pk for c in criteria}:
        raise ValidationError(_("Agree scores only for this round's criteria."))
    errors = _scale_errors(
        criteria, agreed, score_name=agreed_field, text_name=reason_field, text_required=False
    )
    # The bid's lock, as ``scores_save`` takes it: the agreed scores' reasons are checked against
    # the evaluators' scores as they stand, not as one of them changes them (decision 0140).
    Bid.objects.select_for_update().filter(pk=bid.pk).exists()
    given: dict[int, list[int]] = {}
    for criterion_id, score in Score.objects.filter(bid=bid).values_list("criterion_id", "score"):
        given.setdefault(criterion_id, []).append(score)
    for criterion in criteria:
        entry = agreed.get(criterion.pk)
        if reason_field(criterion.pk) in errors or agreed_field(criterion.pk) in errors:
            continue
        assert entry is not None
        if scores_differ(given.get(criterion.pk, []), entry.score) and not entry.comment.strip():
            errors[reason_field(criterion.pk)] = (
                _("Nobody scored “%(criterion)s”: give the reason for the agreed score.")
                if not given.get(criterion.pk)
                else _(
                    "The evaluators' scores for “%(criterion)s” differ from each other or from "
                    "the agreed score: give the reason."
                )
            ) % {"criterion": criterion.name}
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion in criteria:
        entry = agreed[criterion.pk]
        row, _made = AgreedScore.objects.update_or_create(
            bid=bid,
            criterion=criterion,
            defaults={"score": entry.score, "reason": entry.comment.strip(), "agreed_by": by},
        )
        saved.append(row)
    return saved
