"""Readers: the shared exports read into the same matrix red-dwarf saw; bad files fail clearly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from civic_algorithms.errors import InputError
from civic_algorithms.opinion import OpinionInputError, VoteTable, read_conversation
from civic_algorithms.opinion.readers import (
    read_participants_votes_csv,
    read_polis_math,
    read_polis_server_groups,
    read_votes_csv,
)
from civic_algorithms.opinion.store import VoteStore
from civic_algorithms.opinion.tests import shared


@pytest.mark.parametrize("name", shared.CONVERSATIONS)
def test_shared_conversation_matches_the_reference_matrix(shared_data: Path, name: str) -> None:
    folder = shared_data / "polis" / name
    summary = shared.reddwarf(folder)["summary"]
    conversation = shared.conversation(folder)
    store = VoteStore()
    store.add_participants(np.asarray(conversation.participants_without_votes, dtype=np.int64))
    store.add(conversation.votes)
    view = store.view()
    assert view.n_participants == summary["participants"]
    assert view.n_statements == summary["statements"]
    assert view.nnz == summary["votes"]
    assert len(conversation.moderated_out | conversation.meta) == summary["mod_out_statements"]


def test_fixture_votes_use_the_export_sign(shared_data: Path) -> None:
    """In the fixtures 1 means agree: the counts agree with comments.json's agree_count."""
    folder = shared_data / "polis" / "reddwarf-fixture.above-100-ptpts"
    votes = shared.conversation(folder).votes
    with (folder / "comments.json").open() as handle:
        comments = json.load(handle)
    for comment in comments[:10]:
        on = votes.statement_ids == comment["statement_id"]
        assert int((votes.votes[on] == 1).sum()) == comment["agree_count"]
        assert int((votes.votes[on] == -1).sum()) == comment["disagree_count"]


def test_latest_vote_wins_whatever_the_row_order(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "300,x,1,7,-1\n"
        "100,x,1,7,1\n"
        "200,x,1,7,0\n"
        "100,x,2,7,1\n"
        "150,x,2,8,1\n"
    )
    store = VoteStore()
    store.add(read_votes_csv(tmp_path / "votes.csv"))
    view = store.view()
    assert view.nnz == 3
    row = int(np.searchsorted(view.participant_ids, 7))
    cells = dict(
        zip(
            view.statement_ids[view.cols[view.indptr[row] : view.indptr[row + 1]]].tolist(),
            view.values[view.indptr[row] : view.indptr[row + 1]].tolist(),
            strict=True,
        )
    )
    assert cells == {1: -1, 2: 1}


def test_moderated_out_statements_come_from_comments_csv(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,1,1,1\n")
    (tmp_path / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        '1,x,1,1,1,0,1,"Keep, with a comma"\n'
        "1,x,2,1,0,0,-1,Rude\n"
        "1,x,3,1,0,0,0,Not yet moderated\n"
    )
    conversation = read_conversation(tmp_path)
    assert conversation.moderated_out == frozenset({2})
    assert conversation.statement_text[1] == "Keep, with a comma"


def test_participants_votes_matrix_gives_the_latest_votes(shared_data: Path) -> None:
    """vtaiwan has both files: the matrix holds the latest vote of every (participant, statement)."""
    folder = shared_data / "polis" / "vtaiwan.uberx"
    from_matrix, silent = read_participants_votes_csv(folder / "participants-votes.csv")
    stores = []
    for table in (from_matrix, shared.conversation(folder).votes):
        store = VoteStore()
        store.add(table)
        stores.append(store.view())
    matrix_view, votes_view = stores
    assert silent == ()
    assert np.array_equal(matrix_view.participant_ids, votes_view.participant_ids)
    assert np.array_equal(matrix_view.indptr, votes_view.indptr)
    assert np.array_equal(matrix_view.values, votes_view.values)


def test_server_groups_come_from_the_export(shared_data: Path) -> None:
    folder = shared_data / "polis" / "brexit-consensus"
    groups = read_polis_server_groups(folder)
    expected = shared.reddwarf(folder)["polis_server_group_ids"]
    assert {str(p): g for p, g in groups.items()} == expected


def test_polis_math_reader_reads_the_clojure_output(shared_data: Path) -> None:
    math = read_polis_math(
        shared_data / "polis" / "reddwarf-fixture.below-100-ptpts" / "math-pca2.json"
    )
    assert math.pca_components.shape == (2, 44)
    assert len(math.in_conv) == 23
    assert sorted(set(math.group_of.values())) == [0, 1, 2]
    assert math.moderated_out == frozenset({11, 33})


BAD_VOTES = [
    ("comment-id,voter-id\n1,2\n", "missing column 'vote'", 1),
    ("comment-id,voter-id,vote\n1,2,1\n1,2,5\n", "vote '5' is not 1 (agree)", 3),
    ("comment-id,voter-id,vote\n1,abc,1\n", "voter-id 'abc' is not a number", 2),
    ("comment-id,voter-id,vote\n1.5,2,1\n", "comment-id '1.5' is not a whole number", 2),
    ("comment-id,voter-id,vote\n1,2\n", "expected at least 3 columns", 2),
    ("", "the file is empty", None),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD_VOTES)
def test_malformed_votes_csv_says_what_and_where(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_conversation(tmp_path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ("[{", "invalid JSON"),
        ('{"pid": 1}', "expected a JSON list of votes"),
        ('[{"pid": 1, "tid": 2}]', "item 0 has none of the fields vote"),
        ('[{"pid": 1, "tid": 2, "vote": 3}]', "item 0: vote 3 is not 1, -1 or 0"),
        ('[{"pid": "x", "tid": 2, "vote": 1}]', "item 0: participant 'x' is not a number"),
        ("[1]", "item 0 is not an object"),
        (
            '[{"pid": 1, "tid": 2, "vote": 1, "modified": "soon"}]',
            "item 0: modified 'soon' is not a number",
        ),
    ],
)
def test_malformed_votes_json_says_what(tmp_path: Path, votes: str, message: str) -> None:
    (tmp_path / "votes.json").write_text(votes)
    with pytest.raises(OpinionInputError, match=r"votes\.json") as caught:
        read_conversation(tmp_path)
    assert message in str(caught.value)


def test_a_folder_without_votes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "comments.csv").write_text("comment-id\n1\n")
    with pytest.raises(
        OpinionInputError, match=r"no votes\.csv, participants-votes\.csv or votes\.json"
    ):
        read_conversation(tmp_path)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OpinionInputError, match="is not a directory"):
        read_conversation(tmp_path / "nope")


