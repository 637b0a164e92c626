"""Delete my account: erasure by anonymisation (UK GDPR article 17; decision 0094).

The account's row stays, with no email, name or password (``User.erased_at`` set), so that what
the person did stays counted and answered: supports, ballots, ratings and weightings still count;
an organisation's answers and decisions still say who recorded them ("A former participant").
Everything that is only about the person is deleted; links that a vote or an answer does not
need are cut. Files go with the rows that hold them, and with the words when those are removed
(a proposal's picture), once the erasure has committed.

Every field of every model that points at a person has a policy in ``POLICIES``; a test fails on
a new one without (``unpoliced``), and another walks every table after an erasure for the
person's email and name.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage
from django.db import models, transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import User
from coproduce.contributions.kinds import all_kinds, get_kind
from coproduce.contributions.models import Contribution
from coproduce.notifications.actions import notifications_requote
from coproduce.notifications.models import Notification
from coproduce.search.actions import index_service


class Policy(Enum):
    DELETE = "delete"  # the rows are only about the person: deleted
    UNLINK = "unlink"  # the field is set to nothing: the row stays, no longer linked
    KEEP = "keep"  # the row stays with the anonymised account (counted, or an official record)


# "app_label.Model.field" → (what happens, why). Read by the confirmation page and the tests.
POLICIES: dict[str, tuple[Policy, str]] = {
    "admin.LogEntry.user": (Policy.KEEP, "the administrators' audit trail"),
    "account.EmailAddress.user": (Policy.DELETE, "email addresses"),
    "mfa.Authenticator.user": (Policy.DELETE, "two-factor authentication"),
    "accounts.ApiToken.user": (Policy.DELETE, "API tokens"),
    "organisations.Membership.user": (Policy.DELETE, "roles in organisations"),
    "services.Activity.created_by": (Policy.UNLINK, "who added an activity"),
    "notifications.Notification.user": (Policy.DELETE, "news for the person"),
    "notifications.NotificationSettings.user": (Policy.DELETE, "email settings"),
    "contributions.Contribution.author": (
        Policy.KEEP,
        "what they said stays, by 'a former participant'",
    ),
    "contributions.Contribution.moderated_by": (Policy.UNLINK, "who moderated"),
    "contributions.Response.author": (Policy.KEEP, "an organisation's official answer"),
    "contributions.StatusChange.changed_by": (Policy.KEEP, "the record of a status change"),
    "contributions.Report.reporter": (Policy.KEEP, "a report to the moderators stays"),
    "contributions.Report.reviewed_by": (Policy.UNLINK, "who reviewed a report"),
    "contributions.Decision.recorded_by": (Policy.KEEP, "a decision's public record"),
    "contributions.Follow.user": (Policy.DELETE, "what the person follows"),
    "outcomes.Measurement.recorded_by": (Policy.UNLINK, "who entered a value"),
    "outcomes.CheckAnswer.respondent": (Policy.KEEP, "answers to a check stay counted"),
    "equality.EqualityRecord.user": (Policy.DELETE, "equality answers"),
    "insight.SurveySubmission.respondent": (Policy.UNLINK, "survey answers stay counted"),
    "codesign.SupportsThreshold.updated_by": (Policy.UNLINK, "who set a threshold"),
    "codesign.Support.user": (Policy.KEEP, "supports stay counted"),
    "codesign.Agreement.user": (Policy.KEEP, "agreements stay counted"),
    "budgeting.DeliveryUpdate.by": (Policy.UNLINK, "who wrote a delivery update"),
    "budgeting.Ballot.voter": (Policy.UNLINK, "ballots stay counted"),
    "budgeting.PaperEntry.entered_by": (Policy.KEEP, "the record of who entered paper ballots"),
    "budgeting.Count.requested_by": (Policy.UNLINK, "who asked for a count"),
    "conversations.Participant.user": (Policy.UNLINK, "conversation votes stay counted"),
    "panels.Selection.requested_by": (Policy.UNLINK, "who ran a selection"),
    "panels.PanelMember.user": (Policy.KEEP, "a panel's membership, kept for its record"),
    "panels.Recommendation.drafted_by": (Policy.UNLINK, "who drafted a recommendation"),
    "commissioning.Weighting.person": (Policy.KEEP, "weightings stay counted"),
    "commissioning.Bid.created_by": (Policy.UNLINK, "who started a bid"),
    "commissioning.BidAccess.person": (Policy.KEEP, "the record of who opened a sealed bid"),
    "commissioning.Clarification.asked_by": (Policy.UNLINK, "a clarification question stays"),
    "commissioning.Clarification.answered_by": (Policy.UNLINK, "who answered a clarification"),
    "commissioning.Evaluator.person": (Policy.KEEP, "the record of a bid's evaluation"),
    "commissioning.AgreedScore.agreed_by": (Policy.UNLINK, "who agreed a score"),
    "commissioning.Award.decided_by": (Policy.UNLINK, "who decided an award"),
    "assessment.FrameworkVersion.created_by": (Policy.UNLINK, "who started a version"),
    "assessment.FrameworkVersion.agreed_by": (Policy.UNLINK, "who agreed a version"),
    "assessment.FrameworkVersion.co_authors": (Policy.DELETE, "being named as a co-author"),
    "assessment.Assessment.created_by": (Policy.UNLINK, "who set up an assessment"),
    "assessment.Assessment.published_by": (Policy.UNLINK, "who published a report"),
    "assessment.Assessment.coordinator": (Policy.UNLINK, "who coordinated an assessment"),
    "assessment.Response.person": (Policy.UNLINK, "ratings stay counted"),
    "assessment.Response.entered_by": (Policy.UNLINK, "who entered a paper form"),
    "assessment.AgreedRating.updated_by": (Policy.UNLINK, "who agreed a rating"),
    "assessment.Assessor.person": (Policy.KEEP, "a peer review team's record"),
    "assessment.Assessor.added_by": (Policy.UNLINK, "who added an assessor"),
    "assessment.ImprovementAction.created_by": (Policy.UNLINK, "who added an action"),
    "assessment.IndicatorLink.created_by": (Policy.UNLINK, "who linked an indicator"),
    "assessment.Assignment.shopper": (Policy.KEEP, "a mystery shop's record"),
    "assessment.CoachingSession.coach": (Policy.KEEP, "a coaching session's record"),
    "assessment.CoachingSession.created_by": (Policy.UNLINK, "who recorded a session"),
    "assessment.CoachingSession.participants": (Policy.DELETE, "being in a coaching session"),
    "governance.Membership.user": (Policy.UNLINK, "a board's public list of members"),
    "governance.Registration.user": (Policy.DELETE, "seats booked at meetings"),
    "privacy.DataExport.user": (Policy.DELETE, "downloads of the person's data"),
}

# The rows below a contribution's own row (deleted with it): whether they hold the author's own
# words, removed with theirs, or someone else's, never touched. A test keeps every one listed.
BELONGING: dict[str, bool] = {
    "insight.Answer.submission": True,  # a survey answer's answers to each question
    "commissioning.WeightingPoints.weighting": True,  # the points of the person's weighting
    "codesign.Comment.idea": False,  # other people's comments on an idea
    "codesign.Comment.parent": False,  # other people's replies to a comment
    "codesign.Support.idea": False,
    "codesign.Agreement.comment": False,
    "conversations.Vote.statement": False,  # participants' votes on a statement
    "panels.RecommendationVote.recommendation": False,
    "budgeting.DeliveryUpdate.proposal": False,  # the organisation's news of a funded project
    "assessment.ImprovementAction.finding": False,  # the service's actions on a finding
}

# Free-text fields of a contribution's own row that others write: they stay when its author's
# words are removed.
OTHERS_WORDS = {
    "budgeting.Proposal.feasibility_reason": "the organisation's reason after its review",
    "conversations.Statement.rejected_reason": "the moderator's reason for rejecting it",
}

# Other personal fields of a row that stays, emptied with the link (field → value).
ALSO_EMPTIED: dict[str, dict[str, object]] = {
    "conversations.Participant.user": {"postcode_area": ""},
}
REMOVED = gettext_lazy("Removed at the request of the person who wrote it.")
URLS_AT_ONCE = 500  # pages asked about in one query for the news that quotes them


def user_fields() -> Iterator[tuple[str, type[models.Model], models.Field]]:
    """("app.Model.field", model, field) of every field that points at a person."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                (getattr(field, "concrete", False) or field.many_to_many)
                and not field.auto_created
                and getattr(field, "related_model", None) is user_model
            ):
                yield f"{model._meta.label}.{field.name}", model, field  # type: ignore[misc]


