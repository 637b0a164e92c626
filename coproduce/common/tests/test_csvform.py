"""The CSV form: pasted or uploaded, a file over the form's size refused with its own message, a
file that is not UTF-8 text named as such; a form for larger tables sets its own size."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.functional import lazystr

from coproduce.common.csvform import MAX_CSV_BYTES, CsvForm, text_field


def _files(name: str, content: bytes) -> MultiValueDict[str, UploadedFile]:
    return MultiValueDict({"upload": [SimpleUploadedFile(name, content)]})


def _upload(size: int) -> MultiValueDict[str, UploadedFile]:
    row = b"property_reference,address_line_1,postcode\n"
    return _files("list.csv", row * (size // len(row) + 1))


def test_the_upload_wins_and_a_byte_order_mark_is_dropped() -> None:
    form = CsvForm({"text": "\ufeffa,b\n1,2\n"}, _files("t.csv", b"\xef\xbb\xbfc,d\n"))
    assert form.is_valid(), form.errors
    assert form.table() == ("c,d\n", "t.csv", "upload")
    pasted = CsvForm({"text": "\ufeffa,b\n1,2\n"})
    assert pasted.is_valid(), pasted.errors
    assert pasted.table() == ("a,b\n1,2\n", "The pasted table", "text")


def test_nothing_given_and_not_utf8_are_named() -> None:
    empty = CsvForm({"text": "  "})
    assert not empty.is_valid()
    assert empty.errors["text"] == ["Paste the table or choose a CSV file."]
    latin = CsvForm({}, _files("t.csv", "café,1\n".encode("latin-1")))
    assert not latin.is_valid()
    assert "saved as UTF-8 text" in latin.errors["upload"][0]
    nul = CsvForm({}, _files("t.csv", b"code,count\nE1,\x0012\n"))  # a database refuses it
    assert not nul.is_valid()
    assert "saved as UTF-8 text" in nul.errors["upload"][0]


class _Larger(CsvForm):
    max_bytes = 4 * 1024 * 1024
    too_big = lazystr("The file must be smaller than 4 MB.")
    text = text_field(max_bytes)


def test_each_form_refuses_a_file_over_its_own_size() -> None:
    three_mb = 3 * 1024 * 1024
    assert three_mb > MAX_CSV_BYTES
    shared = CsvForm({}, _upload(three_mb))
    assert not shared.is_valid()
    assert shared.errors["upload"] == ["The file must be smaller than 2 MB."]
    assert not CsvForm({"text": "x" * three_mb}).is_valid()
    larger = _Larger({}, _upload(three_mb))
    assert larger.is_valid(), larger.errors
    too_big = _Larger({}, _upload(5 * 1024 * 1024))
    assert not too_big.is_valid()
    assert too_big.errors["upload"] == ["The file must be smaller than 4 MB."]
    # The pasted box takes as much as the upload.
    pasted = _Larger({"text": "x" * three_mb})
    assert pasted.is_valid(), pasted.errors
