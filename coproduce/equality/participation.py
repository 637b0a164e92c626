"""Who took part in an activity: the people behind its contributions, and whatever else a method
app counts as taking part (supports, ballots, conversation votes), registered by that app in its
``AppConfig.ready()`` (the layers let equality see the spine, not the method apps).

A source takes activity ids and returns a query of (activity id, user id) pairs. Anonymous taking
part has no user: it counts only where equality answers can be tied to it, as those given at the
end of an anonymous survey answer are to that answer (decision 0110). An app with such answers
registers an *anonymous* source: (activity id, contribution id) pairs of the answers that count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from coproduce.contributions.models import Contribution

Source = Callable[[list[int]], QuerySet]
_SOURCES: list[Source] = []
_ANONYMOUS: list[Source] = []


def register(source: Source) -> None:
    """Count more ways of taking part (call from AppConfig.ready())."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def _contributors(activity_ids: list[int]) -> QuerySet:
    return Contribution.objects.filter(
        activity_id__in=activity_ids, author__isnull=False
    ).values_list("activity_id", "author_id")


register(_contributors)


def register_anonymous(source: Source) -> None:
    """Count anonymous contributions that may carry equality answers (call from ready())."""
    if source not in _ANONYMOUS:
        _ANONYMOUS.append(source)


# Who took part: an account ("user", id), or an anonymous contribution ("contribution", id).
Person = tuple[str, int]


def participants(activity_ids: Iterable[int]) -> dict[int, set[Person]]:
    """Activity id → the people who took part in it: accounts, and anonymous contributions."""
    ids = list(activity_ids)
    found: dict[int, set[Person]] = defaultdict(set)
    if not ids:
        return found
    for kind, sources in (("user", _SOURCES), ("contribution", _ANONYMOUS)):
        for source in sources:
            for activity_id, key in source(ids).distinct():
                found[activity_id].add((kind, key))
    return found
