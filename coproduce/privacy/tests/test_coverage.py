"""Every field that points at a person leads to an export, or is left out with a reason
(decision 0097): a new model with a user field fails here until it is added to catalogue.py."""

from __future__ import annotations

import pytest

from coproduce.accounts.models import ApiToken
from coproduce.assessment.models import CoachingSession
from coproduce.contributions.models import Contribution
from coproduce.privacy import catalogue, registry
from coproduce.privacy.registry import Export


def test_every_user_field_of_every_model_is_exported_or_excluded_with_a_reason() -> None:
    missing = registry.uncovered()
    assert not missing, (
        "These fields point at a person but are in no export of coproduce/privacy/catalogue.py "
        f"and not in its EXCLUSIONS with a reason: {missing}"
    )


def test_the_walk_reaches_the_models_it_should() -> None:
    """The walk itself finds user fields of every kind, here and in other apps."""
    found = {f"{model._meta.label}.{field.name}" for model, field in registry.user_fields()}
    assert {
        "accounts.ApiToken.user",  # ForeignKey
        "notifications.NotificationSettings.user",  # OneToOneField
        "assessment.CoachingSession.participants",  # ManyToManyField
        "admin.LogEntry.user",  # another project's model
        "privacy.DataExport.user",  # this app's own
    } <= found
    assert not any(".User_groups." in path for path in found)  # Django's own through tables


def test_the_check_fails_for_a_user_field_nobody_covers() -> None:
    assert registry.uncovered(models_=[ApiToken], exports_=[], excluded_={}) == [
        "accounts.ApiToken.user"
    ]
    assert registry.uncovered(
        models_=[CoachingSession],
        exports_=[Export("coaching", "assessment.CoachingSession", "", via=("coach",))],
        excluded_={"assessment.CoachingSession.created_by": "   "},  # a blank reason is no reason
    ) == ["assessment.CoachingSession.created_by", "assessment.CoachingSession.participants"]


def test_an_export_or_a_reasoned_exclusion_covers_a_field() -> None:
    tokens = Export("api_tokens", "accounts.ApiToken", "", via=("user",))
    assert registry.uncovered(models_=[ApiToken], exports_=[tokens], excluded_={}) == []
    assert (
        registry.uncovered(
            models_=[ApiToken], exports_=[], excluded_={"accounts.ApiToken.user": "Because."}
        )
        == []
    )


def test_exports_and_exclusions_name_real_models_and_fields() -> None:
    assert registry.stale() == []
    assert registry.stale(
        exports_=[
            Export("renamed", "accounts.ApiToken", "", via=("owner",)),
            Export("gone", "accounts.Nothing", ""),
            Export("later", "accounts.Nothing", "", optional=True),
        ],
        excluded_={"accounts.ApiToken.owner": "x", "nope.Model.user": "x"},
    ) == [
        "renamed: no field accounts.ApiToken.owner",
        "gone: no model accounts.Nothing",
        "exclusion accounts.ApiToken.owner: no such field",
        "exclusion nope.Model.user: no model nope.Model",
    ]


def test_every_exclusion_says_why() -> None:
    assert registry.excluded() == catalogue.EXCLUSIONS
    assert all(len(reason) > 20 for reason in registry.excluded().values())


def test_secrets_are_never_exported() -> None:
    by_model: dict[str, set[str]] = {}
    for export in registry.exports():
        if export.rows is None:
            model = export.model_class()
            assert model is not None
            fields = {field.name for field in model._meta.concrete_fields}
            if export.only:
                fields &= set(export.only)
            by_model.setdefault(export.model, set()).update(fields - set(export.exclude))
    assert "password" not in by_model["accounts.User"]
    assert not {"token_hash", "prefix"} & by_model["accounts.ApiToken"]
    assert "data" not in by_model["mfa.Authenticator"]
    assert "confirmation_token_hash" not in by_model["insight.SurveySubmission"]
    assert "key" not in by_model["conversations.Participant"]
    assert "registration_code" not in by_model["panels.Registrant"]
    assert "file" not in by_model["privacy.DataExport"]


def test_every_kind_of_contribution_brings_its_words() -> None:
    """Each model that is a contribution's own row (its words) is a child of "contributions",
    or comes through a person field of its own."""
    details = {
        relation.related_model._meta.label
        for relation in Contribution._meta.related_objects
        if relation.one_to_one
    }
    children = {
        export.model
        for export in registry.exports()
        if export.parent == ("contributions", "contribution")
    }
    assert details - children == set(catalogue.DETAILS_ELSEWHERE)
    for label in catalogue.DETAILS_ELSEWHERE:
        assert any(export.model == label and export.via for export in registry.exports())


def test_registering_checks_names_and_parents() -> None:
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Export("account", "accounts.User", ""))
    with pytest.raises(ValueError, match="before its children"):
        registry.register(Export("orphan", "accounts.User", "", parent=("nothing", "user")))
    with pytest.raises(ValueError, match="Say why"):
        registry.exclude("accounts.ApiToken.user", " ")


def test_the_project_exports_equality_answers_with_its_own_exporter() -> None:
    [export] = [e for e in registry.exports() if e.model == "equality.EqualityRecord"]
    assert export.rows is catalogue.equality_rows
