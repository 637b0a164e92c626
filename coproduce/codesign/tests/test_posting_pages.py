"""Taking part through the web client: posting an idea, commenting and replying, supporting an
idea with and without htmx, reporting, and a closed challenge that takes none of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import spam
from coproduce.codesign.models import Comment, Idea, Support
from coproduce.codesign.tests.challenge_pages import close
from coproduce.codesign.tests.factories import (
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.contributions.models import Report, Response, Visibility
from coproduce.organisations.models import Role
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def test_post_an_idea_with_field_errors_first(client: Client) -> None:
    activity = IdeaChallengeFactory()
    category = IdeaCategoryFactory(activity=activity, name="Transport")
    resident = UserFactory(name="Jo Bennett")
    web = client_for(resident)
    url = reverse("codesign:idea_create", kwargs={"pk": activity.pk})

    assert "Post an idea" in web.get(url).content.decode()
    response = web.post(
        url,
        {"title": "", "description": "x" * 5001, "category": "12abc", "author_display": "loud"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    for message in [
        "Enter a title for your idea.",
        "Enter 5000 characters or fewer. You entered",
        "Choose one of this challenge&#x27;s categories.",
        "Select a valid choice. loud is not one of the available choices.",
    ]:
        assert message in body
    assert body.count("govuk-error-message") == 4
    assert Idea.objects.count() == 0

    response = web.post(
        url,
        {
            "title": "A bus to the hub",
            "description": "A shuttle from the station on Saturdays.",
            "category": category.pk,
            "author_display": "named",
        },
    )
    idea = Idea.objects.get()
    assert response["Location"] == idea.get_absolute_url()
    assert idea.category == category
    page = web.get(idea.get_absolute_url()).content.decode()
    assert "Your idea has been posted." in page
    assert "Jo Bennett" in page


def test_a_premoderated_challenge_holds_ideas_and_says_so() -> None:
    activity = IdeaChallengeFactory(premoderation=True)
    web = client_for(UserFactory())
    response = web.post(
        reverse("codesign:idea_create", kwargs={"pk": activity.pk}),
        {"title": "Quiet room", "description": "Somewhere calm.", "author_display": "anonymous"},
        follow=True,
    )
    body = response.content.decode()
    assert "A moderator will check your idea" in body
    assert "waiting for a moderator" in body
    assert Idea.objects.get().contribution.visibility == Visibility.PENDING


def test_threaded_comments_replies_and_questions_work_without_javascript() -> None:
    idea = IdeaFactory(title="Saturday opening")
    first = UserFactory(name="Priya Sharma")
    second = UserFactory(name="Dave Morgan")
    url = reverse("codesign:comment_create", kwargs={"pk": idea.pk})

    response = client_for(first).post(
        url, {"body": "When would it open?", "is_question": "on", "author_display": "first_name"}
    )
    question = Comment.objects.get()
    assert response["Location"] == f"{idea.get_absolute_url()}#comment-{question.pk}"
    assert question.is_question

    replier = client_for(second)
    form_page = replier.get(f"{url}?parent={question.pk}").content.decode()
    assert "Reply to a comment" in form_page
    assert "When would it open?" in form_page
    assert "Reply to a comment" not in replier.get(f"{url}?parent=abc").content.decode()
    replier.post(
        url, {"parent": question.pk, "body": "I hope at 9am.", "author_display": "first_name"}
    )
    reply = Comment.objects.get(parent=question)

    bad = replier.post(url, {"parent": "999999", "body": "Lost", "author_display": "first_name"})
    assert bad.status_code == 200
    assert "The comment you are replying to is not on this idea." in bad.content.decode()
    empty = replier.post(url, {"body": "  ", "author_display": "first_name"})
    assert "Enter your comment." in empty.content.decode()

    page = Client().get(idea.get_absolute_url()).content.decode()
    start, end = page.index(f'id="comment-{question.pk}"'), page.index(f'id="comment-{reply.pk}"')
    assert start < end
    assert "govuk-!-margin-left-6" in page[start:end]  # the reply is nested under the question
    assert "Question for the team" in page
    assert "Priya" in page
    assert "Dave" in page


def test_support_and_withdraw_without_javascript_one_per_person() -> None:
    idea = IdeaFactory()
    fan = client_for(UserFactory())
    url = reverse("codesign:support", kwargs={"pk": idea.pk})

    response = fan.post(url, {"support": "add"})
    assert response["Location"] == idea.get_absolute_url()
    fan.post(url, {"support": "add"})  # a double click changes nothing
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert Support.objects.count() == 1
    page = fan.get(idea.get_absolute_url()).content.decode()
    assert "1 supporter" in page
    assert "Withdraw my support" in page

    back = fan.post(url, {"support": "withdraw", "next": "/challenges/1/ideas/?sort=supported"})
    assert back["Location"] == "/challenges/1/ideas/?sort=supported"
    evil = fan.post(url, {"support": "add", "next": "https://evil.example/"})
    assert evil["Location"] == idea.get_absolute_url()
    assert fan.get(url)["Location"] == idea.get_absolute_url()  # GET changes nothing
    nonsense = fan.post(url, {"support": "twice"})
    assert nonsense.status_code == 302
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_support_with_htmx_swaps_the_button_and_count() -> None:
    idea = IdeaFactory()
    fan = client_for(UserFactory())
    response = fan.post(
        reverse("codesign:support", kwargs={"pk": idea.pk}),
        {"support": "add"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "1 supporter" in body
    assert "Withdraw my support" in body
    assert f'hx-post="{reverse("codesign:support", kwargs={"pk": idea.pk})}"' in body


def test_too_many_supports_in_a_minute_get_a_clear_message_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spam, "VOTES_PER_MINUTE", 2)
    activity = IdeaChallengeFactory()
    ideas = [IdeaFactory(activity=activity) for _ in range(3)]
    fan: Any = UserFactory()
    web = client_for(fan)
    for idea in ideas[:2]:
        web.post(reverse("codesign:support", kwargs={"pk": idea.pk}), {"support": "add"})
    response = web.post(
        reverse("codesign:support", kwargs={"pk": ideas[2].pk}), {"support": "add"}, follow=True
    )
    assert "Wait a minute, then try again" in response.content.decode()
    assert Support.objects.filter(user=fan).count() == 2
    ideas[2].refresh_from_db()
    assert ideas[2].support_count == 0
    htmx = web.post(
        reverse("codesign:support", kwargs={"pk": ideas[0].pk}),
        {"support": "withdraw"},
        headers={"HX-Request": "true"},
    )
    assert "Wait a minute, then try again" in htmx.content.decode()
    assert Support.objects.filter(user=fan).count() == 2
    # Someone else is not held back by this person's clicks.
    other = client_for(UserFactory())
    other.post(reverse("codesign:support", kwargs={"pk": ideas[2].pk}), {"support": "add"})
    ideas[2].refresh_from_db()
    assert ideas[2].support_count == 1


def test_a_closed_challenge_takes_no_ideas_comments_or_supports_but_keeps_answers() -> None:
    activity = IdeaChallengeFactory()
    idea = IdeaFactory(activity=activity)
    close(activity)
    resident = client_for(UserFactory())
    assert (
        resident.get(reverse("codesign:idea_create", kwargs={"pk": activity.pk})).status_code == 403
    )
    assert (
        resident.post(
            reverse("codesign:comment_create", kwargs={"pk": idea.pk}),
            {"body": "Late", "author_display": "first_name"},
        ).status_code
        == 403
    )
    assert (
        resident.post(
            reverse("codesign:support", kwargs={"pk": idea.pk}), {"support": "add"}
        ).status_code
        == 403
    )
    page = resident.get(idea.get_absolute_url()).content.decode()
    assert "This challenge has closed" in page
    assert "Add a comment" not in page
    staff = client_for(staff_of(activity))
    response = staff.post(
        reverse("contributions:respond", kwargs={"pk": idea.pk}), {"body": "Thanks, we will."}
    )
    assert response.status_code == 302
    assert Response.objects.filter(contribution=idea.contribution).exists()


def test_reporting_needs_a_reason_and_reaches_the_moderation_queue() -> None:
    idea = IdeaFactory(title="Advert")
    reporter = client_for(UserFactory())
    url = reverse("contributions:report", kwargs={"pk": idea.pk})
    assert "Report to a moderator" in reporter.get(url).content.decode()
    empty = reporter.post(url, {"reason": "   "})
    assert empty.status_code == 200
    assert "Say why a moderator should look at this." in empty.content.decode()
    assert not Report.objects.exists()
    done = reporter.post(url, {"reason": "It is an advert for a gym."})
    assert done["Location"] == idea.get_absolute_url()
    assert Report.objects.get().reason == "It is an advert for a gym."
    author = idea.contribution.author
    assert author is not None
    own = client_for(author)
    assert own.get(url).status_code == 403  # nobody reports their own contribution

    facilitator = client_for(staff_of(idea.contribution.activity, Role.FACILITATOR))
    queue = facilitator.get(
        reverse("contributions:moderation", kwargs={"slug": idea.contribution.service.slug}),
        {"show": "reports"},
    ).content.decode()
    assert "It is an advert for a gym." in queue
    assert "Advert" in queue
