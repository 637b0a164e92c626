"""Hypothesis strategies: small elections of every ballot type."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from civic_algorithms.budgeting.model import Ballot, Election, Project, VoteType
from civic_algorithms.budgeting.pabulib import format_number

IDS = st.text(alphabet="abc0123456789", min_size=1, max_size=3)
TEXT = st.text(alphabet="xyz ;\"'ąę-", min_size=0, max_size=8).map(str.strip)


@st.composite
def elections(
    draw: st.DrawFn,
    vote_types: tuple[VoteType, ...] = ("approval",),
    max_projects: int = 6,
    max_voters: int = 12,
    decimals: bool = False,
    extras: bool = False,
) -> Election:
    """A random small election; costs and budget are whole numbers unless ``decimals``."""
    vote_type = draw(st.sampled_from(vote_types))
    ids = draw(st.lists(IDS, min_size=1, max_size=max_projects, unique=True))
    cents = 100 if decimals else 1
    costs = [Fraction(draw(st.integers(0 if decimals else 1, 60 * cents)), cents) for _ in ids]
    budget = Fraction(draw(st.integers(0, int(sum(costs) * cents) + cents)), cents)
    names = [draw(TEXT) for _ in ids] if extras else []
    projects = tuple(
        Project(pid, cost, {"name": names[i]} if extras else {})
        for i, (pid, cost) in enumerate(zip(ids, costs, strict=True))
    )
    ballots = []
    for number in range(draw(st.integers(1, max_voters))):
        if vote_type == "choose-1":
            chosen = draw(st.lists(st.sampled_from(ids), max_size=1))
        elif vote_type == "ordinal":
            chosen = draw(st.permutations(ids))[: draw(st.integers(0, len(ids)))]
        else:
            chosen = draw(st.lists(st.sampled_from(ids), unique=True))
        points = None
        if vote_type == "cumulative":
            points = tuple(Fraction(draw(st.integers(1, 3))) for _ in chosen)
        elif vote_type == "scoring":
            points = tuple(Fraction(draw(st.integers(-2, 5))) for _ in chosen)
        fields = {"age": str(draw(st.integers(16, 90)))} if extras else {}
        ballots.append(Ballot(f"v{number}", tuple(chosen), points, fields))
    meta = {"description": "generated", "budget": format_number(budget), "vote_type": vote_type}
    if extras:
        meta["comment"] = draw(TEXT)
    vote_columns = ["voter_id", "vote"]
    if vote_type in ("cumulative", "scoring"):
        vote_columns.append("points")
    if extras:
        vote_columns.append("age")
    return Election(
        meta=meta,
        projects=projects,
        ballots=tuple(ballots),
        project_columns=("project_id", "cost", "name") if extras else ("project_id", "cost"),
        vote_columns=tuple(vote_columns),
    )
