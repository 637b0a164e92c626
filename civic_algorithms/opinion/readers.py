"""Readers for Polis conversation exports and for the red-dwarf JSON fixtures (Polis API format).

Polis export (https://github.com/compdemocracy/openData): ``votes.csv`` (timestamp, datetime,
comment-id, voter-id, vote; several votes by one person on one statement keep the latest),
``comments.csv`` (comment-id, moderated: -1 means moderated out, comment-body) and, when
``votes.csv`` is absent, ``participants-votes.csv`` (one row per participant, one column per
statement). Votes are 1 agree, -1 disagree, 0 pass.

Red-dwarf fixtures: ``votes.json`` (pid/participant_id, tid/statement_id, vote, modified),
``comments.json`` (tid/statement_id, mod/moderated, is_meta, txt), ``conversation.json`` and
``math-pca2.json`` (the original Clojure Polis math output, read by :func:`read_polis_math`). The
fixtures already use the export sign convention (1 = agree).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from civic_algorithms.opinion.model import (
    Conversation,
    FloatArray,
    Id,
    OpinionInputError,
    VoteTable,
)

csv.field_size_limit(2**31 - 1)

POLIS_VOTES = "votes.csv"
POLIS_COMMENTS = "comments.csv"
POLIS_MATRIX = "participants-votes.csv"
JSON_VOTES = "votes.json"
JSON_COMMENTS = "comments.json"
JSON_CONVERSATION = "conversation.json"
JSON_MATH = "math-pca2.json"

_MATRIX_INFO_COLUMNS = {
    "participant",
    "xid",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
}


def read_conversation(directory: Path | str) -> Conversation:
    """Read a Polis export or a red-dwarf fixture directory, whichever it holds."""
    folder = Path(directory)
    if not folder.is_dir():
        raise OpinionInputError("is not a directory", source=str(folder))
    if (folder / JSON_VOTES).is_file():
        return read_reddwarf_fixture(folder)
    if (folder / POLIS_VOTES).is_file() or (folder / POLIS_MATRIX).is_file():
        return read_polis_export(folder)
    raise OpinionInputError(
        f"no {POLIS_VOTES}, {POLIS_MATRIX} or {JSON_VOTES} here: "
        "expected a Polis export or a red-dwarf fixture folder",
        source=str(folder),
    )


def read_polis_export(directory: Path | str) -> Conversation:
    """Read ``votes.csv`` (or ``participants-votes.csv``) and ``comments.csv`` from a Polis export."""
    folder = Path(directory)
    moderated_out: set[Id] = set()
    meta: set[Id] = set()
    text: dict[Id, str] = {}
    if (folder / POLIS_COMMENTS).is_file():
        moderated_out, meta, text = _read_comments_csv(folder / POLIS_COMMENTS)
    without_votes: tuple[Id, ...] = ()
    if (folder / POLIS_VOTES).is_file():
        votes = read_votes_csv(folder / POLIS_VOTES)
        source = f"{folder.name}/{POLIS_VOTES}"
    elif (folder / POLIS_MATRIX).is_file():
        votes, without_votes = read_participants_votes_csv(folder / POLIS_MATRIX)
        source = f"{folder.name}/{POLIS_MATRIX}"
    else:
        raise OpinionInputError(
            f"neither {POLIS_VOTES} nor {POLIS_MATRIX} found", source=str(folder)
        )
    return Conversation(
        votes=votes,
        moderated_out=frozenset(moderated_out),
        meta=frozenset(meta),
        participants_without_votes=without_votes,
        statement_text=text,
        source=source,
    )


def _open_csv(path: Path) -> tuple[Iterator[list[str]], list[str], Any]:
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise OpinionInputError("the file is empty (no header row)", source=str(path)) from None
    except (csv.Error, UnicodeDecodeError) as error:
        handle.close()
        raise OpinionInputError(f"not a readable CSV file: {error}", source=str(path)) from None
    return reader, [h.strip() for h in header], handle


def _column(header: list[str], name: str, path: Path, *, required: bool = True) -> int | None:
    if name in header:
        return header.index(name)
    if required:
        raise OpinionInputError(
            f"missing column {name!r} (columns found: {', '.join(header) or 'none'})",
            source=str(path),
            line=1,
        )
    return None


def _int(value: str, what: str, path: Path, line: int) -> int:
    try:
        number = float(value.strip())
    except ValueError:
        raise OpinionInputError(
            f"{what} {value!r} is not a number", source=str(path), line=line
        ) from None
    if not math.isfinite(number) or number != int(number):
        raise OpinionInputError(
            f"{what} {value!r} is not a whole number", source=str(path), line=line
        )
    return int(number)


def read_votes_csv(path: Path | str) -> VoteTable:
    """Read a Polis ``votes.csv``; timestamps (when present) decide which vote is the latest."""
    file = Path(path)
    fast = _votes_csv_fast(file)
    return fast if fast is not None else _votes_csv_checked(file)


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]] | None:
    """Header and rows of a well-formed CSV file, or None (the careful reader then explains)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    if not rows:
        return None
    return [h.strip() for h in rows[0]], [row for row in rows[1:] if row]


