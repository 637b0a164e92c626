"""Text that people write in two languages: English, which every item has, and Welsh beside it.

A model keeps the Welsh of a field in a column beside it, ``<field>_cy`` (blank until someone
writes it), and names those fields in ``translated_fields``. Pages show the visitor's language
(``in_language``); where the Welsh is missing on a Welsh page they show the English in an element
marked ``lang="en"`` (WCAG 3.1.2, language of parts) and ``data-untranslated``, and ``base.html``
adds a note once when its content holds such an element (``note_needed``). English shown on
purpose (the English beside a Welsh field on a staff form) is marked ``lang="en"`` only.
Why: docs/decisions/0025-content-in-two-languages.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Every item is written in English; it is what a page shows when its own language is missing.
CANONICAL = "en"
# The languages kept beside it, each in ``<field>_<code>`` columns.
TRANSLATED = ("cy",)
WELSH = "cy"
# How a page marks text shown in English because its own language is missing (see ``marked``).
FALLBACK_MARK = "data-untranslated"


def active_language() -> str:
    """The language of the page being made (``cy``, ``en``), without a region."""
    return (translation.get_language() or CANONICAL).split("-")[0].lower()


def column(field: str, language: str) -> str:
    """The column that holds ``field`` in ``language``: ``name`` in English, ``name_cy`` in Welsh."""
    return field if language == CANONICAL else f"{field}_{language}"


def has_text(value: Any) -> bool:
    """Some text that is not only spaces (in a string, or in any item of a list)."""
    if isinstance(value, list | tuple):
        return any(has_text(item) for item in value)
    return bool(value and str(value).strip())


class Shown(str):
    """A text as a page shows it, which knows the language it is in.

    It is the text itself (for a page title, an attribute, an email); in a template it renders
    escaped, and marked as a fallback when its language is not the page's.
    """

    language: str

    def __new__(cls, text: str, language: str) -> Shown:
        shown = super().__new__(cls, text)
        shown.language = language
        return shown

    @property
    def text(self) -> str:
        return str.__str__(self)

    @property
    def fell_back(self) -> bool:
        """Shown in English because the page's language has none."""
        return self.language != active_language()

    def __html__(self) -> SafeString:
        return marked(self.text, self.language, fallback=True)


def marked(text: str, language: str, *, fallback: bool = False) -> SafeString:
    """The text, escaped; in a ``<span lang>`` when it is not in the page's language (and marked
    ``data-untranslated`` when it stands in for the page's language: see ``note_needed``)."""
    escaped = conditional_escape(text)
    if not text or language == active_language():
        return escaped
    if fallback:
        return format_html('<span lang="{}" {}>{}</span>', language, FALLBACK_MARK, escaped)
    return format_html('<span lang="{}">{}</span>', language, escaped)


def in_english(text: str) -> SafeString:
    """English shown on purpose (beside a field for its Welsh), marked as English."""
    return marked(text, CANONICAL)


def fill(sentence: str, **parts: str) -> SafeString:
    """A translated sentence with parts put in its placeholders (``%(question)s``), for a label
    built in Python: the sentence is escaped, and each part unless it is already markup."""
    escaped = {name: conditional_escape(part) for name, part in parts.items()}
    return mark_safe(conditional_escape(sentence) % escaped)  # noqa: S308 -- every piece escaped


def english_hint(text: str) -> SafeString:
    """The hint under a field for Welsh: the English it is the Welsh of."""
    return format_html("{} {}", _("In English:"), in_english(text))


def in_language(obj: Any, field: str, language: str | None = None) -> Shown:
    """The field of ``obj`` in the visitor's language, or in English when that has none."""
    language = language or active_language()
    english = getattr(obj, field)
    if language != CANONICAL and language in TRANSLATED:
        translated = getattr(obj, column(field, language))
        if has_text(translated):
            return Shown(str(translated), language)
    return Shown(str(english or ""), CANONICAL)


def item_in_language(obj: Any, field: str, value: str, language: str | None = None) -> Shown:
    """One item of a list field (a question's options) in the visitor's language.

    The lists are parallel: the Welsh of the third English option is the third Welsh option.
    A value that is not in the English list is shown as it is, in English.
    """
    language = language or active_language()
    english = list(getattr(obj, field) or [])
    if language != CANONICAL and language in TRANSLATED and value in english:
        translated = list(getattr(obj, column(field, language)) or [])
        index = english.index(value)
        if len(translated) == len(english) and has_text(translated[index]):
            return Shown(str(translated[index]), language)
    return Shown(str(value), CANONICAL)


def note_needed(html: str) -> bool:
    """Whether a page's content shows some English in place of the page's own language.

    People's own text is escaped, so only ``marked`` can put the mark in a page."""
    return active_language() != CANONICAL and f" {FALLBACK_MARK}>" in html


# --- What still needs Welsh, and Welsh without English -------------------------------------------


def _blank(model: type[models.Model], name: str) -> Any:
    """What a column holds when there is no text: an empty list for options, else ''."""
    return [] if isinstance(model._meta.get_field(name), models.JSONField) else ""


def missing_query(model: type[models.Model], language: str = WELSH) -> Q:
    """Rows with English in some translated field and nothing beside it in ``language``."""
    query = Q()
    for field in translated_fields(model):
        query |= ~Q(**{field: _blank(model, field)}) & Q(
            **{column(field, language): _blank(model, column(field, language))}
        )
    return query


def missing_fields(obj: models.Model, language: str = WELSH) -> list[str]:
    """The translated fields of ``obj`` that have English and no ``language``."""
    return [
        field
        for field in translated_fields(type(obj))
        if has_text(getattr(obj, field)) and not has_text(getattr(obj, column(field, language)))
    ]


def field_labels(model: type[models.Model], fields: Iterable[str]) -> list[str]:
    """The fields' names as people read them ("how to take part"), in the page's language."""
    return [str(getattr(model._meta.get_field(field), "verbose_name", field)) for field in fields]


def translated_fields(model: type[models.Model]) -> Sequence[str]:
    fields: Sequence[str] = getattr(model, "translated_fields", ())
    return fields


def check_english_beside(obj: models.Model) -> None:
    """Refuse Welsh where the English is blank: every item is written in English first, and
    English pages would show nothing."""
    errors = {
        column(field, language): _("Write this in English as well: the Welsh goes beside it.")
        for field in translated_fields(type(obj))
        for language in TRANSLATED
        if has_text(getattr(obj, column(field, language))) and not has_text(getattr(obj, field))
    }
    if errors:
        raise ValidationError(errors)
