"""The methods registry: which app runs each activity kind, and the offline panel for the rest.

Issue 9, item 9: no page may promise what the site cannot do. See
docs/decisions/0015-activity-methods-registry.md.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.tests.translations import PO_FILE, compile_catalogue, untranslated
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services import actions, methods
from coproduce.services.methods import method_for, register_method, unregistered
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

# What a page of a method no app runs must never say: it would invite people to do something the
# site cannot do (lower case; the page is compared in lower case).
CLAIMS = [
    "vote online",
    "online",
    "react to statements",
    "the map",
    "click",
    "answer the survey",
    "post an idea",
    "tell your story",
    "can be checked",
]

# Every kind has an app now; the pages' fallback for a kind no app runs is tested on this one, with
# its app taken out for the test (methods.unregistered).
OFFLINE_KIND = ActivityKind.MYSTERY_SHOP


@pytest.fixture
def no_app() -> Iterator[str]:
    with unregistered(OFFLINE_KIND):
        yield OFFLINE_KIND


OFFLINE_NOW = "For now, this activity runs offline: you cannot take part on this website."
OFFLINE_PAST = "This activity ran offline, not on this website."

# Every message this change added (issue 9, item 9): each one needs Welsh.
NEW_MESSAGES = [
    "How people took part",
    OFFLINE_PAST,
    OFFLINE_NOW,
    'Ask <a class="govuk-link" href="%(url)s">%(name)s</a> how to take part.',
    "This method does not run on this website yet. The public page says that the activity runs "
    "offline and shows its “How to take part” text: say there where, when and how people can "
    "take part.",
    "coproduce is open-source software. What people say here, and the answers they get, can be "
    "downloaded as open data from each activity's page.",
]

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "services"


def _page(client: Client, activity: Activity, **headers: str) -> str:
    response = client.get(activity.get_absolute_url(), headers=headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _activity(kind: str, state: str = ActivityState.OPEN, **fields: Any) -> Activity:
    fields.setdefault(
        "how_to_take_part", "Come to the drop-in at Northfield library, Tuesdays 2pm."
    )
    return ActivityFactory(
        kind=kind,
        state=state,
        summary="Residents and staff look at the service together.",
        outcome="Residents asked for evening sessions; the team added two a week.",
        **fields,
    )


# --- The registry -------------------------------------------------------------------------


def test_registering_a_kind_twice_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(methods, "_METHODS", {})
    method = register_method(
        ActivityKind.OPINION_MAP,
        take_part_template="conversations/_take_part.html",
        staff_links=[("Statements", "conversations:statements", lambda user, activity: True)],
    )
    assert method_for("opinion_map") == method
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_method(ActivityKind.OPINION_MAP, take_part_template="other/_take_part.html")
    assert method_for("opinion_map") == method


def test_the_apps_registered_their_kinds_at_start_up_and_cannot_do_it_again() -> None:
    survey = method_for(ActivityKind.NEEDS_SURVEY)
    stories = method_for(ActivityKind.STORY_COLLECTION)
    ideas = method_for(ActivityKind.IDEA_CHALLENGE)
    assert survey is not None
    assert stories is not None
    assert ideas is not None
    assert survey.take_part_template == stories.take_part_template == "insight/_take_part.html"
    assert ideas.take_part_template == "codesign/_take_part.html"
    with pytest.raises(ImproperlyConfigured):
        register_method(ActivityKind.NEEDS_SURVEY, take_part_template="insight/_take_part.html")


def test_a_kind_that_is_not_an_activity_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(methods, "_METHODS", {})
    with pytest.raises(ImproperlyConfigured, match="not an activity kind"):
        register_method("opinion-map", take_part_template="conversations/_take_part.html")
    assert method_for("opinion-map") is None


def test_the_services_templates_do_not_name_the_method_apps() -> None:
    """services is below the method apps: it learns about them only through the registry."""
    for name in ("activity_detail.html", "staff_activity.html"):
        source = (TEMPLATES / name).read_text()
        assert "insight" not in source, name
        assert "_take_part.html" not in source, name
        assert "codesign:category_list" not in source, name
        assert "activity.kind" not in source, name


@pytest.mark.django_db
def test_a_method_may_refuse_to_open_an_activity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decisions 0125 and 0139: the method's ``open_refused`` is asked on draft → open and
    closed → open, and nowhere else."""
    monkeypatch.setattr(methods, "_METHODS", {})
    asked: list[str] = []

    def refused(activity: Activity) -> str | None:
        asked.append(f"{activity.title} ({activity.state})")
        return "Its results are in use, so it stays shut." if "kept" in activity.title else None

    kept = ActivityFactory(kind=ActivityKind.MEETING, title="A kept meeting", state="closed")
    other = ActivityFactory(kind=ActivityKind.MEETING, title="Another meeting", state="closed")
    draft = ActivityFactory(kind=ActivityKind.MEETING, title="A kept draft", state="draft")
    survey = ActivityFactory(kind=ActivityKind.NEEDS_SURVEY, title="A kept survey", state="closed")
    register_method(
        ActivityKind.MEETING,
        take_part_template="governance/_take_part.html",
        open_refused=refused,
    )
    for activity in (kept, draft):
        with pytest.raises(ValidationError) as excinfo:
            actions.activity_transition(activity=activity, to_state=ActivityState.OPEN)
        assert excinfo.value.message_dict == {
            "to_state": ["Its results are in use, so it stays shut."]
        }
    kept.refresh_from_db()
    draft.refresh_from_db()
    assert (kept.state, draft.state) == (ActivityState.CLOSED, ActivityState.DRAFT)
    assert actions.activity_transition(activity=other, to_state="open").state == "open"
    # Not asked on open → closed.
    assert actions.activity_transition(activity=other, to_state="closed").state == "closed"
    # A kind whose method says nothing (here: no method) opens as before.
    assert actions.activity_transition(activity=survey, to_state="open").state == "open"
    assert asked == ["A kept meeting (closed)", "A kept draft (draft)", "Another meeting (closed)"]
    # A closed activity the method refuses to re-open may still be reported.
    reported = actions.activity_transition(activity=kept, to_state="reported", outcome="Done.")
    assert reported.state == ActivityState.REPORTED


