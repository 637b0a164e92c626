"""Reads of citizen panels: the live feasibility check, a selection's result by pool id, the
selection report's quota table and a registrant's own chance."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic_algorithms.sortition import InfeasibleQuotasError, Problem, SortitionInputError
from civic_algorithms.sortition.feasibility import Conflict, Relaxation, check_feasible
from civic_algorithms.sortition.groups import build_groups
from civic_algorithms.sortition.solver import PanelProgram
from coproduce.accounts.types import Visitor
from coproduce.common.languages import in_language
from coproduce.contributions.models import Decision, Response
from coproduce.panels import rules
from coproduce.panels.models import (
    ON_PANEL,
    EvidencePaper,
    Panel,
    PanelMember,
    PanelQuestion,
    Recommendation,
    RecommendationStatus,
    Registrant,
    RegistrationData,
    Selection,
    SelectionStatus,
    Session,
    VotingRound,
)
from coproduce.panels.pool import build_problem, pool
from coproduce.services.models import Service
from coproduce.services.queries import activity_seen_by

SERVICE = "activity__service_stage__service"


@dataclass(frozen=True)
class Feasibility:
    """Whether a panel meeting every quota can be drawn from the pool as it is now."""

    feasible: bool
    pool_size: int
    message: str
    conflicting: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """The message, the conflicting quotas and the smallest change, in one paragraph."""
        parts = [self.message]
        if self.conflicting:
            parts.append(
                _("These quotas conflict: %(list)s.") % {"list": "; ".join(self.conflicting)}
            )
        if self.suggestions:
            parts.append(
                _("The smallest change that makes a panel possible: %(list)s.")
                % {"list": "; ".join(self.suggestions)}
            )
        return " ".join(parts)


# (category, answer) as the engine names a quota → the two as a page shows them
QuotaNames = dict[tuple[str, str], tuple[str, str]]


def feasibility(panel: Panel) -> Feasibility:
    """Run the engine's feasibility check on the current pool and quotas; explain a failure."""
    registrants = pool(panel)
    if len(registrants) < panel.size:  # the usual case early on, worded here for translation
        return Feasibility(
            feasible=False,
            pool_size=len(registrants),
            message=ngettext(
                "The pool has %(pool)s person, fewer than the panel's %(size)s seats: wait for "
                "more registrations, or choose a smaller panel.",
                "The pool has %(pool)s people, fewer than the panel's %(size)s seats: wait for "
                "more registrations, or choose a smaller panel.",
                len(registrants),
            )
            % {"pool": len(registrants), "size": panel.size},
        )
    try:
        problem = build_problem(panel, registrants)
    except SortitionInputError as error:
        return Feasibility(feasible=False, pool_size=len(registrants), message=str(error))
    return problem_feasibility(problem, panel=panel)


def problem_feasibility(problem: Problem, *, panel: Panel | None = None) -> Feasibility:
    """Whether some panel of the problem meets every quota; if not, the conflicting quotas and
    the smallest change in the page's language (with ``panel``, its categories' own names)."""
    pool_size = len(problem.people)
    try:
        groups = build_groups(problem)
        check_feasible(problem, groups, PanelProgram(groups))
    except InfeasibleQuotasError as error:
        names = quota_names(panel) if panel is not None else {}
        return Feasibility(
            feasible=False,
            pool_size=pool_size,
            message=_("No panel from this pool meets every quota."),
            conflicting=tuple(conflict_text(conflict, names) for conflict in error.conflicts),
            suggestions=tuple(relaxation_text(change, names) for change in error.relaxations),
        )
    except SortitionInputError as error:
        return Feasibility(feasible=False, pool_size=pool_size, message=str(error))
    return Feasibility(
        feasible=True,
        pool_size=pool_size,
        message=_("A panel of %(size)s meeting every quota can be drawn from %(pool)s people.")
        % {"size": problem.panel_size, "pool": pool_size},
    )


def quota_names(panel: Panel) -> QuotaNames:
    """The panel's categories and answers in the page's language, by their engine names."""
    return {
        (category.name, feature.value): (
            in_language(category, "name"),
            in_language(feature, "value"),
        )
        for category in panel.categories.prefetch_related("features")
        for feature in category.features.all()
    }


def conflict_text(conflict: Conflict, names: QuotaNames | None = None) -> str:
    """One quota of a conflict in words: "Age: 16-29 – at least 5 members (3 people in the
    pool)"."""
    category, value = (names or {}).get(
        (conflict.feature, conflict.value), (conflict.feature, conflict.value)
    )
    in_pool = ngettext(
        "%(count)s person in the pool", "%(count)s people in the pool", conflict.in_pool
    ) % {"count": conflict.in_pool}
    if conflict.bound == "min":
        text = ngettext(
            "%(category)s: %(value)s – at least %(count)s member (%(in_pool)s)",
            "%(category)s: %(value)s – at least %(count)s members (%(in_pool)s)",
            conflict.limit,
        )
    else:
        text = ngettext(
            "%(category)s: %(value)s – at most %(count)s member (%(in_pool)s)",
            "%(category)s: %(value)s – at most %(count)s members (%(in_pool)s)",
            conflict.limit,
        )
    return text % {
        "category": category,
        "value": value,
        "count": conflict.limit,
        "in_pool": in_pool,
    }


