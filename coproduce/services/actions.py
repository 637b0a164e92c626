"""Every write to services, their lifecycle and their activities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import User
from coproduce.common.text import save_with_unique_slug
from coproduce.organisations.models import Organisation
from coproduce.search.actions import index_service, index_service_renamed, index_update
from coproduce.services import hooks, methods, search
from coproduce.services.models import (
    ACTIVITY_DATE_NAMES,
    ACTIVITY_DATES,
    ACTIVITY_TRANSITIONS,
    STAGE_ORDER,
    Activity,
    ActivityKind,
    ActivityState,
    Service,
    ServiceStage,
    ServiceStatus,
    Stage,
)

SERVICE_FIELDS = {
    "name",
    "summary",
    "description",
    "policy_area",
    "area_served",
    "name_cy",
    "summary_cy",
    "description_cy",
}
ACTIVITY_FIELDS = {
    "kind",
    "title",
    "summary",
    "how_to_take_part",
    "opens_on",
    "closes_on",
    "title_cy",
    "summary_cy",
    "how_to_take_part_cy",
    "outcome_cy",
}


def _cycle_start(*, service: Service, cycle: int, planned: Mapping[str, str] | None = None) -> None:
    """Create the five stage rows of a cycle and start its first stage now."""
    now = timezone.now()
    ServiceStage.objects.bulk_create(
        ServiceStage(
            service=service,
            cycle=cycle,
            stage=stage,
            position=position,
            planned_level=(planned or {}).get(stage, ""),
            started_at=now if position == 0 else None,
        )
        for position, stage in enumerate(STAGE_ORDER)
    )


@transaction.atomic
def service_create(
    *,
    organisation: Organisation,
    name: str,
    summary: str,
    policy_area: str,
    area_served: str,
    description: str = "",
    name_cy: str = "",
    summary_cy: str = "",
    description_cy: str = "",
    partners: Iterable[Organisation] = (),
    publish: bool = False,
) -> Service:
    """Create a service at the start of its first commissioning cycle."""
    service = Service(
        organisation=organisation,
        name=name.strip(),
        summary=summary.strip(),
        description=description.strip(),
        name_cy=name_cy.strip(),
        summary_cy=summary_cy.strip(),
        description_cy=description_cy.strip(),
        policy_area=policy_area,
        area_served=area_served.strip(),
        status=ServiceStatus.PUBLISHED if publish else ServiceStatus.DRAFT,
    )
    service.full_clean(exclude=["slug"])
    save_with_unique_slug(service, name)
    service.partners.set([p for p in partners if p.pk != organisation.pk])
    _cycle_start(service=service, cycle=1)
    index_update(search.SERVICE, [service.pk])
    return service


@transaction.atomic
def service_update(
    *, service: Service, partners: Iterable[Organisation] | None = None, **fields: Any
) -> Service:
    """Change a service's public details (not its stage: see service_advance_stage)."""
    unknown = set(fields) - SERVICE_FIELDS
    if unknown:
        raise TypeError(f"Cannot update {', '.join(sorted(unknown))} here.")
    if partners is not None and any(p.pk == service.organisation_id for p in partners):
        raise ValidationError(
            {"partners": _("The organisation that runs the service cannot also be its partner.")}
        )
    names = (service.name, service.name_cy)
    for name, value in fields.items():
        setattr(service, name, value.strip() if isinstance(value, str) else value)
    service.full_clean()
    service.save()
    if partners is not None:
        service.partners.set([p for p in partners if p.pk != service.organisation_id])
    index_update(search.SERVICE, [service.pk])
    if (service.name, service.name_cy) != names:  # every result of the service shows its name
        index_service_renamed(service_id=service.pk, name=service.name, name_cy=service.name_cy)
    return service


@transaction.atomic
def stays_published(service: Service) -> str | None:
    """Why a published service cannot go back to draft, or None when it may: some of its records
    are on the public ledger, which keeps their content and links to their pages (decision
    0137)."""
    if not service.is_published:
        return None
    held = hooks.ON_THE_LEDGER.held(service)
    if not held:
        return None
    records = (
        held[0]
        if len(held) == 1
        else _("%(first)s and %(last)s")
        % {
            "first": ", ".join(held[:-1]),
            "last": held[-1],
        }
    )
    return _(
        "This service stays published: its %(records)s are on the public ledger, which links to "
        "its pages. To stop people taking part, close its activities."
    ) % {"records": records}


