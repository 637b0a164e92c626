"""The results of a user assessment, worked out from plain data (decision 0082).

Data in: for one standard, each response's answer (a rating from 1 to ``scale_max``, or None for
"does not apply to me"), and the smallest number of ratings that may be reported. Data out: the
number of responses, the number of "does not apply", and, when enough people rated the standard,
how many gave each rating, each rating's share, and the share of "Always" and "Mostly" together.
With too few ratings the summary is "too few to report": it holds no count of ratings, no "does
not apply" (which would give the number of ratings away) and no distribution. The change since the
previous assessment is shown only when both have enough ratings. A bar chart per standard is
laid out here too, as coordinates for an inline SVG (the house way: outcomes/chart.py).

No Django here: the caller reads the setting and the database (queries_assessments.py).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_SCALE_MAX = 5
# "Always" and "Mostly": the ratings the positive share counts.
POSITIVE = (5, 4)


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, halves rounded up (0 for an empty whole)."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class Cell:
    """How many gave one rating, and their share of everyone who rated (whole per cent)."""

    rating: int
    count: int
    share: int


@dataclass(frozen=True)
class Summary:
    """One standard's answers, counted; the counts of ratings only when there are enough."""

    responses: int  # every answer, "does not apply" included
    reportable: bool
    rated: int | None  # None: too few to report
    does_not_apply: int | None
    cells: tuple[Cell, ...]  # highest rating first; empty when too few to report
    positive: int | None  # how many said "Always" or "Mostly"
    positive_share: int | None  # their share of everyone who rated, whole per cent

    @property
    def too_few(self) -> bool:
        return not self.reportable


def summarise(
    ratings: Iterable[int | None], *, min_responses: int, scale_max: int = DEFAULT_SCALE_MAX
) -> Summary:
    """Count one standard's answers; with fewer than ``min_responses`` ratings (not counting
    "does not apply"), say only how many answers there were."""
    counts = dict.fromkeys(range(1, scale_max + 1), 0)
    responses = does_not_apply = 0
    for rating in ratings:
        responses += 1
        if rating is None:
            does_not_apply += 1
        elif rating in counts:
            counts[rating] += 1
        else:
            raise ValueError(f"A rating must be from 1 to {scale_max}, or None: {rating!r}.")
    rated = responses - does_not_apply
    positive = sum(counts.get(rating, 0) for rating in POSITIVE)
    if rated < max(min_responses, 1):
        return Summary(
            responses=responses,
            reportable=False,
            rated=None,
            does_not_apply=None,
            cells=(),
            positive=None,
            positive_share=None,
        )
    return Summary(
        responses=responses,
        reportable=True,
        rated=rated,
        does_not_apply=does_not_apply,
        cells=tuple(
            Cell(rating=rating, count=counts[rating], share=percent(counts[rating], rated))
            for rating in range(scale_max, 0, -1)
        ),
        positive=positive,
        positive_share=percent(positive, rated),
    )


class ChangeKind(enum.StrEnum):
    """What the change column says."""

    NO_PREVIOUS = "no_previous"  # no earlier assessment of the service to compare with
    NEW = "new"  # the standard was not in the earlier assessment's version
    TOO_FEW = "too_few"  # one side (or both) has too few ratings to report
    NOT_RATED = "not_rated"  # a team's agreed answer: "does not apply" (or none yet) on one side
    SHOWN = "shown"


@dataclass(frozen=True)
class Change:
    """The change in the share of "Always" and "Mostly", in percentage points."""

    kind: ChangeKind
    points: int | None = None

    @property
    def size(self) -> int | None:
        """How many points, whichever way."""
        return abs(self.points) if self.points is not None else None


def change_since(now: Summary, before: Summary | None, *, previous_exists: bool) -> Change:
    """The change of the positive share since the previous assessment, on the same
    standard (``before`` None: it had no such standard). Shown only when both are reportable;
    the points are the difference of the two shares as shown, so the page adds up."""
    if not previous_exists:
        return Change(ChangeKind.NO_PREVIOUS)
    if before is None:
        return Change(ChangeKind.NEW)
    if now.positive_share is None or before.positive_share is None:
        return Change(ChangeKind.TOO_FEW)
    return Change(ChangeKind.SHOWN, now.positive_share - before.positive_share)


