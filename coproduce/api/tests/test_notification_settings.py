"""Your notification settings through the API: read and replace them with your own token."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from django.conf import settings

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.tests.factories import UserFactory
from coproduce.api.notifications import Language
from coproduce.api.tests.client import Api, fields
from coproduce.notifications import queries
from coproduce.notifications.models import Event, Frequency

pytestmark = pytest.mark.django_db

PATH = "/me/notification-settings"
CHOICE = {
    "response": "weekly",
    "status": "at_once",
    "decision": "never",
    "new_activity": "daily",
    "language": "cy",
}


def _as(user: Any) -> Api:
    return Api(api_token_create(user=user, name="settings")[1])


def test_a_token_is_needed_to_read_or_change_them() -> None:
    for response in (Api().get(PATH), Api().put(PATH, CHOICE), Api("cp_nope").get(PATH)):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_people_who_never_chose_read_the_defaults() -> None:
    response = _as(UserFactory()).get(PATH)
    assert response.status_code == 200
    assert response.json() == {
        "response": "at_once",
        "status": "at_once",
        "decision": "at_once",
        "new_activity": "daily",
        "language": "en",
        "chosen": False,
    }


def test_a_put_replaces_them_and_reads_back() -> None:
    jo = UserFactory()
    api = _as(jo)
    response = api.put(PATH, CHOICE)
    assert response.status_code == 200, response.content
    assert response.json() == {**CHOICE, "chosen": True}
    assert api.get(PATH).json() == {**CHOICE, "chosen": True}
    current = queries.settings_of(jo)
    assert current.frequency(Event.RESPONSE) == Frequency.WEEKLY
    assert current.language == "cy"


def test_each_person_reads_only_their_own() -> None:
    jo, sam = UserFactory(), UserFactory()
    _as(jo).put(PATH, CHOICE)
    assert _as(sam).get(PATH).json()["chosen"] is False


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ({**CHOICE, "response": "hourly"}, ("body", "response")),
        ({**CHOICE, "language": "fr"}, ("body", "language")),
        ({k: v for k, v in CHOICE.items() if k != "decision"}, ("body", "decision")),
        ({**CHOICE, "gossip": "never"}, ("body", "gossip")),
    ],
)
def test_a_body_outside_the_schema_is_422(body: dict[str, Any], refused: tuple[str, ...]) -> None:
    jo = UserFactory()
    assert refused in fields(_as(jo).put(PATH, body))
    assert queries.settings_of(jo).pk is None


def test_a_body_that_is_not_json_is_400() -> None:
    assert _as(UserFactory()).put(PATH, "{not json", raw=True).status_code == 400


def test_the_languages_are_the_sites() -> None:
    assert set(get_args(Language)) == {code for code, _name in settings.LANGUAGES}
