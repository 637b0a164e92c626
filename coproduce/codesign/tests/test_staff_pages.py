"""An idea challenge's staff pages: answers, statuses and categories, the moderation queue, the
admin, and every form and page given nonsense."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign.models import Idea, IdeaCategory, IdeaStatus
from coproduce.codesign.tests.challenge_pages import list_url
from coproduce.codesign.tests.factories import (
    CommentFactory,
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Report, ReportStatus
from coproduce.organisations.models import Role
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


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
