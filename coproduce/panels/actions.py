"""Writes of citizen panels: set-up and quotas, invitations, registration, the committed seed,
selections and replacements. ``by=None`` is an operator's command (no permission check)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_algorithms.sortition import SortitionInputError
from coproduce.accounts.models import User
from coproduce.contributions.actions import contribution_start
from coproduce.contributions.models import AuthorDisplay, Contribution, Visibility
from coproduce.panels import ledger, queries, rules
from coproduce.panels.models import (
    ANSWER_DAYS,
    ON_PANEL,
    PHASE_ORDER,
    PREFER_NOT_TO_SAY,
    QUESTION,
    RECOMMENDATION,
    Category,
    EvidencePaper,
    Feature,
    Invitation,
    Panel,
    PanelMember,
    PanelQuestion,
    Phase,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    Registrant,
    RegistrantStatus,
    RegistrationData,
    Selection,
    SelectionStatus,
    Session,
    VotingRound,
    seed_digest,
)
from coproduce.panels.pool import problem_digest, selection_problem
from coproduce.panels.quotas import quotas_from_shares
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_manage_activity

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from letters
CODE_LENGTH = 8
MAX_SEED = 10**18
SHARE_PLACES = Decimal("0.000001")


def _require(by: User | None, allowed: bool) -> None:
    if by is not None and not allowed:
        raise PermissionDenied


# --- Set-up ------------------------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *, activity: Activity, by: User | None, question: str, size: int, **fields: Any
) -> Panel:
    """Make a citizen-panel activity a real panel, in its set-up phase."""
    if activity.kind != ActivityKind.CITIZEN_PANEL:
        raise ValidationError(_("Only a citizen-panel activity can have a panel."))
    _require(by, by is not None and can_manage_activity(by, activity))
    if Panel.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity already has a panel."))
    panel = Panel(activity=activity, question=question, size=size, **fields)
    panel.full_clean(exclude=["activity"])
    panel.save()
    return panel


@transaction.atomic
def category_add(
    *,
    panel: Panel,
    by: User | None,
    name: str,
    values: Sequence[str],
    allow_prefer_not_to_say: bool = False,
) -> Category:
    """Add a quota question with its answers; each answer starts at 0 to the panel size."""
    _require(by, by is not None and rules.can_coordinate(by, panel))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the category.")})
    if panel.categories.filter(name=name).exists():
        raise ValidationError({"name": _("This panel already has a category with this name.")})
    cleaned = [value.strip() for value in values if value.strip()]
    if not cleaned or len(set(cleaned)) != len(cleaned):
        raise ValidationError({"values": _("Give the category its answers, each once.")})
    category = Category.objects.create(
        panel=panel,
        name=name,
        position=panel.categories.count(),
        allow_prefer_not_to_say=allow_prefer_not_to_say,
    )
    Feature.objects.bulk_create(
        Feature(category=category, value=value, position=n, minimum=0, maximum=panel.size)
        for n, value in enumerate(cleaned)
    )
    return category


@transaction.atomic
def quota_set(*, feature: Feature, by: User | None, minimum: int, maximum: int) -> Feature:
    _require(by, by is not None and rules.can_coordinate(by, feature.category.panel))
    if not 0 <= minimum <= maximum:
        raise ValidationError(_("The fewest members must be between 0 and the most members."))
    feature.minimum, feature.maximum = minimum, maximum
    feature.save(update_fields=["minimum", "maximum"])
    return feature


@transaction.atomic
def quotas_from_population(
    *, category: Category, by: User | None, shares: Mapping[str, Decimal | int | str]
) -> list[Feature]:
    """Store each answer's share of the population and set its quota from it (decision 0045)."""
    panel = category.panel
    _require(by, by is not None and rules.can_coordinate(by, panel))
    features = {feature.value: feature for feature in category.features.all()}
    unknown = sorted(set(shares) - set(features))
    if unknown:
        raise ValidationError(
            _("%(category)s has no answer %(values)s.")
            % {"category": category.name, "values": ", ".join(unknown)}
        )
    try:
        seats = quotas_from_shares(shares, panel.size)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    total = sum((Decimal(str(share)) for share in shares.values()), Decimal(0))
    changed = []
    for value, (minimum, maximum) in seats.items():
        feature = features[value]
        # Stored as a share of 1 (percentages are scaled), to six places.
        feature.population_share = (Decimal(str(shares[value])) / total).quantize(SHARE_PLACES)
        feature.minimum, feature.maximum = minimum, maximum
        changed.append(feature)
    Feature.objects.bulk_update(changed, ["population_share", "minimum", "maximum"])
    return changed


