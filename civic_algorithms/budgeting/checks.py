"""Consistency checks that do not stop the count but deserve a warning."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from civic_algorithms.budgeting.model import Election
from civic_algorithms.budgeting.pabulib import parse_number
from civic_algorithms.budgeting.profile import Ballots


def election_warnings(election: Election, ballots: Ballots) -> list[str]:
    """What in the file disagrees with itself: counts, tallies, ballot lengths."""
    warnings: list[str] = []
    for key, actual in (
        ("num_projects", len(election.projects)),
        ("num_votes", len(election.ballots)),
    ):
        stated = election.meta.get(key)
        if stated is not None and stated.strip() != str(actual):
            warnings.append(f"META says {key} = {stated} but the file has {actual}")
    tallies = {
        "votes": [Fraction(int(value)) for value in ballots.votes()],
        "score": ballots.scores(),
    }
    for column, counted in tallies.items():
        if column not in election.project_columns:
            continue
        for project, tally in zip(election.projects, counted, strict=True):
            stated = project.fields.get(column, "").strip()
            if not stated:
                continue
            try:
                value = parse_number(stated)
            except ValueError:
                warnings.append(f"project {project.id}: {column} {stated!r} is not a number")
                continue
            if value != tally:
                warnings.append(
                    f"project {project.id}: the {column} column says {stated} "
                    f"but the ballots give {_text(tally)}"
                )
    per_ballot = np.bincount(ballots.entry_group, minlength=len(ballots.weights))
    for key in ("min_length", "max_length"):
        stated = election.meta.get(key, "").strip()
        if not stated.isdigit():
            continue
        limit = int(stated)
        broken = per_ballot < limit if key == "min_length" else per_ballot > limit
        voters = int(ballots.weights[broken].sum())
        if voters:
            side = "fewer" if key == "min_length" else "more"
            warnings.append(f"{voters} ballots list {side} projects than {key} = {limit}")
    return warnings


def _text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))
