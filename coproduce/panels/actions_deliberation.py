"""Every write of a citizen panel's deliberation: the members' workspace seats, the sessions and
their evidence papers, members' questions to the service, and recommendations with the members'
vote on them; those that pass are published through the spine (decision 0064).

``by=None`` is an operator's command (no permission check).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.common.locking import lock_for_share
from coproduce.contributions.actions import contribution_start
from coproduce.contributions.models import AuthorDisplay, Contribution, Visibility
from coproduce.panels import rules
from coproduce.panels.models import (
    ANSWER_DAYS,
    ON_PANEL,
    QUESTION,
    RECOMMENDATION,
    EvidencePaper,
    Panel,
    PanelMember,
    PanelQuestion,
    Phase,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    Registrant,
    Session,
    VotingRound,
)

# --- Deliberation: members ---------------------------------------------------------------------

MEMBER_PHASES = (Phase.SELECTION, Phase.DELIBERATION)


@transaction.atomic
def member_add(
    *, panel: Panel, by: User | None, email: str, registrant: Registrant | None = None
) -> PanelMember:
    """Give a selected person's account a seat in the workspace, linked to their registrant."""
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    if panel.phase not in MEMBER_PHASES:
        raise ValidationError(_("Members are added once the panel is selected, until it ends."))
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "No account has this email address. Ask the person to create an account "
                    "with it, then add them."
                )
            }
        )
    if panel.members.filter(user=user).exists():
        raise ValidationError({"email": _("This person is already a member of the panel.")})
    if registrant is not None:
        if registrant.panel_id != panel.pk or registrant.status not in ON_PANEL:
            raise ValidationError({"registrant": _("Choose someone selected for this panel.")})
        if PanelMember.objects.filter(registrant=registrant).exists():
            raise ValidationError(
                {"registrant": _("This selected person is already linked to a member.")}
            )
    return PanelMember.objects.create(panel=panel, user=user, registrant=registrant)


@transaction.atomic
def member_remove(*, member: PanelMember, by: User | None) -> None:
    """Take a member out of the workspace; their votes in an open vote go with them."""
    rules.require(by, by is not None and rules.can_coordinate(by, member.panel))
    member.delete()


# --- Deliberation: sessions and evidence -------------------------------------------------------

SESSION_FIELDS = ("title", "starts_at", "place", "online_link", "agenda", "speakers")


def _session_check(session: Session) -> None:
    if not session.place.strip() and not session.online_link.strip():
        raise ValidationError({"place": _("Enter the place, or a link to join online, or both.")})
    session.full_clean(exclude=["panel"])


@transaction.atomic
def session_create(*, panel: Panel, by: User | None, **fields: Any) -> Session:
    """Plan a session of the panel; members and the public see it at once."""
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    session = Session(
        panel=panel, **{name: fields[name] for name in SESSION_FIELDS if name in fields}
    )
    _session_check(session)
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, by: User | None, **fields: Any) -> Session:
    rules.require(by, by is not None and rules.can_coordinate(by, session.panel))
    for name in SESSION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    _session_check(session)
    session.save()
    return session


@transaction.atomic
def evidence_add(
    *, session: Session, by: User | None, title: str, url: str, description: str = ""
) -> EvidencePaper:
    """Add a paper the members read for a session: a link, and what it is."""
    rules.require(by, by is not None and rules.can_coordinate(by, session.panel))
    paper = EvidencePaper(
        session=session, title=title.strip(), url=url.strip(), description=description.strip()
    )
    paper.full_clean(exclude=["session"])
    paper.save()
    return paper


@transaction.atomic
def evidence_remove(*, paper: EvidencePaper, by: User | None) -> None:
    rules.require(by, by is not None and rules.can_coordinate(by, paper.session.panel))
    paper.delete()


# --- Deliberation: questions and recommendations -----------------------------------------------


@transaction.atomic
def question_ask(*, panel: Panel, by: User, text: str) -> PanelQuestion:
    """A member asks the service a question; staff answer it in public through the spine.
    Members' names are not shown with it (decision 0064)."""
    rules.require(by, rules.can_ask_question(by, panel))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")})
    contribution = contribution_start(
        activity=panel.activity,
        kind=QUESTION,
        author=by,
        author_display=AuthorDisplay.ANONYMOUS,
        text=text,
    )
    question = PanelQuestion(contribution=contribution, panel=panel, text=text)
    question.full_clean(exclude=["contribution", "panel"])
    question.save()
    return question


