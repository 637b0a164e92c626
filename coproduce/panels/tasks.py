"""Background jobs: drawing a panel, or its replacements (the coordinator's button and
``panel_select``), the email that confirms a registration, and the email that tells each person
drawn that they were chosen (decision 0069)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from civic_algorithms.sortition import select_panel as engine_select
from civic_algorithms.sortition.engine import VERSION
from civic_algorithms.sortition.legacy import DEFAULT_RUNS
from coproduce.common.email_once import send_once
from coproduce.panels import ledger
from coproduce.panels.models import (
    ON_PANEL,
    Registrant,
    RegistrantStatus,
    Selection,
    SelectionStatus,
)
from coproduce.panels.pool import problem_digest, selection_problem
from coproduce.panels.tokens import my_place_path

logger = logging.getLogger(__name__)

TICKETS = 1000  # the engine's and the command line's default


def legacy_runs(algorithm: str) -> int:
    """Monte Carlo runs: LEGACY's probabilities are estimated with the engine's default; the
    other methods skip the comparison with LEGACY (it adds time, and changes no result)."""
    return DEFAULT_RUNS if algorithm == "legacy" else 0


def _progress(selection_id: int, percent: int) -> None:
    Selection.objects.filter(pk=selection_id).update(progress=percent)


def _fail(selection: Selection, message: str) -> Selection:
    Selection.objects.filter(pk=selection.pk).update(
        status=SelectionStatus.FAILED, finished_at=timezone.now(), error=message[:2000]
    )
    selection.refresh_from_db()
    return selection


def run_selection(selection_id: int) -> Selection | None:
    """Draw the panel with the committed seed and store everything on the ``Selection`` row.

    Safe to run twice: a selection that is done is left alone, and a re-run of one that is not
    recomputes it whole. The seed must still hash to the published ``seed_hash``.
    """
    selection = Selection.objects.select_related("panel__activity").filter(pk=selection_id).first()
    if selection is None or selection.status == SelectionStatus.DONE:
        return selection
    if not selection.seed_matches:
        return _fail(selection, _("The seed does not match the hash published before the draw."))
    Selection.objects.filter(pk=selection.pk).update(
        status=SelectionStatus.RUNNING, started_at=timezone.now(), progress=5, error=""
    )
    try:
        problem, registrants = selection_problem(
            selection.panel, replacements=selection.replaces_id is not None
        )
        if problem_digest(problem) != selection.pool_hash:
            return _fail(
                selection,
                _(
                    "The pool or the quotas changed after the seed was committed. "
                    "Commit a new seed to draw from them."
                ),
            )
        _progress(selection.pk, 20)
        result = engine_select(
            problem,
            algorithm=selection.algorithm,  # type: ignore[arg-type]  # checked by the model
            seed=int(selection.seed),
            tickets=TICKETS,
            legacy_runs=legacy_runs(selection.algorithm),
        )
    except Exception as error:  # the coordinator sees what went wrong; nothing is half-stored
        logger.exception("Selecting panel %s failed", selection.panel_id)
        return _fail(selection, str(error))
    _progress(selection.pk, 90)
    pk_of = {registrant.external_id: registrant.pk for registrant in registrants}
    members = [pk_of[person_id] for person_id in result.panel]
    probabilities = {
        str(pk_of[person_id]): p for person_id, p in result.distribution.probabilities.items()
    }
    chances = list(probabilities.values())
    statistics: dict[str, Any] = {
        "pool_size": len(registrants),
        "panel_size": problem.panel_size,
        "minimum_probability": min(chances),
        "maximum_probability": max(chances),
        "spread": max(chances) - min(chances),
        "gini": result.statistics.gini,
        "committees": result.distribution.committees,
        "winning_ticket": result.winning_ticket,
    }
    with transaction.atomic():
        Selection.objects.filter(pk=selection.pk).update(
            status=SelectionStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
            revealed_at=timezone.now(),
            method=result.distribution.method[:120],
            version=VERSION,
            parameters={
                "algorithm": selection.algorithm,
                "panel_size": problem.panel_size,
                "tickets": TICKETS,
                "legacy_runs": legacy_runs(selection.algorithm),
                "quotas": [[q.feature, q.value, q.min, q.max] for q in problem.quotas],
            },
            probabilities=probabilities,
            members=members,
            statistics=statistics,
        )
        status = (
            RegistrantStatus.SELECTED
            if selection.replaces_id is None
            else RegistrantStatus.REPLACEMENT
        )
        Registrant.objects.filter(pk__in=members).update(status=status)
        selection.refresh_from_db()
        ledger.record_result(selection)
        transaction.on_commit(lambda: _tell_members(selection.pk, members))
    return selection


def _tell_members(selection_id: int, members: list[int]) -> None:
    """Queue one email per person drawn: one person's failed email does not hold up the rest."""
    for registrant_id in members:
        send_selected_email.enqueue(registrant_id, selection_id)


