"""Deliberation pages of a citizen panel: the members' workspace (sessions, evidence, questions,
drafts, the vote), the public recommendations with their results and answers, and the
coordinators' pages for sessions, members and the vote (docs/panels.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.panels import actions_deliberation, queries, rules
from coproduce.panels import forms_deliberation as forms
from coproduce.panels.models import Panel, Recommendation, RecommendationStatus, Session


def _context(panel: Panel, **extra: Any) -> dict[str, Any]:
    """What every deliberation page has: the panel, its activity and service."""
    return {"panel": panel, "activity": panel.activity, "service": panel.activity.service, **extra}


def _workspace_url(panel: Panel, anchor: str = "") -> str:
    url = reverse("panels:workspace", args=[panel.pk])
    return f"{url}#{anchor}" if anchor else url


def _posted_pk(request: HttpRequest, name: str) -> int | None:
    """A key posted by a button (``remove``), or None for anything no key can be."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


# --- The members' workspace --------------------------------------------------------------------


@rule_required(rules.can_use_workspace, load=queries.visible_panel)
@require_http_methods(["GET", "POST"])
def workspace(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Sessions with their agenda and evidence, questions to the service, drafts and the vote.
    Members ask a question here."""
    user = request.user
    can_ask = rules.can_ask_question(user, panel)
    form = forms.QuestionForm(request.POST or None) if can_ask else None
    if request.method == "POST" and form is not None:
        done = handle_form(
            request,
            form,
            lambda data: actions_deliberation.question_ask(panel=panel, by=user, text=data["text"]),
            success=_workspace_url(panel, "questions"),
            message=_("Your question is sent. The service team will answer it in public."),
        )
        if done:
            return done
    mine = queries.my_votes(user, panel)
    in_progress = list(queries.recommendations_in_progress(panel))
    return render(
        request,
        "panels/deliberation/workspace.html",
        _context(
            panel,
            form=form,
            sessions=queries.sessions_of(panel),
            questions=queries.questions_of(panel),
            drafts=[r for r in in_progress if r.status == RecommendationStatus.DRAFT],
            in_vote=[
                (r, mine.get(r.pk)) for r in in_progress if r.status == RecommendationStatus.VOTING
            ],
            published=queries.published_recommendations(panel),
            not_passed=queries.recommendations_not_passed(panel),
            uncounted=queries.recommendations_uncounted(panel),
            voting_round=queries.open_round(panel),
            is_member=rules.is_member(user, panel),
            can_draft=rules.can_draft_recommendation(user, panel),
            can_coordinate=rules.can_coordinate(user, panel),
        ),
    )


@rule_required(rules.can_draft_recommendation, load=queries.visible_panel)
@require_http_methods(["GET", "POST"])
def recommendation_add(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """A member drafts a recommendation for the panel's next vote."""
    form = forms.RecommendationForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions_deliberation.recommendation_draft(
            panel=panel, by=request.user, **data
        ),
        success=_workspace_url(panel, "drafts"),
        message=_(
            "Your draft is saved. The panel votes on it when the coordinators open the vote."
        ),
    )
    return done or render(
        request, "panels/deliberation/recommendation_form.html", _context(panel, form=form)
    )


@rule_required(rules.can_vote, load=queries.visible_recommendation)
@require_http_methods(["GET", "POST"])
def recommendation_vote(request: SignedInRequest, recommendation: Recommendation) -> HttpResponse:
    """A member votes on a recommendation, or changes their vote, while the vote is open."""
    panel = recommendation.panel
    mine = queries.my_votes(request.user, panel).get(recommendation.pk)
    initial = {} if mine is None else {"supports": "yes" if mine else "no"}
    # Bound even when nothing is chosen (an empty POST), so the page says what is missing.
    form = forms.VoteForm(request.POST if request.method == "POST" else None, initial=initial)
    done = handle_form(
        request,
        form,
        lambda data: actions_deliberation.vote_cast(
            recommendation=recommendation, by=request.user, supports=data["supports"]
        ),
        success=_workspace_url(panel, "vote"),
        message=_("Your vote is saved. You can change it until the vote closes."),
    )
    return done or render(
        request,
        "panels/deliberation/vote.html",
        _context(panel, form=form, recommendation=recommendation, voted=mine is not None),
    )


# --- Public: recommendations, their results and the answers ------------------------------------


@rule_required(rules.can_view_recommendations, load=queries.visible_panel, hide=True)
def recommendations(request: HttpRequest, panel: Panel) -> HttpResponse:
    """What the panel recommends, how the members voted in total, and the organisation's
    answers; the sessions and the members' answered questions; overdue answers flagged."""
    return render(
        request,
        "panels/deliberation/recommendations.html",
        _context(
            panel,
            published=queries.published_recommendations(panel),
            not_passed=queries.recommendations_not_passed(panel),
            overdue=list(queries.overdue_in(panel)),
            questions=queries.questions_of(panel, answered_only=True),
            sessions=queries.sessions_of(panel),
            can_use_workspace=rules.can_use_workspace(request.user, panel),
        ),
    )


