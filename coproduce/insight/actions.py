"""Every write in insight: composing surveys, answering them, recording assets, telling stories.

Each action checks the rule it needs (raising PermissionDenied), so web views and any API behave
the same. Emails go out through a background task, only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.common.locking import lock_for_share
from coproduce.common.permissions import require
from coproduce.contributions.actions import contribution_start
from coproduce.contributions.models import AuthorDisplay, Contribution, Visibility
from coproduce.contributions.rules import is_open_for
from coproduce.equality.actions import survey_record_save, survey_records_delete
from coproduce.insight import rules
from coproduce.insight.models import (
    Answer,
    Asset,
    AssetKind,
    InsightKind,
    Question,
    QuestionKind,
    Story,
    Survey,
    SurveySubmission,
)
from coproduce.insight.tasks import send_submission_confirmation
from coproduce.organisations.models import Organisation
from coproduce.organisations.rules import role_in
from coproduce.search.actions import index_update
from coproduce.services.models import Activity, ActivityKind


def confirm_within() -> dt.timedelta:
    """An anonymous answer not confirmed by then is deleted (COPRODUCE_UNCONFIRMED_ANSWER_DAYS)."""
    return dt.timedelta(days=settings.COPRODUCE_UNCONFIRMED_ANSWER_DAYS)


RESEND_AFTER = dt.timedelta(days=1)  # one confirmation email per address per survey per day
MAX_OPTIONS = 20
MAX_OPTION_LENGTH = 100
WELSH_OPTIONS_COUNT = gettext_lazy(
    "Give one Welsh option for each English option, in the same order, or leave them all empty."
)

# The Royal Mail format (BS 7666), as published for the Government Data Standards Catalogue.
POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


class AlreadyAnswered(ValidationError):
    """A signed-in person tried to answer the same survey twice."""


def normalise_postcode(value: str) -> str:
    """'sw1a1aa ' → 'SW1A 1AA'; '' stays ''. Raises ValidationError for anything else."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if not POSTCODE.match(compact):
        raise ValidationError(
            {"postcode": _("Enter a real UK postcode, like NF1 2AB, or leave it empty.")}
        )
    return f"{compact[:-3]} {compact[-3:]}"


# --- Composing a survey ---------------------------------------------------------------------


def _survey_for(activity: Activity) -> Survey:
    if activity.kind != ActivityKind.NEEDS_SURVEY:
        raise ValidationError(_("Only a needs and assets survey has questions."))
    survey, _created = Survey.objects.get_or_create(activity=activity)
    return survey


@transaction.atomic
def survey_settings_update(
    *, activity: Activity, user: User, introduction: str, anonymous_answers: bool
) -> Survey:
    """Set the survey's introduction, and whether people may answer without an account."""
    require(rules.can_compose_survey(user, activity))
    survey = _survey_for(activity)
    survey.introduction = introduction.strip()
    survey.full_clean(exclude=["activity"])
    survey.save(update_fields=["introduction"])
    # The flag lives on the activity (services app) because the answer rules read it there.
    Activity.objects.filter(pk=activity.pk).update(anonymous_answers=anonymous_answers)
    activity.anonymous_answers = anonymous_answers
    return survey


def _clean_options(kind: str, options: Iterable[str]) -> list[str]:
    if kind not in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return []
    cleaned: list[str] = []
    seen: set[str] = set()
    for option in options:
        text = " ".join(str(option).split())
        if not text:
            continue
        if len(text) > MAX_OPTION_LENGTH:
            raise ValidationError(
                {"options": _("Each option must be %(n)s characters or fewer.") % {"n": 100}}
            )
        if text.casefold() in seen:
            raise ValidationError(
                {
                    "options": _("“%(option)s” is there twice. Give each option once.")
                    % {"option": text}
                }
            )
        seen.add(text.casefold())
        cleaned.append(text)
    if len(cleaned) < 2:
        raise ValidationError({"options": _("Give at least 2 options, one on each line.")})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError({"options": _("Give no more than 20 options.")})
    return cleaned


