"""Residents' proposals for the standards (decision 0089).

Public pages: proposing a new standard or a comment on one (signed in, while a user assessment of
the service is open), one proposal with its status, the service's answers and the draft standard
it became, and the service's proposals. Staff page: taking a proposal into the draft standards.
Answers and statuses are the spine's own pages, so proposals wait in the inbox like anything
people said.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.assessment import actions_proposals as actions
from coproduce.assessment import queries_proposals as queries
from coproduce.assessment import rules
from coproduce.assessment.forms_proposals import COMMENT, NEW, ProposalForm, TakeInForm
from coproduce.assessment.models import Assessment, StandardProposal
from coproduce.assessment.queries_framework import display_order, draft_of
from coproduce.assessment.views.common import assessment_page
from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required, signed_in
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import Visibility
from coproduce.contributions.rules import can_view_contribution
from coproduce.services.models import Service
from coproduce.services.queries import visible_service
from coproduce.services.rules import can_view_service


def _can_view_proposal(user: Visitor, proposal: StandardProposal) -> bool:
    return can_view_contribution(user, proposal.contribution)


def _sent_message(proposal: StandardProposal) -> str:
    if proposal.contribution.visibility == Visibility.PUBLISHED:
        return _(
            "Thank you. Your proposal is sent. The service’s staff will answer it here, and we "
            "will email you when they do."
        )
    return _(
        "Thank you. A moderator will check your proposal before other people can see it. The "
        "service’s staff will answer it here, and we will email you when they do."
    )


@rule_required(signed_in, load=queries.proposal_assessment)
@require_http_methods(["GET", "POST"])
def propose(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Propose a new standard, or comment on one (``?standard=<pk>`` chooses it), while the
    assessment is open; once it has closed, say so (a form sent then is refused)."""
    if not rules.can_propose(request.user, assessment):
        return render(
            request,
            "assessment/proposals/propose_closed.html",
            assessment_page(assessment, refused=request.method == "POST"),
            status=403 if request.method == "POST" else 200,
        )
    standards = queries.proposable_standards(assessment)
    chosen = request.GET.get("standard", "")
    initial = {"about": COMMENT, "standard": chosen} if chosen else {"about": NEW}
    form = ProposalForm(
        request.POST if request.method == "POST" else None, standards=standards, initial=initial
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.proposal_add(
            assessment=assessment,
            author=request.user,
            text=data["text"],
            why=data["why"],
            standard=data["standard"],
            author_display=data["author_display"],
        ),
        success=lambda proposal: proposal.get_absolute_url(),
        message=_sent_message,
    )
    return done or render(
        request, "assessment/proposals/propose.html", assessment_page(assessment, form=form)
    )


@rule_required(_can_view_proposal, load=queries.visible_proposal, hide=True)
@require_GET
def proposal(request: HttpRequest, proposal: StandardProposal) -> HttpResponse:
    """One proposal: what was proposed and why, the standard it is about, where it stands, the
    service's answers, and the draft standard it became."""
    user = request.user
    contribution = proposal.contribution
    activity = contribution.activity
    return render(
        request,
        "assessment/proposals/proposal.html",
        {
            "proposal": proposal,
            "contribution": contribution,
            "activity": activity,
            "service": activity.service,
            **spine_queries.answers_of(contribution),
            "history": contribution.status_changes.all(),
            "can_answer": spine_rules.can_answer(user, contribution),
            "can_set_status": spine_rules.can_set_status(user, contribution)
            and bool(actions.PROPOSAL_WORKFLOW.next_statuses(contribution.status)),
            "can_take_in": rules.can_take_in(user, proposal)
            and actions.can_still_take_in(proposal),
            "can_report": spine_rules.can_report(user, contribution),
            "can_keep": rules.can_keep_framework(user, activity.service),
        },
    )


@rule_required(can_view_service, load=visible_service, hide=True)
@require_GET
def proposals(request: HttpRequest, service: Service) -> HttpResponse:
    """The service's proposals for its standards, newest first, with where each stands."""
    page = paginate(request, queries.proposals_of(service, request.user))
    return render(
        request,
        "assessment/proposals/proposals.html",
        {
            "service": service,
            "page": page,
            "proposals": list(page.object_list),
            "open_assessment": queries.open_assessment(service),
        },
    )


@rule_required(rules.can_take_in, load=queries.visible_proposal, staff=True)
@require_http_methods(["GET", "POST"])
def proposal_take_in(request: SignedInRequest, proposal: StandardProposal) -> HttpResponse:
    """Add the standard a proposal became to the draft version: its theme, words and prompt."""
    url = proposal.get_absolute_url()
    if not actions.can_still_take_in(proposal):
        messages.info(
            request,
            _("This proposal is “%(status)s”, so it cannot be taken in now.")
            % {"status": proposal.contribution.get_status_display().lower()},
        )
        return redirect(url)
    service = proposal.contribution.activity.service
    draft = draft_of(service)
    form = None
    if draft is not None:
        themes = list(dict.fromkeys(s.theme for s in display_order(draft.standards.all())))
        form = TakeInForm(request.POST or None, proposal=proposal, themes=themes)
        done = handle_form(
            request,
            form,
            lambda data: actions.proposal_take_in(proposal=proposal, by=request.user, **data),
            success=url,
            message=lambda taken: (
                _("The proposal is in the draft of version %(number)d, as “%(statement)s”.")
                % {"number": draft.number, "statement": taken.became and taken.became.statement}
            ),
        )
        if done:
            return done
    return render(
        request,
        "assessment/proposals/take_in.html",
        {
            "proposal": proposal,
            "contribution": proposal.contribution,
            "activity": proposal.contribution.activity,
            "service": service,
            "draft": draft,
            "form": form,
        },
    )
