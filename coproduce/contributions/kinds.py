"""The kinds of contribution the method apps register with the spine.

A method app (insight, codesign, and the budgeting, panels … apps to come) keeps the rows of its own
kind — an idea, a story, a budget project — joined one-to-one to a ``Contribution``. It tells the
spine about the kind once, from its ``AppConfig.ready()``::

    register_kind(Kind(code="idea", label=_("Idea"), detail="idea",
                       methods={ActivityKind.IDEA_CHALLENGE}, search=("title", "description"),
                       text=lambda c: c.idea.description, workflow=IDEA_WORKFLOW))

and the spine can then list, search, answer, moderate, export and link it to decisions without
importing the app. docs/contributions.md is the guide.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from coproduce.contributions.models import Contribution

Label = str | Promise

# The codes of the kinds that other apps name without importing the app that owns them: budgets
# bring ideas (codesign) and opinion-map statements (conversations) forward as proposals, and idea
# challenges take statements forward as ideas (decision 0111).
IDEA = "idea"
OPINION_STATEMENT = "opinion_statement"


@dataclass(frozen=True)
class Workflow:
    """The statuses a kind moves through, which moves are allowed, and which need a reason."""

    choices: Sequence[tuple[str, Label]]
    initial: str
    transitions: Mapping[str, Sequence[str]]
    needs_reason: Collection[str] = ()
    # GOV.UK tag colour per status (govuk-tag--grey when missing).
    colours: Mapping[str, str] = field(default_factory=dict)
    # Statuses only the method's own action sets, because reaching them does more than change
    # the status (taking a standards proposal in adds the standard). The spine's status page does
    # not offer them and contribution_set_status refuses them, with ``reserved_message`` (where
    # to go instead), unless the method's action passes ``by_method=True`` (decision 0127).
    reserved: Collection[str] = ()
    reserved_message: Label = ""

    def __post_init__(self) -> None:
        codes = {code for code, _label in self.choices}
        moves = {code for targets in self.transitions.values() for code in targets}
        used = {self.initial} | set(self.transitions) | moves | set(self.needs_reason)
        unknown = (used | set(self.reserved)) - codes
        if unknown:
            raise ValueError(f"Statuses used but not declared: {sorted(unknown)}")
        if self.reserved and not str(self.reserved_message):
            raise ValueError("A workflow with reserved statuses says where they are set.")

    def label(self, status: str) -> str:
        return str(dict(self.choices).get(status, status))

    def next_statuses(self, status: str) -> list[str]:
        """Every status it can move to next, the reserved ones too."""
        return list(self.transitions.get(status, ()))

    def offered_next(self, status: str) -> list[str]:
        """The next statuses staff may choose on the spine's status page (not the reserved)."""
        return [code for code in self.next_statuses(status) if code not in self.reserved]

    def has_reserved_next(self, status: str) -> bool:
        """Whether some of its next statuses are set only by the method's own action."""
        return any(code in self.reserved for code in self.next_statuses(status))


