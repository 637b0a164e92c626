"""The staff pages of a conversation: who may use them, setting it up and changing its settings,
seed statements, moderation, recomputing the map and publishing the official summary."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.onetime import hash_secret
from coproduce.contributions.models import Decision, Visibility
from coproduce.conversations import actions
from coproduce.conversations.models import (
    Audience,
    Conversation,
    MapRun,
    MapStatus,
    Moderation,
    Statement,
    VoteValue,
)
from coproduce.conversations.tests.factories import (
    ConversationSetup,
    make_conversation,
    make_participant,
    make_resident,
)
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(response: Any) -> str:
    return str(response.content.decode())


def _manage(setup: ConversationSetup) -> str:
    return reverse("conversations:manage", args=[setup.conversation.pk])


def _held(
    setup: ConversationSetup, text: str = "Bike sheds should be locked at night"
) -> Statement:
    """A participant's statement, held for moderation (conversations are pre-moderated)."""
    participant = make_participant(setup.conversation)
    return actions.statement_add(
        conversation=setup.conversation, text=text, participant=participant
    )


# --- Who may use the pages ---------------------------------------------------------------------


def _pages(setup: ConversationSetup) -> list[str]:
    pk = setup.conversation.pk
    return [
        reverse("conversations:manage", args=[pk]),
        reverse("conversations:moderation", args=[pk]),
        reverse("conversations:summary", args=[pk]),
        reverse("conversations:codes", args=[pk]),
    ]


def test_each_staff_page_serves_the_conversations_staff_and_refuses_everyone_else() -> None:
    setup = make_conversation()
    other_staff = staff_of(ActivityFactory())  # a professional of another organisation
    staff, resident, other = _client(setup.staff), _client(UserFactory()), _client(other_staff)
    for url in _pages(setup):
        assert staff.get(url).status_code == 200, url
        assert resident.get(url).status_code == 403, url
        assert other.get(url).status_code == 403, url
        assert _client().get(url)["Location"].startswith(reverse("account_login")), url
    posts = [
        reverse("conversations:map_refresh", args=[setup.conversation.pk]),
        reverse("conversations:statement_moderate", args=[setup.statements[0].pk]),
    ]
    for url in posts:
        assert resident.post(url, {"decision": "meta"}).status_code == 403, url
        assert other.post(url, {"decision": "meta"}).status_code == 403, url
        assert staff.get(url).status_code == 405, url  # POST only
    assert not Statement.objects.filter(is_meta=True).exists()


def test_another_organisations_draft_conversation_is_not_found() -> None:
    setup = make_conversation(state=ActivityState.DRAFT)
    other = _client(staff_of(ActivityFactory()))
    for url in _pages(setup):
        assert other.get(url).status_code == 404, url
    moderate = reverse("conversations:statement_moderate", args=[setup.statements[0].pk])
    assert other.post(moderate, {"decision": "meta"}).status_code == 404
    assert _client(setup.staff).get(_manage(setup)).status_code == 200


def test_a_facilitator_runs_and_moderates_but_does_not_publish_the_summary() -> None:
    setup = make_conversation()
    facilitator = _client(staff_of(setup.conversation.activity, role=Role.FACILITATOR))
    pk = setup.conversation.pk
    assert facilitator.get(_manage(setup)).status_code == 200
    assert facilitator.get(reverse("conversations:moderation", args=[pk])).status_code == 200
    assert facilitator.get(reverse("conversations:summary", args=[pk])).status_code == 403


def test_manage_is_only_for_opinion_map_activities() -> None:
    activity = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    url = reverse("conversations:manage", args=[activity.pk])
    assert _client(staff_of(activity)).get(url).status_code == 404


# --- Set-up and settings -----------------------------------------------------------------------


