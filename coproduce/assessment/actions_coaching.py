"""Every write of coaching sessions: setting one up, changing it, and a participant leaving it
(decision 0088).

A session is private to the coach and the participants, so whoever sets it up must be one of them:
the coach, or a participant who names their coach. People are found by the email address of their
account. Each action checks its own rule (PermissionDenied).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.assessment import rules
from coproduce.assessment.models import CoachingSession
from coproduce.common.dates import long_date, years_after
from coproduce.common.permissions import require
from coproduce.services.models import Service

Role = Literal["coach", "participant"]
ROLES: tuple[str, ...] = ("coach", "participant")
# A coaching session is with a team or one person: a few people, not a meeting of everyone.
PARTICIPANTS_MAX = 10
TEXT_MAX = 4000
# Sessions are recorded afterwards (up to a year) or planned ahead (up to a year).
YEARS_BACK = 1
YEARS_AHEAD = 1


def session_dates() -> tuple[dt.date, dt.date]:
    """The first and last dates a session may be on: a year ago, and a year from today."""
    today = timezone.localdate()
    return years_after(today, -YEARS_BACK), years_after(today, YEARS_AHEAD)


def _account(email: str) -> User | None:
    return User.objects.filter(email__iexact=email, is_active=True).first()


def _unknown(email: str) -> str:
    return _(
        "There is no account with the email address %(email)s. Ask them to create one first."
    ) % {"email": email}


def _distinct(emails: Iterable[str]) -> list[str]:
    """The addresses, stripped, without blanks or the same address twice (in any case)."""
    seen: dict[str, str] = {}
    for email in emails:
        email = (email or "").strip()
        if email and email.lower() not in seen:
            seen[email.lower()] = email
    return list(seen.values())


def _check_details(
    errors: dict[str, list[str]], held_on: dt.date | None, goals: str, next_steps: str
) -> None:
    """The date, goals and next steps of a session: the same checks when it is set up and changed."""
    earliest, latest = session_dates()
    if held_on is None:
        errors.setdefault("held_on", []).append(_("Enter the date of the session."))
    elif not earliest <= held_on <= latest:
        errors.setdefault("held_on", []).append(
            _(
                "The date of the session must be between %(earliest)s and %(latest)s: up to a year "
                "ago for a session you are recording afterwards, or up to a year ahead."
            )
            % {"earliest": long_date(earliest), "latest": long_date(latest)}
        )
    if not goals:
        errors.setdefault("goals", []).append(
            _("Enter the goals of the session: what the participants want to get better at.")
        )
    elif len(goals) > TEXT_MAX:
        errors.setdefault("goals", []).append(
            _("The goals must be %(limit)s characters or fewer. They have %(length)s.")
            % {"limit": TEXT_MAX, "length": len(goals)}
        )
    if len(next_steps) > TEXT_MAX:
        errors.setdefault("next_steps", []).append(
            _("The next steps must be %(limit)s characters or fewer. They have %(length)s.")
            % {"limit": TEXT_MAX, "length": len(next_steps)}
        )


def _coach(errors: dict[str, list[str]], by: User, role: str, coach_email: str) -> User | None:
    """The session's coach: whoever sets it up, or the account a participant names."""
    if role == "coach":
        return by
    if role != "participant":
        errors.setdefault("role", []).append(
            _("Choose whether you are the coach or one of the people being coached.")
        )
        return None
    email = (coach_email or "").strip()
    if not email:
        errors.setdefault("coach_email", []).append(
            _("Enter the email address of your coach’s account.")
        )
        return None
    coach = _account(email)
    if coach is None:
        errors.setdefault("coach_email", []).append(_unknown(email))
    elif coach.pk == by.pk:
        errors.setdefault("coach_email", []).append(
            _(
                "This is your own email address. If you are the coach, choose “I am the coach”; "
                "otherwise enter your coach’s email address."
            )
        )
        return None
    return coach


def _participants(
    errors: dict[str, list[str]], by: User, role: str, coach: User | None, emails: list[str]
) -> list[User]:
    """The people being coached: the accounts named (and whoever sets it up, as a participant)."""
    people: dict[int, User] = {by.pk: by} if role == "participant" else {}
    problems: list[str] = []
    for email in _distinct(emails):
        person = _account(email)
        if person is None:
            problems.append(_unknown(email))
        elif coach is not None and person.pk == coach.pk:
            problems.append(
                _(
                    "You are the coach, so you cannot also be a participant. Take your own email "
                    "address out of the list."
                )
                if coach.pk == by.pk
                else _(
                    "%(name)s is the coach, so they cannot also be a participant. Take "
                    "%(email)s out of the list."
                )
                % {"name": person, "email": email}
            )
        else:
            people[person.pk] = person
    if not problems:
        if not people:
            problems.append(_("Enter the email address of at least one person being coached."))
        elif len(people) > PARTICIPANTS_MAX:
            problems.append(
                _(
                    "A session can have at most %(limit)s participants. It has %(count)s: "
                    "set up more than one session."
                )
                % {"limit": PARTICIPANTS_MAX, "count": len(people)}
            )
    if problems:
        errors.setdefault("participant_emails", []).extend(problems)
    return list(people.values())


@transaction.atomic
def session_add(
    *,
    service: Service,
    by: User,
    role: Role | str,
    coach_email: str = "",
    participant_emails: list[str],
    held_on: dt.date | None,
    goals: str,
    next_steps: str = "",
) -> CoachingSession:
    """Record a coaching session about the service. Whoever records it is the coach (``role``
    "coach") or one of the participants ("participant", naming the coach by ``coach_email``)."""
    require(rules.can_start_coaching(by, service))
    goals, next_steps = (goals or "").strip(), (next_steps or "").strip()
    errors: dict[str, list[str]] = {}
    coach = _coach(errors, by, role, coach_email)
    participants = _participants(errors, by, role, coach, participant_emails)
    _check_details(errors, held_on, goals, next_steps)
    if errors:
        raise ValidationError(errors)
    assert coach is not None
    assert held_on is not None
    session = CoachingSession.objects.create(
        service=service,
        coach=coach,
        held_on=held_on,
        goals=goals,
        next_steps=next_steps,
        created_by=by,
    )
    session.participants.set(participants)
    return session


def _locked(session: CoachingSession) -> CoachingSession:
    """The session's row, locked: changes to it happen one at a time."""
    return CoachingSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def session_update(
    *,
    session: CoachingSession,
    by: User,
    held_on: dt.date | None,
    goals: str,
    next_steps: str,
) -> CoachingSession:
    """Change a session's date, goals and the next steps agreed: the coach or a participant."""
    require(rules.can_edit_session(by, session))
    locked = _locked(session)
    goals, next_steps = (goals or "").strip(), (next_steps or "").strip()
    errors: dict[str, list[str]] = {}
    _check_details(errors, held_on, goals, next_steps)
    if errors:
        raise ValidationError(errors)
    assert held_on is not None
    locked.held_on = held_on
    locked.goals = goals
    locked.next_steps = next_steps
    locked.save(update_fields=["held_on", "goals", "next_steps", "updated_at"])
    return locked


@transaction.atomic
def session_leave(*, session: CoachingSession, by: User) -> CoachingSession:
    """Take oneself off a session's participants: after that, one no longer sees it. The coach
    cannot leave: the session is theirs to keep for the others."""
    require(rules.can_view_session(by, session))
    locked = _locked(session)
    if locked.coach_id == by.pk:
        raise ValidationError(
            _(
                "You are the coach of this session, so you cannot leave it: the participants "
                "keep it with you."
            )
        )
    locked.participants.remove(by)
    return locked
