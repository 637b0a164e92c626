"""The project's exports for "Download my data", and the user fields deliberately left out.

Loaded once by ``PrivacyConfig.ready()``. A new model with a field pointing at a person fails
``tests/test_coverage.py`` until it is added here: as an export (``via`` that field) or as an
exclusion with its reason (decision 0097). Children (``parent=``) follow their parent.

``only``/``exclude`` keep out secrets and hashes, and other people's data in rows the person
reaches only as staff (a moderator sees whose contribution they moderated, not its words again).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import User
from coproduce.contributions.kinds import registered
from coproduce.contributions.models import Contribution
from coproduce.privacy.registry import Export, exclude, register

# --- Exclusions: the user fields that lead to no export, and why. -------------------------------
EXCLUSIONS = {
    # Django's admin log of the changes staff made through the admin site. Each entry names the
    # record changed (``object_repr``), usually someone else's; it is kept to account for staff
    # actions. An operator gives it to a member of staff who asks (a subject access request).
    "admin.LogEntry.user": (
        "The admin site's log of changes staff made to records: it names other people's records "
        "and is kept to account for staff actions. Ask the operator for it."
    ),
}

# Models that are a contribution's own row (one-to-one with Contribution) but come through their
# own person field rather than as a child of "contributions", and why.
DETAILS_ELSEWHERE = {
    "insight.SurveySubmission": "survey_submissions, through respondent (with the answers)",
    "commissioning.Weighting": "commissioning_weightings, through person (with the points)",
}


def contribution_extra(contribution: Contribution) -> dict[str, Any]:
    """A contribution's kind in words, its title and its address."""
    if not registered(contribution.kind):  # its app was taken out: the code is all there is
        return {"kind_name": contribution.kind, "title": "", "link": ""}
    return {
        "kind_name": contribution.get_kind_display(),
        "title": contribution.title,
        "link": settings.SITE_URL + contribution.get_absolute_url(),
    }


# Equality answers that are not one of the census categories.
OTHER_QUESTIONS = {"postcode_district": _("The first half of your postcode")}


def equality_rows(user: User) -> Iterator[dict[str, Any]]:
    """The person's equality answers, decrypted, one question a row, with the words of each
    question and answer beside their codes."""
    from coproduce.equality.categories import CATEGORIES
    from coproduce.equality.models import EqualityRecord

    record = EqualityRecord.objects.filter(user=user).first()
    if record is None:
        return
    answers = record.decrypted()
    known = {category.code: category for category in CATEGORIES}
    order = [code for code in known if code in answers] + sorted(set(answers) - set(known))
    for code in order:
        category = known.get(code)
        yield {
            "question": str(category.question if category else OTHER_QUESTIONS.get(code, code)),
            "answer": category.label(answers[code]) if category else answers[code],
            "question_code": code,
            "answer_code": answers[code],
            "consented_at": record.consented_at,
            "consent_version": record.consent_version,
            "updated_at": record.updated_at,
        }


def _detail(name: str, model: str, about: Any) -> Export:
    """A kind of contribution's own row (its words), for the person's contributions."""
    return Export(name, model, about, parent=("contributions", "contribution"))


