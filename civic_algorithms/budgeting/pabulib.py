"""Read and write the Pabulib ``.pb`` format (https://pabulib.org/format).

A file has three sections, each a semicolon-separated table: ``META`` (``key;value``),
``PROJECTS`` (``project_id;cost;...``) and ``VOTES`` (``voter_id;vote;...``). Every problem is
reported as a :class:`PabulibError` naming the file, the line and what is wrong.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path

from civic_algorithms.budgeting.model import VOTE_TYPES, Ballot, Election, Project
from civic_algorithms.errors import InputError

SECTIONS = ("meta", "projects", "votes")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_POINTS_VOTE_TYPES = ("cumulative", "scoring", "ordinal")


class PabulibError(InputError):
    """A ``.pb`` file that cannot be read; the message names the line and the problem."""


def parse_number(text: str) -> Fraction:
    """An exact number from a decimal string such as ``4000``, ``4000.50`` or ``1e3``."""
    value = text.strip()
    if not _NUMBER.fullmatch(value):
        raise ValueError(
            f"{text!r} is not a number (write digits with a dot for decimals, "
            "without thousands separators)"
        )
    return Fraction(value)


def format_number(value: Fraction) -> str:
    """The shortest exact decimal for ``value``; fails for numbers like 1/3."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        raise ValueError(
            f"{value} has no exact decimal form, so it cannot be written to a .pb file"
        )
    digits = max(twos, fives)
    scaled = abs(value) * 10**digits
    assert scaled.denominator == 1
    text = str(scaled.numerator).rjust(digits + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{text[:-digits]}.{text[-digits:]}"


def read_pabulib(path: str | os.PathLike[str]) -> Election:
    """Read a ``.pb`` file; raise :class:`PabulibError` for anything malformed."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise PabulibError(
            f"cannot read the file ({error.strerror or error})", source=source
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PabulibError(
            "the file is not UTF-8 text (save it as UTF-8 and try again)", source=source, line=line
        ) from error
    return parse_pabulib(text, source=source)


def parse_pabulib(text: str, *, source: str = "<text>") -> Election:
    """Parse the text of a ``.pb`` file."""
    return _Parser(text, source).parse()


class _Parser:
    """One pass over the rows; keeps the line number for every message."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.text = text.removeprefix("\ufeff")
        self.line = 0
        self.meta_lines: dict[str, int] = {}

    def error(self, message: str, line: int | None = None) -> PabulibError:
        return PabulibError(message, source=self.source, line=self.line if line is None else line)

    def rows(self) -> Iterator[list[str]]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=";", strict=True)
        try:
            for row in reader:
                self.line = reader.line_num
                if not row or not "".join(row).strip():
                    continue
                yield row
        except csv.Error as error:
            raise self.error(
                f"cannot split the line into columns ({error})", reader.line_num
            ) from error

    def parse(self) -> Election:
        meta: dict[str, str] = {}
        projects: dict[str, Project] = {}
        ballots: list[Ballot] = []
        columns: dict[str, tuple[str, ...]] = {}
        section = ""
        vote_parser: _VoteParser | None = None
        for row in self.rows():
            marker = row[0].strip().lower()
            if marker in SECTIONS and all(not cell.strip() for cell in row[1:]):
                self.start_section(marker, section, columns, meta, projects)
                section = marker
                continue
            if not section:
                raise self.error("the file must start with a line saying META")
            if section not in columns:
                columns[section] = self.header(row, section)
                if section == "votes":
                    vote_parser = _VoteParser(self, columns["votes"], meta, projects)
            elif section == "meta":
                self.meta_row(row, meta)
            elif section == "projects":
                project = self.project_row(row, columns["projects"])
                if project.id in projects:
                    raise self.error(f"project id {project.id!r} appears twice")
                projects[project.id] = project
            else:
                assert vote_parser is not None
                ballots.append(vote_parser.ballot(row))
        if section != "votes":
            missing = [name.upper() for name in SECTIONS if name not in columns]
            raise self.error(f"the file has no {' or '.join(missing)} section", self.line or 1)
        if "votes" not in columns:
            raise self.error("the VOTES section has no header line")
        return Election(
            meta=meta,
            projects=tuple(projects.values()),
            ballots=tuple(ballots),
            project_columns=columns["projects"],
            vote_columns=columns["votes"],
        )

    def start_section(
        self,
        marker: str,
        current: str,
        columns: Mapping[str, tuple[str, ...]],
        meta: Mapping[str, str],
        projects: Mapping[str, Project],
    ) -> None:
        if current and SECTIONS.index(marker) <= SECTIONS.index(current):
            raise self.error(f"the {marker.upper()} section appears twice")
        expected = SECTIONS[SECTIONS.index(current) + 1] if current else "meta"
        if marker != expected:
            raise self.error(
                f"found the {marker.upper()} section where the {expected.upper()} section should "
                "start (the order is META, PROJECTS, VOTES)"
            )
        if current and current not in columns:
            raise self.error(f"the {current.upper()} section has no header line")
        if marker == "projects":
            self.check_meta(meta)
        if marker == "votes" and not projects:
            raise self.error("the PROJECTS section lists no projects")

    def header(self, row: list[str], section: str) -> tuple[str, ...]:
        names = [cell.strip() for cell in row]
        while len(names) > 1 and not names[-1]:
            names.pop()
        if section == "meta":
            if [name.lower() for name in names] != ["key", "value"]:
                raise self.error("the META section must start with the header 'key;value'")
            return tuple(names)
        first = "project_id" if section == "projects" else "voter_id"
        required = "cost" if section == "projects" else "vote"
        if names[0] != first:
            raise self.error(
                f"the {section.upper()} header must start with {first!r}, not {names[0]!r}"
            )
        if required not in names:
            raise self.error(f"the {section.upper()} header has no {required!r} column")
        if any(not name for name in names):
            raise self.error(f"the {section.upper()} header has an empty column name")
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            raise self.error(f"the {section.upper()} header repeats the column {duplicated[0]!r}")
        return tuple(names)

    def cells(self, row: list[str], header: tuple[str, ...], what: str) -> list[str]:
        cells = [cell.strip() for cell in row]
        if len(cells) > len(header) and all(not cell for cell in cells[len(header) :]):
            cells = cells[: len(header)]
        if len(cells) != len(header):
            raise self.error(
                f"this {what} line has {len(cells)} columns but the header has {len(header)}"
            )
        return cells

    def meta_row(self, row: list[str], meta: dict[str, str]) -> None:
        cells = self.cells(row, ("key", "value"), "META")
        key, value = cells
        if not key:
            raise self.error("a META line has an empty key")
        if key in meta:
            raise self.error(
                f"the META key {key!r} appears twice (first on line {self.meta_lines[key]})"
            )
        meta[key] = value
        self.meta_lines[key] = self.line

    def check_meta(self, meta: Mapping[str, str]) -> None:
        for key in ("budget", "vote_type"):
            if key not in meta:
                raise self.error(f"the META section has no {key!r} line")
        vote_type = meta["vote_type"]
        if vote_type not in VOTE_TYPES:
            raise self.error(
                f"vote_type {vote_type!r} is not one of {', '.join(VOTE_TYPES)}",
                self.meta_lines["vote_type"],
            )
        try:
            budget = parse_number(meta["budget"])
        except ValueError as error:
            raise self.error(f"budget: {error}", self.meta_lines["budget"]) from error
        if budget < 0:
            raise self.error("the budget is negative", self.meta_lines["budget"])

    def project_row(self, row: list[str], header: tuple[str, ...]) -> Project:
        cells = self.cells(row, header, "PROJECTS")
        values = dict(zip(header, cells, strict=True))
        project_id = values.pop("project_id")
        if not project_id:
            raise self.error("a project has an empty project_id")
        if "," in project_id:
            raise self.error(f"project id {project_id!r} contains a comma")
        try:
            cost = parse_number(values.pop("cost"))
        except ValueError as error:
            raise self.error(f"cost of project {project_id!r}: {error}") from error
        if cost < 0:
            raise self.error(f"project {project_id!r} has a negative cost")
        return Project(id=project_id, cost=cost, fields=values)