_CELL_CODES = {"1": 1, "0": 0, "-1": -1, "": 2}


def _ints(texts: list[str]) -> npt.NDArray[np.int64] | None:
    try:
        return np.fromiter(map(int, texts), dtype=np.int64, count=len(texts))
    except (ValueError, OverflowError):
        return None


def _votes_csv_fast(file: Path) -> VoteTable | None:
    """numpy's C parser for a clean ``votes.csv``; None at the first oddity."""
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            header = [h.strip() for h in next(csv.reader(handle))]
    except (StopIteration, csv.Error, UnicodeDecodeError):
        return None
    names = ["voter-id", "comment-id", "vote"] + (["timestamp"] if "timestamp" in header else [])
    if not all(name in header for name in names):
        return None
    try:
        data = np.loadtxt(
            file,
            delimiter=",",
            skiprows=1,
            usecols=[header.index(name) for name in names],
            dtype=np.int64,
            quotechar='"',
            encoding="utf-8-sig",
            ndmin=2,
        )
    except (ValueError, UnicodeDecodeError):
        return None
    if data.shape[0] and not np.isin(data[:, 2], (-1, 0, 1)).all():
        return None
    return VoteTable.from_arrays(
        data[:, 0],
        data[:, 1],
        data[:, 2].astype(np.int8),
        data[:, 3].astype(np.float64) if len(names) == 4 else None,
    )


def _votes_csv_checked(file: Path) -> VoteTable:
    reader, header, handle = _open_csv(file)
    with handle:
        c_stmt = _column(header, "comment-id", file)
        c_voter = _column(header, "voter-id", file)
        c_vote = _column(header, "vote", file)
        c_time = _column(header, "timestamp", file, required=False)
        assert c_stmt is not None
        assert c_voter is not None
        assert c_vote is not None
        width = max(c_stmt, c_voter, c_vote, c_time if c_time is not None else 0) + 1
        voters: list[int] = []
        statements: list[int] = []
        values: list[int] = []
        times: list[float] = []
        try:
            for row in reader:
                line = reader.line_num  # type: ignore[attr-defined]
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) < width:
                    raise OpinionInputError(
                        f"expected at least {width} columns, found {len(row)}",
                        source=str(file),
                        line=line,
                    )
                vote = _int(row[c_vote], "vote", file, line)
                if vote not in (-1, 0, 1):
                    raise OpinionInputError(
                        f"vote {row[c_vote]!r} is not 1 (agree), -1 (disagree) or 0 (pass)",
                        source=str(file),
                        line=line,
                    )
                voters.append(_int(row[c_voter], "voter-id", file, line))
                statements.append(_int(row[c_stmt], "comment-id", file, line))
                values.append(vote)
                if c_time is not None:
                    stamp = _int(row[c_time], "timestamp", file, line)
                    times.append(float(stamp))
        except csv.Error as error:
            raise OpinionInputError(f"malformed CSV: {error}", source=str(file)) from None
        except UnicodeDecodeError as error:
            raise OpinionInputError(f"not UTF-8 text: {error}", source=str(file)) from None
    return VoteTable.from_arrays(
        np.asarray(voters, dtype=np.int64),
        np.asarray(statements, dtype=np.int64),
        np.asarray(values, dtype=np.int8),
        np.asarray(times, dtype=np.float64) if c_time is not None else None,
    )


def read_participants_votes_csv(path: Path | str) -> tuple[VoteTable, tuple[Id, ...]]:
    """Reconstruct votes from ``participants-votes.csv`` (no timestamps: one vote per cell).

    Returns the votes and the participants who have a row but no vote.
    """
    file = Path(path)
    fast = _participants_votes_fast(file)
    return fast if fast is not None else _participants_votes_checked(file)