@dataclass(frozen=True)
class Kind:
    """What the spine needs to know about one kind of contribution."""

    code: str  # stored in Contribution.kind; at most 32 characters
    label: Label  # "Idea", shown in mixed lists
    detail: str  # the related name of the kind's own one-to-one row ("idea", "submission" …)
    methods: Collection[str]  # the activity kinds (ActivityKind values) that take it
    # The full text of one contribution of this kind, for exports (joins already loaded).
    text: Callable[[Contribution], str]
    answerable: bool = True  # whether each one gets an official answer (a comment may ask)
    select_related: Sequence[str] = ()  # more joins from Contribution than the detail row
    prefetch: Sequence[str] = ()  # more prefetches for exports, from Contribution
    search: Sequence[str] = ()  # text fields of the detail row that staff can search
    workflow: Workflow | None = None  # statuses, when the kind has any
    # Shows what was said (the detail row) in mixed lists: moderation, answering, reports. Its
    # context has ``contribution`` and ``detail``.
    summary_template: str = ""
    supports: Callable[[Contribution], int] | None = None  # how many people back it, if counted
    # A date field of the detail row: when an official answer was promised by, if one was (an
    # idea that reached its challenge's supports threshold). The inbox shows it, lists the
    # overdue first and filters by it; a path, not a function, so that a paged list can sort.
    answer_due_field: str = ""
    # Shown in "You said, we did" under a contribution's answers: what was done beyond the answer
    # (an assessment finding's improvement actions). Its context has ``contribution`` and
    # ``detail``; ``loop_prefetch`` (from Contribution) loads what it shows, for a whole page.
    loop_template: str = ""
    loop_prefetch: Sequence[str] = ()
    # Called in the same transaction when the spine changes contributions of this kind (an
    # answer, a moderation, a link to a decision): the app keeps its cached pages fresh.
    on_change: Callable[[Sequence[Contribution]], None] | None = None
    # Given keys of contributions of this kind, those that reached agreement (an opinion-map
    # statement all groups agree with on its conversation's latest map). None: the kind has no
    # such test. In a small fixed number of queries, however many keys (decision 0111).
    agreed: Callable[[Sequence[int]], set[int]] | None = None
    # A date field of the detail row: when its author confirmed it (an anonymous survey answer,
    # by email; decision 0601). While it is unset the contribution waits for them: moderators
    # may not publish it and the moderation page leaves it out (decision 0127). A path, not a
    # function, so that lists can filter on it. '' when the kind needs no confirmation.
    confirmed_field: str = ""


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    """Register a kind; each code once (a second registration is a programming error)."""
    if kind.code in _KINDS:
        raise ValueError(f"The contribution kind {kind.code!r} is already registered.")
    if len(kind.code) > 32:
        raise ValueError(f"A contribution kind's code has at most 32 characters: {kind.code!r}.")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> Kind:
    """The registered kind; LookupError for a code no installed app registered."""
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"No app registered the contribution kind {code!r}.") from None


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())


def kinds_for_method(activity_kind: str) -> set[str]:
    """The contribution kinds an activity of this method takes."""
    return {kind.code for kind in _KINDS.values() if activity_kind in kind.methods}


def detail_joins() -> list[str]:
    """Every kind's one-to-one row and extra joins, for one query over mixed kinds."""
    joins: list[str] = []
    for kind in _KINDS.values():
        joins.append(kind.detail)
        joins.extend(kind.select_related)
    return joins


def export_prefetches() -> list[str]:
    return [path for kind in _KINDS.values() for path in kind.prefetch]


def loop_prefetches() -> list[str]:
    return [path for kind in _KINDS.values() for path in kind.loop_prefetch]


def search_lookups() -> list[str]:
    """``<detail>__<field>`` for every searchable field of every kind."""
    return [f"{kind.detail}__{name}" for kind in _KINDS.values() for name in kind.search]


def answer_due_fields() -> dict[str, str]:
    """``{code: "<detail>__<field>"}`` of every kind whose contributions can be promised an
    answer by a date."""
    return {
        kind.code: f"{kind.detail}__{kind.answer_due_field}"
        for kind in _KINDS.values()
        if kind.answer_due_field
    }


def confirmed_fields() -> dict[str, str]:
    """``{code: "<detail>__<field>"}`` of every kind whose contributions wait for their author
    to confirm them."""
    return {
        kind.code: f"{kind.detail}__{kind.confirmed_field}"
        for kind in _KINDS.values()
        if kind.confirmed_field
    }


def agreed(code: str, pks: Sequence[int]) -> set[int]:
    """Of these contributions of one kind, those that reached agreement; none for a kind that
    cannot (decision 0111)."""
    test = get_kind(code).agreed
    return test(pks) if test is not None and pks else set()


def unregister_kind(code: str) -> None:
    """Forget a kind: for tests that register one of their own."""
    _KINDS.pop(code, None)


def registered(code: str) -> bool:
    return code in _KINDS