def relaxation_text(relaxation: Relaxation, names: QuotaNames | None = None) -> str:
    """One change of the smallest relaxation in words: "lower the minimum of Age: 16-29 from 9
    to 5 members"."""
    category, value = (names or {}).get(
        (relaxation.feature, relaxation.value), (relaxation.feature, relaxation.value)
    )
    if relaxation.bound == "min":
        text = ngettext(
            "lower the minimum of %(category)s: %(value)s from %(current)s to %(count)s member",
            "lower the minimum of %(category)s: %(value)s from %(current)s to %(count)s members",
            relaxation.suggested,
        )
    else:
        text = ngettext(
            "raise the maximum of %(category)s: %(value)s from %(current)s to %(count)s member",
            "raise the maximum of %(category)s: %(value)s from %(current)s to %(count)s members",
            relaxation.suggested,
        )
    return text % {
        "category": category,
        "value": value,
        "current": relaxation.current,
        "count": relaxation.suggested,
    }


def by_pool_id(selection: Selection) -> dict[str, object]:
    """A selection's result with pool ids instead of registrant keys: what ``panel_select``
    prints and what anyone re-running the exported pool can compare."""
    ids = dict(
        Registrant.objects.filter(panel_id=selection.panel_id).values_list("pk", "external_id")
    )
    return {
        "panel": [ids[pk] for pk in selection.members],
        "probabilities": {ids[int(pk)]: p for pk, p in selection.probabilities.items()},
        "algorithm": selection.algorithm,
        "method": selection.method,
        "version": selection.version,
        "seed": selection.public_seed,
        "seed_sha256": selection.seed_hash,
        "statistics": selection.statistics,
    }


def probability_of(registrant: Registrant) -> float | None:
    """A registrant's chance in their panel's first draw (what they may see), or None before."""
    first = registrant.panel.selections.filter(replaces=None, status=SelectionStatus.DONE).first()
    if first is None:
        return None
    chance: float | None = first.probabilities.get(str(registrant.pk))
    return chance


@dataclass(frozen=True)
class QuotaRow:
    """One line of the selection report: a quota, how many in the pool and on the panel."""

    category: str
    value: str
    minimum: int
    maximum: int
    in_pool: int
    selected: int


QUOTA_COUNTS = "quota_counts"  # Selection.statistics: [in the pool, chosen] of each quota


def quota_counts(selection: Selection) -> list[list[int]]:
    """How many of the draw's pool and of its panel gave each quota's answer, in the order of
    the draw's quotas, from the registration data (counts only)."""
    answers = dict(
        RegistrationData.objects.filter(registrant__panel_id=selection.panel_id).values_list(
            "registrant_id", "answers"
        )
    )
    pool_answers = [answers.get(int(pk), {}) for pk in selection.probabilities]
    panel_answers = [answers.get(pk, {}) for pk in selection.members]
    return [
        [
            sum(a.get(category) == value for a in pool_answers),
            sum(a.get(category) == value for a in panel_answers),
        ]
        for category, value, _minimum, _maximum in selection.parameters.get("quotas", [])
    ]


def report_rows(selection: Selection) -> list[QuotaRow]:
    """The quotas the draw used and how its pool and its panel meet them (counts only). Once the
    registration data are deleted, the counts kept just before (decision 0124)."""
    quotas = selection.parameters.get("quotas", [])
    counts = selection.statistics.get(QUOTA_COUNTS)
    if counts is None or len(counts) != len(quotas):
        counts = quota_counts(selection)
    return [
        QuotaRow(
            category=category,
            value=value,
            minimum=minimum,
            maximum=maximum,
            in_pool=in_pool,
            selected=selected,
        )
        for (category, value, minimum, maximum), (in_pool, selected) in zip(
            quotas, counts, strict=True
        )
    ]


# --- Deliberation ------------------------------------------------------------------------------

PANEL_PATH = "activity__service_stage__service__organisation"


def visible_panel(request: HttpRequest, pk: int) -> Panel:
    """A panel whose activity the visitor may see; 404 for the others."""
    panel = get_object_or_404(Panel.objects.select_related(PANEL_PATH), pk=pk)
    if not rules.can_view_panel(request.user, panel):
        raise Http404
    return panel


def visible_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related(f"panel__{PANEL_PATH}", "contribution"), pk=pk
    )
    if not rules.can_view_panel(request.user, recommendation.panel):
        raise Http404
    return recommendation


def visible_session(request: HttpRequest, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related(f"panel__{PANEL_PATH}"), pk=pk)
    if not rules.can_view_panel(request.user, session.panel):
        raise Http404
    return session


def sessions_of(panel: Panel) -> QuerySet[Session]:
    """The panel's sessions in time order, with their evidence papers."""
    return panel.sessions.prefetch_related(
        Prefetch("papers", queryset=EvidencePaper.objects.order_by("id"))
    )