def unpoliced() -> list[str]:
    """Fields that point at a person and have no erasure policy (a test keeps this empty)."""
    return [label for label, _model, _field in user_fields() if label not in POLICIES]


def belonging_relations(
    detail: type[models.Model],
) -> Iterator[tuple[str, models.ForeignObject]]:
    """("app.Model.field", field) of every kind of row deleted with a contribution's own row."""
    for relation in detail._meta.related_objects:
        if relation.one_to_many and relation.field.remote_field.on_delete is models.CASCADE:
            yield f"{relation.related_model._meta.label}.{relation.field.name}", relation.field


def belonging_labels() -> set[str]:
    """Every kind of row below the own row of any registered contribution kind."""
    return {
        label
        for kind in all_kinds()
        for label, _field in belonging_relations(
            Contribution._meta.get_field(kind.detail).related_model  # type: ignore[arg-type]
        )
    }


def unlisted_belonging() -> list[str]:
    """Rows below a contribution kind's own row missing from ``BELONGING`` (a test keeps this
    empty): until listed, they are left alone."""
    return sorted(belonging_labels() - set(BELONGING))


@dataclass(frozen=True)
class Summary:
    """What happens to what the person did, told before they confirm."""

    contributions: int
    counted: int  # supports, ballots, ratings, weightings, votes: they stay counted
    records: int  # official records (answers, decisions, entries) that keep "a former participant"
    deleted: list[str]  # what is deleted, in words


