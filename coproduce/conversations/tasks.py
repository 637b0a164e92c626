"""Background jobs: computing a conversation's opinion map (after votes, and ``conversation_map``).

The votes are read with ``values_list`` into numpy arrays (no model instances), their times as
microseconds counted by the database (no datetime objects). Each worker
process keeps an ``OpinionEngine`` per conversation with the time up to which it has read the
votes, and feeds it only the votes created or changed since (decision 0042): the engine keeps the
latest vote per participant and statement by its time, so a changed vote replaces the old one.
A cold cache, a changed ``Conversation.data_version`` (a visitor's votes claimed) or a new
conversation under a reused id loads everything again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, Func
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django_tasks import task

from civic_algorithms.opinion import METHOD, VERSION, OpinionEngine, OpinionMap, VoteTable
from civic_algorithms.opinion.clusters import KSmoother
from coproduce.contributions.models import Visibility
from coproduce.conversations.models import (
    Conversation,
    MapRun,
    MapStatus,
    Participant,
    Statement,
    Vote,
)

logger = logging.getLogger(__name__)

DIVISIVE_MAX = 5
READ_CHUNK = 100_000


def catch_up_seconds() -> int:
    """How far back each incremental read looks again, for votes whose transaction committed
    after the previous read began (re-reading a vote is harmless: the engine keeps one)."""
    return int(getattr(settings, "COPRODUCE_MAP_CATCHUP_SECONDS", 60))


@dataclass
class _Cached:
    engine: OpinionEngine
    identity: tuple[int, dt.datetime, int]  # conversation pk, activity created_at, data_version
    read_from: dt.datetime  # the next read takes votes changed at or after this time


_CACHE: dict[int, _Cached] = {}
_LOCK = threading.Lock()


def forget(conversation_id: int | None = None) -> None:
    """Drop the engine held for one conversation (or for all): the next run loads everything."""
    with _LOCK:
        if conversation_id is None:
            _CACHE.clear()
        else:
            _CACHE.pop(conversation_id, None)


Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class EpochMicros(Func):
    """A time as whole microseconds since 1970, computed by the database: reading millions of
    votes, making a datetime of each in Python costs more than the whole analysis."""

    arity = 1
    output_field = BigIntegerField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) * 1000000 AS bigint)"

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        """SQLite holds times as UTC text, ``YYYY-MM-DD HH:MM:SS[.ffffff]``."""
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) * 1000000"
                " + CAST(substr(%(expressions)s, 21, 6) AS INTEGER))"
            ),
            **extra,
        )


def _columns(rows: Sequence[tuple[float | None, ...]]) -> Columns:
    """Rows of (participant, statement, value, created, updated), times in microseconds since
    1970 or None, as five arrays (times NaN where unknown)."""
    table = np.array(rows, dtype=np.float64).reshape(len(rows), 5)
    return (
        table[:, 0].astype(np.int64),
        table[:, 1].astype(np.int64),
        table[:, 2].astype(np.int8),
        table[:, 3].copy(),
        table[:, 4].copy(),
    )


def _batches(columns: Columns) -> list[VoteTable]:
    participants, statements, values, created, updated = columns
    created = np.where(np.isnan(created), updated, created)
    untimed = np.isnan(updated)
    timed = ~untimed
    earlier = timed & (created < updated)
    batches = []
    if untimed.any():
        batches.append(
            VoteTable.from_arrays(participants[untimed], statements[untimed], values[untimed])
        )
    if timed.any():
        batches.append(
            VoteTable.from_arrays(
                np.concatenate([participants[earlier], participants[timed]]),
                np.concatenate([statements[earlier], statements[timed]]),
                np.concatenate([values[earlier], values[timed]]),
                np.concatenate([created[earlier], updated[timed]]),
            )
        )
    return batches


def vote_tables(conversation: Conversation, since: dt.datetime | None) -> list[VoteTable]:
    """The conversation's votes changed since a time (all of them: None) as the engine's batches,
    read in chunks into arrays so that millions of votes never sit in memory as Python objects:
    the votes without a time (imported from a Polis matrix) first, then those with one. A changed
    vote also goes in once at its first time (superseded at once by the later row), so that the
    participant's arrival time is their first vote, as when the engine read the export."""
    votes = Vote.objects.filter(conversation=conversation)
    if since is not None:
        votes = votes.filter(updated_at__gte=since)
    rows = (
        votes.annotate(created=EpochMicros("created_at"), updated=EpochMicros("updated_at"))
        .values_list("participant_id", "statement_id", "value", "created", "updated")
        .iterator(chunk_size=READ_CHUNK)
    )
    parts = []
    while chunk := list(itertools.islice(rows, READ_CHUNK)):
        parts.append(_columns(chunk))
    if not parts:
        return []
    joined = [np.concatenate([part[i] for part in parts]) for i in range(5)]
    return _batches((joined[0], joined[1], joined[2], joined[3], joined[4]))


