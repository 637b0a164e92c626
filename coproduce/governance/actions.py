"""Every write of governance: boards and members, meetings and their agendas, public seats and
questions, attendance, minutes, decisions with votes, and the action log.

Each action checks its own rule (PermissionDenied) so the web pages and the API behave the same.
Published minutes and recorded votes go on the public ledger in the action's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.common import documents as papers
from coproduce.common.permissions import require
from coproduce.contributions.actions import contribution_start, decision_create, response_create
from coproduce.contributions.models import Contribution, Decision, Response
from coproduce.contributions.rules import is_open_for
from coproduce.governance import ledger, queries, rules
from coproduce.governance.models import (
    QUESTION,
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Board,
    BoardKind,
    HowChosen,
    Meeting,
    MeetingDecision,
    MeetingFormat,
    Membership,
    Paper,
    Question,
    Registration,
    Vote,
    VoteChoice,
)
from coproduce.services.actions import activity_create, activity_transition
from coproduce.services.models import ActivityKind, ActivityState, Service


@transaction.atomic
def board_create(
    *, service: Service, name: str, kind: str, remit: str = "", created_by: User
) -> Board:
    """Add a board that governs the service."""
    require(rules.can_clerk_service(created_by, service))
    if kind not in BoardKind.values:
        raise ValidationError({"kind": _("Choose the kind of board.")})
    board = Board(service=service, name=name.strip(), kind=kind, remit=remit.strip())
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def membership_add(
    *,
    board: Board,
    name: str,
    role: str,
    chosen: str,
    term_start: dt.date,
    added_by: User,
    term_end: dt.date | None = None,
    resident: bool = False,
    interests: str = "",
    user: User | None = None,
) -> Membership:
    """Add a member to the board, with their term and declared interests."""
    require(rules.can_clerk(added_by, board))
    if chosen not in HowChosen.values:
        raise ValidationError({"chosen": _("Choose how the member was chosen.")})
    if term_end is not None and term_end < term_start:
        raise ValidationError({"term_end": _("The term must end after it starts.")})
    membership = Membership(
        board=board,
        name=name.strip(),
        role=role.strip(),
        chosen=chosen,
        term_start=term_start,
        term_end=term_end,
        resident=resident,
        interests=interests.strip(),
        user=user,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    format: str,
    minutes_due_on: dt.date,
    created_by: User,
    place: str = "",
    link: str = "",
    is_public: bool = True,
    public_seats: int = 0,
) -> Meeting:
    """Arrange a meeting. It runs as a "meeting" activity in the service's current stage, open
    for public questions when the meeting and its service are public."""
    require(rules.can_clerk(created_by, board))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if minutes_due_on < starts_at.date():
        raise ValidationError(
            {"minutes_due_on": _("The minutes are due on or after the day of the meeting.")}
        )
    if format not in MeetingFormat.values:
        raise ValidationError({"format": _("Choose in person, online or both.")})
    if format != MeetingFormat.ONLINE and not place.strip():
        raise ValidationError({"place": _("Enter where the meeting is.")})
    if format != MeetingFormat.IN_PERSON and not link.strip():
        raise ValidationError({"link": _("Enter the link to join online.")})
    if not is_public:
        public_seats = 0
    service = board.service
    activity = activity_create(
        service=service,
        stage=service.current_stage,
        kind=ActivityKind.MEETING,
        title=title.strip(),
        summary=_("A meeting of the %(board)s.") % {"board": board.name},
        how_to_take_part=_("Register for a public seat or ask a question on the meeting’s page."),
        created_by=created_by,
    )
    if is_public and service.is_published:
        activity = activity_transition(activity=activity, to_state=ActivityState.OPEN)
    meeting = Meeting(
        board=board,
        activity=activity,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        place=place.strip(),
        link=link.strip(),
        is_public=is_public,
        public_seats=public_seats,
        minutes_due_on=minutes_due_on,
    )
    meeting.full_clean(exclude=["activity"])
    meeting.save()
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    """The meeting, its row locked for the transaction: its agenda, attendance and votes change
    one writer at a time."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("board__service", "activity__service_stage")
        .get(pk=meeting.pk)
    )


