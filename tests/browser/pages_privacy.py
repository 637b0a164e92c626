"""Walks through "Download my data" (issue 16), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC registry. The walk makes its own
resident, so it starts from the empty page and the daily limit is theirs alone. The download
itself is a file (``privacy:download`` is in ``audit.NOT_PAGES``, so crawls do not open it); its
"expired" page is checked here.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.audit import Auditor
from tests.browser.pages import public
from tests.browser.pages_commissioning_bids import a_resident, link, sign_in_as, without_script

PERSON = "dana.walker@example.org"


@public(user=None, covers={"privacy:data"})
def privacy_download_my_data(a: Auditor) -> None:
    """A resident with an idea finds the empty page, asks for their data, gets the email, and
    downloads the ZIP (their idea in it) from the link the email gives; the link, once expired,
    says so. Then without JavaScript they ask twice more and the page says why a fourth must
    wait."""
    from django.conf import settings
    from django.core import mail
    from django.utils import timezone

    from coproduce.codesign.tests.factories import IdeaFactory
    from coproduce.privacy.models import DataExport
    from coproduce.privacy.queries import EXPORTS_PER_DAY

    person = a_resident(PERSON, "Dana Walker")
    DataExport.objects.filter(user=person).delete()  # a walk run again starts afresh
    idea = IdeaFactory(author=person, title="A bench by the bus stop on Mill Lane")
    sign_in_as(a, PERSON)

    a.goto(a.url("privacy:data"), heading="Your data")
    expect(a.page.locator("#no-exports")).to_be_visible()
    mail.outbox.clear()
    a.submit(a.button("Ask for my data"), heading="Your data")
    expect(a.page.get_by_text("We are preparing your data.")).to_be_visible()
    # The worker runs the tasks at once in the tests: the file is ready and the email has gone.
    expect(a.page.locator("#exports")).to_contain_text("Ready")
    [email] = [message for message in mail.outbox if message.to == [PERSON]]
    export = DataExport.objects.get(user=person)
    path = a.url("privacy:download", export.pk)[len(a.site.url) :]
    assert settings.SITE_URL + path in email.body.split()

    download_link = link(a, re.compile(r"^Download"))
    assert download_link.get_attribute("href") == path
    with a.page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(Path(download.value.path())) as opened:
        assert opened.namelist()[0] == "README.txt"
        assert idea.title.encode() in opened.read("ideas.json")
        assert PERSON.encode() in opened.read("account.csv")

    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    a.goto(a.url("privacy:download", export.pk), status=410, heading="This download has expired")
    a.submit(link(a, "Ask for your data again"), heading="Your data")
    expect(a.page.locator("#exports")).to_contain_text("Expired")

    with without_script(a, PERSON) as later:
        later.goto(later.url("privacy:data"), heading="Your data")
        for _ in range(EXPORTS_PER_DAY - 1):
            later.submit(later.button("Ask for my data"), heading="Your data")
        expect(later.page.locator("#refusal")).to_contain_text(
            f"{EXPORTS_PER_DAY} times in 24 hours"
        )
        expect(later.button("Ask for my data")).to_have_count(0)
    assert DataExport.objects.filter(user=person).count() == EXPORTS_PER_DAY


def _leaver(email: str, name: str) -> tuple[object, str]:
    """A resident with a password and a published idea: (the idea, its address)."""
    from coproduce.codesign.tests.factories import IdeaFactory
    from coproduce.contributions.models import Contribution

    person = a_resident(email, name)
    person.set_password(LEAVER_PASSWORD)
    person.save()
    idea = IdeaFactory(author=person, title="A bench by the bus stop on Elm Road")
    Contribution.objects.filter(pk=idea.pk).update(author_display="named")
    return idea, idea.get_absolute_url()


LEAVER_PASSWORD = "a long and unusual passphrase"


def _delete_account(a: Auditor, address: str, name: str) -> None:
    a.goto(a.url("privacy:delete"), heading="Delete your account")
    a.field("Your password").fill("not my password")
    a.submit(a.button("Delete my account"))
    a.errors_shown()
    a.field("Your password").fill(LEAVER_PASSWORD)
    a.submit(a.button("Delete my account"), heading="Shape the services you use")
    expect(a.page.get_by_text("Your account is deleted.")).to_be_visible()
    a.goto(a.site.url + address)
    expect(a.page.locator("main")).to_contain_text("A former participant")
    expect(a.page.locator("main")).not_to_contain_text(name)


@public(user=None, covers={"privacy:delete"})
def privacy_delete_my_account(a: Auditor) -> None:
    """A resident deletes their account (a wrong password first): their idea stays, by "a former
    participant"; again in a browser without JavaScript."""
    _idea, address = _leaver("lee.leaving@example.org", "Lee Leaving")
    sign_in_as(a, "lee.leaving@example.org")
    _delete_account(a, address, "Lee Leaving")
    _idea, address = _leaver("kim.leaving@example.org", "Kim Leaving")
    with without_script(a, "kim.leaving@example.org") as later:
        _delete_account(later, address, "Kim Leaving")