@transaction.atomic
def recommendation_draft(*, panel: Panel, by: User, title: str, text: str) -> Recommendation:
    """A member drafts a recommendation; the members vote on it when the next vote opens."""
    rules.require(by, rules.can_draft_recommendation(by, panel))
    recommendation = Recommendation(
        panel=panel, title=title.strip(), text=text.strip(), drafted_by=by
    )
    recommendation.full_clean(exclude=["panel", "drafted_by"])
    recommendation.save()
    return recommendation


def _require_voting_run(by: User | None, panel: Panel) -> None:
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    if panel.phase != Phase.DELIBERATION:
        raise ValidationError(_("Members vote while the panel deliberates."))


@transaction.atomic
def voting_open(*, panel: Panel, by: User | None) -> VotingRound:
    """Open the members' vote on every draft, with the panel's threshold as it is now."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _require_voting_run(by, panel)
    if panel.voting_rounds.filter(closed_at__isnull=True).exists():
        raise ValidationError(_("The vote is already open. Close it first."))
    drafts = panel.recommendations.filter(status=RecommendationStatus.DRAFT)
    if not drafts.exists():
        raise ValidationError(_("There are no draft recommendations to vote on."))
    voting_round = VotingRound.objects.create(
        panel=panel, threshold=panel.recommendation_threshold, opened_at=timezone.now()
    )
    drafts.update(status=RecommendationStatus.VOTING, voting_round=voting_round)
    return voting_round


@transaction.atomic
def vote_cast(*, recommendation: Recommendation, by: User, supports: bool) -> None:
    """Record (or change) a member's vote while the vote is open: one per member.

    Votes share a lock on the panel's row: closing the vote (which locks it) waits for those in
    progress, so each is counted and then forgotten, and one sent as the vote closes is refused
    (decision 0140)."""
    lock_for_share(Panel, recommendation.panel_id)
    recommendation = Recommendation.objects.select_related("panel").get(pk=recommendation.pk)
    rules.require(by, rules.can_vote(by, recommendation))
    member = recommendation.panel.members.get(user=by)
    RecommendationVote.objects.update_or_create(
        recommendation=recommendation, member=member, defaults={"supports": supports}
    )


def passes(support: int, against: int, threshold: int) -> bool:
    """At least ``threshold`` per cent of the votes cast support it (and someone voted)."""
    cast = support + against
    return cast > 0 and support * 100 >= threshold * cast


@transaction.atomic
def voting_close(*, panel: Panel, by: User | None) -> list[Recommendation]:
    """Close the vote: give each recommendation its totals, publish those that reach the
    threshold (they then wait for the organisation's answer) and forget who voted what."""
    panel = Panel.objects.select_for_update().select_related("activity").get(pk=panel.pk)
    _require_voting_run(by, panel)
    voting_round = panel.voting_rounds.filter(closed_at__isnull=True).first()
    if voting_round is None:
        raise ValidationError(_("The vote is not open."))
    now = timezone.now()
    members = panel.members.count()
    results = []
    for recommendation in voting_round.recommendations.order_by("created_at", "id"):
        support = recommendation.votes.filter(supports=True).count()
        against = recommendation.votes.filter(supports=False).count()
        recommendation.support_count, recommendation.against_count = support, against
        recommendation.members_count = members
        if passes(support, against, voting_round.threshold):
            recommendation.contribution = _publish(panel, recommendation)
            recommendation.status = RecommendationStatus.PUBLISHED
            recommendation.published_at = now
            recommendation.answer_due = timezone.localdate(now) + dt.timedelta(days=ANSWER_DAYS)
        else:
            recommendation.status = RecommendationStatus.NOT_PASSED
        recommendation.save()
        results.append(recommendation)
    RecommendationVote.objects.filter(recommendation__voting_round=voting_round).delete()
    voting_round.closed_at = now
    voting_round.save(update_fields=["closed_at"])
    return results


def _publish(panel: Panel, recommendation: Recommendation) -> Contribution:
    """The spine's row of a recommendation the members passed. It is the panel's (no author)
    and published at once: the members' vote, not a moderator, decided it (decision 0064)."""
    contribution = contribution_start(
        activity=panel.activity,
        kind=RECOMMENDATION,
        author=None,
        author_display=AuthorDisplay.ANONYMOUS,
    )
    if contribution.visibility != Visibility.PUBLISHED:
        contribution.visibility, contribution.held_reason = Visibility.PUBLISHED, ""
        contribution.save(update_fields=["visibility", "held_reason"])
    return contribution