def _participants_votes_fast(file: Path) -> tuple[VoteTable, tuple[Id, ...]] | None:
    """Whole-matrix parsing of a clean ``participants-votes.csv``; None at the first oddity."""
    read = _read_rows(file)
    if read is None or "participant" not in read[0]:
        return None
    header, rows = read
    if not rows or any(len(row) != len(header) for row in rows):
        return None
    c_pid = header.index("participant")
    columns = [
        i for i, name in enumerate(header) if name not in _MATRIX_INFO_COLUMNS and i != c_pid
    ]
    statement_ids = _ints([header[i] for i in columns])
    pids = _ints([row[c_pid] for row in rows])
    if statement_ids is None or pids is None or len(set(pids.tolist())) != len(pids):
        return None
    # One dictionary lookup per cell, in C: votes to -1/0/1, empty to 2, anything else to 3.
    codes = np.fromiter(
        map(_CELL_CODES.get, itertools.chain.from_iterable(rows), itertools.repeat(3)),
        dtype=np.int8,
        count=len(rows) * len(header),
    ).reshape(len(rows), len(header))[:, columns]
    if (codes == 3).any():
        return None
    voted = codes != 2
    row_index, col_index = np.nonzero(voted)
    table = VoteTable.from_arrays(pids[row_index], statement_ids[col_index], codes[voted])
    silent = tuple(pids[~voted.any(axis=1)].tolist())
    return table, silent


def _participants_votes_checked(file: Path) -> tuple[VoteTable, tuple[Id, ...]]:
    reader, header, handle = _open_csv(file)
    with handle:
        c_pid = _column(header, "participant", file)
        assert c_pid is not None
        statement_columns: list[tuple[int, int]] = []
        for index, name in enumerate(header):
            if name in _MATRIX_INFO_COLUMNS or index == c_pid:
                continue
            statement_columns.append((index, _int(name, "statement column", file, 1)))
        voters: list[int] = []
        statements: list[int] = []
        values: list[int] = []
        silent: list[Id] = []
        seen: set[int] = set()
        try:
            for row in reader:
                line = reader.line_num  # type: ignore[attr-defined]
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                pid = _int(row[c_pid], "participant", file, line)
                if pid in seen:
                    raise OpinionInputError(
                        f"participant {pid} appears twice", source=str(file), line=line
                    )
                seen.add(pid)
                voted = False
                for index, sid in statement_columns:
                    cell = row[index].strip() if index < len(row) else ""
                    if not cell:
                        continue
                    vote = _int(cell, f"vote on statement {sid}", file, line)
                    if vote not in (-1, 0, 1):
                        raise OpinionInputError(
                            f"vote {cell!r} on statement {sid} is not 1, -1 or 0",
                            source=str(file),
                            line=line,
                        )
                    voters.append(pid)
                    statements.append(sid)
                    values.append(vote)
                    voted = True
                if not voted:
                    silent.append(pid)
        except csv.Error as error:
            raise OpinionInputError(f"malformed CSV: {error}", source=str(file)) from None
    table = VoteTable.from_arrays(
        np.asarray(voters, dtype=np.int64),
        np.asarray(statements, dtype=np.int64),
        np.asarray(values, dtype=np.int8),
    )
    return table, tuple(silent)


def _read_comments_csv(path: Path) -> tuple[set[Id], set[Id], dict[Id, str]]:
    reader, header, handle = _open_csv(path)
    with handle:
        c_id = _column(header, "comment-id", path)
        c_mod = _column(header, "moderated", path, required=False)
        c_meta = _column(header, "is-meta", path, required=False)
        c_body = _column(header, "comment-body", path, required=False)
        assert c_id is not None
        moderated_out: set[Id] = set()
        meta: set[Id] = set()
        text: dict[Id, str] = {}
        try:
            for row in reader:
                line = reader.line_num  # type: ignore[attr-defined]
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) <= c_id:
                    raise OpinionInputError("row has no comment-id", source=str(path), line=line)
                sid = _int(row[c_id], "comment-id", path, line)
                mod = row[c_mod].strip() if c_mod is not None and c_mod < len(row) else ""
                if mod and _int(mod, "moderated", path, line) == -1:
                    moderated_out.add(sid)
                flag = (
                    row[c_meta].strip().lower() if c_meta is not None and c_meta < len(row) else ""
                )
                if flag in ("true", "1", "t", "yes"):
                    meta.add(sid)
                if c_body is not None and c_body < len(row):
                    text[sid] = row[c_body]
        except csv.Error as error:
            raise OpinionInputError(f"malformed CSV: {error}", source=str(path)) from None
    return moderated_out, meta, text


