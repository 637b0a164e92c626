"""Selection: the commit-reveal seed, the task, the ledger, feasibility, replacements and the
anonymised pool export."""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from civic_algorithms.__main__ import main as civic_algorithms_main
from coproduce.accounts.tests.factories import UserFactory
from coproduce.panels import actions, actions_selection, queries, tasks
from coproduce.panels.ledger import COMMITMENT, RESULT
from coproduce.panels.models import (
    ON_PANEL,
    Registrant,
    RegistrantStatus,
    RegistrationData,
    Selection,
    SelectionStatus,
    seed_digest,
)
from coproduce.panels.pool import export_pool
from coproduce.panels.tasks import run_selection
from coproduce.panels.tests.factories import QUOTAS, PanelSetup, make_pool, small_pool
from coproduce.transparency.models import LedgerEntry
from coproduce.transparency.queries import Checked, check_ledger

pytestmark = pytest.mark.django_db


def select(setup: PanelSetup, seed: int = 42, algorithm: str = "leximin") -> Selection:
    committed = actions_selection.seed_commit(
        panel=setup.panel, by=setup.staff, seed=seed, algorithm=algorithm
    )
    actions_selection.selection_start(selection=committed, by=setup.staff)
    selection = run_selection(committed.pk)
    assert selection is not None
    return selection


def meets_quotas(setup: PanelSetup, members: list[Registrant]) -> bool:
    """Person-level check from the registration data, independent of the engine."""
    answers = [m.data.answers for m in Registrant.objects.filter(pk__in=[m.pk for m in members])]
    for category, values in QUOTAS.items():
        counts = Counter(a[category] for a in answers)
        if any(not low <= counts[value] <= high for value, low, high in values):
            return False
    return len(members) == setup.panel.size


# --- Commit-reveal -----------------------------------------------------------------------------


def test_the_seed_hash_is_published_before_the_draw_and_the_seed_only_after() -> None:
    setup, _ = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=1234)
    assert committed.seed_hash == seed_digest("1234")
    assert committed.public_seed is None
    commitment = LedgerEntry.objects.get(type=COMMITMENT)
    assert json.loads(commitment.content)["seed_sha256"] == committed.seed_hash
    assert "1234" not in commitment.content
    selection = run_selection(committed.pk)
    assert selection is not None
    assert selection.status == SelectionStatus.DONE
    assert selection.public_seed == "1234"
    assert selection.revealed_at is not None
    result = LedgerEntry.objects.get(type=RESULT)
    assert result.seq > commitment.seq
    content = json.loads(result.content)
    assert content["seed"] == "1234"
    assert content["seed_sha256"] == seed_digest("1234")
    assert isinstance(check_ledger(), Checked)


def test_a_committed_seed_cannot_be_changed() -> None:
    setup, _ = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=1)
    # The same seed again is the same commitment; any other seed or method is refused.
    assert actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed="1") == committed
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=2)
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions_selection.seed_commit(
            panel=setup.panel, by=setup.staff, seed=1, algorithm="maximin"
        )
    run_selection(committed.pk)
    with pytest.raises(ValidationError, match="already selected"):
        actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=2)
    assert Selection.objects.get().seed == "1"


def test_the_draw_refuses_a_seed_that_does_not_match_its_hash() -> None:
    setup, _ = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=1)
    Selection.objects.filter(pk=committed.pk).update(seed="2")  # behind the actions' back
    selection = run_selection(committed.pk)
    assert selection is not None
    assert selection.status == SelectionStatus.FAILED
    assert "does not match" in selection.error
    assert selection.revealed_at is None
    assert not LedgerEntry.objects.filter(type=RESULT).exists()
    assert not Registrant.objects.exclude(status=RegistrantStatus.REGISTERED).exists()


