"""Path converters for the site's URLs."""

from __future__ import annotations


class IdConverter:
    """A database id in a path (``<id:pk>``): at most 18 digits, so that every value fits a 64-bit
    key and a longer one is a 404 when the URL is resolved, before any view or query sees it.

    Django's ``<int:…>`` takes any number of digits, and an id of 2⁶³ or more then fails in the
    database driver (a 500 on SQLite and on PostgreSQL). Registered by ``CommonConfig.ready``.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
