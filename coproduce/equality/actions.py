"""Every write of equality monitoring: a person's answers given with consent, and withdrawn;
population areas and their figures, imported from ONS-style CSV files; the area a service is
compared with.

Each action checks its own rule (PermissionDenied), so the web pages and any other caller behave
the same.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.common.permissions import require
from coproduce.contributions.models import Contribution
from coproduce.equality import rules
from coproduce.equality.categories import BY_CODE, POSTCODE_DISTRICT
from coproduce.equality.models import (
    AREA_CODE_LENGTH,
    CONSENT_VERSION,
    EqualityRecord,
    PopulationArea,
    PopulationCount,
    ServicePopulation,
    SurveyEqualityRecord,
    cipher,
)
from coproduce.organisations.models import Organisation
from coproduce.services.models import Service

IMPORT_COLUMNS = ("area_code", "category", "value", "count")  # and an optional "area_name"
# The outward half of a UK postcode: B31, M1, SW1A, EC2R.
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
LARGEST_COUNT = 100_000_000


def district(text: str) -> str:
    """A postcode district from what a person typed ("b31", "B31 2AB", "b312ab" → "B31"), or ""."""
    compact = re.sub(r"\s+", "", text).upper()
    whole = POSTCODE.match(compact)
    if whole:
        return whole.group(1)
    return compact if DISTRICT.match(compact) else ""


def _clean_answers(answers: dict[str, str]) -> dict[str, str]:
    """Only known questions and answers; an empty answer leaves the question out."""
    cleaned: dict[str, str] = {}
    for code, value in answers.items():
        value = (value or "").strip()
        if not value:
            continue
        if code == POSTCODE_DISTRICT:
            found = district(value)
            if not found:
                raise ValidationError(
                    {code: _("Enter the first half of a postcode, like B31, or leave it empty.")}
                )
            cleaned[code] = found
            continue
        category = BY_CODE.get(code)
        if category is None or value not in dict(category.choices):
            raise ValidationError({code: _("Choose one of the answers.")})
        cleaned[code] = value
    return cleaned


@transaction.atomic
def record_save(*, user: User, answers: dict[str, str], consent: bool) -> EqualityRecord:
    """Keep a person's answers, encrypted, with their explicit consent; replaces earlier ones."""
    require(rules.can_answer(user))
    if not consent:
        raise ValidationError(
            {"consent": _("Tick the box to say you agree, or leave this page without saving.")}
        )
    cleaned = _clean_answers(answers)
    # The person's row, locked: two first saves at once (a double submit) would both find no
    # record and the second would end in an IntegrityError (decision 0139).
    User.objects.select_for_update().filter(pk=user.pk).exists()
    record = EqualityRecord.objects.filter(user=user).first()
    if record is None:
        record = EqualityRecord(user=user)
    record.encrypt(cleaned)
    record.consent_version = CONSENT_VERSION
    record.consented_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def record_withdraw(*, user: User) -> bool:
    """Withdraw consent: the answers are deleted at once. Whether there were any."""
    require(rules.can_answer(user))
    deleted, _count = EqualityRecord.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def survey_record_save(*, contribution: Contribution, answers: dict[str, str]) -> None:
    """Keep the equality answers given at the end of an anonymous survey answer, with it.

    The caller has the person's consent (the form's box) and has just made the contribution;
    answers given with the person's account are kept by ``record_save`` instead (decision 0110).
    """
    if contribution.author_id is not None:
        raise ValueError("Answers given with an account are kept with the account.")
    record = SurveyEqualityRecord(contribution=contribution, consented_at=timezone.now())
    record.encrypt(_clean_answers(answers))
    record.save()


def survey_records_delete(*, contribution_ids: Iterable[int]) -> int:
    """Delete the equality answers given with these anonymous survey answers (never confirmed,
    so never counted: decision 0110). How many were deleted."""
    deleted, _count = SurveyEqualityRecord.objects.filter(
        contribution_id__in=list(contribution_ids)
    ).delete()
    return deleted


def records_rotate() -> int:
    """Encrypt again with the first key every record written with another one (after a new key
    is put first). Safe to run again: a record already under the first key is left alone."""
    first = Fernet(settings.EQUALITY_KEYS[0].encode())
    changed = 0
    for model in (EqualityRecord, SurveyEqualityRecord):
        for record in model.objects.only("answers").iterator():
            try:
                first.decrypt(record.answers.encode())
            except InvalidToken:
                rotated = cipher().rotate(record.answers.encode()).decode()
                model.objects.filter(pk=record.pk).update(answers=rotated)
                changed += 1
    return changed


# --- Population ---------------------------------------------------------------------------------


