"""The pages of user assessments: setting one up, the assessment, rating the service (and the
refusals once it has closed), paper forms, the results with small numbers held back and names only
of people who chose to show them, the change since the last assessment, and the staff's CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_assessments as actions
from coproduce.assessment import actions_findings, actions_framework
from coproduce.assessment.models import Assessment, FindingKind, FrameworkVersion, Response
from coproduce.assessment.queries_assessments import CSV_FIELDS, TOO_FEW
from coproduce.assessment.tests.factories import add_standard, make_framework, next_draft
from coproduce.assessment.tests.test_assessments_actions import every
from coproduce.organisations.models import Role
from coproduce.services import actions as services_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zebedee Quantock"
SECRET_EMAIL = "zebedee.quantock@example.org"


def _text(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name: str, pk: int) -> str:
    return reverse(f"assessment:{name}", args=[pk])


def _activity(state: str = ActivityState.OPEN, service: Service | None = None) -> Activity:
    extra = {"service": service} if service is not None else {}
    return ActivityFactory(kind=ActivityKind.ASSESSMENT, state=state, **extra)


def _set_up(
    state: str = ActivityState.OPEN, service: Service | None = None
) -> tuple[Assessment, Any]:
    activity = _activity(state, service)
    staff = staff_of(activity)
    version = FrameworkVersion.objects.filter(
        framework_id=activity.service.pk, status="agreed"
    ).first() or make_framework(activity.service, staff)
    return actions.assessment_set_up(activity=activity, by=staff, version=version), staff


def _rate(assessment: Assessment, rating: int | None, count: int = 1, **extra: Any) -> None:
    for _ in range(count):
        actions.response_save(
            assessment=assessment,
            person=UserFactory(),
            ratings=every(assessment, rating, extra.get("comment", "")),
            named=extra.get("named", False),
        )


def _post(assessment: Assessment, rating: str | None, **extra: str) -> dict[str, str]:
    data = {}
    for pk in assessment.version.standards.values_list("pk", flat=True):
        if rating is not None:
            data[f"rating_{pk}"] = rating
        data[f"comment_{pk}"] = ""
    return {**data, **extra}


def _close(activity: Activity) -> None:
    services_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)


# --- Setting up (staff) -------------------------------------------------------------------------


def test_staff_choose_an_agreed_version_then_it_is_fixed_by_the_first_response() -> None:
    activity = _activity()
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    client = client_for(staff)
    page = _text(client.get(_url("manage", activity.pk)))
    assert "Version 1, agreed on" in page
    assert 'name="version"' in page
    response = client.post(_url("manage", activity.pk), {"version": str(version.pk)})
    assert response.status_code == 302
    assert "version 1" in _messages(response)[0]
    assessment = Assessment.objects.get(activity=activity)
    assert assessment.version == version
    page = _text(client.get(_url("manage", activity.pk)))
    assert _url("paper_entry", assessment.pk) in page
    assert _url("results", assessment.pk) in page
    assert 'id="no-download"' in page  # too few responses for the CSV yet
    _rate(assessment, 4)
    second = actions_framework.version_agree(
        version=next_draft(version, staff), by=staff, change_note="Reworded."
    )
    page = _text(client.get(_url("manage", activity.pk)))
    assert 'id="version-fixed"' in page
    assert "Version 2 has been agreed since" in page
    assert 'name="version"' not in page
    # A form sent from an old page is refused with the reason, and nothing changes.
    refused = client.post(_url("manage", activity.pk), {"version": str(second.pk)})
    assert refused.status_code == 200
    assert "cannot change" in _text(refused)
    assert "govuk-error-summary" in _text(refused)
    assessment.refresh_from_db()
    assert assessment.version == version


def test_without_agreed_standards_staff_are_sent_to_write_them() -> None:
    activity = _activity()
    page = _text(client_for(staff_of(activity)).get(_url("manage", activity.pk)))
    assert "no agreed standards yet" in page
    assert reverse("assessment:manage_framework", args=[activity.service.slug]) in page


def test_manage_is_for_the_services_staff_and_only_for_assessments() -> None:
    activity = _activity()
    url = _url("manage", activity.pk)
    assert "login" in Client().get(url)["Location"]
    assert client_for(UserFactory()).get(url).status_code == 403
    assert client_for(staff_of(activity, Role.FACILITATOR)).get(url).status_code == 403
    other = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    staff = client_for(staff_of(other))
    assert staff.get(_url("manage", other.pk)).status_code == 404


# --- The assessment -----------------------------------------------------------------------------


def test_anyone_sees_the_assessment_with_its_standards_by_theme() -> None:
    assessment, _staff = _set_up()
    _rate(assessment, 5, count=2)
    page = _text(Client().get(_url("assessment", assessment.pk)))
    assert "Booking a journey" in page
    assert "On the journey" in page
    # Themes group their standards though the version interleaves them.
    assert page.index("I can book a journey without help") < page.index("On the journey")
    assert page.index("I can book by phone") < page.index("On the journey")
    assert page.index("On the journey") < page.index("Staff treat me with respect")
    assert "2 people have taken part so far." in page
    assert "Sign in to rate the service" in page
    assert _url("results", assessment.pk) in page
    assert "version 1 of the standards" in page


def test_a_signed_in_person_is_invited_to_rate_then_sees_their_own_answers() -> None:
    assessment, _staff = _set_up()
    person = UserFactory()
    client = client_for(person)
    page = _text(client.get(_url("assessment", assessment.pk)))
    assert "Rate the service</a>" in page
    assert "You rated the service" not in page
    actions.response_save(
        assessment=assessment, person=person, ratings=every(assessment, 2, "Late"), named=False
    )
    page = _text(client.get(_url("assessment", assessment.pk)))
    assert "You rated the service" in page
    assert "Rarely" in page
    assert "Late" in page
    assert "Change your answers" in page
    # Another person sees none of it.
    other = _text(client_for(UserFactory()).get(_url("assessment", assessment.pk)))
    assert "You rated the service" not in other


def test_a_draft_assessment_is_hidden_from_outsiders() -> None:
    assessment, staff = _set_up(ActivityState.DRAFT)
    for name in ("assessment", "results", "rate"):
        assert Client().get(_url(name, assessment.pk)).status_code == 404, name
        assert client_for(UserFactory()).get(_url(name, assessment.pk)).status_code == 404, name
    assert client_for(staff).get(_url("assessment", assessment.pk)).status_code == 200


# --- Rating -------------------------------------------------------------------------------------


def test_the_form_has_a_fieldset_per_standard_and_the_name_unticked() -> None:
    assessment, _staff = _set_up()
    page = _text(client_for(UserFactory()).get(_url("rate", assessment.pk)))
    standards = list(assessment.version.standards.all())
    assert page.count('<fieldset class="govuk-fieldset"') == len(standards)
    for standard in standards:
        assert page.count(f'name="rating_{standard.pk}"') == 6
        assert f'name="comment_{standard.pk}"' in page
        assert standard.statement in page
    assert page.count("Does not apply to me") >= len(standards)
    assert "Always" in page
    assert "Never" in page
    assert 'name="named"' in page
    assert 'name="named" type="checkbox" value="on" checked' not in page
    assert "Show my name with my comments" in page


def test_signed_out_people_are_asked_to_sign_in_to_rate() -> None:
    assessment, _staff = _set_up()
    response = Client().get(_url("rate", assessment.pk))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_missing_answers_are_shown_on_their_fields_and_nothing_is_lost() -> None:
    assessment, _staff = _set_up()
    client = client_for(UserFactory())
    standards = list(assessment.version.standards.all())
    data = _post(assessment, "4", named="on")
    del data[f"rating_{standards[1].pk}"]
    data[f"comment_{standards[0].pk}"] = "The driver waited for me."
    data[f"comment_{standards[2].pk}"] = "y" * 2001
    response = client.post(_url("rate", assessment.pk), data)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert f'href="#id_rating_{standards[1].pk}_0"' in page
    assert f"Choose how often “{standards[1].statement}” is true for you" in page
    assert f"Your comment on “{standards[2].statement}” must be 2000 characters or fewer" in page
    assert "The driver waited for me." in page
    assert (
        f'id="id_rating_{standards[0].pk}_1" name="rating_{standards[0].pk}" type="radio" value="4" checked'
        in page
    )
    assert 'name="named" type="checkbox" value="on" checked' in page
    assert not Response.objects.exists()


def test_a_person_rates_then_changes_their_answers() -> None:
    assessment, _staff = _set_up()
    person = UserFactory()
    client = client_for(person)
    standards = list(assessment.version.standards.all())
    data = _post(assessment, "5")
    data[f"rating_{standards[0].pk}"] = "none"
    data[f"comment_{standards[1].pk}"] = "Always friendly."
    response = client.post(_url("rate", assessment.pk), data)
    assert response.status_code == 302
    assert response["Location"].endswith(_url("assessment", assessment.pk) + "#your-answers")
    assert "Thank you" in _messages(response)[0]
    saved = Response.objects.get(person=person)
    assert saved.named is False
    assert dict(saved.ratings.values_list("standard_id", "rating"))[standards[0].pk] is None
    page = _text(client.get(_url("assessment", assessment.pk)))
    assert "Always friendly." in page
    # The form comes back filled in; sending it again replaces the answers.
    form = _text(client.get(_url("rate", assessment.pk)))
    assert "Change your answers" in form
    assert f'name="rating_{standards[0].pk}" type="radio" value="none" checked' in form
    assert "Always friendly." in form
    client.post(_url("rate", assessment.pk), _post(assessment, "1", named="on"))
    saved.refresh_from_db()
    assert saved.named is True
    assert set(saved.ratings.values_list("rating", flat=True)) == {1}
    assert Response.objects.count() == 1


def test_a_closed_assessment_explains_and_refuses_a_form_with_403() -> None:
    assessment, _staff = _set_up()
    person = UserFactory()
    actions.response_save(
        assessment=assessment, person=person, ratings=every(assessment, 3), named=False
    )
    _close(assessment.activity)
    client = client_for(person)
    page = _text(client.get(_url("rate", assessment.pk)))
    assert "Rating has closed" in page
    assert "Sometimes" in page  # their own answers
    refused = client.post(_url("rate", assessment.pk), _post(assessment, "1"))
    assert refused.status_code == 403
    assert "Nothing was saved." in _text(refused)
    newcomer = client_for(UserFactory())
    assert newcomer.post(_url("rate", assessment.pk), _post(assessment, "1")).status_code == 403
    assert set(Response.objects.get().ratings.values_list("rating", flat=True)) == {3}
    assert Response.objects.count() == 1
    detail = _text(newcomer.get(_url("assessment", assessment.pk)))
    assert "This assessment is closed" in detail
    assert _url("rate", assessment.pk) not in detail


# --- Paper forms --------------------------------------------------------------------------------


def test_staff_enter_paper_forms_one_after_another() -> None:
    assessment, staff = _set_up()
    client = client_for(staff)
    page = _text(client.get(_url("paper_entry", assessment.pk)))
    assert 'name="named"' not in page
    assert 'name="one_time_token"' in page
    assert "Enter a paper form" in page
    empty = client.post(_url("paper_entry", assessment.pk), _post(assessment, None))
    assert empty.status_code == 200
    assert "There is a problem" in _text(empty)
    response = client.post(_url("paper_entry", assessment.pk), _post(assessment, "2"))
    assert response.status_code == 302
    assert response["Location"] == _url("paper_entry", assessment.pk)
    assert "now has 1 responses" in _messages(response)[0]
    client.post(_url("paper_entry", assessment.pk), _post(assessment, "none"))
    paper = Response.objects.filter(person__isnull=True)
    assert paper.count() == 2
    assert set(paper.values_list("entered_by", flat=True)) == {staff.pk}
    assert not paper.filter(named=True).exists()


def test_paper_entry_is_for_the_services_staff_only() -> None:
    assessment, _staff = _set_up()
    url = _url("paper_entry", assessment.pk)
    assert "login" in Client().get(url)["Location"]
    for person in (UserFactory(), staff_of(assessment.activity, Role.FACILITATOR)):
        client = client_for(person)
        assert client.get(url).status_code == 403
        assert client.post(url, _post(assessment, "3")).status_code == 403
    assert not Response.objects.exists()


def test_paper_forms_are_refused_once_the_activity_has_closed() -> None:
    assessment, staff = _set_up()
    _close(assessment.activity)
    client = client_for(staff)
    assert "cannot be entered now" in _text(client.get(_url("paper_entry", assessment.pk)))
    refused = client.post(_url("paper_entry", assessment.pk), _post(assessment, "3"))
    assert refused.status_code == 403
    assert not Response.objects.exists()


# --- Results ------------------------------------------------------------------------------------


def test_with_too_few_ratings_the_results_show_no_number_and_no_comment() -> None:
    assessment, _staff = _set_up()
    _rate(assessment, 5, count=4, comment="Brilliant drivers.")
    _rate(assessment, None, count=3)
    page = _text(Client().get(_url("results", assessment.pk)))
    assert "7 responses so far" in page
    assert page.count("Too few to report") >= 2 * assessment.version.standards.count()
    assert "Brilliant drivers." not in page
    assert "app-rating-chart" not in page
    assert "%</td>" not in page
    assert "How often it is true, for the" not in page  # no distribution table
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">' not in page


def test_with_enough_ratings_the_results_show_the_distribution_chart_and_comments() -> None:
    assessment, _staff = _set_up()
    _rate(assessment, 5, count=3, comment="Brilliant drivers.")
    _rate(assessment, 4, count=1)
    _rate(assessment, 1, count=1)
    _rate(assessment, None, count=1)
    page = _text(Client().get(_url("results", assessment.pk)))
    assert "Too few to report</td>" not in page
    assert page.count('class="app-rating-chart"') == assessment.version.standards.count()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">60%</td>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">80%</td>' in page
    assert "Brilliant drivers." in page
    assert "This is the first assessment of the service" in page


def test_anonymous_responders_are_never_named_and_emails_never_shown() -> None:
    assessment, staff = _set_up()
    hidden = UserFactory(name=SECRET_NAME, email=SECRET_EMAIL)
    actions.response_save(
        assessment=assessment,
        person=hidden,
        ratings=every(assessment, 2, "The phone line rings out."),
        named=False,
    )
    shown = UserFactory(name="Priya Shah", email="priya.shah@example.org")
    actions.response_save(
        assessment=assessment, person=shown, ratings=every(assessment, 5, "Kind staff."), named=True
    )
    actions.paper_response_add(
        assessment=assessment, by=staff, ratings=every(assessment, 4, "On paper.")
    )
    _rate(assessment, 3, count=3)
    for client in (Client(), client_for(UserFactory()), client_for(staff)):
        page = _text(client.get(_url("results", assessment.pk)))
        assert "The phone line rings out." in page
        assert "Kind staff." in page
        assert "Priya Shah" in page
        assert SECRET_NAME not in page
        assert "Zebedee" not in page
        assert SECRET_EMAIL not in page
        assert "priya.shah@example.org" not in page
        assert staff.email not in page
        for other in ("assessment", "rate"):
            other_page = _text(client.get(_url(other, assessment.pk)))
            assert SECRET_NAME not in other_page
            assert SECRET_EMAIL not in other_page
    # A named comment never comes with its rating.
    page = _text(Client().get(_url("results", assessment.pk)))
    at = page.index("Kind staff.")
    assert "Always" not in page[at - 200 : at + 200]


def test_the_change_since_the_last_assessment_names_it() -> None:
    first, staff = _set_up()
    service = first.activity.service
    _rate(first, 5, count=2)
    _rate(first, 2, count=3)  # 40% always or mostly
    _close(first.activity)
    # Version 2 rewords a standard (same lineage) and adds one.
    draft = next_draft(first.version, staff)
    reworded = draft.standards.get(statement="I can book a journey without help")
    actions_framework.standard_update(
        standard=reworded, by=staff, theme=reworded.theme, statement="I can book on my own"
    )
    add_standard(draft, staff, "I can take my wheelchair", theme="On the journey")
    second_version = actions_framework.version_agree(version=draft, by=staff, change_note="New.")
    activity = _activity(service=service)
    second = actions.assessment_set_up(activity=activity, by=staff, version=second_version)
    _rate(second, 4, count=4)
    _rate(second, 1, count=1)  # 80% always or mostly
    page = _text(Client().get(_url("results", second.pk)))
    assert f"previous assessment, “{first.activity.title}”" in page
    assert _url("results", first.pk) in page
    assert "I can book on my own" in page
    assert page.count("Up 40 points") == 2 * first.version.standards.count()  # table and detail
    assert page.count("New standard") == 2
    # The first cycle's own page has nothing to compare with.
    assert "This is the first assessment" in _text(Client().get(_url("results", first.pk)))


def test_an_assessment_still_open_is_not_compared_with() -> None:
    first, _staff = _set_up()
    _rate(first, 5, count=5)
    second, _second_staff = _set_up(service=first.activity.service)
    _rate(second, 4, count=5)
    page = _text(Client().get(_url("results", second.pk)))
    assert "This is the first assessment" in page  # the first is still open


def test_the_change_is_too_few_when_the_last_assessment_had_too_few() -> None:
    first, _staff = _set_up()
    service = first.activity.service
    _rate(first, 5, count=2)
    _close(first.activity)
    second, _second_staff = _set_up(service=service)
    _rate(second, 4, count=5)
    page = _text(Client().get(_url("results", second.pk)))
    assert "Too few to compare" in page
    assert "points" not in page.split('id="previous"')[1].split("</p>")[1]


# --- The CSV (staff) ----------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_is_for_the_services_staff_only() -> None:
    assessment, _staff = _set_up()
    url = _url("ratings_csv", assessment.pk)
    assert "login" in Client().get(url)["Location"]
    assert client_for(UserFactory()).get(url).status_code == 403
    assert client_for(staff_of(assessment.activity, Role.FACILITATOR)).get(url).status_code == 403


def test_the_csv_has_no_rows_while_there_are_too_few_responses() -> None:
    assessment, staff = _set_up()
    _rate(assessment, 5, count=4)
    response = client_for(staff).get(_url("ratings_csv", assessment.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert _rows(_text(response)) == [CSV_FIELDS]


def test_the_csv_has_a_numbered_row_per_response_and_standard_never_a_name() -> None:
    assessment, staff = _set_up()
    standards = list(assessment.version.standards.order_by("position"))
    hidden = UserFactory(name=SECRET_NAME, email=SECRET_EMAIL)
    answers = every(assessment, 5, "=cmd|' /C calc'!A0")
    answers[standards[0].pk] = (None, "Never used it.")
    actions.response_save(assessment=assessment, person=hidden, ratings=answers, named=True)
    _rate(assessment, 4, count=3)
    actions.paper_response_add(assessment=assessment, by=staff, ratings=every(assessment, 2))
    # The first standard: four ratings and one "does not apply" — too few to report.
    response = client_for(staff).get(_url("ratings_csv", assessment.pk))
    text = _text(response)
    assert SECRET_NAME not in text
    assert SECRET_EMAIL not in text
    assert staff.email not in text
    rows = _rows(text)
    assert rows[0] == CSV_FIELDS
    body = [dict(zip(CSV_FIELDS, row, strict=True)) for row in rows[1:]]
    assert len(body) == 5 * len(standards)
    assert [row["response"] for row in body[:: len(standards)]] == ["1", "2", "3", "4", "5"]
    assert {row["entered"] for row in body} == {"online", "paper"}
    assert [row["entered"] for row in body[:: len(standards)]][-1] == "paper"
    first = [row for row in body if row["standard_lineage"] == str(standards[0].lineage)]
    assert {row["rating"] for row in first} == {TOO_FEW}
    assert {row["comment"] for row in first} == {""}
    mine = [row for row in body if row["response"] == "1"]
    assert [row["standard"] for row in mine] == [s.statement for s in standards]
    assert mine[1]["rating"] == "5"
    assert mine[1]["comment"].startswith("'=")  # made safe from spreadsheet formulas


# --- Before re-opening ends (decision 0130) -----------------------------------------------------

REOPEN_WARNING = (
    "Once you write a finding or record the results in the service’s outcome indicators, this "
    "assessment cannot be re-opened. If you want more people to rate the service, re-open it first."
)


def _warned(page: str) -> bool:
    return 'id="reopen-warning"' in page and REOPEN_WARNING in page


def test_staff_are_warned_before_a_finding_ends_re_opening_while_it_is_still_possible() -> None:
    assessment, staff = _set_up()
    _rate(assessment, 4)
    client = client_for(staff)
    manage, add = _url("manage", assessment.pk), _url("finding_add", assessment.pk)
    assert not _warned(_text(client.get(manage)))  # open: there is nothing to re-open yet
    _close(assessment.activity)
    page = _text(client.get(manage))
    assert _warned(page)
    assert 'class="govuk-warning-text"' in page
    assert '<span class="govuk-visually-hidden">Warning</span>' in page
    assert _warned(_text(client.get(add)))
    actions_findings.finding_add(
        assessment=Assessment.objects.get(pk=assessment.pk),
        by=staff,
        kind=FindingKind.CONCERN,
        title="Booking by phone is hard",
        evidence="Only 43% said they can always book by phone.",
    )
    # It can no longer re-open, so there is nothing left to warn about.
    assert not _warned(_text(client.get(manage)))
    assert not _warned(_text(client.get(add)))


def test_a_reported_assessment_and_the_other_methods_show_no_warning() -> None:
    assessment, staff = _set_up()
    _close(assessment.activity)
    services_actions.activity_transition(
        activity=assessment.activity, to_state=ActivityState.REPORTED, outcome="We acted on it."
    )
    client = client_for(staff)
    assert not _warned(_text(client.get(_url("manage", assessment.pk))))
    for kind in (ActivityKind.PEER_REVIEW, ActivityKind.SELF_REFLECTION, ActivityKind.MYSTERY_SHOP):
        activity = ActivityFactory(
            kind=kind, state=ActivityState.CLOSED, service=assessment.activity.service
        )
        actions.assessment_set_up(activity=activity, by=staff, version=assessment.version)
        assert not _warned(_text(client.get(_url("manage", activity.pk)))), kind


# --- The activity's page ------------------------------------------------------------------------


def test_the_activity_page_links_to_the_assessment_once_it_is_set_up() -> None:
    activity = _activity()
    staff = staff_of(activity)
    page = _text(Client().get(activity.get_absolute_url()))
    assert 'id="offline"' in page
    assert reverse("assessment:assessment", args=[activity.pk]) not in page
    staff_page = _text(client_for(staff).get(activity.get_absolute_url()))
    assert _url("manage", activity.pk) in staff_page
    assessment = actions.assessment_set_up(
        activity=activity, by=staff, version=make_framework(activity.service, staff)
    )
    page = _text(Client().get(activity.get_absolute_url()))
    assert 'id="offline"' not in page
    assert _url("assessment", assessment.pk) in page
    assert _url("results", assessment.pk) in page
    assert "Rate the service against its standards" in page
