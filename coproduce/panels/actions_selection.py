"""Every write of how a citizen panel is chosen: the invitation letters (importing the address
list, drawing addresses and their registration codes), registration, the committed seed of each
draw (decision 0047), queueing the selection, drawing replacements (decision 0048), and a selected
person confirming or dropping out.

Draws are public and re-runnable: the same addresses and seed draw the same letters, and a seed's
sha256 is in the ledger before its draw. ``by=None`` is an operator's command (no permission check).
"""

from __future__ import annotations

import csv
import io
import random
import secrets
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_algorithms.sortition import SortitionInputError
from coproduce.accounts.models import User
from coproduce.panels import ledger, queries, rules
from coproduce.panels.models import (
    ON_PANEL,
    PHASE_ORDER,
    PREFER_NOT_TO_SAY,
    Invitation,
    Panel,
    Phase,
    Registrant,
    RegistrantStatus,
    RegistrationData,
    Selection,
    SelectionStatus,
    seed_digest,
)
from coproduce.panels.pool import problem_digest, selection_problem

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from letters
CODE_LENGTH = 8
MAX_SEED = 10**18


# --- Invitations -------------------------------------------------------------------------------


def _locked_for_inviting(panel: Panel) -> Panel:
    """The panel, its row locked, while it still takes invitations: imports and draws run one at
    a time (two at once would both read the same addresses: an IntegrityError on a repeated
    property reference, or an address drawn twice; decision 0140) and the phase cannot move on
    under them."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if PHASE_ORDER.index(panel.phase) > PHASE_ORDER.index(Phase.REGISTRATION):
        raise ValidationError(_("Invitations end when registration closes."))
    return panel


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
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    panel = _locked_for_inviting(panel)
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
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    panel = _locked_for_inviting(panel)
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
    rules.require(by, by is not None and rules.can_coordinate(by, registrant.panel))
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
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
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
    rules.require(by, by is not None and rules.can_coordinate(by, selection.panel))
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
