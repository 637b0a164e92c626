"""Reads of peer reviews: the objects pages are about, the team and where each assessor stands, an
assessor's own saved ratings, and the team's ratings side by side with how far they agree
(decision 0083)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from coproduce.accounts.types import Visitor
from coproduce.assessment import rules
from coproduce.assessment.actions_assessments import Answer
from coproduce.assessment.agreement import Agreement, agreement
from coproduce.assessment.models import Assessment, Assessor, AssessorRating, Standard
from coproduce.assessment.queries_assessments import Theme, by_theme, scale_labels, standards_of
from coproduce.services.models import ActivityKind

# --- The objects pages are about (404 for what the visitor may not see) --------------------------


def _may_see(user: Visitor, assessment: Assessment) -> bool:
    """The review is public as its activity is; its team sees it whatever the activity's state."""
    return rules.can_view_assessment(user, assessment) or (
        rules.assessor_of(user, assessment) is not None
    )


def peer_assessment(request: HttpRequest, pk: int) -> Assessment:
    """The assessment of a peer review the visitor may see, else 404."""
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "activity__service_stage__service__organisation", "version"
        ),
        pk=pk,
        activity__kind=ActivityKind.PEER_REVIEW,
    )
    if not _may_see(request.user, assessment):
        raise Http404
    return assessment


def visible_assessor(request: HttpRequest, pk: int) -> Assessor:
    """A member of a peer review's team, when the visitor may see the review, else 404."""
    assessor = get_object_or_404(
        Assessor.objects.select_related(
            "person",
            "assessment__activity__service_stage__service__organisation",
            "assessment__version",
        ),
        pk=pk,
        assessment__activity__kind=ActivityKind.PEER_REVIEW,
    )
    if not _may_see(request.user, assessor.assessment):
        raise Http404
    return assessor


# --- The team -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of the team as its page lists them: the standards they have rated so far."""

    assessor: Assessor
    number: int  # "Assessor 1", in the order they joined the team
    rated: int

    @property
    def handed_in(self) -> bool:
        return self.assessor.submitted_at is not None


def _numbers(assessment: Assessment) -> dict[int, int]:
    """Each assessor's number, in the order they joined the team (it stays when the lead changes)."""
    ids = assessment.assessors.order_by("added_at", "pk").values_list("pk", flat=True)
    return {pk: number for number, pk in enumerate(ids, 1)}


def team(assessment: Assessment) -> list[Member]:
    """The team, lead first, with each member's number and how many standards they have rated."""
    numbers = _numbers(assessment)
    counts: dict[int, int] = {}
    for assessor_id in AssessorRating.objects.filter(assessor__assessment=assessment).values_list(
        "assessor_id", flat=True
    ):
        counts[assessor_id] = counts.get(assessor_id, 0) + 1
    return [
        Member(assessor=assessor, number=numbers[assessor.pk], rated=counts.get(assessor.pk, 0))
        for assessor in assessment.assessors.select_related("person")
    ]


def own_ratings(assessor: Assessor) -> dict[int, Answer]:
    """An assessor's saved ratings: standard key → (rating or None, evidence)."""
    return {
        standard_id: (rating, evidence)
        for standard_id, rating, evidence in assessor.ratings.values_list(
            "standard_id", "rating", "evidence"
        )
    }


# --- The team's ratings side by side ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """An assessor who has handed in: named only for staff; otherwise their number and group."""

    number: int
    from_group: str
    is_lead: bool
    name: str  # empty unless the page is for the service's staff
    is_you: bool


@dataclass(frozen=True)
class Cell:
    """One assessor's rating of one standard, with their evidence."""

    number: int  # the assessor's
    rating: int | None
    label: str  # "Mostly (4)", or "Does not apply"
    evidence: str


@dataclass(frozen=True)
class Spread:
    """The lowest and highest of a standard's ratings, and how many said it does not apply."""

    lowest: int | None
    highest: int | None
    rated: int  # how many rated it ("does not apply" left out)
    does_not_apply: int

    @property
    def all_agree(self) -> bool:
        return self.rated >= 2 and self.lowest == self.highest

    @property
    def wide(self) -> bool:
        """Two or more points apart: a standard to talk through before agreeing the report."""
        return (
            self.lowest is not None and self.highest is not None and self.highest - self.lowest >= 2
        )


@dataclass(frozen=True)
class StandardRow:
    standard: Standard
    number: int  # in the order the page shows the standards
    cells: list[Cell]  # one per column
    spread: Spread


@dataclass(frozen=True)
class TeamRatings:
    columns: list[Column]
    themes: list[Theme]  # of StandardRow
    agreement: Agreement
    team_size: int

    @property
    def percent(self) -> int | None:
        """The percentage agreement as a whole number of per cent."""
        share = self.agreement.percent
        return None if share is None else round(share * 100)


def team_ratings(assessment: Assessment, user: Visitor, *, names: bool = False) -> TeamRatings:
    """Each standard (by theme, numbered) with every handed-in assessor's rating and evidence, the
    spread, and the agreement across all standards (agreement.py). The visitor's own column is
    marked; assessors' names are given only with ``names`` (for the service's staff)."""
    numbers = _numbers(assessment)
    handed_in = list(
        assessment.assessors.filter(submitted_at__isnull=False)
        .select_related("person")
        .order_by("added_at", "pk")
    )
    columns = [
        Column(
            number=numbers[assessor.pk],
            from_group=assessor.from_group,
            is_lead=assessor.is_lead,
            name=str(assessor.person) if names else "",
            is_you=user.is_authenticated and assessor.person_id == user.pk,
        )
        for assessor in handed_in
    ]
    given: dict[tuple[int, int], tuple[int | None, str]] = {
        (assessor_id, standard_id): (rating, evidence)
        for assessor_id, standard_id, rating, evidence in AssessorRating.objects.filter(
            assessor__in=handed_in
        ).values_list("assessor_id", "standard_id", "rating", "evidence")
    }
    labels = scale_labels()
    standards = standards_of(assessment.version)
    themes = by_theme(standards)
    rows_by_theme = []
    units: list[list[int | None]] = []
    number = 0
    for theme in themes:
        rows = []
        for standard in theme.items:
            number += 1
            cells = []
            for assessor in handed_in:
                rating, evidence = given.get((assessor.pk, standard.pk), (None, ""))
                label = (
                    _("%(label)s (%(value)s)") % {"label": labels[rating], "value": rating}
                    if rating is not None
                    else _("Does not apply")
                )
                cells.append(
                    Cell(number=numbers[assessor.pk], rating=rating, label=label, evidence=evidence)
                )
            values = [cell.rating for cell in cells]
            units.append(values)
            rated = [value for value in values if value is not None]
            spread = Spread(
                lowest=min(rated, default=None),
                highest=max(rated, default=None),
                rated=len(rated),
                does_not_apply=len(values) - len(rated),
            )
            rows.append(StandardRow(standard=standard, number=number, cells=cells, spread=spread))
        rows_by_theme.append(Theme(name=theme.name, items=rows))
    return TeamRatings(
        columns=columns,
        themes=rows_by_theme,
        agreement=agreement(units, level="ordinal"),
        team_size=len(numbers),
    )