class _VoteParser:
    """Turns VOTES rows into ballots, checking every project id and point."""

    def __init__(
        self,
        parser: _Parser,
        header: tuple[str, ...],
        meta: Mapping[str, str],
        projects: Mapping[str, Project],
    ) -> None:
        self.parser = parser
        self.header = header
        self.vote_type = meta["vote_type"]
        self.projects = {project_id: project.id for project_id, project in projects.items()}
        self.ids = frozenset(self.projects)
        self.points_column = "points" if self.vote_type in _POINTS_VOTE_TYPES else None
        if self.points_column is not None and self.points_column not in header:
            if self.vote_type != "ordinal":
                raise parser.error(f"{self.vote_type} ballots need a 'points' column in VOTES")
            self.points_column = None
        index = {name: position for position, name in enumerate(header)}
        self.vote_index = index["vote"]
        self.points_index = None if self.points_column is None else index[self.points_column]
        self.other = [
            (name, position)
            for name, position in index.items()
            if name not in ("voter_id", "vote", self.points_column)
        ]
        self.number_cache: dict[str, Fraction] = {}
        self.votes_cache: dict[str, tuple[str, ...]] = {}
        self.points_cache: dict[tuple[str, int], tuple[Fraction, ...]] = {}
        self.voter_lines: dict[str, int] = {}

    def ballot(self, row: list[str]) -> Ballot:
        parser = self.parser
        cells = row if len(row) == len(self.header) else parser.cells(row, self.header, "VOTES")
        voter_id = cells[0].strip()
        if not voter_id:
            raise parser.error("a ballot has an empty voter_id")
        first_line = self.voter_lines.setdefault(voter_id, parser.line)
        if first_line != parser.line:
            raise parser.error(f"voter_id {voter_id!r} appears twice (first on line {first_line})")
        vote = cells[self.vote_index].strip()
        chosen = self.votes_cache.get(vote)
        if chosen is None:
            chosen = self.vote(vote, voter_id)
            self.votes_cache[vote] = chosen
        points = None
        if self.points_index is not None:
            text = cells[self.points_index].strip()
            points = self.points_cache.get((text, len(chosen)))
            if points is None:
                points = self.points(text, len(chosen), voter_id)
                self.points_cache[(text, len(chosen))] = points
        fields = {name: cells[position].strip() for name, position in self.other}
        return Ballot(voter_id, chosen, points, fields)

    def vote(self, vote: str, voter_id: str) -> tuple[str, ...]:
        parts = tuple(vote.split(",")) if vote else ()
        if (
            self.ids.issuperset(parts)
            and len(set(parts)) == len(parts)
            and (len(parts) <= 1 or self.vote_type != "choose-1")
        ):
            return parts
        parser = self.parser
        chosen: list[str] = []
        for entry in vote.split(",") if vote else ():
            name = entry.strip()
            project_id = self.projects.get(name)
            if project_id is None:
                if not name:
                    raise parser.error(f"the vote of {voter_id!r} has an empty entry")
                raise parser.error(f"the vote of {voter_id!r} names unknown project {name!r}")
            chosen.append(project_id)
        if len(set(chosen)) != len(chosen):
            raise parser.error(f"the vote of {voter_id!r} names a project twice")
        if self.vote_type == "choose-1" and len(chosen) > 1:
            raise parser.error(f"choose-1 ballot of {voter_id!r} names {len(chosen)} projects")
        return tuple(chosen)

    def points(self, text: str, count: int, voter_id: str) -> tuple[Fraction, ...]:
        parser = self.parser
        parts = [part.strip() for part in text.split(",")] if text else []
        if len(parts) != count:
            raise parser.error(
                f"the ballot of {voter_id!r} lists {count} projects but {len(parts)} points"
            )
        values = []
        for part in parts:
            value = self.number_cache.get(part)
            if value is None:
                try:
                    value = parse_number(part)
                except ValueError as error:
                    raise parser.error(f"points of {voter_id!r}: {error}") from error
                self.number_cache[part] = value
            if value < 0 and self.vote_type == "cumulative":
                raise parser.error(f"cumulative ballot of {voter_id!r} gives negative points")
            values.append(value)
        return tuple(values)


def format_pabulib(election: Election) -> str:
    """The ``.pb`` text for an election (numbers written exactly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    buffer.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        writer.writerow([key, value])
    buffer.write("PROJECTS\n")
    writer.writerow(election.project_columns)
    for project in election.projects:
        row = []
        for column in election.project_columns:
            if column == "project_id":
                row.append(project.id)
            elif column == "cost":
                row.append(format_number(project.cost))
            else:
                row.append(project.fields.get(column, ""))
        writer.writerow(row)
    buffer.write("VOTES\n")
    writer.writerow(election.vote_columns)
    for ballot in election.ballots:
        row = []
        for column in election.vote_columns:
            if column == "voter_id":
                row.append(ballot.voter_id)
            elif column == "vote":
                row.append(",".join(ballot.projects))
            elif column == "points" and ballot.points is not None:
                row.append(",".join(format_number(value) for value in ballot.points))
            else:
                row.append(ballot.fields.get(column, ""))
        writer.writerow(row)
    return buffer.getvalue()


def write_pabulib(election: Election, path: str | os.PathLike[str]) -> None:
    """Write an election to a ``.pb`` file (UTF-8)."""
    Path(path).write_text(format_pabulib(election), encoding="utf-8", newline="")
