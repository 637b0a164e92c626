"""Contributions, decisions and official answers in the site search (``coproduce.search``).

The spine registers decisions and answers itself. Each method app registers the kinds of
contribution it wants found with ``contribution_source(kind)``, from its ``AppConfig.ready()``;
a kind's document is its title and its ``Kind.text``. What is public is decided here, once:
published contributions of activities that have opened, of published services; decisions of
published services; answers to the public contributions of the kinds in the search. Hiding a
contribution takes its answers out of the index with it (its source's ``dependents``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.kinds import Kind, Label
from coproduce.contributions.models import Contribution, Decision, Response, Visibility
from coproduce.search.models import Document
from coproduce.search.registry import Scope, Source, register_source
from coproduce.services.models import PUBLIC_ACTIVITY_STATES, ServiceStatus
from coproduce.services.search import of_service

DECISION = "decision"
ANSWER = "answer"

SERVICE = "activity__service_stage__service"
# What anyone may see (contributions.rules.can_view_contribution, for a visitor).
PUBLIC = Q(
    visibility=Visibility.PUBLISHED,
    activity__state__in=PUBLIC_ACTIVITY_STATES,
    activity__service_stage__service__status=ServiceStatus.PUBLISHED,
)

Dependents = Callable[[Sequence[int]], Mapping[str, Iterable[int]]]

# Kind → what makes a contribution of it public, for each kind a method app put in the search.
_PUBLIC_KINDS: dict[str, Q] = {}


def public_contributions() -> Q:
    """Contributions the search finds: public, of a kind in the search. Answers are found only
    with them, so an answer to a survey answer (not in the search) or to a comment on a hidden
    idea is never found."""
    found = Q(pk__in=[])
    for code, public in _PUBLIC_KINDS.items():
        found |= Q(PUBLIC, kind=code) & public
    return found


def answers_to(keys: Sequence[int]) -> dict[str, list[int]]:
    """The answers to these contributions: public only while they are."""
    return {
        ANSWER: list(Response.objects.filter(contribution__in=keys).values_list("pk", flat=True))
    }


def contribution_source(
    kind: Kind, *, plural: Label, public: Q | None = None, dependents: Dependents | None = None
) -> Source:
    """A search source for the public contributions of one kind: each found by its title and its
    text (``Kind.text``). ``public`` narrows what is public further (a comment, while its idea
    is); ``dependents`` names more things public only through these (besides their answers)."""

    _PUBLIC_KINDS[kind.code] = public if public is not None else Q()

    def documents(scope: Scope) -> Iterator[Document]:
        items: QuerySet[Contribution] = Contribution.objects.filter(PUBLIC, kind=kind.code)
        if public is not None:
            items = items.filter(public)
        items = scope.narrow(
            items.select_related(SERVICE, kind.detail, *kind.select_related),
            service=f"{SERVICE}_id",
        )
        for contribution in items.order_by("pk").iterator(chunk_size=500):
            yield of_service(
                Document(
                    kind=kind.code,
                    key=contribution.pk,
                    title=contribution.title,
                    body=kind.text(contribution),
                    url=contribution.get_absolute_url(),
                    date=timezone.localdate(contribution.created_at),
                ),
                contribution.activity.service_stage.service,
            )

    def all_dependents(keys: Sequence[int]) -> dict[str, list[int]]:
        found = answers_to(keys)
        for other, other_keys in (dependents(keys) if dependents else {}).items():
            found[other] = [*found.get(other, []), *other_keys]
        return found

    return Source(
        kind=kind.code,
        label=kind.label,
        plural=plural,
        documents=documents,
        dependents=all_dependents,
    )


def decision_documents(scope: Scope) -> Iterator[Document]:
    """Decisions of published services: what was decided, the reasons, and who decided."""
    decisions = scope.narrow(
        Decision.objects.filter(service__status=ServiceStatus.PUBLISHED).select_related("service"),
        service="service_id",
    )
    for decision in decisions.order_by("pk").iterator(chunk_size=500):
        yield of_service(
            Document(
                kind=DECISION,
                key=decision.pk,
                title=decision.title,
                title_cy=decision.title_cy,
                body=f"{decision.description}\n{decision.decided_by}",
                body_cy=decision.description_cy,
                url=decision.get_absolute_url(),
                date=decision.decided_on,
            ),
            decision.service,
        )


def answer_documents(scope: Scope) -> Iterator[Document]:
    """Official answers to public contributions, found by their words, shown with the title of
    what they answer and linked to its page."""
    answers = scope.narrow(
        Response.objects.filter(
            contribution__in=Contribution.objects.filter(public_contributions()).values("pk")
        ),
        service="contribution__activity__service_stage__service_id",
    ).order_by("pk")
    batch: list[Response] = []
    for answer in answers.iterator(chunk_size=500):
        batch.append(answer)
        if len(batch) == 500:
            yield from _answers(batch)
            batch = []
    yield from _answers(batch)


def _answers(answers: list[Response]) -> Iterator[Document]:
    # The title and address of what each answers come from its kind's own row: one query for all.
    answered = (
        Contribution.objects.with_details()
        .select_related(SERVICE)
        .in_bulk({answer.contribution_id for answer in answers})
    )
    for answer in answers:
        contribution = answered[answer.contribution_id]
        yield of_service(
            Document(
                kind=ANSWER,
                key=answer.pk,
                title=contribution.title,
                body=answer.body,
                body_cy=answer.body_cy,
                url=contribution.get_absolute_url(),
                date=timezone.localdate(answer.created_at),
            ),
            contribution.activity.service_stage.service,
        )


def register() -> None:
    """Called once, from ``ContributionsConfig.ready()``."""
    register_source(
        Source(
            kind=DECISION,
            label=_("Decision"),
            plural=_("Decisions"),
            documents=decision_documents,
            bilingual=True,
        )
    )
    register_source(
        Source(
            kind=ANSWER,
            label=_("Answer"),
            plural=_("Answers"),
            documents=answer_documents,
        )
    )
