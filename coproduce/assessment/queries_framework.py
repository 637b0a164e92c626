"""Reads of a service's framework of standards: its versions, a version's standards by theme with
what changed since the previous agreed version, the parts of the service pages, and the loaders
that find a page's subject or 404 (decision 0081)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from coproduce.assessment import rules
from coproduce.assessment.models import (
    SCALE,
    Framework,
    FrameworkVersion,
    Standard,
    VersionStatus,
)
from coproduce.common.languages import (
    Shown,
    field_labels,
    in_language,
    missing_fields,
    missing_query,
)
from coproduce.services.models import Service
from coproduce.services.pages import Untranslated

PATH = "framework__service__organisation"
NEW, CHANGED = "new", "changed"
# What a standard is compared on to say that it changed (its words, in both languages).
WORDS = (
    "theme",
    "theme_cy",
    "statement",
    "statement_cy",
    "evidence_prompt",
    "evidence_prompt_cy",
)


# --- Loaders --------------------------------------------------------------------------------------


def visible_version(request: HttpRequest, pk: int) -> FrameworkVersion:
    """A version of a framework whose service the visitor may see, or 404. Whether they may see
    a draft is the page's rule."""
    version = get_object_or_404(FrameworkVersion.objects.select_related(PATH), pk=pk)
    if not rules.can_view_framework(request.user, version.framework.service):
        raise Http404
    return version


def visible_standard(request: HttpRequest, pk: int) -> Standard:
    standard = get_object_or_404(Standard.objects.select_related("version__" + PATH), pk=pk)
    if not rules.can_view_framework(request.user, standard.version.framework.service):
        raise Http404
    return standard


# --- Versions -------------------------------------------------------------------------------------


def framework_of(service: Service) -> Framework | None:
    return Framework.objects.filter(service=service).first()


def versions_of(service: Service) -> QuerySet[FrameworkVersion]:
    """Every version of the service's framework, newest first, with its number of standards."""
    return (
        FrameworkVersion.objects.filter(framework__service=service)
        .annotate(standard_count=Count("standards"))
        .order_by("-number")
    )


def agreed_versions(service: Service) -> QuerySet[FrameworkVersion]:
    """The versions an assessment may rate against: the agreed ones, newest first."""
    return versions_of(service).filter(status=VersionStatus.AGREED)


def latest_agreed(service: Service) -> FrameworkVersion | None:
    return agreed_versions(service).prefetch_related("co_authors").first()


def draft_of(service: Service) -> FrameworkVersion | None:
    return versions_of(service).filter(status=VersionStatus.DRAFT).first()


def previous_agreed(version: FrameworkVersion) -> FrameworkVersion | None:
    """The agreed version before this one, which it is compared with."""
    return (
        FrameworkVersion.objects.filter(
            framework_id=version.framework_id,
            status=VersionStatus.AGREED,
            number__lt=version.number,
        )
        .order_by("-number")
        .first()
    )


def co_author_names(version: FrameworkVersion) -> list[str]:
    """The names the public page gives the residents who wrote the version (never emails)."""
    return sorted(
        (person.name.strip() for person in version.co_authors.all() if person.name.strip()),
        key=str.casefold,
    )


# --- A version's standards ------------------------------------------------------------------------


def display_order(standards: Iterable[Standard]) -> list[Standard]:
    """Standards as pages show them: by theme, themes in the order of their first standard,
    each theme's standards by position."""
    ordered = sorted(standards, key=lambda s: (s.position, s.pk or 0))
    first: dict[str, int] = {}
    for index, standard in enumerate(ordered):
        first.setdefault(standard.theme, index)
    return sorted(ordered, key=lambda s: first[s.theme])


@dataclass(frozen=True)
class Line:
    """A standard as a page lists it: its number on the page (across themes), whether it is new
    or changed since the previous agreed version, and whether it can move up or down."""

    number: int
    standard: Standard
    change: str = ""
    can_move_up: bool = False
    can_move_down: bool = False


@dataclass(frozen=True)
class Theme:
    name: Shown
    lines: list[Line]


