"""Every write of a citizen panel's set-up and phases: making the panel, its categories and quotas
(by hand or from population shares), its settings, moving it one phase on, and deleting
registration data whose time is up once the panel has closed.

The panel's other writes have their own modules: ``actions_selection`` (invitations, registration,
the committed seed, selections and replacements) and ``actions_deliberation`` (members, sessions and
evidence, questions, recommendations and the members' vote). ``by=None`` is an operator's command
(no permission check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coproduce.accounts.models import User
from coproduce.panels import queries, rules
from coproduce.panels.models import (
    PHASE_ORDER,
    Category,
    Feature,
    Panel,
    Phase,
    RegistrationData,
    Selection,
    SelectionStatus,
)
from coproduce.panels.quotas import quotas_from_shares
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_manage_activity

SHARE_PLACES = Decimal("0.000001")
CATEGORIES_FIXED = _lazy(
    "Categories are added before registration opens: everyone who registers answers the same "
    "questions."
)
QUOTAS_FIXED = _lazy(
    "The quotas are fixed once the panel is drawn: the published pool files hold them, so that "
    "anyone can re-run the draw and get the same panel."
)
VOTE_OPEN = _lazy("Close the members' vote before the panel ends.")


# --- Set-up ------------------------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *, activity: Activity, by: User | None, question: str, size: int, **fields: Any
) -> Panel:
    """Make a citizen-panel activity a real panel, in its set-up phase."""
    if activity.kind != ActivityKind.CITIZEN_PANEL:
        raise ValidationError(_("Only a citizen-panel activity can have a panel."))
    rules.require(by, by is not None and can_manage_activity(by, activity))
    if Panel.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity already has a panel."))
    panel = Panel(activity=activity, question=question, size=size, **fields)
    panel.full_clean(exclude=["activity"])
    panel.save()
    return panel


@transaction.atomic
def category_add(
    *,
    panel: Panel,
    by: User | None,
    name: str,
    values: Sequence[str],
    allow_prefer_not_to_say: bool = False,
) -> Category:
    """Add a quota question with its answers; each answer starts at 0 to the panel size."""
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    if not rules.categories_may_change(panel):
        raise ValidationError(CATEGORIES_FIXED)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the category.")})
    if panel.categories.filter(name=name).exists():
        raise ValidationError({"name": _("This panel already has a category with this name.")})
    cleaned = [value.strip() for value in values if value.strip()]
    if not cleaned or len(set(cleaned)) != len(cleaned):
        raise ValidationError({"values": _("Give the category its answers, each once.")})
    category = Category.objects.create(
        panel=panel,
        name=name,
        position=panel.categories.count(),
        allow_prefer_not_to_say=allow_prefer_not_to_say,
    )
    Feature.objects.bulk_create(
        Feature(category=category, value=value, position=n, minimum=0, maximum=panel.size)
        for n, value in enumerate(cleaned)
    )
    return category


@transaction.atomic
def quota_set(*, feature: Feature, by: User | None, minimum: int, maximum: int) -> Feature:
    panel = feature.category.panel
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    if not rules.quotas_may_change(panel):
        raise ValidationError(QUOTAS_FIXED)
    if not 0 <= minimum <= maximum:
        raise ValidationError(_("The fewest members must be between 0 and the most members."))
    feature.minimum, feature.maximum = minimum, maximum
    feature.save(update_fields=["minimum", "maximum"])
    return feature


@transaction.atomic
def quotas_from_population(
    *, category: Category, by: User | None, shares: Mapping[str, Decimal | int | str]
) -> list[Feature]:
    """Store each answer's share of the population and set its quota from it (decision 0045)."""
    panel = category.panel
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    if not rules.quotas_may_change(panel):
        raise ValidationError(QUOTAS_FIXED)
    features = {feature.value: feature for feature in category.features.all()}
    unknown = sorted(set(shares) - set(features))
    if unknown:
        raise ValidationError(
            _("%(category)s has no answer %(values)s.")
            % {"category": category.name, "values": ", ".join(unknown)}
        )
    try:
        seats = quotas_from_shares(shares, panel.size)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    total = sum((Decimal(str(share)) for share in shares.values()), Decimal(0))
    changed = []
    for value, (minimum, maximum) in seats.items():
        feature = features[value]
        # Stored as a share of 1 (percentages are scaled), to six places.
        feature.population_share = (Decimal(str(shares[value])) / total).quantize(SHARE_PLACES)
        feature.minimum, feature.maximum = minimum, maximum
        changed.append(feature)
    Feature.objects.bulk_update(changed, ["population_share", "minimum", "maximum"])
    return changed


@transaction.atomic
def panel_update(*, panel: Panel, by: User, **fields: Any) -> Panel:
    """Change the panel's settings; its size only until the selection phase (decision 0062)."""
    rules.require(by, rules.can_coordinate(by, panel))
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if fields.get("size", panel.size) != panel.size and not rules.size_may_change(panel):
        raise ValidationError({"size": _("The size is fixed once the selection starts.")})
    for name, value in fields.items():
        setattr(panel, name, value)
    panel.full_clean(exclude=["activity"])
    panel.save(update_fields=list(fields))
    return panel


@transaction.atomic
def phase_set(*, panel: Panel, by: User | None, phase: str) -> Panel:
    """Move the panel one phase on; closing schedules the deletion of registration data."""
    rules.require(by, by is not None and rules.can_coordinate(by, panel))
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if phase not in PHASE_ORDER or PHASE_ORDER.index(phase) != PHASE_ORDER.index(panel.phase) + 1:
        raise ValidationError(_("A panel moves one phase at a time, forward."))
    if phase == Phase.CLOSED and not rules.may_end(panel):
        raise ValidationError(VOTE_OPEN)
    panel.phase = phase
    panel.save(update_fields=["phase"])
    if phase == Phase.CLOSED:
        delete_after = timezone.localdate() + dt.timedelta(days=panel.retention_days)
        RegistrationData.objects.filter(registrant__panel=panel).update(delete_after=delete_after)
    return panel


@transaction.atomic
def registration_data_purge(*, today: dt.date | None = None) -> int:
    """Delete the registration data (special-category answers, contact details, access needs)
    whose time is up: ``delete_after`` is set when a panel closes (its retention days on). The
    registrants stay, under their pool ids, so the published selection can still be checked.

    The anonymised pool files are made from those answers, so they go too: the panel records the
    day (``registration_data_deleted_on``) and its selection report says so. The report's counts
    of the pool and the panel meeting each quota are kept first, on each draw (decision 0124).
    Returns how many were deleted. Run daily by ``manage.py retention_enforce``."""
    today = today or timezone.localdate()
    due = RegistrationData.objects.filter(delete_after__lte=today)
    panels = set(due.values_list("registrant__panel_id", flat=True))
    draws = Selection.objects.filter(panel_id__in=panels, status=SelectionStatus.DONE)
    for selection in draws.select_for_update():
        if queries.QUOTA_COUNTS not in selection.statistics:
            selection.statistics = {
                **selection.statistics,
                queries.QUOTA_COUNTS: queries.quota_counts(selection),
            }
            selection.save(update_fields=["statistics"])
    deleted, _by_model = due.delete()
    Panel.objects.filter(pk__in=panels, registration_data_deleted_on=None).update(
        registration_data_deleted_on=today
    )
    return deleted
