"""Pages of governance: boards and meetings for everyone, and the clerk's pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.types import SignedInRequest
from coproduce.common import documents as papers
from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.governance import actions, calendar, forms, queries, rules
from coproduce.governance.models import AgendaItem, Board, Meeting, Paper, Question
from coproduce.services.models import Service
from coproduce.services.queries import visible_service

# --- Public pages ---------------------------------------------------------------------------


@rule_required(rules.can_view_boards_of, load=visible_service)
def board_list(request: HttpRequest, service: Service) -> HttpResponse:
    """The boards that govern a service."""
    return render(
        request,
        "governance/board_list.html",
        {
            "service": service,
            "boards": service.boards.all(),
            "can_clerk": rules.can_clerk_service(request.user, service),
        },
    )


@rule_required(rules.can_view_board, load=queries.visible_board)
def board_detail(request: HttpRequest, board: Board) -> HttpResponse:
    """A board: its remit, members (with the register of interests) and meetings."""
    return render(
        request,
        "governance/board_detail.html",
        {
            "board": board,
            "service": board.service,
            "members": board.memberships.all(),
            "meetings": paginate(request, queries.meetings_seen_by(request.user, board)),
            "can_clerk": rules.can_clerk(request.user, board),
        },
    )


@rule_required(rules.can_view_meeting, load=queries.visible_meeting)
def meeting_detail(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """A meeting: when and where, agenda, questions, minutes, attendance, decisions, actions."""
    context = queries.meeting_context(request.user, meeting)
    context["registration_form"] = forms.RegistrationForm()
    return render(request, "governance/meeting_detail.html", context)


@rule_required(rules.can_register, load=queries.visible_meeting)
@require_http_methods(["GET", "POST"])
def meeting_register(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    """Take a public seat, saying what one needs to take part."""
    form = forms.RegistrationForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.registration_create(
            meeting=meeting, user=request.user, access_needs=data["access_needs"]
        ),
        success=meeting.get_absolute_url(),
        message=_("You have a seat at this meeting."),
    )
    return done or render(
        request,
        "governance/register_form.html",
        {"form": form, "meeting": meeting, "service": meeting.board.service},
    )


@rule_required(rules.can_view_meeting, load=queries.visible_meeting)
@require_POST
def registration_cancel(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    """Give up one's seat."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={meeting.get_absolute_url()}")
    try:
        actions.registration_cancel(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your seat is cancelled."))
    return redirect(meeting.get_absolute_url())


@rule_required(rules.can_ask_question, load=queries.visible_meeting)
@require_http_methods(["GET", "POST"])
def question_create(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    """Ask the board a question before the meeting."""
    form = forms.QuestionForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.question_ask(meeting=meeting, author=request.user, text=data["text"]),
        success=meeting.get_absolute_url(),
        message=_("Thank you. The board will answer your question in the minutes."),
    )
    return done or render(
        request,
        "governance/question_form.html",
        {
            "form": form,
            "meeting": meeting,
            "service": meeting.board.service,
            "started": meeting.has_started,
        },
    )


@rule_required(rules.can_view_paper, load=queries.visible_paper, hide=True)
def paper_download(request: HttpRequest, paper: Paper) -> FileResponse:
    """A meeting paper, as a download."""
    return FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(paper.title) or 'paper'}.{paper.kind}",
        content_type=papers.CONTENT_TYPES[paper.kind],
    )


@rule_required(rules.can_view_boards_of, load=visible_service)
def meetings_ical(request: HttpRequest, service: Service) -> HttpResponse:
    """The service's public meetings as an iCalendar feed."""
    return HttpResponse(
        calendar.feed(service, queries.public_meetings_of(service)),
        content_type="text/calendar; charset=utf-8",
    )


# --- The clerk's pages ----------------------------------------------------------------------


@rule_required(rules.can_clerk_service, load=visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def board_create(request: SignedInRequest, service: Service) -> HttpResponse:
    form = forms.BoardForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.board_create(service=service, created_by=request.user, **data),
        success=lambda board: board.get_absolute_url(),
        message=_("Board added."),
    )
    return done or render(
        request, "governance/staff_form.html", _form(form, service, _("Add a board"))
    )


@rule_required(rules.can_clerk, load=queries.visible_board, staff=True)
@require_http_methods(["GET", "POST"])
def member_add(request: SignedInRequest, board: Board) -> HttpResponse:
    form = forms.MemberForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.membership_add(board=board, added_by=request.user, **data),
        success=board.get_absolute_url(),
        message=_("Member added."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(form, board.service, _("Add a member"), caption=board.name),
    )


