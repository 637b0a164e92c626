"""Polis statistics on vote counts: representativeness, consensus, group-aware consensus, priorities.

All functions work on count arrays (groups x statements), so they cost O(groups x statements) once
the counts are known; counting is one ``bincount`` over the votes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from civic_algorithms.opinion.model import (
    ConsensusStatement,
    FloatArray,
    Id,
    IdArray,
    IntArray,
    RepresentativeStatement,
)


@dataclass(frozen=True)
class Counts:
    """Agree, disagree and seen (any vote, pass included) counts, shape (groups, statements)."""

    agree: IntArray
    disagree: IntArray
    seen: IntArray


def count_votes(
    rows: npt.NDArray[np.int32],
    cols: npt.NDArray[np.int32],
    values: npt.NDArray[np.int8],
    row_group: IntArray,
    n_groups: int,
    n_statements: int,
) -> Counts:
    """Count votes per (group, statement); rows whose group is -1 are left out."""
    group = row_group[rows]
    keep = group >= 0
    index = group[keep] * n_statements + cols[keep]
    size = n_groups * n_statements
    vals = values[keep]
    agree = np.bincount(index[vals == 1], minlength=size)
    disagree = np.bincount(index[vals == -1], minlength=size)
    seen = np.bincount(index, minlength=size)
    shape = (n_groups, n_statements)
    return Counts(
        agree=agree.reshape(shape).astype(np.int64),
        disagree=disagree.reshape(shape).astype(np.int64),
        seen=seen.reshape(shape).astype(np.int64),
    )


def prop_test(successes: npt.ArrayLike, trials: npt.ArrayLike) -> FloatArray:
    """Polis one-proportion z-score against 1/2, with +1 pseudo-counts."""
    s = np.asarray(successes, dtype=np.float64) + 1.0
    n = np.asarray(trials, dtype=np.float64) + 1.0
    result: FloatArray = 2.0 * np.sqrt(n) * (s / n - 0.5)
    return result


def two_prop_test(
    succ_in: npt.ArrayLike, succ_out: npt.ArrayLike, pop_in: npt.ArrayLike, pop_out: npt.ArrayLike
) -> FloatArray:
    """Polis two-proportion z-score (group vs the rest), with +1 pseudo-counts."""
    s1 = np.asarray(succ_in, dtype=np.float64) + 1.0
    s2 = np.asarray(succ_out, dtype=np.float64) + 1.0
    n1 = np.asarray(pop_in, dtype=np.float64) + 1.0
    n2 = np.asarray(pop_out, dtype=np.float64) + 1.0
    pi_hat = (s1 + s2) / (n1 + n2)
    variance = pi_hat * (1.0 - pi_hat) * (1.0 / n1 + 1.0 / n2)
    z = np.divide(
        s1 / n1 - s2 / n2, np.sqrt(variance), out=np.zeros_like(pi_hat), where=variance > 0
    )
    result: FloatArray = np.where(pi_hat == 1.0, 0.0, z)
    return result


@dataclass(frozen=True)
class RepnessTable:
    """Per (group, statement) Polis repness statistics (n=count, p=probability, r=ratio, t=test)."""

    na: IntArray
    nd: IntArray
    ns: IntArray
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray


def repness_table(counts: Counts) -> RepnessTable:
    """Compare each group with the other groups on every statement."""
    na, nd, ns = counts.agree, counts.disagree, counts.seen
    rest_a = na.sum(axis=0)[None, :] - na
    rest_d = nd.sum(axis=0)[None, :] - nd
    rest_s = ns.sum(axis=0)[None, :] - ns
    pa = (1.0 + na) / (2.0 + ns)
    pd = (1.0 + nd) / (2.0 + ns)
    return RepnessTable(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((1.0 + rest_a) / (2.0 + rest_s)),
        rd=pd / ((1.0 + rest_d) / (2.0 + rest_s)),
        rat=two_prop_test(na, rest_a, ns, rest_s),
        rdt=two_prop_test(nd, rest_d, ns, rest_s),
    )


def _finalize(t: RepnessTable, g: int, j: int, statement_id: Id) -> RepresentativeStatement:
    # Polis keeps the chosen test statistic as a 32-bit float; so do we, for identical rankings.
    if t.rat[g, j] > t.rdt[g, j]:
        return RepresentativeStatement(
            statement_id=statement_id,
            repful_for="agree",
            n_success=int(t.na[g, j]),
            n_trials=int(t.ns[g, j]),
            p_success=float(t.pa[g, j]),
            p_test=float(t.pat[g, j]),
            repness=float(t.ra[g, j]),
            repness_test=float(np.float32(t.rat[g, j])),
        )
    return RepresentativeStatement(
        statement_id=statement_id,
        repful_for="disagree",
        n_success=int(t.nd[g, j]),
        n_trials=int(t.ns[g, j]),
        p_success=float(t.pd[g, j]),
        p_test=float(t.pdt[g, j]),
        repness=float(t.rd[g, j]),
        repness_test=float(np.float32(t.rdt[g, j])),
    )


def _metric(r: RepresentativeStatement) -> float:
    return r.repness * r.repness_test * r.p_success * r.p_test


def select_representative(
    table: RepnessTable,
    statement_ids: IdArray,
    eligible: npt.NDArray[np.bool_],
    *,
    z: float = 1.2816,
    pick_max: int = 5,
) -> list[tuple[RepresentativeStatement, ...]]:
    """Polis' choice of up to ``pick_max`` representative statements per group.

    A statement qualifies when both its probability and its difference from the other groups are
    significant (agree or disagree side). Each group always gets at least one statement (the best
    by test, or preferably the best agreed-with one), which goes first.
    """
    n_groups = table.na.shape[0]
    result: list[tuple[RepresentativeStatement, ...]] = []
    columns = np.flatnonzero(eligible)
    passes = ((table.rat > z) & (table.pat > z)) | ((table.rdt > z) & (table.pdt > z))
    for g in range(n_groups):
        sufficient: list[RepresentativeStatement] = []
        best: RepresentativeStatement | None = None
        best_agree: int | None = None
        for j in columns.tolist():
            sid = statement_ids[j].item()
            if passes[g, j]:
                sufficient.append(_finalize(table, g, j, sid))
            if not sufficient:
                z_here = max(table.rat[g, j], table.rdt[g, j])
                if best is None or z_here > best.repness_test:
                    best = _finalize(table, g, j, sid)
            if _beats_best_agree(table, g, j, best_agree, z):
                best_agree = int(j)
        head: list[RepresentativeStatement] = []
        if best_agree is not None:
            base = _finalize(table, g, best_agree, statement_ids[best_agree].item())
            head = [replace(base, best_agree=True, n_agree=int(table.na[g, best_agree]))]
        elif best is not None:
            head = [best]
        if not sufficient:
            result.append(tuple(head))
            continue
        head_id = head[0].statement_id if best_agree is not None else None
        rest = sorted(
            (r for r in sufficient if r.statement_id != head_id), key=lambda r: -_metric(r)
        )
        chosen = ((head if best_agree is not None else []) + rest)[:pick_max]
        ordered = [r for r in chosen if r.repful_for == "agree"] + [
            r for r in chosen if r.repful_for == "disagree"
        ]
        result.append(tuple(ordered))
    return result


def _beats_best_agree(t: RepnessTable, g: int, j: int, current: int | None, z: float) -> bool:
    if t.na[g, j] == 0 and t.nd[g, j] == 0:
        return False
    if current is not None and t.ra[g, current] > 1.0:
        here = t.ra[g, j] * t.rat[g, j] * t.pa[g, j] * t.pat[g, j]
        there = t.ra[g, current] * t.rat[g, current] * t.pa[g, current] * t.pat[g, current]
        return bool(here > there)
    if current is not None:
        return bool(t.pa[g, j] * t.pat[g, j] > t.pa[g, current] * t.pat[g, current])
    return bool(t.pat[g, j] > z or (t.ra[g, j] > 1.0 and t.pa[g, j] > 0.5))


def select_consensus(
    counts: Counts,
    statement_ids: IdArray,
    eligible: npt.NDArray[np.bool_],
    *,
    z: float = 1.2816,
    pick_max: int = 5,
) -> tuple[tuple[ConsensusStatement, ...], tuple[ConsensusStatement, ...]]:
    """Polis consensus statements over all participants: (agree side, disagree side)."""
    na, nd, ns = counts.agree[0], counts.disagree[0], counts.seen[0]
    sides: list[tuple[ConsensusStatement, ...]] = []
    side: Literal["agree", "disagree"]
    for side in ("agree", "disagree"):
        n = na if side == "agree" else nd
        p = (1.0 + n) / (2.0 + ns)
        test = prop_test(n, ns)
        ok = np.flatnonzero(eligible & (p > 0.5) & (test > z))
        # Stable sort on the metric keeps statement order among equals, as Polis' sort-by does.
        ranked = ok[np.argsort(-(p[ok] * test[ok]), kind="stable")][:pick_max]
        sides.append(
            tuple(
                ConsensusStatement(
                    statement_id=statement_ids[j].item(),
                    n_success=int(n[j]),
                    n_trials=int(ns[j]),
                    p_success=float(p[j]),
                    p_test=float(test[j]),
                )
                for j in ranked
            )
        )
    return sides[0], sides[1]


def group_aware_consensus(counts: Counts) -> FloatArray:
    """Product over groups of (agrees + 1) / (seen + 2): high only if every group tends to agree."""
    if counts.agree.shape[0] == 0:
        return np.zeros(counts.agree.shape[1])
    probabilities = (counts.agree + 1.0) / (counts.seen + 2.0)
    result: FloatArray = np.prod(probabilities, axis=0)
    return result


META_PRIORITY = 7.0


def priorities(counts: Counts, extremity: FloatArray, meta: npt.NDArray[np.bool_]) -> FloatArray:
    """Polis comment priority: favour statements that are divisive, little-seen and not passed."""
    a = counts.agree.sum(axis=0).astype(np.float64)
    d = counts.disagree.sum(axis=0).astype(np.float64)
    s = counts.seen.sum(axis=0).astype(np.float64)
    p = s - a - d
    pass_rate = (p + 1.0) / (s + 2.0)
    agree_rate = (a + 1.0) / (s + 2.0)
    importance = (1.0 - pass_rate) * (extremity + 1.0) * agree_rate
    novelty = 1.0 + 8.0 * np.power(2.0, -s / 5.0)
    result: FloatArray = np.where(meta, META_PRIORITY, importance * novelty) ** 2
    return result