@transaction.atomic
def panel_update(*, panel: Panel, by: User, **fields: Any) -> Panel:
    """Change the panel's settings; its size only until the selection phase (decision 0062)."""
    _require(by, rules.can_coordinate(by, panel))
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if fields.get("size", panel.size) != panel.size and not rules.size_may_change(panel):
        raise ValidationError({"size": _("The size is fixed once the selection starts.")})
    for name, value in fields.items():
        setattr(panel, name, value)
    panel.full_clean(exclude=["activity"])
    panel.save(update_fields=list(fields))
    return panel


@transaction.atomic
def phase_set(*, panel: Panel, by: User | None, phase: str) -> Panel:
    """Move the panel one phase on; closing schedules the deletion of registration data."""
    _require(by, by is not None and rules.can_coordinate(by, panel))
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if phase not in PHASE_ORDER or PHASE_ORDER.index(phase) != PHASE_ORDER.index(panel.phase) + 1:
        raise ValidationError(_("A panel moves one phase at a time, forward."))
    panel.phase = phase
    panel.save(update_fields=["phase"])
    if phase == Phase.CLOSED:
        delete_after = timezone.localdate() + dt.timedelta(days=panel.retention_days)
        RegistrationData.objects.filter(registrant__panel=panel).update(delete_after=delete_after)
    return panel


def registration_data_purge(*, today: dt.date | None = None) -> int:
    """Delete the registration data (special-category answers, contact details, access needs)
    whose time is up: ``delete_after`` is set when a panel closes (its retention days on). The
    registrants stay, under their pool ids, so the published selection can still be checked.
    Returns how many were deleted. Run daily by ``manage.py retention_enforce``."""
    due = RegistrationData.objects.filter(delete_after__lte=today or timezone.localdate())
    deleted, _by_model = due.delete()
    return deleted


# --- Invitations -------------------------------------------------------------------------------


def _require_inviting(panel: Panel) -> None:
    if PHASE_ORDER.index(panel.phase) > PHASE_ORDER.index(Phase.REGISTRATION):
        raise ValidationError(_("Invitations end when registration closes."))


