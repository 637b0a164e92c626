"""The staff inbox: what waits for an answer, per service and across a person's services, filtered,
paged, answered in place (with htmx and without), and ticked to record or join a decision
(contributions made with ``said``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions import actions, queries_inbox
from coproduce.contributions.models import Contribution, Decision, Visibility
from coproduce.contributions.queries_inbox import InboxFilters
from coproduce.contributions.tests.said import answered, said
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def service() -> Service:
    return ServiceFactory(name="Recovery service")


@pytest.fixture
def ideas(service: Service) -> Activity:
    return ActivityFactory(
        service=service,
        title="Ideas for the hub",
        kind=ActivityKind.IDEA_CHALLENGE,
        state=ActivityState.OPEN,
    )


@pytest.fixture
def stories(service: Service) -> Activity:
    return ActivityFactory(
        service=service,
        title="Stories of recovery",
        kind=ActivityKind.STORY_COLLECTION,
        state=ActivityState.OPEN,
    )


@pytest.fixture
def professional(ideas: Activity) -> Any:
    return staff_of(ideas)


def inbox_url(service: Service, query: str = "") -> str:
    url = reverse("contributions:service_inbox", kwargs={"slug": service.slug})
    return f"{url}?{query}" if query else url


def listed(response: Any) -> list[str]:
    """The titles of the contributions a page of an inbox lists, in order."""
    return [contribution.title for contribution, _form in response.context["items"]]


# --- What is listed, and in which order --------------------------------------------------------


def test_the_inbox_lists_published_unanswered_contributions_oldest_first(
    service: Service, ideas: Activity, professional: Any
) -> None:
    newest = said(ideas, "Newest", days=1)
    oldest = said(ideas, "Oldest", days=40)
    said(ideas, "Middle", days=10)
    answered(said(ideas, "Answered", days=50), professional)
    held = said(ideas, "Held", days=60)
    Contribution.objects.filter(pk=held.pk).update(visibility=Visibility.PENDING)
    hidden = said(ideas, "Hidden", days=60)
    Contribution.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    said(ideas, "Needs no answer", days=70, needs_answer=False)
    elsewhere = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    said(elsewhere, "Another service", days=80)

    titles = [c.title for c in queries_inbox.inbox([service])]
    assert titles == ["Oldest", "Middle", "Newest"]
    assert queries_inbox.waiting_in(service).count == 3
    assert queries_inbox.waiting_in(service).oldest_days == 40
    assert [c.pk for c in queries_inbox.inbox([service])][::2] == [oldest.pk, newest.pk]


def test_filters_by_activity_kind_and_age(
    service: Service, ideas: Activity, stories: Activity, professional: Any
) -> None:
    said(ideas, "Old idea", days=31)
    said(ideas, "Fresh idea", days=2)
    said(stories, "Old story", kind="story", days=20)
    said(stories, "Fresh story", kind="story", days=8)
    client = client_for(professional)

    assert listed(client.get(inbox_url(service))) == [
        "Old idea",
        "Old story",
        "Fresh story",
        "Fresh idea",
    ]
    assert listed(client.get(inbox_url(service, f"activity={stories.pk}"))) == [
        "Old story",
        "Fresh story",
    ]
    assert listed(client.get(inbox_url(service, "kind=idea"))) == ["Old idea", "Fresh idea"]
    assert listed(client.get(inbox_url(service, "age=7"))) == [
        "Old idea",
        "Old story",
        "Fresh story",
    ]
    assert listed(client.get(inbox_url(service, "age=14&kind=story"))) == ["Old story"]
    assert listed(client.get(inbox_url(service, "age=30"))) == ["Old idea"]
    page = client.get(inbox_url(service, f"activity={ideas.pk}&age=30")).content.decode()
    assert "Clear the filters" in page
    assert f'<option value="{ideas.pk}" selected>Ideas for the hub</option>' in page


@pytest.mark.parametrize(
    "query",
    [
        "activity=99999999999999999999999",
        "activity=nonsense&kind=ballot&age=5",
        "age=-1&page=x",
        "kind=%00&age=999",
    ],
)
def test_bad_filter_values_fall_back_to_everything(
    service: Service, ideas: Activity, professional: Any, query: str
) -> None:
    said(ideas, "An idea", days=3)
    response = client_for(professional).get(inbox_url(service, query))
    assert response.status_code == 200
    assert listed(response) == ["An idea"]
    assert "govuk-error-summary" not in response.content.decode()


def test_an_activity_of_another_service_is_not_a_filter(
    service: Service, ideas: Activity, professional: Any
) -> None:
    said(ideas, "Mine", days=3)
    other = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    said(other, "Theirs", days=3)
    response = client_for(professional).get(inbox_url(service, f"activity={other.pk}"))
    assert listed(response) == ["Mine"]


def test_the_inbox_is_paged_twenty_at_a_time(
    service: Service, ideas: Activity, professional: Any
) -> None:
    for number in range(21):
        said(ideas, f"Idea {number}", days=30 - number)
    client = client_for(professional)
    first = client.get(inbox_url(service))
    assert listed(first) == [f"Idea {n}" for n in range(20)]
    assert first.context["page"].paginator.count == 21
    assert listed(client.get(inbox_url(service, "page=2"))) == ["Idea 20"]
    assert listed(client.get(inbox_url(service, "page=99"))) == ["Idea 20"]


def test_every_item_says_what_was_said_its_kind_activity_and_wait(
    service: Service, ideas: Activity, stories: Activity, professional: Any
) -> None:
    said(ideas, "A café run by people in recovery", days=34)
    said(stories, "Someone listened", kind="story")
    page = client_for(professional).get(inbox_url(service)).content.decode()
    assert "Why: A café run by people in recovery." in page  # the idea's summary template
    assert "What happened: Someone listened." in page  # the story's
    assert "Waiting 34 days" in page
    assert "Waiting since today" in page
    assert "Ideas for the hub" in page
    assert "Stories of recovery" in page
    assert "Story ·" in page
    assert "Idea ·" in page


def test_the_empty_inbox_says_so_plainly(service: Service, professional: Any) -> None:
    client = client_for(professional)
    page = client.get(inbox_url(service)).content.decode()
    assert "Nothing is waiting for an answer." in page
    filtered = client.get(inbox_url(service, "age=30")).content.decode()
    assert "Nothing is waiting for an answer." not in filtered  # empty only because of the filters
    assert "Nothing waiting for an answer matches these filters." in filtered


def test_the_page_makes_the_same_queries_for_more_items(
    service: Service,
    ideas: Activity,
    stories: Activity,
    professional: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(professional)
    said(ideas, "One", days=2)
    said(stories, "Two", kind="story", days=2)
    with django_assert_max_num_queries(40) as few:
        client.get(inbox_url(service))
    for number in range(10):
        said(ideas, f"Idea {number}", days=1)
        said(stories, f"Story {number}", kind="story", days=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(inbox_url(service))


# --- Who sees which inbox ---------------------------------------------------------------------


def test_only_those_who_answer_have_the_service_inbox(
    service: Service, ideas: Activity, professional: Any
) -> None:
    said(ideas, "An idea", days=3)
    url = inbox_url(service)
    admin = staff_of(ideas, Role.ADMIN)
    facilitator = staff_of(ideas, Role.FACILITATOR)
    outsider = UserFactory(mfa=True)
    MembershipFactory(user=outsider, role=Role.PROFESSIONAL)  # of another organisation
    superuser = UserFactory(mfa=True, is_superuser=True, is_staff=True)
    for person in (professional, admin, superuser):
        assert client_for(person).get(url).status_code == 200
    # Facilitators moderate but do not answer: they have no inbox (decision 0020).
    for person in (facilitator, outsider, UserFactory()):
        assert client_for(person).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_the_inbox_across_services_lists_only_the_persons_services(ideas: Activity) -> None:
    council = ideas.service.organisation
    said(ideas, "Council idea", days=5)
    second = ActivityFactory(
        service=ServiceFactory(organisation=council, name="Libraries"),
        kind=ActivityKind.IDEA_CHALLENGE,
        state=ActivityState.OPEN,
    )
    said(second, "Library idea", days=9)
    trust = OrganisationFactory(name="The trust")
    theirs = ActivityFactory(
        service=ServiceFactory(organisation=trust, name="Trust service"),
        kind=ActivityKind.IDEA_CHALLENGE,
        state=ActivityState.OPEN,
    )
    said(theirs, "Trust idea", days=20)
    professional = staff_of(ideas)
    url = reverse("contributions:inbox")

    response = client_for(professional).get(url)
    assert listed(response) == ["Library idea", "Council idea"]
    page = response.content.decode()
    assert "Trust idea" not in page
    assert "Trust service" not in page
    assert [(w.service.name, w.count) for w in response.context["by_service"]] == [
        ("Libraries", 1),
        ("Recovery service", 1),
    ]
    assert reverse("contributions:service_inbox", kwargs={"slug": second.service.slug}) in page
    assert "Record a decision about this" in page  # per item: a decision is one service's
    assert 'form="inbox-ticked"' not in page

    superuser = UserFactory(mfa=True, is_superuser=True, is_staff=True)
    assert listed(client_for(superuser).get(url)) == ["Trust idea", "Library idea", "Council idea"]
    facilitator = staff_of(ideas, Role.FACILITATOR)
    assert client_for(facilitator).get(url).status_code == 403
    assert client_for(UserFactory()).get(url).status_code == 403


# --- Answering in place -------------------------------------------------------------------------


def respond_url(contribution: Contribution) -> str:
    return reverse("contributions:respond", kwargs={"pk": contribution.pk})


def test_answering_with_htmx_swaps_the_item_for_the_answer(
    service: Service, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "A quiet room", days=12)
    client = client_for(professional)
    page = client.get(inbox_url(service)).content.decode()
    assert f'hx-post="{respond_url(idea)}"' in page
    assert f'hx-target="#inbox-item-{idea.pk}"' in page

    response = client.post(
        respond_url(idea),
        {"body": "We will build it.", "next": inbox_url(service), "inbox": "service"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(
        f'<li class="app-card-list__item" id="inbox-item-{idea.pk}"'
    )
    assert "Answered" in fragment
    assert "We will build it." in fragment
    assert "data-focus-after-swap" in fragment
    assert f'id="tick-{idea.pk}"' in fragment  # still there to tick for a decision
    assert "<html" not in fragment
    assert idea.responses.get().body == "We will build it."
    assert listed(client.get(inbox_url(service))) == []
    # No banner waits for the next page: the item said it.
    assert "Your answer is published" not in client.get(inbox_url(service)).content.decode()


def test_an_empty_answer_with_htmx_comes_back_with_its_error(
    service: Service, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "A quiet room", days=12)
    response = client_for(professional).post(
        respond_url(idea),
        {"body": "  ", "next": inbox_url(service), "inbox": "service"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # htmx swaps only successful responses
    fragment = response.content.decode()
    assert "Write the answer." in fragment
    assert "govuk-textarea--error" in fragment
    assert f'id="answer-{idea.pk}-body"' in fragment
    assert "govuk-error-summary" not in fragment
    assert not idea.responses.exists()


def test_answering_without_javascript_goes_back_to_the_inbox(
    service: Service, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "A quiet room", days=12)
    said(ideas, "Another", days=3)
    client = client_for(professional)
    back = inbox_url(service, "age=7")
    response = client.post(
        respond_url(idea), {"body": "We will build it.", "next": back, "inbox": "service"}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    after = client.get(back)
    assert "Your answer is published" in after.content.decode()
    assert listed(after) == []


def test_an_empty_answer_without_javascript_shows_the_answer_page(
    service: Service, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "A quiet room", days=12)
    client = client_for(professional)
    back = inbox_url(service, "kind=idea")
    response = client.post(respond_url(idea), {"body": "", "next": back, "inbox": "service"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Write the answer." in page
    assert f'<input type="hidden" name="next" value="{back.replace("&", "&amp;")}">' in page
    corrected = client.post(respond_url(idea), {"body": "Yes.", "next": back})
    assert corrected["Location"] == back


def test_the_way_back_never_leaves_the_site(ideas: Activity, professional: Any) -> None:
    idea = said(ideas, "A quiet room")
    response = client_for(professional).post(
        respond_url(idea), {"body": "Yes.", "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == idea.get_absolute_url()


def test_only_those_who_answer_can_answer_in_place(ideas: Activity) -> None:
    idea = said(ideas, "A quiet room")
    facilitator = staff_of(ideas, Role.FACILITATOR)
    response = client_for(facilitator).post(
        respond_url(idea), {"body": "Yes."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert not idea.responses.exists()


# --- Ticking contributions for a decision ------------------------------------------------------


def test_ticked_ones_open_the_decision_form_ticked(
    service: Service, ideas: Activity, stories: Activity, professional: Any
) -> None:
    first = said(ideas, "A quiet room", days=9)
    second = said(stories, "Someone listened", kind="story", days=4)
    said(ideas, "Not ticked", days=2)
    client = client_for(professional)
    response = client.post(
        inbox_url(service),
        {"contributions": [first.pk, second.pk], "then": "decide", "decision": ""},
    )
    assert response.status_code == 302
    url = reverse("contributions:decision_create", kwargs={"slug": service.slug})
    assert response["Location"] == f"{url}?contribution={first.pk}&contribution={second.pk}"

    form = client.get(response["Location"]).content.decode()
    ticked = re.findall(r'<input[^>]*type="checkbox"[^>]*value="(\d+)"[^>]* checked', form)
    assert sorted(map(int, ticked)) == sorted([first.pk, second.pk])
    assert f'type="radio" value="{first.pk}"' not in form
    assert "Not ticked" in form  # offered too, to tick


def test_ticked_ones_are_added_to_an_existing_decision(
    service: Service, ideas: Activity, professional: Any
) -> None:
    first = said(ideas, "A quiet room", days=9)
    second = said(ideas, "A café", days=4)
    decision = actions.decision_create(
        service=service,
        stage=service.current_stage,
        title="A calm room",
        description="Because people asked.",
        decided_by="The board",
        decided_on=dt.date.today(),
        recorded_by=professional,
    )
    client = client_for(professional)
    page = client.get(inbox_url(service)).content.decode()
    assert "A calm room" in page  # offered in the list of decisions
    back = inbox_url(service, "kind=idea")
    response = client.post(
        back, {"contributions": [first.pk, second.pk], "then": "link", "decision": decision.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert set(decision.contributions.all()) == {first, second}
    assert "Contributions linked" in client.get(back).content.decode()
    assert listed(client.get(back)) == ["A quiet room", "A café"]  # linked, still to answer


def test_ticking_mistakes_are_shown_on_the_inbox(
    service: Service, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "A quiet room", days=9)
    other_decision: Decision = actions.decision_create(
        service=ServiceFactory(organisation=service.organisation),
        stage="design",
        title="Elsewhere",
        description="…",
        decided_by="Them",
        decided_on=dt.date.today(),
        recorded_by=professional,
    )
    client = client_for(professional)
    nothing = client.post(inbox_url(service), {"then": "decide"})
    assert nothing.status_code == 200
    assert "Tick at least one contribution." in nothing.content.decode()
    assert "<title>Error:" in nothing.content.decode()

    no_decision = client.post(inbox_url(service), {"contributions": [idea.pk], "then": "link"})
    page = no_decision.content.decode()
    assert "Choose the decision to add them to." in page
    assert (
        f'id="tick-{idea.pk}" name="contributions" type="checkbox" value="{idea.pk}" form="inbox-ticked" checked'
        in page
    )

    foreign = client.post(
        inbox_url(service),
        {"contributions": [idea.pk], "then": "link", "decision": other_decision.pk},
    )
    assert "Choose one of the decisions listed." in foreign.content.decode()
    assert not other_decision.contributions.exists()

    too_big = client.post(inbox_url(service), {"contributions": ["9" * 30], "then": "decide"})
    assert "Tick at least one contribution." in too_big.content.decode()
    elsewhere = said(
        ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN), "X"
    )
    theirs = client.post(inbox_url(service), {"contributions": [elsewhere.pk], "then": "decide"})
    assert theirs.status_code == 200
    assert "Tick contributions made to this service." in theirs.content.decode()


# --- The decision form offers something to tick; the staff pages lead to the inbox --------------


def test_the_decision_form_offers_the_newest_that_need_an_answer_and_a_search(
    service: Service, ideas: Activity, professional: Any
) -> None:
    oldest = said(ideas, "A minibus from the villages", days=60)
    for number in range(21):
        said(ideas, f"Idea {number}", days=20 - number / 2)
    said(ideas, "A comment", needs_answer=False)
    url = reverse("contributions:decision_create", kwargs={"slug": service.slug})
    client = client_for(professional)

    offered = client.get(url).context["form"].fields["contributions"].queryset
    assert [c.title for c in offered] == [f"Idea {n}" for n in range(20, 0, -1)]
    assert " checked" not in re.sub(
        r'name="stage"[^>]*checked', "", client.get(url).content.decode()
    )

    found = client.get(f"{url}?q=minibus+villages").context["form"].fields["contributions"]
    assert [c.title for c in found.queryset] == ["A minibus from the villages"]
    ticked = client.get(f"{url}?q=minibus&contribution={oldest.pk}&contribution=999999")
    assert [c.pk for c in ticked.context["form"].fields["contributions"].queryset] == [oldest.pk]
    assert f'name="contribution" value="{oldest.pk}"' in ticked.content.decode()  # kept by search


def test_the_staff_service_page_leads_to_the_inbox_and_to_a_decision(
    service: Service, ideas: Activity, professional: Any
) -> None:
    said(ideas, "One", days=34)
    said(ideas, "Two", days=3)
    url = reverse("services:staff_service", kwargs={"slug": service.slug})
    page = client_for(professional).get(url).content.decode()
    assert "2 contributions are waiting for an answer." in page
    assert "The longest has waited 34 days." in page
    assert f'href="{inbox_url(service)}"' in page
    assert "Open the inbox (2 waiting)" in page
    decide = reverse("contributions:decision_create", kwargs={"slug": service.slug})
    assert f'href="{decide}"' in page
    assert f'href="{inbox_url(service)}?age=30"' in page  # from the overdue warning

    facilitator = client_for(staff_of(ideas, Role.FACILITATOR)).get(url).content.decode()
    assert "Open the inbox" not in facilitator
    assert f'href="{decide}"' not in facilitator


def test_the_staff_dashboard_says_how_much_waits(ideas: Activity, professional: Any) -> None:
    said(ideas, "One", days=3)
    url = reverse("services:staff_dashboard")
    page = client_for(professional).get(url).content.decode()
    assert "1 contribution is waiting for an answer in your services." in page
    assert f'href="{reverse("contributions:inbox")}"' in page
    facilitator = client_for(staff_of(ideas, Role.FACILITATOR)).get(url).content.decode()
    assert reverse("contributions:inbox") not in facilitator


def test_inbox_filters_are_plain_data() -> None:
    assert not InboxFilters().any
    assert InboxFilters(kind="idea").any
    assert InboxFilters(older_than=7).any


def test_an_answer_sent_twice_from_the_inbox_is_published_once(
    service: Service, ideas: Activity, professional: Any
) -> None:
    from coproduce.common.forms import new_form_token

    idea = said(ideas, "A quiet room", days=12)
    client = client_for(professional)
    sent = {"body": "We will.", "inbox": "service", "one_time_token": new_form_token()}
    first = client.post(respond_url(idea), sent, headers={"HX-Request": "true"})
    again = client.post(respond_url(idea), sent, headers={"HX-Request": "true"})
    assert idea.responses.count() == 1
    for response in (first, again):
        assert "Answered" in response.content.decode()
        assert "We will." in response.content.decode()