def _settings(**changes: Any) -> dict[str, Any]:
    data = {
        "form": "settings",
        "description": "Where should evening support happen?",
        "audience": Audience.ANYONE,
        "postcode_prefixes": "",
        "participants_may_add": "on",
        "moderation": Moderation.PRE,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_set_up_the_conversation_of_an_opinion_map_activity() -> None:
    activity = ActivityFactory(kind=ActivityKind.OPINION_MAP, state=ActivityState.OPEN)
    client = _client(staff_of(activity))
    url = reverse("conversations:manage", args=[activity.pk])
    assert "Set up the conversation" in _page(client.get(url))
    data = _settings(
        form=None, audience=Audience.RESIDENTS, postcode_prefixes="nf1  NF2", moderation="post"
    )
    response = client.post(url, data, follow=True)
    conversation = Conversation.objects.get(activity=activity)
    assert conversation.audience == Audience.RESIDENTS
    assert conversation.postcode_prefixes == "NF1 NF2"
    assert conversation.moderation == Moderation.POST
    assert conversation.description == "Where should evening support happen?"
    assert "Write its seed statements next" in _page(response)
    assert "Run the conversation" in _page(response)


def test_settings_are_saved_and_bad_ones_come_back_with_field_errors() -> None:
    setup = make_conversation()
    client = _client(setup.staff)
    url = _manage(setup)
    response = client.post(url, _settings(participants_may_add=None, moderation="post"))
    assert response.status_code == 302
    conversation = Conversation.objects.get(pk=setup.conversation.pk)
    assert not conversation.participants_may_add
    assert conversation.moderation == Moderation.POST

    wrong = client.post(url, _settings(audience=Audience.RESIDENTS, postcode_prefixes="NF1 12x!"))
    assert wrong.status_code == 200
    page = _page(wrong)
    assert "govuk-error-summary" in page
    assert "is not the start of a postcode" in page
    assert 'id="id_postcode_prefixes-error"' in page
    assert 'value="NF1 12x!"' in page  # nothing typed is lost

    empty = client.post(url, _settings(audience=Audience.RESIDENTS, postcode_prefixes=""))
    assert "Give the postcode areas of the residents" in _page(empty)
    missing = client.post(url, _settings(audience=None))
    assert "Choose who may take part." in _page(missing)
    conversation.refresh_from_db()
    assert conversation.audience == Audience.ANYONE


def test_once_people_have_voted_who_may_take_part_shows_but_does_not_change() -> None:
    setup = make_conversation()
    actions.vote_cast(
        participant=make_participant(setup.conversation),
        statement=setup.statements[0],
        value=VoteValue.AGREE,
    )
    client = _client(setup.staff)
    url = _manage(setup)
    page = _page(client.get(url))
    assert "People have voted, so who may take part can no longer change" in page
    assert 'name="audience" type="radio" value="anyone" checked disabled' in page
    # Sent without the disabled fields, as a browser does: the rest is saved.
    kept = _settings(audience=None, postcode_prefixes=None, moderation="post")
    assert client.post(url, kept).status_code == 302
    # From a page loaded before the first vote: the change is refused, not dropped in silence.
    stale = client.post(url, _settings(audience=Audience.SIGNED_IN, moderation="pre"))
    assert stale.status_code == 200
    assert 'id="id_audience-error"' in _page(stale)
    conversation = Conversation.objects.get(pk=setup.conversation.pk)
    assert (conversation.audience, conversation.moderation) == (Audience.ANYONE, Moderation.POST)


# --- Seed statements ---------------------------------------------------------------------------


def test_staff_add_seed_statements_and_a_duplicate_is_refused() -> None:
    setup = make_conversation(seeds=0)
    client = _client(setup.staff)
    url = _manage(setup)
    text = "Bike theft is the biggest problem on our estate"
    response = client.post(url, {"form": "statement", "text": text}, follow=True)
    assert "Seed statement added" in _page(response)
    statement = Statement.objects.get(conversation=setup.conversation)
    assert statement.is_seed
    assert statement.text == text
    assert statement.contribution.visibility == Visibility.PUBLISHED
    assert text in _page(response)

    again = client.post(url, {"form": "statement", "text": f"  {text.upper()} "})
    assert again.status_code == 200
    assert "This statement is already in the conversation." in _page(again)
    assert 'id="seed-text-error"' in _page(again)
    empty = client.post(url, {"form": "statement", "text": " "})
    assert "Write the statement." in _page(empty)
    too_long = client.post(url, {"form": "statement", "text": "x" * 281})
    assert "280 characters or fewer" in _page(too_long)
    assert Statement.objects.filter(conversation=setup.conversation).count() == 1


@pytest.mark.parametrize("state", [ActivityState.CLOSED, ActivityState.REPORTED])
def test_a_closed_conversation_takes_no_seed_statements(state: str) -> None:
    """Its map and report are of what people could vote on (the report's count changed)."""
    setup = make_conversation(seeds=1, state=state)
    client = _client(setup.staff)
    page = _page(client.get(_manage(setup)))
    assert "This conversation has closed, so it takes no new statements." in page
    assert "Add the seed statement" not in page
    response = client.post(_manage(setup), {"form": "statement", "text": "Too late to add"})
    assert "This conversation has closed, so it takes no new statements." in _page(response)
    assert Statement.objects.filter(conversation=setup.conversation).count() == 1


def test_a_draft_conversation_takes_seed_statements_to_vote_on_once_open() -> None:
    setup = make_conversation(seeds=0, state=ActivityState.DRAFT)
    response = _client(setup.staff).post(
        _manage(setup), {"form": "statement", "text": "Street lights help"}, follow=True
    )
    assert "People can vote on it once the conversation opens." in _page(response)
    assert Statement.objects.filter(conversation=setup.conversation).count() == 1


def test_the_page_shows_the_counts_and_the_latest_map() -> None:
    setup = make_conversation()
    participant = make_participant(setup.conversation)
    actions.vote_cast(participant=participant, statement=setup.statements[0], value=1)
    _held(setup)
    MapRun.objects.filter(conversation=setup.conversation).update(
        status=MapStatus.FAILED, error="The engine ran out of memory", finished_at=timezone.now()
    )
    page = _page(_client(setup.staff).get(_manage(setup)))
    assert "Statements waiting for a moderator" in page
    assert "The engine ran out of memory" in page
    assert "Failed" in page


# --- Recomputing the map -----------------------------------------------------------------------


def test_recompute_now_queues_a_map_run(settings: Any) -> None:
    settings.COPRODUCE_MAP_DEBOUNCE_SECONDS = 7
    setup = make_conversation()
    MapRun.objects.all().delete()
    url = reverse("conversations:map_refresh", args=[setup.conversation.pk])
    response = _client(setup.staff).post(url, follow=True)
    run = MapRun.objects.get(conversation=setup.conversation)
    assert run.status == MapStatus.QUEUED
    assert "recomputed in the background within 7 seconds" in _page(response)


# --- Moderation --------------------------------------------------------------------------------


def _moderate(client: Client, statement: Statement, decision: str, **more: Any) -> Any:
    url = reverse("conversations:statement_moderate", args=[statement.pk])
    return client.post(url, {"decision": decision, "show": "waiting", **more})


def test_the_moderation_list_shows_waiting_statements_without_the_visitors_key() -> None:
    setup = make_conversation()
    statement = _held(setup)
    assert statement.author is not None
    client = _client(setup.staff)
    url = reverse("conversations:moderation", args=[setup.conversation.pk])
    page = _page(client.get(url))
    assert statement.text in page
    assert f"participant {statement.author.pk}" in page
    assert statement.author.key not in page
    assert "Seed statement 1" not in page  # published: another filter
    assert "Seed statement 1" in _page(client.get(url, {"show": "published"}))
    assert statement.text not in _page(client.get(url, {"show": "rejected"}))
    assert statement.text in _page(client.get(url, {"show": "nonsense"}))  # waiting


def test_moderators_accept_reject_with_a_reason_and_mark_meta() -> None:
    setup = make_conversation()
    client = _client(setup.staff)
    accepted, rejected = _held(setup), _held(setup, "The council should close the park at 6")
    response = _moderate(client, accepted, "accept", page="2")
    assert response.status_code == 302
    assert response["Location"].endswith("?show=waiting&page=2")
    accepted.contribution.refresh_from_db()
    assert accepted.contribution.visibility == Visibility.PUBLISHED

    no_reason = _moderate(client, rejected, "reject", reason="  ")
    assert no_reason.status_code == 200
    page = _page(no_reason)
    assert "Say why the statement is rejected." in page
    assert 'id="id_reason-error"' in page
    assert "govuk-error-summary" in page
    rejected.contribution.refresh_from_db()
    assert rejected.contribution.visibility == Visibility.PENDING

    response = _moderate(client, rejected, "reject", reason="It names a person")
    assert response.status_code == 302
    rejected.refresh_from_db()
    rejected.contribution.refresh_from_db()
    assert rejected.contribution.visibility == Visibility.HIDDEN
    assert rejected.rejected_reason == "It names a person"

    followed = client.get(response["Location"])
    assert "The statement is rejected" in _page(followed)

    _moderate(client, accepted, "meta")
    accepted.refresh_from_db()
    assert accepted.is_meta
    url = reverse("conversations:moderation", args=[setup.conversation.pk])
    assert accepted.text in _page(client.get(url, {"show": "meta"}))
    _moderate(client, accepted, "not_meta")
    accepted.refresh_from_db()
    assert not accepted.is_meta

    nonsense = _moderate(client, accepted, "delete")
    assert nonsense.status_code == 302
    assert Statement.objects.filter(pk=accepted.pk).exists()


# --- The official summary ----------------------------------------------------------------------


def _summary_data(contributions: list[int], **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "title": "What you told us about e-bike theft",
        "description": "Almost everyone wants safer bike parking. We will add two bike hangars.",
        "decided_by": "Community Safety Partnership",
        "decided_on_day": str(today.day),
        "decided_on_month": str(today.month),
        "decided_on_year": str(today.year),
        "contributions": [str(pk) for pk in contributions],
    }
    data.update(changes)
    return data


def test_the_summary_form_ticks_what_the_latest_map_picked_out() -> None:
    setup = make_conversation()
    first, second, third = setup.statements
    # A stored map, as the map task leaves it: consensus and one group's representatives.
    MapRun.objects.create(
        conversation=setup.conversation,
        status=MapStatus.DONE,
        finished_at=timezone.now(),
        result={
            "consensus": {"agree": [{"statement_id": first.pk}], "disagree": []},
            "representative": {"0": [{"statement_id": third.pk}]},
        },
    )
    url = reverse("conversations:summary", args=[setup.conversation.pk])
    page = _page(_client(setup.staff).get(url))
    for statement, ticked in ((first, True), (second, False), (third, True)):
        box = f'name="contributions" type="checkbox" value="{statement.pk}"'
        checkbox = page.split(box, 1)[1].split(">", 1)[0]
        assert ("checked" in checkbox) is ticked, statement.text


def test_publishing_the_summary_records_a_decision_on_the_chosen_statements() -> None:
    setup = make_conversation()
    first, second, _third = setup.statements
    client = _client(setup.staff)
    url = reverse("conversations:summary", args=[setup.conversation.pk])
    chosen = [first.pk, second.pk]
    response = client.post(url, _summary_data(chosen), follow=True)
    decision = Decision.objects.get()
    assert set(decision.contributions.values_list("pk", flat=True)) == set(chosen)
    activity = setup.conversation.activity
    assert decision.stage == activity.service_stage.stage
    assert decision.service == activity.service
    assert "The summary is published" in _page(response)
    assert decision.title in _page(response)  # the manage page lists the summaries

    service = activity.service
    loop = client.get(reverse("contributions:you_said_we_did", args=[service.slug]))
    assert decision.title in _page(loop)


def test_a_summary_with_missing_fields_or_foreign_statements_is_refused() -> None:
    setup = make_conversation()
    other = make_conversation()
    client = _client(setup.staff)
    url = reverse("conversations:summary", args=[setup.conversation.pk])
    response = client.post(url, _summary_data([other.statements[0].pk], title=""))
    page = _page(response)
    assert response.status_code == 200
    assert "Give the summary a title." in page
    assert "Choose statements of this conversation." in page
    assert "Almost everyone wants safer bike parking" in page  # nothing lost
    assert not Decision.objects.exists()


# --- Residents' codes ---------------------------------------------------------------------------


def _codes(setup: ConversationSetup) -> str:
    return reverse("conversations:codes", args=[setup.conversation.pk])


def test_staff_make_residents_codes_shown_once_to_print(settings: Any) -> None:
    settings.SITE_URL = "https://coproduce.example.gov.uk"  # not the address the sheet is made at
    setup = make_conversation(audience=Audience.RESIDENTS, postcode_prefixes="NF1")
    staff = _client(setup.staff)
    manage = _page(staff.get(_manage(setup)))
    assert f'href="{_codes(setup)}"' in manage  # linked from the conversation's page
    before = _page(staff.get(_codes(setup)))
    assert 'id="codes-made">0<' in before
    assert 'name="count"' in before
    made = staff.post(_codes(setup), {"count": "3"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    sheet = _page(made)
    assert "codes-print.css" in sheet
    take_part = reverse("conversations:conversation", args=[setup.conversation.pk])
    assert f"https://coproduce.example.gov.uk{take_part}" in sheet
    assert "testserver" not in sheet
    rows = list(setup.conversation.resident_codes.all())
    assert len(rows) == 3
    shown = sheet.split('class="app-code-slip__code">', 1)[1].split("</p>", 1)[0]
    shown = shown.rsplit("</span>", 1)[-1].strip()
    assert hash_secret(shown) in {row.code_hash for row in rows}
    # A code is never shown again: the page keeps only how many were made and used.
    make_resident(setup.conversation)
    after = _page(staff.get(_codes(setup)))
    assert 'id="codes-made">4<' in after
    assert 'id="codes-used">1<' in after
    assert shown not in after


def test_a_wrong_number_of_codes_is_a_field_error() -> None:
    setup = make_conversation(audience=Audience.RESIDENTS, postcode_prefixes="NF1")
    response = _client(setup.staff).post(_codes(setup), {"count": "0"})
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in _page(response)
    assert 'href="#id_count"' in _page(response)
    assert not setup.conversation.resident_codes.exists()


def test_a_conversation_without_residents_only_says_it_takes_no_codes() -> None:
    setup = make_conversation(audience=Audience.SIGNED_IN)
    staff = _client(setup.staff)
    page = _page(staff.get(_codes(setup)))
    assert 'id="no-codes"' in page
    assert 'name="count"' not in page
    assert staff.post(_codes(setup), {"count": "3"}).status_code == 400
    assert not setup.conversation.resident_codes.exists()