def _feed(engine: OpinionEngine, conversation: Conversation, since: dt.datetime | None) -> None:
    """Give the engine the participants who arrived and the votes changed since a time."""
    people = Participant.objects.filter(conversation=conversation)
    if since is not None:
        people = people.filter(created_at__gte=since)
    engine.add_participants(people.values_list("pk", flat=True))
    for batch in vote_tables(conversation, since):
        engine.add_votes(batch)


def _moderation(conversation: Conversation) -> tuple[list[int], list[int]]:
    """Statements moderated out (rejected: hidden) and meta statements, for the engine."""
    statements = Statement.objects.filter(conversation=conversation)
    hidden = statements.filter(contribution__visibility=Visibility.HIDDEN)
    return (
        list(hidden.values_list("pk", flat=True)),
        list(statements.filter(is_meta=True).values_list("pk", flat=True)),
    )


def engine_for(conversation: Conversation) -> OpinionEngine:
    """The conversation's engine with every vote in the database fed to it (incrementally when
    this process already holds it). Call with ``_LOCK`` held."""
    identity = (conversation.pk, conversation.activity.created_at, conversation.data_version)
    cached = _CACHE.get(conversation.pk)
    started = timezone.now()
    if cached is None or cached.identity != identity:
        engine = _engine_with_history(conversation)
        _feed(engine, conversation, None)
    else:
        engine = cached.engine
        _feed(engine, conversation, cached.read_from - dt.timedelta(seconds=catch_up_seconds()))
    _CACHE[conversation.pk] = _Cached(engine=engine, identity=identity, read_from=started)
    hidden, meta = _moderation(conversation)
    engine.set_moderation(moderated_out=hidden, meta=meta)
    return engine


def _engine_with_history(conversation: Conversation) -> OpinionEngine:
    """A new engine that remembers what the last map decided, as Polis does between updates:
    who counted (once in, always in) and the damping of the number of groups (decision 0042)."""
    last = (
        MapRun.objects.filter(conversation=conversation, status=MapStatus.DONE)
        .order_by("-finished_at", "-pk")
        .only("result")
        .first()
    )
    if last is None:
        return OpinionEngine()
    smoother = last.result.get("smoother")
    return OpinionEngine(
        keep_participant_ids=[int(pk) for pk in last.result["group_of"]],
        smoother=KSmoother(**smoother) if smoother else None,
    )