def service_set_status(*, service: Service, status: str) -> Service:
    """Publish a draft service, or take a published one back to draft (not once some of its
    records are on the public ledger: ``stays_published``)."""
    if status not in ServiceStatus.values:
        raise ValidationError({"status": _("Choose draft or published.")})
    if status == ServiceStatus.DRAFT:
        refused = stays_published(service)
        if refused:
            raise ValidationError({"status": refused})
    changed = service.status != status
    service.status = status
    service.save(update_fields=["status", "updated_at"])
    if changed:  # everything of the service is found from now on, or nothing of it is
        index_service(service.pk)
    return service


STAGE_ENDED = gettext_lazy(
    "This stage has ended: the involvement it promised is part of its public record."
)


@transaction.atomic
def involvement_set(*, service: Service, levels: Mapping[str, str]) -> list[ServiceStage]:
    """Set the planned involvement level for stages of the current cycle ('' clears one). An
    ended stage's promise is part of its public record: it no longer changes (decision 0128)."""
    stages = {
        s.stage: s
        for s in ServiceStage.objects.select_for_update().filter(
            service=service, cycle=service.current_cycle
        )
    }
    errors = {
        stage: _("Choose a stage of the lifecycle.") for stage in levels if stage not in stages
    }
    errors |= {
        stage: str(STAGE_ENDED)
        for stage, level in levels.items()
        if stage in stages and stages[stage].ended_at and level != stages[stage].planned_level
    }
    if errors:
        raise ValidationError(errors)
    changed = []
    for stage, level in levels.items():
        row = stages[stage]
        row.planned_level = level
        row.full_clean(exclude=["service"])
        changed.append(row)
    ServiceStage.objects.bulk_update(changed, ["planned_level"])
    return changed


@transaction.atomic
def service_advance_stage(*, service: Service, summary: str = "") -> ServiceStage:
    """End the current stage with a public summary and start the next one.

    After assessment and improvement, a new cycle begins with commissioning; its planned
    involvement levels start as a copy of the cycle just finished.
    """
    locked = Service.objects.select_for_update().get(pk=service.pk)
    now = timezone.now()
    current = ServiceStage.objects.get(
        service=locked, cycle=locked.current_cycle, stage=locked.current_stage
    )
    current.ended_at = now
    current.summary = summary.strip()
    current.save(update_fields=["ended_at", "summary"])
    position = STAGE_ORDER.index(locked.current_stage)
    if position + 1 < len(STAGE_ORDER):
        locked.current_stage = STAGE_ORDER[position + 1]
        following = ServiceStage.objects.get(
            service=locked, cycle=locked.current_cycle, stage=locked.current_stage
        )
        following.started_at = now
        following.save(update_fields=["started_at"])
    else:
        planned = dict(
            ServiceStage.objects.filter(service=locked, cycle=locked.current_cycle).values_list(
                "stage", "planned_level"
            )
        )
        locked.current_cycle += 1
        locked.current_stage = Stage.COMMISSIONING
        _cycle_start(service=locked, cycle=locked.current_cycle, planned=planned)
        following = ServiceStage.objects.get(
            service=locked, cycle=locked.current_cycle, stage=Stage.COMMISSIONING
        )
    locked.save(update_fields=["current_stage", "current_cycle", "updated_at"])
    service.current_stage, service.current_cycle = locked.current_stage, locked.current_cycle
    return following


def _check_dates(opens_on: dt.date | None, closes_on: dt.date | None) -> None:
    """Both dates in range (from 2000 to ten years ahead), and closing on or after opening."""
    ACTIVITY_DATES.check(
        {
            "opens_on": (opens_on, ACTIVITY_DATE_NAMES["opens_on"]),
            "closes_on": (closes_on, ACTIVITY_DATE_NAMES["closes_on"]),
        }
    )
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError(
            {"closes_on": _("The closing date must be on or after the opening date.")}
        )