@dataclass(frozen=True)
class Standards:
    """A version's standards by theme, and how they differ from the previous agreed version."""

    themes: list[Theme]
    count: int
    previous: FrameworkVersion | None
    added: int = 0
    changed: int = 0
    removed: list[Standard] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _change(standard: Standard, before: dict[int, Standard], compared: bool) -> str:
    if not compared:
        return ""
    old = before.get(standard.lineage)
    if old is None:
        return NEW
    if any(getattr(old, name) != getattr(standard, name) for name in WORDS):
        return CHANGED
    return ""


def standards_of(version: FrameworkVersion) -> Standards:
    """The version's standards grouped by theme, numbered 1, 2, 3 … down the page."""
    ordered = display_order(version.standards.all())
    previous = previous_agreed(version)
    before = {s.lineage: s for s in previous.standards.all()} if previous else {}
    lineages = {s.lineage for s in ordered}
    groups: dict[str, list[Standard]] = {}
    for standard in ordered:
        groups.setdefault(standard.theme, []).append(standard)
    themes, number = [], 0
    for members in groups.values():
        lines = []
        for index, standard in enumerate(members):
            number += 1
            lines.append(
                Line(
                    number=number,
                    standard=standard,
                    change=_change(standard, before, previous is not None),
                    can_move_up=index > 0,
                    can_move_down=index < len(members) - 1,
                )
            )
        themes.append(Theme(name=in_language(members[0], "theme"), lines=lines))
    all_lines = [line for theme in themes for line in theme.lines]
    return Standards(
        themes=themes,
        count=len(ordered),
        previous=previous,
        added=sum(line.change == NEW for line in all_lines),
        changed=sum(line.change == CHANGED for line in all_lines),
        removed=[s for s in display_order(before.values()) if s.lineage not in lineages],
    )


def snapshot(version: FrameworkVersion) -> str:
    """A short fingerprint of the version's standards, to tell whether they changed while the
    page that agrees them was open."""
    rows = [
        [s.pk, s.position, *(getattr(s, name) for name in WORDS)]
        for s in version.standards.order_by("pk")
    ]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:32]


def scale_labels() -> list[str]:
    """The rating scale in words, best first (decision 0081; "does not apply" is apart)."""
    return [str(label) for _value, label in SCALE]


# --- Parts of the service pages -------------------------------------------------------------------


def service_summary(service: Service) -> dict[str, object]:
    """The standards' link on the service page (nothing until a version is agreed)."""
    return {"standards_version": agreed_versions(service).first()}


def staff_summary(service: Service) -> dict[str, object]:
    """Where the framework stands, for the link on the staff service page."""
    return {
        "has_framework": Framework.objects.filter(service=service).exists(),
        "standards_version": agreed_versions(service).first(),
        "standards_draft": draft_of(service),
    }


# --- What has no Welsh yet ------------------------------------------------------------------------


def standards_without_welsh(service: Service) -> QuerySet[Standard]:
    """Standards of the draft and of the latest agreed version with English and no Welsh."""
    latest = agreed_versions(service).values_list("pk", flat=True)[:1]
    return (
        Standard.objects.filter(version__framework__service=service)
        .filter(Q(version__status=VersionStatus.DRAFT) | Q(version__in=list(latest)))
        .filter(missing_query(Standard))
        .select_related("version__" + PATH)
        .order_by("-version__number", "position", "id")
    )


def untranslated_standard(standard: Standard) -> Untranslated:
    """A standard without Welsh: a draft's is written on its page; an agreed one's in a new
    version (agreed versions never change)."""
    version = standard.version
    if version.status == VersionStatus.DRAFT:
        url = reverse("assessment:standard_edit", kwargs={"pk": standard.pk})
    else:
        url = reverse(
            "assessment:manage_framework", kwargs={"slug": version.framework.service.slug}
        )
    return Untranslated(
        what=gettext("Standard"),
        name=in_language(standard, "statement"),
        missing=field_labels(Standard, missing_fields(standard)),
        url=url,
        where=gettext("Version %(number)d of the standards") % {"number": version.number},
    )