def _check_agenda_open(meeting: Meeting) -> None:
    """The agenda and its papers are what the meeting considered: fixed once the minutes are out
    (decision 0139)."""
    if meeting.minutes_published_at is not None:
        raise ValidationError(
            _(
                "The minutes are published, so the agenda and its papers can no longer change. "
                "If something is missing, correct the minutes."
            )
        )


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, summary: str = "", added_by: User
) -> AgendaItem:
    """Add an item at the end of the agenda (until the minutes are published)."""
    require(rules.can_clerk_meeting(added_by, meeting))
    meeting = _locked(meeting)  # two items added at once take the next two places
    _check_agenda_open(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1, title=title.strip(), summary=summary)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_publish(*, meeting: Meeting, published_by: User) -> Meeting:
    """Show the agenda to the public."""
    require(rules.can_clerk_meeting(published_by, meeting))
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Add at least one agenda item before you publish the agenda."))
    if meeting.agenda_published_at is None:
        meeting.agenda_published_at = timezone.now()
        meeting.save(update_fields=["agenda_published_at"])
    return meeting


@transaction.atomic
def paper_add(*, item: AgendaItem, title: str, upload: UploadedFile, added_by: User) -> Paper:
    """Attach a paper to an agenda item: a real PDF, DOCX or ODT file of at most 10 MB (until the
    minutes are published)."""
    require(rules.can_clerk_meeting(added_by, item.meeting))
    _check_agenda_open(_locked(item.meeting))
    if not title.strip():
        raise ValidationError({"title": _("Enter the title of the paper.")})
    if upload.size is None or upload.size > papers.MAX_BYTES:
        raise ValidationError({"upload": _("The file must be smaller than 10 MB.")})
    kind = papers.sniff(upload.file) if upload.file is not None else None
    if kind is None or papers.extension_of(upload.name or "") != kind:
        raise ValidationError(
            {"upload": _("The file must be a PDF, a Word document (.docx) or an ODT file.")}
        )
    paper = Paper(item=item, title=title.strip(), kind=kind, size=upload.size)
    paper.file.save(f"paper.{kind}", upload, save=False)
    paper.save()
    return paper


@transaction.atomic
def registration_create(*, meeting: Meeting, user: User, access_needs: str = "") -> Registration:
    """Take one of the meeting's public seats."""
    require(rules.can_register(user, meeting))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)  # seats go one at a time
    if locked.registrations.filter(user=user).exists():
        raise ValidationError(_("You have already registered for this meeting."))
    if locked.registrations.count() >= locked.public_seats:
        raise ValidationError(
            _("All the public seats are taken. You can still ask a question before the meeting.")
        )
    try:
        with transaction.atomic():
            return Registration.objects.create(
                meeting=meeting, user=user, access_needs=access_needs.strip()
            )
    except IntegrityError:
        raise ValidationError(_("You have already registered for this meeting.")) from None


@transaction.atomic
def registration_cancel(*, meeting: Meeting, user: Visitor) -> None:
    """Give up one's seat before the meeting; nothing when one had none. Afterwards the seat is
    the record that the person came (with what they needed to), so it stays."""
    if not user.is_authenticated:
        raise PermissionDenied
    if meeting.has_started:
        raise ValidationError(
            _("This meeting has taken place, so your seat can no longer be cancelled.")
        )
    Registration.objects.filter(meeting=meeting, user_id=user.pk).delete()


@transaction.atomic
def question_ask(*, meeting: Meeting, author: User, text: str) -> Question:
    """Ask the board a question before the meeting; it is answered in the minutes."""
    require(rules.can_ask_question(author, meeting))
    if meeting.has_started:
        raise ValidationError(
            {
                "text": _(
                    "This meeting has started, so it no longer takes questions. "
                    "Ask your question before the board’s next meeting."
                )
            }
        )
    if not is_open_for(meeting.activity, QUESTION):  # its activity closed early, or reported
        raise ValidationError({"text": _("This meeting no longer takes questions.")})
    if not text.strip():
        raise ValidationError({"text": _("Write your question.")})
    contribution = contribution_start(
        activity=meeting.activity, kind=QUESTION, author=author, text=text
    )
    return Question.objects.create(contribution=contribution, meeting=meeting, text=text.strip())


