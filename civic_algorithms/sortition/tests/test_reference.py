"""LEXIMIN against the reference answers in ../shared/data/sortition (peer and research code)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from civic_algorithms.sortition import find_distribution
from civic_algorithms.sortition.groups import build_groups
from civic_algorithms.sortition.legacy import estimate
from civic_algorithms.sortition.stats import geometric_mean, gini
from civic_algorithms.sortition.tests import shared


@pytest.mark.parametrize("name", shared.WITH_LEXIMIN_REFERENCE)
def test_leximin_marginals_equal_sortition_algorithms(shared_data: Path, name: str) -> None:
    folder = shared_data / "sortition" / name
    ours = shared.leximin(folder).probabilities
    reference = shared.expected(folder)["leximin"]["probabilities"]
    assert set(ours) == set(reference)
    errors = {pid: abs(ours[pid] - reference[pid]) for pid in reference}
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] <= 1e-4, f"{worst}: ours {ours[worst]}, reference {reference[worst]}"


def test_example_large_equals_the_research_leximin_curve(shared_data: Path) -> None:
    # expected.json has no LEXIMIN entry here (the peer's Gurobi licence refuses the model), so
    # the reference is the original research code's per-person curve.
    folder = shared_data / "sortition" / "example_large_200"
    ours = np.sort(shared.leximin(folder).vector())
    reference = shared.reference_curve(folder, "LexiMin")
    assert ours.shape == reference.shape == (2000,)
    assert np.abs(ours - reference).max() <= 1e-4


@pytest.mark.parametrize("name", shared.WITH_STATISTICS)
def test_leximin_statistics_equal_the_published_ones(shared_data: Path, name: str) -> None:
    folder = shared_data / "sortition" / name
    published = shared.reference_statistics(folder)
    vector = shared.leximin(folder).vector()
    half_a_rounding_step = 0.0005 + 1e-9  # published to 0.1 percentage points
    minimum = shared.percent(published["LEXIMIN minimum probability (exact)"])
    assert abs(vector.min() - minimum) <= half_a_rounding_step
    assert abs(gini(vector) - shared.percent(published["gini coefficient of LEXIMIN"])) <= (
        half_a_rounding_step
    )
    geo = shared.percent(published["geometric mean of LEXIMIN"])
    assert abs(geometric_mean(vector) - geo) <= half_a_rounding_step


@pytest.mark.parametrize("name", shared.INSTANCES)
def test_leximin_is_a_distribution_over_valid_panels(shared_data: Path, name: str) -> None:
    folder = shared_data / "sortition" / name
    distribution = shared.leximin(folder)
    groups, mixture = distribution.groups, distribution.mixture
    assert mixture is not None
    assert all(groups.is_panel(panel) for panel in mixture.compositions)
    assert mixture.weights.min() > 0
    assert mixture.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert distribution.vector().sum() == pytest.approx(shared.panel_size(name), abs=1e-6)
    assert distribution.committees == mixture.support


@pytest.mark.parametrize("name", ["sf_scotland_22", "example_small_20", "example_large_200"])
def test_maximin_reaches_the_leximin_minimum(shared_data: Path, name: str) -> None:
    folder = shared_data / "sortition" / name
    maximin = find_distribution(shared.problem(folder), "maximin")
    assert maximin.vector().min() == pytest.approx(shared.leximin(folder).vector().min(), abs=1e-7)
    assert maximin.vector().sum() == pytest.approx(shared.panel_size(name), abs=1e-6)
    reference = shared.expected(folder).get("maximin")
    if reference is not None:
        assert maximin.vector().min() == pytest.approx(
            min(reference["probabilities"].values()), abs=1e-5
        )


@pytest.mark.parametrize("name", ["example_small_20", "geneva_30"])
def test_legacy_estimate_follows_the_research_curve(shared_data: Path, name: str) -> None:
    folder = shared_data / "sortition" / name
    groups = build_groups(shared.problem(folder))
    ours = np.sort(estimate(groups, runs=3000, seed=11).probabilities[groups.group_of_person])
    reference = shared.reference_curve(folder, "Legacy")
    quantiles = [0.0, 0.1, 0.5, 0.9]
    assert np.abs(np.quantile(ours, quantiles) - np.quantile(reference, quantiles)).max() <= 0.01
    assert ours.sum() == pytest.approx(shared.panel_size(name))
