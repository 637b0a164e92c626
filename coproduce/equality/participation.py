"""Who took part in an activity: the people behind its contributions, and whatever else a method
app counts as taking part (supports, ballots, conversation votes), registered by that app in its
``AppConfig.ready()`` (the layers let equality see the spine, not the method apps).

A source takes activity ids and returns a query of (activity id, user id) pairs; anonymous
taking part has no user and cannot be set beside equality answers, so it is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from coproduce.contributions.models import Contribution

Source = Callable[[list[int]], QuerySet]
_SOURCES: list[Source] = []


def register(source: Source) -> None:
    """Count more ways of taking part (call from AppConfig.ready())."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def _contributors(activity_ids: list[int]) -> QuerySet:
    return Contribution.objects.filter(
        activity_id__in=activity_ids, author__isnull=False
    ).values_list("activity_id", "author_id")


register(_contributors)


def participants(activity_ids: Iterable[int]) -> dict[int, set[int]]:
    """Activity id → the ids of the signed-in people who took part in it."""
    ids = list(activity_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return found
    for source in _SOURCES:
        for activity_id, user_id in source(ids).distinct():
            found[activity_id].add(user_id)
    return found