def _hull(points: np.ndarray) -> list[list[float]]:
    """The convex hull of a group's points (monotone chain), for drawing the group as an area."""
    unique = sorted({(round(float(x), 6), round(float(y), 6)) for x, y in points})
    if len(unique) <= 2:
        return [list(p) for p in unique]

    def half(sequence: list[tuple[float, float]]) -> list[tuple[float, float]]:
        chain: list[tuple[float, float]] = []
        for p in sequence:
            while len(chain) >= 2:
                (ax, ay), (bx, by) = chain[-2], chain[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0:
                    break
                chain.pop()
            chain.append(p)
        return chain[:-1]

    return [list(p) for p in half(unique) + half(unique[::-1])]


def map_json(result: OpinionMap, smoother: KSmoother) -> dict[str, Any]:
    """What the pages need from an opinion map, as JSON (ids are participant and statement pks),
    with the engine's group-count smoother for the next run."""
    clustered = result.clustered
    groups = []
    for group in result.groups:
        members = result.group_labels == group.label
        groups.append(
            {
                "label": group.label,
                "size": group.size,
                "center": [group.center[0], group.center[1]],
                "hull": _hull(result.coordinates[members & clustered]),
                "members": [int(pk) for pk in group.participant_ids],
            }
        )
    visible = result.visible_statements()
    order = np.flatnonzero(visible)[np.argsort(-result.extremity[visible], kind="stable")]
    return {
        "groups": groups,
        "group_of": {str(pk): label for pk, label in result.group_of().items()},
        "representative": {
            str(label): [_plain(asdict(item)) for item in items]
            for label, items in result.representative.items()
        },
        "consensus": {
            "agree": [_plain(asdict(item)) for item in result.consensus_agree],
            "disagree": [_plain(asdict(item)) for item in result.consensus_disagree],
        },
        "divisive": [
            {"statement_id": int(result.statement_ids[i]), "extremity": float(result.extremity[i])}
            for i in order[:DIVISIVE_MAX]
        ],
        "priorities": [int(pk) for pk, _score in result.priority_ranking()],
        "silhouettes": {str(k): float(v) for k, v in result.silhouettes.items()},
        "in_conversation": int(clustered.sum()),
        "smoother": asdict(smoother),
    }


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    """numpy scalars to plain JSON values."""
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in item.items()}


LOST_RUN = "Its worker stopped before it finished; the map was computed again by a later run."


def _claim_run(conversation: Conversation) -> MapRun:
    """The waiting run of the conversation, now running, or a new running one.

    A run still running after the task timeout lost its worker (killed mid-run; task_worker runs
    the task again, decision 0900): it is marked failed so that no run stays "running" for ever.
    """
    now = timezone.now()
    lost_before = now - dt.timedelta(seconds=settings.COPRODUCE_TASK_TIMEOUT)
    with transaction.atomic():
        MapRun.objects.filter(
            conversation=conversation, status=MapStatus.RUNNING, started_at__lt=lost_before
        ).update(status=MapStatus.FAILED, finished_at=now, error=LOST_RUN)
        waiting = MapRun.objects.filter(conversation=conversation, status=MapStatus.QUEUED).first()
        if waiting is not None and MapRun.objects.filter(
            pk=waiting.pk, status=MapStatus.QUEUED
        ).update(status=MapStatus.RUNNING, started_at=now, seed=conversation.seed):
            waiting.refresh_from_db()
            return waiting
        return MapRun.objects.create(
            conversation=conversation,
            status=MapStatus.RUNNING,
            started_at=now,
            seed=conversation.seed,
        )


def run_map(conversation_id: int) -> MapRun | None:
    """Compute the conversation's map from the votes in the database and store it.

    Safe to run twice: each run reads the current votes (a vote read twice counts once) and
    stores a complete result, or none (a failed run records its error).
    """
    conversation = (
        Conversation.objects.select_related("activity").filter(pk=conversation_id).first()
    )
    if conversation is None:
        return None
    run = _claim_run(conversation)
    try:
        with _LOCK:
            engine = engine_for(conversation)
            result = engine.analyse(seed=run.seed)
            smoother = engine.smoother
    except Exception as error:  # the staff page shows what went wrong; nothing is half-stored
        logger.exception("Computing the map of conversation %s failed", conversation_id)
        forget(conversation_id)
        MapRun.objects.filter(pk=run.pk).update(
            status=MapStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        run.refresh_from_db()
        return run
    MapRun.objects.filter(pk=run.pk).update(
        status=MapStatus.DONE,
        finished_at=timezone.now(),
        method=METHOD,
        version=VERSION,
        parameters=asdict(result.parameters),
        participant_count=len(result.participant_ids),
        vote_count=result.n_votes,
        result=map_json(result, smoother),
    )
    run.refresh_from_db()
    return run


@task()
def compute_map(conversation_id: int) -> str:
    """Compute a conversation's map in the background; returns the run's final status."""
    run = run_map(conversation_id)
    return "missing" if run is None else run.status
