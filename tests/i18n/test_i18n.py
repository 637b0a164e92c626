"""English and Welsh: the language switch, the html lang attribute and a complete Welsh catalogue.

The tests read the compiled catalogue (.mo). `make install` builds it; the session fixture below
builds it too when it is missing or older than the .po, so that running pytest directly works on
a fresh clone. See docs/decisions/0500-translations.md.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from coproduce.codesign.models import CodesignKind, IdeaStatus
from coproduce.common.tests.translations import (
    PO_FILE,
    WELSH_PLURAL_SAMPLES,
    compile_catalogue,
    untranslated,
    untranslated_plurals,
)
from coproduce.common.views import server_error
from coproduce.contributions.models import AuthorDisplay, ReportStatus, Visibility
from coproduce.conversations.tests.factories import make_conversation
from coproduce.insight.models import AssetKind, InsightKind, QuestionKind
from coproduce.notifications.models import Event
from coproduce.organisations.actions import organisation_create
from coproduce.organisations.models import Role, Sector
from coproduce.services import actions
from coproduce.services.models import (
    PROMISES,
    STAGE_DESCRIPTIONS,
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    PolicyArea,
    Service,
    ServiceStatus,
    Stage,
)

# The site chrome every page shows (base.html), the error pages, pagination and the form error
# summary. Written out, not scraped, so that losing one of these translations fails loudly.
CHROME = [
    "Skip to main content",
    "Language",
    "Menu",
    "Find a service",
    "Organisations",
    "Your account",
    "Staff",
    "Sign in",
    "Sign out",
    "Success",
    "Important",
    "Support links",
    "Accessibility",
    "Privacy",
    "API",
    "coproduce is open-source software. What people say here, and the answers they get, can be "
    "downloaded as open data from each activity's page.",
    "Breadcrumb",
    "Warning",
    "Page not found",
    "You do not have permission to see this page",
    "Sorry, there is a problem with your request",
    "Sorry, there is a problem with the service",
    "Pages",
    "Previous",
    "Next",
    "Page %(number)s",
    "There is a problem",
    "Error:",
    "Some of this page is only in English so far.",
]

# Vocabulary shown on every service page: the home page, timeline and democratisation index.
SERVICE_PAGES = [
    "Shape the services you use",
    "Open now",
    "All services",
    "Now: %(stage)s",
    "Take part now",
    "Our promise",
    "What happened",
    "Now",
    "Done",
    "Later",
    "How much say the public has had",
    "The democratisation index",
    "Planned",
    "Delivered",
    "Promise kept",
    "Policy area",
]

# Idea challenges and comments (codesign); moderation, answers, statuses and "You said, we did"
# (the answer spine, contributions).
CODESIGN_PAGES = [
    "Ideas",
    "Post an idea",
    "Sort by",
    "Newest",
    "Most supported",
    "Recently answered",
    "All categories",
    "Idea categories",
    "Support this idea",
    "Withdraw my support",
    "You support this",
    "Comments",
    "Add a comment",
    "Reply",
    "Report",
    "Report this idea",
    "Report to a moderator",
    "Question for the team",
    "What the service team said",
    "Answer from %(organisation)s",
    "What has happened to this idea",
    "Status history",
    "You said, we did",
    "You said, we did – %(name)s",
    "Decisions",
    "What people said",
    "Answered",
    "Still waiting for an answer",
    "Are people getting answers?",
    "Answers by activity",
    "Record a decision",
    "Moderation",
    "Moderation queue",
    "Open reports",
    "Approve",
    "Hide",
    "Change the status",
    "Change the status of this %(kind)s",
    "The %(kind)s is now “%(status)s”. The author and followers will get an email.",
    "It is %(current)s now, so it cannot become %(target)s.",
    "“%(title)s” is now: %(status)s.",
    "Shown publicly with the status. Needed for: %(statuses)s.",
]

# Surveys, community assets and stories (the insight app), including the confirmation email.
INSIGHT_PAGES = [
    "Have your say",
    "Answer the survey",
    "Send my answers",
    "See the survey results",
    "Read what people wrote",
    "Results: %(title)s",
    "Confirm your answers",
    "Confirm your answers: %(title)s",
    "Survey questions",
    "Community assets",
    "Tell us about a community asset",
    "Browse community assets",
    "Stories",
    "Tell your story",
    "Read people's stories",
    "You cannot take part right now",
]

# A person's own contributions, what they follow, and the notification emails.
NOTIFICATION_PAGES = [
    "Your contributions",
    "What you follow",
    "Follow",
    "Stop following",
    "Recent news",
    "Where each one stands",
    "Waiting for an answer",
    "Hello %(name)s,",
    "News about what you said: %(service)s",
]

# What a new user hit (issue 18): error pages, forms sent twice, dates, the staff inbox, contact
# details and the demo's emails.
NEW_USER_PAGES = [
    "Your form was not sent",
    "What you wrote",
    "What you sent is too large",
    "We already have this. You sent it before, so nothing new was added.",
    "Day",
    "Month",
    "Year",
    "Enter %(name)s.",
    "%(name)s must be a real date.",
    "Open the inbox",
    "Nothing is waiting for an answer.",
    "Contact",
    "Emails sent by this demo",
    "You posted this idea. The count shows how many other people support it.",
    "one time through all five stages",
    "you decide",
]

# Counts with plural forms: every one of the four Welsh forms must be written.
PLURALS = [
    ("%(counter)s service found", "%(counter)s services found"),
    ("%(counter)s activity", "%(counter)s activities"),
    ("%(counter)s idea", "%(counter)s ideas"),
    ("%(counter)s comment", "%(counter)s comments"),
    ("%(counter)s supporter", "%(counter)s supporters"),
    (
        "Conversation %(first)s to %(last)s of %(counter)s",
        "Conversations %(first)s to %(last)s of %(counter)s",
    ),
    (
        "%(counter)s contribution has waited more than 30 days for an answer.",
        "%(counter)s contributions have waited more than 30 days for an answer.",
    ),
    ("%(counter)s person has answered.", "%(counter)s people have answered."),
    ("%(counter)s asset", "%(counter)s assets"),
    ("%(counter)s thing has no Welsh yet", "%(counter)s things have no Welsh yet"),
]

# One number for each Welsh plural form: 1, 2, most numbers, and 8 (as 11).


def _msgids(values: Iterable[Any]) -> list[str]:
    """The source (English) text of lazy translated strings."""
    with translation.override(None):
        return [str(value) for value in values]


def required_msgids() -> list[str]:
    """Every msgid that must have a Welsh translation (issue 2, point 9)."""
    return [
        *CHROME,
        *SERVICE_PAGES,
        *_msgids(Stage.labels),
        *_msgids(STAGE_DESCRIPTIONS.values()),
        *_msgids(InvolvementLevel.labels),
        *_msgids(PROMISES.values()),
        *_msgids(PolicyArea.labels),
        *_msgids(ActivityKind.labels),
        *_msgids(ActivityState.labels),
        *_msgids(ServiceStatus.labels),
        *_msgids(Sector.labels),
        *_msgids(Role.labels),
        *CODESIGN_PAGES,
        *INSIGHT_PAGES,
        *NOTIFICATION_PAGES,
        *NEW_USER_PAGES,
        *_msgids(CodesignKind.labels),
        *_msgids(InsightKind.labels),
        *_msgids(Visibility.labels),
        *_msgids(AuthorDisplay.labels),
        *_msgids(IdeaStatus.labels),
        *_msgids(ReportStatus.labels),
        *_msgids(QuestionKind.labels),
        *_msgids(AssetKind.labels),
        *_msgids(Event.labels),
    ]


@pytest.fixture(scope="session", autouse=True)
def welsh_catalogue() -> Path:
    return compile_catalogue(PO_FILE)


def test_the_chrome_and_the_lifecycle_vocabulary_are_translated(welsh_catalogue: Path) -> None:
    required = required_msgids()
    assert len(required) > 180
    assert untranslated(welsh_catalogue, required) == []


def test_every_welsh_plural_form_of_the_counts_is_written(welsh_catalogue: Path) -> None:
    assert untranslated_plurals(welsh_catalogue, PLURALS) == []


def test_the_check_catches_a_missing_translation(welsh_catalogue: Path) -> None:
    assert untranslated(welsh_catalogue, ["Commissioning", "A string nobody has translated"]) == [
        "A string nobody has translated"
    ]
    assert untranslated_plurals(
        welsh_catalogue,
        [("%(counter)s idea", "%(counter)s ideas"), ("%(counter)s thing", "%(counter)s things")],
    ) == [("%(counter)s thing", n) for n in WELSH_PLURAL_SAMPLES]


def test_the_plural_check_catches_a_form_left_empty(tmp_path: Path) -> None:
    po_file = tmp_path / "django.po"
    po_file.write_text(
        'msgid ""\n'
        'msgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;\\n"\n'
        "\n"
        "#, python-format\n"
        'msgid "%(counter)s idea"\n'
        'msgid_plural "%(counter)s ideas"\n'
        'msgstr[0] "%(counter)s syniad"\n'
        'msgstr[1] "%(counter)s o syniadau"\n'
        'msgstr[2] "%(counter)s o syniadau"\n'
        'msgstr[3] ""\n',
        encoding="utf-8",
    )
    mo_file = compile_catalogue(po_file)
    assert untranslated_plurals(mo_file, [("%(counter)s idea", "%(counter)s ideas")]) == [
        ("%(counter)s idea", 8)
    ]


def _service(name: str) -> Service:
    """A published service at the commissioning stage (typed actions rather than factories)."""
    council = organisation_create(name="Northfield Borough Council", sector=Sector.PUBLIC_BODY)
    return actions.service_create(
        organisation=council,
        name=name,
        summary="Lifts to appointments and the shops for people who cannot use the bus.",
        policy_area=PolicyArea.TRANSPORT,
        area_served="Northfield",
        publish=True,
    )


def _page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _switch(client: Client, language: str, next_url: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


@pytest.mark.django_db
def test_switching_to_welsh_translates_the_home_page(client: Client) -> None:
    _service("Community transport")
    home = reverse("services:home")
    english = _page(client, home)
    assert '<html lang="en"' in english
    assert "Skip to main content" in english
    assert "Now: Commissioning" in english

    _switch(client, "cy", home)
    welsh = _page(client, home)
    assert '<html lang="cy"' in welsh
    assert "Neidio i'r prif gynnwys" in welsh
    assert "Lluniwch y gwasanaethau rydych chi'n eu defnyddio" in welsh
    assert "Nawr: Comisiynu" in welsh
    assert "Skip to main content" not in welsh
    assert "Community transport" in welsh  # people's own words are not translated


@pytest.mark.django_db
def test_the_service_page_shows_welsh_stages_and_promises(client: Client) -> None:
    service = _service("Community transport")
    actions.involvement_set(
        service=service,
        levels={
            Stage.COMMISSIONING: InvolvementLevel.EMPOWER,
            Stage.DESIGN: InvolvementLevel.CONSULT,
        },
    )
    panel = actions.activity_create(
        service=service,
        stage=Stage.COMMISSIONING,
        kind=ActivityKind.CITIZEN_PANEL,
        title="Who should run the scheme?",
        summary="Twelve residents, chosen by lot, recommend a provider.",
    )
    actions.activity_transition(activity=panel, to_state=ActivityState.OPEN)
    url = service.get_absolute_url()
    english = _page(client, url)
    assert "We will put in place what you decide." in english

    _switch(client, "cy", url)
    welsh = _page(client, url)
    for stage in [
        "Comisiynu",
        "Dylunio",
        "Darparu",
        "Gweithredu a llywodraethu",
        "Asesu a gwella",
    ]:
        assert stage in welsh
    assert "Byddwn yn rhoi ar waith yr hyn rydych chi'n ei benderfynu." in welsh
    assert "Byddwn yn gwrando arnoch chi" in welsh
    assert "Ein haddewid (grymuso)" in welsh
    assert "Panel dinasyddion" in welsh
    assert "Trafnidiaeth" in welsh  # the policy area
    assert "Faint o lais y mae'r cyhoedd wedi'i gael" in welsh
    assert "Y mynegai democrateiddio" in welsh
    assert "We will put in place what you decide." not in welsh


@pytest.mark.django_db
def test_switching_back_to_english_and_the_switch_offers_the_other_language(
    client: Client,
) -> None:
    home = reverse("services:home")
    _switch(client, "cy", home)
    welsh = _page(client, home)
    assert 'aria-current="true">Cymraeg</span>' in welsh
    assert 'name="language" value="en" lang="en">English</button>' in welsh

    _switch(client, "en", home)
    english = _page(client, home)
    assert '<html lang="en"' in english
    assert "Find a service" in english
    assert 'name="language" value="cy" lang="cy">Cymraeg</button>' in english


@pytest.mark.django_db
def test_a_browser_that_asks_for_welsh_gets_welsh(client: Client) -> None:
    page = _page(client, reverse("services:home"), accept_language="cy")
    assert '<html lang="cy"' in page
    assert "Dod o hyd i wasanaeth" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Page not found"), ("cy", "Heb ddod o hyd i'r dudalen")],
)
def test_error_pages_follow_the_language(client: Client, language: str, heading: str) -> None:
    response = client.get("/no-such-page/", headers={"accept-language": language})
    page = html.unescape(response.content.decode())
    assert response.status_code == 404
    assert f'<html lang="{language}"' in page
    assert heading in page


def test_the_server_error_page_follows_the_language() -> None:
    request = RequestFactory().get("/")
    with translation.override("cy"):
        response = server_error(request)
    page = html.unescape(response.content.decode())
    assert response.status_code == 500
    assert '<html lang="cy"' in page
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in page


# Filters that wrap a field shown in English on a Welsh page in <span lang="en">: a page's <title>
# and a plain-text email take text alone and would show the tags (see ``text_in_language``).
MARKUP_FILTERS = re.compile(r"\|(in_language|option_in_language)\b")


def test_page_titles_and_plain_text_emails_take_fields_as_text_alone() -> None:
    root = Path(settings.BASE_DIR, "coproduce")
    titles = [
        (page, block)
        for page in root.rglob("*.html")
        for block in re.findall(r"{% block title %}(.*?){% endblock %}", page.read_text(), re.S)
    ]
    texts = [(text, text.read_text()) for text in root.rglob("templates/**/*.txt")]
    offenders = [
        str(template.relative_to(root))
        for template, words in titles + texts
        if MARKUP_FILTERS.search(words)
    ]
    assert texts, "no plain-text templates found"
    assert offenders == [], "use text_in_language where no markup is shown"


@pytest.mark.django_db
def test_a_title_left_in_english_is_plain_text_in_a_welsh_page_title(client: Client) -> None:
    conversation = make_conversation().conversation
    url = reverse("conversations:conversation", args=[conversation.pk])
    page = _page(client, url, accept_language="cy")
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None
    assert conversation.activity.title in title.group(1)
    assert "<" not in title.group(1)
    # The heading keeps the mark that tells screen readers the title is in English.
    assert f'<span lang="en" data-untranslated>{conversation.activity.title}</span>' in page


# A field shown with in_language on a page: its Welsh column must exist (``note`` of a delivery
# update had none, and a Welsh page of a funded project answered 500).
FIELD_FILTERS = re.compile(r"\|(?:text_)?in_language:\"(\w+)\"")


def test_every_field_shown_in_the_visitors_language_has_a_welsh_column() -> None:
    from django.apps import apps

    welsh = {
        field.name.removesuffix("_cy")
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.name.endswith("_cy")
    }
    root = Path(settings.BASE_DIR, "coproduce")
    used = {
        (str(page.relative_to(root)), name)
        for page in root.rglob("*.html")
        for name in FIELD_FILTERS.findall(page.read_text())
    }
    assert used, "no in_language in any template"
    assert sorted(pair for pair in used if pair[1] not in welsh) == []


@pytest.mark.django_db
def test_delivery_news_in_english_only_is_marked_on_a_welsh_project_page(client: Client) -> None:
    from coproduce.budgeting import actions as budgeting
    from coproduce.budgeting.models import DeliveryStatus
    from coproduce.budgeting.tests.factories import make_budget, make_proposal
    from coproduce.services.tests.factories import staff_of

    proposal = make_proposal(make_budget())
    proposal.delivery_status = DeliveryStatus.PLANNED
    proposal.save(update_fields=["delivery_status"])
    budgeting.delivery_update_add(
        proposal=proposal,
        by=staff_of(proposal.contribution.activity),
        status=DeliveryStatus.IN_PROGRESS,
        note="The benches are ordered.",
        on=proposal.contribution.created_at.date(),
    )
    page = _page(client, proposal.get_absolute_url(), accept_language="cy")
    assert '<span lang="en" data-untranslated>The benches are ordered.</span>' in page
