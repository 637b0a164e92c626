"""Survey, asset and story pages for residents, and the pages staff use to compose surveys.

Pages where people take part declare who may see them; while an activity is not open (or the
visitor must sign in first) they explain why instead of showing the form.
"""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.common.forms import handle_form
from coproduce.common.http import safe_next_url
from coproduce.common.languages import in_english
from coproduce.common.pagination import paginate
from coproduce.common.permissions import anyone, rule_required
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import Visibility
from coproduce.equality.forms import SurveyAnswersForm
from coproduce.insight import actions, queries, rules
from coproduce.insight.forms import (
    AssetFilterForm,
    AssetForm,
    NewQuestionForm,
    QuestionForm,
    QuestionWelshForm,
    StoryForm,
    SurveyAnswerForm,
    SurveySettingsForm,
    organisations_of,
)
from coproduce.insight.models import Asset, InsightKind, Question, Story, SurveySubmission
from coproduce.services.models import Activity, ActivityState, Service
from coproduce.services.queries import visible_activity, visible_service

# Anonymous answers per connection, counted by allauth's rate limiter (the one that guards
# sign-in, with its view of client addresses behind proxies): ACCOUNT_RATE_LIMITS in settings.
ANONYMOUS_ANSWERS = "insight_anonymous_answer"


def _manage_url(activity: Activity) -> str:
    return reverse("insight:survey_manage", kwargs={"pk": activity.pk})


def _not_open(request: HttpRequest, activity: Activity, allowed: bool) -> HttpResponse | None:
    """None when the visitor may take part; otherwise sign in first, or a page that says why not."""
    if allowed:
        return None
    is_open = activity.state == ActivityState.OPEN and activity.service.is_published
    if is_open and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "insight/not_open.html",
        {"activity": activity, "service": activity.service},
        status=403,
    )


def _contribution_context(request: HttpRequest, contribution: Any) -> dict[str, Any]:
    """What every contribution page shows: official responses, decisions, who may answer."""
    return {
        **spine_queries.answers_of(contribution),
        "contribution": contribution,
        "activity": contribution.activity,
        "service": contribution.activity.service,
        "can_answer": spine_rules.can_answer(request.user, contribution),
        "can_report": spine_rules.can_report(request.user, contribution),
        "can_moderate": spine_rules.can_moderate_contribution(request.user, contribution),
        "is_pending": contribution.visibility == Visibility.PENDING,
        "is_hidden": contribution.visibility == Visibility.HIDDEN,
    }


# --- Surveys: residents -----------------------------------------------------------------------


