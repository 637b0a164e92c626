"""Polis exports in and out: every shared conversation maps as the engine does on the export
itself; export → import keeps every vote; bad files name the file and line and leave nothing."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from civic_algorithms.opinion import analyse, read_conversation, read_polis_export
from coproduce.contributions.models import Contribution
from coproduce.conversations import actions, tasks
from coproduce.conversations.models import Conversation, Participant, Statement, Vote
from coproduce.conversations.polis_io import export_polis, import_polis
from coproduce.conversations.tests.factories import make_conversation, make_participant
from coproduce.services.models import Activity
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CONVERSATIONS = [
    "american-assembly.bowling-green",
    "brexit-consensus",
    "football-concussions",
    "london.youth.policing",
    "reddwarf-fixture.above-100-ptpts",
    "reddwarf-fixture.below-100-ptpts",
    "scoop-hivemind.biodiversity",
    "vtaiwan.uberx",
]


@pytest.fixture(autouse=True)
def _cold_cache() -> None:
    tasks.forget()


def _latest(votes: object) -> set[tuple[int, int, int]]:
    """(participant, statement, vote) with one vote per pair, the latest, as the engine keeps."""
    from civic_algorithms.opinion.model import VoteTable
    from civic_algorithms.opinion.store import VoteStore

    assert isinstance(votes, VoteTable)
    store = VoteStore()
    store.add(votes)
    view = store.view()
    return {
        (int(view.participant_ids[r]), int(view.statement_ids[c]), int(v))
        for r, c, v in zip(view.rows(), view.cols, view.values, strict=True)
    }


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.reference_files
@pytest.mark.parametrize("name", CONVERSATIONS)
def test_every_shared_conversation_maps_as_the_engine_does(shared_data: Path, name: str) -> None:
    folder = shared_data / "polis" / name
    service = ServiceFactory()
    activity_id = int(_command("conversation_import", str(folder), "--service", service.slug))
    activity = Activity.objects.get(pk=activity_id)
    assert activity.service_stage.service == service
    assert activity.state == "open"
    groups = json.loads(_command("conversation_map", str(activity_id)))

    expected = analyse(read_conversation(folder), seed=0).group_of()
    assert {int(pid): label for pid, label in groups.items()} == expected
    assert len(set(expected.values())) >= 2


def test_the_title_comes_from_the_summary_or_the_folder(shared_data: Path) -> None:
    conversation = import_polis(
        shared_data / "polis" / "brexit-consensus", service=ServiceFactory()
    )
    assert conversation.activity.title == "Can there be consensus on Brexit?"
    fixture = import_polis(
        shared_data / "polis" / "reddwarf-fixture.below-100-ptpts", service=ServiceFactory()
    )
    assert fixture.activity.title == "Improving the Polis Software"


def test_imported_statements_keep_text_moderation_and_meta(shared_data: Path) -> None:
    folder = shared_data / "polis" / "reddwarf-fixture.above-100-ptpts"
    data = read_conversation(folder)
    conversation = import_polis(folder, service=ServiceFactory())
    statements = {s.external_id: s for s in Statement.objects.filter(conversation=conversation)}
    hidden = {sid for sid, s in statements.items() if s.contribution.visibility == "hidden"}
    assert hidden == set(data.moderated_out)
    assert {sid for sid, s in statements.items() if s.is_meta} == set(data.meta)
    for sid, text in data.statement_text.items():
        assert statements[int(sid)].text == text.strip()


def test_export_then_import_keeps_every_vote_and_the_map(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "polis" / "football-concussions"
    original = import_polis(folder, service=ServiceFactory())
    export_polis(original, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {
        "comments.csv",
        "votes.csv",
        "participants-votes.csv",
        "summary.csv",
    }
    expected = _latest(read_conversation(folder).votes)
    assert _latest(read_polis_export(tmp_path).votes) == expected

    again = import_polis(tmp_path, service=ServiceFactory())
    polis_id = dict(Participant.objects.filter(conversation=again).values_list("pk", "external_id"))
    comment_id = dict(Statement.objects.filter(conversation=again).values_list("pk", "external_id"))
    stored = {
        (polis_id[p], comment_id[s], v)
        for p, s, v in Vote.objects.filter(conversation=again).values_list(
            "participant_id", "statement_id", "value"
        )
    }
    assert stored == expected
    first, second = tasks.run_map(original.pk), tasks.run_map(again.pk)
    assert first is not None
    assert second is not None
    assert first.result["groups"]
    assert [g["size"] for g in first.result["groups"]] == [
        g["size"] for g in second.result["groups"]
    ]


def test_a_conversation_made_on_the_site_exports_readably(tmp_path: Path) -> None:
    setup = make_conversation(seeds=3)
    rows = []
    for number in range(4):
        participant = make_participant(setup.conversation)
        for index, statement in enumerate(setup.statements):
            value = [1, -1, 0][(number + index) % 3]
            actions.vote_cast(participant=participant, statement=statement, value=value)
            rows.append((participant.pk, statement.pk, value))
    export_polis(setup.conversation, tmp_path)
    read = read_polis_export(tmp_path)
    assert _latest(read.votes) == set(rows)
    matrix = tmp_path / "participants-votes.csv"
    assert len(matrix.read_text().splitlines()) == 1 + 4
    assert np.all(np.asarray(read.votes.timestamps) > 0)


def _nothing_imported() -> None:
    assert not Conversation.objects.exists()
    assert not Activity.objects.filter(kind="opinion_map").exists()
    assert not Participant.objects.exists()
    assert not Vote.objects.exists()
    assert not Contribution.objects.filter(kind="opinion_statement").exists()


def _copy(shared_data: Path, name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    shutil.copytree(shared_data / "polis" / name, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def test_a_bad_vote_names_the_file_and_line_and_leaves_nothing(
    shared_data: Path, tmp_path: Path
) -> None:
    folder = _copy(shared_data, "london.youth.policing", tmp_path)
    votes = folder / "votes.csv"
    lines = votes.read_text().splitlines()
    fields = lines[4].split(",")
    fields[-1] = "7"
    lines[4] = ",".join(fields)
    votes.write_text("\n".join(lines) + "\n")
    service = ServiceFactory()
    with pytest.raises(CommandError, match=r"votes\.csv, line 5: vote '7'"):
        _command("conversation_import", str(folder), "--service", service.slug)
    _nothing_imported()


def test_bad_comments_and_json_name_the_file_and_leave_nothing(
    shared_data: Path, tmp_path: Path
) -> None:
    folder = _copy(shared_data, "brexit-consensus", tmp_path)
    comments = folder / "comments.csv"
    lines = comments.read_text().splitlines()
    lines.insert(3, "1500282615559,x,not-a-number,0,1,1,1,text")
    comments.write_text("\n".join(lines) + "\n")
    service = ServiceFactory()
    with pytest.raises(CommandError, match=r"comments\.csv, line 4: comment-id"):
        _command("conversation_import", str(folder), "--service", service.slug)

    fixture = _copy(shared_data, "reddwarf-fixture.below-100-ptpts", tmp_path)
    text = (fixture / "votes.json").read_text()
    (fixture / "votes.json").write_text(text[: len(text) // 2])
    with pytest.raises(CommandError, match=r"votes\.json, line \d+: invalid JSON"):
        _command("conversation_import", str(fixture), "--service", service.slug)
    _nothing_imported()


def test_the_commands_explain_unknown_services_and_activities(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No service"):
        _command("conversation_import", str(tmp_path), "--service", "nowhere")
    with pytest.raises(CommandError, match="not a conversation"):
        _command("conversation_map", "999999")
    with pytest.raises(CommandError, match=r"no votes\.csv"):
        _command("conversation_import", str(tmp_path), "--service", ServiceFactory().slug)


def test_an_export_goes_into_an_existing_opinion_map_activity_once(shared_data: Path) -> None:
    folder = shared_data / "polis" / "london.youth.policing"
    setup = make_conversation(seeds=0)
    with pytest.raises(ValidationError, match="already has a conversation"):
        import_polis(folder, setup.conversation.activity)
    activity = ActivityFactory(kind="opinion_map")
    conversation = import_polis(folder, activity)
    assert conversation.pk == activity.pk
    assert conversation.participants.count() == len(
        set(read_conversation(folder).votes.participant_ids.tolist())
    )
    with pytest.raises(ValidationError, match="opinion-map"):
        import_polis(folder, ActivityFactory(kind="idea_challenge"))
