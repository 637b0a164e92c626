"""Forms for benchmarks/scale.py, read from the pages as a browser would.

FormParser collects every form of a page (action, method, inputs, selects, textareas and named
submit buttons); forms_of keeps those whose action contains a given path; fill gives the answers a
person might (one choice per radio group and per checkbox group, words in text boxes, POSTCODE
where a postcode is asked). HTML only: no Django, no network.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

POSTCODE = "NF1 4QT"  # in the demo's Northfield districts (coproduce/demo/budgeting.py)


@dataclass
class Form:
    action: str
    method: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """Every form of a page with its inputs, selects, textareas and named submit buttons."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self._select: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(urljoin(self.url, a.get("action") or self.url), a.get("method", "get").lower())
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                form.buttons.append((a["name"], a.get("value", "")))
            else:
                form.fields.append(
                    {
                        "name": a["name"],
                        "type": kind,
                        "value": a.get("value", ""),
                        "checked": "checked" in a,
                    }
                )
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "options": []}
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": ""}
            form.fields.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data


def forms_of(url: str, html: str, action_part: str) -> list[Form]:
    parser = FormParser(url)
    parser.feed(html)
    return [form for form in parser.forms if action_part in urlsplit(form.action).path]


def fill(form: Form, rng: random.Random, text: str) -> list[tuple[str, str]]:
    """Answers a person might give: one choice per radio group, one box per checkbox group (and
    every lone box, such as "I am 16 or over"), words in text boxes, the postcode where asked."""
    data: list[tuple[str, str]] = []
    radios: dict[str, list[str]] = defaultdict(list)
    boxes: dict[str, list[str]] = defaultdict(list)
    for item in form.fields:
        name, kind = item["name"], item["type"]
        if kind == "hidden":
            data.append((name, item["value"]))
        elif kind == "radio":
            radios[name].append(item["value"])
        elif kind == "checkbox":
            boxes[name].append(item["value"] or "on")
        elif kind == "select":
            options = [option for option in item["options"] if option]
            if options:
                data.append((name, rng.choice(options)))
        elif "postcode" in name:
            data.append((name, POSTCODE))
        elif kind in {"number", "range"}:
            data.append((name, "1"))
        elif kind == "email":
            continue
        elif kind in {"text", "textarea", "search"} and "author_display" not in name:
            data.append((name, text))
    data += [(name, rng.choice(values)) for name, values in radios.items()]
    data += [(name, rng.choice(values)) for name, values in boxes.items()]
    return data
