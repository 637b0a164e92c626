"""The opinion map drawn on the server, as shapes for an inline SVG (templates/_map_svg.html).

Each group big enough to show (rules.group_shown_in_full) is drawn as the soft outline of the
area its members fill: the convex hull the map task stored, or a round cloud when the members sit
on fewer than three distinct spots. Nobody's own position is drawn, and smaller groups are not
drawn at all: the page lists them by size. Coordinates are scaled, with one scale for both axes,
to fit a fixed viewBox, so that the picture keeps the map's proportions on any screen.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coproduce.conversations import rules

WIDTH = 640
HEIGHT = 400
MARGIN = 48  # room for the outline's soft edge and the labels
CLOUD_RADIUS = 28  # a group whose members share one or two spots

# Okabe and Ito's colours, told apart with the common kinds of colour blindness; each group also
# has its own fill pattern and a letter, so colour is never the only cue.
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
PATTERNS = ("diagonal", "dots", "cross", "horizontal", "vertical", "reverse")


def group_name(label: int) -> str:
    """A, B, C … as Polis names its groups (then A1, B1 … past Z)."""
    letter, round_ = string.ascii_uppercase[label % 26], label // 26
    return letter + (str(round_) if round_ else "")


@dataclass(frozen=True)
class GroupShape:
    """One group as drawn: its outline (``path``) or cloud (``radius``), and where its label goes."""

    label: int
    name: str
    size: int
    colour: str
    pattern: str
    path: str  # "M x y L x y … Z", empty when the group is drawn as a cloud
    radius: float  # the cloud's radius, 0 for an outline
    x: float
    y: float


@dataclass(frozen=True)
class SmallGroup:
    """A group listed by its size only."""

    label: int
    name: str
    size: int


@dataclass(frozen=True)
class MapDrawing:
    width: int
    height: int
    shapes: list[GroupShape]
    small: list[SmallGroup]


class _Scale:
    """Map coordinates to viewBox coordinates: one factor for both axes, centred, y upwards."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        xs = [x for x, _y in points] or [0.0]
        ys = [y for _x, y in points] or [0.0]
        self.mid_x = (min(xs) + max(xs)) / 2
        self.mid_y = (min(ys) + max(ys)) / 2
        span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
        room_x, room_y = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
        fits = [room / span for room, span in ((room_x, span_x), (room_y, span_y)) if span > 0]
        self.factor = min(fits) if fits else 1.0

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (
            round(WIDTH / 2 + (x - self.mid_x) * self.factor, 1),
            round(HEIGHT / 2 - (y - self.mid_y) * self.factor, 1),
        )


def _point(value: Any) -> tuple[float, float] | None:
    try:
        x, y = float(value[0]), float(value[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def _points(values: Any) -> list[tuple[float, float]]:
    return [p for v in values or [] if (p := _point(v)) is not None]


def draw_map(result: Mapping[str, Any]) -> MapDrawing:
    """The shapes of a stored map (``MapRun.result``), largest group first."""
    groups = sorted(
        result.get("groups", []), key=lambda g: (-int(g.get("size", 0)), int(g["label"]))
    )
    shown = [g for g in groups if rules.group_shown_in_full(int(g.get("size", 0)))]
    small = [
        SmallGroup(label=int(g["label"]), name=group_name(int(g["label"])), size=int(g["size"]))
        for g in groups
        if not rules.group_shown_in_full(int(g.get("size", 0)))
    ]
    everything: list[tuple[float, float]] = []
    for group in shown:
        everything.extend(_points(group.get("hull")))
        everything.extend(_points([group.get("center")]))
    scale = _Scale(everything)
    shapes = []
    for group in shown:
        label = int(group["label"])
        corners = [scale(x, y) for x, y in _points(group.get("hull"))]
        centre = _point(group.get("center"))
        if centre is not None:
            x, y = scale(*centre)
        elif corners:
            x = round(sum(c[0] for c in corners) / len(corners), 1)
            y = round(sum(c[1] for c in corners) / len(corners), 1)
        else:
            continue  # nothing to place: the tables still list the group
        outline = len(set(corners)) >= 3
        path = "M " + " L ".join(f"{cx} {cy}" for cx, cy in corners) + " Z" if outline else ""
        shapes.append(
            GroupShape(
                label=label,
                name=group_name(label),
                size=int(group["size"]),
                colour=COLOURS[label % len(COLOURS)],
                pattern=PATTERNS[label % len(PATTERNS)],
                path=path,
                radius=0 if outline else CLOUD_RADIUS,
                x=x,
                y=y,
            )
        )
    return MapDrawing(width=WIDTH, height=HEIGHT, shapes=shapes, small=small)


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart, in viewBox units, with its label and value."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


CHART_WIDTH = 640
CHART_HEIGHT = 200


def bar_chart(rows: Sequence[tuple[str, int]]) -> list[Bar]:
    """Bars for (label, value) rows, filling a CHART_WIDTH × CHART_HEIGHT viewBox; the tallest
    bar is the full height (report.html draws votes over time with them)."""
    if not rows:
        return []
    top = max(value for _label, value in rows) or 1
    slot = CHART_WIDTH / len(rows)
    gap = min(slot * 0.2, 4.0)
    bars = []
    for index, (label, value) in enumerate(rows):
        height = round(CHART_HEIGHT * value / top, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(index * slot + gap / 2, 2),
                y=round(CHART_HEIGHT - height, 1),
                width=round(max(slot - gap, 0.5), 2),
                height=height,
            )
        )
    return bars