@transaction.atomic
def activity_create(
    *,
    service: Service,
    stage: str,
    kind: str,
    title: str,
    summary: str,
    how_to_take_part: str = "",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    created_by: User | None = None,
    title_cy: str = "",
    summary_cy: str = "",
    how_to_take_part_cy: str = "",
) -> Activity:
    """Add a draft activity to a stage of the service's current cycle."""
    try:
        service_stage = ServiceStage.objects.get(
            service=service, cycle=service.current_cycle, stage=stage
        )
    except ServiceStage.DoesNotExist:
        raise ValidationError({"stage": _("Choose a stage of the lifecycle.")}) from None
    _check_dates(opens_on, closes_on)
    activity = Activity(
        service_stage=service_stage,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        how_to_take_part=how_to_take_part.strip(),
        title_cy=title_cy.strip(),
        summary_cy=summary_cy.strip(),
        how_to_take_part_cy=how_to_take_part_cy.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=created_by,
    )
    activity.full_clean(exclude=["created_by"])
    activity.save()
    return activity


def _set_up_by_its_method(activity: Activity) -> bool:
    """Whether a method's app has set the activity up: a meeting, budget, panel, survey… holds it
    by a one-to-one link. Its kind is then the method's, and changing it would let the activity
    open past its method's rules, e.g. a private meeting's (decision 0139)."""
    return any(
        relation.related_model._default_manager.filter(
            **{relation.field.name: activity.pk}
        ).exists()
        for relation in Activity._meta.related_objects
        if relation.one_to_one
    )


@transaction.atomic
def activity_update(*, activity: Activity, **fields: Any) -> Activity:
    """Change an activity's details; its method cannot change once it has opened, nor once its
    method's app has set it up (``_set_up_by_its_method``).

    Its outcome is written when it is reported (``activity_transition``); the Welsh of the
    outcome may be added here later."""
    unknown = set(fields) - ACTIVITY_FIELDS
    if unknown:
        raise TypeError(f"Cannot update {', '.join(sorted(unknown))} here.")
    if "kind" in fields and fields["kind"] != activity.kind:
        if activity.state != ActivityState.DRAFT:
            raise ValidationError(
                {"kind": _("The method cannot change once the activity has opened.")}
            )
        if _set_up_by_its_method(activity):
            raise ValidationError(
                {
                    "kind": _(
                        "The method cannot change: this activity has been set up as a %(method)s."
                    )
                    % {"method": ActivityKind(activity.kind).label.lower()}
                }
            )
    for name, value in fields.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    _check_dates(activity.opens_on, activity.closes_on)
    activity.full_clean(exclude=["created_by"])
    activity.save()
    index_update(search.ACTIVITY, [activity.pk])
    hooks.ACTIVITY_UPDATED.call(activity)  # a budget's result on the ledger names its title
    return activity


@transaction.atomic
def activity_transition(
    *, activity: Activity, to_state: str, outcome: str = "", outcome_cy: str = ""
) -> Activity:
    """Move an activity along draft → open → closed → reported (closed may re-open). Its method
    may refuse to open it, from draft or closed: ``methods.open_refused``, asked under the
    activity's row lock.

    The first time it opens, the ``hooks.ACTIVITY_OPENED`` callbacks run in this transaction.
    """
    activity = (
        Activity.objects.select_for_update().select_related("service_stage").get(pk=activity.pk)
    )
    if to_state not in ACTIVITY_TRANSITIONS.get(activity.state, []):
        raise ValidationError(
            {
                "to_state": _("An activity that is %(current)s cannot become %(target)s.")
                % {
                    "current": ActivityState(activity.state).label.lower(),
                    "target": str(dict(ActivityState.choices).get(to_state, to_state)).lower(),
                }
            }
        )
    if to_state == ActivityState.OPEN and activity.service_stage.started_at is None:
        raise ValidationError(
            {
                "to_state": _(
                    "This activity belongs to the %(stage)s stage, which has not started yet."
                )
                % {"stage": activity.service_stage.get_stage_display().lower()}
            }
        )
    if to_state == ActivityState.OPEN:
        refused = methods.open_refused(activity)
        if refused:
            raise ValidationError({"to_state": refused})
    if to_state == ActivityState.REPORTED:
        if not outcome.strip():
            raise ValidationError(
                {"outcome": _("Say what came of the activity before you report it.")}
            )
        activity.outcome = outcome.strip()
        activity.outcome_cy = outcome_cy.strip()
    first_opening = to_state == ActivityState.OPEN and activity.state == ActivityState.DRAFT
    activity.state = to_state
    activity.save(update_fields=["state", "outcome", "outcome_cy", "updated_at"])
    if first_opening:
        hooks.ACTIVITY_OPENED.call(activity)  # the spine tells the service's followers
    index_update(search.ACTIVITY, [activity.pk])  # found once it has opened
    return activity