def _load_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise OpinionInputError(
            f"invalid JSON: {error.msg}", source=str(path), line=error.lineno
        ) from None
    except UnicodeDecodeError as error:
        raise OpinionInputError(f"not UTF-8 text: {error}", source=str(path)) from None


def _field(item: Mapping[str, Any], names: tuple[str, ...], path: Path, index: int) -> Any:
    for name in names:
        if name in item:
            return item[name]
    raise OpinionInputError(
        f"item {index} has none of the fields {', '.join(names)}", source=str(path)
    )


def _json_int(value: Any, what: str, path: Path, index: int) -> int:
    if isinstance(value, bool) or value is None:
        raise OpinionInputError(f"item {index}: {what} {value!r} is not a number", source=str(path))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise OpinionInputError(
            f"item {index}: {what} {value!r} is not a number", source=str(path)
        ) from None
    if not math.isfinite(number) or number != int(number):
        raise OpinionInputError(
            f"item {index}: {what} {value!r} is not a whole number", source=str(path)
        )
    return int(number)


def _json_float(value: Any, what: str, path: Path, index: int) -> float:
    if isinstance(value, bool):
        raise OpinionInputError(f"item {index}: {what} {value!r} is not a number", source=str(path))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise OpinionInputError(
            f"item {index}: {what} {value!r} is not a number", source=str(path)
        ) from None
    if not math.isfinite(number):
        raise OpinionInputError(f"item {index}: {what} {value!r} is not finite", source=str(path))
    return number


def read_votes_json(path: Path | str) -> VoteTable:
    """Read a Polis-API / red-dwarf ``votes.json`` list of votes."""
    file = Path(path)
    data = _load_json(file)
    if not isinstance(data, list):
        raise OpinionInputError("expected a JSON list of votes", source=str(file))
    voters: list[int] = []
    statements: list[int] = []
    values: list[int] = []
    times: list[float] = []
    have_times = True
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise OpinionInputError(f"item {index} is not an object", source=str(file))
        voters.append(
            _json_int(
                _field(item, ("pid", "participant_id", "voter-id"), file, index),
                "participant",
                file,
                index,
            )
        )
        statements.append(
            _json_int(
                _field(item, ("tid", "statement_id", "comment-id"), file, index),
                "statement",
                file,
                index,
            )
        )
        vote = _json_int(_field(item, ("vote",), file, index), "vote", file, index)
        if vote not in (-1, 0, 1):
            raise OpinionInputError(
                f"item {index}: vote {vote} is not 1, -1 or 0", source=str(file)
            )
        values.append(vote)
        stamp = item.get("modified", item.get("timestamp"))
        if stamp is None:
            have_times = False
        else:
            times.append(_json_float(stamp, "modified", file, index))
    return VoteTable.from_arrays(
        np.asarray(voters, dtype=np.int64),
        np.asarray(statements, dtype=np.int64),
        np.asarray(values, dtype=np.int8),
        np.asarray(times, dtype=np.float64) if have_times else None,
    )


def read_reddwarf_fixture(directory: Path | str) -> Conversation:
    """Read ``votes.json`` and ``comments.json`` (and the topic from ``conversation.json``)."""
    folder = Path(directory)
    votes = read_votes_json(folder / JSON_VOTES)
    moderated_out: set[Id] = set()
    meta: set[Id] = set()
    text: dict[Id, str] = {}
    comments_path = folder / JSON_COMMENTS
    if comments_path.is_file():
        comments = _load_json(comments_path)
        if not isinstance(comments, list):
            raise OpinionInputError("expected a JSON list of comments", source=str(comments_path))
        for index, item in enumerate(comments):
            if not isinstance(item, dict):
                raise OpinionInputError(f"item {index} is not an object", source=str(comments_path))
            sid = _json_int(
                _field(item, ("tid", "statement_id", "comment-id"), comments_path, index),
                "statement",
                comments_path,
                index,
            )
            mod = item.get("mod", item.get("moderated"))
            if mod is not None and _json_int(mod, "mod", comments_path, index) == -1:
                moderated_out.add(sid)
            flag = item.get("is_meta", item.get("is-meta"))
            # JSON true, or 1 / "true" / "t" as some exports write it (as in comments.csv).
            if flag is True or (
                not isinstance(flag, bool)
                and str(flag).strip().lower() in ("true", "1", "t", "yes")
            ):
                meta.add(sid)
            body = item.get("txt")
            if isinstance(body, str):
                text[sid] = body
    return Conversation(
        votes=votes,
        moderated_out=frozenset(moderated_out),
        meta=frozenset(meta),
        statement_text=text,
        source=f"{folder.name}/{JSON_VOTES}",
    )


