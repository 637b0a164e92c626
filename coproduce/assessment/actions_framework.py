"""Every write of a service's framework of standards: starting it, writing the draft version's
standards, agreeing the draft (after which it never changes) and starting the next version from
the latest agreed one (decision 0081).

Each action checks its rule (PermissionDenied), so the web pages and an API behave the same. Only
a draft is written: an agreed version is frozen, because assessments pin it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.assessment import rules
from coproduce.assessment.models import Framework, FrameworkVersion, Standard, VersionStatus
from coproduce.common.permissions import require
from coproduce.services.models import Service

UP, DOWN = "up", "down"
MAX_CO_AUTHORS = 100


def _locked(version: FrameworkVersion) -> FrameworkVersion:
    """The version read afresh and locked, so nothing is written to it while it is agreed."""
    return FrameworkVersion.objects.select_for_update().get(pk=version.pk)


def _draft(version: FrameworkVersion, by: User) -> FrameworkVersion:
    """The version, locked, when ``by`` may write it (a draft of a framework they keep)."""
    fresh = _locked(version)
    fresh.framework = version.framework  # the service and organisation, already loaded
    require(rules.can_edit_version(by, fresh))
    return fresh


# --- The framework --------------------------------------------------------------------------------


@transaction.atomic
def framework_start(*, service: Service, by: User) -> FrameworkVersion:
    """Give the service a framework, with an empty draft of its version 1."""
    require(rules.can_keep_framework(by, service))
    if Framework.objects.filter(service=service).exists():
        raise ValidationError(_("This service already has a framework of standards."))
    try:
        with transaction.atomic():
            framework = Framework.objects.create(service=service)
    except IntegrityError:  # started at the same moment by someone else
        raise ValidationError(_("This service already has a framework of standards.")) from None
    return FrameworkVersion.objects.create(framework=framework, number=1, created_by=by)


@transaction.atomic
def version_start(*, framework: Framework, by: User) -> FrameworkVersion:
    """Start the next version as a draft: a copy of the latest agreed version's standards, each
    with its lineage. Refused while the framework has a draft."""
    require(rules.can_keep_framework(by, framework.service))
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    versions = FrameworkVersion.objects.filter(framework=framework)
    draft = versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("Version %(number)d is still a draft. Agree it before you start another.")
            % {"number": draft.number}
        )
    latest = versions.filter(status=VersionStatus.AGREED).order_by("-number").first()
    number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            version = FrameworkVersion.objects.create(
                framework=framework, number=number, created_by=by
            )
    except IntegrityError:  # started at the same moment by someone else
        raise ValidationError(
            _("Someone else has just started a new version. Change that one instead.")
        ) from None
    if latest is not None:
        Standard.objects.bulk_create(
            Standard(
                version=version,
                lineage=standard.lineage,
                theme=standard.theme,
                theme_cy=standard.theme_cy,
                statement=standard.statement,
                statement_cy=standard.statement_cy,
                evidence_prompt=standard.evidence_prompt,
                evidence_prompt_cy=standard.evidence_prompt_cy,
                position=index,
            )
            for index, standard in enumerate(latest.standards.order_by("position", "id"))
        )
    return version


# --- Standards of the draft -----------------------------------------------------------------------


def _same_theme(
    version: FrameworkVersion, theme: str, but: Standard | None = None
) -> Standard | None:
    """A standard of the version already under this theme (compared without case or spaces)."""
    others = version.standards.all() if but is None else version.standards.exclude(pk=but.pk)
    key = " ".join(theme.split()).casefold()
    return next((s for s in others if " ".join(s.theme.split()).casefold() == key), None)


def _write(
    standard: Standard,
    version: FrameworkVersion,
    *,
    theme: str,
    statement: str,
    evidence_prompt: str,
    theme_cy: str,
    statement_cy: str,
    evidence_prompt_cy: str,
    existing: Standard | None = None,
) -> Standard:
    """Check and save a standard's words. A theme written as an existing one is spelt as it is
    (so they group), and takes its Welsh when none is given."""
    statement = " ".join(statement.split())
    others = (
        version.standards.all() if existing is None else version.standards.exclude(pk=existing.pk)
    )
    if statement and others.filter(statement__iexact=statement).exists():
        raise ValidationError({"statement": _("The framework already has this standard.")})
    theme = " ".join(theme.split())
    same = _same_theme(version, theme, but=existing) if theme else None
    if same is not None:
        theme = same.theme
        if not theme_cy.strip():
            theme_cy = same.theme_cy
    standard.theme, standard.theme_cy = theme, " ".join(theme_cy.split())
    standard.statement, standard.statement_cy = statement, " ".join(statement_cy.split())
    standard.evidence_prompt = evidence_prompt.strip()
    standard.evidence_prompt_cy = evidence_prompt_cy.strip()
    standard.full_clean(exclude=["version"])
    try:
        with transaction.atomic():
            standard.save()
    except IntegrityError:  # the same words saved at the same moment
        raise ValidationError(
            {"statement": _("The framework already has this standard.")}
        ) from None
    return standard


@transaction.atomic
def standard_add(
    *,
    version: FrameworkVersion,
    by: User,
    theme: str,
    statement: str,
    evidence_prompt: str = "",
    theme_cy: str = "",
    statement_cy: str = "",
    evidence_prompt_cy: str = "",
) -> Standard:
    """Add a standard to the draft, last of all, as a new lineage of the framework."""
    version = _draft(version, by)
    lineage = Standard.objects.filter(version__framework_id=version.framework_id).aggregate(
        last=Max("lineage")
    )["last"]
    position = version.standards.aggregate(last=Max("position"))["last"]
    standard = Standard(
        version=version,
        lineage=(lineage or 0) + 1,
        position=0 if position is None else position + 1,
    )
    return _write(
        standard,
        version,
        theme=theme,
        statement=statement,
        evidence_prompt=evidence_prompt,
        theme_cy=theme_cy,
        statement_cy=statement_cy,
        evidence_prompt_cy=evidence_prompt_cy,
    )


@transaction.atomic
def standard_update(
    *,
    standard: Standard,
    by: User,
    theme: str,
    statement: str,
    evidence_prompt: str = "",
    theme_cy: str = "",
    statement_cy: str = "",
    evidence_prompt_cy: str = "",
) -> Standard:
    """Change a standard of the draft. It keeps its lineage: reworded, it is still the same
    standard, and results are compared with the last assessment's."""
    version = _draft(standard.version, by)
    fresh = Standard.objects.filter(pk=standard.pk, version=version).first()
    if fresh is None:  # removed by someone else meanwhile
        raise ValidationError(_("This standard has been removed from the draft."))
    return _write(
        fresh,
        version,
        theme=theme,
        statement=statement,
        evidence_prompt=evidence_prompt,
        theme_cy=theme_cy,
        statement_cy=statement_cy,
        evidence_prompt_cy=evidence_prompt_cy,
        existing=fresh,
    )


