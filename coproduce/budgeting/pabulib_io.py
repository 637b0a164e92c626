"""Pabulib ``.pb`` files in and out of a budget (https://pabulib.org/format).

``import_pb`` turns a file into a closed participatory-budget activity with its projects and
ballots, ready to count (``manage.py pb_import``, the staff import page). ``export_election`` and
``export_pb`` write a budget's projects and ballots back out, one Pabulib instance per area, with
the anonymised voter ids and the project references, so that anyone can count them again
(``/budgets/<id>/export.pb``, decision 0030).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_algorithms.budgeting import Election, PabulibError, format_pabulib, parse_pabulib
from coproduce.accounts.models import User
from coproduce.budgeting.counting import election_for
from coproduce.budgeting.models import (
    PROPOSAL,
    Area,
    Ballot,
    BallotChoice,
    BallotSource,
    BallotType,
    Budget,
    Feasibility,
    Phase,
    Proposal,
    Rule,
)
from coproduce.contributions.models import AuthorDisplay, Contribution, Visibility
from coproduce.search.actions import index_update
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityKind, ActivityState, Service

BATCH = 5_000  # rows per INSERT

# The kind of ballot that holds each Pabulib vote type.
BALLOT_TYPES = {
    "approval": BallotType.APPROVAL,
    "choose-1": BallotType.APPROVAL,
    "cumulative": BallotType.CUMULATIVE,
    "scoring": BallotType.CUMULATIVE,
    "ordinal": BallotType.RANKING,
}
_SMALL = 32_767  # the largest PositiveSmallIntegerField


# --- Import ------------------------------------------------------------------------------------


@transaction.atomic
def import_pb(
    *,
    text: str,
    service: Service,
    by: User | None,
    source: str,
    notes: list[str] | None = None,
) -> Budget:
    """A closed budget activity in ``service`` holding the file's projects, ballots and rule.

    The budget is imported whole or not at all: a bad file raises a ``ValidationError`` whose
    message names the file (``source``) and the line. Imported budgets bypass the actions'
    permission checks (``by`` is None for ``manage.py pb_import``, which is for operators): a page
    that imports must itself check that the user may run the service's activities. The counting
    rule is the file's ``rule`` when the platform has it, else the Method of Equal
    Shares; ``notes`` (if given) hears what the import changed or left out, in plain English.
    """
    said = notes if notes is not None else []
    try:
        election = parse_pabulib(text, source=source)
    except PabulibError as error:
        raise ValidationError(str(error)) from error
    lines = _Lines(text, source)
    meta = dict(election.meta)
    amount = _whole(election.budget)
    if amount is None or amount <= 0:
        raise lines.error(
            _("the budget must be a whole number of more than 0, not %(budget)s")
            % {"budget": meta["budget"]},
            lines.meta("budget"),
        )
    rule, threshold = _rule(meta, lines, said)
    dates = _dates(meta)
    activity = service_actions.activity_create(
        service=service,
        stage=service.current_stage,
        kind=ActivityKind.PARTICIPATORY_BUDGET,
        title=_title(meta, source),
        summary=(meta.get("description") or _("Participatory budget imported from a Pabulib file"))[
            :300
        ],
        created_by=by,
        opens_on=dates.get("opens_on"),
        closes_on=dates.get("closes_on"),
    )
    service_actions.activity_transition(activity=activity, to_state=ActivityState.OPEN)
    activity = service_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    vote_type = election.vote_type
    budget = Budget.objects.create(
        activity=activity,
        currency=(meta.get("currency") or "GBP")[:3].upper(),
        ballot_type=BALLOT_TYPES[vote_type],
        rule=rule,
        threshold=threshold,
        phase=Phase.COUNTING,
        imported=True,
        imported_meta=meta,
        **_choices(meta),
    )
    area = Area.objects.create(budget=budget, name=_area_name(meta), amount=amount)
    proposals = _projects(election, budget, area, lines)
    index_update(PROPOSAL, [proposal.pk for proposal in proposals.values()])
    _ballots(election, budget, area, proposals, lines, said)
    return budget


class _Lines:
    """Finds the line of a META key, a project or a ballot, for a message (only on errors)."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source

    def error(self, message: str, line: int | None) -> ValidationError:
        return ValidationError(str(PabulibError(message, source=self.source, line=line)))

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(
            io.StringIO(self.text.removeprefix("\ufeff"), newline=""), delimiter=";"
        )
        for row in reader:
            if row:
                yield reader.line_num, row

    def _find(self, section: str, first: str) -> int | None:
        here = ""
        for number, row in self._rows():
            marker = row[0].strip().lower()
            if marker in ("meta", "projects", "votes") and not "".join(row[1:]).strip():
                here = marker
            elif here == section and row[0].strip() == first:
                return number
        return None

    def meta(self, key: str) -> int | None:
        return self._find("meta", key)

    def project(self, project_id: str) -> int | None:
        return self._find("projects", project_id)

    def voter(self, voter_id: str) -> int | None:
        return self._find("votes", voter_id)


