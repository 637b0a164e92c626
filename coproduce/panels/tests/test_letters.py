"""Invitation letters: one A4 page per drawn address, with the question, how to register, the
registration code and a QR code of the registration link."""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.panels import actions_selection
from coproduce.panels.letters import invitation_letters, readable, registration_link
from coproduce.panels.models import Phase
from coproduce.panels.tests.factories import PanelSetup, make_panel
from coproduce.panels.views import recruitment

pytestmark = pytest.mark.django_db

A4 = b"/MediaBox [0 0 595.28 841.89]"


def _addresses(count: int) -> str:
    rows = [
        f"P{n:04d},{n} Long Street,Flat {n},NF{n % 9 + 1} {n % 7}AB,{'North' if n % 2 else 'South'}"
        for n in range(count)
    ]
    return "property_reference,address_line_1,address_line_2,postcode,area\n" + "\n".join(rows)


def _invited(count: int, drawn: int, **fields: Any) -> PanelSetup:
    setup = make_panel(phase=Phase.INVITATIONS, **fields)
    actions_selection.invitations_import(
        panel=setup.panel, by=setup.staff, text=_addresses(count), source="test"
    )
    actions_selection.invitations_draw(panel=setup.panel, by=setup.staff, count=drawn, seed=3)
    return setup


def _content(pdf: bytes) -> bytes:
    """The PDF with each compressed stream inflated, to read its text and drawing."""
    parts = [pdf]
    for start in re.finditer(rb"(?<!end)stream\r?\n", pdf):
        try:  # a zlib stream knows where it ends: no need to trust the /Length
            parts.append(zlib.decompressobj().decompress(pdf[start.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _to_text(pdf: bytes, font: bytes) -> dict[int, str]:
    """A font's ToUnicode map: glyph number in its embedded subset → the text it stands for."""
    start = pdf.index(b"\n%s 0 obj" % font)
    to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", pdf[start:])
    assert to_unicode is not None
    start = pdf.index(b"\n%s 0 obj" % to_unicode[1])
    cmap = pdf[start : pdf.index(b"endstream", start)]
    return {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
        for code, text in re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", cmap)
    }


def _strings(pdf: bytes) -> list[str]:
    """Every string the PDF shows, in order, read back as text.

    The letters' fonts are embedded subsets: a shown string holds two-byte glyph numbers of its
    font's subset, which the font's ToUnicode map turns back into text."""
    fonts = {name: _to_text(pdf, number) for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", pdf)}
    shown = []
    font: dict[int, str] = {}
    for operator in re.finditer(
        rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", _content(pdf), re.S
    ):
        if operator[1]:
            font = fonts[operator[1]]
            continue
        codes = re.sub(
            rb"\\(.)", lambda escaped: b"\r" if escaped[1] == b"r" else escaped[1], operator[2]
        )
        shown.append(
            "".join(font[int.from_bytes(codes[i : i + 2])] for i in range(0, len(codes), 2))
        )
    return shown


def _text(pdf: bytes) -> str:
    return "\n".join(_strings(pdf))


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_one_a4_page_per_drawn_address_with_its_code_and_link(settings: Any) -> None:
    settings.SITE_URL = "https://panels.example"
    setup = _invited(12, 5)
    drawn = list(setup.panel.invitations.filter(drawn=True))
    pdf = invitation_letters(setup.panel, drawn)
    assert pdf.startswith(b"%PDF-")
    assert _pages(pdf) == 5
    assert pdf.count(A4) + _content(pdf).count(A4) >= 1
    shown = _strings(pdf)
    text = "\n".join(shown)
    for invitation in drawn:
        assert readable(str(invitation.registration_code)) in shown
        assert invitation.property_reference in text
    register_url = "https://panels.example" + reverse("panels:register", args=[setup.panel.pk])
    assert register_url in text
    assert "How should the neighbourhood be policed?" in text
    drawing = _content(pdf)
    assert b" re f" in drawing or b" re\nf" in drawing  # the QR code's squares


def test_a_long_question_and_welsh_letters_still_give_one_page_each() -> None:
    question = "Sut ddylai’r heddlu weithio ym Mhen-y-bont a’r Ŵyddgrug? " * 16
    setup = _invited(6, 3, size=24)
    setup.panel.question = question[:1000]
    pdf = invitation_letters(setup.panel, setup.panel.invitations.filter(drawn=True))
    assert _pages(pdf) == 3
    assert _text(pdf).count("Ŵyddgrug?") == 3 * 16  # every time, on every letter, whole


def test_welsh_letters_keep_their_circumflexes() -> None:
    setup = _invited(4, 2)
    setup.panel.question = "Ŵyr ac ŷd: beth ddylai’r panel ei argymell?"
    pdf = invitation_letters(setup.panel, setup.panel.invitations.filter(drawn=True))
    question = _strings(pdf).count("Ŵyr ac ŷd: beth ddylai’r panel ei argymell?")
    assert question == 2  # once on each letter, whole
    assert "Wyr ac yd" not in _text(pdf)


def test_the_qr_link_carries_the_code(settings: Any) -> None:
    settings.SITE_URL = "https://panels.example"
    setup = make_panel()
    link = registration_link(setup.panel, "ABCD2345")
    assert link == (
        "https://panels.example"
        + reverse("panels:register", args=[setup.panel.pk])
        + "?code=ABCD2345"
    )


def test_the_letters_page_gives_a_pdf_of_every_drawn_address() -> None:
    setup = _invited(10, 4)
    client = Client()
    client.force_login(setup.staff)
    response = client.get(reverse("panels:letters_pdf", args=[setup.panel.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert 'filename="' in response["Content-Disposition"]
    assert _pages(response.content) == 4
    shown = _strings(response.content)
    for invitation in setup.panel.invitations.filter(drawn=True):
        assert readable(str(invitation.registration_code)) in shown


def test_many_letters_come_in_several_files(monkeypatch: Any) -> None:
    monkeypatch.setattr(recruitment, "LETTERS_PER_FILE", 2)
    setup = _invited(8, 5)
    client = Client()
    client.force_login(setup.staff)
    url = reverse("panels:letters_pdf", args=[setup.panel.pk])
    page = client.get(reverse("panels:invitations", args=[setup.panel.pk])).content.decode()
    assert f"{url}?part=3" in page
    assert "Invitation letters 3 to 4 (PDF, A4)" in page
    codes = sorted(
        shown
        for part in (1, 2, 3)
        for shown in _strings(client.get(url, {"part": part}).content)
        if re.fullmatch(r"\w{4} \w{4}", shown)
    )
    drawn = setup.panel.invitations.filter(drawn=True).values_list("registration_code", flat=True)
    assert codes == sorted(readable(str(code)) for code in drawn)
    assert _pages(client.get(url, {"part": 3}).content) == 1
    for wrong in ("4", "0", "x"):
        assert client.get(url, {"part": wrong})["Location"] == reverse(
            "panels:invitations", args=[setup.panel.pk]
        )