def test_participants_votes_with_a_bad_cell(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,,0,1,1,0,1,\n1,,0,1,0,0,,2\n"
    )
    with pytest.raises(OpinionInputError, match="line 3: vote '2' on statement 1"):
        read_conversation(tmp_path)


def test_participants_without_votes_are_kept(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,,0,1,1,0,1,\n5,,0,0,0,0,,\n"
    )
    conversation = read_conversation(tmp_path)
    assert conversation.participants_without_votes == (5,)
    assert conversation.votes.participant_ids.tolist() == [0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"votes": [1, 2]}, "vote 2 is not 1 (agree)"),
        ({"votes": [1]}, "must have the same length"),
        ({"votes": ["a", "b"]}, "votes must be numbers"),
        ({"votes": [1, 0], "timestamps": [1.0]}, "one value per vote"),
        ({"votes": [1, 0], "timestamps": [1.0, float("nan")]}, "finite"),
    ],
)
def test_vote_table_checks_plain_arrays(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(OpinionInputError) as caught:
        VoteTable.from_arrays([1, 2], [3, 4], **kwargs)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_vote_table_refuses_mixed_id_types() -> None:
    with pytest.raises(OpinionInputError, match="all be integers or all be strings"):
        VoteTable.from_arrays(np.array([1, "a"], dtype=object), [3, 4], [1, 0])


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("vtaiwan.uberx", "votes.csv"),
        ("london.youth.policing", "votes.csv"),
        ("american-assembly.bowling-green", "participants-votes.csv"),
        ("brexit-consensus", "participants-votes.csv"),
    ],
)
def test_fast_and_careful_csv_readers_agree(shared_data: Path, name: str, file: str) -> None:
    """Clean files take a column-at-a-time path; it must read exactly what the row-by-row one reads."""
    from civic_algorithms.opinion import readers

    path = shared_data / "polis" / name / file
    if file == "votes.csv":
        fast, careful = readers._votes_csv_fast(path), readers._votes_csv_checked(path)
        silent_fast: tuple[object, ...] = ()
        silent_careful: tuple[object, ...] = ()
    else:
        fast_pair = readers._participants_votes_fast(path)
        assert fast_pair is not None
        fast, silent_fast = fast_pair
        careful, silent_careful = readers._participants_votes_checked(path)
    assert fast is not None
    assert silent_fast == silent_careful
    assert np.array_equal(fast.participant_ids, careful.participant_ids)
    assert np.array_equal(fast.statement_ids, careful.statement_ids)
    assert np.array_equal(fast.votes, careful.votes)
    if careful.timestamps is None:
        assert fast.timestamps is None
    else:
        assert np.array_equal(fast.timestamps, careful.timestamps)  # type: ignore[arg-type]