def _whole(value: Fraction) -> int | None:
    return int(value) if value.denominator == 1 else None


def _rule(meta: Mapping[str, str], lines: _Lines, notes: list[str]) -> tuple[str, int | None]:
    """The budget's rule and minimum score from the file's META."""
    named = (meta.get("rule") or "").strip()
    if named in Rule.values:
        rule = named
    else:
        rule = Rule.MES
        notes.append(
            _(
                "The file does not name a counting rule this site has (it says “%(rule)s”), so "
                "the budget counts with the Method of Equal Shares (with Add1 and greedy "
                "completion)."
            )
            % {"rule": named or _("nothing")}
        )
    threshold = None
    text = (meta.get("min_project_score_threshold") or "").strip()
    if text:
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            value = Fraction(-1)
        whole = _whole(value)
        if whole is None or whole < 0:
            raise lines.error(
                _("min_project_score_threshold must be a whole number of 0 or more, not %(value)s")
                % {"value": text},
                lines.meta("min_project_score_threshold"),
            )
        threshold = whole
    return rule, threshold


def _title(meta: Mapping[str, str], source: str) -> str:
    place = ", ".join(
        dict.fromkeys(v for k in ("unit", "district", "subunit") if (v := meta.get(k, "").strip()))
    )
    instance = meta.get("instance", "").strip()
    if place:
        title = _("Participatory budget: %(place)s %(instance)s") % {
            "place": place,
            "instance": instance,
        }
    else:
        title = _("Participatory budget imported from %(file)s") % {"file": Path(source).name}
    return title.strip()[:200]


def _area_name(meta: Mapping[str, str]) -> str:
    parts = dict.fromkeys(
        value for key in ("unit", "district", "subunit") if (value := meta.get(key, "").strip())
    )
    return (", ".join(parts) or _("Whole area"))[:120]


def _dates(meta: Mapping[str, str]) -> dict[str, dt.date | None]:
    """The voting dates when the file gives them as day.month.year (else none)."""
    found: dict[str, dt.date | None] = {}
    for key, name in (("date_begin", "opens_on"), ("date_end", "closes_on")):
        try:
            day = dt.datetime.strptime(meta.get(key, "").strip(), "%d.%m.%Y").date()
        except ValueError:
            return {}
        if day.year < 2000 or day > dt.date.today():
            return {}
        found[name] = day
    if found["closes_on"] and found["opens_on"] and found["closes_on"] < found["opens_on"]:
        return {}
    return found


def _small(meta: Mapping[str, str], key: str) -> int | None:
    try:
        value = int(meta.get(key, "").strip())
    except ValueError:
        return None
    return value if 0 <= value <= _SMALL else None


