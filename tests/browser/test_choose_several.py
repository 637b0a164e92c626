"""Every "choose several" field is drawn as checkboxes, and several ticks are all saved.

Issue 18, defect 1: ``CheckboxSelectMultiple`` is a subclass of ``RadioSelect``, so the form
renderer drew these fields as radio buttons and only one option could be chosen. Each test ticks
two options in a real browser, checks the page with axe, and reads what was saved.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Locator, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-choose-several")]

RESIDENT = "resident@example.org"
COUNCIL_ADMIN = "amira.khan@northfield.example"
RECOVERY = "drug-and-alcohol-recovery-service"
QUESTION = "When would you use the service?"  # "choose any", in the survey factory's questions
PARTNERS = ["Northfield Community Action", "Eastvale Police"]


def _auditor(site: DemoSite, new_context: CreateContextCallback, email: str) -> Auditor:
    context = new_context()
    site.sign_in(context, email)
    return Auditor(site, context.new_page())


def _tick(group: Locator, *labels: str) -> None:
    """Tick options of a group, as a person would (radio buttons would keep only the last)."""
    for label in labels:
        group.get_by_label(label, exact=True).check()


def _passed(a: Auditor) -> None:
    assert not a.problems, "\n".join(a.problems)
    assert not a.script_errors, a.script_errors


def test_a_resident_chooses_two_answers_to_a_choose_any_question(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.insight.models import Answer
    from coproduce.insight.tests.factories import NeedsSurveyFactory
    from coproduce.services.models import Service

    survey = NeedsSurveyFactory(
        service=Service.objects.get(slug=RECOVERY), title="Opening hours at the recovery hub"
    )
    a = _auditor(demo_site, new_context, RESIDENT)
    a.goto(a.url("insight:survey_answer", survey.pk), heading="Opening hours at the recovery hub")
    _tick(a.page.get_by_role("group", name=QUESTION), "Weekday evenings", "Weekends")
    a.check()
    a.submit(a.button("Send my answers"))
    answer = Answer.objects.get(question__survey__activity=survey, question__text=QUESTION)
    assert answer.choices == ["Weekday evenings", "Weekends"]
    # Their answers page shows both.
    expect(a.page.get_by_text("Weekday evenings, Weekends")).to_be_visible()
    _passed(a)


def test_staff_link_two_contributions_to_a_decision(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
    from coproduce.contributions.models import Decision
    from coproduce.services.models import Service

    challenge = IdeaChallengeFactory(
        service=Service.objects.get(slug=RECOVERY), title="Ideas for the hub's garden"
    )
    ideas = [
        IdeaFactory(activity=challenge, title=title)
        for title in ("Raised beds", "A bench by the gate", "Herbs for the café", "A pond")
    ]
    a = _auditor(demo_site, new_context, COUNCIL_ADMIN)
    # Recording a decision, from two contributions.
    query = "&".join(f"contribution={idea.pk}" for idea in ideas[:2])
    a.goto(a.url("contributions:decision_create", RECOVERY, query=query))
    group = a.page.get_by_role("group", name="Contributions that informed it")
    _tick(group, "Idea: Raised beds", "Idea: A bench by the gate")
    a.field("What was decided").fill("A garden at the recovery hub")
    a.field("Details and reasons").fill("People asked for somewhere green to sit.")
    a.field("Decided by").fill("Recovery service board")
    fill_date(a.page, "Date of the decision", dt.date.today())
    a.check()
    a.submit(a.button("Record decision"), heading="A garden at the recovery hub")
    decision = Decision.objects.get(title="A garden at the recovery hub")
    assert set(decision.contributions.values_list("pk", flat=True)) == {
        ideas[0].pk,
        ideas[1].pk,
    }
    # Linking two more, found by a search.
    a.goto(a.url("contributions:decision_link", decision.pk))
    a.field("Search contributions").fill("a")
    a.submit(a.button("Search"))
    group = a.page.get_by_role("group", name="Contributions to link")
    _tick(group, "Idea: Herbs for the café", "Idea: A pond")
    a.check()
    a.submit(a.button("Link"), heading="A garden at the recovery hub")
    assert set(decision.contributions.values_list("pk", flat=True)) == {i.pk for i in ideas}
    _passed(a)


def test_staff_choose_two_partners_for_a_service(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.services.models import Service

    a = _auditor(demo_site, new_context, COUNCIL_ADMIN)
    a.goto(a.url("services:service_create"))
    a.page.get_by_label("Organisation that runs the service").select_option(
        label="Northfield Borough Council"
    )
    a.field("Service name").fill("Community gardens")
    a.field("Summary").fill("Gardens that neighbours look after together.")
    a.page.get_by_label("Housing", exact=True).check()
    a.field("Area served").fill("Northfield borough")
    _tick(a.page.get_by_role("group", name="Partner organisations"), *PARTNERS)
    a.check()
    a.submit(a.button("Create service"))
    service = Service.objects.get(name="Community gardens")
    assert sorted(service.partners.values_list("name", flat=True)) == sorted(PARTNERS)
    # Editing: a third partner, ticked beside the two already chosen.
    a.goto(a.url("services:service_edit", service.slug))
    third = "Northfield and Eastvale NHS Foundation Trust"
    _tick(a.page.get_by_role("group", name="Partner organisations"), *PARTNERS, third)
    a.submit(a.button("Save"))
    assert sorted(service.partners.values_list("name", flat=True)) == sorted([*PARTNERS, third])
    _passed(a)