@rule_required(rules.can_view_survey, load=visible_activity, hide=True)
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Answer a needs survey: signed in, or anonymously with an emailed confirmation link."""
    refusal = _not_open(request, activity, rules.can_take_survey(request.user, activity))
    if refusal is not None:
        return refusal
    user = request.user
    if user.is_authenticated:
        mine = queries.own_submission(activity, user)
        if mine is not None:
            messages.info(request, _("You have already answered this survey. Thank you."))
            return redirect(mine)
    questions = queries.survey_questions(activity)
    form = SurveyAnswerForm(
        request.POST or None, questions=questions, anonymous=not user.is_authenticated
    )
    # Without an account, the equality questions may be answered with the survey (decision 0110).
    about = (
        None if user.is_authenticated else SurveyAnswersForm(request.POST or None, prefix="about")
    )
    results = reverse("insight:survey_results", kwargs={"pk": activity.pk})
    if request.method == "POST" and about is not None and not about.is_valid():
        form.is_valid()  # so that both forms' problems are listed together
        return _survey_answer_page(request, activity, form, about)
    if (
        request.method == "POST"
        and form.is_valid()
        and not user.is_authenticated
        and not ratelimit.consume(request, action=ANONYMOUS_ANSWERS)
    ):
        # Each anonymous answer sends an email: a connection sending many is refused for a
        # while, with the answers kept in the form (decision 0606).
        form.add_error(
            None,
            _(
                "Many answers have been sent from your connection in the last hour. Try "
                "again later, or sign in to answer now."
            ),
        )
        return _survey_answer_page(request, activity, form, about, status=429)
    try:
        done = handle_form(
            request,
            form,
            lambda data: actions.survey_submit(
                activity=activity,
                author=user,
                answers=form.answers(),
                email=data.get("email", ""),
                author_display=data.get("author_display", "anonymous"),
                about_me=about.kept() if about is not None else None,
            ),
            success=lambda submission: (
                submission.get_absolute_url() if user.is_authenticated else results
            ),
            message=lambda submission: _answered_message(submission, form, user),
        )
    except actions.AlreadyAnswered:
        messages.info(request, _("You have already answered this survey. Thank you."))
        return redirect(results)
    return done or _survey_answer_page(request, activity, form, about)


def _answered_message(submission: SurveySubmission, form: SurveyAnswerForm, user: Visitor) -> str:
    """What happens next: confirm by email, wait for a moderator, or nothing more to do."""
    if not user.is_authenticated:
        days = settings.COPRODUCE_UNCONFIRMED_ANSWER_DAYS
        return ngettext(
            "Check your email. We have sent a link to %(email)s. Your answers count "
            "once you select it. The link works for %(days)d day.",
            "Check your email. We have sent a link to %(email)s. Your answers count "
            "once you select it. The link works for %(days)d days.",
            days,
        ) % {"email": form.cleaned_data["email"], "days": days}
    if submission.contribution.visibility == Visibility.PENDING:
        return _(
            "Thank you. Your answers have been counted. A moderator will read your "
            "written answers before they appear on the results page."
        )
    return _("Thank you. Your answers have been counted.")


def _survey_answer_page(
    request: HttpRequest,
    activity: Activity,
    form: SurveyAnswerForm,
    about: SurveyAnswersForm | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "insight/survey_answer.html",
        {
            "activity": activity,
            "service": activity.service,
            "survey": queries.survey_of(activity),
            "questions": form.questions,
            "form": form,
            "about": about,
            "min_cell": settings.EQUALITY_MIN_CELL,
            "confirm_days": settings.COPRODUCE_UNCONFIRMED_ANSWER_DAYS,
        },
        status=status,
    )


@rule_required(anyone)
@require_http_methods(["GET", "POST"])
def survey_confirm(request: HttpRequest) -> HttpResponse:
    """The emailed link: a button confirms (so that link scanners cannot confirm by visiting)."""
    token = (request.POST if request.method == "POST" else request.GET).get("token", "")
    if request.method == "POST":
        try:
            submission = actions.submission_confirm(raw_token=token)
        except ValidationError as error:
            return render(
                request, "insight/survey_confirm.html", {"problem": error.messages[0]}, status=400
            )
        messages.success(
            request,
            _("Thank you. Your answers are confirmed and count in the results.")
            if submission.contribution.visibility == Visibility.PUBLISHED
            else _(
                "Thank you. Your answers are confirmed and count in the results. A moderator "
                "will read your written answers before they appear."
            ),
        )
        return redirect("insight:survey_results", pk=submission.contribution.activity_id)
    waiting = queries.waiting_for_confirmation(token)
    if waiting is None:
        return render(
            request,
            "insight/survey_confirm.html",
            {
                "problem": _(
                    "This link does not work. It may have been used already, or it may be "
                    "incomplete."
                )
            },
            status=404,
        )
    return render(
        request,
        "insight/survey_confirm.html",
        {"token": token, "activity": waiting.contribution.activity},
    )


@rule_required(rules.can_view_survey, load=visible_activity, hide=True)
def survey_results(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Counts per option with a chart and a table for each question."""
    return render(
        request,
        "insight/survey_results.html",
        {
            "activity": activity,
            "service": activity.service,
            "results": queries.survey_results(activity),
            "is_open": spine_rules.is_open_for(activity, InsightKind.NEED),
            "can_manage": rules.can_manage_survey(request.user, activity),
        },
    )


@rule_required(rules.can_view_survey, load=visible_activity, hide=True)
def survey_answers(request: HttpRequest, activity: Activity) -> HttpResponse:
    """What people wrote: moderated answers, newest first, with whether each was answered."""
    return render(
        request,
        "insight/survey_answers.html",
        {
            "activity": activity,
            "service": activity.service,
            "page": paginate(request, queries.published_submissions(activity)),
        },
    )


