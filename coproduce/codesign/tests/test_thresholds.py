"""A challenge's supports threshold (decision 0026): staff set it with field-level messages; an idea
reaches it once and keeps the date promised; the challenge, the idea list, the idea page and the
staff inbox show it."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions
from coproduce.codesign.models import Idea, SupportsThreshold
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.common.dates import add_working_days
from coproduce.common.tests.concurrency import in_progress, only_on_postgresql, waits
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import queries_inbox
from coproduce.organisations.models import Role
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def threshold_url(activity: Activity) -> str:
    return reverse("codesign:threshold", kwargs={"pk": activity.pk})


def text(response: object) -> str:
    content = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def supported(idea: Idea, times: int) -> Idea:
    for _ in range(times):
        actions.support_add(idea=idea, user=UserFactory())
    return Idea.objects.select_related("contribution").get(pk=idea.pk)


def set_threshold(activity: Activity, supports: int | None, days: int | None) -> None:
    actions.supports_threshold_set(
        activity=activity, supports=supports, answer_days=days, set_by=staff_of(activity)
    )


# --- The action ----------------------------------------------------------------------------------


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_support_waits_for_a_threshold_being_set_and_reaches_it() -> None:
    activity = IdeaChallengeFactory()
    idea = supported(IdeaFactory(activity=activity), 2)
    staff = staff_of(activity)
    with in_progress(
        lambda: actions.supports_threshold_set(
            activity=activity, supports=3, answer_days=10, set_by=staff
        )
    ):
        waits(lambda: actions.support_add(idea=idea, user=UserFactory()))
    idea = supported(idea, 1)  # once the threshold is in
    assert idea.support_count == 3
    assert idea.threshold_reached_at is not None


def test_an_idea_reaches_the_threshold_once_and_keeps_its_date() -> None:
    activity = IdeaChallengeFactory()
    set_threshold(activity, 2, 20)
    idea = supported(IdeaFactory(activity=activity), 1)
    assert (idea.threshold_reached_at, idea.answer_due_on) == (None, None)
    fan = UserFactory()
    actions.support_add(idea=idea, user=fan)
    idea.refresh_from_db()
    today = timezone.localdate()
    assert idea.threshold_reached_at is not None
    assert idea.answer_due_on == add_working_days(today, 20)
    reached = idea.threshold_reached_at
    actions.support_withdraw(idea=idea, user=fan)  # below the threshold again: the promise stands
    actions.support_add(idea=idea, user=fan)
    set_threshold(activity, 2, 5)  # a shorter time later does not change a promise made
    idea.refresh_from_db()
    assert (idea.threshold_reached_at, idea.answer_due_on) == (reached, add_working_days(today, 20))


def test_setting_a_threshold_reaches_the_ideas_that_already_have_the_supports() -> None:
    activity = IdeaChallengeFactory()
    popular, quiet = supported(IdeaFactory(activity=activity), 3), IdeaFactory(activity=activity)
    elsewhere = supported(IdeaFactory(), 3)
    set_threshold(activity, 3, None)  # an answer promised, with no date
    popular.refresh_from_db()
    assert popular.threshold_reached_at is not None
    assert popular.answer_due_on is None
    assert Idea.objects.get(pk=quiet.pk).threshold_reached_at is None
    assert Idea.objects.get(pk=elsewhere.pk).threshold_reached_at is None
    set_threshold(activity, 3, 10)  # days added: the unanswered ones promised no date get one
    popular.refresh_from_db()
    assert popular.answer_due_on == add_working_days(timezone.localdate(), 10)


def test_removing_a_threshold_keeps_what_ideas_were_promised() -> None:
    activity = IdeaChallengeFactory()
    set_threshold(activity, 1, 20)
    idea = supported(IdeaFactory(activity=activity), 1)
    set_threshold(activity, None, None)
    assert not SupportsThreshold.objects.exists()
    idea.refresh_from_db()
    assert idea.answer_due_on is not None
    more = supported(IdeaFactory(activity=activity), 5)
    assert more.threshold_reached_at is None  # no threshold now


def test_the_action_checks_its_rule_and_its_input() -> None:
    activity = IdeaChallengeFactory()
    with pytest.raises(PermissionDenied):
        actions.supports_threshold_set(
            activity=activity, supports=5, answer_days=None, set_by=UserFactory()
        )
    staff = staff_of(activity)
    with pytest.raises(ValidationError) as days_alone:
        actions.supports_threshold_set(
            activity=activity, supports=None, answer_days=5, set_by=staff
        )
    assert "supports" in days_alone.value.message_dict
    for supports, days in [(0, None), (5, 0), (5, 121)]:
        with pytest.raises(ValidationError):
            actions.supports_threshold_set(
                activity=activity, supports=supports, answer_days=days, set_by=staff
            )
    survey = ActivityFactory(service=activity.service, kind=ActivityKind.NEEDS_SURVEY)
    with pytest.raises(ValidationError, match="Only idea challenges"):
        actions.supports_threshold_set(
            activity=survey, supports=5, answer_days=None, set_by=staff_of(survey)
        )
    assert not SupportsThreshold.objects.exists()


# --- The staff page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"supports": "fifty"}, "supports", "Enter the number of supports as a whole number"),
        ({"supports": "0"}, "supports", "The number of supports must be 1 or more."),
        ({"supports": "2.5"}, "supports", "Enter the number of supports as a whole number"),
        ({"supports": "99999999999999999999999"}, "supports", "100,000 or fewer"),
        ({"supports": "50", "answer_days": "0"}, "answer_days", "between 1 and 120"),
        ({"supports": "50", "answer_days": "200"}, "answer_days", "between 1 and 120"),
        ({"supports": "50", "answer_days": "x"}, "answer_days", "working days as a whole number"),
        ({"answer_days": "20"}, "supports", "Enter how many supports an idea needs."),
    ],
)
def test_bad_input_gets_a_message_by_its_field(
    data: dict[str, str], field: str, message: str
) -> None:
    activity = IdeaChallengeFactory()
    response = client_for(staff_of(activity, Role.FACILITATOR)).post(threshold_url(activity), data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "govuk-error-summary" in page
    assert f'href="#id_{field}"' in page
    error = re.search(
        rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>', page, re.S
    )
    assert error is not None
    assert message in error.group(1)
    assert not SupportsThreshold.objects.exists()


def test_staff_set_change_and_remove_the_threshold() -> None:
    activity = IdeaChallengeFactory()
    idea = supported(IdeaFactory(activity=activity, title="Saturday crèche"), 2)
    staff = client_for(staff_of(activity, Role.FACILITATOR))
    page = text(staff.get(threshold_url(activity)))
    assert "This challenge has no supports threshold." in page
    saved = staff.post(threshold_url(activity), {"supports": " 2 ", "answer_days": "20"})
    assert saved["Location"] == threshold_url(activity)
    page = text(staff.get(threshold_url(activity)))
    assert (
        "Threshold saved: Ideas with 2 supports get a written answer from the team within 20 "
        "working days." in page
    )
    due = add_working_days(timezone.localdate(), 20)
    assert f"Saturday crèche {timezone.localdate():%-d %B %Y} {due:%-d %B %Y} Not yet" in page
    form = staff.get(threshold_url(activity)).content.decode()
    assert re.search(r'<input[^>]*name="supports"[^>]*value="2"', form)  # the form shows it now
    assert re.search(r'<input[^>]*name="answer_days"[^>]*value="20"', form)
    staff.post(threshold_url(activity), {"supports": "", "answer_days": ""})
    assert "The challenge has no supports threshold now." in text(
        staff.get(threshold_url(activity))
    )
    idea.refresh_from_db()
    assert idea.answer_due_on == due  # still promised


def test_the_challenge_and_its_list_link_staff_to_the_threshold() -> None:
    activity = IdeaChallengeFactory()
    facilitator = client_for(staff_of(activity, Role.FACILITATOR))
    list_url = reverse("codesign:idea_list", kwargs={"pk": activity.pk})
    assert f'href="{threshold_url(activity)}"' in facilitator.get(list_url).content.decode()
    assert (
        f'href="{threshold_url(activity)}"'
        not in client_for(UserFactory()).get(list_url).content.decode()
    )


# --- What residents see ------------------------------------------------------------------------------


def test_the_challenge_the_list_and_the_idea_show_the_promise() -> None:
    activity = IdeaChallengeFactory()
    waiting = IdeaFactory(activity=activity, title="Later opening")
    idea = supported(IdeaFactory(activity=activity, title="Saturday crèche"), 1)
    promise = "Ideas with 2 supports get a written answer from the team within 20 working days."
    list_url = reverse("codesign:idea_list", kwargs={"pk": activity.pk})
    assert promise not in text(Client().get(list_url))
    assert "Answer due by" not in text(Client().get(list_url))
    set_threshold(activity, 2, 20)
    assert promise in text(Client().get(activity.get_absolute_url()))
    assert promise in text(Client().get(list_url))  # the cached list changed too
    page = text(Client().get(idea.get_absolute_url()))
    assert f"{promise} This idea needs 1 more support." in page
    assert "This idea needs 2 more supports." in text(Client().get(waiting.get_absolute_url()))

    actions.support_add(idea=idea, user=UserFactory())
    today, due = timezone.localdate(), add_working_days(timezone.localdate(), 20)
    page = text(Client().get(idea.get_absolute_url()))
    assert (
        f"On {today:%-d %B %Y} this idea had enough supports for a written answer from the team. "
        f"The team promised it by {due:%-d %B %Y}. The team has not answered yet." in page
    )
    listed = text(Client().get(list_url))
    assert f"Answer due by {due:%-d %B %Y}" in listed
    assert listed.count("Answer due by") == 1

    contribution = idea.contribution
    spine_actions.response_create(
        contribution=contribution, author=staff_of(activity), body="We will try it in June."
    )
    assert f"The team answered on {today:%-d %B %Y}, in time." in text(
        Client().get(idea.get_absolute_url())
    )
    assert "Answer due by" not in text(Client().get(list_url))


def test_an_answer_after_the_date_says_so() -> None:
    activity = IdeaChallengeFactory()
    set_threshold(activity, 1, 5)
    idea = supported(IdeaFactory(activity=activity), 1)
    Idea.objects.filter(pk=idea.pk).update(answer_due_on=timezone.localdate() - dt.timedelta(1))
    spine_actions.response_create(
        contribution=idea.contribution, author=staff_of(activity), body="Sorry for the wait."
    )
    assert "after the date it promised" in text(Client().get(idea.get_absolute_url()))


# --- The staff inbox ---------------------------------------------------------------------------------


def test_the_inbox_shows_the_due_date_lists_the_overdue_first_and_filters() -> None:
    activity = IdeaChallengeFactory()
    set_threshold(activity, 1, 20)
    first = IdeaFactory(activity=activity, title="Waiting longest, no promise")
    supported(IdeaFactory(activity=activity, title="Due soon"), 1)
    late = supported(IdeaFactory(activity=activity, title="Overdue idea"), 1)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Idea.objects.filter(pk=late.pk).update(answer_due_on=yesterday)
    inbox = reverse("contributions:service_inbox", kwargs={"slug": activity.service.slug})
    staff = client_for(staff_of(activity))
    page = text(staff.get(inbox))
    assert page.index("Overdue idea") < page.index("Waiting longest") < page.index("Due soon")
    assert f"Overdue: an answer was promised by {yesterday:%-d %B %Y}" in page
    assert f"Answer due by {add_working_days(timezone.localdate(), 20):%-d %B %Y}" in page
    dated = text(staff.get(inbox, {"due": "dated"}))
    assert "Overdue idea" in dated
    assert "Due soon" in dated
    assert first.title not in dated
    overdue = text(staff.get(inbox, {"due": "overdue"}))
    assert "Overdue idea" in overdue
    assert "Due soon" not in overdue
    assert "Waiting longest" in text(staff.get(inbox, {"due": "nonsense"}))  # falls back: all
    waiting = queries_inbox.inbox([activity.service], queries_inbox.InboxFilters(due="overdue"))
    assert [c.pk for c in waiting] == [late.pk]
