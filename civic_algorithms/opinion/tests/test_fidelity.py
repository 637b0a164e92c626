"""Fidelity to the groups the Polis server showed (decision 0203): who is let in as the votes
arrive, and how many groups are chosen. Small constructed cases, then the shared conversations
against their reference answers (Polis' own groups and red-dwarf 0.4.0's in ../shared/data), and
the evidence that the remaining gaps lie in history an export does not hold (decision 0057)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from civic_algorithms.opinion import Conversation, Parameters, VoteTable, analyse, clusters
from civic_algorithms.opinion.compare import ari_on_common
from civic_algorithms.opinion.engine import in_conversation, let_in_as_votes_arrived
from civic_algorithms.opinion.model import FloatArray
from civic_algorithms.opinion.readers import read_polis_server_groups
from civic_algorithms.opinion.store import MatrixView, VoteStore
from civic_algorithms.opinion.tests import shared


def _view(rows: list[tuple[int, int, int, float]], *, timed: bool = True) -> MatrixView:
    store = VoteStore()
    p, s, v, t = zip(*rows, strict=True)
    store.add(VoteTable.from_arrays(p, s, v, t if timed else None))
    return store.view()


def _ids(view: MatrixView, mask: np.ndarray) -> set[int]:
    return set(view.participant_ids[mask].tolist())


# --- who is let in --------------------------------------------------------------------------


def test_the_first_arrivals_are_let_in_whatever_they_voted() -> None:
    # 20 people arrive one after the other (person i at time i) with one vote each on one of
    # ten statements; later, person 100 votes on eight statements.
    rows = [(i, i % 10, 1, float(i)) for i in range(20)]
    rows += [(100, s, -1, 100.0 + s) for s in range(8)]
    view = _view(rows)
    early = let_in_as_votes_arrived(view, Parameters())
    # Greedy top-up: while fewer than 15 counted, everyone who had voted was added.
    assert set(range(15)) <= _ids(view, early)
    assert not ({15, 16, 17, 18, 19, 100} & _ids(view, early))
    members = in_conversation(view, np.zeros(view.n_participants, dtype=bool), Parameters())
    assert _ids(view, members) == set(range(15)) | {100}


def test_voting_on_every_statement_while_there_were_few_lets_you_in() -> None:
    # Three statements for a long time: whoever voted on all three then was in (threshold
    # min(7, statements voted on so far)); the same three votes later, with 9 statements, are not
    # enough. No greedy top-up here, to see the threshold alone.
    rows: list[tuple[int, int, int, float]] = []
    for person in range(5):
        rows += [(person, s, 1, 10.0 * person + s) for s in range(3)]
    # Person 50 opens statements 3..8 before voting on 0..2: never all of them while fewer than 7
    # were open, but nine votes in the end.
    rows += [(50, s, 1, 100.0 + (s + 6) % 9) for s in range(9)]
    rows += [(60, s, -1, 200.0 + s) for s in range(3)]  # three votes when nine statements exist
    view = _view(rows)
    rule = Parameters(greedy_participants=0)
    assert _ids(view, let_in_as_votes_arrived(view, rule)) == {0, 1, 2, 3, 4}
    members = in_conversation(view, np.zeros(view.n_participants, dtype=bool), rule)
    assert _ids(view, members) == {0, 1, 2, 3, 4, 50}
    off = Parameters(greedy_participants=0, in_conv_history=False)
    assert _ids(view, in_conversation(view, np.zeros(len(members), dtype=bool), off)) == {50}


def test_without_vote_times_nobody_is_let_in_early() -> None:
    rows = [(i, i % 10, 1, float(i)) for i in range(20)]
    view = _view(rows, timed=False)
    assert not let_in_as_votes_arrived(view, Parameters()).any()


def test_a_later_vote_on_an_old_statement_does_not_count_as_early() -> None:
    # Person 9 first votes after seven statements were open: the threshold is 7 for them.
    rows = [(0, s, 1, float(s)) for s in range(7)] + [(9, 0, 1, 50.0), (9, 1, 1, 51.0)]
    view = _view(rows)
    assert _ids(view, let_in_as_votes_arrived(view, Parameters(greedy_participants=0))) == {0}


# --- how many groups ------------------------------------------------------------------------


def test_silhouettes_of_several_labelings_match_the_single_one() -> None:
    rng = np.random.default_rng(4)
    points = rng.normal(size=(1500, 2))  # more than one block of 1,024 rows
    labelings = {k: rng.integers(0, k, size=len(points)) for k in (2, 3, 5)}
    labelings[4] = np.zeros(len(points), dtype=np.int64)  # one cluster only: 0
    labelings[4][0] = 1  # ... and a singleton, which scores 0
    scores = clusters.silhouettes(points, labelings)
    for k, labels in labelings.items():
        assert scores[k] == pytest.approx(clusters.silhouette(points, labels), abs=1e-12)


def test_fewest_groups_within_the_margin_of_the_best() -> None:
    scores = {2: 0.420, 3: 0.427, 4: 0.300}
    assert clusters.fewest_groups_within(scores, 0.01) == 2
    assert clusters.fewest_groups_within(scores, 0.0) == 3
    assert clusters.fewest_groups_within({2: 0.275, 3: 0.300}, 0.01) == 3
    assert clusters.fewest_groups_within({}, 0.01) == 1


def _camps(n_camps: int, flip: float) -> Conversation:
    """150 people in ``n_camps`` camps; camp c agrees with the statements s where s % 3 == c and
    disagrees with the rest, each vote flipped with probability ``flip``."""
    rng = np.random.default_rng(11)
    people, statements, votes = [], [], []
    for person in range(150):
        for s in range(12):
            vote = 1 if s % 3 == person % n_camps else -1
            people.append(person)
            statements.append(s)
            votes.append(-vote if rng.random() < flip else vote)
    return Conversation(votes=VoteTable.from_arrays(people, statements, votes))


@pytest.mark.parametrize(("n_camps", "flip"), [(2, 0.1), (2, 0.25), (3, 0.1), (3, 0.2)])
def test_clearly_separated_camps_give_their_number_of_groups(n_camps: int, flip: float) -> None:
    result = analyse(_camps(n_camps, flip))
    assert result.k == n_camps
    assert result.k == analyse(_camps(n_camps, flip), parameters=Parameters(group_k_margin=0)).k
    assert result.k == clusters.fewest_groups_within(dict(result.silhouettes), 0.01)


def test_a_near_tie_keeps_fewer_groups(shared_data: Path) -> None:
    """bowling-green: four groups score 0.002 better than two; Polis showed two."""
    folder = shared_data / "polis" / "american-assembly.bowling-green"
    result = shared.result(folder)
    scores = dict(result.silhouettes)
    assert max(scores, key=scores.__getitem__) == 4
    assert scores[4] - scores[2] < 0.01
    assert result.k == 2 == len(set(read_polis_server_groups(folder).values()))


# --- the shared conversations against their reference answers -------------------------------


def _folder(shared_data: Path, name: str) -> Path:
    return shared_data / "polis" / name


@pytest.mark.parametrize(
    "name", ["reddwarf-fixture.below-100-ptpts", "scoop-hivemind.biodiversity", "vtaiwan.uberx"]
)
def test_replayed_participants_are_exactly_those_polis_grouped(
    shared_data: Path, name: str
) -> None:
    folder = _folder(shared_data, name)
    ours = shared.result(folder)
    assert set(ours.group_of()) == set(read_polis_server_groups(folder))


POLIS_K_MATCHED = (
    "reddwarf-fixture.below-100-ptpts",
    "brexit-consensus",
    "reddwarf-fixture.above-100-ptpts",
    "scoop-hivemind.biodiversity",
    "vtaiwan.uberx",
    "american-assembly.bowling-green",
)


@pytest.mark.parametrize("name", POLIS_K_MATCHED)
def test_number_of_groups_matches_the_polis_server(shared_data: Path, name: str) -> None:
    folder = _folder(shared_data, name)
    assert shared.result(folder).k == len(set(read_polis_server_groups(folder).values()))


def _aris(shared_data: Path, name: str) -> tuple[float, float]:
    folder = _folder(shared_data, name)
    polis = read_polis_server_groups(folder)
    reference = shared.reddwarf(folder)["cluster_labels"]
    reddwarf = {int(p): int(g) for p, g in reference.items()}
    return (
        ari_on_common(shared.result(folder).group_of(), polis)[0],
        ari_on_common(reddwarf, polis)[0],
    )


@pytest.mark.parametrize(
    "name",
    [
        "reddwarf-fixture.below-100-ptpts",
        "brexit-consensus",
        "scoop-hivemind.biodiversity",
        "vtaiwan.uberx",
        "american-assembly.bowling-green",
    ],
)
def test_at_least_as_close_to_polis_as_reddwarf(shared_data: Path, name: str) -> None:
    ours, theirs = _aris(shared_data, name)
    assert ours >= theirs


def test_closer_to_polis_than_reddwarf_on_average(shared_data: Path) -> None:
    pairs = [_aris(shared_data, name) for name in shared.CONVERSATIONS]
    ours, theirs = (sum(column) / len(pairs) for column in zip(*pairs, strict=True))
    assert ours > theirs + 0.05


# --- meta statements ------------------------------------------------------------------------


def test_meta_flags_are_read_however_the_export_writes_them(tmp_path: Path) -> None:
    import json

    from civic_algorithms.opinion import read_conversation

    votes = [
        {"participant_id": p, "statement_id": s, "vote": 1, "modified": 1000 * p + s}
        for p in range(3)
        for s in range(6)
    ]
    flags: list[object] = [True, 1, "true", False, 0, None]
    comments = [
        {"statement_id": s, "moderated": 1, "is_meta": flag, "txt": f"statement {s}"}
        for s, flag in enumerate(flags)
    ]
    (tmp_path / "votes.json").write_text(json.dumps(votes))
    (tmp_path / "comments.json").write_text(json.dumps(comments))
    conversation = read_conversation(tmp_path)
    assert conversation.meta == frozenset({0, 1, 2})
    result = analyse(conversation)
    assert result.meta.tolist() == [True, True, True, False, False, False]
    assert np.all(result.pca_components[:, :3] == 0.0)


# --- what an export cannot recover (decision 0057) ------------------------------------------


def _separable(first: FloatArray, second: FloatArray) -> bool:
    """Whether a straight line splits two sets of points on the map (a linear programme)."""
    from scipy.optimize import linprog

    # Find (w, c) with w.x - c >= 1 on the first set and <= -1 on the second.
    rows = np.vstack(
        [
            np.column_stack([-first, np.ones(len(first))]),
            np.column_stack([second, -np.ones(len(second))]),
        ]
    )
    found = linprog(np.zeros(3), A_ub=rows, b_ub=-np.ones(len(rows)), bounds=[(None, None)] * 3)
    return bool(found.status == 0)


def _inseparable_pairs(
    position: Mapping[Any, FloatArray], groups: Mapping[Any, int]
) -> set[tuple[int, int]]:
    """Pairs of groups that no straight line on the map splits."""
    labels = sorted(set(groups.values()))
    members = {g: np.array([position[p] for p in groups if groups[p] == g]) for g in labels}
    return {
        (a, b) for a in labels for b in labels if a < b and not _separable(members[a], members[b])
    }


def test_polis_groups_on_london_are_not_a_partition_of_the_exported_map(
    shared_data: Path,
) -> None:
    """Every base cluster is one participant here, so any grouping Polis could compute from these
    votes is split by straight lines on this map (the map equals Polis' to 1e-15, decision 0200).
    Polis' 3/18/3 groups are not: they came from base clusters its history had built."""
    folder = _folder(shared_data, "london.youth.policing")
    result = shared.result(folder)
    clustered = result.clustered
    assert len(np.unique(result.base_cluster_labels[clustered])) == int(clustered.sum())
    position = dict(zip(result.participant_ids.tolist(), result.coordinates, strict=True))
    polis = read_polis_server_groups(folder)
    assert sorted(np.bincount(list(polis.values())).tolist()) == [3, 3, 18]
    assert _inseparable_pairs(position, polis) == {(0, 1), (1, 2)}
    assert _inseparable_pairs(position, result.group_of()) == set()  # the check can tell


def _arrivals(folder: Path) -> dict[int, tuple[float, int]]:
    """Participant -> (time of first vote, number of statements voted on)."""
    votes = shared.conversation(folder).votes
    assert votes.timestamps is not None
    first: dict[int, float] = {}
    statements: dict[int, set[int]] = {}
    for p, s, t in zip(
        votes.participant_ids.tolist(),
        votes.statement_ids.tolist(),
        votes.timestamps.tolist(),
        strict=True,
    ):
        first[p] = min(first.get(p, t), t)
        statements.setdefault(p, set()).add(s)
    return {p: (first[p], len(statements[p])) for p in first}


def test_polis_kept_early_participants_on_football_but_not_on_vtaiwan(shared_data: Path) -> None:
    """football-concussions: Polis grouped everyone who arrived before a day in December 2017,
    however few their votes. vtaiwan.uberx ran through the same years, and there Polis grouped
    almost none of them. No rule on the votes and their times gives both."""
    football = _folder(shared_data, "football-concussions")
    grouped = read_polis_server_groups(football)
    arrivals = _arrivals(football)
    few = {p for p, (_, n) in arrivals.items() if n < 7}
    cut = max(arrivals[p][0] for p in few & set(grouped))
    before = {p for p, (t, _) in arrivals.items() if t <= cut}
    assert before <= set(grouped)
    assert len(before & few) == 842

    vtaiwan = _folder(shared_data, "vtaiwan.uberx")
    grouped_v = read_polis_server_groups(vtaiwan)
    early_few = {p for p, (t, n) in _arrivals(vtaiwan).items() if t <= cut and n < 7}
    assert len(early_few) > 600
    assert len(early_few & set(grouped_v)) <= 1


def test_on_football_the_gap_is_who_polis_let_in(shared_data: Path) -> None:
    """Given the participants Polis had let in, our groups are closer to Polis' than red-dwarf's
    from the votes; from the votes alone (today's rule), they are not."""
    folder = _folder(shared_data, "football-concussions")
    polis = read_polis_server_groups(folder)
    from_votes, reddwarf = _aris(shared_data, "football-concussions")
    kept = analyse(shared.conversation(folder), keep_participant_ids=set(polis))
    with_history = ari_on_common(kept.group_of(), polis)[0]
    assert from_votes < reddwarf < 0.4 < with_history
