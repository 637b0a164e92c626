"""Idea challenge forms sent twice (Back, then submit) make one idea, comment or category."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign.models import Comment, Idea, IdeaCategory
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.common.forms import ONE_TIME_FIELD
from coproduce.common.tests.one_time import form_token, send_twice
from coproduce.organisations.models import Role
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def test_an_idea_sent_twice_is_posted_once() -> None:
    activity = IdeaChallengeFactory()
    web = client_for(UserFactory())
    url = reverse("codesign:idea_create", kwargs={"pk": activity.pk})
    data = {
        "title": "A bus to the hub",
        "description": "A shuttle from the station on Saturdays.",
        "author_display": "named",
    }
    where = send_twice(web, url, data)
    idea = Idea.objects.get()
    assert where == idea.get_absolute_url()
    # The form loaded again (Back, in a browser that reloads the page) with the same words.
    reloaded = {**data, ONE_TIME_FIELD: form_token(web.get(url))}
    assert web.post(url, reloaded)["Location"] == where
    assert Idea.objects.count() == 1
    # A new copy of the form with other words is a new idea.
    other = {**data, "title": "A later bus", ONE_TIME_FIELD: form_token(web.get(url))}
    assert web.post(url, other)["Location"] != where
    assert Idea.objects.count() == 2


def test_a_comment_sent_twice_is_posted_once() -> None:
    idea = IdeaFactory()
    web = client_for(UserFactory())
    url = reverse("codesign:comment_create", kwargs={"pk": idea.pk})
    where = send_twice(web, url, {"body": "When would it open?", "author_display": "first_name"})
    comment = Comment.objects.get()
    assert where.endswith(f"#comment-{comment.pk}")


def test_the_comment_form_on_an_idea_page_carries_a_token() -> None:
    idea = IdeaFactory()
    page = client_for(UserFactory()).get(idea.get_absolute_url()).content.decode()
    assert 'name="one_time_token"' in page


def test_a_category_sent_twice_is_added_once() -> None:
    activity = IdeaChallengeFactory()
    staff = client_for(staff_of(activity, Role.FACILITATOR))
    url = reverse("codesign:category_list", kwargs={"pk": activity.pk})
    assert send_twice(staff, url, {"name": "Opening hours"}) == url
    assert IdeaCategory.objects.filter(activity=activity).count() == 1
    # Renaming needs no token: sent again, it sets the same name.
    category = IdeaCategory.objects.get()
    edit = reverse("codesign:category_edit", kwargs={"pk": category.pk})
    assert 'name="one_time_token"' not in staff.get(edit).content.decode()