@rule_required(rules.can_view_recommendation, load=queries.visible_recommendation)
def recommendation_detail(request: HttpRequest, recommendation: Recommendation) -> HttpResponse:
    """One recommendation: its text, its vote result and the organisation's answers."""
    user = request.user
    contribution = recommendation.contribution
    answers: dict[str, Any] = {"responses": [], "decisions": []}
    if contribution is not None:
        answers = spine_queries.answers_of(contribution)
    return render(
        request,
        "panels/deliberation/recommendation_detail.html",
        _context(
            recommendation.panel,
            recommendation=recommendation,
            contribution=contribution,
            can_vote=rules.can_vote(user, recommendation),
            my_vote=queries.my_votes(user, recommendation.panel).get(recommendation.pk),
            can_answer=contribution is not None and spine_rules.can_answer(user, contribution),
            can_use_workspace=rules.can_use_workspace(user, recommendation.panel),
            **answers,
        ),
    )


# --- Coordinators: sessions, the vote and members ----------------------------------------------


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def session_add(request: SignedInRequest, panel: Panel) -> HttpResponse:
    form = forms.SessionForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions_deliberation.session_create(
            panel=panel, by=request.user, **form.fields_for_action()
        ),
        success=lambda session: reverse("panels:session_edit", args=[session.pk]),
        message=_("The session is added. Add its evidence papers below."),
    )
    return done or render(
        request,
        "panels/deliberation/session_form.html",
        _context(panel, form=form, title=_("Add a session")),
    )


@rule_required(rules.can_manage_session, load=queries.visible_session, staff=True)
@require_http_methods(["GET", "POST"])
def session_edit(request: SignedInRequest, session: Session) -> HttpResponse:
    """Change a session, and add or remove its evidence papers (three forms, one page)."""
    panel = session.panel
    here = reverse("panels:session_edit", args=[session.pk])
    remove = _posted_pk(request, "remove_paper") if request.method == "POST" else None
    if remove is not None:
        paper = get_object_or_404(session.papers, pk=remove)
        actions_deliberation.evidence_remove(paper=paper, by=request.user)
        messages.success(request, _("The paper “%(title)s” is removed.") % {"title": paper.title})
        return redirect(here)
    adding_paper = request.method == "POST" and f"{forms.EvidenceForm.prefix}-title" in request.POST
    form = forms.SessionForm(
        request.POST if request.method == "POST" and not adding_paper else None,
        initial=forms.SessionForm.initial_for(session),
    )
    paper_form = forms.EvidenceForm(request.POST if adding_paper else None)
    done = (
        handle_form(
            request,
            paper_form,
            lambda data: actions_deliberation.evidence_add(
                session=session, by=request.user, **data
            ),
            success=f"{here}#papers",
            message=_("The paper is added."),
        )
        if adding_paper
        else handle_form(
            request,
            form,
            lambda data: actions_deliberation.session_update(
                session=session, by=request.user, **form.fields_for_action()
            ),
            success=here,
            message=_("The session is saved."),
        )
    )
    return done or render(
        request,
        "panels/deliberation/session_form.html",
        _context(
            panel,
            form=form,
            paper_form=paper_form,
            session=session,
            papers=session.papers.all(),
            title=_("Change the session"),
        ),
    )


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def voting(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Open the members' vote on the drafts, or close it and publish the results. Nobody, the
    coordinators included, sees how anyone voted: the page shows totals after closing."""
    errors: list[str] = []
    if request.method == "POST":
        choice = request.POST.get("action", "")
        try:
            if choice == "open":
                actions_deliberation.voting_open(panel=panel, by=request.user)
                messages.success(request, _("The vote is open. Members can vote now."))
                return redirect(reverse("panels:voting", args=[panel.pk]))
            if choice == "close":
                results = actions_deliberation.voting_close(panel=panel, by=request.user)
                passed = sum(r.status == RecommendationStatus.PUBLISHED for r in results)
                messages.success(
                    request,
                    _(
                        "The vote is closed. %(passed)s of %(total)s recommendations reached the "
                        "threshold and are published."
                    )
                    % {"passed": passed, "total": len(results)},
                )
                return redirect(reverse("panels:voting", args=[panel.pk]))
            errors.append(_("Choose to open or to close the vote."))
        except ValidationError as error:
            errors.extend(error.messages)
    in_progress = list(queries.recommendations_in_progress(panel))
    return render(
        request,
        "panels/deliberation/voting.html",
        _context(
            panel,
            errors=errors,
            voting_round=queries.open_round(panel),
            drafts=[r for r in in_progress if r.status == RecommendationStatus.DRAFT],
            in_vote=[r for r in in_progress if r.status == RecommendationStatus.VOTING],
            published=queries.published_recommendations(panel),
            not_passed=queries.recommendations_not_passed(panel),
            uncounted=queries.recommendations_uncounted(panel),
            members=panel.members.count(),
        ),
        status=400 if errors else 200,
    )


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def members(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """The panel's members: add one by their account's email address, or remove one."""
    here = reverse("panels:members", args=[panel.pk])
    remove = _posted_pk(request, "remove") if request.method == "POST" else None
    if remove is not None:
        member = get_object_or_404(panel.members.select_related("user"), pk=remove)
        actions_deliberation.member_remove(member=member, by=request.user)
        messages.success(
            request, _("%(email)s is no longer a member.") % {"email": member.user.email}
        )
        return redirect(here)
    registrants = queries.linkable_registrants(panel)
    form = forms.MemberForm(request.POST or None, registrants=registrants)
    done = handle_form(
        request,
        form,
        lambda data: actions_deliberation.member_add(panel=panel, by=request.user, **data),
        success=here,
        message=lambda member: _("%(email)s is a member now.") % {"email": member.user.email},
    )
    return done or render(
        request,
        "panels/deliberation/members.html",
        _context(panel, form=form, members=queries.members_of(panel)),
    )
