"""The map task: incremental runs agree with full ones, and a run is safe to repeat."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from civic_algorithms.opinion import OpinionEngine
from coproduce.conversations import actions, tasks
from coproduce.conversations.models import Conversation, MapRun, MapStatus, Vote
from coproduce.conversations.polis_io import import_polis
from coproduce.conversations.tests.factories import make_conversation, make_participant
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_cache() -> None:
    tasks.forget()


def _import(shared_data: Path, name: str) -> Conversation:
    return import_polis(shared_data / "polis" / name, service=ServiceFactory())


def _matrix(conversation: Conversation) -> set[tuple[int, int, int]]:
    return set(
        Vote.objects.filter(conversation=conversation).values_list(
            "participant_id", "statement_id", "value"
        )
    )


def _engine_matrix(engine: OpinionEngine) -> set[tuple[int, int, int]]:
    result = engine.analyse(seed=0)
    # Rebuild (participant, statement, vote) from the engine's own counts of what it holds.
    assert result.n_votes == engine.n_votes
    view = engine._store.view()
    rows = view.rows()
    return {
        (int(view.participant_ids[r]), int(view.statement_ids[c]), int(v))
        for r, c, v in zip(rows, view.cols, view.values, strict=True)
    }


def test_an_incremental_run_gives_the_same_map_as_a_full_run(shared_data: Path) -> None:
    conversation = _import(shared_data, "brexit-consensus")
    votes = Vote.objects.filter(conversation=conversation).order_by("updated_at", "pk")
    everything = list(votes)
    later = everything[int(len(everything) * 0.8) :]
    Vote.objects.filter(pk__in=[v.pk for v in later]).delete()
    first = tasks.run_map(conversation.pk)
    assert first is not None
    assert first.status == MapStatus.DONE

    # New votes arrive after the first map, and some earlier votes change.
    now = timezone.now()
    for number, vote in enumerate(later):
        vote.pk = None
        vote.created_at = vote.updated_at = now + dt.timedelta(milliseconds=number)
    Vote.objects.bulk_create(later)
    changed = everything[: len(everything) // 10 : 7]
    for vote in changed:
        Vote.objects.filter(pk=vote.pk).update(
            value=-vote.value if vote.value else 1, updated_at=now + dt.timedelta(seconds=1)
        )

    incremental = tasks.run_map(conversation.pk)
    with tasks._LOCK:
        held = _engine_matrix(tasks._CACHE[conversation.pk].engine)
    # A worker that starts cold after the first map (a restart) reloads every vote and the first
    # map's history, and must reach the same map as the worker that held the engine.
    MapRun.objects.filter(pk=incremental.pk).delete()  # type: ignore[union-attr]
    tasks.forget(conversation.pk)
    full = tasks.run_map(conversation.pk)
    assert incremental is not None
    assert full is not None
    assert held == _matrix(conversation)
    assert incremental.vote_count == full.vote_count == len(everything)
    assert incremental.result == full.result


def test_a_run_twice_stores_the_same_map_and_counts_each_vote_once(shared_data: Path) -> None:
    conversation = _import(shared_data, "london.youth.policing")
    once = tasks.run_map(conversation.pk)
    twice = tasks.run_map(conversation.pk)
    assert once is not None
    assert twice is not None
    assert once.pk != twice.pk
    assert once.status == twice.status == MapStatus.DONE
    assert twice.vote_count == Vote.objects.filter(conversation=conversation).count()
    # The same map; only the count of updates in a row with the same best k goes on.
    assert {**once.result, "smoother": None} == {**twice.result, "smoother": None}
    assert once.method
    assert once.version
    assert once.parameters["min_votes"] == 7
    result = once.result
    assert sum(group["size"] for group in result["groups"]) == len(result["group_of"])
    for group in result["groups"]:
        assert all(result["group_of"][str(pk)] == group["label"] for pk in group["members"])
    statements = set(conversation.statements.values_list("pk", flat=True))
    assert set(result["priorities"]) <= statements
    assert {item["statement_id"] for item in result["divisive"]} <= statements


def test_a_failed_run_records_its_error_and_the_next_run_recovers(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = _import(shared_data, "london.youth.policing")

    def broken(self: OpinionEngine, *, seed: int = 0) -> None:
        raise RuntimeError("out of memory")

    with monkeypatch.context() as patch:
        patch.setattr(OpinionEngine, "analyse", broken)
        failed = tasks.run_map(conversation.pk)
    assert failed is not None
    assert failed.status == MapStatus.FAILED
    assert "out of memory" in failed.error
    assert tasks.run_map(conversation.pk).status == MapStatus.DONE  # type: ignore[union-attr]


def test_a_run_whose_worker_was_killed_is_marked_failed_by_the_next_run(
    settings: Any,
) -> None:
    settings.COPRODUCE_TASK_TIMEOUT = 600
    conversation = make_conversation().conversation
    now = timezone.now()
    lost = MapRun.objects.create(
        conversation=conversation,
        status=MapStatus.RUNNING,
        started_at=now - dt.timedelta(seconds=601),
    )
    busy = MapRun.objects.create(  # another worker's run, still within the timeout
        conversation=conversation,
        status=MapStatus.RUNNING,
        started_at=now - dt.timedelta(seconds=30),
    )
    run = tasks.run_map(conversation.pk)
    assert run is not None
    assert run.status == MapStatus.DONE
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.status == MapStatus.FAILED
    assert lost.error == tasks.LOST_RUN
    assert lost.finished_at is not None
    assert busy.status == MapStatus.RUNNING


def test_vote_times_become_engine_timestamps_exactly() -> None:
    setup = make_conversation(seeds=1)
    statement = setup.statements[0]
    changed, untimed = (make_participant(setup.conversation) for _ in range(2))
    moment = dt.datetime(2017, 7, 17, 2, 17, 32, 930000, tzinfo=dt.UTC)
    later = moment + dt.timedelta(seconds=1)
    for participant in (changed, untimed):
        actions.vote_cast(participant=participant, statement=statement, value=1)
    Vote.objects.filter(participant=changed).update(created_at=moment, updated_at=later)
    Vote.objects.filter(participant=untimed).update(value=0, created_at=None, updated_at=None)

    first, timed = tasks.vote_tables(setup.conversation, None)

    assert first.timestamps is None
    assert first.participant_ids.tolist() == [untimed.pk]
    assert first.votes.tolist() == [0]
    # A changed vote goes in twice: first at its first time, then at its latest, to the
    # microsecond as the database holds them.
    micros = calendar.timegm(moment.timetuple()) * 1_000_000 + moment.microsecond
    assert timed.timestamps is not None
    assert timed.timestamps.tolist() == [micros, micros + 1_000_000]
    assert timed.participant_ids.tolist() == [changed.pk, changed.pk]
    assert tasks.vote_tables(setup.conversation, later + dt.timedelta(seconds=1)) == []


def test_a_group_hull_holds_every_point_of_the_group() -> None:
    points = np.random.default_rng(5).normal(size=(200, 2))
    hull = tasks._hull(points)
    assert 3 <= len(hull) < 200
    for (ax, ay), (bx, by) in zip(hull, hull[1:] + hull[:1], strict=True):
        # Counter-clockwise: every point on the left of (or on) every edge.
        cross = (bx - ax) * (points[:, 1] - ay) - (by - ay) * (points[:, 0] - ax)
        assert (cross >= -1e-5).all()
    assert tasks._hull(points[:2]) == [list(p) for p in sorted(map(tuple, points[:2].round(6)))]
