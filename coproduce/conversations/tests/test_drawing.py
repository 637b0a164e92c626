"""The map drawing: scaled into the viewBox with one factor for both axes, small groups not drawn,
a cloud where an outline cannot be drawn; and the bars of the report's chart."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from coproduce.conversations import drawing, rules


def _group(label: int, size: int, hull: list[list[Any]], center: Any = None) -> dict[str, Any]:
    return {"label": label, "size": size, "hull": hull, "center": center, "members": []}


def _corners(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"([-\d.]+) ([-\d.]+)", path)]


def test_outlines_fit_the_view_box_and_keep_the_maps_proportions() -> None:
    wide = [[-3.0, 0.0], [3.0, 0.0], [0.0, 1.0]]
    tall = [[10.0, -1.0], [11.0, -1.0], [10.5, 0.5]]
    result = {"groups": [_group(0, 20, wide, [0.0, 0.3]), _group(1, 9, tall, [10.5, -0.5])]}

    picture = drawing.draw_map(result)

    assert [shape.name for shape in picture.shapes] == ["A", "B"]
    corners = [c for shape in picture.shapes for c in _corners(shape.path)]
    assert len(corners) == 6
    for x, y in corners:
        assert drawing.MARGIN - 0.1 <= x <= picture.width - drawing.MARGIN + 0.1
        assert drawing.MARGIN - 0.1 <= y <= picture.height - drawing.MARGIN + 0.1
    # The widest span (x: -3 to 11) fills the room across; distances keep their ratios.
    xs = [x for x, _y in corners]
    assert max(xs) - min(xs) == pytest.approx(picture.width - 2 * drawing.MARGIN, abs=0.2)
    a, b = _corners(picture.shapes[0].path)[:2]
    factor = math.dist(a, b) / 6.0
    c, d = _corners(picture.shapes[1].path)[:2]
    assert math.dist(c, d) == pytest.approx(factor * 1.0, abs=0.2)
    # Up on the map is up on the page: the higher corner has the smaller y.
    top = _corners(picture.shapes[0].path)[2]
    assert top[1] < a[1]
    assert (picture.shapes[0].x, picture.shapes[0].y) != (picture.shapes[1].x, picture.shapes[1].y)
    assert picture.shapes[0].colour != picture.shapes[1].colour
    assert picture.shapes[0].pattern != picture.shapes[1].pattern


def test_a_group_too_small_to_show_is_listed_but_never_drawn() -> None:
    small = rules.SMALLEST_GROUP_SHOWN - 1
    result = {
        "groups": [
            _group(0, 30, [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [0.3, 0.3]),
            _group(1, small, [[5.0, 5.0], [6.0, 5.0], [5.0, 6.0]], [5.3, 5.3]),
        ]
    }
    picture = drawing.draw_map(result)
    assert [shape.label for shape in picture.shapes] == [0]
    assert [(group.name, group.size) for group in picture.small] == [("B", small)]
    # The small group's corners do not even stretch the scale of the picture.
    alone = drawing.draw_map({"groups": result["groups"][:1]})
    assert alone.shapes[0].path == picture.shapes[0].path


def test_members_on_fewer_than_three_spots_make_a_cloud_at_the_centre() -> None:
    result = {
        "groups": [
            _group(0, 12, [[0.0, 0.0], [2.0, 0.0]], [1.0, 0.0]),
            _group(1, 8, [[0.0, 3.0], [2.0, 3.0], [1.0, 4.0]], [1.0, 3.3]),
        ]
    }
    cloud, outline = drawing.draw_map(result).shapes
    assert cloud.path == ""
    assert cloud.radius == drawing.CLOUD_RADIUS
    assert outline.path.startswith("M ")
    assert outline.radius == 0
    assert 0 < cloud.x < drawing.WIDTH
    assert 0 < cloud.y < drawing.HEIGHT


def test_broken_or_missing_coordinates_are_left_out_without_an_error() -> None:
    result = {
        "groups": [
            _group(0, 10, [[float("nan"), 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], None),
            _group(1, 10, [], None),
            _group(2, 10, [["x", 1]], [2.0, 2.0]),
        ]
    }
    picture = drawing.draw_map(result)
    assert [shape.label for shape in picture.shapes] == [0, 2]
    assert len(_corners(picture.shapes[0].path)) == 3
    assert picture.shapes[1].radius == drawing.CLOUD_RADIUS
    assert drawing.draw_map({}).shapes == []


@pytest.mark.parametrize(("label", "name"), [(0, "A"), (1, "B"), (25, "Z"), (26, "A1"), (53, "B2")])
def test_groups_are_named_by_letter_as_polis_names_them(label: int, name: str) -> None:
    assert drawing.group_name(label) == name


def test_the_bars_are_as_tall_as_their_share_of_the_tallest() -> None:
    bars = drawing.bar_chart([("mon", 10), ("tue", 0), ("wed", 5)])
    assert [bar.height for bar in bars] == [drawing.CHART_HEIGHT, 0, drawing.CHART_HEIGHT / 2]
    assert all(bar.y + bar.height == drawing.CHART_HEIGHT for bar in bars)
    assert bars[0].x < bars[1].x < bars[2].x
    assert bars[2].x + bars[2].width <= drawing.CHART_WIDTH
    assert drawing.bar_chart([]) == []
    assert [bar.height for bar in drawing.bar_chart([("only", 0)])] == [0]
