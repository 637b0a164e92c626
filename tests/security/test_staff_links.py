"""Links open for the person they are shown to (decision 0119), for an administrator, a
professional and a facilitator (who runs activities but does not set up assessments or rounds,
nor take statements forward): each method's staff links on the staff activity page (and none is
hidden from someone it would open for), every link about an activity on its public and staff
pages, and every staff link on the staff service page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coproduce.accounts.tests.factories import client_for
from coproduce.organisations.models import Role
from coproduce.services.methods import method_for
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

KINDS = [kind for kind in ActivityKind.values if getattr(method_for(kind), "staff_links", ())]
ROLES = [Role.ADMIN, Role.PROFESSIONAL, Role.FACILITATOR]


@pytest.mark.parametrize("kind", KINDS)
def test_every_staff_link_shown_opens(kind: str) -> None:
    activity = ActivityFactory(kind=kind, state=ActivityState.OPEN)
    method = method_for(kind)
    assert method is not None
    every = {reverse(link.url_name, args=[activity.pk]) for link in method.staff_links}
    page_url = reverse("services:staff_activity", kwargs={"pk": activity.pk})
    shown_to = {}
    for role in ROLES:
        client = client_for(staff_of(activity, role))
        page = client.get(page_url).content.decode()
        shown = {url for url in re.findall(r'href="([^"]+)"', page) if url in every}
        for url in shown:
            assert client.get(url).status_code in (200, 302), (role, url)
        for url in every - shown:
            assert client.get(url).status_code in (403, 404), (role, url)
        shown_to[role] = shown
    first = method.staff_links[0]
    assert reverse(first.url_name, args=[activity.pk]) in shown_to[Role.ADMIN]


def test_the_peer_team_link_shows_once_the_review_is_set_up_for_those_who_choose_it() -> None:
    from coproduce.assessment.tests.factories_peer import peer_review

    assessment, staff = peer_review()
    page_url = reverse("services:staff_activity", kwargs={"pk": assessment.activity.pk})
    team = reverse("assessment:team", args=[assessment.pk])
    assert team in client_for(staff).get(page_url).content.decode()
    assert client_for(staff).get(team).status_code == 200
    facilitator = client_for(staff_of(assessment.activity, Role.FACILITATOR))
    assert team not in facilitator.get(page_url).content.decode()


def test_every_staff_link_on_the_staff_service_page_opens_for_each_role() -> None:
    """The parts the apps add to the staff service page (boards, outcomes, the inbox …) link only
    to pages the reader may open."""
    activity = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    service = activity.service
    page_url = reverse("services:staff_service", kwargs={"slug": service.slug})
    for role in ROLES:
        client = client_for(staff_of(activity, role))
        page = client.get(page_url)
        assert page.status_code == 200
        links = set(re.findall(r'href="(/staff/[^"#?]*)', page.content.decode()))
        assert links
        for url in sorted(links):
            assert client.get(url).status_code in (200, 302), (role, url)


@pytest.mark.parametrize("kind", KINDS)
def test_every_staff_link_on_an_activity_s_pages_opens_for_each_role(kind: str) -> None:
    """The public activity page and the staff activity page, as each role sees them: every link
    about the activity or its service opens (the site's own header and footer are left out)."""
    activity = ActivityFactory(kind=kind, state=ActivityState.OPEN)
    pages = [
        activity.get_absolute_url(),
        reverse("services:staff_activity", kwargs={"pk": activity.pk}),
    ]
    for role in ROLES:
        client = client_for(staff_of(activity, role))
        links: set[str] = set()
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200
            links |= set(re.findall(r'href="(/[^"#?]*)', response.content.decode()))
        ours = {url for url in links if f"/{activity.pk}/" in url or activity.service.slug in url}
        assert ours
        for url in sorted(ours):
            assert client.get(url).status_code in (200, 302), (role, url)


def test_a_private_self_reflection_is_linked_only_for_those_who_may_read_it() -> None:
    from coproduce.assessment.tests.factories_report import make_self_reflection

    assessment, staff = make_self_reflection()
    report = reverse("assessment:report", args=[assessment.pk])
    page = assessment.activity.get_absolute_url()
    assert report in client_for(staff).get(page).content.decode()
    assert client_for(staff).get(report).status_code == 200
    facilitator = client_for(staff_of(assessment.activity, Role.FACILITATOR))
    assert report not in facilitator.get(page).content.decode()
    assert facilitator.get(report).status_code == 404
