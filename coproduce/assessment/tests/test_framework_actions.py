"""The framework's actions: who may write it, drafts only, agreed versions frozen, lineage kept
from version to version, one draft at a time (decision 0081)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_framework as actions
from coproduce.assessment import queries_framework as queries
from coproduce.assessment.models import Framework, FrameworkVersion, Standard, VersionStatus
from coproduce.assessment.tests.factories import (
    add_standard,
    keeper_of,
    make_draft,
    make_framework,
    next_draft,
)
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services.models import Service
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service() -> Service:
    return ServiceFactory(name="Community transport")


@pytest.fixture
def keeper(service: Service) -> Any:
    return keeper_of(service)


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def _statements(version: FrameworkVersion) -> list[str]:
    return list(version.standards.order_by("position", "id").values_list("statement", flat=True))


# --- Who may write ----------------------------------------------------------------------------------


def _outsiders(service: Service) -> list[Any]:
    """A resident, a facilitator of the service's organisation, a professional of another one,
    and an anonymous visitor."""
    facilitator = UserFactory(mfa=True)
    MembershipFactory(user=facilitator, organisation=service.organisation, role=Role.FACILITATOR)
    other = UserFactory(mfa=True)
    MembershipFactory(user=other, role=Role.PROFESSIONAL)
    return [UserFactory(), facilitator, other, AnonymousUser()]


def test_only_the_services_admins_professionals_and_superusers_keep_the_framework(
    service: Service,
) -> None:
    for outsider in _outsiders(service):
        with pytest.raises(PermissionDenied):
            actions.framework_start(service=service, by=outsider)
    assert not Framework.objects.exists()
    admin = keeper_of(service, Role.ADMIN)
    draft = actions.framework_start(service=service, by=admin)
    for outsider in _outsiders(service):
        with pytest.raises(PermissionDenied):
            add_standard(draft, outsider, "I can book a journey without help")
        with pytest.raises(PermissionDenied):
            actions.version_start(framework=draft.framework, by=outsider)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    standard = add_standard(draft, superuser, "I can book a journey without help")
    for outsider in _outsiders(service):
        for attempt in (
            lambda by: actions.standard_update(
                standard=standard, by=by, theme="Booking", statement="Changed"
            ),
            lambda by: actions.standard_delete(standard=standard, by=by),
            lambda by: actions.standard_move(standard=standard, by=by, direction=actions.UP),
            lambda by: actions.version_agree(version=draft, by=by, change_note="Agreed"),
        ):
            with pytest.raises(PermissionDenied):
                attempt(outsider)
    assert _statements(draft) == ["I can book a journey without help"]
    assert FrameworkVersion.objects.get().status == VersionStatus.DRAFT


# --- Starting ---------------------------------------------------------------------------------------


def test_starting_the_framework_makes_an_empty_draft_of_version_1(
    service: Service, keeper: Any
) -> None:
    draft = actions.framework_start(service=service, by=keeper)
    assert (draft.number, draft.status, draft.created_by) == (1, VersionStatus.DRAFT, keeper)
    assert draft.framework.service == service
    assert not draft.standards.exists()
    with pytest.raises(ValidationError) as error:
        actions.framework_start(service=service, by=keeper)
    assert error.value.messages == ["This service already has a framework of standards."]
    assert FrameworkVersion.objects.count() == 1


# --- Standards of the draft -------------------------------------------------------------------------


def test_each_new_standard_is_a_new_lineage_and_goes_last(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=3)
    standards = list(draft.standards.order_by("position"))
    assert [s.lineage for s in standards] == [1, 2, 3]
    assert [s.position for s in standards] == [0, 1, 2]


def test_the_same_standard_twice_is_refused_on_its_field(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=1)
    with pytest.raises(ValidationError) as error:
        add_standard(draft, keeper, "  i can BOOK a journey   without help ", theme="Other")
    assert _errors(error) == {"statement": ["The framework already has this standard."]}
    assert draft.standards.count() == 1


def test_a_standard_needs_its_words_and_english_beside_the_welsh(
    service: Service, keeper: Any
) -> None:
    draft = make_draft(service, keeper, count=0)
    with pytest.raises(ValidationError) as error:
        actions.standard_add(
            version=draft, by=keeper, theme="", statement="", statement_cy="Gallaf archebu"
        )
    errors = _errors(error)
    assert {"theme", "statement", "statement_cy"} <= set(errors)
    assert errors["statement_cy"] == ["Write this in English as well: the Welsh goes beside it."]
    with pytest.raises(ValidationError) as error:
        add_standard(draft, keeper, "x" * 301)
    assert "statement" in _errors(error)
    assert not draft.standards.exists()


def test_a_theme_written_like_an_existing_one_joins_it_with_its_welsh(
    service: Service, keeper: Any
) -> None:
    draft = make_draft(service, keeper, count=0)
    add_standard(draft, keeper, "I feel safe", theme="On the journey", theme_cy="Ar y daith")
    second = add_standard(draft, keeper, "Staff are kind", theme="  on the   JOURNEY ")
    assert (second.theme, second.theme_cy) == ("On the journey", "Ar y daith")


def test_changing_a_standard_keeps_its_lineage(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=2)
    first, second = draft.standards.order_by("position")
    changed = actions.standard_update(
        standard=first,
        by=keeper,
        theme=first.theme,
        statement="I can book a journey on my own",
        statement_cy="Gallaf archebu taith ar fy mhen fy hun",
    )
    assert changed.lineage == first.lineage
    assert Standard.objects.get(pk=first.pk).statement == "I can book a journey on my own"
    # Saved again with its own words: not a duplicate of itself; another's words are.
    actions.standard_update(
        standard=changed, by=keeper, theme=first.theme, statement=changed.statement
    )
    with pytest.raises(ValidationError) as error:
        actions.standard_update(
            standard=changed, by=keeper, theme=first.theme, statement=second.statement
        )
    assert _errors(error) == {"statement": ["The framework already has this standard."]}


def test_removing_a_standard_of_the_draft(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=2)
    first = draft.standards.order_by("position").first()
    assert first is not None
    actions.standard_delete(standard=first, by=keeper)
    assert draft.standards.count() == 1


def test_moving_a_standard_within_its_theme(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=0)
    a = add_standard(draft, keeper, "A", theme="One")
    b = add_standard(draft, keeper, "B", theme="Two")
    c = add_standard(draft, keeper, "C", theme="One")
    d = add_standard(draft, keeper, "D", theme="One")

    def shown() -> list[str]:
        return [s.statement for s in queries.display_order(draft.standards.all())]

    assert shown() == ["A", "C", "D", "B"]
    actions.standard_move(standard=d, by=keeper, direction=actions.UP)
    assert shown() == ["A", "D", "C", "B"]
    actions.standard_move(standard=a, by=keeper, direction=actions.DOWN)
    assert shown() == ["D", "A", "C", "B"]
    # The first of a theme cannot go up, the last cannot go down, nor into another theme.
    actions.standard_move(standard=d, by=keeper, direction=actions.UP)
    actions.standard_move(standard=b, by=keeper, direction=actions.DOWN)
    actions.standard_move(standard=b, by=keeper, direction=actions.UP)
    assert shown() == ["D", "A", "C", "B"]
    with pytest.raises(ValidationError):
        actions.standard_move(standard=c, by=keeper, direction="sideways")


# --- Agreeing ---------------------------------------------------------------------------------------


def test_agreeing_needs_a_standard_and_a_note(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=0)
    with pytest.raises(ValidationError) as error:
        actions.version_agree(version=draft, by=keeper, change_note=" ")
    assert _errors(error) == {
        "__all__": ["Add at least one standard before you agree the version."],
        "change_note": ["Say how the standards were written."],
    }
    assert FrameworkVersion.objects.get().status == VersionStatus.DRAFT


def test_co_authors_need_a_name_to_be_shown_and_an_open_account(
    service: Service, keeper: Any
) -> None:
    draft = make_draft(service, keeper, count=2)
    nameless = UserFactory(name="", email="nameless@example.org")
    with pytest.raises(ValidationError) as error:
        actions.version_agree(version=draft, by=keeper, change_note="Hi", co_authors=[nameless])
    assert "nameless@example.org" in _errors(error)["co_authors"][0]
    closed = UserFactory(is_active=False, email="closed@example.org")
    with pytest.raises(ValidationError) as error:
        actions.version_agree(version=draft, by=keeper, change_note="Hi", co_authors=[closed])
    assert _errors(error) == {"co_authors": ["closed@example.org has closed their account."]}
    assert FrameworkVersion.objects.get().status == VersionStatus.DRAFT


def test_agreeing_records_who_when_and_with_whom(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=2)
    ann, bob = UserFactory(name="Ann Jones"), UserFactory(name="Bob Price")
    agreed = actions.version_agree(
        version=draft,
        by=keeper,
        change_note="Written with passengers.",
        change_note_cy="Ysgrifennwyd gyda theithwyr.",
        co_authors=[bob, ann, bob],
    )
    agreed.refresh_from_db()
    assert agreed.status == VersionStatus.AGREED
    assert agreed.agreed_by == keeper
    assert agreed.agreed_at is not None
    assert agreed.change_note_cy == "Ysgrifennwyd gyda theithwyr."
    assert set(agreed.co_authors.all()) == {ann, bob}
    assert queries.co_author_names(agreed) == ["Ann Jones", "Bob Price"]


def test_an_agreed_version_is_frozen(service: Service, keeper: Any) -> None:
    agreed = make_framework(service, keeper, count=2)
    standard = agreed.standards.order_by("position").first()
    assert standard is not None
    before = (_statements(agreed), agreed.agreed_at, agreed.change_note)
    for attempt in (
        lambda: add_standard(agreed, keeper, "Something new"),
        lambda: actions.standard_update(
            standard=standard, by=keeper, theme="Booking", statement="Changed"
        ),
        lambda: actions.standard_delete(standard=standard, by=keeper),
        lambda: actions.standard_move(standard=standard, by=keeper, direction=actions.DOWN),
        lambda: actions.version_agree(version=agreed, by=keeper, change_note="Again"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    agreed.refresh_from_db()
    assert (_statements(agreed), agreed.agreed_at, agreed.change_note) == before


# --- The next version -------------------------------------------------------------------------------


def test_one_draft_at_a_time(service: Service, keeper: Any) -> None:
    draft = make_draft(service, keeper, count=1)
    with pytest.raises(ValidationError) as error:
        next_draft(draft, keeper)
    assert error.value.messages == [
        "Version 1 is still a draft. Agree it before you start another."
    ]
    actions.version_agree(version=draft, by=keeper, change_note="First")
    second = next_draft(draft, keeper)
    with pytest.raises(ValidationError):
        next_draft(draft, keeper)
    assert second.number == 2
    assert FrameworkVersion.objects.filter(status=VersionStatus.DRAFT).get() == second


def test_a_new_version_copies_the_latest_agreed_standards_with_their_lineage(
    service: Service, keeper: Any
) -> None:
    first = make_framework(service, keeper, count=4)
    second = next_draft(first, keeper)
    assert second.status == VersionStatus.DRAFT
    old = list(first.standards.order_by("position").values_list("lineage", "statement", "theme"))
    new = list(second.standards.order_by("position").values_list("lineage", "statement", "theme"))
    assert new == old
    assert not set(first.standards.all()) & set(second.standards.all())  # copies, not the same


def test_lineage_is_kept_across_versions_and_never_reused(service: Service, keeper: Any) -> None:
    first = make_framework(service, keeper, count=4)  # lineages 1–4
    second = next_draft(first, keeper)
    by_lineage = {s.lineage: s for s in second.standards.all()}
    actions.standard_update(
        standard=by_lineage[1],
        by=keeper,
        theme=by_lineage[1].theme,
        statement="I can book a journey on my own",
    )
    actions.standard_delete(standard=by_lineage[4], by=keeper)
    added = add_standard(second, keeper, "The bus is clean")
    assert added.lineage == 5  # 4 was used in version 1: never given again
    actions.version_agree(version=second, by=keeper, change_note="Reworded one, removed one.")
    third = next_draft(second, keeper)
    assert {s.lineage: s.statement for s in third.standards.all()} == {
        1: "I can book a journey on my own",
        2: by_lineage[2].statement,
        3: by_lineage[3].statement,
        5: "The bus is clean",
    }
    # Version 1 is as it was agreed.
    assert _statements(first)[0] == "I can book a journey without help"
    assert first.standards.count() == 4
    assert third.number == 3


def test_what_changed_since_the_previous_agreed_version(service: Service, keeper: Any) -> None:
    first = make_framework(service, keeper, count=3)
    second = next_draft(first, keeper)
    standards = {s.lineage: s for s in second.standards.all()}
    actions.standard_update(
        standard=standards[2], by=keeper, theme=standards[2].theme, statement="Staff are kind"
    )
    actions.standard_delete(standard=standards[3], by=keeper)
    add_standard(second, keeper, "The bus is clean")
    changes = queries.standards_of(second)
    assert changes.previous == first
    assert (changes.count, changes.added, changes.changed) == (3, 1, 1)
    assert [s.lineage for s in changes.removed] == [3]
    lines = [line for theme in changes.themes for line in theme.lines]
    assert [line.number for line in lines] == [1, 2, 3]
    assert {line.standard.statement: line.change for line in lines} == {
        "I can book a journey without help": "",
        "Staff are kind": queries.CHANGED,
        "The bus is clean": queries.NEW,
    }
    assert queries.standards_of(first).previous is None
