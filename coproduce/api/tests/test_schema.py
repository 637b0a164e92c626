"""The OpenAPI document is honest: what it declares is what the server does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from coproduce.api.api import api
from coproduce.api.schemas import (
    NO_CONTROL_PATTERN,
    NOT_BLANK_PATTERN,
    Date,
    LongText,
    Name,
)
from coproduce.api.tests.client import Api

SCHEMA = api.get_openapi_schema()
# Writes that make something new answer 201; other writes answer 200.
CREATES = (
    "/services",
    "/activities",
    "/ideas",
    "/comments",
    "/assets",
    "/stories",
    "/responses",
    "/decisions",
    "/statements",
    "/measurements",
    "/questions",
    "/bids",
    "/commitments",
)
# Operations on the person whose token it is (their settings): a token is needed even to read.
PERSONAL = "/api/me/"
# Your own ballot in a budget, your vote on a conversation's statement, your answer to an
# indicator's check, your weighting of a commissioning round's criteria: a token is needed even
# to read them, like your settings, but the budget, statement, indicator or round is looked up
# (404).
YOUR_OWN = ("/ballot", "/vote", "/check", "/weighting")
# A bid is sealed (decision 0413): reading one needs a token.
TOKEN_READS = ("/api/commissioning/bids/{bid_id}",)
# A PUT that replaces what a thing says (a bid's price, summary and statements) takes a body.
REPLACED = ("/api/commissioning/bids/{bid_id}",)
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
]


def test_the_document_is_served(db: None) -> None:
    response = Api().get("/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == SCHEMA["paths"].keys()


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=lambda v: str(v)[:40])
def test_every_operation_declares_its_error_answers(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    declared = {str(status) for status in operation["responses"]}
    if path.startswith(PERSONAL):
        # Your own settings: no lookup (no 404) and nothing you may not do (no 403).
        body = {"400", "413", "422"} if method == "PUT" else set()
        assert "requestBody" in operation if method == "PUT" else "requestBody" not in operation
        assert declared == {"200", "401"} | body
    elif method == "GET" and (path.endswith(YOUR_OWN) or path in TOKEN_READS):
        assert "requestBody" not in operation
        assert declared == {"200", "401", "404", "422"}
    elif method == "GET":
        # A read has no body (no 400) and no permission to check (no 403).
        lookup = "{" in path
        assert declared == ({"200", "401", "404", "422"} if lookup else {"200", "401", "422"})
    else:
        success = "201" if method == "POST" and path.endswith(CREATES) else "200"
        # 400 is for a body that is not JSON and 413 for one that is too large, so only
        # operations that take a body declare them.
        takes_a_body = "requestBody" in operation
        assert takes_a_body == (
            method in {"POST", "PATCH"}
            or path.endswith(("/involvement", *YOUR_OWN))
            or path in REPLACED
        )
        malformed = {"400", "413"} if takes_a_body else set()
        assert declared == {success, "401", "403", "404", "422"} | malformed
    for status, answer in operation["responses"].items():
        assert answer["content"]["application/json"]["schema"], (method, path, status)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=lambda v: str(v)[:40])
def test_reads_take_an_optional_token_and_writes_require_one(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    expected: list[dict[str, list[str]]] = [{"TokenAuth": []}]
    # Your own things need your token.
    if (
        method == "GET"
        and not path.startswith(PERSONAL)
        and not path.endswith(YOUR_OWN)
        and path not in TOKEN_READS
    ):
        expected.append({})
    assert operation["security"] == expected


def test_request_bodies_refuse_unknown_fields() -> None:
    bodies = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        for _method, _path, operation in OPERATIONS
        if "requestBody" in operation
    }
    assert len(bodies) == 30
    for name in bodies:
        assert SCHEMA["components"]["schemas"][name]["additionalProperties"] is False, name


class _Probe(BaseModel):
    name: Name | None = None
    text: LongText | None = None
    date: Date | None = None


def _accepts(**value: Any) -> bool:
    try:
        _Probe(**value)
    except ValidationError:
        return False
    return True


# Characters worth trying: controls, every kind of space, surrogate pairs' territory, plain text.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("\x00\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\x85\xa0\u2028\u3000\ufeff a"),
        st.characters(codec="utf-8"),
    ),
    max_size=12,
)


@given(TEXT)
@example("   ")
@example("\t\n")
@example("a\x00")
def test_text_validation_agrees_with_the_published_patterns(value: str) -> None:
    """The validators and the patterns in the schema accept exactly the same strings."""
    assert _accepts(text=value) == bool(re.search(NO_CONTROL_PATTERN, value))
    assert _accepts(name=value) == (len(value) >= 1 and bool(re.search(NOT_BLANK_PATTERN, value)))


@given(st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12))
@example("2026-02-30")
@example("20260301")
@example("2026-03-01T00:00:00")
@example("0001-01-01")
@example("1999-12-31")
@example("2000-01-01")
@example("2099-12-31")
@example("2100-01-01")
@example("9999-12-31")
def test_dates_are_accepted_only_as_real_yyyy_mm_dd(value: str) -> None:
    """Real dates in the years 2000 to 2099, as the published pattern says (decision 0019)."""
    valid = bool(re.fullmatch(r"20[0-9]{2}-[0-9]{2}-[0-9]{2}", value))
    if valid:
        try:
            __import__("datetime").date.fromisoformat(value)
        except ValueError:
            valid = False
    assert _accepts(date=value) == valid


@pytest.mark.parametrize("value", [1767225600, 1767225600.0, True, ["2026-03-01"]])
def test_dates_are_never_taken_from_numbers_or_other_types(value: Any) -> None:
    assert not _accepts(date=value)


def test_every_constraint_is_written_in_json_schema_words() -> None:
    """pydantic writes `ge`/`le` (which no client reads) for constraints it cannot place."""
    leaked: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            leaked.extend(f"{where}.{key}" for key in node if key in {"ge", "gt", "le", "lt"})
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(SCHEMA, "")
    assert leaked == []


GUIDE = Path(__file__).resolve().parents[3] / "docs" / "api.md"
GUIDE_ROW = re.compile(r"^\| `([A-Z]+) (/api/[^`?]*)[^`]*` \|.*\| (\d{3}) \|$", re.MULTILINE)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_guide_lists_every_operation_with_its_success_status() -> None:
    """docs/api.md's table of endpoints is complete and says what success looks like."""
    listed = {(m, _shape(p), status) for m, p, status in GUIDE_ROW.findall(GUIDE.read_text())}
    operations = {
        (method, _shape(path), next(str(s) for s in operation["responses"] if str(s)[0] == "2"))
        for method, path, operation in OPERATIONS
    }
    assert listed == operations


