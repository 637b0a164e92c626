"""The site search with every app's sources: each write that changes what is public changes the
index in the same transaction, and nothing private is ever found (docs/decisions/0023-search.md).

These need the method apps (codesign, insight) side by side, so they live here rather than in
``coproduce/search/tests``, which sees the search app alone (docs/architecture.md, layers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine
from coproduce.contributions.models import Contribution
from coproduce.insight import actions as insight_actions
from coproduce.insight.tests.factories import (
    AssetFactory,
    NeedsSurveyFactory,
    StoryCollectionFactory,
    StoryFactory,
    approve,
    facilitator_of,
    sample_answers,
)
from coproduce.search import queries
from coproduce.search.actions import index_rebuild
from coproduce.search.models import Document
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityState, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db


def found(text: str, **filters: Any) -> set[tuple[str, str]]:
    """(kind, title) of everything the search finds."""
    keys = queries.search(text, **filters).keys
    return {(d.kind, d.title) for d in Document.objects.filter(pk__in=keys)}


def indexed() -> set[tuple[str, int]]:
    return set(Document.objects.values_list("kind", "key"))


def test_an_idea_is_found_until_it_is_hidden_and_its_comments_and_answers_with_it() -> None:
    idea = IdeaFactory(title="Saturday drop-in", description="For working parents.")
    comment = CommentFactory(idea=idea, body="A drop-in with a crèche, please.")
    contribution = idea.contribution
    spine.response_create(
        contribution=contribution,
        author=staff_of(idea.contribution.activity),
        body="We will try a drop-in.",
    )
    assert found("drop-in") == {
        ("idea", "Saturday drop-in"),
        ("comment", "A drop-in with a crèche, please."),
        ("answer", "Saturday drop-in"),
    }
    moderator = facilitator_of(idea.contribution.activity)
    spine.moderation_hide(contribution=contribution, moderator=moderator)
    assert found("drop-in") == set()
    assert found("creche") == set()  # the comment went with its idea
    spine.moderation_approve(contribution=contribution, moderator=moderator)
    assert len(found("drop-in")) == 3
    spine.moderation_hide(contribution=comment.contribution, moderator=moderator)
    assert ("comment", "A drop-in with a crèche, please.") not in found("drop-in")


def test_a_held_contribution_is_found_only_once_published() -> None:
    challenge = IdeaChallengeFactory(premoderation=True)
    idea = IdeaFactory(activity=challenge, title="Held drop-in idea")
    assert found("held") == set()
    approve(idea.contribution)
    assert found("held") == {("idea", "Held drop-in idea")}
    story = StoryFactory(title="The night the drop-in was shut", body="I waited outside.")
    assert found("waited") == set()  # every story waits for a moderator
    approve(story.contribution)
    assert found("waited") == {("story", "The night the drop-in was shut")}
    AssetFactory(name="Tuesday knit and natter", description="At the drop-in centre")
    assert ("asset", "Tuesday knit and natter") in found("drop-in")


def test_nothing_of_a_draft_service_is_found() -> None:
    service = ServiceFactory(name="Harbour plans")
    IdeaFactory(activity=IdeaChallengeFactory(service=service, title="Harbour ideas"))
    draft_activity = ActivityFactory(service=service, title="Harbour walk")
    assert {title for _kind, title in found("harbour")} == {"Harbour plans", "Harbour ideas"}
    service_actions.service_set_status(service=service, status=ServiceStatus.DRAFT)
    assert found("harbour") == set()
    assert found("idea") == set()
    assert not Document.objects.filter(service_id=service.pk).exists()
    service_actions.activity_transition(activity=draft_activity, to_state=ActivityState.OPEN)
    assert found("harbour") == set()  # open, but in a draft service
    service_actions.service_set_status(service=service, status=ServiceStatus.PUBLISHED)
    assert {title for _kind, title in found("harbour")} == {
        "Harbour plans",
        "Harbour ideas",
        "Harbour walk",
    }
    assert len(found("idea", kinds=["idea"])) == 1
    draft = ServiceFactory(name="Harbour secrets", status=ServiceStatus.DRAFT)
    ActivityFactory(service=draft, title="Harbour secret walk")
    assert "Harbour secrets" not in {title for _kind, title in found("harbour")}


def test_edits_renames_and_decisions_follow() -> None:
    activity = ActivityFactory(state=ActivityState.OPEN, title="Evening sessions")
    service = activity.service
    service_actions.activity_update(activity=activity, title="Evening drop-in")
    assert found("evening") == {("activity", "Evening drop-in")}
    service_actions.service_update(service=service, name="Northfield drop-in hub")
    assert (
        Document.objects.filter(service_id=service.pk)
        .values_list("service_name", flat=True)
        .distinct()
        .get()
        == "Northfield drop-in hub"
    )
    decision = spine.decision_create(
        service=service,
        stage=service.current_stage,
        title="Drop-in opens on Saturdays",
        description="Because parents asked.",
        decided_by="The board",
        decided_on=dt.date(2026, 3, 1),
        recorded_by=staff_of(activity),
        title_cy="Sesiwn galw heibio ar ddydd Sadwrn",
    )
    assert found("parents") == {("decision", "Drop-in opens on Saturdays")}
    assert found("sadwrn") == {("decision", "Drop-in opens on Saturdays")}  # its Welsh too
    assert Document.objects.get(kind="decision", key=decision.pk).title_cy.startswith("Sesiwn")


def test_survey_answers_are_never_found_nor_the_answers_to_them() -> None:
    survey = NeedsSurveyFactory()
    author = UserFactory()
    submission = insight_actions.survey_submit(
        activity=survey,
        author=author,
        answers=sample_answers(list(survey.survey.questions.all()), "A private drop-in wish"),
    )
    approve(submission.contribution)
    spine.response_create(
        contribution=submission.contribution,
        author=staff_of(survey),
        body="Thank you: we read every drop-in wish.",
    )
    assert found("drop-in") == set()
    assert found("wish") == set()
    assert not Document.objects.filter(kind="need").exists()


def test_an_activity_is_found_once_it_opens() -> None:
    activity = ActivityFactory(title="Bus stop survey")
    assert found("bus stop") == set()
    service_actions.activity_transition(activity=activity, to_state=ActivityState.OPEN)
    assert found("bus stop") == {("activity", "Bus stop survey")}


def test_what_the_actions_keep_is_what_a_rebuild_makes() -> None:
    idea = IdeaFactory(title="Drop-in")
    CommentFactory(idea=idea)
    StoryFactory(activity=StoryCollectionFactory(service=idea.contribution.activity.service))
    AssetFactory()
    ActivityFactory(service=ServiceFactory(status=ServiceStatus.DRAFT))
    spine.moderation_hide(
        contribution=CommentFactory(idea=idea).contribution,
        moderator=facilitator_of(idea.contribution.activity),
    )
    kept = indexed()
    index_rebuild()
    assert indexed() == kept
    public = {("idea", idea.pk)}
    assert public <= kept
    hidden = Contribution.objects.exclude(visibility="published").values_list("pk", flat=True)
    contributions = {key for kind, key in kept if kind in {"idea", "comment", "story", "asset"}}
    assert contributions
    assert not contributions & set(hidden)


def test_the_search_page_finds_every_kind_and_links_to_it(client: Client) -> None:
    idea = IdeaFactory(title="Saturday drop-in")
    html = client.get(reverse("search:results"), {"q": "drop-in", "kind": "idea"}).content.decode()
    assert f'href="{idea.get_absolute_url()}"' in html
    assert "1 result for ‘drop-in’" in html
    assert idea.contribution.activity.service.name in html  # the service it belongs to
    assert client.get(idea.get_absolute_url()).status_code == 200


def test_a_budget_proposal_is_found_once_made_and_hidden_with_moderation() -> None:
    from coproduce.budgeting.tests.factories import make_budget, make_proposal

    setup = make_budget()
    proposal = make_proposal(setup, title="Skate ramp by the library", feasibility=None)
    assert found("skate ramp") == {("budget_proposal", "Skate ramp by the library")}
    spine.moderation_hide(contribution=proposal.contribution, moderator=setup.staff)
    assert found("skate ramp") == set()
