"""Members' votes left open by panels closed before decision 0124 (migration 0006, decision 0131):
closed without being counted, who voted what deleted, nothing published and nothing on the
ledger; every other vote untouched. Back to 0005 they are open again, without their votes."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions.models import Contribution
from coproduce.panels import actions_deliberation
from coproduce.panels.models import (
    Panel,
    Phase,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    VotingRound,
)
from coproduce.panels.tests.factories import make_panel
from coproduce.transparency.models import LedgerEntry

repair = importlib.import_module("coproduce.panels.migrations.0006_close_votes_left_open")

BEFORE_REPAIR = ("panels", "0005_recommendation_uncounted")
BEFORE_STATUS = ("panels", "0004_registration_data_deleted_on")
EXPLANATION = "The panel ended while the members were still voting, so this vote was never counted."


@dataclass
class Voted:
    """A panel whose members are voting on two recommendations, its coordinator and members."""

    panel: Panel
    staff: User
    members: list[User]
    recommendations: list[Recommendation]
    voting_round: VotingRound


def _voting(*, closed_mid_vote: bool) -> Voted:
    setup = make_panel(phase=Phase.DELIBERATION)
    members = [UserFactory() for _ in range(3)]
    for person in members:
        actions_deliberation.member_add(panel=setup.panel, by=setup.staff, email=person.email)
    recommendations = [
        actions_deliberation.recommendation_draft(
            panel=setup.panel, by=members[0], title=title, text=f"{title}, because …"
        )
        for title in ("Open the library on Sundays", "Light the park path")
    ]
    voting_round = actions_deliberation.voting_open(panel=setup.panel, by=setup.staff)
    for person, supports in zip(members, (True, True, False), strict=True):
        for recommendation in recommendations:
            actions_deliberation.vote_cast(
                recommendation=recommendation, by=person, supports=supports
            )
    if closed_mid_vote:  # what phase_set allowed before decision 0124
        Panel.objects.filter(pk=setup.panel.pk).update(phase=Phase.CLOSED)
    return Voted(setup.panel, setup.staff, members, recommendations, voting_round)


def _statuses(world: Voted) -> set[str]:
    return set(Recommendation.objects.filter(panel=world.panel).values_list("status", flat=True))


def _votes(world: Voted) -> int:
    return RecommendationVote.objects.filter(recommendation__panel=world.panel).count()


def _closed_at(world: Voted) -> object:
    return VotingRound.objects.get(pk=world.voting_round.pk).closed_at


# --- The repair, on today's models ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_vote_left_open_by_a_closed_panel_is_closed_uncounted_and_forgotten() -> None:
    left_open = _voting(closed_mid_vote=True)
    still_voting = _voting(closed_mid_vote=False)
    last_vote = RecommendationVote.objects.filter(recommendation__panel=left_open.panel).latest(
        "updated_at"
    )
    entries, contributions = LedgerEntry.objects.count(), Contribution.objects.count()

    repair.close_votes_left_open(apps, None)

    assert _statuses(left_open) == {RecommendationStatus.UNCOUNTED}
    assert _votes(left_open) == 0  # who voted what is gone, as closing a vote promises (0065)
    assert _closed_at(left_open) == last_vote.updated_at
    assert not Recommendation.objects.filter(
        panel=left_open.panel, support_count__isnull=False
    ).exists()  # no totals: a count nobody closed is not a result
    assert (LedgerEntry.objects.count(), Contribution.objects.count()) == (entries, contributions)
    # A panel still deliberating keeps its vote open, with its votes.
    assert _statuses(still_voting) == {RecommendationStatus.VOTING}
    assert _votes(still_voting) == 6
    assert _closed_at(still_voting) is None
    # Run twice, it changes nothing more.
    repair.close_votes_left_open(apps, None)
    assert _closed_at(left_open) == last_vote.updated_at


@pytest.mark.django_db
def test_a_vote_nobody_voted_in_is_closed_at_its_opening() -> None:
    world = _voting(closed_mid_vote=True)
    RecommendationVote.objects.filter(recommendation__panel=world.panel).delete()
    repair.close_votes_left_open(apps, None)
    assert _closed_at(world) == world.voting_round.opened_at
    assert _statuses(world) == {RecommendationStatus.UNCOUNTED}


@pytest.mark.django_db
def test_the_workspace_says_the_vote_was_never_counted_and_the_public_does_not_see_it() -> None:
    world = _voting(closed_mid_vote=True)
    repair.close_votes_left_open(apps, None)
    recommendation = world.recommendations[0]
    for person, url in (
        (world.members[0], reverse("panels:workspace", args=[world.panel.pk])),
        (world.staff, reverse("panels:voting", args=[world.panel.pk])),
        (world.members[1], recommendation.get_absolute_url()),
    ):
        page = client_for(person).get(url).content.decode()
        assert "Not counted" in page, url
        assert EXPLANATION in page, url
        assert "The vote is open" not in page
        assert "Members are voting" not in page
    public = Client().get(reverse("panels:recommendations", args=[world.panel.pk]))
    assert recommendation.title not in public.content.decode()
    assert Client().get(recommendation.get_absolute_url()).status_code == 302  # to sign in
    assert client_for(UserFactory()).get(recommendation.get_absolute_url()).status_code == 403


# --- The migration, forwards and back ---------------------------------------------------------


def _migrate(target: tuple[str, str] | None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target is not None else executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    _migrate(None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_the_migration_closes_votes_left_open_and_going_back_opens_them(
    back_to_latest: None,
) -> None:
    left_open = _voting(closed_mid_vote=True)
    still_voting = _voting(closed_mid_vote=False)
    last_vote = RecommendationVote.objects.filter(recommendation__panel=left_open.panel).latest(
        "updated_at"
    )
    _migrate(BEFORE_REPAIR)
    _migrate(None)
    assert _statuses(left_open) == {RecommendationStatus.UNCOUNTED}
    assert _votes(left_open) == 0
    assert _closed_at(left_open) == last_vote.updated_at
    assert (_statuses(still_voting), _votes(still_voting)) == ({RecommendationStatus.VOTING}, 6)

    # Back to before the status existed: in the vote again, open again, without the votes.
    _migrate(BEFORE_STATUS)
    assert _statuses(left_open) == {RecommendationStatus.VOTING}
    assert _closed_at(left_open) is None
    assert _votes(left_open) == 0
    assert _closed_at(still_voting) is None

    _migrate(None)
    assert _statuses(left_open) == {RecommendationStatus.UNCOUNTED}
    assert _closed_at(left_open) == left_open.voting_round.opened_at  # no vote left to date it
