"""The opinion-mapping pipeline, as the original Polis math runs it on a conversation.

1. Participants count ("in conversation") once they voted on min(7, statements) statements; while
   fewer than 15 count, the most active voters are added; once in, always in (Polis keeps the set
   between updates: pass the previous set as ``keep_participant_ids`` or use :class:`OpinionEngine`;
   those Polis let in while the conversation was young are replayed from the vote times).
2. PCA of the mean-filled, centred vote matrix (moderated-out and meta statements zeroed) and the
   Polis sparsity-aware projection of every participant to (x, y).
3. Up to 100 base clusters of the participants who count (Polis k-means, arrival order), then
   weighted k-means of the base clusters into k = 2..5 groups; the fewest groups whose participant
   silhouette is within a margin of the best (decision 0203), smoothed across updates as in Polis.
4. Representative statements per group, consensus statements, group-aware consensus, priorities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civic_algorithms.opinion import clusters, stats
from civic_algorithms.opinion.model import (
    Conversation,
    FloatArray,
    Group,
    Id,
    IdArray,
    IntArray,
    OpinionMap,
    Parameters,
    VoteTable,
    as_id_array,
    readonly,
)
from civic_algorithms.opinion.pca import (
    centered_matrix,
    principal_components,
    project,
    statement_extremity,
)
from civic_algorithms.opinion.store import MatrixView, VoteStore

METHOD = "polis-opinion-map"
VERSION = "1.0"
COORDINATE_DECIMALS = 9


def analyse(
    conversation: Conversation,
    *,
    seed: int = 0,
    parameters: Parameters | None = None,
    keep_participant_ids: Iterable[Id] = (),
) -> OpinionMap:
    """Analyse a whole conversation at once (the same as one batch into a fresh engine)."""
    engine = OpinionEngine(
        moderated_out=conversation.moderated_out,
        meta=conversation.meta,
        parameters=parameters,
        keep_participant_ids=keep_participant_ids,
    )
    if conversation.participants_without_votes:
        engine.add_participants(conversation.participants_without_votes)
    engine.add_votes(conversation.votes)
    return engine.analyse(seed=seed)


class OpinionEngine:
    """Holds the vote matrix in memory so that new votes are merged without re-reading anything.

    ``add_votes`` costs O(b log b + nnz) for a batch of b votes; ``analyse`` then costs about as
    much as a fresh analysis of the in-memory matrix (see docs/opinion.md for measured numbers).
    The set of participants who count only grows, as in Polis.
    """

    def __init__(
        self,
        *,
        moderated_out: Iterable[Id] = (),
        meta: Iterable[Id] = (),
        parameters: Parameters | None = None,
        keep_participant_ids: Iterable[Id] = (),
        smoother: clusters.KSmoother | None = None,
    ) -> None:
        """``keep_participant_ids`` and ``smoother`` carry an earlier engine's history (who
        counts, the damping of the number of groups) into a new one, as after a restart."""
        self.parameters = parameters or Parameters()
        self._store = VoteStore()
        self._moderated_out: set[Id] = set(moderated_out)
        self._meta: set[Id] = set(meta)
        self._in_conv: set[Id] = set(keep_participant_ids)
        self._smoother = smoother or clusters.KSmoother()

    @property
    def smoother(self) -> clusters.KSmoother:
        """The damping of the number of groups after the last analysis (to restore later)."""
        return self._smoother

    @property
    def n_votes(self) -> int:
        """Votes currently held (one per participant and statement)."""
        return self._store.nnz

    def add_votes(self, batch: VoteTable) -> None:
        """Merge a batch of votes; later votes replace earlier ones on the same statement."""
        self._store.add(batch)

    def add_participants(self, participant_ids: Iterable[Id]) -> None:
        """Register participants who have not voted yet."""
        self._store.add_participants(as_id_array(list(participant_ids), what="participant ids"))

    def set_moderation(self, *, moderated_out: Iterable[Id], meta: Iterable[Id] = ()) -> None:
        """Replace the sets of moderated-out and meta statements."""
        self._moderated_out = set(moderated_out)
        self._meta = set(meta)

    def analyse(self, *, seed: int = 0) -> OpinionMap:
        """Run the whole method on the votes held now.

        The Polis method as implemented here uses no randomness (k-means starts from the first
        distinct points in arrival order and the PCA is exact), so the seed does not change the
        result; it is recorded with the result for provenance.
        """
        view = self._store.view()
        result, self._smoother = _run(
            view,
            moderated_out=self._moderated_out,
            meta=self._meta,
            keep=self._in_conv,
            smoother=self._smoother,
            parameters=self.parameters,
            seed=seed,
        )
        self._in_conv = set(result.participant_ids[result.clustered].tolist())
        return result


@dataclass(frozen=True)
class _Membership:
    clustered: npt.NDArray[np.bool_]
    base_labels: IntArray
    base_centers: FloatArray
    group_labels: IntArray
    group_centers: FloatArray
    silhouettes: dict[int, float]


def _mask_of(ids: IdArray, chosen: set[Id]) -> npt.NDArray[np.bool_]:
    if not chosen or len(ids) == 0:
        return np.zeros(len(ids), dtype=bool)
    values = [c for c in chosen if isinstance(c, str) == (ids.dtype.kind == "U")]
    if not values:
        return np.zeros(len(ids), dtype=bool)
    mask: npt.NDArray[np.bool_] = np.isin(ids, np.asarray(values, dtype=ids.dtype))
    return mask


def let_in_as_votes_arrived(view: MatrixView, parameters: Parameters) -> npt.NDArray[np.bool_]:
    """Participants Polis let in while the conversation was young, replayed from vote times.

    Polis re-applies its rule after every batch of votes and never lets anyone out again: while
    fewer than ``greedy_participants`` count, everyone who has voted is topped up (so the first
    arrivals are in), and the vote threshold is min(7, statements voted on so far), so whoever voted
    on every statement while there were fewer than 7 is in. Replayed vote by vote (the finest
    schedule Polis could have run), from the time of each participant's kept vote. Nobody is
    added when some vote has no time: the order of arrival is then unknown.
    """
    n = view.n_participants
    members = np.zeros(n, dtype=bool)
    times = view.times
    if view.nnz == 0 or np.isnan(times).any():
        return members
    order = clusters.points_order(view.first_seen, n)
    arrived = order[view.vote_counts()[order] > 0]
    members[arrived[: parameters.greedy_participants]] = True
    # The time at which the min_votes-th statement got its first vote: before it, the threshold
    # was the number of statements voted on so far.
    first_vote = np.full(view.n_statements, np.inf)
    np.minimum.at(first_vote, view.cols, times)
    opened = np.sort(first_vote[np.isfinite(first_vote)])
    horizon = opened[parameters.min_votes - 1] if len(opened) >= parameters.min_votes else np.inf
    early = np.flatnonzero(times < horizon)
    if len(early) == 0:
        return members
    early = early[np.argsort(times[early], kind="stable")]
    who = view.rows()[early]
    # Running number of votes of each participant, and of statements voted on, vote by vote.
    by_who = np.argsort(who, kind="stable")
    sorted_who = who[by_who]
    starts = np.flatnonzero(np.concatenate(([True], sorted_who[1:] != sorted_who[:-1])))
    lengths = np.diff(np.append(starts, len(who)))
    running = np.empty(len(who), dtype=np.int64)
    running[by_who] = np.arange(len(who)) - np.repeat(starts, lengths) + 1
    _, first_of_statement = np.unique(view.cols[early], return_index=True)
    opened_so_far = np.zeros(len(who), dtype=np.int64)
    opened_so_far[first_of_statement] = 1
    members[who[running >= np.cumsum(opened_so_far)]] = True
    return members


def in_conversation(
    view: MatrixView, keep: npt.NDArray[np.bool_], parameters: Parameters
) -> npt.NDArray[np.bool_]:
    """Polis' participants who count: enough votes, kept from before, let in while the
    conversation was young (:func:`let_in_as_votes_arrived`), or among the most active."""
    counts = view.vote_counts()
    threshold = min(parameters.min_votes, view.n_statements)
    members: npt.NDArray[np.bool_] = ((counts >= threshold) & (counts > 0)) | keep
    if parameters.in_conv_history:
        members = members | let_in_as_votes_arrived(view, parameters)
    missing = parameters.greedy_participants - int(members.sum())
    if missing > 0:
        order = clusters.points_order(view.first_seen, view.n_participants)
        # Most votes first; ties in arrival order.
        ranked = order[np.argsort(-counts[order], kind="stable")]
        candidates = ranked[~members[ranked] & (counts[ranked] > 0)][:missing]
        members = members.copy()
        members[candidates] = True
    return members


def _cluster(
    view: MatrixView,
    coordinates: FloatArray,
    clustered: npt.NDArray[np.bool_],
    smoother: clusters.KSmoother,
    parameters: Parameters,
) -> tuple[_Membership, clusters.KSmoother]:
    n = view.n_participants
    base_labels = np.full(n, -1, dtype=np.int64)
    group_labels = np.full(n, -1, dtype=np.int64)
    order = clusters.points_order(view.first_seen, n)
    members = order[clustered[order]]
    if len(members) == 0:
        empty = np.zeros((0, 2))
        return _Membership(clustered, base_labels, empty, group_labels, empty, {}), smoother
    points = coordinates[members]
    base = clusters.kmeans(
        points,
        parameters.base_k,
        max_iterations=parameters.base_iterations,
        threshold=parameters.convergence_threshold,
    )
    base_labels[members] = base.labels
    sizes = np.bincount(base.labels, minlength=len(base.centers)).astype(np.float64)
    candidates = clusters.group_clusterings(
        base.centers,
        sizes,
        max_groups=parameters.max_groups,
        max_iterations=parameters.group_iterations,
        threshold=parameters.convergence_threshold,
    )
    scores = _participant_silhouettes(points, base.labels, candidates, parameters)
    best_k = clusters.fewest_groups_within(scores, parameters.group_k_margin)
    smoother = smoother.update(best_k, parameters.group_k_buffer)
    k = smoother.smoothed_k if smoother.smoothed_k in candidates.by_k else best_k
    chosen = candidates.by_k[k]
    group_labels[members] = chosen.labels[base.labels]
    membership = _Membership(
        clustered=clustered,
        base_labels=base_labels,
        base_centers=base.centers,
        group_labels=group_labels,
        group_centers=chosen.centers,
        silhouettes=scores,
    )
    return membership, smoother


def _participant_silhouettes(
    points: FloatArray,
    base_labels: IntArray,
    candidates: clusters.GroupClusterings,
    parameters: Parameters,
) -> dict[int, float]:
    """Silhouette of each candidate grouping over the participants themselves (decision 0203),
    on at most ``silhouette_sample`` of them, evenly spread over the arrival order."""
    if not candidates.silhouettes:
        return {}
    n = len(points)
    sample = np.arange(n)
    if n > parameters.silhouette_sample:
        sample = np.unique(np.linspace(0, n - 1, parameters.silhouette_sample).round().astype(int))
    labelings = {k: c.labels[base_labels[sample]] for k, c in candidates.by_k.items()}
    return clusters.silhouettes(points[sample], labelings)


def _run(
    view: MatrixView,
    *,
    moderated_out: set[Id],
    meta: set[Id],
    keep: set[Id],
    smoother: clusters.KSmoother,
    parameters: Parameters,
    seed: int,
) -> tuple[OpinionMap, clusters.KSmoother]:
    n, m = view.n_participants, view.n_statements
    out_mask = _mask_of(view.statement_ids, moderated_out)
    meta_mask = _mask_of(view.statement_ids, meta)
    zeroed = out_mask | meta_mask

    centered, center = centered_matrix(view, zeroed)
    components, eigenvalues = principal_components(centered, dense_limit=parameters.dense_pca_limit)
    rows = view.rows()
    counts = view.vote_counts()
    votes_on_zeroed = np.bincount(rows[zeroed[view.cols]], minlength=n)
    projection_votes = counts - votes_on_zeroed + int(zeroed.sum())
    # Rounded to 1e-9 so that floating-point noise (the order of a sum, e.g. after reordering the
    # statements) cannot change a clustering decision.
    coordinates = np.round(project(centered, components, projection_votes), COORDINATE_DECIMALS)

    clustered = in_conversation(view, _mask_of(view.participant_ids, keep), parameters)
    membership, smoother = _cluster(view, coordinates, clustered, smoother, parameters)
    k = len(membership.group_centers)

    group_counts = stats.count_votes(rows, view.cols, view.values, membership.group_labels, k, m)
    everyone = np.zeros(n, dtype=np.int64)
    all_counts = stats.count_votes(rows, view.cols, view.values, everyone, 1, m)
    eligible = ~zeroed
    table = stats.repness_table(group_counts)
    representative = stats.select_representative(
        table,
        view.statement_ids,
        eligible,
        z=parameters.significance_z,
        pick_max=parameters.representative_max,
    )
    agree, disagree = stats.select_consensus(
        all_counts,
        view.statement_ids,
        eligible,
        z=parameters.significance_z,
        pick_max=parameters.consensus_max,
    )
    extremity = statement_extremity(center, components)
    groups = tuple(
        Group(
            label=g,
            center=(float(membership.group_centers[g, 0]), float(membership.group_centers[g, 1])),
            participant_ids=tuple(view.participant_ids[membership.group_labels == g].tolist()),
        )
        for g in range(k)
    )
    result = OpinionMap(
        participant_ids=view.participant_ids,
        statement_ids=view.statement_ids,
        coordinates=readonly(coordinates),
        vote_counts=readonly(counts),
        clustered=readonly(clustered),
        group_labels=readonly(membership.group_labels),
        base_cluster_labels=readonly(membership.base_labels),
        base_centers=readonly(membership.base_centers),
        groups=groups,
        silhouettes=dict(membership.silhouettes),
        pca_center=readonly(center),
        pca_components=readonly(components),
        pca_eigenvalues=readonly(eigenvalues),
        moderated_out=readonly(out_mask),
        meta=readonly(meta_mask),
        representative={g: representative[g] for g in range(k)},
        consensus_agree=agree,
        consensus_disagree=disagree,
        group_aware_consensus=readonly(stats.group_aware_consensus(group_counts)),
        extremity=readonly(extremity),
        priorities=readonly(stats.priorities(group_counts, extremity, meta_mask)),
        n_votes=view.nnz,
        parameters=parameters,
        seed=seed,
    )
    return result, smoother