EXPORTS = [
    # --- The account and signing in -----------------------------------------------------------
    Export(
        "account",
        "accounts.User",
        _(
            "Your account: your email address, name, when you joined and last signed in. Your "
            "password is not included: we keep only a scrambled form of it that cannot be read."
        ),
        via=("pk",),
        exclude=("password",),
    ),
    Export(
        "email_addresses",
        "account.EmailAddress",
        _("Your email addresses and whether you confirmed them."),
        via=("user",),
    ),
    Export(
        "sign_in_methods",
        "mfa.Authenticator",
        _(
            "The two-factor authentication you set up: the kind, when you set it up and last "
            "used it. Its secret codes are not included."
        ),
        via=("user",),
        exclude=("data",),
    ),
    Export(
        "api_tokens",
        "accounts.ApiToken",
        _(
            "Your API tokens: their names and dates. The tokens themselves are not included: we "
            "keep only a scrambled form of them."
        ),
        via=("user",),
        exclude=("token_hash", "prefix"),
    ),
    Export(
        "email_settings",
        "notifications.NotificationSettings",
        _("What you chose to be emailed about, how often, and in which language."),
        via=("user",),
    ),
    Export(
        "notifications",
        "notifications.Notification",
        _("The news we sent you on the site and by email."),
        via=("user",),
    ),
    Export(
        "organisation_roles",
        "organisations.Membership",
        _("Your roles in organisations on the site."),
        via=("user",),
    ),
    Export(
        "data_exports",
        "privacy.DataExport",
        _("Your requests to download your data, this one included."),
        via=("user",),
        exclude=("file", "error"),
    ),
    Export(
        "equality_answers",
        "equality.EqualityRecord",
        _(
            "Your answers to the equality questions (age, ethnic group, disability and so on), "
            "which only you can see, and when you gave your consent."
        ),
        via=("user",),
        rows=equality_rows,
        optional=True,
    ),
    # --- What you said and did ----------------------------------------------------------------
    Export(
        "contributions",
        "contributions.Contribution",
        _(
            "Everything you contributed: ideas, comments, answers to surveys, stories and more, "
            "with its status. The files below whose names start with a kind of contribution hold "
            "their words."
        ),
        via=("author",),
        extra_columns=contribution_extra,
    ),
    _detail("ideas", "codesign.Idea", _("The words of your ideas.")),
    _detail("comments", "codesign.Comment", _("The words of your comments and questions.")),
    _detail("stories", "insight.Story", _("The words of your stories.")),
    _detail("assets", "insight.Asset", _("The places and groups you told us about.")),
    _detail("budget_proposals", "budgeting.Proposal", _("The projects you proposed for a budget.")),
    _detail("opinion_statements", "conversations.Statement", _("Your statements in opinion maps.")),
    _detail("panel_questions", "panels.PanelQuestion", _("Your questions to citizen panels.")),
    _detail(
        "panel_recommendations",
        "panels.Recommendation",
        _("Citizen panel recommendations posted in your name."),
    ),
    _detail("findings", "assessment.Finding", _("Findings of assessments posted in your name.")),
    _detail(
        "standard_proposals",
        "assessment.StandardProposal",
        _("The standards you proposed for a service."),
    ),
    _detail("meeting_questions", "governance.Question", _("Your questions to board meetings.")),
    Export(
        "answers_to_your_contributions",
        "contributions.Response",
        _("The official answers to your contributions."),
        parent=("contributions", "contribution"),
    ),
    Export(
        "status_changes_of_your_contributions",
        "contributions.StatusChange",
        _("How the status of your contributions changed, and why."),
        parent=("contributions", "contribution"),
    ),
    Export(
        "reports",
        "contributions.Report",
        _("Contributions you reported to the moderators, and why."),
        via=("reporter",),
    ),
    Export(
        "follows",
        "contributions.Follow",
        _("The services, activities and contributions you follow."),
        via=("user",),
    ),
    Export("supports", "codesign.Support", _("The ideas you support."), via=("user",)),
    Export(
        "comment_agreements",
        "codesign.Agreement",
        _("The comments you agreed with."),
        via=("user",),
    ),
    Export(
        "survey_submissions",
        "insight.SurveySubmission",
        _("The surveys you answered while signed in."),
        via=("respondent",),
        exclude=("confirmation_token_hash",),
    ),
    Export(
        "survey_answers",
        "insight.Answer",
        _("Your answer to each question of those surveys."),
        parent=("survey_submissions", "submission"),
    ),
    Export(
        "outcome_check_answers",
        "outcomes.CheckAnswer",
        _("Your ratings when a service asked how it is doing."),
        via=("respondent",),
    ),
    Export(
        "ballots",
        "budgeting.Ballot",
        _("Your ballots in participatory budgets."),
        via=("voter",),
    ),
    Export(
        "ballot_choices",
        "budgeting.BallotChoice",
        _("The projects you chose on each ballot."),
        parent=("ballots", "ballot"),
    ),
    Export(
        "opinion_maps",
        "conversations.Participant",
        _("The opinion maps you took part in."),
        via=("user",),
        exclude=("key",),
    ),
    Export(
        "opinion_map_votes",
        "conversations.Vote",
        _("Your votes on statements in those opinion maps (agree, disagree or pass)."),
        parent=("opinion_maps", "participant"),
    ),
    Export(
        "panel_memberships",
        "panels.PanelMember",
        _("The citizen panels you are a member of."),
        via=("user",),
    ),
    Export(
        "panel_votes",
        "panels.RecommendationVote",
        _("Your votes on citizen panel recommendations."),
        parent=("panel_memberships", "member"),
    ),
    Export(
        "panel_registrations",
        "panels.Registrant",
        _("Your registration for those panels and whether you were chosen."),
        parent=("panel_memberships", "member"),
        exclude=("registration_code",),
    ),
    Export(
        "panel_registration_details",
        "panels.RegistrationData",
        _("What you told us when you registered for a panel, while we still keep it."),
        parent=("panel_registrations", "registrant"),
    ),
    Export(
        "commissioning_weightings",
        "commissioning.Weighting",
        _("How you weighted what matters in a commissioning round."),
        via=("person",),
    ),
    Export(
        "commissioning_weighting_points",
        "commissioning.WeightingPoints",
        _("The points you gave to each criterion."),
        parent=("commissioning_weightings", "weighting"),
    ),
    Export(
        "board_memberships",
        "governance.Membership",
        _("The boards you are a member of."),
        via=("user",),
    ),
    Export(
        "board_attendance",
        "governance.Attendance",
        _("Your attendance at those boards' meetings."),
        parent=("board_memberships", "membership"),
    ),
    Export(
        "board_votes",
        "governance.Vote",
        _("How you voted on those boards' decisions."),
        parent=("board_memberships", "membership"),
    ),
    Export(
        "meeting_registrations",
        "governance.Registration",
        _("The board meetings you booked a seat at, with the access needs you told us."),
        via=("user",),
    ),
    Export(
        "assessment_responses",
        "assessment.Response",
        _("Your answers to assessments of services."),
        via=("person",),
    ),
    Export(
        "assessment_ratings",
        "assessment.Rating",
        _("Your rating of each standard in those assessments."),
        parent=("assessment_responses", "response"),
    ),
    Export(
        "assessor_roles",
        "assessment.Assessor",
        _("The peer reviews and self-reflections you assessed in."),
        via=("person",),
    ),
    Export(
        "assessor_ratings",
        "assessment.AssessorRating",
        _("Your ratings and evidence as an assessor."),
        parent=("assessor_roles", "assessor"),
    ),
    Export(
        "mystery_shopping_assignments",
        "assessment.Assignment",
        _("Your mystery shopping assignments."),
        via=("shopper",),
    ),
    Export(
        "mystery_shopping_reports",
        "assessment.ShopReport",
        _("Your mystery shopping reports."),
        parent=("mystery_shopping_assignments", "assignment"),
    ),
    Export(
        "mystery_shopping_evidence",
        "assessment.Evidence",
        _(
            "The files you added to those reports: their descriptions and sizes. The files "
            "themselves are not in this download; ask the service for them."
        ),
        parent=("mystery_shopping_reports", "report"),
        exclude=("file",),
    ),
    Export(
        "coaching_sessions",
        "assessment.CoachingSession",
        _("Coaching sessions you led, recorded or took part in."),
        via=("coach", "created_by", "participants"),
    ),
    Export(
        "bid_openings",
        "commissioning.BidAccess",
        _("Each time you opened a bid, as the record kept of who opened bids."),
        via=("person",),
    ),
    Export(
        "evaluator_roles",
        "commissioning.Evaluator",
        _("The commissioning rounds you evaluated bids in."),
        via=("person",),
    ),
    Export(
        "evaluator_declarations",
        "commissioning.Declaration",
        _("Your declarations of interest as an evaluator."),
        parent=("evaluator_roles", "evaluator"),
    ),
    Export(
        "evaluator_scores",
        "commissioning.Score",
        _("Your scores of bids as an evaluator."),
        parent=("evaluator_roles", "evaluator"),
    ),
    Export(
        "clarification_questions",
        "commissioning.Clarification",
        _("Questions about commissioning rounds that you asked or answered."),
        via=("asked_by", "answered_by"),
    ),
    # --- Work done for an organisation: what the site records as done by you ----------------
    Export(
        "bids_started",
        "commissioning.Bid",
        _("Bids you started for your organisation."),
        via=("created_by",),
    ),
    Export(
        "activities_created",
        "services.Activity",
        _("Activities you set up for a service."),
        via=("created_by",),
    ),
    Export(
        "contributions_moderated",
        "contributions.Contribution",
        _("Contributions you moderated: which, when, and whether they were shown or hidden."),
        via=("moderated_by",),
        only=("id", "activity", "kind", "visibility", "moderated_at"),
    ),
    Export(
        "responses_written",
        "contributions.Response",
        _("Official answers you wrote."),
        via=("author",),
    ),
    Export(
        "status_changes_made",
        "contributions.StatusChange",
        _("Statuses you gave to contributions, and your reasons."),
        via=("changed_by",),
    ),
    Export(
        "reports_reviewed",
        "contributions.Report",
        _("Reports you reviewed as a moderator: which, when and the outcome."),
        via=("reviewed_by",),
        only=("id", "contribution", "status", "reviewed_at"),
    ),
    Export(
        "decisions_recorded",
        "contributions.Decision",
        _("Decisions you recorded."),
        via=("recorded_by",),
    ),
    Export(
        "measurements_recorded",
        "outcomes.Measurement",
        _("Values of outcome indicators you recorded."),
        via=("recorded_by",),
    ),
    Export(
        "supports_thresholds_set",
        "codesign.SupportsThreshold",
        _("Supports thresholds you set for idea challenges."),
        via=("updated_by",),
    ),
    Export(
        "delivery_updates_written",
        "budgeting.DeliveryUpdate",
        _("Updates you wrote on the delivery of budget projects."),
        via=("by",),
    ),
    Export(
        "paper_ballots_entered",
        "budgeting.PaperEntry",
        _("Paper ballots you typed in: which and when (not how those people voted)."),
        via=("entered_by",),
        only=("id", "budget", "paper_reference", "entered_at"),
    ),
    Export(
        "budget_counts_requested",
        "budgeting.Count",
        _("Counts of budget votes you started."),
        via=("requested_by",),
        only=("id", "budget", "status", "requested_at", "finished_at"),
    ),
    Export(
        "panel_draws_requested",
        "panels.Selection",
        _("Draws of citizen panels you started (not who was drawn)."),
        via=("requested_by",),
        only=("id", "panel", "algorithm", "status", "committed_at", "revealed_at", "finished_at"),
    ),
    Export(
        "recommendations_drafted",
        "panels.Recommendation",
        _("Citizen panel recommendations you drafted."),
        via=("drafted_by",),
    ),
    Export(
        "agreed_scores_recorded",
        "commissioning.AgreedScore",
        _("Agreed scores of bids you recorded."),
        via=("agreed_by",),
    ),
    Export(
        "awards_decided",
        "commissioning.Award",
        _("Contract awards you recorded."),
        via=("decided_by",),
    ),
    Export(
        "framework_versions",
        "assessment.FrameworkVersion",
        _("Versions of a service's standards you wrote, agreed or helped to write."),
        via=("created_by", "agreed_by", "co_authors"),
    ),
    Export(
        "assessments",
        "assessment.Assessment",
        _("Assessments of services you set up, coordinated or published."),
        via=("created_by", "published_by", "coordinator"),
    ),
    Export(
        "assessment_responses_entered",
        "assessment.Response",
        _("Paper assessment forms you typed in: which and when (not the answers)."),
        via=("entered_by",),
        only=("id", "assessment", "created_at"),
    ),
    Export(
        "assessors_added",
        "assessment.Assessor",
        _("Assessors you added to an assessment: which assessment and when (not who)."),
        via=("added_by",),
        only=("id", "assessment", "added_at"),
    ),
    Export(
        "agreed_ratings_recorded",
        "assessment.AgreedRating",
        _("Agreed ratings you recorded."),
        via=("updated_by",),
    ),
    Export(
        "improvement_actions_created",
        "assessment.ImprovementAction",
        _("Improvement actions you added."),
        via=("created_by",),
    ),
    Export(
        "indicator_links_created",
        "assessment.IndicatorLink",
        _("Links you made between standards and outcome indicators."),
        via=("created_by",),
    ),
]


def load() -> None:
    """Register the exports and exclusions above (once, from ``PrivacyConfig.ready()``)."""
    for export in EXPORTS:
        register(export)
    for path, reason in EXCLUSIONS.items():
        exclude(path, reason)
