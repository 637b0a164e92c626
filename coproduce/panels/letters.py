"""Printable invitation letters: an A4 PDF with one page per drawn address, carrying the panel's
question, how to register, the address's registration code and a QR code of the registration
link with the code (decision 0062), in DejaVu fonts shipped in ``fonts/`` so that Welsh and any
other language print whole (decision 0070)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import cast
from urllib.parse import urlencode

import qrcode  # type: ignore[import-untyped]  # no stubs; see decision 0062
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]

from coproduce.common.languages import in_language
from coproduce.panels.models import Invitation, Panel

FONTS = Path(__file__).resolve().parent / "fonts"  # DejaVu 2.37, Bitstream Vera licence
SANS = "DejaVuSans"
MONO = "DejaVuSansMono"  # the registration code, every character the same width
# fpdf2 subsets the fonts with fontTools, which logs dozens of INFO lines per file.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
LEFT = 20.0  # mm; the address sits in the window of a DL or C5 envelope
WIDTH = 170.0
QR_SIZE = 36.0
LINE = 5.2
MASK = 2


def registration_url(panel: Panel) -> str:
    """The panel's registration page, absolute: letters outlive any request (SITE_URL)."""
    return str(settings.SITE_URL) + reverse("panels:register", args=[panel.pk])


def registration_link(panel: Panel, code: str) -> str:
    """The registration page with the code filled in: what the QR code holds."""
    return f"{registration_url(panel)}?{urlencode({'code': code})}"


def readable(code: str) -> str:
    """A code as printed: in two groups of four, which registration reads with or without."""
    return f"{code[:4]} {code[4:]}".strip()


