"""What the apps above services are told when an activity changes, and what they are asked about a
service, without services importing them.

An app registers a callback from its ``AppConfig.ready()``; the action calls each one inside its
own transaction, so whatever the callback writes commits or rolls back with the change. The answer
spine tells the followers of a service when one of its activities opens::

    ACTIVITY_OPENED.register(activity_opened_notify)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from coproduce.services.models import Activity, Service

T = TypeVar("T")


class Hooks(Generic[T]):
    """The callbacks of one moment, called in the order they were registered."""

    def __init__(self, moment: str) -> None:
        self.moment = moment
        self._callbacks: list[Callable[[T], None]] = []

    def register(self, callback: Callable[[T], None]) -> None:
        """Add a callback; each once (a second registration is a programming error)."""
        if callback in self._callbacks:
            raise ValueError(f"{self.moment} already calls {callback!r}.")
        self._callbacks.append(callback)

    def call(self, obj: T) -> None:
        for callback in self._callbacks:
            callback(obj)

    @property
    def callbacks(self) -> list[Callable[[T], None]]:
        return list(self._callbacks)


# An activity opened for the first time (a draft became open; re-opening a closed one is not new).
ACTIVITY_OPENED: Hooks[Activity] = Hooks("An activity opened")
# An activity's details were changed (``activity_update``): a record that names them, such as a
# budget's result on the public ledger, records the change.
ACTIVITY_UPDATED: Hooks[Activity] = Hooks("An activity was changed")


class Holders(Generic[T]):
    """Callbacks that each say what of an object they hold (a few plain words, "decisions"), or
    None: an action that would hide the object refuses while any holds something."""

    def __init__(self, moment: str) -> None:
        self.moment = moment
        self._callbacks: list[Callable[[T], str | None]] = []

    def register(self, callback: Callable[[T], str | None]) -> None:
        """Add a callback; each once (a second registration is a programming error)."""
        if callback in self._callbacks:
            raise ValueError(f"{self.moment} already asks {callback!r}.")
        self._callbacks.append(callback)

    def held(self, obj: T) -> list[str]:
        return [str(what) for what in (callback(obj) for callback in self._callbacks) if what]


# What of a published service is on the public ledger (its decisions, a budget's result, a panel's
# draw …): the ledger links to its pages and keeps its content, so the service stays published
# (``service_set_status``, decision 0137).
ON_THE_LEDGER: Holders[Service] = Holders("What of a service is on the public ledger")
