"""Which app runs each kind of activity, and what the services pages show for it.

The services app sits below the method apps (insight, codesign, and later budgeting, panels,
conversations, assessment, governance), so it must not name their templates or URLs. Instead each
method app registers the kinds it runs from its ``AppConfig.ready()``::

    register_method(
        ActivityKind.NEEDS_SURVEY,
        take_part_template="insight/_take_part.html",
        staff_links=[(_("Survey questions"), "insight:survey_manage", rules.can_manage_survey)],
    )

and the services views ask ``method_for(activity.kind)``. A kind that no app registers has no pages
on this site yet: its activity page says that it runs offline for now and shows how to take part.
See docs/decisions/0015-activity-methods-registry.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from coproduce.accounts.types import Visitor
from coproduce.services.models import Activity, ActivityKind, ActivityState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Who may open a staff page of the method, for an activity: the view's own rule, or one that
# allows no more than it, so that nobody is shown a link that answers 403.
LinkRule = Callable[[Visitor, Activity], bool]


@dataclass(frozen=True)
class StaffLink:
    """A staff page of the method: its label, a URL name that takes the activity's pk, and who may
    open it."""

    label: StrOrPromise
    url_name: str
    allowed: LinkRule


@dataclass(frozen=True)
class Method:
    """What the services pages show for activities of one kind."""

    kind: str
    take_part_template: str
    staff_links: tuple[StaffLink, ...] = ()
    # Which of some opened activities of the kind have delivered what the method promises (an
    # assessment whose results are out), and the level the others count at until then (decision
    # 0086). None: an opened activity counts at its kind's level (decision 0006).
    delivered: Callable[[Sequence[Activity]], set[int]] | None = None
    until_delivered: str = ""
    # Why an activity of the kind may not open (a message), or None when it may: a closed
    # assessment whose findings are written from its results (decision 0125), a private meeting
    # (decision 0139). Asked on draft → open and closed → open. None: it always may.
    open_refused: Callable[[Activity], StrOrPromise | None] | None = None

    def staff_links_for(self, activity: Activity, user: Visitor) -> list[tuple[StrOrPromise, str]]:
        """(label, url) of each staff page of the method for this activity that ``user`` may
        open."""
        return [
            (link.label, reverse(link.url_name, args=[activity.pk]))
            for link in self.staff_links
            if link.allowed(user, activity)
        ]

    def may_open(self, url_name: str, activity: Activity, user: Visitor) -> bool:
        """Whether ``user`` may open the staff page ``url_name`` for ``activity``, by the rule it
        was registered with. LookupError for a page the method did not register."""
        for link in self.staff_links:
            if link.url_name == url_name:
                return link.allowed(user, activity)
        raise LookupError(f"The method of {self.kind!r} activities has no staff page {url_name!r}.")


_METHODS: dict[str, Method] = {}


def register_method(
    kind: str,
    *,
    take_part_template: str,
    staff_links: Sequence[tuple[StrOrPromise, str, LinkRule]] = (),
    delivered: Callable[[Sequence[Activity]], set[int]] | None = None,
    until_delivered: str = "",
    open_refused: Callable[[Activity], StrOrPromise | None] | None = None,
) -> Method:
    """Say that an app runs activities of ``kind``; call it from that app's ``AppConfig.ready()``.

    ``take_part_template`` is included in the public activity page (it gets the page's context:
    ``activity``, ``service``, ``can_manage``, ``user``; a link to one of the method's staff pages
    asks its rule with ``{% may_open 'app:url_name' activity as … %}``, from the ``methods`` tags).
    ``staff_links`` are (label, URL name, rule) triples; each URL is reversed with the activity's
    pk on the staff activity page, shown to those the rule (``rule(user, activity)``, the view's
    own) allows. Labels should be lazy translations. ``delivered``, ``until_delivered`` and
    ``open_refused``: see ``Method``. Registering a kind twice, or a kind that is not an
    ``ActivityKind``, is an error.
    """
    if kind not in ActivityKind.values:
        raise ImproperlyConfigured(f"{kind!r} is not an activity kind (ActivityKind).")
    if kind in _METHODS:
        raise ImproperlyConfigured(f"The activity kind {kind!r} is already registered.")
    method = Method(
        kind=str(kind),
        take_part_template=take_part_template,
        staff_links=tuple(
            StaffLink(label, url_name, rule) for label, url_name, rule in staff_links
        ),
        delivered=delivered,
        until_delivered=until_delivered,
        open_refused=open_refused,
    )
    _METHODS[method.kind] = method
    return method


@contextmanager
def unregistered(kind: str) -> Iterator[None]:
    """For tests: the site as if no app ran ``kind`` (every kind has an app now; the pages keep
    their fallback for a site that leaves one out)."""
    method = _METHODS.pop(kind, None)
    try:
        yield
    finally:
        if method is not None:
            _METHODS[kind] = method


def method_for(kind: str) -> Method | None:
    """The registered method for ``kind``, or None when no app runs it on this site yet."""
    return _METHODS.get(kind)


def open_refused(activity: Activity) -> StrOrPromise | None:
    """Why the method of a draft or closed activity does not let it open, or None when it may (an
    unregistered kind, or a method with no such rule, always may). See
    docs/decisions/0125-assessment-fixed-once-reported.md and
    docs/decisions/0139-private-meetings-stay-drafts.md."""
    method = _METHODS.get(activity.kind)
    if method is None or method.open_refused is None:
        return None
    return method.open_refused(activity)


def levels_until_delivered(activities: Iterable[Activity]) -> dict[int, str]:
    """The level each opened activity counts at while its method says it has not delivered yet
    (activity pk → level); activities not in it count at their kind's level. One query per kind
    whose method judges delivery. See docs/decisions/0086-delivered-assessments.md."""
    by_kind: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        if activity.state != ActivityState.DRAFT:
            by_kind[activity.kind].append(activity)
    levels: dict[int, str] = {}
    for kind, group in by_kind.items():
        method = _METHODS.get(kind)
        if method is None or method.delivered is None:
            continue
        done = method.delivered(group)
        levels.update({a.pk: method.until_delivered for a in group if a.pk not in done})
    return levels
