"""``panel_import_pool`` and ``panel_select`` on small hand-made pools: ids kept, errors named,
a second run with the same seed gives the same result and another seed is refused."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coproduce.panels.models import Panel, Phase, Registrant
from coproduce.services.models import ActivityKind
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

CATEGORIES = "category,feature,min,max\nage,young,1,2\nage,old,1,2\narea,n,1,2\narea,s,1,2\n"


def command(*args: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def pool_folder(folder: Path, respondents: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "categories.csv").write_text(CATEGORIES, encoding="utf-8")
    (folder / "respondents.csv").write_text(respondents, encoding="utf-8")
    return folder


def imported(folder: Path, size: int = 3) -> int:
    service = ServiceFactory()
    return int(
        command("panel_import_pool", str(folder), "--service", service.slug, "--panel-size", size)
    )


ROWS = ["young,n", "young,s", "old,n", "old,s", "young,n", "old,s", "young,s", "old,n"]


def test_import_keeps_the_id_column_or_numbers_the_rows(tmp_path: Path) -> None:
    with_ids = pool_folder(
        tmp_path / "a",
        "person,age,area\n" + "".join(f"P{n},{row}\n" for n, row in enumerate(ROWS)),
    )
    panel = Panel.objects.get(pk=imported(with_ids))
    assert panel.activity.kind == ActivityKind.CITIZEN_PANEL
    assert panel.phase == Phase.SELECTION
    assert panel.size == 3
    assert list(panel.registrants.values_list("external_id", flat=True)) == [
        f"P{n}" for n in range(8)
    ]
    without = pool_folder(tmp_path / "b", "age,area\n" + "".join(f"{row}\n" for row in ROWS))
    panel = Panel.objects.get(pk=imported(without))
    registrants = list(panel.registrants.order_by("pk"))
    assert [r.external_id for r in registrants] == [str(n) for n in range(8)]
    assert registrants[2].data.answers == {"age": "old", "area": "n"}


def test_bad_pool_files_name_the_file_and_line_and_import_nothing(tmp_path: Path) -> None:
    folder = pool_folder(tmp_path, "age,area\nyoung,n\nmiddle,s\nold,n\n")
    with pytest.raises(CommandError, match=r"respondents\.csv.*line 3.*'middle'"):
        imported(folder)
    assert not Panel.objects.exists()
    assert not Registrant.objects.exists()
    with pytest.raises(CommandError, match="No service"):
        command("panel_import_pool", str(folder), "--service", "nowhere", "--panel-size", "3")


def test_select_prints_the_panel_and_repeats_only_the_same_draw(tmp_path: Path) -> None:
    folder = pool_folder(tmp_path, "age,area\n" + "".join(f"{row}\n" for row in ROWS))
    activity_id = imported(folder)
    first = json.loads(command("panel_select", activity_id, "--seed", "0042"))
    assert first["seed"] == "42"
    assert len(first["panel"]) == 3
    assert set(first["probabilities"]) == {str(n) for n in range(8)}
    assert sum(first["probabilities"].values()) == pytest.approx(3)
    again = json.loads(command("panel_select", activity_id, "--seed", "42"))
    assert again == first
    with pytest.raises(CommandError, match="already selected"):
        command("panel_select", activity_id, "--seed", "43")
    with pytest.raises(CommandError, match="whole number"):
        command("panel_select", activity_id, "--seed", "-1")
    with pytest.raises(CommandError, match="no citizen panel"):
        command("panel_select", activity_id + 1000, "--seed", "1")
