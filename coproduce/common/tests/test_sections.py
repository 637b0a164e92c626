"""Parts an upper app adds to a lower app's page (common.sections)."""

from __future__ import annotations

import pytest

from coproduce.common.sections import Sections


def test_parts_come_in_order_with_their_context_and_once_each() -> None:
    place: Sections[int] = Sections("A test page")
    place.register("first.html", lambda n: {"double": 2 * n})
    place.register("second.html")
    assert place.render_list(21) == [("first.html", {"double": 42}), ("second.html", {})]
    assert place.templates == ["first.html", "second.html"]
    with pytest.raises(ValueError, match="already has the part"):
        place.register("second.html")