def _clean_welsh_options(kind: str, english: list[str], welsh: Iterable[str]) -> list[str]:
    """The Welsh of each option, in the order of the English ones; or none at all."""
    if kind not in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return []
    cleaned = [text for text in (" ".join(str(option).split()) for option in welsh) if text]
    if not cleaned:
        return []
    if len(cleaned) != len(english):
        raise ValidationError({"options_cy": str(WELSH_OPTIONS_COUNT)})
    seen: set[str] = set()
    for text in cleaned:
        if len(text) > MAX_OPTION_LENGTH:
            raise ValidationError(
                {"options_cy": _("Each option must be %(n)s characters or fewer.") % {"n": 100}}
            )
        if text.casefold() in seen:
            raise ValidationError(
                {
                    "options_cy": _("“%(option)s” is there twice. Give each option once.")
                    % {"option": text}
                }
            )
        seen.add(text.casefold())
    return cleaned


def _fill_question(question: Question, fields: Mapping[str, Any]) -> None:
    for name in (
        "text",
        "help_text",
        "scale_low_label",
        "scale_high_label",
        "text_cy",
        "help_text_cy",
    ):
        if name in fields:
            setattr(question, name, " ".join(str(fields[name]).split()))
    for name in ("kind", "required"):
        if name in fields:
            setattr(question, name, fields[name])
    if question.kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose the type of answer.")})
    if "options" in fields or "kind" in fields:
        question.options = _clean_options(question.kind, fields.get("options", question.options))
    if "options" in fields or "kind" in fields or "options_cy" in fields:
        question.options_cy = _clean_welsh_options(
            question.kind, question.options, fields.get("options_cy", question.options_cy)
        )
    if question.kind != QuestionKind.SCALE:
        question.scale_low_label = question.scale_high_label = ""
    if not question.text:
        raise ValidationError({"text": _("Enter the question.")})
    question.full_clean(exclude=["survey"])


QUESTION_FIELDS = {
    "text",
    "help_text",
    "kind",
    "options",
    "required",
    "scale_low_label",
    "scale_high_label",
    "text_cy",
    "help_text_cy",
    "options_cy",
}
WELSH_QUESTION_FIELDS = {"text_cy", "help_text_cy", "options_cy"}


@transaction.atomic
def question_create(*, activity: Activity, user: User, **fields: Any) -> Question:
    """Add a question at the end of the survey."""
    require(rules.can_compose_survey(user, activity))
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {', '.join(sorted(unknown))}")
    survey = Survey.objects.select_for_update().get(pk=_survey_for(activity).pk)
    last = survey.questions.aggregate(last=Max("position"))["last"]
    question = Question(survey=survey, position=0 if last is None else last + 1)
    _fill_question(question, {"kind": fields.get("kind", ""), **fields})
    question.save()
    return question


def _has_answers(survey: Survey) -> bool:
    return survey.submissions.exists()


QUESTION_REMOVED = gettext_lazy("This question has been removed.")
KIND_FIXED = gettext_lazy("People have answered this survey, so the type of answer cannot change.")
OPTIONS_FIXED = gettext_lazy("People have answered this survey, so the options cannot change.")


def _locked(question: Question) -> Question | None:
    """The question read again with its survey's row locked, or None when it has been removed.
    Staff changes take that lock, and each answer a shared one (``survey_submit``): so a change
    waits for answers being sent, and sees them, before it checks ``_has_answers``."""
    Survey.objects.select_for_update().filter(pk=question.survey_id).exists()
    return (
        Question.objects.select_related("survey__activity__service_stage__service")
        .filter(pk=question.pk)
        .first()
    )


@transaction.atomic
def question_update(*, question: Question, user: User, **fields: Any) -> Question:
    """Change a question. Once anyone has answered, its type and options are fixed."""
    require(rules.can_compose_survey(user, question.survey.activity))
    found = _locked(question)
    if found is None:
        raise ValidationError(str(QUESTION_REMOVED))
    question = found
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {', '.join(sorted(unknown))}")
    if _has_answers(question.survey):
        if fields.get("kind", question.kind) != question.kind:
            raise ValidationError({"kind": str(KIND_FIXED)})
        if "options" in fields and _clean_options(question.kind, fields["options"]) != list(
            question.options
        ):
            raise ValidationError({"options": str(OPTIONS_FIXED)})
    _fill_question(question, fields)
    question.save()
    return question


