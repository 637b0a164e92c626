"""The result as plain JSON-ready data (what the CLI prints and the web app can store)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from civic_algorithms.opinion.engine import METHOD, VERSION
from civic_algorithms.opinion.model import ConsensusStatement, OpinionMap, RepresentativeStatement


def _rounded(value: float, digits: int = 10) -> float:
    return round(float(value), digits)


def _repness(item: RepresentativeStatement) -> dict[str, Any]:
    data = asdict(item)
    if not item.best_agree:
        data.pop("n_agree")
    return data


def _consensus(item: ConsensusStatement) -> dict[str, Any]:
    return asdict(item)


def to_json_dict(result: OpinionMap) -> dict[str, Any]:
    """Groups, coordinates, representative and consensus statements, priorities and provenance."""
    ids = [str(i) for i in result.participant_ids.tolist()]
    sids = result.statement_ids.tolist()
    group_of = {ids[i]: int(result.group_labels[i]) for i in range(len(ids)) if result.clustered[i]}
    return {
        "method": METHOD,
        "version": VERSION,
        "seed": result.seed,
        "parameters": asdict(result.parameters),
        "participants": len(ids),
        "statements": len(sids),
        "votes": result.n_votes,
        "clustered_participants": len(group_of),
        "k": result.k,
        "silhouettes": {str(k): _rounded(v) for k, v in result.silhouettes.items()},
        "groups": group_of,
        "group_sizes": {str(g.label): g.size for g in result.groups},
        "coordinates": {
            ids[i]: [_rounded(result.coordinates[i, 0]), _rounded(result.coordinates[i, 1])]
            for i in range(len(ids))
        },
        "repness": {
            str(label): [_repness(item) for item in items]
            for label, items in result.representative.items()
        },
        "consensus": [
            {"statement_id": sid, "score": score} for sid, score in result.consensus_ranking()
        ],
        "consensus_statements": {
            "agree": [_consensus(c) for c in result.consensus_agree],
            "disagree": [_consensus(c) for c in result.consensus_disagree],
        },
        "priorities": [
            {"statement_id": sid, "priority": score} for sid, score in result.priority_ranking()
        ],
        "moderated_out": [
            s for s, out in zip(sids, result.moderated_out.tolist(), strict=True) if out
        ],
        "pca": {
            "statement_ids": sids,
            "center": [_rounded(v) for v in result.pca_center.tolist()],
            "components": [[_rounded(v) for v in row] for row in result.pca_components.tolist()],
            "eigenvalues": [_rounded(v) for v in result.pca_eigenvalues.tolist()],
        },
    }
