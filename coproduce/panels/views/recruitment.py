"""The coordinators' pages that fill a panel's pool: the address list and the draw of the
addresses that get a letter, the letters and the mail-house file, and the people who registered
(docs/panels-coordinators-guide.md). Every answer is ``no_store``: registration codes and
personal data must not stay in caches."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.panels import actions_selection, queries, rules
from coproduce.panels import forms_staff as forms
from coproduce.panels.letters import invitation_letters, registration_link, registration_url
from coproduce.panels.models import (
    ON_PANEL,
    PHASE_ORDER,
    Panel,
    Phase,
    Registrant,
    RegistrantStatus,
    RegistrationData,
)
from coproduce.panels.views.staff import no_store, panel_context

LETTERS_PER_FILE = 1000  # about 10 seconds to make, 3 MB


# --- Invitations ---------------------------------------------------------------------------------


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def invitations(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Upload the address list, then draw the addresses that get a letter."""
    step = request.POST.get("step") if request.method == "POST" else None
    import_form = forms.AddressesForm(
        request.POST if step == "import" else None,
        request.FILES if step == "import" else None,
        prefix="import",
    )
    draw_form = forms.DrawForm(request.POST if step == "draw" else None, prefix="draw")
    url = reverse("panels:invitations", args=[panel.pk])
    done = None
    if step == "import":

        def run_import(data: dict[str, Any]) -> int:
            text, source, _field = import_form.table()
            try:
                return actions_selection.invitations_import(
                    panel=panel, by=request.user, text=text, source=source
                )
            except ValidationError as error:  # each message names its line
                raise ValidationError({"text": error.messages}) from error

        done = handle_form(
            request,
            import_form,
            run_import,
            success=url,
            message=lambda count: (
                ngettext("%(count)d address added.", "%(count)d addresses added.", count)
                % {"count": count}
            ),
        )
    elif step == "draw":
        done = handle_form(
            request,
            draw_form,
            lambda data: actions_selection.invitations_draw(panel=panel, by=request.user, **data),
            success=url,
            message=lambda drawn: (
                ngettext(
                    "%(count)d address drawn. Its letter is ready.",
                    "%(count)d addresses drawn. Their letters are ready.",
                    len(drawn),
                )
                % {"count": len(drawn)}
            ),
        )
    addresses = panel.invitations
    page = paginate(request, addresses.filter(drawn=True).order_by("property_reference"))
    response = done or render(
        request,
        "panels/staff/invitations.html",
        panel_context(
            panel,
            import_form=import_form,
            draw_form=draw_form,
            page=page,
            addresses=addresses.count(),
            undrawn=addresses.filter(drawn=False).count(),
            drawn=page.paginator.count,
            parts=letter_parts(page.paginator.count),
            open=PHASE_ORDER.index(panel.phase) <= PHASE_ORDER.index(Phase.REGISTRATION),
        ),
    )
    return no_store(response)


def _drawn(panel: Panel) -> Any:
    return panel.invitations.filter(drawn=True).order_by("property_reference")


def _file_name(panel: Panel, what: str, extension: str) -> str:
    title = slugify(panel.activity.title) or "panel"
    return f"{title}-{what}-{timezone.localdate():%Y%m%d}.{extension}"


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def mail_house_csv(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """The drawn addresses for a mail house: address, code and the registration link."""
    drawn = list(_drawn(panel))
    lines = max((len(invitation.address_lines) for invitation in drawn), default=1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "reference",
            *(f"address_line_{n}" for n in range(1, lines + 1)),
            "postcode",
            "registration_code",
            "registration_url",
            "link_with_code",
        ]
    )
    url = registration_url(panel)
    for invitation in drawn:
        address = [*invitation.address_lines, *[""] * (lines - len(invitation.address_lines))]
        code = invitation.registration_code or ""
        writer.writerow(
            [
                invitation.property_reference,
                *address,
                invitation.postcode,
                code,
                url,
                registration_link(panel, code),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(panel, "invitations", "csv")}"'
    )
    return no_store(response)


def letter_parts(drawn: int) -> list[tuple[int, int, int]]:
    """(part, first, last) of the letter files: LETTERS_PER_FILE letters in each."""
    return [
        (number, start + 1, min(start + LETTERS_PER_FILE, drawn))
        for number, start in enumerate(range(0, drawn, LETTERS_PER_FILE), 1)
    ]


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def letters_pdf(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """The invitation letters, one A4 page per drawn address, to print; ``?part=N`` for the
    Nth file of LETTERS_PER_FILE letters (a file is made while the browser waits)."""
    drawn = _drawn(panel)
    part = request.GET.get("part", "1")
    number = int(part) if part.isdigit() and len(part) < 6 else 0
    start = (number - 1) * LETTERS_PER_FILE
    chosen = list(drawn[start : start + LETTERS_PER_FILE]) if number > 0 else []
    if not chosen:
        messages.info(request, _("Draw the addresses first: letters go to drawn addresses only."))
        return redirect("panels:invitations", panel.pk)
    what = "letters" if number == 1 and len(chosen) < LETTERS_PER_FILE else f"letters-{number}"
    response = HttpResponse(invitation_letters(panel, chosen), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(panel, what, "pdf")}"'
    return no_store(response)


# --- Registrants ---------------------------------------------------------------------------------


def _told(person: Registrant, data: RegistrationData | None, allowed: bool) -> str:
    """Whether someone drawn was told by email: "told", "no_email" (when the viewer may see the
    contact details), "waiting", or "" for people not drawn (decision 0069)."""
    if person.told_selected_at is not None:
        return "told"
    if person.status not in ON_PANEL:
        return ""
    if allowed and (data is None or not data.email):
        return "no_email"
    return "waiting"


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def registrants(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Everyone who registered, with their status and whether the drawn were told by email;
    their answers only for those allowed."""
    allowed = rules.can_view_registration_data(request.user, panel)
    people = panel.registrants.order_by("id")
    if allowed:
        people = people.select_related("data")
    page = paginate(request, people)
    categories = list(panel.categories.values_list("name", flat=True))
    rows = []
    for person in page.object_list:
        # Registration data are deleted on a schedule: the registrant may have none left.
        data = getattr(person, "data", None) if allowed else None
        answers = data.answers if data is not None else {}
        told = _told(person, data, allowed)
        rows.append((person, data, [answers.get(name, "") for name in categories], told))
    counts = dict(
        panel.registrants.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return no_store(
        render(
            request,
            "panels/staff/registrants.html",
            panel_context(
                panel,
                page=page,
                rows=rows,
                allowed=allowed,
                categories=categories,
                counts=[(label, counts.get(value, 0)) for value, label in RegistrantStatus.choices],
            ),
        )
    )
