"""The ZIP's content: everything about the person, in JSON and CSV with a README, and nothing of
anyone else (decision 0097)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from django.utils import timezone

from coproduce.accounts.models import ApiToken
from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions.actions import moderation_hide
from coproduce.privacy import archive
from coproduce.privacy.tests.factories import Resident, busy_resident
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def _zip(user: Any) -> dict[str, bytes]:
    buffer = io.BytesIO()
    archive.write_zip(buffer, user, archive.collect(user), made_at=timezone.now())
    with zipfile.ZipFile(buffer) as opened:
        assert opened.testzip() is None
        return {name: opened.read(name) for name in opened.namelist()}


def _json(files: dict[str, bytes], name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(files[f"{name}.json"])
    return rows


def _csv(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode())))


@pytest.fixture
def two() -> tuple[Resident, Resident]:
    jo = busy_resident("jo@example.org")
    sam = busy_resident("sam@example.org", challenge=jo.idea.contribution.activity)
    return jo, sam


def test_everything_about_the_person_is_there_in_json_and_csv(
    two: tuple[Resident, Resident],
) -> None:
    jo, _sam = two
    files = _zip(jo.user)
    for name in [
        "account",
        "email_addresses",
        "api_tokens",
        "notifications",
        "contributions",
        "ideas",
        "comments",
        "supports",
        "follows",
        "survey_submissions",
        "survey_answers",
        "ballots",
        "ballot_choices",
        "opinion_maps",
        "opinion_map_votes",
        "equality_answers",
    ]:
        assert f"{name}.json" in files, name
        assert f"{name}.csv" in files, name
        assert len(_json(files, name)) == len(_csv(files, name)) > 0, name

    [account] = _json(files, "account")
    assert account["email"] == "jo@example.org"
    assert account["name"] == "Name of jo@example.org"
    assert account["date_joined"].startswith(str(jo.user.date_joined.year))
    [idea] = _json(files, "ideas")
    assert idea["title"] == "=Idea of jo@example.org"
    contributions = {row["kind"]: row for row in _json(files, "contributions")}
    assert contributions["idea"]["title"] == "=Idea of jo@example.org"
    assert contributions["idea"]["link"].endswith(jo.idea.get_absolute_url())
    assert contributions["idea"]["author"] == "you"
    assert contributions["idea"]["activity_name"] == jo.idea.contribution.activity.title
    [comment] = _json(files, "comments")
    assert comment["body"] == "Comment by jo@example.org"
    [support] = _json(files, "supports")
    assert support == {
        "id": support["id"],
        "idea": jo.supported.pk,
        "idea_name": jo.supported.title,
        "user": "you",
        "created_at": support["created_at"],
    }
    [token] = _json(files, "api_tokens")
    assert token["name"] == jo.token_name
    assert "token_hash" not in token
    assert "prefix" not in token
    answers = _json(files, "survey_answers")
    assert any(row["text"] == "Survey words of jo@example.org" for row in answers)
    [vote] = _json(files, "opinion_map_votes")
    assert vote["value"] == 1
    equality = {row["question_code"]: row for row in _json(files, "equality_answers")}
    assert equality["age"]["answer"] == "25 to 34"
    assert equality["age"]["answer_code"] == "25_34"
    assert equality["disability"]["answer"] == "Prefer not to say"
    assert set(equality) == {"age", "disability"}


def test_secrets_and_other_people_are_never_in_it(two: tuple[Resident, Resident]) -> None:
    jo, _sam = two
    files = _zip(jo.user)
    everything = b"\n".join(files.values()).decode()
    token = ApiToken.objects.get(user=jo.user)
    for secret in [jo.user.password, token.token_hash, token.prefix, jo.raw_token]:
        assert secret not in everything
    for theirs in [
        "sam@example.org",
        "Idea of sam",
        "Comment by sam",
        "script of sam",
        "News for sam",
        "Survey words of sam",
    ]:
        assert theirs not in everything, theirs
    # The idea Jo supported is someone else's: it is named (it is public), its author is not.
    assert jo.supported.contribution.author.email not in everything
    assert '"password"' not in everything
    # The ciphertext of the equality answers is not given, only the answers.
    assert "consented_at" in files["equality_answers.csv"].decode()
    assert "answers" not in _csv(files, "equality_answers")[0]


def test_a_column_about_someone_else_is_empty() -> None:
    """A moderator's export names the contributions they moderated, not whose they were, and
    gives none of their words."""
    jo = busy_resident("jo@example.org")
    moderator = staff_of(jo.idea.contribution.activity)
    moderation_hide(contribution=jo.idea.contribution, moderator=moderator)
    files = _zip(moderator)
    [moderated] = _json(files, "contributions_moderated")
    assert set(moderated) == {
        "id",
        "activity",
        "activity_name",
        "kind",
        "visibility",
        "moderated_at",
    }
    assert moderated["id"] == jo.idea.contribution.pk
    assert "Idea of jo" not in b"".join(files.values()).decode()
    assert "jo@example.org" not in b"".join(files.values()).decode()
    [role] = _json(files, "organisation_roles")
    assert role["user"] == "you"


def test_csv_cells_are_safe_from_spreadsheet_formulas(two: tuple[Resident, Resident]) -> None:
    jo, _sam = two
    [idea] = _csv(_zip(jo.user), "ideas")
    assert idea["title"] == "'=Idea of jo@example.org"


def test_the_readme_says_what_each_file_is(two: tuple[Resident, Resident]) -> None:
    jo, _sam = two
    files = _zip(jo.user)
    assert next(iter(files)) == "README.txt"
    readme = files["README.txt"].decode()
    assert "Made for jo@example.org" in readme
    assert "- ideas.csv, ideas.json: The words of your ideas. (1 row)" in readme
    assert "supports.csv, supports.json: The ideas you support." in readme
    assert "says “you” when it is you" in readme
    assert "/privacy/" in readme
    # Every file is listed; no file is listed that is not there.
    listed = {
        line.split(",")[0][2:-4]
        for line in readme.splitlines()
        if line.startswith("- ") and ".csv, " in line
    }
    assert {name[:-4] for name in files if name.endswith(".csv")} == listed


def test_someone_who_did_nothing_gets_their_account_only() -> None:
    nobody = UserFactory(email="quiet@example.org")
    files = _zip(nobody)
    assert set(files) == {
        "README.txt",
        "account.json",
        "account.csv",
        "email_addresses.json",
        "email_addresses.csv",
    }
    [row] = _csv(files, "account")
    assert row["email"] == "quiet@example.org"
    assert row["is_active"] == "yes"


def test_every_export_runs_for_a_person_with_nothing() -> None:
    """Each export's query is valid (a typo in a ``via`` or ``parent`` lookup fails here)."""
    nobody = UserFactory()
    parts = archive.collect(nobody)
    assert [part.export.name for part in parts] == ["account", "email_addresses"]
