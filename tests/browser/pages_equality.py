"""Walks through the equality monitoring pages (issue 16), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. The resident
gives consent and answers, sees, changes and withdraws them, with JavaScript and without; staff see
the representativeness tables with small numbers hidden, choose the area and import its figures.
"""

from __future__ import annotations

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL, COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff
from tests.browser.pages_commissioning_bids import without_script

HEADING = "About you: equality questions"


def _forget(email: str) -> None:
    """Start from no answers (the demo gives the resident some)."""
    from coproduce.accounts.models import User
    from coproduce.equality import actions

    actions.record_withdraw(user=User.objects.get(email=email))


def _answer_and_withdraw(a: Auditor) -> None:
    a.goto(a.url("equality:mine"), heading=HEADING)
    a.page.get_by_role("group", name="What is your age?").get_by_label("25 to 34").check()
    a.submit(a.button("Save my answers"))
    a.errors_shown()  # no consent yet: nothing is kept
    a.page.get_by_role("group", name="What is your age?").get_by_label("25 to 34").check()
    a.page.get_by_role("group", name="What is your religion?").get_by_label(
        "Prefer not to say"
    ).check()
    a.field("What is the first half of your postcode?").fill("b31 2ab")
    a.page.get_by_label("I agree", exact=False).check()
    a.submit(a.button("Save my answers"), heading=HEADING)
    a.page.get_by_text("You have given these answers").wait_for()
    a.page.get_by_text("B31", exact=True).wait_for()
    a.goto(a.url("equality:mine", query="change=1"), heading=HEADING)
    a.goto(a.url("equality:withdraw"), heading="Withdraw your consent and delete your answers?")
    a.submit(a.button("Withdraw and delete my answers"), heading=HEADING)
    a.button("Save my answers").wait_for()


@public(user=RESIDENT, covers={"equality:mine", "equality:withdraw"})
def a_resident_answers_sees_and_withdraws(a: Auditor) -> None:
    """Consent refused then given, the answers seen, the form to change them, withdrawn; again
    in a browser without JavaScript."""
    _forget(RESIDENT)
    _answer_and_withdraw(a)
    with without_script(a, RESIDENT) as later:
        _answer_and_withdraw(later)


@public(user=None, covers={"equality:service_public"})
def who_has_taken_part(a: Auditor) -> None:
    """The public summary of a published service: totals only."""
    a.goto(a.url("equality:service_public", RECOVERY), heading="Who has taken part so far")


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "equality:service_staff",
        "equality:service_area",
        "equality:areas",
        "equality:population_import",
        "equality:area_detail",
    },
)
def staff_see_who_is_missing(a: Auditor) -> None:
    """Add an area, import its figures (a mistake first), compare the service with it, look at
    one activity; again without JavaScript."""
    heading = "Who is taking part, and who is missing"
    a.goto(a.url("equality:areas", COUNCIL), heading="Population figures")
    a.submit(a.button("Save the area"))
    a.errors_shown()
    a.field("Area code").fill("E05099999")
    a.field("Name").fill("Walk ward")
    a.submit(a.button("Save the area"), heading="Population figures")
    a.goto(a.url("equality:population_import", COUNCIL), heading="Import population figures")
    a.field("Paste the table").fill("area_code,category,value,count\nE05099999,age,16_24,many\n")
    a.submit(a.button("Import"))
    a.errors_shown()
    a.field("Paste the table").fill(
        "area_code,category,value,count\nE05099999,age,16_24,900\nE05099999,age,75_plus,700\n"
    )
    a.submit(a.button("Import"), heading="Population figures")
    a.goto(a.url("equality:area_detail", COUNCIL, "E05099999"), heading="Walk ward")
    a.goto(a.url("equality:service_staff", RECOVERY), heading=heading)
    a.page.get_by_label("Compare with the population of").select_option(
        label="Walk ward (E05099999)"
    )
    a.submit(a.button("Compare with this area"), heading=heading)
    a.page.get_by_label("Show", exact=True).select_option(index=1)
    a.submit(a.button("Show"), heading=heading)
    with without_script(a, COUNCIL_ADMIN) as later:
        later.goto(later.url("equality:service_staff", RECOVERY), heading=heading)
        later.page.get_by_text("Hidden").first.wait_for()
