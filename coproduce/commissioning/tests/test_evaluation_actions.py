"""The evaluation's actions: choosing evaluators (told by email), declarations (every bidder,
final), independent scores (not before the deadline, not on a declared interest, not after the
award, fixed once moderated) and the moderation's agreed scores (a reason where scores differ)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions_evaluation as actions
from coproduce.commissioning import rules
from coproduce.commissioning.models import (
    AgreedScore,
    Declaration,
    Evaluator,
    EvaluatorRole,
    Score,
)
from coproduce.commissioning.tests.factories import keeper_of
from coproduce.commissioning.tests.factories_evaluation import (
    Evaluated,
    agree,
    agree_example,
    award,
    close,
    declare,
    evaluated_round,
    make_evaluator,
    score,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data() -> Evaluated:
    return evaluated_round()


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Choosing evaluators ---------------------------------------------------------------------------


def test_a_keeper_chooses_a_resident_by_email_and_they_are_told(
    data: Evaluated, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(email="asha@example.org", name="Asha Patel")
    with django_capture_on_commit_callbacks(execute=True):
        evaluator = actions.evaluator_add(
            round_=data.round, by=data.keeper, email="  ASHA@example.org ", role="resident"
        )
    assert evaluator.person == person
    assert evaluator.role == EvaluatorRole.RESIDENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asha@example.org"]
    assert data.round.activity.title in message.subject
    assert f"/commissioning/{data.round.pk}/evaluate/" in message.body
    assert "Asha Patel" in message.body


def test_a_member_of_staff_evaluates_as_staff_not_as_a_resident(data: Evaluated) -> None:
    colleague = keeper_of(data.round.activity.service)
    with pytest.raises(ValidationError) as error:
        actions.evaluator_add(
            round_=data.round, by=data.keeper, email=colleague.email, role="resident"
        )
    assert "role" in _errors(error)
    evaluator = actions.evaluator_add(
        round_=data.round, by=data.keeper, email=colleague.email, role="staff"
    )
    assert evaluator.role == EvaluatorRole.STAFF
    resident = UserFactory()
    with pytest.raises(ValidationError) as error:
        actions.evaluator_add(round_=data.round, by=data.keeper, email=resident.email, role="staff")
    assert "role" in _errors(error)


@pytest.mark.parametrize(
    "case", ["unknown", "no name", "twice", "bidder", "bad role"], ids=lambda c: c
)
def test_who_cannot_be_chosen(data: Evaluated, case: str) -> None:
    person = UserFactory()
    email, role = person.email, "resident"
    if case == "unknown":
        email = "nobody@example.org"
    elif case == "no name":
        person.name = ""
        person.save()
    elif case == "twice":
        make_evaluator(data.round, data.keeper, person)
    elif case == "bidder":
        email = data.bidders[1].email
    else:
        role = "judge"
    with pytest.raises(ValidationError) as error:
        actions.evaluator_add(round_=data.round, by=data.keeper, email=email, role=role)
    assert set(_errors(error)) == ({"role"} if case == "bad role" else {"email"})
    assert Evaluator.objects.filter(round=data.round).count() == (1 if case == "twice" else 0)


def test_only_keepers_choose_and_not_after_the_award(data: Evaluated) -> None:
    person = UserFactory()
    for someone in (UserFactory(), data.bidders[0]):
        with pytest.raises(PermissionDenied):
            actions.evaluator_add(
                round_=data.round, by=someone, email=person.email, role="resident"
            )
    agree_example(data)
    award(data)
    with pytest.raises(PermissionDenied):
        actions.evaluator_add(
            round_=data.round, by=data.keeper, email=person.email, role="resident"
        )


def test_an_evaluator_is_removed_only_before_declaring(data: Evaluated) -> None:
    first = make_evaluator(data.round, data.keeper)
    second = make_evaluator(data.round, data.keeper)
    actions.evaluator_remove(
        evaluator=Evaluator.objects.get(person=first, round=data.round), by=data.keeper
    )
    declare(data.round, second)
    with pytest.raises(ValidationError, match="public register keeps"):
        actions.evaluator_remove(
            evaluator=Evaluator.objects.get(person=second, round=data.round), by=data.keeper
        )
    assert list(Evaluator.objects.filter(round=data.round).values_list("person", flat=True)) == [
        second.pk
    ]


# --- Declarations ------------------------------------------------------------------------------------


def test_declaring_waits_for_the_deadline() -> None:
    data = evaluated_round(closed=False)
    person = make_evaluator(data.round, data.keeper)
    with pytest.raises(PermissionDenied):
        declare(data.round, person)
    assert not Declaration.objects.exists()


def test_every_bidder_needs_an_answer_and_an_interest_a_description(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    oak, ash, elm = data.bids
    with pytest.raises(ValidationError) as error:
        actions.declarations_save(
            round_=data.round,
            person=person,
            answers={
                oak.pk: actions.Interest(conflict=False),
                ash.pk: actions.Interest(conflict=True, details="  "),
            },
        )
    assert set(_errors(error)) == {f"details_{ash.pk}", f"interest_{elm.pk}"}
    assert not Declaration.objects.exists()  # all or nothing


def test_declarations_are_saved_and_final(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    oak, ash, _elm = data.bids
    evaluator = rules.evaluator_of(person, data.round)
    assert evaluator is not None
    assert not rules.can_open_bid(person, oak)  # nothing seen before declaring
    declare(data.round, person, {ash.pk: "My sister chairs its board."})
    assert rules.declared_all(evaluator)
    assert Declaration.objects.get(evaluator=evaluator, bid=ash).details == (
        "My sister chairs its board."
    )
    assert rules.can_open_bid(person, oak)
    assert not rules.can_open_bid(person, ash)
    with pytest.raises(ValidationError, match="already declared"):
        declare(data.round, person)
    with pytest.raises(ValidationError):  # changing one is refused too
        actions.declarations_save(
            round_=data.round, person=person, answers={ash.pk: actions.Interest(conflict=False)}
        )
    assert Declaration.objects.get(evaluator=evaluator, bid=ash).conflict


def test_only_evaluators_declare(data: Evaluated) -> None:
    with pytest.raises(PermissionDenied):
        declare(data.round, UserFactory())
    with pytest.raises(PermissionDenied):
        declare(data.round, data.keeper)


# --- Scores --------------------------------------------------------------------------------------------


def test_scoring_waits_for_every_declaration(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    with pytest.raises(PermissionDenied):
        score(data.bids[0], person, (3, 3, 3))
    declare(data.round, person)
    score(data.bids[0], person, (3, 4, 5))
    scores = Score.objects.filter(bid=data.bids[0]).order_by(
        "criterion__kind", "criterion__position"
    )
    assert [s.score for s in scores] == [3, 4, 5]
    assert all(s.comment.startswith("Clear and local.") for s in scores)


def test_a_conflicted_evaluator_cannot_score_that_bid(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    oak, ash, _elm = data.bids
    declare(data.round, person, {ash.pk: "I volunteer with them."})
    with pytest.raises(PermissionDenied):
        score(ash, person, (3, 3, 3))
    score(oak, person, (3, 3, 3))
    assert not Score.objects.filter(bid=ash).exists()


def test_scoring_is_refused_before_the_deadline() -> None:
    data = evaluated_round(closed=False)
    person = make_evaluator(data.round, data.keeper)
    with pytest.raises(PermissionDenied):
        score(data.bids[0], person, (3, 3, 3))
    close(data)
    declare(data.round, person)
    score(data.bids[0], person, (3, 3, 3))


def test_scoring_is_refused_after_the_award(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    declare(data.round, person)
    agree_example(data)
    award(data)
    with pytest.raises(PermissionDenied):
        score(data.bids[1], person, (3, 3, 3))


def test_each_score_is_on_the_scale_with_a_comment(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    declare(data.round, person)
    first, second, third = data.criteria
    with pytest.raises(ValidationError) as error:
        actions.scores_save(
            bid=data.bids[0],
            person=person,
            scores={
                first.pk: actions.Given(score=6, comment="Too good."),
                second.pk: actions.Given(score=3, comment="  "),
            },
        )
    assert set(_errors(error)) == {
        f"score_{first.pk}",
        f"comment_{second.pk}",
        f"score_{third.pk}",
    }
    assert not Score.objects.exists()


def test_scores_change_until_the_moderation_agrees_the_bid(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    declare(data.round, person)
    oak = data.bids[0]
    score(oak, person, (1, 1, 1))
    score(oak, person, (2, 2, 2), comment="Read again.")
    assert sorted(Score.objects.filter(bid=oak).values_list("score", flat=True)) == [2, 2, 2]
    agree(oak, data.keeper, (2, 2, 2))
    with pytest.raises(ValidationError, match="cannot change now"):
        score(oak, person, (5, 5, 5))
    score(data.bids[1], person, (4, 4, 4))  # another bid is still open


def test_scoring_done_counts_only_the_bids_without_an_interest(data: Evaluated) -> None:
    person = make_evaluator(data.round, data.keeper)
    other = make_evaluator(data.round, data.keeper)
    oak, ash, elm = data.bids
    declare(data.round, person, {ash.pk: "A former employer."})
    declare(data.round, other, {oak.pk: "A friend works there."})
    evaluator = rules.evaluator_of(person, data.round)
    assert evaluator is not None
    score(oak, person, (3, 3, 3))
    assert not actions.scoring_done(evaluator)
    score(elm, person, (3, 3, 3))
    assert actions.scoring_done(evaluator)


# --- Moderation --------------------------------------------------------------------------------------


def _two_evaluators(data: Evaluated, first: tuple[int, ...], second: tuple[int, ...]) -> None:
    for scores in (first, second):
        person = make_evaluator(data.round, data.keeper)
        declare(data.round, person)
        score(data.bids[0], person, scores)
        data.evaluators.append(person)


def test_a_reason_is_required_where_the_scores_differ(data: Evaluated) -> None:
    _two_evaluators(data, (3, 4, 2), (3, 4, 4))
    first, second, third = data.criteria
    agreed = {
        first.pk: actions.Given(score=3, comment=""),  # both gave 3: no reason needed
        second.pk: actions.Given(score=3, comment=""),  # both gave 4, agreed 3: reason needed
        third.pk: actions.Given(score=3, comment=""),  # 2 and 4 differ: reason needed
    }
    with pytest.raises(ValidationError) as error:
        actions.agreed_scores_save(bid=data.bids[0], by=data.keeper, agreed=agreed)
    assert set(_errors(error)) == {f"reason_{second.pk}", f"reason_{third.pk}"}
    assert not AgreedScore.objects.exists()
    agreed[second.pk] = actions.Given(score=3, comment="The evidence was thin.")
    agreed[third.pk] = actions.Given(score=3, comment="We met in the middle.")
    actions.agreed_scores_save(bid=data.bids[0], by=data.keeper, agreed=agreed)
    rows = {a.criterion_id: a for a in AgreedScore.objects.filter(bid=data.bids[0])}
    assert rows[first.pk].reason == ""
    assert rows[third.pk].reason == "We met in the middle."
    assert rows[third.pk].agreed_by == data.keeper


def test_a_score_nobody_gave_needs_a_reason(data: Evaluated) -> None:
    first, second, third = data.criteria
    with pytest.raises(ValidationError) as error:
        actions.agreed_scores_save(
            bid=data.bids[1],
            by=data.keeper,
            agreed={c.pk: actions.Given(score=2, comment="") for c in data.criteria},
        )
    assert set(_errors(error)) == {f"reason_{c.pk}" for c in (first, second, third)}
    assert "Nobody scored" in str(error.value)


def test_only_keepers_moderate_after_the_deadline() -> None:
    data = evaluated_round(closed=False)
    agreed = {c.pk: actions.Given(score=2, comment="Agreed.") for c in data.criteria}
    with pytest.raises(PermissionDenied):
        actions.agreed_scores_save(bid=data.bids[0], by=data.keeper, agreed=agreed)
    close(data)
    with pytest.raises(PermissionDenied):
        actions.agreed_scores_save(bid=data.bids[0], by=data.bidders[0], agreed=agreed)
    actions.agreed_scores_save(bid=data.bids[0], by=data.keeper, agreed=agreed)


def test_a_keeper_who_evaluates_moderates_only_after_their_own_scores(data: Evaluated) -> None:
    colleague = keeper_of(data.round.activity.service)
    make_evaluator(data.round, data.keeper, colleague, role="staff")
    oak, ash, elm = data.bids
    agreed = {c.pk: actions.Given(score=2, comment="Agreed.") for c in data.criteria}
    with pytest.raises(PermissionDenied):
        actions.agreed_scores_save(bid=oak, by=colleague, agreed=agreed)
    declare(data.round, colleague, {ash.pk: "I used to work there."})
    score(oak, colleague, (2, 2, 2))
    with pytest.raises(PermissionDenied):  # elm still to score
        actions.agreed_scores_save(bid=oak, by=colleague, agreed=agreed)
    score(elm, colleague, (2, 2, 2))
    actions.agreed_scores_save(bid=oak, by=colleague, agreed=agreed)
    with pytest.raises(PermissionDenied):  # the bidder they declared an interest in
        actions.agreed_scores_save(bid=ash, by=colleague, agreed=agreed)


def test_agreed_scores_change_until_the_award(data: Evaluated) -> None:
    agree_example(data)
    agree(data.bids[2], data.keeper, (1, 1, 1), reason="Looked again.")
    assert sorted(AgreedScore.objects.filter(bid=data.bids[2]).values_list("score", flat=True)) == [
        1,
        1,
        1,
    ]
    award(data)
    with pytest.raises(PermissionDenied):
        agree(data.bids[2], data.keeper, (2, 2, 2))


def test_the_evaluators_progress_read_at_once_agrees_with_the_rules(
    data: Evaluated, django_assert_max_num_queries: Any
) -> None:
    """``rules.progress`` of a whole round (the evaluators page) is each evaluator's alone (what
    ``scoring_done`` and ``evaluator_remove`` read), and agrees with ``rules.declared_all``."""
    oak, ash, elm = data.bids
    chosen = make_evaluator(data.round, data.keeper)  # nothing done: removable
    declared = make_evaluator(data.round, data.keeper)
    declare(data.round, declared)
    partway = make_evaluator(data.round, data.keeper)
    declare(data.round, partway)
    score(oak, partway, (3, 3, 3))
    conflicted = make_evaluator(data.round, data.keeper)
    declare(data.round, conflicted, {ash.pk: "My cousin runs it."})
    for bid in (oak, elm):
        score(bid, conflicted, (4, 4, 4))
    finished = make_evaluator(data.round, data.keeper)
    declare(data.round, finished)
    for bid in data.bids:
        score(bid, finished, (2, 3, 4))
    with django_assert_max_num_queries(5):
        progress = rules.progress(data.round)
    for evaluator in Evaluator.objects.filter(round=data.round):
        assert progress[evaluator.pk].declared == rules.declared_all(evaluator)
        assert rules.progress(data.round, evaluator) == {evaluator.pk: progress[evaluator.pk]}
    people = [chosen, declared, partway, conflicted, finished]
    by_person = {e.person_id: progress[e.pk] for e in Evaluator.objects.filter(round=data.round)}
    assert [by_person[p.pk].declared for p in people] == [False, True, True, True, True]
    assert [by_person[p.pk].done for p in people] == [False, False, False, True, True]
    assert [by_person[p.pk].removable for p in people] == [True, False, False, False, False]