@transaction.atomic
def standard_delete(*, standard: Standard, by: User) -> None:
    """Remove a standard from the draft (earlier versions keep theirs)."""
    _draft(standard.version, by)
    Standard.objects.filter(pk=standard.pk).delete()


@transaction.atomic
def standard_move(*, standard: Standard, by: User, direction: str) -> Standard:
    """Move a standard of the draft up or down among the standards of its theme."""
    version = _draft(standard.version, by)
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose to move the standard up or down."))
    # Number the standards 0, 1, 2 … in their order, so that two can swap places.
    ordered = sorted(version.standards.all(), key=lambda s: (s.position, s.pk))
    for index, item in enumerate(ordered):
        item.position = index
    Standard.objects.bulk_update(ordered, ["position"])
    moving = next((s for s in ordered if s.pk == standard.pk), None)
    if moving is None:  # removed by someone else meanwhile
        raise ValidationError(_("This standard has been removed from the draft."))
    same_theme = [s for s in ordered if s.theme == moving.theme]
    at = same_theme.index(moving) + (-1 if direction == UP else 1)
    if 0 <= at < len(same_theme):
        neighbour = same_theme[at]
        moving.position, neighbour.position = neighbour.position, moving.position
        Standard.objects.bulk_update([moving, neighbour], ["position"])
    return moving


# --- Agreeing the draft ---------------------------------------------------------------------------


def _co_authors(people: Iterable[User]) -> list[User]:
    chosen = list(dict.fromkeys(people))
    if len(chosen) > MAX_CO_AUTHORS:
        raise ValidationError(
            {"co_authors": _("Name at most %(count)d co-authors.") % {"count": MAX_CO_AUTHORS}}
        )
    inactive = [person for person in chosen if not person.is_active]
    if inactive:
        raise ValidationError(
            {"co_authors": _("%(email)s has closed their account.") % {"email": inactive[0].email}}
        )
    nameless = [person for person in chosen if not person.name.strip()]
    if nameless:
        raise ValidationError(
            {
                "co_authors": _(
                    "The account of %(email)s has no name, and the public page names the "
                    "co-authors. Ask them to add their name to their account, or leave them out."
                )
                % {"email": nameless[0].email}
            }
        )
    return chosen


@transaction.atomic
def version_agree(
    *,
    version: FrameworkVersion,
    by: User,
    change_note: str,
    change_note_cy: str = "",
    co_authors: Iterable[User] = (),
) -> FrameworkVersion:
    """Agree the draft with the residents who wrote it: it is published and never changes."""
    version = _draft(version, by)
    errors: dict[str, list[str]] = {}
    if not version.standards.exists():
        errors["__all__"] = [_("Add at least one standard before you agree the version.")]
    if not change_note.strip():
        errors["change_note"] = [
            _("Say how the standards were written.")
            if version.number == 1
            else _("Say what changed since the last version, and why.")
        ]
    try:
        chosen = _co_authors(co_authors)
    except ValidationError as error:
        errors.update(error.message_dict)
        chosen = []
    if errors:
        raise ValidationError(errors)
    version.change_note, version.change_note_cy = change_note.strip(), change_note_cy.strip()
    version.status = VersionStatus.AGREED
    version.agreed_by = by
    version.agreed_at = timezone.now()
    version.full_clean(exclude=["framework", "co_authors", "created_by", "agreed_by"])
    version.save()
    version.co_authors.set(chosen)
    return version
