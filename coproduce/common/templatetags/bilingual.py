"""Show what people wrote in the visitor's language (common.languages).

    {% load bilingual %}
    <h1>{{ activity|in_language:"title" }}</h1>        escaped; English marked lang="en" on a
                                                      Welsh page when the Welsh is missing
    <p>{{ activity|in_language:"outcome"|linebreaksbr }}</p>
    {% block title %}{{ activity|text_in_language:"title" }}{% endblock %}   text alone: for
                                                      <title>, attributes and <option>
    {{ question|option_in_language:value }}           one of a question's options
    {{ update.note|only_in_english }}                 words with no Welsh column, marked
    {{ activity|missing_welsh|join:", " }}            staff: what has no Welsh yet

``base.html`` wraps its main content in ``{% language_note %}…{% endlanguage_note %}``, which
says once, above it, that some of the page is only in English.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from coproduce.common import languages

register = template.Library()


@register.filter
def in_language(obj: Any, field: str) -> SafeString:
    """The field in the visitor's language, escaped (the English, marked, when it is missing)."""
    if obj is None:
        return SafeString("")
    return languages.in_language(obj, field).__html__()


@register.filter
def text_in_language(obj: Any, field: str) -> str:
    """The field in the visitor's language as text alone, for places that take no markup."""
    if obj is None:
        return ""
    return languages.in_language(obj, field).text


@register.filter
def only_in_english(text: Any) -> SafeString:
    """Words people wrote that have no Welsh column (a delivery update's note), escaped; on a
    Welsh page marked as English standing in for Welsh, as a missing translation is."""
    return languages.Shown(str(text or ""), languages.CANONICAL).__html__()


@register.filter
def missing_welsh(obj: Any) -> list[str]:
    """The names of the fields of ``obj`` that have English and no Welsh yet (for staff)."""
    return languages.field_labels(type(obj), languages.missing_fields(obj))


@register.filter
def option_in_language(question: Any, value: str) -> SafeString:
    """One of a question's options (stored in English) in the visitor's language."""
    return languages.item_in_language(question, "options", value).__html__()


class LanguageNoteNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        content = self.nodelist.render(context)
        if not languages.note_needed(content):
            return content
        return render_to_string("common/_language_note.html") + content


@register.tag
def language_note(parser: template.base.Parser, token: template.base.Token) -> LanguageNoteNode:
    """Render the content, then put the note above it if some of it is shown in English."""
    nodelist = parser.parse(("endlanguage_note",))
    parser.delete_first_token()
    return LanguageNoteNode(nodelist)
