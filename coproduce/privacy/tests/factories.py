"""Two residents who have done a bit of everything, through the other apps' real actions: the
export of one must hold all of it and nothing of the other's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign import actions as codesign
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as contributions
from coproduce.equality.actions import record_save
from coproduce.insight.tests.factories import NeedsSurveyFactory, SubmissionFactory
from coproduce.notifications.actions import notify
from coproduce.privacy.models import DataExport, ExportStatus


@dataclass
class Resident:
    user: User
    idea: Any
    comment: Any
    supported: Any
    token_name: str
    raw_token: str
    submission: Any


def busy_resident(email: str, *, challenge: Any = None, survey: Any = None) -> Resident:
    """A resident with an idea (a formula-like title), a comment, a support, a follow, a token,
    a notification, a survey answer, a ballot, an opinion-map vote and equality answers."""
    from coproduce.budgeting.tests.factories import make_voting, vote
    from coproduce.conversations import actions as conversations
    from coproduce.conversations.tests.factories import make_conversation

    user = UserFactory(email=email, name=f"Name of {email}")
    challenge = challenge or IdeaChallengeFactory()
    idea = IdeaFactory(activity=challenge, author=user, title=f"=Idea of {email}")
    someone = IdeaFactory(activity=challenge, title=f"Someone else's idea for {email}")
    comment = CommentFactory(idea=someone, author=user, body=f"Comment by {email}")
    codesign.support_add(idea=someone, user=user)
    contributions.follow_set(user=user, target=challenge.service, follow=True)
    token, raw = api_token_create(user=user, name=f"script of {email}")
    notify(
        users=[user],
        event="response",
        message=f"News for {email}",
        url="/",
        service=challenge.service,
    )
    submission = SubmissionFactory(
        activity=survey or NeedsSurveyFactory(), author=user, text=f"Survey words of {email}"
    )
    setup = make_voting(costs=(40_000, 30_000))
    vote(setup, [setup.proposals[0]], voter=user)
    conversation = make_conversation(seeds=1)
    participant = conversations.participant_get_or_create(
        conversation=conversation.conversation, user=user
    )
    conversations.vote_cast(participant=participant, statement=conversation.statements[0], value=1)
    record_save(user=user, answers={"age": "25_34", "disability": "prefer_not"}, consent=True)
    return Resident(user, idea, comment, someone, token.name, raw, submission)


def ready_export(user: User, **fields: Any) -> DataExport:
    """A ready export row with a small file in private storage."""
    from django.core.files.base import ContentFile

    now = timezone.now()
    export = DataExport(
        user=user,
        status=ExportStatus.READY,
        finished_at=now,
        expires_at=now + dt.timedelta(days=7),
        size=2,
    )
    export.file.save("test.zip", ContentFile(b"PK"), save=False)
    for name, value in fields.items():
        setattr(export, name, value)
    export.save()
    return export
