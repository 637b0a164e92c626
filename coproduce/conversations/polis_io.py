"""Polis exports in and out: ``import_polis`` reads a Polis export folder or a red-dwarf fixture
(with civic_algorithms.opinion.readers) into a new conversation; ``export_polis`` writes
comments.csv, votes.csv, participants-votes.csv and summary.csv in the Polis export format into
a folder, ``export_polis_zip`` the same files into a zip (the public open-data download).

Imported participants and statements keep their Polis ids as ``external_id`` and are created in
the order of those ids, so the map computed in the database meets the participants and
statements in the same order as the engine reading the export does (decision 0043).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from civic_algorithms.opinion import OpinionInputError, read_conversation
from coproduce.contributions.models import Contribution, Visibility
from coproduce.conversations.models import (
    STATEMENT,
    Conversation,
    Moderation,
    Participant,
    Statement,
    Vote,
)
from coproduce.conversations.queries import latest_map
from coproduce.services import actions as service_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service

BATCH = 5000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _read_summary(folder: Path) -> dict[str, str]:
    """summary.csv (two columns, name and value) or the topic of a fixture's conversation.json."""
    summary: dict[str, str] = {}
    path = folder / "summary.csv"
    if path.is_file():
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.reader(handle):
                if len(row) >= 2 and row[0].strip():
                    summary[row[0].strip()] = row[1]
    path = folder / "conversation.json"
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValidationError(
                _("%(file)s: not a readable JSON file (%(error)s)") % {"file": path, "error": error}
            ) from error
        if isinstance(data, dict):
            summary.setdefault("topic", str(data.get("topic") or ""))
            summary.setdefault("conversation-description", str(data.get("description") or ""))
    return summary


def _moment(millis: float) -> dt.datetime | None:
    """A Polis time (milliseconds since 1970) as a datetime; None when the export has none."""
    if math.isnan(millis):
        return None
    return EPOCH + dt.timedelta(microseconds=round(float(millis) * 1000))