def _choices(meta: Mapping[str, str]) -> dict[str, int | None]:
    """The ballot's limits as the file states them (for the pages; the count does not use them)."""
    low, high = _small(meta, "min_length"), _small(meta, "max_length")
    fields: dict[str, int | None] = {"min_choices": 1 if low is None else low, "max_choices": high}
    if high is not None and high < (low or 0):
        fields["max_choices"] = None
    elif high is not None and low is None:
        fields["min_choices"] = min(1, high)
    points = _small(meta, "max_sum_points")
    if points:
        fields["points"] = points
    return fields


def _decimal(text: str, low: int, high: int) -> Decimal | None:
    try:
        value = Decimal(text.strip()).quantize(Decimal("0.00001"))
    except (InvalidOperation, ValueError):
        return None
    return value if low <= value <= high else None


def _projects(election: Election, budget: Budget, area: Area, lines: _Lines) -> dict[str, Proposal]:
    """Every project as a published, feasible proposal keeping its id as its reference."""
    rows = []
    for project in election.projects:
        cost = _whole(project.cost)
        if cost is None:
            raise lines.error(
                _("the cost of project %(id)s must be a whole number, not %(cost)s")
                % {"id": project.id, "cost": str(float(project.cost))},
                lines.project(project.id),
            )
        if len(project.id) > 40:
            raise lines.error(
                _("project id %(id)s is longer than 40 characters") % {"id": project.id[:40]},
                lines.project(project.id),
            )
        rows.append((project, cost))
    contributions = Contribution.objects.bulk_create(
        [
            Contribution(
                activity=budget.activity,
                kind=PROPOSAL,
                author=None,
                author_display=AuthorDisplay.ANONYMOUS,
                visibility=Visibility.PUBLISHED,
                # Counted elsewhere: nobody here is waiting for a feasibility answer.
                needs_answer=False,
            )
            for _project in rows
        ],
        batch_size=BATCH,
    )
    proposals = []
    for contribution, (project, cost) in zip(contributions, rows, strict=True):
        fields = project.fields
        latitude = _decimal(fields.get("latitude", ""), -90, 90)
        longitude = _decimal(fields.get("longitude", ""), -180, 180)
        if latitude is None or longitude is None:
            latitude = longitude = None
        proposals.append(
            Proposal(
                contribution=contribution,
                budget=budget,
                area=area,
                reference=project.id,
                title=(fields.get("name") or "").strip()[:150].strip() or project.id,
                description=(fields.get("description") or "").strip()[:5000].strip(),
                estimated_cost=cost,
                cost=cost,
                feasibility=Feasibility.FEASIBLE,
                latitude=latitude,
                longitude=longitude,
            )
        )
    Proposal.objects.bulk_create(proposals, batch_size=BATCH)
    return {proposal.reference: proposal for proposal in proposals}