@transaction.atomic
def question_answer(*, question: Question, author: User, body: str) -> Response:
    """Answer a public question (shown with the minutes and in "You said, we did")."""
    require(rules.can_clerk_meeting(author, question.meeting))
    return response_create(contribution=question.contribution, author=author, body=body)


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, statuses: Mapping[int, str], recorded_by: User
) -> list[Attendance]:
    """Record who was present, who sent apologies and who was absent (by membership id): the
    members on the board that day. Someone whose vote at the meeting is recorded was present."""
    require(rules.can_clerk_meeting(recorded_by, meeting))
    meeting = _locked(meeting)  # decisions and their votes wait, and wait for this
    members = {m.pk: m for m in queries.members_on_the_day(meeting)}
    voted = set(
        Vote.objects.filter(meeting_decision__meeting=meeting).values_list(
            "membership_id", flat=True
        )
    )
    rows = []
    for membership_id, status in statuses.items():
        if membership_id not in members or status not in AttendanceStatus.values:
            raise ValidationError(_("Choose present, apologies or absent for each member."))
        if status != AttendanceStatus.PRESENT and membership_id in voted:
            raise ValidationError(
                _(
                    "%(name)s voted on a decision at this meeting, so they were present. Choose "
                    "present for them."
                )
                % {"name": members[membership_id].name}
            )
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, membership=members[membership_id], defaults={"status": status}
        )
        rows.append(row)
    return rows


@transaction.atomic
def minutes_publish(*, meeting: Meeting, minutes: str, published_by: User) -> Meeting:
    """Publish the minutes (or a correction of them) and record them on the public ledger."""
    require(rules.can_clerk_meeting(published_by, meeting))
    if not meeting.has_started:
        raise ValidationError(_("Minutes can be published once the meeting has taken place."))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    meeting.minutes = minutes.strip()
    if meeting.minutes_published_at is None:
        meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_published_at"])
    ledger.record_minutes(meeting)
    return meeting


@transaction.atomic
def meeting_decision_record(
    *,
    meeting: Meeting,
    title: str,
    description: str,
    recorded_by: User,
    votes: Mapping[int, str] | None = None,
    contributions: Iterable[Contribution] = (),
) -> Decision:
    """Record a decision taken at the meeting, through the spine (and so on the ledger), with
    how each member voted when the board records votes (by membership id)."""
    require(rules.can_clerk_meeting(recorded_by, meeting))
    if not meeting.has_started:
        raise ValidationError(_("Decisions are recorded once the meeting has taken place."))
    meeting = _locked(meeting)  # no one is recorded away while their vote is being recorded
    members = {m.pk: m for m in queries.voters(meeting)}
    votes = dict(votes or {})
    if set(votes) - set(members):
        raise ValidationError(
            _(
                "Only members on the board on the day of the meeting, and not recorded absent, "
                "can have voted."
            )
        )
    if any(choice not in VoteChoice.values for choice in votes.values()):
        raise ValidationError(_("Choose for, against or abstained for each member who voted."))
    decision = decision_create(
        service=meeting.board.service,
        stage=meeting.activity.service_stage.stage,
        title=title,
        description=description,
        decided_by=meeting.board.name,
        decided_on=timezone.localdate(meeting.starts_at),
        recorded_by=recorded_by,
        contributions=contributions,
    )
    record = MeetingDecision.objects.create(decision=decision, meeting=meeting)
    Vote.objects.bulk_create(
        Vote(meeting_decision=record, membership=members[pk], choice=choice)
        for pk, choice in votes.items()
    )
    if votes:
        ledger.record_votes(record)
    return decision


@transaction.atomic
def action_add(
    *, meeting: Meeting, description: str, owner: str, due_on: dt.date, added_by: User
) -> Action:
    """Add an item to the meeting's action log."""
    require(rules.can_clerk_meeting(added_by, meeting))
    action = Action(
        meeting=meeting, description=description.strip(), owner=owner.strip(), due_on=due_on
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_mark_done(*, action: Action, done: bool, marked_by: User) -> Action:
    require(rules.can_clerk_meeting(marked_by, action.meeting))
    action.done = done
    action.save(update_fields=["done"])
    return action