@rule_required(rules.can_view_submission, load=queries.load_submission, hide=True)
def submission_detail(request: HttpRequest, submission: SurveySubmission) -> HttpResponse:
    """One person's answers, with the official responses and decisions they informed."""
    contribution = submission.contribution
    everything = rules.can_see_every_answer(request.user, contribution)
    return render(
        request,
        "insight/submission_detail.html",
        {
            **_contribution_context(request, contribution),
            "submission": submission,
            "answers": queries.submission_answers(submission, everything=everything),
            "everything": everything,
        },
    )


# --- Surveys: staff ---------------------------------------------------------------------------


@rule_required(rules.can_manage_survey, load=visible_activity, staff=True)
def survey_manage(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The survey's questions in order, with the controls to change them until it closes."""
    return render(
        request,
        "insight/survey_manage.html",
        {
            "activity": activity,
            "service": activity.service,
            "survey": queries.survey_of(activity),
            "questions": queries.survey_questions(activity),
            "can_compose": rules.can_compose_survey(request.user, activity),
            "answered": queries.has_answers(activity),
        },
    )


@rule_required(rules.can_compose_survey, load=visible_activity, staff=True)
@require_http_methods(["GET", "POST"])
def survey_settings(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """The introduction, and whether people may answer without an account."""
    survey = queries.survey_of(activity)
    initial = {
        "introduction": survey.introduction if survey else "",
        "anonymous_answers": activity.anonymous_answers,
    }
    form = SurveySettingsForm(request.POST or None, initial=initial)
    done = handle_form(
        request,
        form,
        lambda data: actions.survey_settings_update(activity=activity, user=request.user, **data),
        success=_manage_url(activity),
        message=_("Survey settings saved."),
    )
    return done or render(
        request,
        "insight/survey_settings.html",
        {"activity": activity, "service": activity.service, "form": form},
    )


@rule_required(rules.can_compose_survey, load=visible_activity, staff=True)
@require_http_methods(["GET", "POST"])
def question_create(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Add a question at the end of the survey."""
    form = NewQuestionForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.question_create(activity=activity, user=request.user, **data),
        success=_manage_url(activity),
        message=_("Question added."),
    )
    return done or render(
        request,
        "insight/question_form.html",
        {"activity": activity, "service": activity.service, "form": form},
    )


@rule_required(rules.can_compose_question, load=queries.visible_question, staff=True)
@require_http_methods(["GET", "POST"])
def question_edit(request: SignedInRequest, question: Question) -> HttpResponse:
    """Change a question. Once people have answered, its type and options stay as they are."""
    activity = question.survey.activity
    form = QuestionForm(
        request.POST or None,
        initial=QuestionForm.initial_for(question),
        answered=queries.has_answers(activity),
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.question_update(question=question, user=request.user, **data),
        success=_manage_url(activity),
        message=_("Question saved."),
    )
    return done or render(
        request,
        "insight/question_form.html",
        {"activity": activity, "service": activity.service, "form": form, "question": question},
    )


@rule_required(rules.can_translate_question, load=queries.visible_question, staff=True)
@require_http_methods(["GET", "POST"])
def question_welsh(request: SignedInRequest, question: Question) -> HttpResponse:
    """Write the Welsh of a question, also once the survey has closed (decision 0025)."""
    activity = question.survey.activity
    form = QuestionWelshForm(request.POST or None, question=question)
    done = handle_form(
        request,
        form,
        lambda data: actions.question_set_welsh(question=question, user=request.user, **data),
        success=safe_next_url(request, _manage_url(activity)),
        message=_("The Welsh is saved."),
    )
    return done or render(
        request,
        "services/welsh_form.html",
        {
            "form": form,
            "service": activity.service,
            "activity": activity,
            "what": _("Survey question"),
            "english": in_english(question.text),
            "view_url": reverse("insight:survey_results", kwargs={"pk": activity.pk})
            if activity.state != ActivityState.DRAFT
            else "",
        },
    )


@rule_required(rules.can_compose_question, load=queries.visible_question, staff=True)
@require_http_methods(["GET", "POST"])
def question_delete(request: SignedInRequest, question: Question) -> HttpResponse:
    """Ask, then remove a question nobody has answered."""
    activity = question.survey.activity
    if request.method == "POST":
        try:
            actions.question_delete(question=question, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Question removed."))
        return redirect("insight:survey_manage", pk=activity.pk)
    return render(
        request,
        "insight/question_delete.html",
        {"activity": activity, "service": activity.service, "question": question},
    )


@rule_required(rules.can_compose_question, load=queries.visible_question, staff=True)
@require_POST
def question_move(request: SignedInRequest, question: Question) -> HttpResponse:
    """Move a question one place up or down."""
    try:
        actions.question_move(
            question=question, user=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("insight:survey_manage", pk=question.survey.activity_id)


# --- Community assets -------------------------------------------------------------------------


@rule_required(rules.can_view_assets, load=visible_service, hide=True)
def asset_list(request: HttpRequest, service: Service) -> HttpResponse:
    """The community assets recorded for a service, filtered by kind, area and words."""
    form = AssetFilterForm(request.GET or None, areas=queries.asset_areas(service))
    assets = queries.service_assets(service)
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filtered = any(data.values())
        assets = assets.search(data["q"], data["kind"], data["area"])
    elif form.is_bound:
        assets = assets.none()
    return render(
        request,
        "insight/asset_list.html",
        {
            "service": service,
            "form": form,
            "filtered": filtered,
            "page": paginate(request, assets),
            "open_surveys": queries.open_surveys(service),
        },
    )


@rule_required(rules.can_view_survey, load=visible_activity, hide=True)
@require_http_methods(["GET", "POST"])
def asset_create(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Record something the community brings, while a needs and assets survey is open."""
    # _not_open turns away everyone not signed in (recording an asset needs an account).
    refusal = _not_open(request, activity, rules.can_record_asset(request.user, activity))
    if refusal is not None:
        return refusal
    form = AssetForm(request.POST or None, organisations=organisations_of(request.user))
    done = handle_form(
        request,
        form,
        lambda data: actions.asset_create(activity=activity, author=request.user, **data),
        success=lambda asset: asset.get_absolute_url(),
        message=lambda asset: (
            _("Thank you. A moderator will check the asset before it appears in the list.")
            if asset.contribution.visibility == Visibility.PENDING
            else _("Thank you. The asset is now in the list.")
        ),
    )
    return done or render(
        request,
        "insight/asset_form.html",
        {"activity": activity, "service": activity.service, "form": form},
    )


@rule_required(rules.can_view_asset, load=queries.load_asset, hide=True)
def asset_detail(request: HttpRequest, asset: Asset) -> HttpResponse:
    """One asset, with the official responses and the decisions it informed."""
    return render(
        request,
        "insight/asset_detail.html",
        {**_contribution_context(request, asset.contribution), "asset": asset},
    )


# --- Stories ----------------------------------------------------------------------------------


@rule_required(rules.can_view_stories, load=visible_activity, hide=True)
def story_list(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Published stories of a story collection, newest first."""
    return render(
        request,
        "insight/story_list.html",
        {
            "activity": activity,
            "service": activity.service,
            "page": paginate(request, queries.published_stories(activity)),
        },
    )


@rule_required(rules.can_view_stories, load=visible_activity, hide=True)
@require_http_methods(["GET", "POST"])
def story_create(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Tell a story, choose how your name is shown, and agree to publication."""
    # _not_open turns away everyone not signed in (telling a story needs an account).
    refusal = _not_open(request, activity, rules.can_tell_story(request.user, activity))
    if refusal is not None:
        return refusal
    form = StoryForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.story_create(activity=activity, author=request.user, **data),
        success=lambda story: story.get_absolute_url(),
        message=_(
            "Thank you for your story. A facilitator will read it before it appears. "
            "Only you can see it until then."
        ),
    )
    return done or render(
        request,
        "insight/story_form.html",
        {"activity": activity, "service": activity.service, "form": form},
    )


@rule_required(rules.can_view_story, load=queries.load_story, hide=True)
def story_detail(request: HttpRequest, story: Story) -> HttpResponse:
    """One story, as its author chose to be shown, with the official responses."""
    return render(
        request,
        "insight/story_detail.html",
        {**_contribution_context(request, story.contribution), "story": story},
    )