def public_id_of(budget: Budget, voter_id: str) -> str:
    """The anonymised voter id of an imported ballot: a keyed hash of the file's voter id, the
    same for the same budget and voter (unlike ``actions.hash_secret``, the id is not normalised,
    so voter ids that differ only in case or dashes stay apart)."""
    message = f"pabulib:{budget.pk}:{voter_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def _insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Plain ``INSERT``s of many rows: the ORM's ``bulk_create`` spends most of an import building
    and compiling hundreds of thousands of model instances. SQLite takes one statement for many
    rows (``executemany``); PostgreSQL, ``COPY``."""
    quote = connection.ops.quote_name
    table = f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 (our own names)
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH)):
            cursor.executemany(sql, batch)


def _ballots(
    election: Election,
    budget: Budget,
    area: Area,
    proposals: Mapping[str, Proposal],
    lines: _Lines,
    notes: list[str],
) -> None:
    """Every ballot with its choices: 1 for approval, the points, or the rank (1 = first)."""
    vote_type = election.vote_type
    points = vote_type in ("cumulative", "scoring")
    ordinal = vote_type == "ordinal"
    keys = {reference: proposal.pk for reference, proposal in proposals.items()}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    public_ids = [public_id_of(budget, ballot.voter_id) for ballot in election.ballots]
    if len(set(public_ids)) != len(public_ids):  # two voter ids with one hash: never seen
        raise lines.error(_("two voter ids could not be told apart"), None)
    try:
        with transaction.atomic():
            _insert(
                Ballot,
                [
                    "budget_id",
                    "area_id",
                    "paper_reference",
                    "source",
                    "public_id",
                    "postcode_district",
                    "created_at",
                    "updated_at",
                ],
                (
                    (budget.pk, area.pk, "", BallotSource.IMPORTED.value, public_id, "", now, now)
                    for public_id in public_ids
                ),
            )
    except IntegrityError as error:
        raise lines.error(_("a voter id is already in use on this site"), None) from error
    pks = dict(Ballot.objects.filter(budget=budget).values_list("public_id", "pk"))
    own_points = False
    choices: list[tuple[int, int, int]] = []
    for public_id, ballot in zip(public_ids, election.ballots, strict=True):
        pk = pks[public_id]
        for position, reference in enumerate(ballot.projects):
            if points:
                assert ballot.points is not None
                value = _whole(ballot.points[position])
                if value is None or value < 1:
                    raise lines.error(
                        _(
                            "the ballot of %(voter)s gives %(points)s points: points must be "
                            "whole numbers of 1 or more"
                        )
                        % {"voter": ballot.voter_id, "points": str(ballot.points[position])},
                        lines.voter(ballot.voter_id),
                    )
            elif ordinal:
                value = position + 1
                if (
                    ballot.points is not None
                    and ballot.points[position] != len(ballot.projects) - position
                ):
                    own_points = True
            else:
                value = 1
            choices.append((pk, keys[reference], value))
    _insert(BallotChoice, ["ballot_id", "proposal_id", "value"], choices)
    if own_points:
        notes.append(
            _(
                "The rankings in this file carry their own points. The site keeps the order of "
                "each ranking only, so a count by points may differ from the file's."
            )
        )


# --- Export ------------------------------------------------------------------------------------


def _area_election(budget: Budget, area: Area, on_ballot: list[Proposal]) -> Election:
    election = election_for(budget, area, [p for p in on_ballot if p.area_id == area.pk])
    meta = dict(election.meta)
    if budget.rule == Rule.MES and meta.get("rule") in Rule.values:
        # An imported budget whose rule was changed to Equal Shares: the file's old rule would
        # say the wrong thing (Pabulib has no name for Equal Shares with Add1 and greedy).
        del meta["rule"]
    return Election(
        meta=meta,
        projects=election.projects,
        ballots=election.ballots,
        project_columns=election.project_columns,
        vote_columns=election.vote_columns,
    )


def export_election(budget: Budget) -> list[Election]:
    """One Pabulib instance per area (in the order the areas were added): the area's money, the
    projects on its ballot (``project_id`` = reference) and its ballots (``voter_id`` = the
    ballot's anonymised ``public_id``)."""
    on_ballot = list(budget.proposals.on_ballot())
    return [_area_election(budget, area, on_ballot) for area in budget.areas.order_by("pk")]


def export_pb(budget: Budget, area: Area | None = None) -> str:
    """The ``.pb`` text of one area of the budget: ``area``, or else the first one added.

    A Pabulib file holds one budget, so a budget with several areas is exported one area at a
    time (``/budgets/<id>/export.pb?area=<area id>``; without ``area``, the first area).
    """
    if area is None:
        area = budget.areas.order_by("pk").first()
        if area is None:
            raise ValueError("a budget without areas has nothing to export")
    elif area.budget_id != budget.pk:
        raise ValueError("the area is not one of the budget's")
    return format_pabulib(_area_election(budget, area, list(budget.proposals.on_ballot())))
