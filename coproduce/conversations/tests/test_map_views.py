"""The map, the report, the open-data zip and "How the map works": what the public sees, what it
never sees (hidden statements, small groups' areas, anyone's position), and the zip's round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core import signing
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civic_algorithms.opinion import read_polis_export
from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions import actions as spine_actions
from coproduce.conversations import actions, tasks
from coproduce.conversations.drawing import group_name
from coproduce.conversations.models import MapRun, Participant, Statement, Vote
from coproduce.conversations.participants import COOKIE_SALT
from coproduce.conversations.polis_io import import_polis
from coproduce.conversations.tests.factories import (
    ConversationSetup,
    make_conversation,
    make_participant,
)
from coproduce.services.models import ActivityState
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

# Three blocs of voters on eleven statements: two large ones that disagree with each other, and a
# group of three that votes its own way (too small to be drawn).
BLOCS = (
    (16, (1, 1, 1, 1, 1, -1, -1, -1, -1, -1, 1)),
    (14, (-1, -1, -1, -1, -1, 1, 1, 1, 1, 1, -1)),
    (3, (1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 0)),
)


@pytest.fixture(autouse=True)
def _cold_cache() -> None:
    tasks.forget()


@dataclass
class Mapped:
    setup: ConversationSetup
    run: MapRun
    people: list[Participant]
    hidden: Statement
    pending: Statement


def _text(response: Any) -> str:
    return str(response.content.decode())


def _url(name: str, setup: ConversationSetup) -> str:
    return reverse(f"conversations:{name}", args=[setup.conversation.pk])


def _vote_blocs(setup: ConversationSetup, *, first_signed_in: bool = False) -> list[Participant]:
    """Voters in BLOCS, each vote flipped to a random one 15% of the time (seeded)."""
    rng = np.random.default_rng(1)
    people: list[Participant] = []
    for count, pattern in BLOCS:
        for _ in range(count):
            participant = make_participant(
                setup.conversation, signed_in=first_signed_in and not people
            )
            people.append(participant)
            for statement, value in zip(setup.statements, pattern, strict=True):
                vote = value if rng.random() > 0.15 else int(rng.choice([-1, 0, 1]))
                actions.vote_cast(participant=participant, statement=statement, value=vote)
    return people


def _mapped(*, first_signed_in: bool = False) -> Mapped:
    """A conversation with a computed map. Afterwards a statement the map names is rejected (the
    stored map still holds it until the next run) and a participant adds one that waits for a
    moderator."""
    setup = make_conversation(seeds=len(BLOCS[0][1]))
    people = _vote_blocs(setup, first_signed_in=first_signed_in)
    run = tasks.run_map(setup.conversation.pk)
    assert run is not None
    assert run.status == "done"
    hidden = setup.statements[-1]
    named = {item["statement_id"] for item in run.result["divisive"]} | {
        item["statement_id"] for items in run.result["representative"].values() for item in items
    }
    assert hidden.pk in named
    hidden.text = "Secret rejected words"
    hidden.save(update_fields=["text"])
    actions.statement_moderate(
        statement=hidden, by=setup.staff, decision="reject", reason="Off topic"
    )
    pending = actions.statement_add(
        conversation=setup.conversation, text="Pending words nobody checked", participant=people[0]
    )
    return Mapped(setup=setup, run=run, people=people, hidden=hidden, pending=pending)


# --- The map page --------------------------------------------------------------------------------


def test_before_any_map_the_page_says_when_it_appears() -> None:
    setup = make_conversation()
    page = _text(Client().get(_url("map", setup)))
    assert "The map appears when enough people have voted." in page
    assert "<svg" not in page
    assert reverse("conversations:how_the_map_works") in page


def test_the_map_draws_big_groups_as_areas_and_lists_small_ones_by_size() -> None:
    mapped = _mapped()
    sizes = {group_name(int(g["label"])): int(g["size"]) for g in mapped.run.result["groups"]}
    assert sorted(sizes.values()) == [3, 14, 16]
    small = next(name for name, size in sizes.items() if size == 3)
    page = _text(Client().get(_url("map", mapped.setup)))

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    areas = re.findall(r'class="app-opinion-map__area" data-group="(\w+)" d="M [^"]+ Z"', svg)
    assert sorted(areas) == sorted(name for name, size in sizes.items() if size >= 5)
    assert f'data-group="{small}"' not in svg
    assert "<circle" not in svg.split("</defs>")[1]  # no points, and no cloud for these groups
    assert f"Group {small}, 3 people, is too small to draw." in svg
    # The table gives every group and its size.
    table = page[page.index('id="group-sizes"') :]
    for name, size in sizes.items():
        assert re.search(rf"Group {name}</th><td[^>]*>{size}</td>", table)
    # The method, version, seed and time of the computation.
    assert mapped.run.method in page
    assert mapped.run.version in page
    assert f'id="seed">{mapped.run.seed}<' in page
    assert mapped.run.finished_at is not None
    assert mapped.run.finished_at.isoformat()[:16] in page


def test_the_tables_list_each_groups_representative_statements_but_not_a_small_groups() -> None:
    mapped = _mapped()
    result = mapped.run.result
    texts = dict(Statement.objects.values_list("pk", "text"))
    page = _text(Client().get(_url("map", mapped.setup)))
    for group in result["groups"]:
        name = group_name(int(group["label"]))
        items = result["representative"].get(str(group["label"]), [])
        if group["size"] < 5:
            assert f'id="representative-{name}"' not in page
            continue
        section = page[page.index(f'id="representative-{name}"') :]
        section = section[: section.index("</table>")]
        assert items
        for item in items:
            if item["statement_id"] == mapped.hidden.pk:
                continue  # rejected after the map was made: tested below
            assert texts[item["statement_id"]] in section
            percent = round(100 * item["n_success"] / item["n_trials"])
            assert f"{percent}% {item['repful_for']}" in section


def test_hidden_and_pending_statements_never_appear() -> None:
    mapped = _mapped()
    client = Client()
    for name in ("map", "report"):
        page = _text(client.get(_url(name, mapped.setup)))
        assert "Secret rejected words" not in page
        assert "Pending words nobody checked" not in page
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(_url("export_zip", mapped.setup)))))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Secret rejected words" not in everything
    assert b"Pending words nobody checked" not in everything


def test_a_signed_in_participant_and_a_visitor_are_told_their_group() -> None:
    mapped = _mapped(first_signed_in=True)
    group_of = mapped.run.result["group_of"]
    member = mapped.people[0]
    assert member.user is not None
    client = Client()
    client.force_login(member.user)
    page = _text(client.get(_url("map", mapped.setup)))
    assert f"You are in group {group_name(group_of[str(member.pk)])}." in page

    visitor = mapped.people[-1]
    client = Client()
    cookie = f"cv-{mapped.setup.conversation.pk}"
    client.cookies[cookie] = signing.get_cookie_signer(salt=cookie + COOKIE_SALT).sign(visitor.key)
    page = _text(client.get(_url("map", mapped.setup)))
    assert f"You are in group {group_name(group_of[str(visitor.pk)])}." in page

    client.cookies[cookie] = visitor.key + ":forged"
    page = _text(client.get(_url("map", mapped.setup)))
    assert "You are in group" not in page


def test_someone_who_has_not_voted_enough_is_told_so() -> None:
    mapped = _mapped()
    user = UserFactory()
    newcomer = actions.participant_get_or_create(conversation=mapped.setup.conversation, user=user)
    actions.vote_cast(participant=newcomer, statement=mapped.setup.statements[0], value=1)
    client = Client()
    client.force_login(user)
    page = _text(client.get(_url("map", mapped.setup)))
    assert "You are not in a group yet." in page
    assert "You are in group" not in page


# --- The report ----------------------------------------------------------------------------------


def test_the_report_counts_votes_by_day_and_people_by_area_merging_small_areas() -> None:
    setup = make_conversation(seeds=2)
    areas = {"NF1 1AA": 12, "NF2 2BB": 4, "NF3 3CC": 3, "": 2}
    for postcode, count in areas.items():
        for _ in range(count):
            participant = actions.participant_get_or_create(
                conversation=setup.conversation, postcode=postcode
            )
            actions.vote_cast(participant=participant, statement=setup.statements[0], value=1)
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    early = list(Vote.objects.filter(participant__postcode_area="NF1").values_list("pk", flat=True))
    Vote.objects.filter(pk__in=early[:5]).update(created_at=two_days_ago)

    page = _text(Client().get(_url("report", setup)))
    assert 'id="count-participants">21<' in page
    assert 'id="count-statements">2<' in page
    assert 'id="count-votes">21<' in page
    table = page[page.index('id="areas"') : page.index("</table>", page.index('id="areas"'))]
    assert re.search(r"NF1</th><td[^>]*>12</td>", table)
    assert re.search(r"Other areas</th><td[^>]*>7</td>", table)
    assert re.search(r"No postcode given</th><td[^>]*>2</td>", table)
    assert "NF2" not in table
    assert "NF3" not in table
    over_time = page[page.index('id="votes-over-time"') :]
    over_time = over_time[: over_time.index("</table>")]
    counts = [int(n) for n in re.findall(r"numeric\">(\d+)</td>", over_time)]
    assert counts == [5, 0, 16]  # the day between has a row, with no votes
    assert page.count('fill="#1d70b8"') == 3
    assert _url("export_zip", setup) in page


def test_a_long_conversation_is_counted_by_week() -> None:
    setup = make_conversation(seeds=1)
    for _ in range(3):
        participant = make_participant(setup.conversation)
        actions.vote_cast(participant=participant, statement=setup.statements[0], value=1)
    first = Vote.objects.order_by("pk").first()
    assert first is not None
    Vote.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    page = _text(Client().get(_url("report", setup)))
    assert "Votes each week" in page
    rows = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', page)
    assert len(rows) in (13, 14, 15)
    assert all(dt.date.fromisoformat(day).weekday() == 0 for day in rows)


def test_the_report_shows_the_published_summary_first_and_the_map_tables() -> None:
    mapped = _mapped()
    setup = mapped.setup
    activity = setup.conversation.activity
    spine_actions.decision_create(
        service=activity.service,
        stage=activity.service_stage.stage,
        title="We will light the cycle paths",
        description="Most people in every group agreed.",
        decided_by="Transport board",
        decided_on=dt.date.today(),
        recorded_by=setup.staff,
        contributions=[setup.statements[0].contribution],
    )
    page = _text(Client().get(_url("report", setup)))
    assert "We will light the cycle paths" in page
    assert page.index("We will light the cycle paths") < page.index('id="numbers"')
    assert 'id="group-sizes"' in page
    assert 'id="representative-' in page


# --- Open data -----------------------------------------------------------------------------------


def test_the_zip_holds_the_four_polis_files_and_reimports_with_every_vote(tmp_path: Path) -> None:
    mapped = _mapped()
    response = Client().get(_url("export_zip", mapped.setup))
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        ["comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"]
    )
    archive.extractall(tmp_path)
    headers = {
        name: next(csv.reader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
    }
    assert headers["votes.csv"] == ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
    assert headers["comments.csv"][:3] == ["timestamp", "datetime", "comment-id"]
    assert headers["participants-votes.csv"][:2] == ["participant", "group-id"]
    # No keys of visitors' cookies and no names in the open data.
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for participant in mapped.people:
        assert participant.key.encode() not in everything

    published = set(Statement.objects.published().values_list("pk", flat=True))
    expected = set(
        Vote.objects.filter(statement__in=published).values_list(
            "participant_id", "statement_id", "value"
        )
    )
    read = read_polis_export(tmp_path)  # the reader of the engine and of red-dwarf's format
    assert {
        (int(p), int(s), int(v))
        for p, s, v in zip(
            read.votes.participant_ids, read.votes.statement_ids, read.votes.votes, strict=True
        )
    } == expected
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
    assert len(stored) == len(expected) > 300


# --- Who sees what -------------------------------------------------------------------------------


def test_a_draft_conversation_is_not_found_by_the_public_but_seen_by_its_staff() -> None:
    setup = make_conversation(state=ActivityState.DRAFT)
    staff = Client()
    staff.force_login(setup.staff)
    for name in ("map", "report", "export_zip"):
        assert Client().get(_url(name, setup)).status_code == 404
        signed_in = Client()
        signed_in.force_login(UserFactory())
        assert signed_in.get(_url(name, setup)).status_code == 404
    assert staff.get(_url("report", setup)).status_code == 200


def test_how_the_map_works_explains_the_method_to_anyone() -> None:
    page = _text(Client().get(reverse("conversations:how_the_map_works")))
    assert "How the opinion map works" in page
    for words in ("Pass", "principal component analysis", "k-means", "silhouette", "fewer than 5"):
        assert words in page
