"""Small text helpers shared by the domain apps."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 70) -> str:
    """A slug for ``text`` that no row of ``model`` uses yet (adds -2, -3… when needed)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return slug