def _address_rows(text: str, source: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("property_reference", "postcode") if name not in header]
    if missing or not any(name.startswith("address") for name in header):
        raise ValidationError(
            _(
                "%(source)s, line 1: the columns must include property_reference, postcode and "
                "at least one address column (address_line_1, …)."
            )
            % {"source": source}
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        cells = {key: (value or "").strip() for key, value in row.items() if key is not None}
        if any(cells.values()):
            rows.append((reader.line_num, cells))
    return rows


@transaction.atomic
def invitations_import(*, panel: Panel, by: User | None, text: str, source: str) -> int:
    """Add the addresses of a CSV address list; all or nothing, errors name their line."""
    _require(by, by is not None and rules.can_coordinate(by, panel))
    _require_inviting(panel)
    rows = _address_rows(text, source)
    known = set(panel.invitations.values_list("property_reference", flat=True))
    errors: list[str] = []
    seen: dict[str, int] = {}
    invitations = []
    for line, cells in rows:
        reference, postcode = cells["property_reference"], cells["postcode"].upper()
        lines = [v for k, v in sorted(cells.items()) if k.startswith("address") and v]
        problem = None
        if not reference:
            problem = _("the property reference is empty")
        elif len(reference) > 40:
            problem = _("the property reference is longer than 40 characters")
        elif reference in seen:
            problem = _("the property reference %(ref)s is also on line %(line)s") % {
                "ref": reference,
                "line": seen[reference],
            }
        elif reference in known:
            problem = _("the property reference %(ref)s was imported before") % {"ref": reference}
        elif not lines:
            problem = _("the address is empty")
        elif not postcode or len(postcode) > 10:
            problem = _("the postcode is missing or too long")
        if problem:
            errors.append(
                _("%(source)s, line %(line)s: %(problem)s.")
                % {"source": source, "line": line, "problem": problem}
            )
            continue
        seen[reference] = line
        invitations.append(
            Invitation(
                panel=panel,
                property_reference=reference,
                address_lines=lines,
                postcode=postcode,
                area=cells.get("area", "")[:100],
            )
        )
    if errors:
        raise ValidationError(errors)
    Invitation.objects.bulk_create(invitations)
    return len(invitations)


def _allocate(sizes: Mapping[str, int], count: int) -> dict[str, int]:
    """Seats per stratum in proportion to its size, largest remainders first (ties by name)."""
    total = sum(sizes.values())
    exact = {name: size * count / total for name, size in sizes.items()}
    seats = {name: int(x) for name, x in exact.items()}
    order = sorted(sizes, key=lambda name: (-(exact[name] - seats[name]), name))
    for name in order[: count - sum(seats.values())]:
        seats[name] += 1
    return seats


def _new_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        batch = {
            "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))
            for _code in range(count - len(codes))
        }
        taken = set(
            Invitation.objects.filter(registration_code__in=batch).values_list(
                "registration_code", flat=True
            )
        )
        codes |= batch - taken
    return sorted(codes)


@transaction.atomic
def invitations_draw(
    *, panel: Panel, by: User | None, count: int, seed: int, stratify: bool = False
) -> list[Invitation]:
    """Draw ``count`` addresses not drawn before, with ``seed``; give each a registration code.

    The same addresses and seed draw the same sample. Stratified, each area (or postcode
    district where an address has no area) gets seats in proportion to its addresses.
    """
    _require(by, by is not None and rules.can_coordinate(by, panel))
    _require_inviting(panel)
    candidates = list(panel.invitations.filter(drawn=False).order_by("property_reference"))
    if not 0 < count <= len(candidates):
        raise ValidationError(_("Draw between 1 and %(n)s addresses.") % {"n": len(candidates)})
    generator = random.Random(seed)  # noqa: S311  # a public, re-runnable draw, not a secret
    if stratify:
        strata: dict[str, list[Invitation]] = {}
        for invitation in candidates:
            strata.setdefault(invitation.area or invitation.postcode_district, []).append(
                invitation
            )
        seats = _allocate({name: len(group) for name, group in strata.items()}, count)
        drawn = [
            invitation
            for name in sorted(strata)
            for invitation in generator.sample(strata[name], seats[name])
        ]
    else:
        drawn = generator.sample(candidates, count)
    drawn.sort(key=lambda invitation: invitation.property_reference)
    for invitation, code in zip(drawn, _new_codes(len(drawn)), strict=True):
        invitation.drawn, invitation.registration_code = True, code
    Invitation.objects.bulk_update(drawn, ["drawn", "registration_code"])
    return drawn


# --- Registration ------------------------------------------------------------------------------


def _check_answers(panel: Panel, answers: Mapping[str, str]) -> dict[str, str]:
    cleaned = {}
    for category in panel.categories.prefetch_related("features"):
        allowed = [feature.value for feature in category.features.all()]
        if category.allow_prefer_not_to_say:
            allowed.append(PREFER_NOT_TO_SAY)
        answer = answers.get(category.name, "")
        if answer not in allowed:
            raise ValidationError({category.name: _("Choose one of the answers.")})
        cleaned[category.name] = answer
    return cleaned


@transaction.atomic
def registrant_register(
    *,
    panel: Panel,
    answers: Mapping[str, str],
    name: str,
    email: str,
    code: str = "",
    phone: str = "",
    availability: str = "",
    access_needs: Sequence[str] = (),
    access_notes: str = "",
    consent: bool,
) -> Registrant:
    """Register someone for the panel, with a letter's code or (when allowed) without."""
    if panel.phase != Phase.REGISTRATION:
        raise ValidationError(_("Registration for this panel is not open."))
    if not consent:
        raise ValidationError({"consent": _("Say that you agree to how we use your answers.")})
    code = code.strip().upper()
    if code:
        if not panel.invitations.filter(registration_code=code, drawn=True).exists():
            raise ValidationError({"code": _("This code is not right. Check your letter.")})
    elif not panel.allow_volunteers:
        raise ValidationError({"code": _("Enter the registration code from your letter.")})
    cleaned = _check_answers(panel, answers)
    try:
        with transaction.atomic():
            registrant = Registrant.objects.create(
                panel=panel, external_id=secrets.token_hex(8), registration_code=code or None
            )
    except IntegrityError:
        raise ValidationError(
            {"code": _("Someone has already registered with this code.")}
        ) from None
    registrant.external_id = f"R{registrant.pk}"
    registrant.save(update_fields=["external_id"])
    data = RegistrationData(
        registrant=registrant,
        answers=cleaned,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        availability=availability,
        access_needs=list(access_needs),
        access_notes=access_notes,
        consented_at=timezone.now(),
    )
    data.full_clean(exclude=["registrant"])
    data.save()
    return registrant


@transaction.atomic
def registrant_respond(*, registrant: Registrant, by: User | None, confirm: bool) -> Registrant:
    """A selected person confirms they will take part, or drops out (recorded by a coordinator)."""
    _require(by, by is not None and rules.can_coordinate(by, registrant.panel))
    if registrant.status not in (
        RegistrantStatus.SELECTED,
        RegistrantStatus.REPLACEMENT,
        RegistrantStatus.CONFIRMED,
    ):
        raise ValidationError(_("Only people selected for the panel can confirm or drop out."))
    registrant.status = RegistrantStatus.CONFIRMED if confirm else RegistrantStatus.DECLINED
    registrant.save(update_fields=["status"])
    return registrant


# --- Selection ---------------------------------------------------------------------------------


def seed_text(seed: int | str) -> str:
    """The seed as the engine reads it (decimal, no leading zeros), or a ValidationError."""
    text = str(seed).strip()
    if not text.isdigit() or int(text) >= MAX_SEED:
        raise ValidationError({"seed": _("The seed must be a whole number from 0 to 18 digits.")})
    return str(int(text))


@transaction.atomic
def seed_commit(
    *,
    panel: Panel,
    by: User | None,
    seed: int | str,
    algorithm: str = "leximin",
    replaces: Selection | None = None,
) -> Selection:
    """Commit the seed of the next draw: its sha256 is published in the ledger now, the seed
    itself only when the draw is done (decision 0047).

    The pool and quotas are frozen with it (their sha256 is in the commitment) and must allow
    a panel. A committed seed never changes: committing again before the draw returns the same
    selection for the same seed and refuses any other. After a failed draw a new seed may be
    committed; every commitment stays in the ledger.
    """
    _require(by, by is not None and rules.can_coordinate(by, panel))
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.phase != Phase.SELECTION:
        raise ValidationError(_("Move the panel to its selection phase first."))
    text = seed_text(seed)
    existing = panel.selections.filter(
        replaces=replaces,
        status__in=[SelectionStatus.COMMITTED, SelectionStatus.QUEUED, SelectionStatus.RUNNING],
    ).first()
    if existing is not None:
        if existing.seed_hash != seed_digest(text) or existing.algorithm != algorithm:
            raise ValidationError(
                _(
                    "A seed is already committed for this draw and its hash is published; "
                    "it cannot be changed. Run the draw with it."
                )
            )
        return existing
    if (
        replaces is None
        and panel.selections.filter(replaces=None, status=SelectionStatus.DONE).exists()
    ):
        raise ValidationError(_("This panel is already selected; draw replacements instead."))
    try:
        problem = selection_problem(panel, replacements=replaces is not None)[0]
    except SortitionInputError as error:
        raise ValidationError(str(error)) from error
    found = queries.problem_feasibility(problem)
    if not found.feasible:
        raise ValidationError(found.describe())
    selection = Selection(
        panel=panel,
        replaces=replaces,
        algorithm=algorithm,
        seed=text,
        seed_hash=seed_digest(text),
        pool_hash=problem_digest(problem),
        committed_at=timezone.now(),
        requested_by=by,
    )
    selection.full_clean(exclude=["panel", "replaces", "requested_by"])
    selection.save()
    ledger.record_commitment(selection)
    return selection


@transaction.atomic
def selection_start(*, selection: Selection, by: User | None) -> Selection:
    """Queue the draw of a committed selection (the coordinator's button and ``panel_select``)."""
    _require(by, by is not None and rules.can_coordinate(by, selection.panel))
    selection = Selection.objects.select_for_update().get(pk=selection.pk)
    if selection.status in (SelectionStatus.COMMITTED, SelectionStatus.FAILED):
        selection.status = SelectionStatus.QUEUED
        selection.save(update_fields=["status"])
        from coproduce.panels.tasks import select_panel

        pk = selection.pk
        transaction.on_commit(lambda: select_panel.enqueue(pk))
    return selection


@transaction.atomic
def replacements_commit(*, selection: Selection, by: User | None, seed: int | str) -> Selection:
    """Commit the seed of a draw of replacements for the people who dropped out (decision 0048)."""
    if selection.replaces is not None or selection.status != SelectionStatus.DONE:
        raise ValidationError(_("Replacements are drawn for a finished first selection."))
    if selection.panel.registrants.filter(status__in=ON_PANEL).count() >= selection.panel.size:
        raise ValidationError(_("Nobody has dropped out, so there is nobody to replace."))
    return seed_commit(
        panel=selection.panel,
        by=by,
        seed=seed,
        algorithm=selection.algorithm,
        replaces=selection,
    )


# --- Deliberation: members ---------------------------------------------------------------------

MEMBER_PHASES = (Phase.SELECTION, Phase.DELIBERATION)


@transaction.atomic
def member_add(
    *, panel: Panel, by: User | None, email: str, registrant: Registrant | None = None
) -> PanelMember:
    """Give a selected person's account a seat in the workspace, linked to their registrant."""
    _require(by, by is not None and rules.can_coordinate(by, panel))
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
    _require(by, by is not None and rules.can_coordinate(by, member.panel))
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
    _require(by, by is not None and rules.can_coordinate(by, panel))
    session = Session(
        panel=panel, **{name: fields[name] for name in SESSION_FIELDS if name in fields}
    )
    _session_check(session)
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, by: User | None, **fields: Any) -> Session:
    _require(by, by is not None and rules.can_coordinate(by, session.panel))
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
    _require(by, by is not None and rules.can_coordinate(by, session.panel))
    paper = EvidencePaper(
        session=session, title=title.strip(), url=url.strip(), description=description.strip()
    )
    paper.full_clean(exclude=["session"])
    paper.save()
    return paper


@transaction.atomic
def evidence_remove(*, paper: EvidencePaper, by: User | None) -> None:
    _require(by, by is not None and rules.can_coordinate(by, paper.session.panel))
    paper.delete()


# --- Deliberation: questions and recommendations -----------------------------------------------


@transaction.atomic
def question_ask(*, panel: Panel, by: User, text: str) -> PanelQuestion:
    """A member asks the service a question; staff answer it in public through the spine.
    Members' names are not shown with it (decision 0064)."""
    _require(by, rules.can_ask_question(by, panel))
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
    _require(by, rules.can_draft_recommendation(by, panel))
    recommendation = Recommendation(
        panel=panel, title=title.strip(), text=text.strip(), drafted_by=by
    )
    recommendation.full_clean(exclude=["panel", "drafted_by"])
    recommendation.save()
    return recommendation


def _require_voting_run(by: User | None, panel: Panel) -> None:
    _require(by, by is not None and rules.can_coordinate(by, panel))
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
    """Record (or change) a member's vote while the vote is open: one per member."""
    recommendation = Recommendation.objects.select_related("panel").get(pk=recommendation.pk)
    _require(by, rules.can_vote(by, recommendation))
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