def test_no_two_schemas_share_a_name() -> None:
    """django-ninja names each component after its class: two classes of one name would make the
    second overwrite the first in the OpenAPI document, whichever module loaded last."""
    from ninja import Schema

    def subclasses(cls: type) -> list[type]:
        found: list[type] = []
        sub: type
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    ours = [cls for cls in subclasses(Schema) if cls.__module__.startswith("coproduce.api")]
    names: dict[str, str] = {}
    clashes = []
    for cls in ours:
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in names and names[cls.__name__] != where:
            clashes.append((names[cls.__name__], where))
        names.setdefault(cls.__name__, where)
    assert clashes == []


ASSESSMENT_OPERATIONS = {
    ("GET", "/api/services/{slug}/standards"),
    ("GET", "/api/assessments/{assessment_id}"),
    ("GET", "/api/assessments/{assessment_id}/findings"),
    ("GET", "/api/services/{slug}/improvement-actions"),
}
# Who rated, who was on a peer team, who shopped: never in an assessment operation's answer.
PRIVATE_FIELDS = {"email", "person", "assessor", "assessors", "shopper", "shoppers", "assignments"}


def _properties(node: Any, seen: set[str]) -> set[str]:
    """Every property name a schema can hold, following its references once each."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            seen.add(ref)
            found |= _properties(SCHEMA["components"]["schemas"][ref.split("/")[-1]], seen)
        found |= set(node.get("properties", {}))
        for value in node.values():
            found |= _properties(value, seen)
    elif isinstance(node, list):
        for value in node:
            found |= _properties(value, seen)
    return found


def test_the_assessment_api_only_reads_and_names_nobody_who_rated() -> None:
    """Issue 12: assessment is read-only in the API, and no answer has room for a rater's,
    an assessor's or a mystery shopper's identity (mystery shops' reports are not exposed)."""
    about = {
        (method, path)
        for method, path, _operation in OPERATIONS
        if path.startswith("/api/assessments") or path.endswith(("/standards", "-actions"))
    }
    assert about == ASSESSMENT_OPERATIONS
    for method, path, operation in OPERATIONS:
        if (method, path) in ASSESSMENT_OPERATIONS:
            ok = next(a for status, a in operation["responses"].items() if str(status) == "200")
            names = _properties(ok, set())
            assert names & PRIVATE_FIELDS == set(), path
            if path == "/api/assessments/{assessment_id}":
                # The walk reaches the nested shapes: a team is counts and groups.
                assert {"too_few", "team", "size", "groups"} <= names
