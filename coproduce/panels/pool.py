"""The pool as the selection engine sees it: the engine's Problem from a panel, the pool files in
(``panel_import_pool``) and the anonymised pool out (decision 0049).

A person's engine id is the registrant's ``external_id``; people are in registrant order and the
quotas in category then answer order, so the task and the exported files give the same Problem,
and ``python -m civic_algorithms sortition`` re-runs the draw to the same panel.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civic_algorithms.sortition import (
    Person,
    Problem,
    Quota,
    SortitionInputError,
    make_problem,
    read_problem,
)
from coproduce.panels.models import (
    ON_PANEL,
    PREFER_NOT_TO_SAY,
    Category,
    Feature,
    Panel,
    Phase,
    Registrant,
    RegistrantStatus,
    RegistrationData,
)
from coproduce.panels.quotas import residual_quotas
from coproduce.services.models import ActivityKind, ActivityState, Service

RESPONDENTS = "respondents.csv"
CATEGORIES = "categories.csv"


def panel_quotas(panel: Panel) -> tuple[Quota, ...]:
    """The panel's quotas in category then answer order; "prefer not to say" where allowed has
    a quota of 0 to the panel size (decision 0045)."""
    quotas: list[Quota] = []
    for category in panel.categories.prefetch_related("features"):
        values = set()
        for feature in category.features.all():
            quotas.append(Quota(category.name, feature.value, feature.minimum, feature.maximum))
            values.add(feature.value)
        if category.allow_prefer_not_to_say and PREFER_NOT_TO_SAY not in values:
            quotas.append(Quota(category.name, PREFER_NOT_TO_SAY, 0, panel.size))
    return tuple(quotas)


def people(registrants: Sequence[Registrant]) -> tuple[Person, ...]:
    """Engine people from registrants (their answers come from their registration data)."""
    panels = {registrant.panel_id for registrant in registrants}  # one query, whatever the size
    answers = dict(
        RegistrationData.objects.filter(registrant__panel_id__in=panels).values_list(
            "registrant_id", "answers"
        )
    )
    return tuple(
        Person(id=registrant.external_id, features=answers.get(registrant.pk, {}))
        for registrant in registrants
    )


def pool(panel: Panel) -> list[Registrant]:
    """Who a first selection draws from: every registrant still registered, in order."""
    return list(panel.registrants.filter(status=RegistrantStatus.REGISTERED).order_by("pk"))


def build_problem(
    panel: Panel,
    registrants: Sequence[Registrant],
    *,
    quotas: Sequence[Quota] | None = None,
    size: int | None = None,
) -> Problem:
    """The engine's Problem; raises ``SortitionInputError`` with the engine's explanation."""
    return make_problem(
        panel_quotas(panel) if quotas is None else quotas,
        people(registrants),
        panel.size if size is None else size,
        source=str(panel),
    )


def selection_problem(panel: Panel, *, replacements: bool) -> tuple[Problem, list[Registrant]]:
    """The engine's Problem of the next draw and the registrants in it, in engine order.

    A first selection draws the whole panel from everyone registered. A draw
    of replacements draws the empty seats from those still registered, under the quotas minus
    what the people staying on the panel already fill (decision 0048).
    """
    candidates = pool(panel)
    if not replacements:
        return build_problem(panel, candidates), candidates
    staying = list(panel.registrants.filter(status__in=ON_PANEL).order_by("pk"))
    quotas = residual_quotas(panel_quotas(panel), (person.features for person in people(staying)))
    seats = panel.size - len(staying)
    return build_problem(panel, candidates, quotas=quotas, size=seats), candidates


def problem_files(problem: Problem) -> dict[str, str]:
    """The Problem as the engine's pool files, file name → CSV text: ``respondents.csv`` (the
    pool id, then one column per category) and ``categories.csv`` (the quotas)."""
    features = problem.features
    respondents = io.StringIO()
    writer = csv.writer(respondents, lineterminator="\n")
    writer.writerow(["id", *features])
    for person in problem.people:
        writer.writerow([person.id, *(person.features[f] for f in features)])
    categories = io.StringIO()
    writer = csv.writer(categories, lineterminator="\n")
    writer.writerow(["category", "feature", "min", "max"])
    for quota in problem.quotas:
        writer.writerow([quota.feature, quota.value, quota.min, quota.max])
    return {RESPONDENTS: respondents.getvalue(), CATEGORIES: categories.getvalue()}


def problem_digest(problem: Problem) -> str:
    """sha256 of the pool files and the panel size: what a seed commitment freezes."""
    files = problem_files(problem)
    text = f"{problem.panel_size}\n{files[CATEGORIES]}\n{files[RESPONDENTS]}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Files in ----------------------------------------------------------------------------------


@transaction.atomic
def import_pool(*, directory: Path, service: Service, panel_size: int) -> Panel:
    """A panel activity at its selection phase holding the folder's quotas and pool.

    Reads either pool format the engine reads (``categories.csv`` + ``respondents.csv``, or
    ``features.csv`` + ``candidates.csv``); ids are kept (the id column, or the 0-based row
    number when the file has none). All or nothing: bad files raise a ``ValidationError``
    naming the file and line. For operators (no permission check).
    """
    from coproduce.services import actions as service_actions

    try:
        problem = read_problem(directory, panel_size)
    except SortitionInputError as error:
        raise ValidationError(str(error)) from error
    activity = service_actions.activity_create(
        service=service,
        stage=service.current_stage,
        kind=ActivityKind.CITIZEN_PANEL,
        title=_("Citizen panel from %(folder)s") % {"folder": directory.name},
        summary=_("A citizen panel whose pool was imported from a file."),
    )
    activity = service_actions.activity_transition(activity=activity, to_state=ActivityState.OPEN)
    panel = Panel.objects.create(
        activity=activity,
        question=_("Imported pool %(folder)s") % {"folder": directory.name},
        size=panel_size,
        phase=Phase.SELECTION,
        imported=True,
    )
    categories: dict[str, Category] = {}
    for position, quota in enumerate(problem.quotas):
        category = categories.get(quota.feature)
        if category is None:
            category = Category.objects.create(
                panel=panel, name=quota.feature, position=len(categories)
            )
            categories[quota.feature] = category
        Feature.objects.create(
            category=category,
            value=quota.value,
            position=position,
            minimum=quota.min,
            maximum=quota.max,
        )
    registrants = Registrant.objects.bulk_create(
        [Registrant(panel=panel, external_id=person.id) for person in problem.people]
    )
    RegistrationData.objects.bulk_create(
        RegistrationData(registrant=registrant, answers=dict(person.features))
        for registrant, person in zip(registrants, problem.people, strict=True)
    )
    return panel


# --- Files out ---------------------------------------------------------------------------------


def export_pool(panel: Panel) -> dict[str, str]:
    """The anonymised pool of the panel's first selection, as file name → CSV text.

    The answers and the quotas only: no name, no contact details, no access needs.
    Replacements are not in it: they draw from a smaller pool (decision 0048).
    """
    return problem_files(build_problem(panel, first_pool(panel)))


def first_pool(panel: Panel) -> list[Registrant]:
    """The pool of the panel's first selection: who was registered when it was drawn (everyone
    in its probabilities), or who is registered now if there is none yet."""
    first = panel.selections.filter(replaces=None, status="done").order_by("pk").first()
    if first is None:
        return pool(panel)
    pks = [int(pk) for pk in first.probabilities]
    return list(panel.registrants.filter(pk__in=pks).order_by("pk"))
