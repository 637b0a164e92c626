"""Agreeing with a comment (decision 0026): who may, the count kept with the row, the one rate limit
shared with supports, the button with htmx and without JavaScript, and the cached pages."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions, rules, spam
from coproduce.codesign.models import Agreement, Comment, Support
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Visibility
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityState
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def agree_url(comment: Comment) -> str:
    return reverse("codesign:agree", kwargs={"pk": comment.pk})


def fresh(comment: Comment) -> Comment:
    return Comment.objects.select_related("contribution__activity", "idea__contribution").get(
        pk=comment.pk
    )


# --- Who may agree ------------------------------------------------------------------------------


def test_anyone_signed_in_but_the_author_agrees_with_a_published_comment_while_open() -> None:
    comment = CommentFactory()
    assert rules.can_agree(UserFactory(), comment)
    assert rules.can_agree(staff_of(comment.contribution.activity), comment)
    assert not rules.can_agree(AnonymousUser(), comment)
    author = comment.contribution.author
    assert author is not None
    assert not rules.can_agree(author, comment)  # as with supports: decision 0022
    idea_author = comment.idea.contribution.author
    assert idea_author is not None
    assert rules.can_agree(idea_author, comment)  # the idea's author may


@pytest.mark.parametrize("how", ["held", "hidden"])
def test_nobody_agrees_with_a_held_or_hidden_comment(how: str) -> None:
    comment = CommentFactory()
    moderator = staff_of(comment.contribution.activity)
    if how == "hidden":
        spine_actions.moderation_hide(contribution=comment.contribution, moderator=moderator)
    else:
        comment.contribution.visibility = Visibility.PENDING
        comment.contribution.save(update_fields=["visibility"])
    comment = fresh(comment)
    for person in [UserFactory(), moderator]:
        assert not rules.can_agree(person, comment)
        with pytest.raises(PermissionDenied):
            actions.agreement_add(comment=comment, user=person)


def test_nobody_agrees_with_a_comment_on_a_hidden_idea_or_in_a_closed_challenge() -> None:
    comment = CommentFactory()
    idea_contribution = comment.idea.contribution
    spine_actions.moderation_hide(
        contribution=idea_contribution, moderator=staff_of(idea_contribution.activity)
    )
    assert not rules.can_agree(UserFactory(), fresh(comment))

    other = CommentFactory()
    service_actions.activity_transition(
        activity=other.contribution.activity, to_state=ActivityState.CLOSED
    )
    assert not rules.can_agree(UserFactory(), fresh(other))


# --- The action and its count -------------------------------------------------------------------


def test_one_agreement_per_person_withdrawable_and_counted() -> None:
    comment = CommentFactory()
    fan, another = UserFactory(), UserFactory()
    assert actions.agreement_add(comment=comment, user=fan) is True
    assert actions.agreement_add(comment=comment, user=fan) is False  # already: nothing changes
    assert actions.agreement_add(comment=comment, user=another) is True
    comment.refresh_from_db()
    assert comment.agreement_count == 2 == Agreement.objects.filter(comment=comment).count()
    assert actions.agreement_withdraw(comment=comment, user=fan) is True
    assert actions.agreement_withdraw(comment=comment, user=fan) is False
    comment.refresh_from_db()
    assert comment.agreement_count == 1 == Agreement.objects.filter(comment=comment).count()


def _fail_on_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the step after the row — the counter's update — fail, as a crash would."""
    real = QuerySet.update

    def update(self: QuerySet[Any], **kwargs: Any) -> int:
        if self.model is Comment and "agreement_count" in kwargs:
            raise RuntimeError("the process died between the row and its count")
        return real(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)


def test_a_failure_between_the_agreement_and_its_count_saves_neither(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    comment = CommentFactory()
    fan = UserFactory()
    actions.agreement_add(comment=comment, user=UserFactory())
    _fail_on_count(monkeypatch)
    with pytest.raises(RuntimeError):
        actions.agreement_add(comment=comment, user=fan)
    assert not Agreement.objects.filter(user=fan).exists()
    comment.refresh_from_db()
    assert comment.agreement_count == 1 == Agreement.objects.filter(comment=comment).count()


def test_a_failure_between_withdrawing_and_its_count_keeps_the_agreement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    comment = CommentFactory()
    fan = UserFactory()
    actions.agreement_add(comment=comment, user=fan)
    _fail_on_count(monkeypatch)
    with pytest.raises(RuntimeError):
        actions.agreement_withdraw(comment=comment, user=fan)
    assert Agreement.objects.filter(user=fan, comment=comment).exists()
    comment.refresh_from_db()
    assert comment.agreement_count == 1


def test_supports_and_agreements_share_one_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """One limiter, one budget: alternating between supports and agreements does not double it."""
    monkeypatch.setattr(spam, "VOTES_PER_MINUTE", 3)
    activity = IdeaChallengeFactory()
    ideas = [IdeaFactory(activity=activity) for _ in range(2)]
    comments = [CommentFactory(idea=ideas[0]) for _ in range(2)]
    fan = UserFactory()
    actions.support_add(idea=ideas[0], user=fan)
    actions.agreement_add(comment=comments[0], user=fan)
    actions.support_add(idea=ideas[1], user=fan)
    with pytest.raises(ValidationError, match="Wait a minute"):
        actions.agreement_add(comment=comments[1], user=fan)
    with pytest.raises(ValidationError, match="Wait a minute"):
        actions.support_withdraw(idea=ideas[0], user=fan)
    assert Agreement.objects.filter(user=fan).count() == 1
    assert Support.objects.filter(user=fan).count() == 2
    actions.agreement_add(comment=comments[1], user=UserFactory())  # others are not held back


# --- The button, with htmx and without JavaScript ------------------------------------------------


def test_the_button_names_whose_comment_and_what_it_says() -> None:
    comment = CommentFactory(body="Yes, and a crèche on Saturdays would help too.")
    page = client_for(UserFactory()).get(comment.idea.get_absolute_url()).content.decode()
    button = re.search(
        rf'<button[^>]*id="agree-button-{comment.pk}"[^>]*>(.*?)</button>', page, re.S
    )
    assert button is not None
    name = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(button.group(1)))).strip()
    author = comment.contribution.author_name
    assert (
        name
        == f"Agree with the comment by {author}: “Yes, and a crèche on Saturdays would help too.”"
    )
    assert not re.search(r"\s[:;,.!?”]", name.replace(" “", "“"))  # no space before punctuation
    assert "0 people agree" in page