# --- The public activity page -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ActivityKind.values)
def test_every_kind_has_a_method_or_says_that_it_runs_offline(client: Client, kind: str) -> None:
    activity = _activity(kind)
    page = _page(client, activity)
    # governance runs the meetings of a service's boards; a "meeting" activity made by hand, with
    # no board behind it, still says that it runs offline (docs/decisions/0029-governance.md), as
    # does an opinion map without its conversation, a citizen panel without its panel, or a
    # service assessment, peer review or self-reflection without the standards it rates against.
    not_set_up = (
        ActivityKind.MEETING,
        ActivityKind.OPINION_MAP,
        ActivityKind.CITIZEN_PANEL,
        ActivityKind.COMMISSIONING_ROUND,
        ActivityKind.ASSESSMENT,
        ActivityKind.PEER_REVIEW,
        ActivityKind.SELF_REFLECTION,
        ActivityKind.MYSTERY_SHOP,
    )
    if method_for(kind) is None or kind in not_set_up:
        assert OFFLINE_NOW in page
        assert 'id="offline"' in page
        assert "Come to the drop-in at Northfield library, Tuesdays 2pm." in page
    else:
        assert 'id="offline"' not in page
        assert OFFLINE_NOW not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REPORTED]
)
def test_the_page_of_a_method_no_app_runs_makes_no_claims(
    client: Client, no_app: str, state: str
) -> None:
    activity = _activity(no_app, state)
    page = _page(client, activity).lower()
    assert [claim for claim in CLAIMS if claim in page] == []
    assert ("ran offline" in page) == (state != ActivityState.OPEN)


@pytest.mark.django_db
def test_a_reported_offline_activity_says_what_happened(client: Client, no_app: str) -> None:
    activity = _activity(no_app, ActivityState.REPORTED)
    page = _page(client, activity)
    assert "How people took part" in page
    assert OFFLINE_PAST in page
    assert "Come to the drop-in at Northfield library" in page
    assert "What came of it" in page
    assert "Residents asked for evening sessions; the team added two a week." in page


@pytest.mark.django_db
def test_without_how_to_take_part_the_page_says_whom_to_ask(client: Client) -> None:
    activity = _activity(ActivityKind.MEETING)
    activity.how_to_take_part = ""
    activity.save(update_fields=["how_to_take_part"])
    page = _page(client, activity)
    organisation = activity.service.organisation
    assert OFFLINE_NOW in page
    assert (
        f'Ask <a class="govuk-link" href="{organisation.get_absolute_url()}">{organisation.name}</a>'
        " how to take part." in page
    )