def test_bad_seeds_and_outsiders_are_refused() -> None:
    setup, _ = make_pool(small_pool())
    for seed in ("-1", "1.5", "abc", "1" * 19):
        with pytest.raises(ValidationError):
            actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=seed)
    with pytest.raises(PermissionDenied):
        actions_selection.seed_commit(panel=setup.panel, by=UserFactory(), seed=1)


# --- The task ----------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "legacy"])
def test_the_selection_meets_the_quotas_and_stores_everything(algorithm: str) -> None:
    setup, registrants = make_pool(small_pool())
    selection = select(setup, algorithm=algorithm)
    members = list(Registrant.objects.filter(pk__in=selection.members))
    assert meets_quotas(setup, members)
    assert {m.status for m in members} == {RegistrantStatus.SELECTED}
    assert set(selection.probabilities) == {str(r.pk) for r in registrants}
    assert sum(selection.probabilities.values()) == pytest.approx(setup.panel.size, abs=1e-6)
    stats = selection.statistics
    assert stats["pool_size"] == 12
    assert stats["spread"] == pytest.approx(
        stats["maximum_probability"] - stats["minimum_probability"]
    )
    assert selection.method
    assert selection.version
    assert selection.parameters["tickets"] == 1000


def test_the_task_is_safe_to_run_twice() -> None:
    setup, _ = make_pool(small_pool())
    first = select(setup)
    again = run_selection(first.pk)
    assert again is not None
    assert again.members == first.members
    assert again.finished_at == first.finished_at
    assert LedgerEntry.objects.filter(type=RESULT).count() == 1


def test_a_seed_is_not_committed_for_quotas_no_panel_meets() -> None:
    setup, _ = make_pool(small_pool())
    feature = setup.panel.categories.get(name="Area").features.get(value="North")
    actions.quota_set(feature=feature, by=setup.staff, minimum=4, maximum=4)  # with South = 2
    with pytest.raises(ValidationError, match="Area: North – at least 4 members"):
        actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=5)
    assert not Selection.objects.exists()
    assert not LedgerEntry.objects.filter(type=COMMITMENT).exists()


def test_a_pool_changed_after_the_commitment_is_not_drawn() -> None:
    setup, registrants = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=5)
    commitment = json.loads(LedgerEntry.objects.get(type=COMMITMENT).content)
    assert commitment["pool_sha256"] == committed.pool_hash
    RegistrationData.objects.filter(registrant=registrants[0]).update(
        answers={"Age": "40+", "Area": "North"}
    )
    failed = run_selection(committed.pk)
    assert failed is not None
    assert failed.status == SelectionStatus.FAILED
    assert "changed after the seed was committed" in failed.error
    # Another seed may now be committed for the new pool; both commitments stay public.
    again = select(setup, seed=6)
    assert again.status == SelectionStatus.DONE
    assert LedgerEntry.objects.filter(type=COMMITMENT).count() == 2


def test_a_failed_run_is_recomputed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    setup, _ = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=5)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the solver ran out of memory")

    with monkeypatch.context() as patched:
        patched.setattr(tasks, "engine_select", broken)
        failed = run_selection(committed.pk)
    assert failed is not None
    assert failed.status == SelectionStatus.FAILED
    assert failed.error == "the solver ran out of memory"
    assert not Registrant.objects.exclude(status=RegistrantStatus.REGISTERED).exists()
    actions_selection.selection_start(selection=failed, by=setup.staff)
    done = run_selection(committed.pk)
    assert done is not None
    assert done.status == SelectionStatus.DONE
    assert not done.error


# --- Feasibility -------------------------------------------------------------------------------