@transaction.atomic
def question_set_welsh(*, question: Question, user: User, **fields: Any) -> Question:
    """Write the Welsh of a question, its hint and its options, at any time: also once the
    survey has closed, since its results still show the questions (decision 0025)."""
    require(rules.can_manage_survey(user, question.survey.activity))
    unknown = set(fields) - WELSH_QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {', '.join(sorted(unknown))}")
    _fill_question(question, fields)
    question.save(update_fields=sorted(fields))
    return question


@transaction.atomic
def question_delete(*, question: Question, user: User) -> None:
    """Remove a question nobody has answered yet (one removed already stays removed)."""
    require(rules.can_compose_survey(user, question.survey.activity))
    found = _locked(question)
    if found is None:
        return
    question = found
    if _has_answers(question.survey):
        raise ValidationError(
            _("People have answered this survey, so its questions cannot be removed.")
        )
    survey = question.survey
    question.delete()
    _renumber(survey)


def _renumber(survey: Survey) -> list[Question]:
    questions = list(survey.questions.order_by("position", "id"))
    for position, question in enumerate(questions):
        question.position = position
    Question.objects.bulk_update(questions, ["position"])
    return questions


@transaction.atomic
def question_move(*, question: Question, user: User, direction: str) -> None:
    """Move a question one place up or down the survey."""
    require(rules.can_compose_survey(user, question.survey.activity))
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."))
    found = _locked(question)
    if found is None:
        raise ValidationError(str(QUESTION_REMOVED))
    questions = _renumber(found.survey)
    index = next(i for i, q in enumerate(questions) if q.pk == found.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    a, b = questions[index], questions[other]
    a.position, b.position = b.position, a.position
    Question.objects.bulk_update([a, b], ["position"])


# --- Answering a survey ---------------------------------------------------------------------


def _answer_for(question: Question, value: Any) -> tuple[Answer | None, str]:
    """Check one answer: returns the Answer to store (None when skipped) or an error message."""
    empty = value is None or value == "" or value == []
    if question.kind == QuestionKind.FREE_TEXT:
        if not isinstance(value, str | type(None)):
            return None, _("Enter your answer as text.")
        text = (value or "").strip()
        if len(text) > 5000:
            return None, _("Your answer must be 5,000 characters or fewer.")
        if not text:
            return None, _("Enter your answer to this question.") if question.required else ""
        return Answer(question=question, text=text), ""
    if question.kind == QuestionKind.SCALE:
        if empty:
            return None, _("Select a number from 1 to 5.") if question.required else ""
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 5 or isinstance(value, bool | float):
            return None, _("Select a number from 1 to 5.")
        return Answer(question=question, scale_value=number), ""
    options = list(question.options)
    if question.kind == QuestionKind.SINGLE_CHOICE:
        if empty:
            return None, _("Select one option.") if question.required else ""
        if not isinstance(value, str) or value not in options:
            return None, _("Select one of the options shown.")
        return Answer(question=question, choices=[value]), ""
    values = value if isinstance(value, list | tuple) else ([] if empty else [value])
    if not values:
        return None, _("Select at least one option.") if question.required else ""
    if any(not isinstance(v, str) or v not in options for v in values):
        return None, _("Select only the options shown.")
    return Answer(question=question, choices=[o for o in options if o in values]), ""


def _check_answers(questions: list[Question], answers: Mapping[int, Any]) -> list[Answer]:
    known = {q.pk for q in questions}
    if set(answers) - known:
        raise ValidationError(_("Answer only the questions of this survey."))
    errors: dict[str, str] = {}
    rows: list[Answer] = []
    for question in questions:
        row, error = _answer_for(question, answers.get(question.pk))
        if error:
            errors[question.field_name] = error
        elif row is not None:
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Answer at least one question."))
    return rows


def _check_email(survey: Survey, email: str) -> str:
    email = email.strip()
    if not email:
        raise ValidationError(
            {"email": _("Enter your email address, so you can confirm your answers.")}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter an email address in the correct format, like name@example.com.")}
        ) from None
    waiting = SurveySubmission.objects.filter(
        survey=survey, confirmed_at__isnull=True, confirmation_email__iexact=email
    )
    if waiting.filter(contribution__created_at__gte=timezone.now() - RESEND_AFTER).exists():
        raise ValidationError(
            {
                "email": _(
                    "We have already sent a link to this email address. Use it to confirm "
                    "your answers, or try again tomorrow."
                )
            }
        )
    # An older unconfirmed answer from the same address is replaced by this one.
    _delete_unconfirmed(Contribution.objects.filter(submission__in=waiting))
    return email


def _delete_unconfirmed(stale: QuerySet[Contribution]) -> int:
    """Delete these unconfirmed answers, with their email addresses; returns how many.

    Never one that a decision links to: the public ledger records the link and must still find
    it. Such an answer (published before decision 0127 stopped moderators publishing unconfirmed
    answers) is kept, hidden and never counted; its email address and link are erased, and the
    equality answers given with it deleted, as they would have been with it (decision 0110).
    """
    linked = list(stale.filter(decisions__isnull=False).values_list("pk", flat=True).distinct())
    if linked:
        SurveySubmission.objects.filter(pk__in=linked).update(
            confirmation_email="", confirmation_token_hash=""
        )
        survey_records_delete(contribution_ids=linked)
        # moderated_at moves, as when a moderator hides one, so cached open data is rebuilt.
        Contribution.objects.filter(pk__in=linked).exclude(visibility=Visibility.HIDDEN).update(
            visibility=Visibility.HIDDEN, moderated_at=timezone.now()
        )
    deleted = stale.exclude(pk__in=linked)
    count = deleted.count()
    deleted.delete()
    return count


@transaction.atomic
def survey_submit(
    *,
    activity: Activity,
    author: Visitor,
    answers: Mapping[int, Any],
    email: str = "",
    author_display: str = AuthorDisplay.ANONYMOUS,
    about_me: dict[str, str] | None = None,
) -> SurveySubmission:
    """Record one person's answers (question id → text, option, options or 1–5).

    Signed in: it counts at once, one submission per person per survey. Anonymous (where the
    activity allows it): it counts once confirmed through the emailed link, and may carry the
    equality answers the person agreed to give with it (``about_me``; decision 0110). Answers with
    free text wait for a moderator before that text is shown.
    """
    require(rules.can_take_survey(author, activity))
    survey = _survey_for(activity)
    # Shared with everyone answering; a change to the questions waits for it (``_locked``).
    lock_for_share(Survey, survey.pk)
    respondent = author if author.is_authenticated else None
    signed_in = respondent is not None
    if signed_in and SurveySubmission.objects.filter(survey=survey, respondent=respondent).exists():
        raise AlreadyAnswered(_("You have already answered this survey."))
    rows = _check_answers(list(survey.questions.all()), answers)
    if not signed_in:
        email = _check_email(survey, email)
        author_display = AuthorDisplay.ANONYMOUS
    free_text = "\n".join(row.text for row in rows if row.text)
    contribution = contribution_start(
        activity=activity,
        kind=InsightKind.NEED,
        author=respondent,
        author_display=author_display,
        text=free_text,
        always_moderate=bool(free_text),
    )
    if not signed_in:
        # Kept out of sight (and out of the moderation queue) until the email is confirmed;
        # held_reason already says what happens after that.
        contribution.visibility = Visibility.HIDDEN
        contribution.save(update_fields=["visibility"])
    submission = SurveySubmission(
        contribution=contribution,
        survey=survey,
        respondent=respondent,
        confirmation_email=email if not signed_in else "",
        confirmed_at=timezone.now() if signed_in else None,
    )
    try:
        with transaction.atomic():
            submission.save(force_insert=True)
    except IntegrityError:
        raise AlreadyAnswered(_("You have already answered this survey.")) from None
    for row in rows:
        row.submission = submission
    Answer.objects.bulk_create(rows)
    if not signed_in and about_me is not None:
        survey_record_save(contribution=contribution, answers=about_me)
    if not signed_in:
        pk = submission.pk
        transaction.on_commit(lambda: send_submission_confirmation.enqueue(pk))
    return submission


@transaction.atomic
def submission_confirm(*, raw_token: str) -> SurveySubmission:
    """Count an anonymous answer: check the emailed token, then forget the email address."""
    invalid = ValidationError(
        _("This link does not work. It may have been used already, or it may be incomplete.")
    )
    if not raw_token or len(raw_token) > 200:
        raise invalid
    submission = (
        SurveySubmission.objects.select_for_update()
        .select_related("contribution__activity__service_stage__service")
        .filter(
            confirmation_token_hash=SurveySubmission.hash_token(raw_token),
            confirmed_at__isnull=True,
        )
        .first()
    )
    if submission is None:
        raise invalid
    contribution = submission.contribution
    if contribution.created_at < timezone.now() - confirm_within():
        days = settings.COPRODUCE_UNCONFIRMED_ANSWER_DAYS
        raise ValidationError(
            ngettext(
                "This link has expired. Links work for %(days)d day. You can answer the survey "
                "again.",
                "This link has expired. Links work for %(days)d days. You can answer the survey "
                "again.",
                days,
            )
            % {"days": days}
        )
    if not is_open_for(contribution.activity, InsightKind.NEED):
        raise ValidationError(
            _("The survey closed before you confirmed your answers, so they were not counted.")
        )
    submission.confirmed_at = timezone.now()
    submission.confirmation_email = ""
    submission.confirmation_token_hash = ""
    submission.save(update_fields=["confirmed_at", "confirmation_email", "confirmation_token_hash"])
    # A moderator who hid it while it waited (moderated_at: a moderator acted on it) decided:
    # confirming counts the answers but does not show them (decision 0129).
    if contribution.moderated_at is None:
        contribution.visibility = (
            Visibility.PENDING if contribution.held_reason else Visibility.PUBLISHED
        )
        contribution.save(update_fields=["visibility"])
    return submission


@transaction.atomic
def submissions_purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete anonymous answers never confirmed in time, with their email addresses; but not
    one linked to a decision (``_delete_unconfirmed``)."""
    cutoff = (now or timezone.now()) - confirm_within()
    stale = Contribution.objects.filter(
        kind=InsightKind.NEED,
        submission__confirmed_at__isnull=True,
        created_at__lt=cutoff,
    )
    return _delete_unconfirmed(stale)


# --- Community assets and stories -----------------------------------------------------------


@transaction.atomic
def asset_create(
    *,
    activity: Activity,
    author: User,
    kind: str,
    name: str,
    description: str,
    postcode: str = "",
    place_description: str = "",
    area: str = "",
    organisation: Organisation | None = None,
    author_display: str = AuthorDisplay.FIRST_NAME,
) -> Asset:
    """Record something the community brings, in an open needs and assets survey."""
    require(rules.can_record_asset(author, activity))
    if kind not in AssetKind.values:
        raise ValidationError({"kind": _("Choose the type of asset.")})
    if organisation is not None and not (
        author.is_superuser or role_in(author, organisation.pk) is not None
    ):
        raise ValidationError({"organisation": _("Choose an organisation you work for.")})
    postcode = normalise_postcode(postcode)
    contribution = contribution_start(
        activity=activity,
        kind=InsightKind.ASSET,
        author=author,
        author_display=author_display,
        text=f"{name}\n{description}\n{place_description}",
    )
    asset = Asset(
        contribution=contribution,
        kind=kind,
        name=" ".join(name.split()),
        description=description.strip(),
        postcode=postcode,
        place_description=" ".join(place_description.split()),
        area=" ".join(area.split()),
        organisation=organisation,
    )
    asset.full_clean(exclude=["contribution"])
    asset.save()
    index_update(InsightKind.ASSET, [asset.pk])
    return asset


@transaction.atomic
def story_create(
    *,
    activity: Activity,
    author: User,
    title: str,
    body: str,
    author_display: str,
    consent: bool,
) -> Story:
    """Tell a story in an open story collection. Every story waits for a moderator."""
    require(rules.can_tell_story(author, activity))
    if consent is not True:
        raise ValidationError(
            {"consent": _("Select the box to agree that your story can be published.")}
        )
    contribution = contribution_start(
        activity=activity,
        kind=InsightKind.STORY,
        author=author,
        author_display=author_display,
        text=f"{title}\n{body}",
        always_moderate=True,
    )
    story = Story(
        contribution=contribution,
        title=" ".join(title.split()),
        body=body.strip(),
        consent=True,
    )
    story.full_clean(exclude=["contribution"])
    story.save()
    index_update(InsightKind.STORY, [story.pk])  # found once a moderator publishes it
    return story
