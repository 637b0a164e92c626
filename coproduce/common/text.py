"""Small text helpers shared by the domain apps."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 70) -> str:
    """A slug for ``text`` that no row of ``model`` uses yet (adds -2, -3… when needed)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return slug


def save_with_unique_slug(instance: models.Model, text: str, *, attempts: int = 5) -> None:
    """Save a new row under a slug for ``text`` that no other row uses.

    The slug is chosen (``unique_slug``), then the row is saved in a savepoint: when another
    request took the same slug in between (two services of one name created at once), the next
    free slug is chosen instead of an IntegrityError (decision 0140). Any other IntegrityError is
    raised as it is."""
    model = type(instance)
    for attempt in range(attempts):
        slug = unique_slug(model, text)
        instance.slug = slug  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            if attempt == attempts - 1 or not model._default_manager.filter(slug=slug).exists():
                raise
        else:
            return