def rating_change(
    now: int | None, before: int | None, *, previous_exists: bool, in_previous: bool
) -> Change:
    """The change of a team's agreed rating (a peer review's or a self-reflection's) since its
    previous report, in points of the scale: one rating each side, so no threshold applies
    (decision 0930). None is "does not apply" or not agreed yet."""
    if not previous_exists:
        return Change(ChangeKind.NO_PREVIOUS)
    if not in_previous:
        return Change(ChangeKind.NEW)
    if now is None or before is None:
        return Change(ChangeKind.NOT_RATED)
    return Change(ChangeKind.SHOWN, now - before)


@dataclass(frozen=True)
class StandardResult:
    """A standard's summary and its change since the previous assessment, keyed as the caller likes."""

    key: int
    summary: Summary
    change: Change


def compare(
    now: Mapping[int, Iterable[int | None]],
    before: Mapping[int, Iterable[int | None]] | None,
    *,
    min_responses: int,
    scale_max: int = DEFAULT_SCALE_MAX,
) -> dict[int, StandardResult]:
    """Every standard's result: ``now`` and ``before`` map a standard's lineage to its answers
    (``before`` None: there was no previous assessment)."""
    earlier = (
        {
            key: summarise(answers, min_responses=min_responses, scale_max=scale_max)
            for key, answers in before.items()
        }
        if before is not None
        else {}
    )
    results = {}
    for key, answers in now.items():
        summary = summarise(answers, min_responses=min_responses, scale_max=scale_max)
        change = change_since(summary, earlier.get(key), previous_exists=before is not None)
        results[key] = StandardResult(key=key, summary=summary, change=change)
    return results


# --- The bar chart of one standard --------------------------------------------------------------

CHART_WIDTH = 480
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 120  # room for the rating's name, left of the bars
VALUE_WIDTH = 56  # room for the share, right of the longest bar


@dataclass(frozen=True)
class Bar:
    """A rating's bar: its name, count and share, and where it is drawn."""

    rating: int
    label: str
    count: int
    share: int
    y: float
    width: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    """A reportable standard's bars, in the coordinates of a ``width`` × ``height`` viewBox."""

    width: int
    height: int
    left: float  # where the bars start
    plot_width: float  # the length of a bar of 100 %
    bars: tuple[Bar, ...]
    bar_height: int = BAR_HEIGHT

    @property
    def label_x(self) -> float:
        """Where the ratings' names end (they are written right-aligned, left of the bars)."""
        return self.left - 8

    @property
    def value_x(self) -> float:
        """Where the shares are written, right of the longest possible bar."""
        return self.left + self.plot_width + 8


def bar_chart(
    summary: Summary, labels: Mapping[int, str], *, width: int = CHART_WIDTH
) -> BarChart | None:
    """Lay out a horizontal bar per rating, its length its share; None when too few to report
    (a chart without numbers would still show the distribution)."""
    if not summary.reportable:
        return None
    left = float(LABEL_WIDTH)
    plot_width = float(width - LABEL_WIDTH - VALUE_WIDTH)
    bars = []
    for index, cell in enumerate(summary.cells):
        y = float(BAR_GAP + index * (BAR_HEIGHT + BAR_GAP))
        bars.append(
            Bar(
                rating=cell.rating,
                label=labels.get(cell.rating, str(cell.rating)),
                count=cell.count,
                share=cell.share,
                y=y,
                width=round(plot_width * cell.share / 100, 2),
                text_y=y + BAR_HEIGHT / 2,
            )
        )
    height = BAR_GAP + len(bars) * (BAR_HEIGHT + BAR_GAP)
    return BarChart(width=width, height=height, left=left, plot_width=plot_width, bars=tuple(bars))