@transaction.atomic
def area_save(
    *, organisation: Organisation, by: User, code: str, name: str, source: str = ""
) -> PopulationArea:
    """Add an area, or rename one the organisation already has with this code."""
    require(rules.can_keep_population(by, organisation))
    code = code.strip().upper()
    if len(code) > AREA_CODE_LENGTH:  # the form counted before capitals ("ß" is "SS")
        raise ValidationError(
            {
                "code": _("The area code must be %(max)d characters or fewer.")
                % {"max": AREA_CODE_LENGTH}
            }
        )
    area, _created = PopulationArea.objects.update_or_create(
        organisation=organisation, code=code, defaults={"name": name.strip(), "source": source}
    )
    area.full_clean()
    return area


@transaction.atomic
def population_import(*, organisation: Organisation, by: User, text: str, source: str) -> int:
    """Set the population figures of a CSV file (area_code, category, value, count, and an
    optional area_name for a new area): all or nothing; each problem names its line. A figure the
    area already has is replaced. Returns how many figures were set."""
    require(rules.can_keep_population(by, organisation))
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not set(IMPORT_COLUMNS) <= set(header):
        raise ValidationError(
            _(
                "%(source)s, line 1: the columns must be area_code, category, value, count and "
                "(optional) area_name."
            )
            % {"source": source}
        )
    reader.fieldnames = header
    areas = {area.code: area for area in PopulationArea.objects.filter(organisation=organisation)}
    new_names: dict[str, str] = {}
    seen: dict[tuple[str, str, str], int] = {}
    figures: list[tuple[str, str, str, int]] = []
    errors: list[str] = []
    for row in reader:
        cells = {key: (value or "").strip() for key, value in row.items() if key is not None}
        if not any(cells.values()):
            continue
        line = reader.line_num
        problem = _import_problem(cells, areas, new_names, seen, line)
        if problem:
            errors.append(
                _("%(source)s, line %(line)s: %(problem)s.")
                % {"source": source, "line": line, "problem": problem}
            )
            continue
        value = cells["value"]
        if cells["category"] == POSTCODE_DISTRICT:
            value = district(value)  # as answers are kept: "b31" is B31
        figures.append((cells["area_code"].upper(), cells["category"], value, int(cells["count"])))
    if errors:
        raise ValidationError(errors)
    if not figures:
        raise ValidationError(_("%(source)s has no figures.") % {"source": source})
    for code, name in new_names.items():
        areas[code] = PopulationArea.objects.create(
            organisation=organisation, code=code, name=name, source=source
        )
    for code, category, value, count in figures:
        PopulationCount.objects.update_or_create(
            area=areas[code], category=category, value=value, defaults={"count": count}
        )
    return len(figures)


def _import_problem(
    cells: dict[str, str],
    areas: dict[str, PopulationArea],
    new_names: dict[str, str],
    seen: dict[tuple[str, str, str], int],
    line: int,
) -> str | None:
    code = cells.get("area_code", "").upper()
    if not code:
        return _("the area_code is empty")
    if len(code) > 20:
        return _("the area_code %(code)s is longer than 20 characters") % {"code": code}
    if code not in areas:
        name = cells.get("area_name", "")
        if not name and code not in new_names:
            return _("there is no area %(code)s yet: give its name in an area_name column") % {
                "code": code
            }
        if name:
            new_names.setdefault(code, name[:200])
    category_code, value = cells.get("category", ""), cells.get("value", "")
    if category_code == POSTCODE_DISTRICT:
        if district(value) != value.upper() or not value:
            return _("%(value)s is not a postcode district like B31") % {
                "value": value or "(empty)"
            }
    else:
        category = BY_CODE.get(category_code)
        if category is None:
            return _("there is no category %(category)s (the categories are %(list)s)") % {
                "category": category_code or "(empty)",
                "list": ", ".join([*BY_CODE, POSTCODE_DISTRICT]),
            }
        if value not in dict(category.options):
            return _("%(value)s is not an answer of %(category)s (the answers are %(list)s)") % {
                "value": value or "(empty)",
                "category": category_code,
                "list": ", ".join(dict(category.options)),
            }
    count = cells.get("count", "")
    if not (count.isascii() and count.isdigit()) or int(count) > LARGEST_COUNT:
        return _("the count must be a whole number of people, like 1520, not %(count)s") % {
            "count": count or "(empty)"
        }
    key = (code, category_code, district(value) if category_code == POSTCODE_DISTRICT else value)
    if key in seen:
        return _("the same figure is on line %(line)s") % {"line": seen[key]}
    seen[key] = line
    return None


@transaction.atomic
def service_area_set(*, service: Service, by: User, area: PopulationArea | None) -> None:
    """Compare the service's participation with this area's population (None: with no area)."""
    require(rules.can_choose_area(by, service))
    if area is None:
        ServicePopulation.objects.filter(service=service).delete()
        return
    if area.organisation_id != service.organisation_id:
        raise ValidationError({"area": _("Choose one of your organisation's areas.")})
    ServicePopulation.objects.update_or_create(service=service, defaults={"area": area})