@pytest.mark.django_db
def test_the_idea_challenge_page_still_links_to_its_ideas(client: Client) -> None:
    activity = _activity(ActivityKind.IDEA_CHALLENGE)
    page = _page(client, activity)
    assert reverse("codesign:idea_list", args=[activity.pk]) in page
    assert reverse("codesign:idea_create", args=[activity.pk]) in page
    assert 'id="offline"' not in page


@pytest.mark.django_db
def test_the_needs_survey_page_still_offers_the_survey(client: Client) -> None:
    activity = _activity(ActivityKind.NEEDS_SURVEY)
    page = _page(client, activity)
    assert reverse("insight:survey_answer", args=[activity.pk]) in page
    assert reverse("insight:survey_results", args=[activity.pk]) in page


# --- The staff activity page ----------------------------------------------------------------


@pytest.fixture
def staff_client() -> tuple[Client, Any]:
    user = UserFactory(mfa=True)
    membership = MembershipFactory(user=user, role=Role.PROFESSIONAL)
    client = Client()
    client.force_login(user)
    return client, membership.organisation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "url_name", "label"),
    [
        (ActivityKind.NEEDS_SURVEY, "insight:survey_manage", "Survey questions"),
        (ActivityKind.IDEA_CHALLENGE, "codesign:category_list", "Idea categories"),
    ],
)
def test_the_staff_page_links_to_the_methods_own_staff_pages(
    staff_client: tuple[Client, Any], kind: str, url_name: str, label: str
) -> None:
    client, organisation = staff_client
    activity = _activity(kind, service=ServiceFactory(organisation=organisation))
    page = html.unescape(
        client.get(reverse("services:staff_activity", args=[activity.pk])).content.decode()
    )
    url = reverse(url_name, args=[activity.pk])
    assert f'<a class="govuk-link" href="{url}">{label}</a>' in page
    assert "This method does not run on this website yet." not in page


@pytest.mark.django_db
def test_the_staff_page_of_an_offline_method_says_so(
    staff_client: tuple[Client, Any], no_app: str
) -> None:
    client, organisation = staff_client
    activity = _activity(no_app, service=ServiceFactory(organisation=organisation))
    page = html.unescape(
        client.get(reverse("services:staff_activity", args=[activity.pk])).content.decode()
    )
    assert "This method does not run on this website yet." in page
    assert "Survey questions" not in page
    assert "Idea categories" not in page


def _may_open(url_name: str, activity: Activity, **context: Any) -> str:
    template = Template(
        "{% load methods %}{% may_open '" + url_name + "' activity as allowed %}{{ allowed }}"
    )
    return template.render(Context({"activity": activity, **context}))


@pytest.mark.django_db
def test_may_open_asks_the_rule_the_page_was_registered_with() -> None:
    """The take-part templates' ``may_open`` tag: the staff page's own rule, for the context's
    user (nobody signed in without one); a page the method did not register is an error."""
    staff = UserFactory(mfa=True)
    organisation = MembershipFactory(user=staff, role=Role.PROFESSIONAL).organisation
    activity = _activity(
        ActivityKind.NEEDS_SURVEY, service=ServiceFactory(organisation=organisation)
    )
    assert _may_open("insight:survey_manage", activity, user=staff) == "True"
    assert _may_open("insight:survey_manage", activity, user=UserFactory()) == "False"
    assert _may_open("insight:survey_manage", activity) == "False"
    with pytest.raises(TemplateSyntaxError, match="no staff page 'codesign:category_list'"):
        _may_open("codesign:category_list", activity, user=staff)
    with unregistered(ActivityKind.NEEDS_SURVEY), pytest.raises(TemplateSyntaxError):
        _may_open("insight:survey_manage", activity, user=staff)


# --- Welsh ----------------------------------------------------------------------------------


def test_the_new_messages_have_welsh() -> None:
    assert untranslated(compile_catalogue(PO_FILE), NEW_MESSAGES) == []


@pytest.mark.django_db
def test_the_offline_panel_and_the_footer_are_in_welsh(client: Client) -> None:
    compile_catalogue(PO_FILE)
    activity = _activity(ActivityKind.MYSTERY_SHOP)
    page = _page(client, activity, accept_language="cy")
    assert "Am y tro, mae'r gweithgaredd hwn yn cael ei gynnal all-lein" in page
    assert "fel data agored o dudalen pob gweithgaredd" in page
    assert OFFLINE_NOW not in page