def _qr_code(pdf: FPDF, link: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``link`` as filled squares (vector, sharp at any printer)."""
    # A fixed mask: choosing the best of eight costs more than the rest of the letter, and any
    # mask gives a valid code.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK)
    code.add_data(link)
    code.make(fit=True)
    matrix = code.get_matrix()
    module = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):  # one rectangle per run of dark modules
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < len(cells) and cells[column]:
                column += 1
            pdf.rect(
                x + start * module, y + row * module, (column - start) * module, module, style="F"
            )


class _Letter:
    """Writes one letter per page on a shared PDF, in plain English."""

    def __init__(self, pdf: FPDF, panel: Panel) -> None:
        self.pdf = pdf
        self.panel = panel
        activity = panel.activity
        self.organisation = activity.service.organisation.name
        self.title = in_language(activity, "title").text
        self.question = in_language(panel, "question").text
        self.url = registration_url(panel)
        self.how_url = str(settings.SITE_URL) + reverse("panels:how_chosen")
        sent = panel.invitations_sent_on or timezone.localdate()
        self.date = date_format(sent, "j F Y")
        self.drawn = panel.invitations.filter(drawn=True).count()
        self.broken: dict[tuple[str, float, str, float], list[str]] = {}

    def text(self, words: str, size: float = 10.5, style: str = "", gap: float = 2.0) -> None:
        """A paragraph; its lines are broken once and reused on every letter (it is slow)."""
        pdf = self.pdf
        pdf.set_font(SANS, style, size)
        key = (words, size, style, WIDTH)
        if key not in self.broken:
            self.broken[key] = cast(
                list[str], pdf.multi_cell(WIDTH, size * 0.5, words, dry_run=True, output="LINES")
            )
        for line in self.broken[key]:
            pdf.set_x(LEFT)
            pdf.cell(WIDTH, size * 0.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def write(self, invitation: Invitation) -> None:
        pdf, panel = self.pdf, self.panel
        pdf.add_page()
        pdf.set_font(SANS, "B", 11)
        pdf.set_xy(LEFT, 16)
        pdf.cell(WIDTH, LINE, self.organisation, align="R")
        pdf.set_font(SANS, "", 10)
        pdf.set_xy(LEFT, 16 + LINE)
        pdf.cell(WIDTH, LINE, self.date, align="R")
        pdf.set_font(SANS, "", 8)
        pdf.set_xy(LEFT, 16 + 2 * LINE)
        reference = _("Reference %(reference)s") % {"reference": invitation.property_reference}
        pdf.cell(WIDTH, LINE, reference, align="R")
        pdf.set_font(SANS, "", 11)
        pdf.set_xy(LEFT, 48)
        for line in [*invitation.address_lines, invitation.postcode]:
            pdf.set_x(LEFT)
            pdf.cell(100, LINE, str(line), new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(88)
        self.text(_("You are invited to join a citizen panel"), size=16, style="B", gap=1)
        self.text(self.title, size=11, style="B")
        self.text(
            _(
                "Your address is one of %(count)s chosen at random to get this letter. "
                "%(organisation)s is bringing together a panel of %(size)s people who live in "
                "the area, chosen by a fair lottery so that together they are like the people "
                "who live here. The panel will meet, hear evidence, talk it through and make "
                "recommendations. %(organisation)s will answer each one in public."
            )
            % {"count": self.drawn, "organisation": self.organisation, "size": panel.size}
        )
        self.text(_("The question for the panel"), size=11, style="B", gap=0.5)
        self.text(self.question)
        dates = []
        if panel.registration_closes_on:
            dates.append(
                _("Register by %(date)s.")
                % {"date": date_format(panel.registration_closes_on, "j F Y")}
            )
        if panel.deliberation_starts_on:
            dates.append(
                _("The first meeting is on %(date)s.")
                % {"date": date_format(panel.deliberation_starts_on, "j F Y")}
            )
        if dates:
            self.text(" ".join(dates))
        top = pdf.get_y() + 1
        self.text(_("How to register"), size=13, style="B", gap=1)
        pdf.set_font(SANS, "", 10.5)
        steps = [
            _("1. Go to %(url)s") % {"url": self.url},
            _("2. Enter your registration code:"),
        ]
        for step in steps:
            pdf.set_x(LEFT)
            pdf.multi_cell(WIDTH - QR_SIZE - 8, LINE, step)
        pdf.set_font(MONO, "B", 20)
        pdf.set_x(LEFT + 5)
        pdf.cell(
            70, 11, readable(invitation.registration_code or ""), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(SANS, "", 10.5)
        pdf.set_x(LEFT)
        pdf.multi_cell(
            WIDTH - QR_SIZE - 8,
            LINE,
            _("Or scan the square code with your phone’s camera."),
        )
        _qr_code(
            pdf,
            registration_link(panel, invitation.registration_code or ""),
            LEFT + WIDTH - QR_SIZE,
            top,
            QR_SIZE,
        )
        pdf.set_y(max(pdf.get_y(), top + QR_SIZE) + 4)
        self.text(
            _(
                "One person who lives at this address can register with this code. Registering "
                "does not mean you will be on the panel: from everyone who registers, a fair "
                "lottery picks the members. If you are picked, we will ask you to confirm."
            )
        )
        self.text(
            _(
                "When you register we ask some questions about you, such as your age, so that "
                "the panel can be like the area. Only the people running the panel see your "
                "answers, and they are deleted after the panel ends."
            )
        )
        self.text(_("How people are chosen: %(url)s") % {"url": self.how_url})


def invitation_letters(panel: Panel, invitations: Iterable[Invitation]) -> bytes:
    """The letters of the drawn ``invitations`` as one A4 PDF, one page each, in their order."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font(SANS, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(SANS, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_font(MONO, "B", FONTS / "DejaVuSansMono-Bold.ttf")
    pdf.set_auto_page_break(auto=False)  # one page per letter, whatever the question's length
    pdf.set_margins(LEFT, 15, LEFT)
    pdf.set_title(_("Invitation letters"))
    pdf.set_creator("coproduce")
    letter = _Letter(pdf, panel)
    for invitation in invitations:
        letter.write(invitation)
    return bytes(pdf.output())
