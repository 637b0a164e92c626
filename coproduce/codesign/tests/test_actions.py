"""The co-design loop: post, support, answer, decide; notifications only after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign import actions, rules
from coproduce.codesign.models import IdeaStatus
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.actions import follow_set
from coproduce.contributions.models import Visibility
from coproduce.notifications.models import Notification
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityState
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def test_ideas_only_while_the_challenge_is_open() -> None:
    activity = IdeaChallengeFactory()
    resident = UserFactory()
    IdeaFactory(activity=activity, author=resident)
    service_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    activity.refresh_from_db()
    with pytest.raises(PermissionDenied):
        IdeaFactory(activity=activity, author=resident)


def test_supports_are_one_per_person_and_withdrawable() -> None:
    idea = IdeaFactory()
    fan = UserFactory()
    assert actions.support_add(idea=idea, user=fan) is True
    assert actions.support_add(idea=idea, user=fan) is False
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert actions.support_withdraw(idea=idea, user=fan) is True
    assert actions.support_withdraw(idea=idea, user=fan) is False
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_premoderation_and_the_link_guard_hold_contributions_with_a_reason() -> None:
    activity = IdeaChallengeFactory()
    linky = IdeaFactory(
        activity=activity, description="see http://a.example http://b.example www.c.example"
    )
    assert linky.contribution.visibility == Visibility.PENDING
    assert linky.contribution.held_reason == "Contains 3 links"
    activity.premoderation = True
    activity.save()
    held = IdeaFactory(activity=activity)
    assert held.contribution.visibility == Visibility.PENDING
    assert "moderator" in held.contribution.held_reason


def test_busy_accounts_are_held_then_refused() -> None:
    activity = IdeaChallengeFactory()
    author = UserFactory()
    ideas = [IdeaFactory(activity=activity, author=author) for _ in range(11)]
    assert ideas[9].contribution.visibility == Visibility.PUBLISHED
    assert "Many contributions" in ideas[10].contribution.held_reason
    for _ in range(19):
        IdeaFactory(activity=activity, author=author)
    with pytest.raises(ValidationError, match="posted a lot"):
        IdeaFactory(activity=activity, author=author)


def test_only_staff_of_the_owning_organisation_answer() -> None:
    idea = IdeaFactory()
    outsider = UserFactory(mfa=True)
    MembershipFactory(user=outsider, role=Role.PROFESSIONAL)
    with pytest.raises(PermissionDenied):
        spine_actions.response_create(contribution=idea.contribution, author=outsider, body="Hello")
    with pytest.raises(PermissionDenied):
        spine_actions.response_create(
            contribution=idea.contribution,
            author=staff_of(idea.contribution.activity, Role.FACILITATOR),
            body="Hello",
        )


def test_an_answer_notifies_author_and_followers_by_email_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    idea = IdeaFactory()
    follower = UserFactory(email="follower@example.org")
    follow_set(user=follower, target=idea.contribution.activity.service, follow=True)
    staff = staff_of(idea.contribution.activity)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        spine_actions.response_create(
            contribution=idea.contribution, author=staff, body="We will try it in May."
        )
    assert mail.outbox == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    author = idea.contribution.author
    assert author is not None
    assert sorted(str(m.to[0]) for m in mail.outbox) == sorted([author.email, follower.email])
    assert "We will try it in May." in mail.outbox[0].body
    idea.contribution.refresh_from_db()
    assert idea.contribution.first_response_at is not None
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_status_changes_need_reasons_where_it_matters(
    django_capture_on_commit_callbacks: Any,
) -> None:
    idea = IdeaFactory()
    staff = staff_of(idea.contribution.activity)
    with pytest.raises(ValidationError) as error:
        spine_actions.contribution_set_status(
            contribution=idea.contribution, to_status=IdeaStatus.NOT_TAKEN_FORWARD, changed_by=staff
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        spine_actions.contribution_set_status(
            contribution=idea.contribution, to_status=IdeaStatus.DELIVERED, changed_by=staff
        )
    with django_capture_on_commit_callbacks(execute=True):
        for status in (IdeaStatus.ADOPTED, IdeaStatus.IN_DELIVERY, IdeaStatus.DELIVERED):
            spine_actions.contribution_set_status(
                contribution=idea.contribution, to_status=status, changed_by=staff
            )
    idea.contribution.refresh_from_db()
    assert idea.contribution.status == IdeaStatus.DELIVERED
    assert idea.contribution.status_changes.count() == 3
    assert len(mail.outbox) == 3  # the author hears about each change, through to delivery


def test_decisions_link_contributions_of_the_same_service_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    idea = IdeaFactory()
    elsewhere = IdeaFactory()
    service = idea.contribution.service
    staff = staff_of(idea.contribution.activity)
    with pytest.raises(ValidationError):
        spine_actions.decision_create(
            service=service,
            stage=service.current_stage,
            title="Saturday opening",
            description="From May.",
            decided_by="Service manager",
            decided_on=dt.date.today(),
            recorded_by=staff,
            contributions=[elsewhere.contribution],
        )
    with django_capture_on_commit_callbacks(execute=True):
        decision = spine_actions.decision_create(
            service=service,
            stage=service.current_stage,
            title="Saturday opening",
            description="From May.",
            decided_by="Service manager",
            decided_on=dt.date.today(),
            recorded_by=staff,
            contributions=[idea.contribution],
        )
    assert list(decision.contributions.all()) == [idea.contribution]
    assert "Saturday opening" in mail.outbox[0].body


def test_reports_need_a_reason_and_moderators_decide() -> None:
    comment = CommentFactory()
    reporter = UserFactory()
    with pytest.raises(ValidationError):
        spine_actions.report_create(
            contribution=comment.contribution, reporter=reporter, reason=" "
        )
    report = spine_actions.report_create(
        contribution=comment.contribution, reporter=reporter, reason="Rude"
    )
    with pytest.raises(PermissionDenied):
        spine_actions.moderation_hide(contribution=comment.contribution, moderator=reporter)
    facilitator = staff_of(comment.contribution.activity, Role.FACILITATOR)
    spine_actions.moderation_hide(contribution=comment.contribution, moderator=facilitator)
    report.refresh_from_db()
    assert report.status == "upheld"
    assert comment.contribution.visibility == Visibility.HIDDEN


def test_authors_cannot_support_their_own_idea() -> None:
    idea = IdeaFactory()
    author = idea.contribution.author
    assert author is not None
    assert not rules.can_support(author, idea)
    with pytest.raises(PermissionDenied):
        actions.support_add(idea=idea, user=author)
    other = UserFactory()
    assert actions.support_add(idea=idea, user=other)
    idea.refresh_from_db()
    assert idea.support_count == 1


def _fail_counting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the counter's update fail, after the row it counts was written (F builds it)."""

    def boom(*args: Any) -> Any:
        raise RuntimeError("the process died between the two steps")

    monkeypatch.setattr(actions, "F", boom)


def test_a_support_and_its_count_are_written_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure between the support and the count leaves neither (issue 17)."""
    from coproduce.codesign.models import Agreement, Idea, Support

    idea = IdeaFactory()
    comment = CommentFactory(idea=idea)
    backer, withdrawer = UserFactory(), UserFactory()
    actions.support_add(idea=idea, user=withdrawer)
    _fail_counting(monkeypatch)
    with pytest.raises(RuntimeError):
        actions.support_add(idea=idea, user=backer)
    with pytest.raises(RuntimeError):
        actions.support_withdraw(idea=idea, user=withdrawer)
    with pytest.raises(RuntimeError):
        actions.agreement_add(comment=comment, user=backer)
    idea.refresh_from_db()
    comment.refresh_from_db()
    assert list(Support.objects.values_list("user", flat=True)) == [withdrawer.pk]
    assert idea.support_count == 1 == Idea.objects.get(pk=idea.pk).supports.count()
    assert not Agreement.objects.exists()
    assert comment.agreement_count == 0
