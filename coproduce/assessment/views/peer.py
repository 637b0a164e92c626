"""Peer reviews: the team and the visit (staff), each assessor's own ratings, and the team's ratings
side by side with how far they agree (decision 0083).

A peer team is private. Its pages answer 404 to everyone who may not use them, signed in or not, so
that nobody can find out who is on a team, or whether someone has handed in: the team page to all
but the service's administrators and professionals (until the report is published), "My ratings"
to all but the team's members, the team's ratings to all but the service's staff and the members
who have handed in theirs (independence: nobody sees the others' ratings before rating). Every page
works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.assessment import actions_peer as actions
from coproduce.assessment import queries_peer as queries
from coproduce.assessment import rules
from coproduce.assessment.forms_peer import WHICH_FORM, AssessorForm, AssessorRatingsForm, VisitForm
from coproduce.assessment.models import Assessment, Assessor
from coproduce.assessment.queries_assessments import standards_of
from coproduce.assessment.views.common import assessment_page, numbered_themes
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required

# --- Rules of the pages about a team member, or for the team ----------------------------------


def _can_manage_assessor(user: Visitor, assessor: Assessor) -> bool:
    """Manage the team the assessor is on (whether they can still be removed is the page's to
    say)."""
    return rules.can_manage_team(user, assessor.assessment)


def _on_team(user: Visitor, assessment: Assessment) -> bool:
    """A member of the review's peer team (whether they can still change their ratings is the
    page's to say)."""
    return rules.assessor_of(user, assessment) is not None


def _team_url(assessment: Assessment) -> str:
    return reverse("assessment:team", args=[assessment.pk])


# --- Staff: the team and the visit --------------------------------------------------------------


@rule_required(rules.can_manage_team, load=queries.peer_assessment, staff=True, hide=True)
@require_http_methods(["GET", "POST"])
def team(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """The visit's date and place, the team with its lead and where each member stands, and adding
    someone. The page has two forms: a hidden field says which one was sent."""
    sent = request.POST.get(WHICH_FORM) if request.method == "POST" else None
    visit_form = VisitForm(
        request.POST if sent == "visit" else None,
        initial={"visit_on": assessment.visit_on, "visit_place": assessment.visit_place},
    )
    assessor_form = AssessorForm(request.POST if sent == "assessor" else None)
    if sent == "visit":
        done = handle_form(
            request,
            visit_form,
            lambda data: actions.visit_schedule(assessment=assessment, by=request.user, **data),
            success=_team_url(assessment),
            message=_("The visit is saved."),
        )
    else:
        done = handle_form(
            request,
            assessor_form,
            lambda data: actions.assessor_add(assessment=assessment, by=request.user, **data),
            success=_team_url(assessment),
            message=lambda added: (
                _("%(name)s is on the team.") % {"name": added.person}
                + (" " + _("They lead it.") if added.is_lead else "")
            ),
        )
    if done:
        return done
    members = queries.team(assessment)
    return render(
        request,
        "assessment/peer/team.html",
        assessment_page(
            assessment,
            visit_form=visit_form,
            assessor_form=assessor_form,
            members=members,
            team_max=actions.TEAM_MAX,
            handed_in=sum(member.handed_in for member in members),
            standard_count=assessment.version.standards.count(),
        ),
    )


@rule_required(_can_manage_assessor, load=queries.visible_assessor, staff=True, hide=True)
@require_http_methods(["GET", "POST"])
def assessor_remove(request: SignedInRequest, assessor: Assessor) -> HttpResponse:
    """Ask, then take someone off the team (not once they have handed in their ratings)."""
    assessment = assessor.assessment
    errors: list[str] = []
    if request.method == "POST":
        try:
            actions.assessor_remove(assessor=assessor, by=request.user)
        except ValidationError as error:
            errors = error.messages
            assessor.refresh_from_db()
        else:
            messages.success(
                request, _("%(name)s is no longer on the team.") % {"name": assessor.person}
            )
            return redirect(_team_url(assessment))
    return render(
        request,
        "assessment/peer/assessor_remove.html",
        assessment_page(assessment, assessor=assessor, errors=errors),
    )


# --- An assessor's own ratings ------------------------------------------------------------------


@rule_required(_on_team, load=queries.peer_assessment, hide=True)
@require_http_methods(["GET", "POST"])
def assessor_rate(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    """Rate every standard on one's own, with evidence: save and come back later, or hand in (which
    is final, and opens the team's ratings). After that the page goes to the team's ratings."""
    assessor = rules.assessor_of(request.user, assessment)
    assert assessor is not None
    if not rules.can_rate_as_assessor(request.user, assessment):
        if assessor.submitted_at is not None:
            if request.method == "POST":
                messages.info(request, _("You have handed in your ratings, so they cannot change."))
            return redirect("assessment:team_ratings", assessment.pk)
        messages.info(request, _("The team’s report is published, so ratings cannot change."))
        return redirect("assessment:report", assessment.pk)
    standards = standards_of(assessment.version)
    saved = queries.own_ratings(assessor)
    form = AssessorRatingsForm(
        request.POST if request.method == "POST" else None, standards=standards, answers=saved
    )
    hand_in = "hand_in" in request.POST
    done = handle_form(
        request,
        form,
        lambda _data: actions.assessor_ratings_save(
            assessment=assessment, person=request.user, ratings=form.ratings(), hand_in=hand_in
        ),
        success=reverse(
            "assessment:team_ratings" if hand_in else "assessment:assessor_rate",
            args=[assessment.pk],
        ),
        message=_(
            "Thank you. Your ratings are handed in. Here are the ratings of everyone on the team "
            "who has handed in theirs."
        )
        if hand_in
        else _("Your ratings are saved. Come back to finish them, then hand them in."),
    )
    if done:
        return done
    themes = numbered_themes(form)
    return render(
        request,
        "assessment/peer/assessor_rate.html",
        assessment_page(
            assessment,
            form=form,
            themes=themes,
            assessor=assessor,
            standard_count=len(standards),
            saved_count=len(saved),
        ),
    )


# --- The team's ratings side by side ------------------------------------------------------------


@rule_required(rules.can_see_team_ratings, load=queries.peer_assessment, hide=True)
@require_GET
def team_ratings(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Per theme, each standard's ratings by every assessor who has handed in, their evidence and
    the spread; then how far the assessors agree. Names are shown to the service's staff only."""
    staff = rules.can_keep_assessment(request.user, assessment)
    return render(
        request,
        "assessment/peer/team_ratings.html",
        assessment_page(
            assessment,
            ratings=queries.team_ratings(assessment, request.user, names=staff),
            staff=staff,
            can_manage_team=rules.can_manage_team(request.user, assessment),
            assessor=rules.assessor_of(request.user, assessment),
        ),
    )
