"""Reads of citizen panels: the live feasibility check, a selection's result by pool id, the
selection report's quota table and a registrant's own chance."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from civic_algorithms.sortition import InfeasibleQuotasError, Problem, SortitionInputError
from civic_algorithms.sortition.feasibility import check_feasible
from civic_algorithms.sortition.groups import build_groups
from civic_algorithms.sortition.solver import PanelProgram
from coproduce.panels.models import (
    Panel,
    Registrant,
    RegistrationData,
    Selection,
    SelectionStatus,
)
from coproduce.panels.pool import build_problem, pool


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


def feasibility(panel: Panel) -> Feasibility:
    """Run the engine's feasibility check on the current pool and quotas; explain a failure."""
    registrants = pool(panel)
    try:
        problem = build_problem(panel, registrants)
    except SortitionInputError as error:
        return Feasibility(feasible=False, pool_size=len(registrants), message=str(error))
    return problem_feasibility(problem)


def problem_feasibility(problem: Problem) -> Feasibility:
    """Whether some panel of the problem meets every quota, with the engine's explanation."""
    pool_size = len(problem.people)
    try:
        groups = build_groups(problem)
        check_feasible(problem, groups, PanelProgram(groups))
    except InfeasibleQuotasError as error:
        return Feasibility(
            feasible=False,
            pool_size=pool_size,
            message=_("No panel from this pool meets every quota."),
            conflicting=error.conflicting,
            suggestions=tuple(relaxation.describe() for relaxation in error.relaxations),
        )
    except SortitionInputError as error:
        return Feasibility(feasible=False, pool_size=pool_size, message=str(error))
    return Feasibility(
        feasible=True,
        pool_size=pool_size,
        message=_("A panel of %(size)s meeting every quota can be drawn from %(pool)s people.")
        % {"size": problem.panel_size, "pool": pool_size},
    )


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


def report_rows(selection: Selection) -> list[QuotaRow]:
    """The quotas the draw used and how its pool and its panel meet them (counts only)."""
    answers = dict(
        RegistrationData.objects.filter(registrant__panel_id=selection.panel_id).values_list(
            "registrant_id", "answers"
        )
    )
    pool_answers = [answers.get(int(pk), {}) for pk in selection.probabilities]
    panel_answers = [answers.get(pk, {}) for pk in selection.members]
    return [
        QuotaRow(
            category=category,
            value=value,
            minimum=minimum,
            maximum=maximum,
            in_pool=sum(a.get(category) == value for a in pool_answers),
            selected=sum(a.get(category) == value for a in panel_answers),
        )
        for category, value, minimum, maximum in selection.parameters.get("quotas", [])
    ]
