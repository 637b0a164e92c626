"""The email settings page: signed-in people only, a group of radios per topic, saved as chosen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.notifications import queries
from coproduce.notifications.models import Event, Frequency

pytestmark = pytest.mark.django_db

URL = "/account/notifications/"


def test_the_address_is_under_the_account() -> None:
    assert reverse("notifications:settings") == URL


def test_visitors_are_asked_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_shows_the_defaults_checked(client: Client) -> None:
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    assert page.count('class="govuk-radios"') == 5  # four topics and the language
    for topic, frequency in [
        (Event.RESPONSE, Frequency.AT_ONCE),
        (Event.NEW_ACTIVITY, Frequency.DAILY),
    ]:
        assert f'name="{topic}" type="radio" value="{frequency}" checked' in page
    assert 'name="language" type="radio" value="en" checked' in page


def test_the_language_offered_first_is_the_pages(client: Client) -> None:
    client.force_login(UserFactory())
    page = client.get(URL, headers={"accept-language": "cy"}).content.decode()
    assert 'name="language" type="radio" value="cy" checked' in page


def test_saving_stores_the_choice_and_says_so(client: Client) -> None:
    jo = UserFactory()
    client.force_login(jo)
    data = {
        Event.RESPONSE: Frequency.WEEKLY,
        Event.STATUS: Frequency.AT_ONCE,
        Event.DECISION: Frequency.NEVER,
        Event.NEW_ACTIVITY: Frequency.DAILY,
        "language": "cy",
    }
    response = client.post(URL, data, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    current = queries.settings_of(jo)
    assert current.frequencies == {k: v for k, v in data.items() if k != "language"}
    assert current.language == "cy"
    page = response.content.decode()
    assert 'name="response" type="radio" value="weekly" checked' in page
    assert 'name="decision" type="radio" value="never" checked' in page


def test_a_missing_or_unknown_choice_is_shown_as_an_error(client: Client) -> None:
    jo = UserFactory()
    client.force_login(jo)
    response = client.post(URL, {Event.RESPONSE: "hourly", "language": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error:" in page
    assert "Choose how often we email you about this." in page
    assert queries.settings_of(jo).pk is None


def test_the_account_page_links_here(client: Client) -> None:
    client.force_login(UserFactory())
    assert f'href="{URL}"' in client.get(reverse("accounts:dashboard")).content.decode()


def test_each_person_sees_and_changes_only_their_own(client: Client) -> None:
    """The page is about the person signed in: nothing in the request can name someone else."""
    jo, sam = UserFactory(), UserFactory()
    client.force_login(jo)
    data = dict.fromkeys(Event.values, Frequency.NEVER) | {"language": "en"}
    client.post(f"{URL}?user={sam.pk}", {**data, "user": sam.pk})
    assert queries.settings_of(jo).frequency(Event.RESPONSE) == Frequency.NEVER
    assert queries.settings_of(sam).pk is None
    client.force_login(sam)
    page = client.get(f"{URL}?user={jo.pk}").content.decode()
    assert f'name="{Event.RESPONSE}" type="radio" value="{Frequency.AT_ONCE}" checked' in page