def _with_answers(items: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return items.select_related("contribution", "voting_round").prefetch_related(
        Prefetch(
            "contribution__responses",
            queryset=Response.objects.select_related("author").order_by("created_at", "id"),
        ),
        Prefetch("contribution__decisions", queryset=Decision.objects.order_by("-decided_on")),
    )


def published_recommendations(panel: Panel) -> QuerySet[Recommendation]:
    """Those the members passed, oldest first, with the organisation's answers."""
    return _with_answers(
        panel.recommendations.filter(status=RecommendationStatus.PUBLISHED).order_by(
            "published_at", "id"
        )
    )


def recommendations_not_passed(panel: Panel) -> QuerySet[Recommendation]:
    return (
        panel.recommendations.filter(status=RecommendationStatus.NOT_PASSED)
        .select_related("voting_round")
        .order_by("voting_round__opened_at", "id")
    )


def recommendations_uncounted(panel: Panel) -> QuerySet[Recommendation]:
    """Those in a vote still open when the panel closed, never counted: for the workspace only
    (decision 0131)."""
    return panel.recommendations.filter(status=RecommendationStatus.UNCOUNTED).order_by(
        "created_at", "id"
    )


def recommendations_in_progress(panel: Panel) -> QuerySet[Recommendation]:
    """Drafts and those in the vote: for the workspace only."""
    return panel.recommendations.filter(
        status__in=[RecommendationStatus.DRAFT, RecommendationStatus.VOTING]
    ).order_by("created_at", "id")


def questions_of(panel: Panel, *, answered_only: bool = False) -> QuerySet[PanelQuestion]:
    """The members' published questions to the service, oldest first, with their answers."""
    items = panel.questions.filter(contribution__visibility="published")
    if answered_only:
        items = items.filter(contribution__first_response_at__isnull=False)
    return (
        items.select_related("contribution")
        .prefetch_related(
            Prefetch(
                "contribution__responses",
                queryset=Response.objects.select_related("author").order_by("created_at", "id"),
            )
        )
        .order_by("contribution__created_at", "pk")
    )


def my_votes(user: Visitor, panel: Panel) -> dict[int, bool]:
    """A member's own votes in the open vote, {recommendation pk: supports}: only for them."""
    if not user.is_authenticated:
        return {}
    member = panel.members.filter(user_id=user.pk).first()
    if member is None:
        return {}
    return dict(member.votes.values_list("recommendation_id", "supports"))


def open_round(panel: Panel) -> VotingRound | None:
    return panel.voting_rounds.filter(closed_at__isnull=True).first()


def members_of(panel: Panel) -> QuerySet[PanelMember]:
    return panel.members.select_related("user", "registrant").order_by("added_at", "id")


def linkable_registrants(panel: Panel) -> QuerySet[Registrant]:
    """Selected people not yet linked to a member, with their names (for coordinators only)."""
    return (
        panel.registrants.filter(status__in=ON_PANEL, member__isnull=True)
        .select_related("data")
        .order_by("external_id")
    )


def _overdue(items: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Published, past the day their answer was due and still unanswered (decision 0066)."""
    return (
        items.filter(
            status=RecommendationStatus.PUBLISHED,
            contribution__first_response_at__isnull=True,
            answer_due__lt=timezone.localdate(),
        )
        .select_related("panel__activity")
        .order_by("answer_due", "id")
    )


def overdue_recommendations(service: Service) -> QuerySet[Recommendation]:
    """The overdue recommendations of all the service's panels: flagged on its page."""
    return _overdue(Recommendation.objects.filter(panel__activity__service_stage__service=service))


def overdue_in(panel: Panel) -> QuerySet[Recommendation]:
    return _overdue(panel.recommendations.all())


def first_selection(panel: Panel) -> Selection | None:
    """The draw of the panel: the one done, or else the latest commitment still to be drawn."""
    done = panel.selections.filter(replaces=None, status=SelectionStatus.DONE).first()
    if done is not None:
        return done
    return (
        panel.selections.filter(replaces=None)
        .exclude(status=SelectionStatus.FAILED)
        .order_by("-committed_at", "-pk")
        .first()
    )


PENDING = (SelectionStatus.COMMITTED, SelectionStatus.QUEUED, SelectionStatus.RUNNING)


def pending_selection(panel: Panel) -> Selection | None:
    """The panel's latest draw with its seed committed that has not finished, if any."""
    return panel.selections.filter(status__in=PENDING).first()


def rerun_command(selection: Selection) -> str:
    """The command line that re-runs a draw from the exported pool files."""
    parameters = selection.parameters
    return (
        f"python -m civic_algorithms sortition pool "
        f"--panel-size {parameters.get('panel_size', selection.panel.size)} "
        f"--algorithm {selection.algorithm} --seed {selection.public_seed} "
        f"--tickets {parameters.get('tickets', 1000)} "
        f"--legacy-runs {parameters.get('legacy_runs', 0)}"
    )


def panels_seen_by(user: Visitor) -> QuerySet[Panel]:
    """rules.can_view_panel as a filter: open (not draft) activities of published services, and
    everything of the organisations the person works for."""
    return Panel.objects.filter(activity_seen_by(user))