def _latest_votes(
    participants: np.ndarray, statements: np.ndarray, values: np.ndarray, times: np.ndarray
) -> tuple[np.ndarray, ...]:
    """One vote per participant and statement: the latest by time (then by position), as the
    engine keeps it, with the time of the first vote on that pair."""
    _ids, rows = np.unique(participants, return_inverse=True)
    _ids, cols = np.unique(statements, return_inverse=True)
    keys = rows.astype(np.int64) * (int(cols.max()) + 1 if len(cols) else 1) + cols
    order = np.lexsort((np.arange(len(keys)), np.nan_to_num(times, nan=-np.inf), keys))
    sorted_keys = keys[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    first_times = np.fmin.reduceat(times[order], starts) if len(order) else times
    pick = order[last]
    return participants[pick], statements[pick], values[pick], first_times, times[pick]


@transaction.atomic
def import_polis(
    directory: Path | str, activity: Activity | None = None, *, service: Service | None = None
) -> Conversation:
    """Load a Polis export or red-dwarf fixture folder into a conversation, all or nothing.

    Either into ``activity`` (an opinion-map activity without a conversation yet) or, with
    ``service``, into a new open opinion-map activity in the service's current stage, titled from
    the export's topic or the folder name. Errors name the file and the line.
    """
    folder = Path(directory)
    try:
        data = read_conversation(folder)
    except OpinionInputError as error:
        raise ValidationError(str(error)) from error
    summary = _read_summary(folder)
    if activity is None:
        if service is None:
            raise ValueError("import_polis needs an activity or a service")
        title = (summary.get("topic") or folder.name).strip()[:200] or folder.name
        description = summary.get("conversation-description", "").strip()
        activity = service_actions.activity_create(
            service=service,
            stage=service.current_stage,
            kind=ActivityKind.OPINION_MAP,
            title=title,
            summary=(description or _("Opinion map imported from a Polis export"))[:300],
        )
        activity = service_actions.activity_transition(
            activity=activity, to_state=ActivityState.OPEN
        )
    if activity.kind != ActivityKind.OPINION_MAP:
        raise ValidationError(_("Only an opinion-map activity can hold a conversation."))
    if Conversation.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity already has a conversation."))
    conversation = Conversation.objects.create(
        activity=activity,
        description=summary.get("conversation-description", "").strip(),
        moderation=Moderation.PRE,
        imported_meta={"source": data.source or folder.name, "summary": summary},
    )

    votes = data.votes
    times = (
        votes.timestamps
        if votes.timestamps is not None
        else np.full(len(votes), np.nan, dtype=np.float64)
    )
    pids, sids, values, first, last = _latest_votes(
        np.asarray(votes.participant_ids), np.asarray(votes.statement_ids), votes.votes, times
    )
    people = sorted({*map(int, pids.tolist()), *map(int, data.participants_without_votes)})
    participant_pk = _create_participants(conversation, people)
    statement_ids = sorted(
        {
            *map(int, sids.tolist()),
            *map(int, [*data.statement_text, *data.moderated_out, *data.meta]),
        }
    )
    statement_pk = _create_statements(conversation, data, statement_ids)
    _insert_votes(
        conversation,
        participants=[participant_pk[p] for p in pids.tolist()],
        statements=[statement_pk[t] for t in sids.tolist()],
        values=values.tolist(),
        first=[_moment(f) for f in first.tolist()],
        last=[_moment(t) for t in last.tolist()],
    )
    return conversation


def _insert_votes(
    conversation: Conversation,
    *,
    participants: list[int],
    statements: list[int],
    values: list[int],
    first: list[dt.datetime | None],
    last: list[dt.datetime | None],
) -> None:
    """Insert the votes as plain tuples: COPY on PostgreSQL, multi-row INSERTs elsewhere. A
    city-sized export has millions, and building a model instance for each (``bulk_create``)
    takes several times as long (decision 0043). The constraints still guard every row."""
    table = connection.ops.quote_name(Vote._meta.db_table)
    columns = "conversation_id, participant_id, statement_id, value, created_at, updated_at"
    pk = conversation.pk
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in zip(participants, statements, values, first, last, strict=True):
                    copy.write_row((pk, *row))
            return
        adapt = connection.ops.adapt_datetimefield_value
        rows = zip(
            participants, statements, values, map(adapt, first), map(adapt, last), strict=True
        )
        per_statement = min(1000, (connection.features.max_query_params or 6000) // 6)
        while batch := list(itertools.islice(rows, per_statement)):
            places = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            # The table name is the model's, quoted: nothing in the statement comes from the file.
            sql = f"INSERT INTO {table} ({columns}) VALUES {places}"  # noqa: S608
            cursor.execute(sql, [v for row in batch for v in (pk, *row)])


def _create_participants(conversation: Conversation, people: list[int]) -> dict[int, int]:
    made = Participant.objects.bulk_create(
        (Participant(conversation=conversation, external_id=pid) for pid in people),
        batch_size=BATCH,
    )
    return {int(p.external_id): p.pk for p in made if p.external_id is not None}


def _create_statements(conversation: Conversation, data: Any, ids: list[int]) -> dict[int, int]:
    activity = conversation.activity
    contributions = Contribution.objects.bulk_create(
        (
            Contribution(
                activity=activity,
                kind=STATEMENT,
                visibility=Visibility.HIDDEN if sid in data.moderated_out else Visibility.PUBLISHED,
                needs_answer=False,
            )
            for sid in ids
        ),
        batch_size=BATCH,
    )
    Statement.objects.bulk_create(
        (
            Statement(
                contribution=contribution,
                conversation=conversation,
                text=data.statement_text.get(sid, "").strip()
                or _("Statement %(id)s") % {"id": sid},
                is_meta=sid in data.meta,
                external_id=sid,
            )
            for sid, contribution in zip(ids, contributions, strict=True)
        ),
        batch_size=BATCH,
    )
    return {sid: c.pk for sid, c in zip(ids, contributions, strict=True)}


# --- Export ------------------------------------------------------------------------------------

VoteRow = tuple[int, int, int, dt.datetime | None]
# One file of an export: its name, its header row (None for summary.csv, which has none), rows.
Table = tuple[str, list[str] | None, Iterable[Sequence[Any]]]


def _millis(moment: dt.datetime | None) -> str:
    return "" if moment is None else str((moment - EPOCH) // dt.timedelta(milliseconds=1))


def _write_csv(handle: TextIO, header: list[str] | None, rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)


def export_polis(conversation: Conversation, directory: Path | str) -> Path:
    """Write the conversation in the Polis export format into ``directory`` (made if missing).

    Ids are the Polis ids of imported participants and statements, else their keys; vote times
    are milliseconds since 1970; ``moderated`` is -1 for rejected, 0 for waiting, 1 for accepted.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for name, header, rows in polis_tables(conversation):
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            _write_csv(handle, header, rows)
    return folder


def export_polis_zip(
    conversation: Conversation, handle: IO[bytes], *, published_only: bool = True
) -> None:
    """Write the four Polis files into a zip archive on ``handle``: the public open data, by
    default only the published statements and the votes on them (decision 0053)."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, header, rows in polis_tables(conversation, published_only=published_only):
            with io.TextIOWrapper(archive.open(name, "w"), encoding="utf-8", newline="") as text:
                _write_csv(text, header, rows)


def polis_tables(conversation: Conversation, *, published_only: bool = False) -> list[Table]:
    """The four files of a Polis export as rows, for ``export_polis`` and ``export_polis_zip``.

    With ``published_only``, statements waiting for a moderator or rejected are left out with
    every vote on them, as if they had never been written.
    """
    people = Participant.objects.filter(conversation=conversation).values_list("pk", "external_id")
    pid = {pk: (ext if ext is not None else pk) for pk, ext in people}
    chosen = Statement.objects.filter(conversation=conversation)
    if published_only:
        chosen = chosen.published()
    statements = list(chosen.select_related("contribution").order_by("pk"))
    tid = {statement.pk: statement.public_id for statement in statements}
    voted = Vote.objects.filter(conversation=conversation)
    if published_only:
        voted = voted.filter(statement__in=chosen)
    votes: list[VoteRow] = list(
        voted.order_by("updated_at", "pk").values_list(
            "participant_id", "statement_id", "value", "updated_at"
        )
    )
    matrix: dict[int, dict[int, int]] = {pk: {} for pk in pid}
    for voter, statement_pk, value, _time in votes:
        matrix[voter][statement_pk] = value
    authored = Counter(s.author_id for s in statements if s.author_id is not None)
    run = latest_map(conversation)
    group_of: dict[str, int] = dict(run.result.get("group_of", {})) if run is not None else {}
    order = [statement.pk for statement in statements]
    activity = conversation.activity
    return [
        _comments_table(statements, tid, pid, votes),
        (
            "votes.csv",
            ["timestamp", "datetime", "comment-id", "voter-id", "vote"],
            (
                [_millis(time), time.isoformat() if time else "", tid[st], pid[voter], value]
                for voter, st, value, time in votes
            ),
        ),
        (
            "participants-votes.csv",
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
            + [str(tid[pk]) for pk in order],
            (
                [
                    pid[pk],
                    group_of.get(str(pk), ""),
                    authored.get(pk, 0),
                    len(matrix[pk]),
                    sum(1 for v in matrix[pk].values() if v == 1),
                    sum(1 for v in matrix[pk].values() if v == -1),
                ]
                + [matrix[pk].get(st, "") for st in order]
                for pk in sorted(pid, key=pid.__getitem__)
            ),
        ),
        (
            "summary.csv",
            None,
            [
                ["topic", activity.title],
                ["url", ""],
                ["voters", sum(1 for row in matrix.values() if row)],
                ["commenters", len(authored)],
                ["comments", len(statements)],
                ["groups", len(set(group_of.values()))],
                ["conversation-description", conversation.description or activity.summary],
            ],
        ),
    ]


def _comments_table(
    statements: list[Statement],
    tid: dict[int, int],
    pid: dict[int, int],
    votes: list[VoteRow],
) -> Table:
    agrees = Counter(st for _voter, st, value, _time in votes if value == 1)
    disagrees = Counter(st for _voter, st, value, _time in votes if value == -1)
    moderated: dict[str, int] = {
        Visibility.HIDDEN: -1,
        Visibility.PENDING: 0,
        Visibility.PUBLISHED: 1,
    }
    return (
        "comments.csv",
        [
            "timestamp",
            "datetime",
            "comment-id",
            "author-id",
            "agrees",
            "disagrees",
            "moderated",
            "comment-body",
            "is-meta",
        ],
        (
            [
                _millis(statement.created_at),
                statement.created_at.isoformat(),
                tid[statement.pk],
                pid[statement.author_id] if statement.author_id is not None else "",
                agrees[statement.pk],
                disagrees[statement.pk],
                moderated.get(statement.contribution.visibility, 1),
                statement.text,
                "true" if statement.is_meta else "false",
            ]
            for statement in statements
        ),
    )