COUNTED = {
    "codesign.Support.user",
    "codesign.Agreement.user",
    "budgeting.Ballot.voter",
    "conversations.Participant.user",
    "outcomes.CheckAnswer.respondent",
    "commissioning.Weighting.person",
    "assessment.Response.person",
    "insight.SurveySubmission.respondent",
}


def _rows(model: type[models.Model], field: models.Field, user: User) -> models.QuerySet:
    return model._default_manager.filter(**{field.name: user})


def summary(user: User) -> Summary:
    counted = records = 0
    deleted = []
    for label, model, field in user_fields():
        policy, about = POLICIES.get(label, (Policy.KEEP, ""))
        count = _rows(model, field, user).count()
        if not count:
            continue
        if label in COUNTED:
            counted += count
        elif policy is Policy.DELETE:
            deleted.append(about)
        elif policy is Policy.KEEP and label != "contributions.Contribution.author":
            records += count
    contributions = Contribution.objects.filter(author=user).count()
    return Summary(contributions, counted, records, sorted(set(deleted)))


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    """The free-text fields of a contribution's own row: what the person wrote (not the words
    others wrote on it, ``OTHERS_WORDS``)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField | models.CharField)
        and not field.choices
        and not field.primary_key
        and (isinstance(field, models.TextField) or (field.max_length or 0) >= 60)
        and f"{model._meta.label}.{field.name}" not in OTHERS_WORDS
    ]


def _replace_words(rows: models.QuerySet) -> None:
    """Put the placeholder in every free-text field of these rows that has words."""
    for field in _text_fields(rows.model):
        text = str(REMOVED)[: field.max_length or None]
        rows.exclude(**{field.attname: ""}).update(**{field.attname: text})


def _delete_files(rows: models.QuerySet, *, empty: bool) -> None:
    """Delete the stored files of these rows once the transaction commits (a rolled-back erasure
    keeps them); ``empty`` also empties the fields of rows that stay."""
    for field in rows.model._meta.concrete_fields:
        if not isinstance(field, models.FileField):
            continue
        holding = rows.exclude(**{field.attname: ""})
        names = list(holding.values_list(field.attname, flat=True))
        if not names:
            continue
        if empty:
            holding.update(**{field.attname: ""})
        transaction.on_commit(partial(_delete_stored, field.storage, names))


def _delete_stored(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _unquote(quotes: dict[str, str]) -> None:
    """Others' news about the contributions (an answer, a new status, a decision) quotes their
    titles (url → title): each quote becomes the placeholder, in news read and not yet read."""
    urls = list(quotes)
    for start in range(0, len(urls), URLS_AT_ONCE):
        chunk = urls[start : start + URLS_AT_ONCE]
        with_news = Notification.objects.filter(url__in=chunk).values_list("url", flat=True)
        for url in sorted(set(with_news)):
            notifications_requote(url=url, was=quotes[url], now=str(REMOVED))


def _quotes(contributions: list[Contribution]) -> dict[str, str]:
    """url → title of each contribution that has a page of its own (only those are in news)."""
    quotes = {}
    for contribution in contributions:
        try:
            quotes[contribution.get_absolute_url()] = contribution.title
        except NoReverseMatch:  # a kind with no page of its own: no news points at it
            continue
    return quotes


def _remove_words(user: User) -> set[int]:
    """Replace the words of everything the person wrote with a placeholder, and delete the files
    they attached to it; answers stay. Returns the services whose search index must forget them.

    A few queries for each kind of contribution, however many the person made."""
    contributions = list(Contribution.objects.filter(author=user).with_details())
    _unquote(_quotes(contributions))
    for kind in sorted({contribution.kind for contribution in contributions}):
        relation = Contribution._meta.get_field(get_kind(kind).detail)
        link = relation.field.name  # type: ignore[union-attr]
        detail = relation.related_model
        own = detail._default_manager.filter(**{f"{link}__author": user})  # type: ignore[union-attr]
        _replace_words(own)
        _delete_files(own, empty=True)
        # Rows below it may hold their words too (a survey submission's answers); others' rows
        # (comments on their idea, the council's news of their project) stay as they are.
        for label, field in belonging_relations(detail):  # type: ignore[arg-type]
            if BELONGING.get(label, False):
                belonging = field.model._default_manager.filter(
                    **{f"{field.name}__{link}__author": user}
                )
                _replace_words(belonging)
                _delete_files(belonging, empty=True)
    return {contribution.activity.service_stage.service_id for contribution in contributions}


@transaction.atomic
def account_erase(*, user: User, remove_words: bool = False) -> Counter[str]:
    """Erase the person: delete, cut or keep each of their rows by ``POLICIES``, then empty the
    account itself. ``remove_words`` replaces what they wrote with a placeholder too. Returns how
    many rows of each kind were deleted or unlinked (counts, never contents)."""
    if user.erased_at is not None:
        return Counter()
    done: Counter[str] = Counter()
    services = _remove_words(user) if remove_words else set()
    for label, model, field in user_fields():
        policy = POLICIES.get(label, (Policy.KEEP, ""))[0]
        if field.many_to_many:
            if policy is Policy.DELETE:
                through = field.remote_field.through  # type: ignore[union-attr]
                column = field.m2m_reverse_field_name()  # type: ignore[attr-defined]
                count, _detail = through.objects.filter(**{column: user}).delete()
                done[label] += count
            continue
        rows = _rows(model, field, user)
        if policy is Policy.DELETE:
            _delete_files(rows, empty=False)
            count, _detail = rows.delete()
            done[label] += count
        elif policy is Policy.UNLINK:
            done[label] += rows.update(**{field.name: None, **ALSO_EMPTIED.get(label, {})})
    user.email = f"erased-{secrets.token_hex(8)}@erased.invalid"
    user.name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    if services:
        transaction.on_commit(lambda: _forget_words(services))
    return done


def _forget_words(services: set[int]) -> None:
    """Index the services again, so that search no longer finds the removed words."""
    for service_id in sorted(services):
        index_service(service_id)


def stays() -> list[str]:
    """What stays after an erasure, and why, in words for the confirmation page."""
    return [
        _(
            "What you said stays, shown as by “a former participant”, with the answers it got, so "
            "that the record still makes sense. You can ask for your words to be removed too."
        ),
        _(
            "Your supports, votes, ballots, ratings and weightings stay counted, no longer linked "
            "to you: taking them out would change results that have been published."
        ),
        _(
            "Official records you made as a member of staff (answers, decisions, entries) stay, "
            "signed “a former participant”."
        ),
    ]