@dataclass(frozen=True)
class PolisMath:
    """The parts of a Clojure Polis ``math-pca2.json`` that the checks compare against."""

    statement_ids: tuple[int, ...]
    pca_center: FloatArray
    pca_components: FloatArray
    comment_extremity: FloatArray
    in_conv: frozenset[int]
    group_of: dict[int, int]
    base_clusters: tuple[tuple[int, ...], ...]
    base_centers: FloatArray
    moderated_out: frozenset[int]
    meta: frozenset[int]
    repness: dict[int, tuple[dict[str, Any], ...]]
    consensus_agree: tuple[dict[str, Any], ...]
    consensus_disagree: tuple[dict[str, Any], ...]
    group_aware_consensus: dict[int, float]
    comment_priorities: dict[int, float]
    user_vote_counts: dict[int, int]


def read_polis_math(path: Path | str) -> PolisMath:
    """Read the original Polis math output (``math-pca2.json``) into plain values."""
    file = Path(path)
    data = _load_json(file)
    if not isinstance(data, dict):
        raise OpinionInputError("expected a JSON object", source=str(file))
    try:
        base = data["base-clusters"]
        members = tuple(tuple(int(p) for p in group) for group in base["members"])
        base_ids = [int(b) for b in base["id"]]
        base_members = dict(zip(base_ids, members, strict=True))
        group_of: dict[int, int] = {}
        for group in data["group-clusters"]:
            for bid in group["members"]:
                for pid in base_members[int(bid)]:
                    group_of[pid] = int(group["id"])
        pca = data["pca"]
        return PolisMath(
            statement_ids=tuple(int(t) for t in data["tids"]),
            pca_center=np.asarray(pca["center"], dtype=np.float64),
            pca_components=np.asarray(pca["comps"], dtype=np.float64),
            comment_extremity=np.asarray(pca["comment-extremity"], dtype=np.float64),
            in_conv=frozenset(int(p) for p in data["in-conv"]),
            group_of=group_of,
            base_clusters=members,
            base_centers=np.column_stack([base["x"], base["y"]]).astype(np.float64),
            moderated_out=frozenset(int(t) for t in data.get("mod-out") or ()),
            meta=frozenset(int(t) for t in data.get("meta-tids") or ()),
            repness={int(g): tuple(items) for g, items in data["repness"].items()},
            consensus_agree=tuple(data["consensus"]["agree"]),
            consensus_disagree=tuple(data["consensus"]["disagree"]),
            group_aware_consensus={
                int(t): float(v) for t, v in data["group-aware-consensus"].items()
            },
            comment_priorities={int(t): float(v) for t, v in data["comment-priorities"].items()},
            user_vote_counts={int(p): int(c) for p, c in data["user-vote-counts"].items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise OpinionInputError(
            f"not a Polis math-pca2 output: {error!r}", source=str(file)
        ) from None


def read_polis_server_groups(directory: Path | str) -> dict[int, int]:
    """The groups the Polis server showed: ``group-id`` of ``participants-votes.csv``, or the groups
    in ``math-pca2.json``. Empty when the folder has neither."""
    folder = Path(directory)
    if (folder / JSON_MATH).is_file():
        return read_polis_math(folder / JSON_MATH).group_of
    path = folder / POLIS_MATRIX
    if not path.is_file():
        return {}
    reader, header, handle = _open_csv(path)
    with handle:
        c_pid = _column(header, "participant", path)
        c_group = _column(header, "group-id", path, required=False)
        if c_group is None:
            return {}
        assert c_pid is not None
        groups: dict[int, int] = {}
        for row in reader:
            line = reader.line_num  # type: ignore[attr-defined]
            if len(row) > max(c_pid, c_group) and row[c_group].strip():
                groups[_int(row[c_pid], "participant", path, line)] = _int(
                    row[c_group], "group-id", path, line
                )
    return groups
