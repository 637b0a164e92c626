"""Walks through the opinion-map pages (issue 14), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own conversation with the real actions, in the recovery service that the council's
administrator runs, with a computed map where the walk needs one.
"""

from __future__ import annotations

from typing import Any

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff


def make_conversation(title: str, *, people: int = 0, **settings: Any) -> Any:
    """An open conversation of the recovery service with eight seed statements and, with
    ``people``, that many visitors in two camps who voted on all of them, and its map."""
    import random

    from coproduce.conversations import actions, tasks
    from coproduce.services.models import ActivityKind, ActivityState, Service
    from coproduce.services.tests.factories import ActivityFactory, staff_of

    activity = ActivityFactory(
        service=Service.objects.get(slug=RECOVERY),
        kind=ActivityKind.OPINION_MAP,
        state=ActivityState.OPEN,
        title=title,
    )
    staff = staff_of(activity)
    conversation = actions.conversation_create(activity=activity, by=staff, **settings)
    texts = [
        "The hub should open on Saturday mornings",
        "Evening sessions should be in the town centre",
        "Online meetings work as well as meeting in person",
        "Families should be able to come to some sessions",
        "The hub needs a quiet room",
        "Peer mentors should run the evening groups",
        "Sessions should be drop-in, not booked",
        "The café should stay open in the evening",
    ]
    statements = [
        actions.statement_add(conversation=conversation, by=staff, text=text) for text in texts
    ]
    rng = random.Random(14)
    for number in range(people):
        participant = actions.participant_get_or_create(conversation=conversation)
        camp = number % 2
        for index, statement in enumerate(statements):
            leans = 1 if (index % 2 == camp) else -1
            value = leans if rng.random() < 0.85 else rng.choice([0, -leans])
            actions.vote_cast(participant=participant, statement=statement, value=value)
    if people:
        tasks.run_map(conversation.pk)
    return conversation


@public(
    user=RESIDENT,
    covers={
        "conversations:conversation",
        "conversations:vote",
        "conversations:statement_add",
        "conversations:my_votes",
        "conversations:map",
        "conversations:report",
        "conversations:how_the_map_works",
    },
)
def an_opinion_map_as_resident(a: Auditor) -> None:
    conversation = make_conversation("Evening support: walk", people=12)
    a.goto(conversation.activity.get_absolute_url())
    a.goto(a.url("conversations:conversation", conversation.pk), heading="Evening support: walk")
    # With JavaScript, htmx swaps in the next statement without leaving the page.
    a.click(a.button("Agree"), then=a.page.get_by_text("You have voted on 1 of 8 statements"))
    a.click(a.button("Disagree"), then=a.page.get_by_text("You have voted on 2 of 8 statements"))
    a.goto(a.url("conversations:my_votes", conversation.pk), heading="Your votes")
    a.goto(a.url("conversations:statement_add", conversation.pk), heading="Add a statement")
    a.submit(a.button("Add my statement"))
    a.errors_shown()
    a.field("Your statement").fill("The hub should open on Saturday mornings too")
    a.submit(a.button("Add my statement"), heading="Is your statement already here?")
    a.goto(a.url("conversations:map", conversation.pk), heading="Opinion map")
    a.goto(a.url("conversations:report", conversation.pk), heading="Report on the conversation")
    a.goto(a.url("conversations:how_the_map_works"), heading="How the opinion map works")


@public(user=None, covers={"conversations:conversation", "conversations:map"})
def an_opinion_map_before_its_first_map_without_an_account(a: Auditor) -> None:
    conversation = make_conversation("Evening support: no map yet")
    a.goto(a.url("conversations:conversation", conversation.pk), heading="Evening support")
    a.goto(a.url("conversations:map", conversation.pk), heading="Opinion map")
    signed_in = make_conversation("Evening support: accounts only", audience="signed_in")
    a.goto(a.url("conversations:conversation", signed_in.pk), heading="Evening support")


@public(user=RESIDENT, covers={"conversations:resident_code", "conversations:conversation"})
def an_opinion_map_for_verified_residents(a: Auditor) -> None:
    from coproduce.conversations import actions
    from coproduce.services.tests.factories import staff_of

    conversation = make_conversation(
        "Evening support: residents", audience="residents", postcode_prefixes="NF1"
    )
    [code] = actions.codes_generate(
        conversation=conversation, by=staff_of(conversation.activity), count=1
    )
    a.goto(a.url("conversations:conversation", conversation.pk), heading="Evening support")
    a.goto(a.url("conversations:resident_code", conversation.pk), heading="Enter your code")
    a.field("Your code").fill("ABCD-EFGH-JKLM")
    a.field("Your postcode").fill("NF1 2AB")
    a.submit(a.button("Continue"), status=400, heading="Enter your code")
    a.errors_shown()
    a.field("Your code").fill(code)
    a.field("Your postcode").fill("NF1 2AB")
    a.submit(a.button("Continue"), heading="Evening support: residents")


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "conversations:manage",
        "conversations:moderation",
        "conversations:statement_moderate",
        "conversations:map_refresh",
        "conversations:summary",
        "conversations:codes",
    },
)
def an_opinion_map_as_staff(a: Auditor) -> None:
    from coproduce.conversations import actions
    from coproduce.services.models import ActivityKind, ActivityState, Service
    from coproduce.services.tests.factories import ActivityFactory

    fresh = ActivityFactory(
        service=Service.objects.get(slug=RECOVERY),
        kind=ActivityKind.OPINION_MAP,
        state=ActivityState.DRAFT,
        title="Evening support: to set up",
    )
    a.goto(a.url("conversations:manage", fresh.pk), heading="Set up the conversation")
    a.submit(a.button("Set up the conversation"), heading="Run the conversation")

    conversation = make_conversation("Evening support: staff walk", people=12)
    visitor = actions.participant_get_or_create(conversation=conversation)
    actions.statement_add(
        conversation=conversation, participant=visitor, text="Buses home after 9pm are needed"
    )
    a.goto(a.url("conversations:manage", conversation.pk), heading="Run the conversation")
    a.submit(a.button("Add the seed statement"), heading="Run the conversation")
    a.errors_shown()
    a.submit(a.button("Recompute the map now"), heading="Run the conversation")
    a.goto(a.url("conversations:moderation", conversation.pk), heading="Moderate statements")
    a.submit(a.page.get_by_role("button", name="Reject statement"), heading="Reject a statement")
    a.errors_shown()
    a.goto(a.url("conversations:summary", conversation.pk), heading="Publish the summary")
    a.submit(a.button("Publish the summary"), heading="Publish the summary")
    a.errors_shown()
    a.goto(a.url("conversations:codes", conversation.pk), heading="Residents’ codes")
    residents = make_conversation(
        "Evening support: residents' codes", audience="residents", postcode_prefixes="NF1"
    )
    a.goto(a.url("conversations:codes", residents.pk), heading="Residents’ codes")
    a.submit(a.button("Make the codes"), status=400, heading="Residents’ codes")
    a.errors_shown()
    a.field("How many codes").fill("4")
    a.submit(a.button("Make the codes"), heading="4 residents’ codes to print")