def test_feasibility_explains_quotas_the_pool_cannot_meet() -> None:
    setup, _ = make_pool(small_pool())
    assert queries.feasibility(setup.panel).feasible
    older = setup.panel.categories.get(name="Age").features.get(value="40+")
    # Four older people and at least one younger person do not fit on a panel of four.
    actions.quota_set(feature=older, by=setup.staff, minimum=4, maximum=4)
    found = queries.feasibility(setup.panel)
    assert not found.feasible
    assert found.pool_size == 12
    # small_pool(12): every third person is 40+, so 4 older and 8 younger people.
    assert set(found.conflicting) == {
        "Age: 40+ – at least 4 members (4 people in the pool)",
        "Age: 16-39 – at least 1 member (8 people in the pool)",
    }
    # Either minimum may give way by one seat; the engine picks one.
    assert len(found.suggestions) == 1
    assert found.suggestions[0] in {
        "lower the minimum of Age: 40+ from 4 to 3 members",
        "lower the minimum of Age: 16-39 from 1 to 0 members",
    }
    assert "These quotas conflict: Age: " in found.describe()


def test_feasibility_words_the_engines_conflicts_in_the_pages_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup, _ = make_pool(small_pool())
    age = setup.panel.categories.get(name="Age")
    age.name_cy = "Oed"
    age.save()
    older = age.features.get(value="40+")
    older.value_cy = "40 neu hŷn"
    older.save()
    actions.quota_set(feature=older, by=setup.staff, minimum=4, maximum=4)
    # A stand-in catalogue: every phrase of the explanation must pass through ngettext.
    monkeypatch.setattr(
        queries, "ngettext", lambda one, many, n: "(t) " + (one if n == 1 else many)
    )
    with translation.override("cy"):
        found = queries.feasibility(setup.panel)
    assert set(found.conflicting) == {
        "(t) Oed: 40 neu hŷn – at least 4 members ((t) 4 people in the pool)",
        "(t) Oed: 16-39 – at least 1 member ((t) 8 people in the pool)",
    }
    assert found.suggestions[0].startswith("(t) lower the minimum of Oed: ")
    assert not any("=" in text for text in (*found.conflicting, *found.suggestions))
    # In English, the same quotas keep their English names.
    with translation.override("en"):
        english = queries.feasibility(setup.panel)
    assert "(t) Age: 40+ – at least 4 members ((t) 4 people in the pool)" in english.conflicting


# --- Replacements ------------------------------------------------------------------------------


def test_replacements_keep_the_quotas() -> None:
    setup, _ = make_pool(small_pool(16))
    first = select(setup, seed=3)
    members = list(Registrant.objects.filter(pk__in=first.members).order_by("pk"))
    with pytest.raises(ValidationError, match="Nobody has dropped out"):
        actions_selection.replacements_commit(selection=first, by=setup.staff, seed=9)
    actions_selection.registrant_respond(registrant=members[0], by=setup.staff, confirm=True)
    for leaving in members[1:3]:
        actions_selection.registrant_respond(registrant=leaving, by=setup.staff, confirm=False)
    committed = actions_selection.replacements_commit(selection=first, by=setup.staff, seed=9)
    assert LedgerEntry.objects.filter(type=COMMITMENT, key=str(committed.pk)).exists()
    replacement = run_selection(committed.pk)
    assert replacement is not None
    assert replacement.status == SelectionStatus.DONE
    assert len(replacement.members) == 2
    assert not set(replacement.members) & {m.pk for m in members}
    panel = list(Registrant.objects.filter(panel=setup.panel, status__in=ON_PANEL))
    assert meets_quotas(setup, panel)
    assert Registrant.objects.filter(status=RegistrantStatus.REPLACEMENT).count() == 2


# --- Export and privacy ------------------------------------------------------------------------


def test_the_pool_export_re_runs_to_the_same_panel(tmp_path: Path) -> None:
    setup, _ = make_pool(small_pool(15))
    selection = select(setup, seed=20261203)
    for name, text in export_pool(setup.panel).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = civic_algorithms_main(
            [
                "sortition",
                str(tmp_path),
                "--panel-size",
                "4",
                "--seed",
                "20261203",
                "--legacy-runs",
                "0",
            ]
        )
    assert code == 0
    rerun = json.loads(out.getvalue())
    ours = queries.by_pool_id(selection)
    assert rerun["panel"] == ours["panel"]
    assert rerun["probabilities"] == pytest.approx(ours["probabilities"], abs=1e-9)


