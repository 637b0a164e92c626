"""A panel's address list and census shares may be CSV files of up to 10 MB, where other imports
take 2 MB."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.datastructures import MultiValueDict

from coproduce.panels.forms_staff import AddressesForm

ROW = b"property_reference,address_line_1,postcode\n"


def _upload(megabytes: int) -> MultiValueDict[str, UploadedFile]:
    content = ROW * (megabytes * 1024 * 1024 // len(ROW) + 1)
    return MultiValueDict({"upload": [SimpleUploadedFile("list.csv", content)]})


def test_an_address_list_up_to_10_mb_is_taken() -> None:
    form = AddressesForm({}, _upload(3))
    assert form.is_valid(), form.errors
    text, source, field = form.table()
    assert text.startswith("property_reference,")
    assert (source, field) == ("list.csv", "upload")
    too_big = AddressesForm({}, _upload(11))
    assert not too_big.is_valid()
    assert too_big.errors["upload"] == ["The file must be smaller than 10 MB."]
