"""Idea challenge pages, answers, statuses, categories and moderation, through the web client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions, spam
from coproduce.codesign.models import (
    Comment,
    Idea,
    IdeaCategory,
    IdeaStatus,
    Support,
)
from coproduce.codesign.queries import idea_keys
from coproduce.codesign.tests.factories import (
    CommentFactory,
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Report, ReportStatus, Response, Visibility
from coproduce.organisations.models import Role
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityState
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def list_url(activity: Any, **query: str) -> str:
    url = reverse("codesign:idea_list", kwargs={"pk": activity.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def titles(response: Any) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


def backdate(idea: Idea, days: int) -> None:
    Contribution.objects.filter(pk=idea.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def close(activity: Any) -> None:
    service_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    activity.refresh_from_db()


# --- The list of ideas --------------------------------------------------------------------


def test_ideas_sort_by_newest_most_supported_and_recently_answered(client: Client) -> None:
    activity = IdeaChallengeFactory()
    old = IdeaFactory(activity=activity, title="Old but popular")
    middle = IdeaFactory(activity=activity, title="Middle and answered long ago")
    new = IdeaFactory(activity=activity, title="New and answered today")
    backdate(old, 10)
    backdate(middle, 5)
    for _ in range(3):
        actions.support_add(idea=old, user=UserFactory())
    actions.support_add(idea=new, user=UserFactory())
    staff = staff_of(activity)
    spine_actions.response_create(contribution=middle.contribution, author=staff, body="We will.")
    Contribution.objects.filter(pk=middle.pk).update(
        last_response_at=timezone.now() - dt.timedelta(days=2)
    )
    spine_actions.response_create(contribution=new.contribution, author=staff, body="Maybe.")

    assert titles(client.get(list_url(activity))) == [new.title, middle.title, old.title]
    assert titles(client.get(list_url(activity, sort="supported"))) == [
        old.title,
        new.title,
        middle.title,
    ]
    # Recently answered: only ideas with an answer, the latest answer first.
    response = client.get(list_url(activity, sort="answered"))
    assert titles(response) == [new.title, middle.title]
    assert "2 ideas with an answer, latest answer first" in response.content.decode()


def test_category_filter_and_nonsense_query_strings_fall_back_cleanly(client: Client) -> None:
    activity = IdeaChallengeFactory()
    hours = IdeaCategoryFactory(activity=activity, name="Opening hours")
    IdeaFactory(activity=activity, title="Open on Saturdays", category=hours)
    IdeaFactory(activity=activity, title="Paint it green")
    elsewhere = IdeaCategoryFactory(name="Elsewhere")

    assert titles(client.get(list_url(activity, category=str(hours.pk)))) == ["Open on Saturdays"]
    for query in [
        {"sort": "sideways"},
        {"sort": "newest", "category": "abc"},
        {"category": str(elsewhere.pk)},  # another challenge's category is ignored
        {"category": "9" * 30},
        {"page": "-3"},
        {"page": "lots"},
        {"page": "99999"},
        {"sort": "supported", "page": "1.5", "category": ""},
    ]:
        response = client.get(list_url(activity, **query))
        assert response.status_code == 200, query
        assert sorted(titles(response)) == ["Open on Saturdays", "Paint it green"], query


def test_the_list_pages_with_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    """No query per idea: the count does not grow with ideas, answers, decisions or supports."""
    activity = IdeaChallengeFactory()
    staff = staff_of(activity)
    fan = UserFactory()
    viewer = client_for(fan)

    def add_ideas(n: int) -> None:
        for _ in range(n):
            idea = IdeaFactory(activity=activity, category=IdeaCategoryFactory(activity=activity))
            spine_actions.response_create(
                contribution=idea.contribution, author=staff, body="Thanks."
            )
            actions.support_add(idea=idea, user=fan)
            cache.clear()  # not a rate limit test

    def queries_for(sort: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert viewer.get(list_url(activity, sort=sort)).status_code == 200
        return len(captured)

    add_ideas(2)
    few = {sort: queries_for(sort) for sort in ("newest", "supported", "answered")}
    add_ideas(23)
    for sort in ("newest", "supported", "answered"):
        with django_assert_max_num_queries(few[sort]):
            response = viewer.get(list_url(activity, sort=sort))
        assert len(response.context["ideas"]) == 20
    assert max(few.values()) <= 12
    body = response.content.decode()
    assert "Thanks." in body  # answers are shown in the list
    assert "Withdraw my support" in body  # the viewer's supports are known without a query each


def test_held_and_hidden_ideas_leave_public_lists_but_their_author_still_sees_them(
    client: Client,
) -> None:
    activity = IdeaChallengeFactory()
    author = UserFactory()
    hidden = IdeaFactory(activity=activity, author=author, title="Rude idea")
    held = IdeaFactory(
        activity=activity,
        author=author,
        title="Linky idea",
        description="http://a.example http://b.example http://c.example",
    )
    IdeaFactory(activity=activity, title="Fine idea")
    spine_actions.moderation_hide(contribution=hidden.contribution, moderator=staff_of(activity))

    assert titles(client.get(list_url(activity))) == ["Fine idea"]
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client_for(UserFactory()).get(held.get_absolute_url()).status_code == 404

    mine = client_for(author)
    page = mine.get(list_url(activity)).content.decode()
    assert "Only you can see these ideas" in page
    assert "Hidden by a moderator" in page
    assert "Waiting for moderation" in page
    assert titles(mine.get(list_url(activity))) == ["Fine idea"]
    assert "hidden by a moderator" in mine.get(hidden.get_absolute_url()).content.decode()


# --- Posting, commenting, supporting, reporting --------------------------------------------


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


def test_an_idea_page_has_a_fixed_number_of_queries(django_assert_max_num_queries: Any) -> None:
    """No query per comment, reply, answer or decision."""
    idea = IdeaFactory()
    staff = staff_of(idea.contribution.activity)
    reader = client_for(UserFactory())

    def discuss(n: int) -> None:
        for _ in range(n):
            question = CommentFactory(idea=idea, is_question=True)
            CommentFactory(idea=idea, parent=question)
            spine_actions.response_create(
                contribution=question.contribution, author=staff, body="Yes."
            )

    discuss(1)
    with CaptureQueriesContext(connection) as captured:
        reader.get(idea.get_absolute_url())
    discuss(8)
    with django_assert_max_num_queries(len(captured)):
        response = reader.get(idea.get_absolute_url())
    assert response.content.decode().count("Answer from") == 9


def test_a_removed_comment_with_replies_stays_as_a_placeholder() -> None:
    parent = CommentFactory(body="Something rude")
    CommentFactory(idea=parent.idea, parent=parent, body="Please be kind")
    spine_actions.moderation_hide(
        contribution=parent.contribution, moderator=staff_of(parent.contribution.activity)
    )
    page = Client().get(parent.idea.get_absolute_url()).content.decode()
    assert "Something rude" not in page
    assert "This comment was removed by a moderator." in page
    assert "Please be kind" in page
    author = parent.contribution.author
    assert author is not None
    own = client_for(author).get(parent.idea.get_absolute_url())
    assert "Something rude" in own.content.decode()


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


# --- Staff: answers, statuses, categories ---------------------------------------------------


def test_staff_answer_ideas_and_questions_and_the_author_is_emailed_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    idea = IdeaFactory(title="Later buses")
    question = CommentFactory(idea=idea, body="Will it run at night?", is_question=True)
    staff = client_for(staff_of(idea.contribution.activity))
    url = reverse("contributions:respond", kwargs={"pk": question.pk})
    page = staff.get(url).content.decode()
    assert "Will it run at night?" in page
    assert "Later buses" in page
    assert "Write the answer." in staff.post(url, {"body": ""}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"body": "Until 10pm from May."})
    assert response["Location"] == question.get_absolute_url()
    author = question.contribution.author
    assert author is not None
    assert [m.to for m in mail.outbox] == [[author.email]]
    shown = Client().get(idea.get_absolute_url()).content.decode()
    assert "Until 10pm from May." in shown
    assert "Answer from" in shown

    facilitator = client_for(staff_of(idea.contribution.activity, Role.FACILITATOR))
    assert facilitator.get(url).status_code == 403  # facilitators moderate, they do not answer


def test_status_changes_follow_the_transitions_need_reasons_and_show_publicly() -> None:
    idea = IdeaFactory()
    staff = client_for(staff_of(idea.contribution.activity))
    url = reverse("contributions:set_status", kwargs={"pk": idea.pk})
    page = staff.get(url).content.decode()
    assert "Under consideration" in page
    assert "Delivered" not in page  # not reachable from received

    no_reason = staff.post(url, {"to_status": IdeaStatus.NOT_TAKEN_FORWARD, "reason": ""})
    assert "Explain why, so the people who suggested it understand." in no_reason.content.decode()
    jump = staff.post(url, {"to_status": IdeaStatus.DELIVERED})
    assert "Choose one of the statuses shown." in jump.content.decode()
    idea.contribution.refresh_from_db()
    assert idea.contribution.status == IdeaStatus.RECEIVED

    staff.post(url, {"to_status": IdeaStatus.ADOPTED})
    staff.post(
        url, {"to_status": IdeaStatus.NOT_TAKEN_FORWARD, "reason": "The lease fell through."}
    )
    idea.contribution.refresh_from_db()
    assert idea.contribution.status == IdeaStatus.NOT_TAKEN_FORWARD
    public = Client().get(idea.get_absolute_url()).content.decode()
    history = public[public.index("What has happened to this idea") :]
    assert history.index("Received") < history.index("Adopted") < history.index("Not taken")
    assert "The lease fell through." in public


def test_staff_add_and_rename_categories_with_clear_errors() -> None:
    activity = IdeaChallengeFactory()
    staff = client_for(staff_of(activity, Role.FACILITATOR))
    url = reverse("codesign:category_list", kwargs={"pk": activity.pk})
    staff.post(url, {"name": "Opening hours"})
    duplicate = staff.post(url, {"name": "opening HOURS"})
    assert "This challenge already has a category with that name." in duplicate.content.decode()
    assert "Enter a name for the category." in staff.post(url, {"name": ""}).content.decode()
    category = IdeaCategory.objects.get()
    edit = reverse("codesign:category_edit", kwargs={"pk": category.pk})
    assert staff.post(edit, {"name": "When we are open"})["Location"] == url
    category.refresh_from_db()
    assert category.name == "When we are open"
    assert "When we are open" in Client().get(list_url(activity)).content.decode()


# --- Moderation -------------------------------------------------------------------------------


def test_a_service_staff_page_leads_its_moderators_to_the_queue_with_its_counts() -> None:
    challenge = IdeaChallengeFactory(premoderation=True)
    service = challenge.service
    IdeaFactory(activity=challenge)  # held for a moderator
    reported = IdeaFactory(activity=challenge)
    facilitator = staff_of(challenge, Role.FACILITATOR)
    spine_actions.moderation_approve(contribution=reported.contribution, moderator=facilitator)
    spine_actions.report_create(
        contribution=reported.contribution, reporter=UserFactory(), reason="Off topic"
    )
    staff_page = reverse("services:staff_service", kwargs={"slug": service.slug})
    queue = reverse("contributions:moderation", kwargs={"slug": service.slug})

    page = client_for(facilitator).get(staff_page).content.decode()
    assert f'href="{queue}"' in page
    assert "Waiting for moderation: 1" in page
    assert "Open reports: 1" in page
    assert client_for(facilitator).get(queue).context["counts"] == {
        "pending": 1,
        "hidden": 0,
        "reports": 1,
        "reported": 1,
    }


def test_hiding_a_reported_comment_upholds_the_report_and_removes_it_from_the_page() -> None:
    comment = CommentFactory(body="You are all idiots")
    spine_actions.report_create(
        contribution=comment.contribution, reporter=UserFactory(), reason="Rude"
    )
    moderator = client_for(staff_of(comment.contribution.activity, Role.ADMIN))
    moderator.post(
        reverse("contributions:moderate", kwargs={"pk": comment.pk}), {"decision": "hide"}
    )
    assert Report.objects.get().status == ReportStatus.UPHELD
    assert (
        "You are all idiots" not in Client().get(comment.idea.get_absolute_url()).content.decode()
    )


def test_the_moderation_queue_has_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    challenge = IdeaChallengeFactory(premoderation=True)
    moderator = staff_of(challenge, Role.FACILITATOR)
    web = client_for(moderator)
    url = reverse("contributions:moderation", kwargs={"slug": challenge.service.slug})

    def fill(n: int) -> None:
        for _ in range(n):
            idea = IdeaFactory(activity=challenge)
            spine_actions.moderation_approve(contribution=idea.contribution, moderator=moderator)
            CommentFactory(idea=idea)  # held: the challenge is pre-moderated
            spine_actions.report_create(
                contribution=idea.contribution, reporter=UserFactory(), reason="Off topic"
            )

    fill(1)
    few = {}
    for show in ("pending", "reports"):
        with CaptureQueriesContext(connection) as captured:
            web.get(url, {"show": show})
        few[show] = len(captured)
    fill(8)
    for show in ("pending", "reports"):
        with django_assert_max_num_queries(few[show]):
            response = web.get(url, {"show": show})
        assert len(response.context["items"]) == 9


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("newest", "contribution_kind_feed"),
        ("supported", "idea_supports_by_pk"),
        ("answered", "contribution_kind_answered"),
    ],
)
def test_each_order_of_the_idea_list_reads_its_index(sort: str, index: str) -> None:
    """The plans measured at 10,000 ideas (decision 0702) keep using the indexes made for them."""
    activity = IdeaChallengeFactory()
    for _ in range(3):
        CommentFactory(idea=IdeaFactory(activity=activity))
    keys = idea_keys(activity, sort, None).values_list("pk", flat=True)[:20]
    sql, params = keys.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as `PRAGMA optimize` does on a real database
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert index in plan, plan


def test_the_admin_shows_contributions_and_ideas_with_counters_read_only() -> None:
    idea = IdeaFactory(title="Admin idea")
    CommentFactory(idea=idea)
    admin_client = client_for(UserFactory(is_superuser=True, is_staff=True, mfa=True))
    for name in ("contributions_contribution", "codesign_idea", "codesign_comment"):
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    for name in ("codesign_ideacategory", "contributions_report", "contributions_decision"):
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    search = reverse("admin:contributions_contribution_changelist") + "?q=Admin+idea"
    assert "Admin idea" in admin_client.get(search).content.decode()  # the kinds' own fields
    page = admin_client.get(reverse("admin:codesign_idea_change", args=[idea.pk]))
    assert page.status_code == 200
    assert 'name="support_count"' not in page.content.decode()
    assert (
        admin_client.get(
            reverse("admin:contributions_contribution_change", args=[idea.pk])
        ).status_code
        == 200
    )


def test_the_activity_page_leads_to_the_ideas(client: Client) -> None:
    activity = IdeaChallengeFactory()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("codesign:idea_list", kwargs={"pk": activity.pk}) in page
    assert reverse("codesign:idea_create", kwargs={"pk": activity.pk}) in page
    close(activity)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "See the ideas and what happened to them" in page
    assert reverse("codesign:idea_create", kwargs={"pk": activity.pk}) not in page


def test_nonsense_input_gets_a_page_or_a_message_never_an_error() -> None:
    idea = IdeaFactory()
    activity = idea.contribution.activity
    category = IdeaCategoryFactory(activity=activity)
    staff = client_for(staff_of(activity, Role.ADMIN))
    junk: list[dict[str, Any]] = [
        {},
        {"title": "x" * 10_000, "description": "\x00", "author_display": ["a", "b"]},
        {"parent": "-1", "body": "ok", "author_display": "first_name", "is_question": "maybe"},
        {"parent": "9" * 40, "support": "", "reason": "", "decision": "explode"},
        {"to_status": "delivered", "reason": "y" * 6000, "name": "n" * 200, "next": "//evil"},
        {"decision": "explode", "next": "not-a-path"},  # redirect() took it for a view's name
    ]
    posts = [
        reverse("codesign:idea_create", kwargs={"pk": activity.pk}),
        reverse("codesign:comment_create", kwargs={"pk": idea.pk}),
        reverse("codesign:support", kwargs={"pk": idea.pk}),
        reverse("contributions:report", kwargs={"pk": idea.pk}),
        reverse("contributions:respond", kwargs={"pk": idea.pk}),
        reverse("contributions:set_status", kwargs={"pk": idea.pk}),
        reverse("codesign:category_list", kwargs={"pk": activity.pk}),
        reverse("codesign:category_edit", kwargs={"pk": category.pk}),
        reverse("contributions:moderate", kwargs={"pk": idea.pk}),
    ]
    for url in posts:
        for data in junk:
            response = staff.post(url, data)
            assert response.status_code < 500, (url, data)
            if response.status_code == 302:
                assert not response["Location"].startswith("//"), (url, data)
    gets = [
        reverse("codesign:idea_list", kwargs={"pk": activity.pk})
        + "?sort[]=x&category=%00&page=1e9",
        reverse("codesign:comment_create", kwargs={"pk": idea.pk}) + "?parent=" + "9" * 40,
        reverse("contributions:moderation", kwargs={"slug": activity.service.slug})
        + "?show=%00&page=NaN",
        reverse("codesign:idea_list", kwargs={"pk": 10**15}),
    ]
    for url in gets:
        assert staff.get(url).status_code in (200, 404), url
    assert Idea.objects.count() == 1  # nothing half-made
