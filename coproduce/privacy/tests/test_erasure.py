"""Delete my account: every field that points at a person has a policy; afterwards no table holds
the person's email or name; votes stay counted and words stay unless the person asks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.budgeting.models import Ballot
from coproduce.codesign.models import Idea, Support
from coproduce.contributions.models import Contribution, Follow
from coproduce.conversations.models import Participant
from coproduce.equality.models import EqualityRecord
from coproduce.privacy import erasure
from coproduce.privacy.erasure import POLICIES, Policy
from coproduce.privacy.tests.factories import busy_resident

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


def test_every_field_that_points_at_a_person_has_a_policy() -> None:
    assert erasure.unpoliced() == []
    fields = {label: field for label, _model, field in erasure.user_fields()}
    assert set(POLICIES) == set(fields), "a policy for a field that no longer exists"
    for label, (policy, _why) in POLICIES.items():
        if policy is Policy.UNLINK:
            assert fields[label].null, f"{label} cannot be unlinked: it is not nullable"


def test_a_new_field_without_a_policy_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    trimmed = dict(POLICIES)
    del trimmed["codesign.Support.user"]
    monkeypatch.setattr(erasure, "POLICIES", trimmed)
    assert erasure.unpoliced() == ["codesign.Support.user"]


def _text_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.EmailField)
    ]


def _tables_holding(text: str) -> list[str]:
    found = []
    for model, name in _text_fields():
        if model._default_manager.filter(**{f"{name}__icontains": text}).exists():
            found.append(f"{model._meta.label}.{name}")
    return found


def test_erasure_leaves_no_personal_data_in_any_table(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The residents of the factory write their email into their words, so their words are
    removed too here: then no text column of any table holds the email or the name."""
    resident = busy_resident("zebedee.quill@example.org")
    other = busy_resident("other.person@example.org")
    user = resident.user
    Participant.objects.filter(user=user).update(postcode_area="B31")
    # Someone else's idea carries the email in its title (the factory's): not the person's data.
    Idea.objects.filter(pk=resident.supported.pk).update(title="Someone else's idea")
    # Before: the email and the name are in the account, its email address row, and more.
    assert _tables_holding("zebedee.quill@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # the search index forgets them
        done = erasure.account_erase(user=user, remove_words=True)
    assert _tables_holding("zebedee.quill@example.org") == []
    assert _tables_holding("Name of zebedee") == []
    user.refresh_from_db()
    assert user.erased_at is not None
    assert not user.is_active
    assert not user.has_usable_password()
    assert str(user) == "A former participant"
    assert not EqualityRecord.objects.filter(user=user).exists()
    assert not Follow.objects.filter(user=user).exists()
    assert not user.api_tokens.exists()
    assert done["equality.EqualityRecord.user"] == 1
    assert done["budgeting.Ballot.voter"] == 1
    # The other person is untouched.
    assert _tables_holding("other.person@example.org")
    assert EqualityRecord.objects.filter(user=other.user).exists()


def test_votes_stay_counted_and_words_stay_by_a_former_participant() -> None:
    resident = busy_resident("zebedee.quill@example.org")
    user = resident.user
    supports_before = resident.supported.supports.count()
    ballots_before = Ballot.objects.count()
    erasure.account_erase(user=user)
    assert resident.supported.supports.count() == supports_before
    assert Support.objects.filter(user=user).exists()  # held by the account with no name
    assert Ballot.objects.count() == ballots_before
    assert not Ballot.objects.filter(voter=user).exists()
    participant = Participant.objects.get(votes__isnull=False, user__isnull=True)
    assert participant.postcode_area == ""
    contribution = Contribution.objects.get(pk=resident.idea.pk)
    assert contribution.author_name == "A former participant"
    assert Idea.objects.get(pk=resident.idea.pk).title.startswith("=Idea of")


def test_words_are_removed_when_asked_and_answers_stay() -> None:
    from coproduce.contributions import actions as spine
    from coproduce.services.tests.factories import staff_of

    resident = busy_resident("zebedee.quill@example.org")
    contribution = Contribution.objects.get(pk=resident.idea.pk)
    staff = staff_of(contribution.activity)
    spine.response_create(contribution=contribution, author=staff, body="We will try it.")
    erasure.account_erase(user=resident.user, remove_words=True)
    idea = Idea.objects.get(pk=resident.idea.pk)
    assert idea.title.startswith("Removed at the request")
    assert idea.description == "Removed at the request of the person who wrote it."
    assert contribution.responses.get().body == "We will try it."


def _proposal_with_picture(user: User) -> Any:
    from django.core.files.base import ContentFile

    from coproduce.budgeting.tests.factories import make_budget, make_proposal

    proposal = make_proposal(make_budget(), author=user, feasibility=None)
    proposal.image.save("swings.png", ContentFile(b"not really a png"), save=False)
    proposal.image_alt = "The old swings"
    proposal.save()
    return proposal


def test_a_picture_stays_with_the_words_and_goes_with_them(
    settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from coproduce.budgeting.models import Proposal

    settings.MEDIA_ROOT = tmp_path
    keeps, removes = UserFactory(), UserFactory()
    kept, removed = _proposal_with_picture(keeps), _proposal_with_picture(removes)
    stored = Path(removed.image.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        erasure.account_erase(user=keeps)
    kept.refresh_from_db()
    assert kept.image
    assert Path(kept.image.path).exists()
    assert kept.image_alt == "The old swings"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        erasure.account_erase(user=removes, remove_words=True)
        assert stored.exists(), "the file went before the erasure committed"
    assert callbacks
    removed = Proposal.objects.get(pk=removed.pk)
    assert not removed.image
    assert removed.image_alt.startswith("Removed at the request")
    assert not stored.exists()
    assert Path(kept.image.path).exists()  # someone else's picture is untouched


def test_every_kind_of_row_below_a_contribution_says_whose_words_it_holds() -> None:
    assert erasure.unlisted_belonging() == []
    found = erasure.belonging_labels()
    assert "insight.Answer.submission" in found
    assert set(erasure.BELONGING) == found, "a listed relation that no longer exists"


def test_removing_words_leaves_the_words_of_others_below_them(
    settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Comments by others on the person's idea, replies to the person's comment and the
    organisation's news of the person's project are not the person's words."""
    from django.core.files.base import ContentFile

    from coproduce.budgeting.models import DeliveryStatus, DeliveryUpdate
    from coproduce.codesign.models import Comment
    from coproduce.codesign.tests.factories import CommentFactory, IdeaFactory

    settings.MEDIA_ROOT = tmp_path
    person, other = UserFactory(), UserFactory()
    idea = IdeaFactory(author=person, title="A bench by the pond")
    on_theirs = CommentFactory(idea=idea, author=other, body="Yes, and shade too.")
    elsewhere = IdeaFactory(activity=idea.contribution.activity, author=other)
    theirs = CommentFactory(idea=elsewhere, author=person, body="Is it near the bus stop?")
    reply = CommentFactory(idea=elsewhere, author=other, body="It is.", parent=theirs)
    proposal = _proposal_with_picture(person)
    news = DeliveryUpdate(
        proposal=proposal,
        status=DeliveryStatus.DELIVERED,
        note="Built in May.",
        on=timezone.localdate(),
        photo_alt="The new swings",
    )
    news.photo.save("done.png", ContentFile(b"a photo"), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.account_erase(user=person, remove_words=True)
    assert Idea.objects.get(pk=idea.pk).title.startswith("Removed at the request")
    assert Comment.objects.get(pk=theirs.pk).body.startswith("Removed at the request")
    assert Comment.objects.get(pk=on_theirs.pk).body == "Yes, and shade too."
    assert Comment.objects.get(pk=reply.pk).body == "It is."
    news = DeliveryUpdate.objects.get(pk=news.pk)
    assert (news.note, news.photo_alt) == ("Built in May.", "The new swings")
    assert Path(news.photo.path).exists()


def test_removing_words_keeps_the_reasons_others_gave(settings: Any, tmp_path: Any) -> None:
    from coproduce.budgeting.models import Proposal

    settings.MEDIA_ROOT = tmp_path
    for label in erasure.OTHERS_WORDS:  # each names a field that exists
        app_model, name = label.rsplit(".", 1)
        assert apps.get_model(app_model)._meta.get_field(name)
    person = UserFactory()
    proposal = _proposal_with_picture(person)
    Proposal.objects.filter(pk=proposal.pk).update(feasibility_reason="The land is not ours.")
    erasure.account_erase(user=person, remove_words=True)
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.description.startswith("Removed at the request")
    assert proposal.feasibility_reason == "The land is not ours."


def test_others_news_stops_quoting_words_that_are_removed() -> None:
    from coproduce.codesign.tests.factories import IdeaFactory
    from coproduce.contributions import actions as spine
    from coproduce.notifications.models import MESSAGE_LENGTH, Notification
    from coproduce.services.tests.factories import staff_of

    keeps, removes, follower = UserFactory(), UserFactory(), UserFactory()
    kept = IdeaFactory(author=keeps, title="A bench by the pond")
    removed = IdeaFactory(activity=kept.contribution.activity, author=removes, title="Night buses")
    spine.follow_set(user=follower, target=kept.contribution.activity, follow=True)
    staff = staff_of(kept.contribution.activity)
    for idea in (kept, removed):
        spine.response_create(
            contribution=idea.contribution, author=staff, body="We will ask. " * 40
        )
    news = Notification.objects.filter(user=follower)
    assert news.filter(message__contains="“Night buses”").count() == 1
    erasure.account_erase(user=keeps)
    erasure.account_erase(user=removes, remove_words=True)
    messages = list(news.values_list("message", flat=True))
    assert len(messages) == 2
    assert not [m for m in messages if "Night buses" in m]
    assert [m for m in messages if "“A bench by the pond”" in m]  # not asked: stays
    placeholder = [m for m in messages if "“Removed at the request" in m]
    assert len(placeholder) == 1
    assert len(placeholder[0]) <= MESSAGE_LENGTH
    assert "We will ask." in placeholder[0]  # the organisation's answer stays


def _author_of(ideas: int) -> User:
    """A person with ``ideas`` ideas, as many comments and stories, a survey answer, and news
    quoting the first idea."""
    from coproduce.codesign.tests.factories import CommentFactory, IdeaFactory
    from coproduce.contributions import actions as spine
    from coproduce.insight.tests.factories import (
        NeedsSurveyFactory,
        StoryCollectionFactory,
        StoryFactory,
        SubmissionFactory,
    )
    from coproduce.services.tests.factories import staff_of

    person, follower = UserFactory(), UserFactory()
    first = IdeaFactory(author=person)
    activity = first.contribution.activity
    SubmissionFactory(activity=NeedsSurveyFactory(), author=person, text="Survey words")
    stories = StoryCollectionFactory()
    for number in range(ideas):
        idea = first if number == 0 else IdeaFactory(activity=activity, author=person)
        CommentFactory(idea=idea, author=person)
        StoryFactory(activity=stories, author=person)
    spine.follow_set(user=follower, target=activity, follow=True)
    spine.response_create(contribution=first.contribution, author=staff_of(activity), body="Yes.")
    return person


def test_removing_words_takes_as_many_queries_for_many_contributions_as_for_few() -> None:
    """One query per kind, not per contribution: a prolific person's erasure runs in a request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for ideas in (1, 3):
        person = _author_of(ideas)
        assert Contribution.objects.filter(author=person).count() == 3 * ideas + 1
        with CaptureQueriesContext(connection) as queries:
            erasure.account_erase(user=person, remove_words=True)
        counts.append(len(queries))
        assert set(
            Contribution.objects.filter(author=person).values_list("idea__title", flat=True)
        ) <= {"Removed at the request of the person who wrote it.", None}
    assert counts[0] == counts[1]


def test_an_export_file_goes_only_once_the_erasure_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from coproduce.privacy.models import DataExport
    from coproduce.privacy.tests.factories import ready_export

    user = UserFactory()
    export = ready_export(user)
    storage, name = export.file.storage, str(export.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.account_erase(user=user)
        assert storage.exists(name)
    assert not DataExport.objects.filter(user=user).exists()
    assert not storage.exists(name)


def test_erasing_twice_does_nothing_more() -> None:
    user = busy_resident("zebedee.quill@example.org").user
    erasure.account_erase(user=user)
    email = User.objects.get(pk=user.pk).email
    assert erasure.account_erase(user=User.objects.get(pk=user.pk)) == {}
    assert User.objects.get(pk=user.pk).email == email


# --- The page -----------------------------------------------------------------------------------


def _resident(**extra: Any) -> tuple[User, Client]:
    user = UserFactory(email="zebedee.quill@example.org", name="Zebedee Quill", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user, client_for(user)


def test_the_page_says_what_stays_and_asks_for_the_password() -> None:
    user, client = _resident()
    url = reverse("privacy:delete")
    page = client.get(url).content.decode()
    assert "What stays, and why" in page
    assert "stay counted" in page
    wrong = client.post(url, {"password": "wrong"})
    assert "The password is not right." in wrong.content.decode()
    assert User.objects.get(pk=user.pk).erased_at is None
    done = client.post(url, {"password": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("services:home")
    assert User.objects.get(pk=user.pk).erased_at is not None
    # Signed out: the account page now asks to sign in.
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_wrong_passwords_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    from coproduce.common import ratelimit

    monkeypatch.setattr(ratelimit.time, "time", lambda: 6000.0)  # one window, however slow
    user, client = _resident()
    url = reverse("privacy:delete")
    for _ in range(5):
        client.post(url, {"password": "wrong"})
    refused = client.post(url, {"password": PASSWORD})
    assert "Too many tries" in refused.content.decode()
    assert User.objects.get(pk=user.pk).erased_at is None


def test_a_visitor_is_asked_to_sign_in() -> None:
    response = Client().get(reverse("privacy:delete"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
