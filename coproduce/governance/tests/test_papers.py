"""Meeting papers: PDF, DOCX or ODT recognised by their contents, at most 10 MB; downloads
only with the meeting, once the agenda is published."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.common import documents as papers
from coproduce.contributions.tests.world import World, build_world
from coproduce.governance import actions
from coproduce.governance.models import AgendaItem
from coproduce.governance.tests.factories import make_board, make_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _zip(files: dict[str, bytes]) -> bytes:
    """A zip with a fixed date on every member, so that the same files give the same bytes (and
    the same test ids on every pytest-xdist worker, whenever each collects)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": papers.CONTENT_TYPES["odt"].encode(), "content.xml": b"<office/>"})


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _item(w: World) -> AgendaItem:
    clerk = w.people["professional"]
    meeting = make_meeting(make_board(w.service, clerk), clerk)
    return actions.agenda_item_add(meeting=meeting, title="Budget", added_by=clerk)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("budget.pdf", PDF, "pdf"), ("budget.docx", DOCX, "docx"), ("budget.odt", ODT, "odt")],
)
def test_real_papers_are_accepted(world: World, name: str, content: bytes, kind: str) -> None:
    paper = actions.paper_add(
        item=_item(world),
        title="Budget report",
        upload=SimpleUploadedFile(name, content),
        added_by=world.people["professional"],
    )
    assert (paper.kind, paper.size) == (kind, len(content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf at all"),  # a program named .pdf
        ("report.docx", PDF),  # a PDF named .docx
        ("archive.docx", _zip({"hello.txt": b"hi"})),  # a zip, not a Word document
        ("notes.txt", b"%PDF-1.4 but named .txt"),
    ],
)
def test_other_files_are_refused(world: World, name: str, content: bytes) -> None:
    with pytest.raises(ValidationError, match="PDF, a Word document"):
        actions.paper_add(
            item=_item(world),
            title="Budget",
            upload=SimpleUploadedFile(name, content),
            added_by=world.people["professional"],
        )


def test_a_paper_over_10_mb_is_refused(world: World) -> None:
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * papers.MAX_BYTES)
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        actions.paper_add(
            item=_item(world), title="Big", upload=big, added_by=world.people["professional"]
        )


def test_the_clerk_uploads_and_the_public_downloads_once_the_agenda_is_out(world: World) -> None:
    item = _item(world)
    clerk = Client()
    clerk.force_login(world.people["professional"])
    response = clerk.post(
        reverse("governance:paper_add", args=[item.pk]),
        {"title": "Budget report", "upload": SimpleUploadedFile("budget.pdf", PDF)},
    )
    assert response.status_code == 302
    paper = item.papers.get()
    assert Client().get(paper.get_absolute_url()).status_code == 404  # agenda not published
    actions.agenda_publish(meeting=item.meeting, published_by=world.people["professional"])
    download = Client().get(paper.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    page = Client().get(item.meeting.get_absolute_url()).content.decode()
    assert "Budget report" in page
