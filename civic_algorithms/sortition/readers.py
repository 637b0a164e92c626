"""Read a pool and its quotas from a folder, in either of the two common CSV formats.

* sortition-algorithms: ``features.csv`` (feature, value, min, max[, min_flex, max_flex]) and
  ``candidates.csv`` (one row per volunteer, the id in the first column);
* Flanigan et al. replication: ``categories.csv`` (category, feature, min, max) and
  ``respondents.csv`` (one row per volunteer; the first column is the id unless it is a quota
  category, in which case the id is the 0-based row number).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path

from civic_algorithms.sortition.model import (
    Person,
    Problem,
    Quota,
    SortitionInputError,
    check_person_values,
    make_problem,
)

FEATURES_FORMAT = ("features.csv", "candidates.csv")
CATEGORIES_FORMAT = ("categories.csv", "respondents.csv")


def read_problem(
    directory: Path | str,
    panel_size: int,
    *,
    household_column: str | None = None,
) -> Problem:
    """Read the folder's quotas and pool (either format) into a checked :class:`Problem`."""
    folder = Path(directory)
    if not folder.is_dir():
        raise SortitionInputError("is not a folder", source=str(folder))
    if all((folder / name).is_file() for name in FEATURES_FORMAT):
        quota_file, pool_file = (folder / name for name in FEATURES_FORMAT)
        quotas = read_features_csv(quota_file)
        id_from_first_column = True
    elif all((folder / name).is_file() for name in CATEGORIES_FORMAT):
        quota_file, pool_file = (folder / name for name in CATEGORIES_FORMAT)
        quotas = read_categories_csv(quota_file)
        id_from_first_column = False
    else:
        raise SortitionInputError(
            "found neither features.csv + candidates.csv nor categories.csv + respondents.csv",
            source=str(folder),
        )
    people = read_pool_csv(
        pool_file,
        quotas,
        id_from_first_column=id_from_first_column,
        household_column=household_column,
    )
    return make_problem(
        quotas,
        people,
        panel_size,
        household_constraint=household_column is not None,
        source=str(folder),
    )


def read_features_csv(path: Path) -> tuple[Quota, ...]:
    """Quotas from a sortition-algorithms ``features.csv`` (min_flex/max_flex optional)."""
    return _read_quotas(path, feature_column="feature", value_column="value")


def read_categories_csv(path: Path) -> tuple[Quota, ...]:
    """Quotas from a replication-format ``categories.csv`` (category = feature, feature = value)."""
    return _read_quotas(path, feature_column="category", value_column="feature")


def read_pool_csv(
    path: Path,
    quotas: tuple[Quota, ...],
    *,
    id_from_first_column: bool,
    household_column: str | None = None,
) -> tuple[Person, ...]:
    """Volunteers from ``candidates.csv`` / ``respondents.csv``, checked against the quotas."""
    source = str(path)
    values: dict[str, set[str]] = {}
    for quota in quotas:
        values.setdefault(quota.feature, set()).add(quota.value)
    rows = _rows(path)
    header, _ = next(rows, ([], 1))
    if not header:
        raise SortitionInputError("the file is empty", source=source)
    missing = [feature for feature in values if feature not in header]
    if missing:
        raise SortitionInputError(
            f"no column for the feature(s) {', '.join(missing)}; the columns are "
            f"{', '.join(header)}",
            source=source,
            line=1,
        )
    if household_column is not None and household_column not in header:
        raise SortitionInputError(
            f"no column {household_column!r} for the household constraint; the columns are "
            f"{', '.join(header)}",
            source=source,
            line=1,
        )
    if len(set(header)) != len(header):
        raise SortitionInputError("two columns have the same name", source=source, line=1)
    id_position = 0 if id_from_first_column or header[0] not in values else None
    positions = {name: index for index, name in enumerate(header)}
    people: list[Person] = []
    seen: dict[str, int] = {}
    for number, (row, line) in enumerate(rows):
        if len(row) != len(header):
            raise SortitionInputError(
                f"the row has {len(row)} fields, the header {len(header)}",
                source=source,
                line=line,
            )
        person_id = row[id_position].strip() if id_position is not None else str(number)
        if not person_id:
            raise SortitionInputError("the id is empty", source=source, line=line)
        if person_id in seen:
            raise SortitionInputError(
                f"the id {person_id!r} was already used on line {seen[person_id]}",
                source=source,
                line=line,
            )
        seen[person_id] = line
        household = None
        if household_column is not None:
            household = row[positions[household_column]].strip() or None
        person = Person(
            id=person_id,
            features={feature: row[positions[feature]].strip() for feature in values},
            household=household,
        )
        check_person_values(person, values, source=source, line=line)
        people.append(person)
    return tuple(people)


def _read_quotas(path: Path, *, feature_column: str, value_column: str) -> tuple[Quota, ...]:
    source = str(path)
    rows = _rows(path)
    header, _ = next(rows, ([], 1))
    required = (feature_column, value_column, "min", "max")
    missing = [name for name in required if name not in header]
    if missing:
        raise SortitionInputError(
            f"missing column(s) {', '.join(missing)}; expected {', '.join(required)}",
            source=source,
            line=1,
        )
    positions = {name: index for index, name in enumerate(header)}
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for row, line in rows:
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        cell = {name: row[index].strip() for name, index in positions.items()}
        feature, value = cell[feature_column], cell[value_column]
        if not feature or not value:
            raise SortitionInputError(
                f"the {feature_column} and {value_column} must not be empty",
                source=source,
                line=line,
            )
        if (feature, value) in seen:
            raise SortitionInputError(
                f"{feature}={value} was already given on line {seen[(feature, value)]}",
                source=source,
                line=line,
            )
        seen[(feature, value)] = line
        minimum = _count(cell["min"], "min", source, line)
        maximum = _count(cell["max"], "max", source, line)
        if minimum > maximum:
            raise SortitionInputError(
                f"{feature}={value} has min {minimum} above max {maximum}", source=source, line=line
            )
        min_flex = _optional_count(cell.get("min_flex", ""), "min_flex", source, line)
        max_flex = _optional_count(cell.get("max_flex", ""), "max_flex", source, line)
        quotas.append(Quota(feature, value, minimum, maximum, min_flex, max_flex))
    if not quotas:
        raise SortitionInputError("there are no quotas", source=source)
    return tuple(quotas)


def _rows(path: Path) -> Iterator[tuple[list[str], int]]:
    """Non-blank CSV rows with the line number each one starts on."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        line = 1
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield [cell.strip() for cell in row], line
                line = reader.line_num + 1
        except csv.Error as error:
            raise SortitionInputError(
                f"not valid CSV: {error}", source=str(path), line=line
            ) from None
        except UnicodeDecodeError:
            raise SortitionInputError("is not UTF-8 text", source=str(path)) from None


def _count(text: str, name: str, source: str, line: int) -> int:
    try:
        number = float(text)
    except ValueError:
        raise SortitionInputError(
            f"{name} {text!r} is not a whole number", source=source, line=line
        ) from None
    if not math.isfinite(number) or number != int(number) or number < 0:
        raise SortitionInputError(
            f"{name} {text!r} is not a whole number >= 0", source=source, line=line
        )
    return int(number)


def _optional_count(text: str, name: str, source: str, line: int) -> int | None:
    return _count(text, name, source, line) if text else None
