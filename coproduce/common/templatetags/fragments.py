"""Cache a part of a page that is the same for everyone who may see it (common.fragments).

    {% load fragments %}
    {% fragment fragments idea.fragment_key %}…what every reader sees…{% endfragment %}

``fragments`` is the page's ``common.fragments.Fragments`` (the view looked the keys up in one
go) and the key one the view made with ``fragments.key``; with either missing the part is simply
rendered. The part is rendered without ``request``, ``user``, ``perms`` and ``messages``, and
with a placeholder CSRF token that each reader gets back as their own; a blank one-time form in
it gets a fresh token each time it is served.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from coproduce.common.fragments import (
    CSRF_PLACEHOLDER,
    PERSONAL,
    Fragments,
    with_csrf,
    with_one_time_tokens,
    without_one_time_tokens,
)

register = template.Library()


class FragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, store: FilterExpression, key: FilterExpression
    ) -> None:
        self.nodelist = nodelist
        self.store = store
        self.key = key

    def render(self, context: Context) -> SafeString:
        store = self.store.resolve(context, ignore_failures=True)
        wanted = self.key.resolve(context, ignore_failures=True)
        if not isinstance(store, Fragments) or not wanted:
            return self.nodelist.render(context)
        html = store.get(wanted)
        if html is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER, **dict.fromkeys(PERSONAL)):
                html = without_one_time_tokens(str(self.nodelist.render(context)))
            store.put(wanted, html)
        if CSRF_PLACEHOLDER in html:
            token = context.get("csrf_token")
            html = with_csrf(html, "" if token in (None, "NOTPROVIDED") else str(token))
        html = with_one_time_tokens(html)
        # Our own template's output, escaped when it was rendered.
        return mark_safe(html)  # noqa: S308


@register.tag("fragment")
def fragment(parser: Parser, token: Token) -> FragmentNode:
    """``{% fragment store key %}…{% endfragment %}``: the part, from the cache when it is there."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("Use {% fragment fragments key %}…{% endfragment %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))
