"""A CSV table pasted into a box or uploaded as a file: the form every import page uses (outcomes'
measurements, equality's population figures, a citizen panel's census shares and address list).
Each import names its problems by line itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_CSV_BYTES = 2 * 1024 * 1024


def _upload_text(upload: UploadedFile | None, max_bytes: int, too_big: str) -> str:
    """The text of an uploaded CSV file, or a ValidationError saying what is wrong with it."""
    if upload is None:
        return ""
    if upload.size is not None and upload.size > max_bytes:
        raise forms.ValidationError(too_big)
    upload.seek(0)
    not_text = forms.ValidationError(
        _("The file must be a CSV file saved as UTF-8 text (in Excel: “CSV UTF-8”).")
    )
    try:
        text = str(upload.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise not_text from None
    if "\x00" in text:  # no text file has one, and databases refuse it in text
        raise not_text
    return text


def text_field(max_bytes: int) -> forms.CharField:
    """The box a table is pasted into, holding at most ``max_bytes``."""
    return forms.CharField(
        label=_("Paste the table"),
        required=False,
        max_length=max_bytes,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )


class CsvForm(forms.Form):
    """A CSV table of values, pasted or uploaded; the upload wins when both are given. A form for
    larger tables sets ``max_bytes``, ``too_big`` and ``text = text_field(max_bytes)``.

    Not a OneTimeForm: its token would treat a second file sent within the hour as the first
    one sent again (files are not part of what it compares). Each import refuses or replaces
    what it already holds (a value an indicator has, an address already listed, a census share),
    so sending a table twice changes nothing more.
    """

    max_bytes = MAX_CSV_BYTES
    too_big = _("The file must be smaller than 2 MB.")
    text = text_field(MAX_CSV_BYTES)
    upload = forms.FileField(label=_("Or upload a CSV file"), required=False)
    upload_name = ""  # the uploaded file's name, for error messages

    def clean_upload(self) -> str:
        upload = self.cleaned_data.get("upload")
        self.upload_name = str(upload.name or "") if upload else ""
        return _upload_text(upload, self.max_bytes, str(self.too_big))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("upload") or str(data.get("text") or "").strip()):
            self.add_error("text", gettext("Paste the table or choose a CSV file."))
        return data

    def table(self) -> tuple[str, str, str]:
        """The CSV text, the name to give it in error messages, and the field it came from."""
        upload = self.cleaned_data.get("upload")
        if upload:
            return upload, self.upload_name or gettext("The file"), "upload"
        return str(self.cleaned_data["text"]).lstrip("\ufeff"), gettext("The pasted table"), "text"