@rule_required(rules.can_clerk, load=queries.visible_board, staff=True)
@require_http_methods(["GET", "POST"])
def meeting_create(request: SignedInRequest, board: Board) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None)

    def create(data: dict[str, object]) -> Meeting:
        starts_at, ends_at = form.meeting_times()
        return actions.meeting_create(
            board=board,
            title=str(data["title"]),
            starts_at=starts_at,
            ends_at=ends_at,
            format=str(data["format"]),
            place=str(data["place"]),
            link=str(data["link"]),
            is_public=bool(data["is_public"]),
            public_seats=int(str(data["public_seats"])),
            minutes_due_on=data["minutes_due_on"],  # type: ignore[arg-type]
            created_by=request.user,
        )

    done = handle_form(
        request,
        form,
        create,
        success=lambda meeting: reverse("governance:clerk", args=[meeting.pk]),
        message=_("Meeting arranged. Now write its agenda."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(form, board.service, _("Arrange a meeting"), caption=board.name),
    )


@rule_required(rules.can_clerk_meeting, load=queries.visible_meeting, staff=True)
@require_http_methods(["GET", "POST"])
def clerk(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    """The clerk's page of a meeting: agenda, registrations, and links to the rest."""
    form = forms.AgendaItemForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.agenda_item_add(meeting=meeting, added_by=request.user, **data),
        success=reverse("governance:clerk", args=[meeting.pk]),
        message=_("Agenda item added."),
    )
    if done:
        return done
    context = queries.meeting_context(request.user, meeting)
    context["form"] = form
    context["registrations"] = meeting.registrations.select_related("user")
    context["all_questions"] = meeting.questions.select_related("contribution").prefetch_related(
        "contribution__responses"
    )
    return render(request, "governance/clerk.html", context)


@rule_required(rules.can_add_paper, load=queries.visible_agenda_item, staff=True)
@require_http_methods(["GET", "POST"])
def paper_add(request: SignedInRequest, item: AgendaItem) -> HttpResponse:
    """Attach a paper to an agenda item."""
    meeting = item.meeting
    form = forms.PaperForm(request.POST or None, request.FILES or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.paper_add(
            item=item, title=data["title"], upload=data["upload"], added_by=request.user
        ),
        success=reverse("governance:clerk", args=[meeting.pk]),
        message=_("Paper added."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(form, meeting.board.service, _("Add a paper"), caption=item.title),
    )


@rule_required(rules.can_clerk_meeting, load=queries.visible_meeting, staff=True)
@require_POST
def agenda_publish(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    try:
        actions.agenda_publish(meeting=meeting, published_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agenda is published."))
    return redirect("governance:clerk", meeting.pk)


@rule_required(rules.can_clerk_meeting, load=queries.visible_meeting, staff=True)
@require_http_methods(["GET", "POST"])
def attendance(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    form = forms.attendance_form(meeting, request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.attendance_record(
            meeting=meeting, statuses=forms.statuses_from(data), recorded_by=request.user
        ),
        success=reverse("governance:clerk", args=[meeting.pk]),
        message=_("Attendance saved."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(form, meeting.board.service, _("Record attendance"), caption=meeting.title),
    )


@rule_required(rules.can_clerk_meeting, load=queries.visible_meeting, staff=True)
@require_http_methods(["GET", "POST"])
def minutes(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    form = forms.MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    done = handle_form(
        request,
        form,
        lambda data: actions.minutes_publish(
            meeting=meeting, minutes=data["minutes"], published_by=request.user
        ),
        success=meeting.get_absolute_url(),
        message=_("The minutes are published and recorded on the public ledger."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(
            form,
            meeting.board.service,
            _("Correct the minutes") if meeting.minutes_published_at else _("Publish the minutes"),
            caption=meeting.title,
            hint=_(
                "Published minutes are recorded on the public ledger. A change after that is "
                "recorded as a correction, and both stay on the ledger."
            ),
        ),
    )


@rule_required(rules.can_clerk_meeting, load=queries.visible_meeting, staff=True)
@require_http_methods(["GET", "POST"])
def decision_create(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    form = forms.decision_form(meeting, request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.meeting_decision_record(
            meeting=meeting,
            title=data["title"],
            description=data["description"],
            votes=forms.votes_from(data),
            # The published questions: a decision links only those (decision 0129).
            contributions=[q.contribution for q in queries.questions_of(meeting)],
            recorded_by=request.user,
        ),
        success=meeting.get_absolute_url(),
        message=_("Decision recorded, with its votes, on the public ledger."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(
            form,
            meeting.board.service,
            _("Record a decision"),
            caption=meeting.title,
            hint=_(
                "Leave a member's vote as “Did not vote” when the board does not record votes. "
                "The decision is linked to the public questions asked for this meeting."
            ),
        ),
    )


@rule_required(rules.can_answer_question, load=queries.visible_question, staff=True)
@require_http_methods(["GET", "POST"])
def question_answer(request: SignedInRequest, question: Question) -> HttpResponse:
    """Answer a public question (the answer shows with the minutes)."""
    meeting = question.meeting
    form = forms.AnswerForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.question_answer(
            question=question, author=request.user, body=data["body"]
        ),
        success=reverse("governance:clerk", args=[meeting.pk]),
        message=_("Answer published."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(
            form,
            meeting.board.service,
            _("Answer a question"),
            caption=meeting.title,
            quote=question.text,
        ),
    )


@rule_required(rules.can_clerk_meeting, load=queries.visible_meeting, staff=True)
@require_http_methods(["GET", "POST"])
def action_create(request: SignedInRequest, meeting: Meeting) -> HttpResponse:
    form = forms.ActionForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.action_add(meeting=meeting, added_by=request.user, **data),
        success=reverse("governance:clerk", args=[meeting.pk]),
        message=_("Action added to the log."),
    )
    return done or render(
        request,
        "governance/staff_form.html",
        _form(form, meeting.board.service, _("Add an action"), caption=meeting.title),
    )


def _form(form: object, service: Service, title: str, **extra: object) -> dict[str, object]:
    return {"form": form, "service": service, "title": title, **extra}