def test_with_htmx_the_count_and_button_are_swapped_in_place() -> None:
    comment = CommentFactory()
    web = client_for(UserFactory())
    response = web.post(
        agree_url(comment), {"agree": "add", "comments": "agreed"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "1 person agrees" in body
    assert "You agree" in body
    assert "Withdraw my agreement" in body
    assert f'hx-post="{agree_url(comment)}"' in body
    assert 'name="comments" value="agreed"' in body  # the page's order is kept
    withdrawn = web.post(
        agree_url(comment), {"agree": "withdraw"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "0 people agree" in withdrawn


def test_without_javascript_it_goes_back_to_the_comment_with_a_message() -> None:
    comment = CommentFactory()
    web = client_for(UserFactory())
    response = web.post(agree_url(comment), {"agree": "add"})
    assert response.status_code == 302
    assert response["Location"] == f"{comment.idea.get_absolute_url()}#comment-{comment.pk}"
    page = web.get(response["Location"]).content.decode()
    assert f"You agree with the comment by {comment.contribution.author_name}." in html.unescape(
        page
    )
    assert "1 person agrees" in page
    # In the most agreed order, on the page that shows it now.
    response = web.post(agree_url(comment), {"agree": "withdraw", "comments": "agreed"})
    assert response["Location"] == (
        f"{comment.idea.get_absolute_url()}?comments=agreed#comment-{comment.pk}"
    )
    # A safe "next" wins; another site's does not.
    response = web.post(agree_url(comment), {"agree": "add", "next": "/somewhere/"})
    assert response["Location"] == "/somewhere/"
    response = web.post(agree_url(comment), {"agree": "withdraw", "next": "https://evil.example/"})
    assert response["Location"].startswith(comment.idea.get_absolute_url())


def test_a_refusal_is_shown_where_the_button_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spam, "VOTES_PER_MINUTE", 0)
    comment = CommentFactory()
    web = client_for(UserFactory())
    htmx = web.post(agree_url(comment), {"agree": "add"}, headers={"HX-Request": "true"})
    assert "Wait a minute, then try again" in htmx.content.decode()
    assert "govuk-error-message" in htmx.content.decode()
    page = web.post(agree_url(comment), {"agree": "add"}, follow=True).content.decode()
    assert "Wait a minute, then try again" in page
    nonsense = web.post(agree_url(comment), {"agree": "maybe"}, headers={"HX-Request": "true"})
    assert "Choose to agree with the comment" in nonsense.content.decode()
    assert not Agreement.objects.exists()


def test_get_goes_to_the_comment_and_the_rule_is_checked() -> None:
    comment = CommentFactory()
    web = client_for(UserFactory())
    response = web.get(agree_url(comment))
    assert response["Location"] == comment.get_absolute_url()
    author = client_for(comment.contribution.author)  # type: ignore[arg-type]
    assert author.post(agree_url(comment), {"agree": "add"}).status_code == 403
    assert Client().post(agree_url(comment), {"agree": "add"}).status_code == 302  # sign in
    assert web.post("/comments/999999999999999999/agree/", {}).status_code == 404


def test_only_people_who_may_agree_see_the_button() -> None:
    comment = CommentFactory()
    url = comment.idea.get_absolute_url()
    assert "Withdraw my agreement" not in Client().get(url).content.decode()
    assert 'id="agree-button' not in Client().get(url).content.decode()
    author_page = client_for(comment.contribution.author).get(url).content.decode()  # type: ignore[arg-type]
    assert 'id="agree-button' not in author_page
    assert "0 people agree" in author_page


# --- Anonymous pages come from the cache, and show the new count -----------------------------------


def test_an_agreement_shows_at_once_on_the_cached_idea_page() -> None:
    comment = CommentFactory()
    url = comment.idea.get_absolute_url()
    assert "0 people agree" in Client().get(url).content.decode()
    assert "0 people agree" in Client().get(url).content.decode()  # from the cache now
    actions.agreement_add(comment=comment, user=UserFactory())
    assert "1 person agrees" in Client().get(url).content.decode()
    actions.agreement_withdraw(comment=Comment.objects.get(pk=comment.pk), user=UserFactory())
    ordered = f"{url}?comments=agreed"
    assert "1 person agrees" in Client().get(ordered).content.decode()
    second = CommentFactory(idea=comment.idea)
    actions.agreement_add(comment=second, user=UserFactory())
    actions.agreement_add(comment=second, user=UserFactory())
    page = Client().get(ordered).content.decode()
    assert page.index(f'id="comment-{second.pk}"') < page.index(f'id="comment-{comment.pk}"')
