"""The counting rules: greedy rules, the Method of Equal Shares and its completions.

Each rule takes compiled ballots (see :mod:`profile`) and returns an :class:`Outcome`. The exact
meaning of every rule, including tie-breaking, is written up in ``docs/budgeting.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Literal, get_args

import numpy as np

from civic_algorithms.budgeting.add1 import Add1, search_add1
from civic_algorithms.budgeting.mes import Candidates, run_mes, ties_as_records
from civic_algorithms.budgeting.model import Election, Outcome, Tie
from civic_algorithms.budgeting.pabulib import parse_number
from civic_algorithms.budgeting.profile import (
    Ballots,
    Sat,
    check_sat,
    compile_ballots,
    compile_satisfaction,
    default_sat,
)
from civic_algorithms.budgeting.tiebreak import DEFAULT, EQUAL_SHARES_OFFICIAL, TieBreak
from civic_algorithms.errors import InputError

Completion = Literal["none", "greedy", "add1", "add1-greedy"]
COMPLETIONS: tuple[str, ...] = get_args(Completion)


def _cost(ballots: Ballots, projects: Iterable[int]) -> int:
    return sum(ballots.costs[p] for p in projects)


def _outcome(
    ballots: Ballots,
    rule: str,
    projects: Iterable[int],
    ties: Sequence[Tie] = (),
    details: Mapping[str, object] | None = None,
) -> Outcome:
    chosen = sorted(set(projects))
    return Outcome(
        rule=rule,
        selected=tuple(ballots.project_ids[p] for p in chosen),
        cost=ballots.to_money(_cost(ballots, chosen)),
        details=dict(details or {}),
        ties=tuple(ties),
    )


def is_exhaustive(ballots: Ballots, chosen: Iterable[int], among: Iterable[int]) -> bool:
    """True when no project of ``among`` outside ``chosen`` still fits in the budget."""
    chosen_set = set(chosen)
    left = ballots.budget - _cost(ballots, chosen_set)
    return all(ballots.costs[p] > left for p in among if p not in chosen_set)


def _fill(
    ballots: Ballots,
    order: Sequence[int],
    keys: Sequence[object],
    start: Iterable[int] = (),
    *,
    skip: bool = True,
    step: str,
) -> tuple[list[int], list[Tie]]:
    """Walk ``order`` buying what fits (stopping at the first misfit unless ``skip``).

    ``keys[i]`` is the ranking value of ``order[i]``; a group of equal keys in which some projects
    were bought and some were not is reported as a tie the tie-break decided.
    """
    chosen = list(start)
    left = ballots.budget - _cost(ballots, chosen)
    taken: list[bool] = []
    stopped = False
    for project in order:
        fits = not stopped and ballots.costs[project] <= left
        if fits:
            chosen.append(project)
            left -= ballots.costs[project]
        elif not skip:
            stopped = True
        taken.append(fits)
    ties: list[Tie] = []
    start_index = 0
    ids = ballots.project_ids
    while start_index < len(order):
        end = start_index
        while end < len(order) and keys[end] == keys[start_index]:
            end += 1
        group = range(start_index, end)
        if any(taken[i] for i in group) and not all(taken[i] for i in group):
            winner = next(i for i in group if taken[i])
            ties.append(
                Tie(
                    step=step,
                    candidates=tuple(ids[order[i]] for i in group),
                    chosen=ids[order[winner]],
                )
            )
        start_index = end
    return chosen, ties


def _greedy_welfare_fill(
    ballots: Ballots,
    total: Sequence[int],
    ranks: Sequence[int],
    start: Iterable[int],
    step: str,
) -> tuple[list[int], list[Tie]]:
    """Utilitarian greedy: highest total satisfaction per unit of cost first."""
    start_list = list(start)
    started = set(start_list)

    def density(project: int) -> tuple[int, Fraction]:
        cost = ballots.costs[project]
        if total[project] > 0:
            return (0, Fraction(0)) if cost == 0 else (1, -Fraction(total[project], cost))
        return (2, Fraction(0))

    rest = sorted(
        (p for p in range(ballots.n_projects) if p not in started),
        key=lambda p: (density(p), ranks[p]),
    )
    return _fill(ballots, rest, [density(p) for p in rest], start_list, step=step)


def greedy(ballots: Ballots, sat: Sat, tie_break: TieBreak) -> Outcome:
    """Utilitarian greedy: rank by total satisfaction per unit of cost, buy what still fits."""
    profile = compile_satisfaction(ballots, sat)
    chosen, ties = _greedy_welfare_fill(
        ballots, profile.total, tie_break.ranks(ballots), (), "greedy"
    )
    return _outcome(ballots, "greedy", chosen, ties, {"sat": sat, "tie_break": str(tie_break)})


def greedy_by_score(
    ballots: Ballots,
    tie_break: TieBreak,
    *,
    threshold: Fraction | None = None,
    skip: bool = True,
    rule: str = "greedy-threshold",
) -> Outcome:
    """Cities' greedy rules: rank by score (votes, or points), optional minimum score.

    ``skip=True`` passes over a project that no longer fits and carries on down the list;
    ``skip=False`` (greedy-no-skip) stops at the first project that does not fit.
    """
    scores = ballots.scores()
    ranks = tie_break.ranks(ballots)
    eligible = [p for p in range(ballots.n_projects) if threshold is None or scores[p] >= threshold]
    order = sorted(eligible, key=lambda p: (-scores[p], ranks[p]))
    chosen, ties = _fill(ballots, order, [scores[p] for p in order], skip=skip, step=rule)
    details = {
        "ranking": "score",
        "threshold": None if threshold is None else str(threshold),
        "tie_break": str(tie_break),
        "below_threshold": [
            ballots.project_ids[p] for p in range(ballots.n_projects) if p not in eligible
        ],
    }
    return _outcome(ballots, rule, chosen, ties, details)


def _share(ballots: Ballots) -> Fraction:
    return Fraction(ballots.budget, ballots.n_voters)


def mes(
    ballots: Ballots,
    sat: Sat,
    tie_break: TieBreak,
    *,
    completion: Completion = "none",
    exact: bool = False,
) -> Outcome:
    """The Method of Equal Shares with one of four completions (as pabutools defines them).

    ``add1`` raises every voter's share by one currency unit at a time until the outcome is
    exhaustive (among projects with supporters) or the next raise would overspend; ``greedy``
    then spends what is left by utilitarian greedy.
    """
    if completion not in COMPLETIONS:
        raise ValueError(
            f"unknown completion {completion!r}; choose one of {', '.join(COMPLETIONS)}"
        )
    profile = compile_satisfaction(ballots, sat)
    candidates = Candidates.build(profile)
    ranks = tie_break.ranks(ballots)
    details: dict[str, object] = {
        "sat": sat,
        "completion": completion,
        "tie_break": str(tie_break),
        "engine": "exact" if exact else "fast",
    }
    if ballots.n_voters == 0:
        return _outcome(ballots, "mes", [], details=details)
    share = _share(ballots)
    if completion in ("add1", "add1-greedy"):
        found = search_add1(
            candidates, ranks, share, share + ballots.unit, stop_when_exhaustive=True, exact=exact
        )
    else:
        found = Add1(run_mes(candidates, share, ranks, exact=exact), share)
    run, share, runs = found.run, found.share, found.runs
    details["mes_extensions"] = found.extensions
    details["mes_extensions_certified"] = found.extended
    chosen = [*candidates.free, *run.bought]
    ties = list(ties_as_records(run, ballots.project_ids, "mes"))
    details.update(
        voter_share=str(share / ballots.unit),
        mes_runs=runs,
        mes_selected=[ballots.project_ids[p] for p in chosen],
        exact_rounds=run.exact_rounds,
    )
    if completion in ("greedy", "add1-greedy") and not is_exhaustive(
        ballots, chosen, range(ballots.n_projects)
    ):
        chosen, more = _greedy_welfare_fill(
            ballots, profile.total, ranks, chosen, "greedy completion"
        )
        ties.extend(more)
    return _outcome(ballots, "mes", chosen, ties, details)


def equal_shares(
    ballots: Ballots,
    tie_break: TieBreak,
    *,
    add1: bool,
    comparison: bool,
    exact: bool = False,
) -> Outcome:
    """The Method of Equal Shares as its authors publish it (Pabulib ``equalshares*`` rules).

    Approval ballots, cost satisfaction. ``add1``: the first run uses budget/voters per voter,
    then whole currency units floor(budget/voters)+1, +2, ... while the outcome stays within the
    budget (no stop at exhaustiveness). ``comparison``: if more voters prefer (by number of
    approved winners) the greedy-by-votes outcome, that outcome is used instead.
    """
    if ballots.vote_type not in ("approval", "choose-1"):
        raise ValueError(
            f"the Method of Equal Shares rules as published need approval ballots, "
            f"not {ballots.vote_type}; use --rule mes instead"
        )
    name = "equalshares" + ("/add1" if add1 else "") + ("-comparison" if comparison else "")
    profile = compile_satisfaction(ballots, "cost")
    candidates = Candidates.build(profile)
    ranks = tie_break.ranks(ballots)
    details: dict[str, object] = {"sat": "cost", "tie_break": str(tie_break)}
    if ballots.n_voters == 0:
        return _outcome(ballots, name, [], details=details)
    share = _share(ballots)
    if add1:
        whole = ballots.budget // (ballots.unit * ballots.n_voters) * ballots.unit
        found = search_add1(
            candidates,
            ranks,
            share,
            Fraction(whole + ballots.unit),
            stop_when_exhaustive=False,
            exact=exact,
        )
    else:
        found = Add1(run_mes(candidates, share, ranks, exact=exact), share)
    run, share, runs = found.run, found.share, found.runs
    details["mes_extensions"] = found.extensions
    details["mes_extensions_certified"] = found.extended
    chosen = [*candidates.free, *run.bought]
    ties = list(ties_as_records(run, ballots.project_ids, "mes"))
    details.update(
        voter_share=str(share / ballots.unit),
        mes_runs=runs,
        exact_rounds=run.exact_rounds,
    )
    if comparison:
        votes = ballots.votes()
        order = sorted(range(ballots.n_projects), key=lambda p: -int(votes[p]))
        greedy_chosen, _ = _fill(ballots, order, [int(votes[p]) for p in order], step="comparison")
        prefer_mes, prefer_greedy = _compare(ballots, chosen, greedy_chosen)
        details.update(
            mes_selected=[ballots.project_ids[p] for p in chosen],
            greedy_selected=[ballots.project_ids[p] for p in greedy_chosen],
            voters_preferring_mes=prefer_mes,
            voters_preferring_greedy=prefer_greedy,
        )
        if prefer_greedy > prefer_mes:
            chosen, ties = greedy_chosen, []
    return _outcome(ballots, name, chosen, ties, details)


def _compare(ballots: Ballots, first: Sequence[int], second: Sequence[int]) -> tuple[int, int]:
    """Voters who have more approved projects in ``first`` / in ``second``."""
    counts = np.zeros((2, len(ballots.weights)), dtype=np.int64)
    for row, chosen in enumerate((first, second)):
        mask = np.isin(ballots.entry_project, np.asarray(list(chosen), dtype=np.int64))
        counts[row] = np.bincount(ballots.entry_group[mask], minlength=len(ballots.weights))
    prefer_first = int(ballots.weights[counts[0] > counts[1]].sum())
    prefer_second = int(ballots.weights[counts[1] > counts[0]].sum())
    return prefer_first, prefer_second


RULES: dict[str, str] = {
    "greedy": "utilitarian greedy: most satisfaction per unit of cost first (--sat)",
    "greedy-no-skip": "by score (votes or points), stop at the first project that does not fit",
    "greedy-threshold": "by score, skipping what does not fit, only projects scoring >= threshold",
    "mes": "Method of Equal Shares (--sat, --completion), as computed by pabutools",
    "equalshares": "Method of Equal Shares as published by its authors (approval ballots)",
    "equalshares-comparison": "equalshares, then the comparison with greedy by votes",
    "equalshares/add1": "equalshares with the Add1 completion as published",
    "equalshares/add1-comparison": "equalshares/add1, then the comparison with greedy by votes",
    "official": "the rule named in the file's own 'rule' field",
}
OFFICIAL_RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
)
_SCORE_RULES = ("greedy-no-skip", "greedy-threshold")
_EQUAL_SHARES = (
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
)


def count(
    election: Election,
    rule: str,
    *,
    sat: str | None = None,
    completion: str | None = None,
    tie_break: str | None = None,
    threshold: Fraction | None = None,
    exact: bool = False,
    ballots: Ballots | None = None,
) -> Outcome:
    """Run one rule on an election; every unusable option raises :class:`InputError`."""
    if rule not in RULES:
        raise InputError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    official = None
    if rule == "official":
        official = election.rule
        if not official:
            raise InputError("the file has no 'rule' META field; choose a --rule")
        if official not in OFFICIAL_RULES:
            raise InputError(
                f"the file's rule {official!r} is not one this engine implements "
                f"({', '.join(OFFICIAL_RULES)}); choose a --rule"
            )
        if sat is not None or completion is not None:
            raise InputError("--rule official follows the file's rule; drop --sat and --completion")
    name = official or rule
    if completion is not None and name != "mes":
        raise InputError("--completion applies to --rule mes only")
    if sat is not None and name not in ("greedy", "mes"):
        raise InputError(f"--sat does not apply to {name} (it ranks by score or uses cost)")
    if threshold is not None and name not in _SCORE_RULES and official != "greedy":
        raise InputError("--threshold applies to greedy-threshold and greedy-no-skip only")
    try:
        chain = TieBreak.parse(
            tie_break or (EQUAL_SHARES_OFFICIAL if name in _EQUAL_SHARES else DEFAULT)
        )
        compiled = ballots if ballots is not None else compile_ballots(election)
        if name == "greedy" and official is None:
            chosen_sat = check_sat(sat or default_sat(election.vote_type), election.vote_type)
            return greedy(compiled, chosen_sat, chain)
        if name == "mes":
            chosen_sat = check_sat(sat or default_sat(election.vote_type), election.vote_type)
            return mes(compiled, chosen_sat, chain, completion=_completion(completion), exact=exact)
        if name in _EQUAL_SHARES:
            return equal_shares(
                compiled,
                chain,
                add1="/add1" in name,
                comparison=name.endswith("-comparison"),
                exact=exact,
            )
        if threshold is None:
            threshold = _file_threshold(election)
        if name == "greedy-threshold" and threshold is None:
            raise InputError(
                "greedy-threshold needs --threshold or a min_project_score_threshold META field"
            )
        return greedy_by_score(
            compiled, chain, threshold=threshold, skip=name != "greedy-no-skip", rule=name
        )
    except ValueError as error:
        if isinstance(error, InputError):
            raise
        raise InputError(str(error)) from error


def _completion(value: str | None) -> Completion:
    if value is None:
        return "none"
    if value not in COMPLETIONS:
        raise InputError(f"unknown completion {value!r}; choose one of {', '.join(COMPLETIONS)}")
    return value  # type: ignore[return-value]


def _file_threshold(election: Election) -> Fraction | None:
    text = election.meta.get("min_project_score_threshold")
    if text is None or not text.strip():
        return None
    try:
        return parse_number(text)
    except ValueError as error:
        raise InputError(f"min_project_score_threshold: {error}", source=None) from error
