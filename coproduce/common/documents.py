"""What an uploaded document may be — a meeting paper, a bid's attachment: PDF, Word (DOCX) or
OpenDocument text (ODT), at most 10 MB, recognised from its first bytes and its contents, not from
its name alone."""

from __future__ import annotations

import zipfile
from typing import IO

MAX_BYTES = 10 * 1024 * 1024
PDF, DOCX, ODT = "pdf", "docx", "odt"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
}
_ODT_MIMETYPE = CONTENT_TYPES[ODT].encode()


def sniff(file: IO[bytes]) -> str | None:
    """The kind of paper the file really is (``pdf``, ``docx``, ``odt``), or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        file.seek(0)
    return None


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""
