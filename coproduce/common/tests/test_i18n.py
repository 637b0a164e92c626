"""English and Welsh: the language switch, the html lang attribute and a complete Welsh catalogue.

The tests read the compiled catalogue (.mo). `make install` builds it; the session fixture below
builds it too when it is missing or older than the .po, so that running pytest directly works on
a fresh clone. See docs/decisions/0500-translations.md.
"""

from __future__ import annotations

import gettext
import html
import os
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from coproduce.common.views import server_error
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

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES" / "django.po"

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
    "coproduce is open-source software. Public records on this site can be checked and "
    "re-used as open data.",
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
    "Democratisation index",
    "Planned",
    "Delivered",
    "Promise kept",
    "Policy area",
]


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
    ]


def compile_catalogue(po_file: Path) -> Path:
    """Build the .mo next to the .po with `msgfmt --check`, as `make install` does.

    Only when the .mo is missing or older than the .po. The new file is written under a temporary
    name and moved into place, so parallel test workers never read half a catalogue.
    """
    mo_file = po_file.with_suffix(".mo")
    if mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime:
        return mo_file
    handle, temporary = tempfile.mkstemp(dir=po_file.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        subprocess.run(
            ["msgfmt", "--check", "-o", temporary, str(po_file)],
            check=True,
            capture_output=True,
            text=True,
        )
        Path(temporary).replace(mo_file)
    except FileNotFoundError:
        pytest.fail("msgfmt is missing: install GNU gettext (apt-get install gettext).")
    except subprocess.CalledProcessError as error:
        pytest.fail(f"msgfmt --check rejected {po_file}:\n{error.stderr}")
    finally:
        Path(temporary).unlink(missing_ok=True)
    # Forget catalogues Django may already have loaded in this process.
    setting_changed.send(
        sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True
    )
    return mo_file


@pytest.fixture(scope="session", autouse=True)
def welsh_catalogue() -> Path:
    return compile_catalogue(PO_FILE)


class _Untranslated(gettext.NullTranslations):
    """Fallback that marks a message the Welsh catalogue does not translate."""

    MARK = "\x00untranslated"

    def gettext(self, message: str) -> str:
        return self.MARK


def untranslated(mo_file: Path, msgids: Iterable[str]) -> list[str]:
    """The msgids with no Welsh translation in the compiled catalogue.

    msgfmt leaves untranslated and fuzzy entries out of the .mo, so a msgid the catalogue does not
    hold falls through to the fallback, even when its Welsh happens to equal the English ("API").
    """
    with mo_file.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    catalogue.add_fallback(_Untranslated())
    return [msgid for msgid in msgids if catalogue.gettext(msgid) == _Untranslated.MARK]


def test_the_chrome_and_the_lifecycle_vocabulary_are_translated(welsh_catalogue: Path) -> None:
    required = required_msgids()
    assert len(required) > 90
    assert untranslated(welsh_catalogue, required) == []


def test_the_check_catches_a_missing_translation(welsh_catalogue: Path) -> None:
    assert untranslated(welsh_catalogue, ["Commissioning", "A string nobody has translated"]) == [
        "A string nobody has translated"
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
    assert "Mynegai democrateiddio" in welsh
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