def test_categories_are_fixed_from_registration_and_quotas_from_the_draw() -> None:
    """Registrants answered the categories there were; the published pool files hold the quotas
    of the draw (decision 0120). A category added after the draw made the pool export fail."""
    setup, _ = make_pool(small_pool(15))
    with pytest.raises(ValidationError, match="before registration opens"):
        actions.category_add(panel=setup.panel, by=setup.staff, name="Tenure", values=["Own"])
    north = setup.panel.categories.get(name="Area").features.get(value="North")
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=8)
    actions.quota_set(feature=north, by=setup.staff, minimum=1, maximum=3)  # the draw will refuse
    assert run_selection(committed.pk).status == SelectionStatus.FAILED  # type: ignore[union-attr]
    selection = select(setup, seed=9)
    assert selection.status == SelectionStatus.DONE
    published = export_pool(setup.panel)
    with pytest.raises(ValidationError, match="fixed once the panel is drawn"):
        actions.quota_set(feature=north, by=setup.staff, minimum=2, maximum=2)
    with pytest.raises(ValidationError, match="fixed once the panel is drawn"):
        actions.quotas_from_population(
            category=north.category, by=setup.staff, shares={"North": 50, "South": 50}
        )
    assert export_pool(setup.panel) == published


def test_registration_data_never_reach_the_ledger_or_the_export() -> None:
    setup, _ = make_pool(small_pool())
    first = select(setup, seed=8)
    members = Registrant.objects.filter(pk__in=first.members)
    actions_selection.registrant_respond(registrant=members[0], by=setup.staff, confirm=False)
    run_selection(actions_selection.replacements_commit(selection=first, by=setup.staff, seed=1).pk)
    published = "".join(LedgerEntry.objects.values_list("content", flat=True))
    published += "".join(export_pool(setup.panel).values())
    for data in RegistrationData.objects.all():
        for private in (data.name, data.email, data.phone, *data.access_needs):
            assert private not in published


def test_feasibility_of_a_pool_smaller_than_the_panel_says_so() -> None:
    setup, _ = make_pool(small_pool(3))
    found = queries.feasibility(setup.panel)
    assert not found.feasible
    assert found.message.startswith(
        f"The pool has 3 people, fewer than the panel's {setup.panel.size} seats"
    )
    with pytest.raises(ValidationError, match="fewer than the panel"):
        actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=1)


def test_the_report_shows_how_pool_and_panel_meet_each_quota() -> None:
    setup, registrants = make_pool(small_pool())
    assert queries.probability_of(registrants[0]) is None
    selection = select(setup, seed=11)
    rows = {(row.category, row.value): row for row in queries.report_rows(selection)}
    pool = small_pool()
    for category, values in QUOTAS.items():
        for value, low, high in values:
            row = rows[(category, value)]
            assert (row.minimum, row.maximum) == (low, high)
            assert row.in_pool == sum(answers[category] == value for answers in pool)
            assert low <= row.selected <= high
        assert sum(rows[(category, v)].selected for v, _, _ in values) == setup.panel.size
    chances = [queries.probability_of(r) for r in registrants]
    assert sum(c for c in chances if c is not None) == pytest.approx(setup.panel.size)


def test_the_coordinators_button_queues_the_task_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, _ = make_pool(small_pool())
    committed = actions_selection.seed_commit(panel=setup.panel, by=setup.staff, seed=77)
    assert committed.status == SelectionStatus.COMMITTED
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = actions_selection.selection_start(selection=committed, by=setup.staff)
        assert queued.status == SelectionStatus.QUEUED
    # The draw is queued after the commit; the draw's own commit then queues the emails (0069).
    assert len(callbacks) == 2
    committed.refresh_from_db()
    assert committed.status == SelectionStatus.DONE
    assert len(committed.members) == setup.panel.size