@task()
def select_panel(selection_id: int) -> str:
    """Draw a panel in the background; returns the selection's final status.

    Run again on a selection already done (its worker was killed after the commit, before the
    emails were queued), it queues the emails of the members not told yet; each goes once."""
    was_done = Selection.objects.filter(pk=selection_id, status=SelectionStatus.DONE).exists()
    selection = run_selection(selection_id)
    if was_done and selection is not None:
        untold = Registrant.objects.filter(
            pk__in=selection.members, status__in=ON_PANEL, told_selected_at__isnull=True
        ).values_list("pk", flat=True)
        _tell_members(selection.pk, list(untold))
    return "missing" if selection is None else selection.status


@task()
def send_registration_email(registrant_id: int) -> bool:
    """Confirm a registration by email, with the link to the person's own page; False when there
    is no one to write to (their data deleted, or no email given). A failed email loses nothing:
    the thank-you page showed the same link. Not news: no unsubscribe link (decision 0024).
    False too when a run before this one sent it (decision 0901)."""
    registrant = (
        Registrant.objects.filter(pk=registrant_id)
        .select_related("data", "panel__activity__service_stage__service")
        .first()
    )
    data = getattr(registrant, "data", None) if registrant is not None else None
    if registrant is None or data is None or not data.email:
        return False
    activity = registrant.panel.activity
    context = {
        "panel": registrant.panel,
        "activity": activity,
        "service": activity.service,
        "link": settings.SITE_URL + my_place_path(registrant),
    }
    return send_once(
        f"panels.registered:{registrant.pk}",
        EmailMessage(
            subject=render_to_string("panels/email/registered_subject.txt", context).strip(),
            body=render_to_string("panels/email/registered_body.txt", context),
            to=[data.email],
        ),
    )


@task()
def send_selected_email(registrant_id: int, selection_id: int) -> bool:
    """Tell someone drawn by this selection that they were chosen, with the link to their own
    page to confirm or decline; False when there is nothing to send: they are not one of its
    members or no longer on the panel, have no email address, or were told already.

    Safe to run twice: ``told_selected_at`` is claimed with a conditional update in the
    transaction that sends, and the email carries an idempotency key (decision 0901), so a second
    run sends nothing; an email that fails to send leaves both unset for a retry (decision 0069)."""
    selection = Selection.objects.filter(pk=selection_id, status=SelectionStatus.DONE).first()
    if selection is None or registrant_id not in selection.members:
        return False
    with transaction.atomic():
        registrant = (
            Registrant.objects.filter(
                pk=registrant_id, panel_id=selection.panel_id, status__in=ON_PANEL
            )
            .select_related("data", "panel__activity__service_stage__service")
            .first()
        )
        data = getattr(registrant, "data", None) if registrant is not None else None
        if registrant is None or data is None or not data.email:
            return False
        claimed = Registrant.objects.filter(pk=registrant.pk, told_selected_at__isnull=True).update(
            told_selected_at=timezone.now()
        )
        if not claimed:
            return False  # another run has told them
        panel = registrant.panel
        activity = panel.activity
        context = {
            "panel": panel,
            "activity": activity,
            "service": activity.service,
            "name": data.name,
            "replacement": selection.replaces_id is not None,
            "first_session": panel.sessions.order_by("starts_at", "pk").first(),
            "link": settings.SITE_URL + my_place_path(registrant),
        }
        # Once per person and selection by its key, as every task's email (decision 0901); the
        # flag, claimed in this transaction, is what the coordinator's page shows.
        return send_once(
            f"panels.selected:{registrant.pk}:{selection.pk}",
            EmailMessage(
                subject=render_to_string("panels/email/selected_subject.txt", context).strip(),
                body=render_to_string("panels/email/selected_body.txt", context),
                to=[data.email],
            ),
        )
