"""Every write of residents' proposals for the standards (decision 0089).

A proposal is a contribution of the service's open user assessment (the spine's kind
STANDARD_PROPOSAL): a new standard, or a comment on one standard of the version the assessment
uses. Staff answer it and move its status through the spine's own pages; those who keep the
framework take it into the draft version, which adds a standard and records what it became.

Each action checks its own rule (PermissionDenied), so the pages and an API behave the same.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import User
from coproduce.assessment import actions_framework, rules
from coproduce.assessment.models import (
    STANDARD_PROPOSAL,
    Assessment,
    Framework,
    FrameworkVersion,
    Standard,
    StandardProposal,
    VersionStatus,
)
from coproduce.common.permissions import require
from coproduce.contributions.actions import contribution_set_status, contribution_start
from coproduce.contributions.kinds import Workflow
from coproduce.contributions.models import AuthorDisplay

# Where a proposal stands: received, being considered, then taken into the draft or not (with why).
PROPOSAL_WORKFLOW = Workflow(
    choices=[
        ("received", _("Received")),
        ("considering", _("Being considered")),
        ("taken_in", _("Taken into the draft standards")),
        ("not_taken", _("Not taken in")),
    ],
    initial="received",
    transitions={
        "received": ["considering", "taken_in", "not_taken"],
        "considering": ["taken_in", "not_taken"],
    },
    needs_reason=["not_taken"],
    colours={
        "received": "govuk-tag--grey",
        "considering": "govuk-tag--blue",
        "taken_in": "govuk-tag--green",
        "not_taken": "govuk-tag--orange",
    },
    # Set by proposal_take_in only, which adds the standard too (decision 0127).
    reserved={"taken_in"},
    reserved_message=_(
        "Use “Take it into the draft standards” on the proposal’s page: that adds the standard too."
    ),
)
TAKEN_IN = "taken_in"

TEXT_MIN, TEXT_MAX = 10, 500
WHY_MAX = 2000


def _one_line(text: str) -> str:
    """The words with their spaces and line breaks made single spaces."""
    return " ".join(text.split())


def _check_proposal(
    assessment: Assessment, author: User, text: str, why: str, standard: Standard | None
) -> None:
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = gettext("Write your proposal.")
    elif len(text) < TEXT_MIN:
        errors["text"] = gettext("Write your proposal in %(count)d characters or more.") % {
            "count": TEXT_MIN
        }
    elif len(text) > TEXT_MAX:
        errors["text"] = gettext("Your proposal must be %(count)d characters or fewer.") % {
            "count": TEXT_MAX
        }
    elif StandardProposal.objects.filter(
        framework_id=assessment.version.framework_id,
        contribution__author=author,
        text__iexact=text,
    ).exists():
        errors["text"] = gettext(
            "You have already sent this proposal for these standards. Staff will answer it: "
            "you can see it in your contributions."
        )
    if len(why) > WHY_MAX:
        errors["why"] = gettext("Why it matters must be %(count)d characters or fewer.") % {
            "count": WHY_MAX
        }
    if standard is not None and standard.version_id != assessment.version_id:
        errors["standard"] = gettext("Choose one of the standards this assessment uses.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def proposal_add(
    *,
    assessment: Assessment,
    author: User,
    text: str,
    why: str = "",
    standard: Standard | None = None,
    author_display: str = AuthorDisplay.FIRST_NAME,
) -> StandardProposal:
    """Propose a new standard, or comment on one (``standard``), while a user assessment of the
    service is open. Published at once unless the activity or the spam guard holds it; staff
    answer it through the spine."""
    require(rules.can_propose(author, assessment))
    # One proposal at a time per framework, so the same words cannot slip in twice at once.
    Framework.objects.select_for_update().filter(pk=assessment.version.framework_id).first()
    text, why = _one_line(text), why.strip()
    _check_proposal(assessment, author, text, why, standard)
    contribution = contribution_start(
        activity=assessment.activity,
        kind=STANDARD_PROPOSAL,
        author=author,
        author_display=author_display,
        text=f"{text}\n{why}" if why else text,
    )
    proposal = StandardProposal(
        contribution=contribution,
        framework_id=assessment.version.framework_id,
        standard=standard,
        text=text,
        why=why,
    )
    proposal.full_clean(exclude=["contribution", "framework", "standard", "became"])
    proposal.save()
    return proposal


def can_still_take_in(proposal: StandardProposal) -> bool:
    """Whether the proposal's status lets it be taken in (received or being considered) and it
    has not been already."""
    status = proposal.contribution.status
    return proposal.became_id is None and TAKEN_IN in PROPOSAL_WORKFLOW.next_statuses(status)


@transaction.atomic
def proposal_take_in(
    *,
    proposal: StandardProposal,
    by: User,
    theme: str,
    statement: str,
    evidence_prompt: str = "",
) -> StandardProposal:
    """Take a proposal into the draft standards: add the standard it became to the draft
    version, and move it to "Taken into the draft standards" (its author and followers hear)."""
    require(rules.can_take_in(by, proposal))
    # Read afresh and locked (its status too), so that it is taken in once.
    locked = StandardProposal.objects.select_for_update().get(pk=proposal.pk)
    if not can_still_take_in(locked):
        raise ValidationError(
            gettext("This proposal is “%(status)s”, so it cannot be taken in now.")
            % {"status": locked.contribution.get_status_display().lower()}
        )
    draft = FrameworkVersion.objects.filter(
        framework_id=locked.framework_id, status=VersionStatus.DRAFT
    ).first()
    if draft is None:
        raise ValidationError(
            gettext(
                "The standards have no draft version to take it into. Start a new version of "
                "the standards, then take the proposal in."
            )
        )
    standard = actions_framework.standard_add(
        version=draft, by=by, theme=theme, statement=statement, evidence_prompt=evidence_prompt
    )
    locked.became = standard
    locked.save(update_fields=["became"])
    contribution_set_status(
        contribution=locked.contribution,
        to_status=TAKEN_IN,
        changed_by=by,
        reason=gettext("Added to the draft of version %(number)d as “%(statement)s”.")
        % {"number": draft.number, "statement": standard.statement},
        by_method=True,  # the one way to "taken_in": the standard is added above
    )
    return locked
