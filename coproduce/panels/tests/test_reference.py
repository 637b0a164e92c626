"""Every pool in ../shared/data/sortition through ``panel_import_pool`` and ``panel_select``: the
reference LEXIMIN probabilities (sortition-algorithms' expected.json, or the research code's
curve where expected.json has none), a panel meeting every quota, and the same panel from
``python -m civic_algorithms sortition`` on the original files and on the exported pool."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from civic_algorithms.__main__ import main as civic_algorithms_main
from civic_algorithms.sortition import read_problem
from coproduce.panels.models import Panel
from coproduce.panels.pool import export_pool
from coproduce.services.tests.factories import ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.reference_files]

INSTANCES = ("sf_scotland_22", "example_small_20", "geneva_30", "example_large_200")
SEED = 20261203


def panel_size(name: str) -> int:
    """The panel size is the number at the end of the folder name."""
    return int(name.rsplit("_", 1)[1])


def command(*args: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def cli(folder: Path, size: int) -> dict[str, Any]:
    """The engine's own command line on a folder, with the seed of the test."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = civic_algorithms_main(
            [
                "sortition",
                str(folder),
                "--panel-size",
                str(size),
                "--seed",
                str(SEED),
                "--legacy-runs",
                "0",
            ]
        )
    assert code == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def reference_probabilities(folder: Path) -> dict[str, float] | None:
    results = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["results"]
    if "leximin" not in results:
        return None
    probabilities: dict[str, float] = results["leximin"]["probabilities"]
    return probabilities


def research_curve(folder: Path) -> np.ndarray:
    """Sorted per-person LEXIMIN probabilities of the original research code."""
    lines = (folder / "reference_prob_allocs_data.csv").read_text().splitlines()[1:]
    return np.sort([float(ln.split(",")[2]) for ln in lines if ln.split(",")[0] == "LexiMin"])


@pytest.mark.parametrize("name", INSTANCES)
def test_every_shared_pool_selects_with_the_reference_probabilities(
    shared_data: Path, tmp_path: Path, name: str
) -> None:
    folder = shared_data / "sortition" / name
    size = panel_size(name)
    service = ServiceFactory()
    activity_id = int(
        command("panel_import_pool", str(folder), "--service", service.slug, "--panel-size", size)
    )
    printed = json.loads(
        command("panel_select", activity_id, "--algorithm", "leximin", "--seed", str(SEED))
    )
    ours: dict[str, float] = printed["probabilities"]
    assert printed["seed"] == str(SEED)
    assert printed["algorithm"] == "leximin"

    reference = reference_probabilities(folder)
    if reference is not None:
        assert set(ours) == set(reference)
        worst = max(reference, key=lambda pid: abs(ours[pid] - reference[pid]))
        assert abs(ours[worst] - reference[worst]) <= 1e-4, worst
    else:  # expected.json has no LEXIMIN entry: the research code's curve is the reference
        curve = research_curve(folder)
        assert np.abs(np.sort(list(ours.values())) - curve).max() <= 1e-4

    # The panel meets every quota of the original files, read by the engine's reader.
    problem = read_problem(folder, size)
    people = {person.id: person for person in problem.people}
    panel = printed["panel"]
    assert len(set(panel)) == len(panel) == size
    for quota in problem.quotas:
        count = sum(people[pid].features[quota.feature] == quota.value for pid in panel)
        assert quota.min <= count <= quota.max, quota.label

    # The engine's command line gives the same panel, from the original files and from the
    # anonymised pool the platform exports.
    assert cli(folder, size)["panel"] == panel
    for file_name, text in export_pool(Panel.objects.get(pk=activity_id)).items():
        (tmp_path / file_name).write_text(text, encoding="utf-8")
    assert cli(tmp_path, size)["panel"] == panel
