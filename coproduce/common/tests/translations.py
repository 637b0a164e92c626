"""Test helpers for the Welsh catalogue: compile it as `make install` does, and find what it lacks.

Used by the translation tests of every app (tests/i18n and each app's own tests of its new strings).
"""

from __future__ import annotations

import gettext
import os
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.signals import setting_changed

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES" / "django.po"
WELSH_PLURAL_SAMPLES = (1, 2, 3, 8)


def compile_catalogue(po_file: Path) -> Path:
    """Build the .mo next to the .po with `msgfmt --check`, as `make install` does.

    Only when the .mo is missing or older than the .po. The new file is written under a temporary
    name and moved into place, so parallel test workers never read half a catalogue.
    """
    mo_file = po_file.with_suffix(".mo")
    if mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime:
        return mo_file
    handle, temporary = tempfile.mkstemp(dir=po_file.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        subprocess.run(
            ["msgfmt", "--check", "-o", temporary, str(po_file)],
            check=True,
            capture_output=True,
            text=True,
        )
        Path(temporary).replace(mo_file)
    except FileNotFoundError:
        pytest.fail("msgfmt is missing: install GNU gettext (apt-get install gettext).")
    except subprocess.CalledProcessError as error:
        pytest.fail(f"msgfmt --check rejected {po_file}:\n{error.stderr}")
    finally:
        Path(temporary).unlink(missing_ok=True)
    # Forget catalogues Django may already have loaded in this process.
    setting_changed.send(
        sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True
    )
    return mo_file


class _Untranslated(gettext.NullTranslations):
    """Fallback that marks a message the Welsh catalogue does not translate."""

    MARK = "\x00untranslated"

    def gettext(self, message: str) -> str:
        return self.MARK

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.MARK


def _catalogue(mo_file: Path) -> gettext.GNUTranslations:
    with mo_file.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    catalogue.add_fallback(_Untranslated())
    return catalogue


def untranslated(mo_file: Path, msgids: Iterable[str]) -> list[str]:
    """The msgids with no Welsh translation in the compiled catalogue.

    msgfmt leaves untranslated and fuzzy entries out of the .mo, so a msgid the catalogue does not
    hold falls through to the fallback, even when its Welsh happens to equal the English ("API").
    """
    catalogue = _catalogue(mo_file)
    return [msgid for msgid in msgids if catalogue.gettext(msgid) == _Untranslated.MARK]


def untranslated_plurals(mo_file: Path, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, int]]:
    """The (msgid, n) pairs whose Welsh plural form for n is missing from the catalogue.

    msgfmt keeps an entry with some forms left empty, and the page would then show nothing for
    those numbers, so an empty form counts as missing too.
    """
    catalogue = _catalogue(mo_file)
    return [
        (singular, n)
        for singular, plural in pairs
        for n in WELSH_PLURAL_SAMPLES
        if catalogue.ngettext(singular, plural, n) in ("", _Untranslated.MARK)
    ]
