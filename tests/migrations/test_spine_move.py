"""The move of the answer spine into this app keeps every row (issue 9).

One trip, migrating a database holding the whole demo story back to the schema before the move and
forward again (each way migrates every app: a minute on a slow machine, so the two checks share it):
every table keeps the same number of rows, both ways; and rows written in the old shape with the old
models, on the way, come out in the new shape with every value kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from coproduce.budgeting.models import Ballot, Count, PaperEntry
from coproduce.commissioning.models import Weighting
from coproduce.contributions.models import Contribution
from coproduce.demo.story import seed
from coproduce.notifications.models import Notification
from coproduce.panels.models import Recommendation

# The last migrations before the spine moved, and the tables each model used then and uses now.
BEFORE = [
    ("codesign", "0002_idea_list_indexes"),
    ("insight", "0002_submission_respondent"),
    ("notifications", "0001_initial"),
]
TABLES = {
    "codesign_contribution": "contributions_contribution",
    "codesign_response": "contributions_response",
    "codesign_report": "contributions_report",
    "codesign_decision": "contributions_decision",
    "codesign_decision_contributions": "contributions_decision_contributions",
    "codesign_ideastatuschange": "contributions_statuschange",
    "notifications_follow": "contributions_follow",
    "notifications_notification": "notifications_notification",
    "codesign_idea": "codesign_idea",
    "codesign_comment": "codesign_comment",
    "codesign_support": "codesign_support",
    "insight_story": "insight_story",
    "insight_asset": "insight_asset",
    "insight_surveysubmission": "insight_surveysubmission",
}

# The kinds of contribution there were when the spine moved (the check in codesign 0001).
OLD_KINDS = ["need", "asset", "story", "idea", "comment"]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _before(executor: MigrationExecutor) -> tuple[list[Any], list[tuple[str, str]]]:
    """Where to migrate for "before the move": the moved apps at their last migration before it,
    every other app at its latest, except apps whose history needs the spine's new app (the
    method apps to come), which are rolled back entirely. Returns (targets, real nodes)."""
    graph = executor.loader.graph
    moved = {app for app, _name in BEFORE} | {"contributions"}
    targets: list[Any] = list(BEFORE)
    nodes = list(BEFORE)
    for app, name in graph.leaf_nodes():
        if app in moved:
            continue
        if any(needed == "contributions" for needed, _ in graph.forwards_plan((app, name))):
            targets.append((app, None))
        else:
            targets.append((app, name))
            nodes.append((app, name))
    return targets, nodes


def _migrate(targets: list[tuple[str, str]] | None) -> Any:
    """Migrate to ``targets`` (None: every app's latest; BEFORE: before the spine moved, every
    unrelated app at its latest) and return the historical apps there."""
    executor = MigrationExecutor(connection)
    if targets is None:
        plan_targets: list[Any] = executor.loader.graph.leaf_nodes()
        nodes = plan_targets
    else:
        plan_targets, nodes = _before(executor)
    executor.migrate(plan_targets)
    executor.loader.build_graph()
    return executor.loader.project_state(nodes).apps


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    """Whatever a test does, the database ends on the latest schema for the tests after it."""
    yield
    _migrate(None)


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _old_world(apps: Any) -> dict[str, Any]:
    """A little of everything, written with the models as they were before the move."""
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("organisations", "Organisation")
    Service = apps.get_model("services", "Service")
    ServiceStage = apps.get_model("services", "ServiceStage")
    Activity = apps.get_model("services", "Activity")
    Contribution = apps.get_model("codesign", "Contribution")
    Idea = apps.get_model("codesign", "Idea")
    Comment = apps.get_model("codesign", "Comment")
    Story = apps.get_model("insight", "Story")
    Response = apps.get_model("codesign", "Response")
    Report = apps.get_model("codesign", "Report")
    Decision = apps.get_model("codesign", "Decision")
    IdeaStatusChange = apps.get_model("codesign", "IdeaStatusChange")
    Follow = apps.get_model("notifications", "Follow")
    Notification = apps.get_model("notifications", "Notification")

    author = User.objects.create(email="author@example.org", name="Jo Bennett")
    staff = User.objects.create(email="staff@example.org", name="Amira Khan")
    organisation = Organisation.objects.create(name="Old Council", slug="old-council")
    service = Service.objects.create(
        organisation=organisation, name="Old service", slug="old-service", status="published"
    )
    stage = ServiceStage.objects.create(service=service, cycle=1, stage="design", position=1)
    challenge = Activity.objects.create(
        service_stage=stage, kind="idea_challenge", title="Ideas", state="open"
    )
    stories = Activity.objects.create(
        service_stage=stage, kind="story_collection", title="Stories", state="open"
    )

    idea_row = Contribution.objects.create(activity=challenge, kind="idea", author=author)
    idea = Idea.objects.create(
        contribution=idea_row,
        title="A bench by the bus stop",
        description="Somewhere to sit.",
        status="adapted",
        status_reason="A shelter instead.",
    )
    question_row = Contribution.objects.create(activity=challenge, kind="comment", author=author)
    Comment.objects.create(contribution=question_row, idea=idea, body="When?", is_question=True)
    remark_row = Contribution.objects.create(activity=challenge, kind="comment", author=staff)
    Comment.objects.create(contribution=remark_row, idea=idea, body="Good idea.")
    story_row = Contribution.objects.create(
        activity=stories, kind="story", author=author, visibility="pending"
    )
    Story.objects.create(contribution=story_row, title="My first week", body="…", consent=True)

    Response.objects.create(contribution=idea_row, author=staff, body="We will look at it.")
    Report.objects.create(contribution=remark_row, reporter=author, reason="Off topic")
    IdeaStatusChange.objects.create(
        idea=idea, from_status="received", to_status="adapted", reason="A shelter instead.",
        changed_by=staff,
    )  # fmt: skip
    decision = Decision.objects.create(
        service=service,
        cycle=1,
        stage="design",
        title="A shelter at the stop",
        description="Because people asked.",
        decided_by="The board",
        decided_on=dt.date(2026, 11, 1),
        recorded_by=staff,
    )
    decision.contributions.add(idea_row, story_row)
    Follow.objects.create(user=staff, contribution=idea_row)
    Follow.objects.create(user=author, service=service)
    sent = timezone.now()
    Notification.objects.create(
        user=author,
        contribution=question_row,
        event="response",
        message="Answered",
        emailed_at=sent,
    )
    Notification.objects.create(user=author, contribution=idea_row, event="status", message="New")
    return {
        "author": author.pk,
        "staff": staff.pk,
        "service": service.pk,
        "idea": idea_row.pk,
        "question": question_row.pk,
        "remark": remark_row.pk,
        "story": story_row.pk,
        "decision": decision.pk,
        "sent": sent,
    }


def test_every_row_is_kept_both_ways_and_old_rows_come_out_in_the_new_shape(
    back_to_latest: None,
) -> None:
    cache.clear()
    seed()
    # News of a new activity came after the move (notifications 0004), whose way back deletes it
    # since the old column cannot hold its event; the spine's own rows are all kept.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_notification WHERE event = 'new_activity'")
    # So did the kinds of apps built on the spine (questions to a meeting: governance), which the
    # old table's check of kinds refuses; those apps are rolled back entirely (``_before``).
    # With them goes the news about them, which the way back would point at them (the last
    # number of its address: notifications 0003).
    # A budget's ballots hold on to its proposals (a contribution kind of their own): they go
    # first, as the budgeting app is rolled back with the others.
    Count.objects.all().delete()
    PaperEntry.objects.all().delete()
    Ballot.objects.all().delete()
    # So do a citizen panel's recommendations (their published contribution is protected), and
    # residents' weightings of a commissioning round's criteria.
    Recommendation.objects.all().delete()
    Weighting.objects.all().delete()
    newer = Contribution.objects.exclude(kind__in=OLD_KINDS)
    gone = set(newer.values_list("pk", flat=True))
    # News of a weighting's answer points at its round's weights, whose last number is the
    # round's, not a contribution's: it goes with the commissioning app.
    Notification.objects.filter(url__startswith="/commissioning/").delete()
    newer.delete()
    Notification.objects.filter(
        pk__in=[
            pk
            for pk, url in Notification.objects.values_list("pk", "url")
            if int(re.findall(r"\d+", url)[-1]) in gone
        ]
    ).delete()
    demo = {new: _count(new) for new in TABLES.values()}
    assert demo["contributions_contribution"] > 50  # the demo, not an empty database

    # Back: the demo's rows, all of them, in the old tables.
    old_apps = _migrate(BEFORE)
    for old, new in TABLES.items():
        assert _count(old) == demo[new], (old, new)

    # Rows written there with the old models, then forward: every row, the demo's and these.
    made = _old_world(old_apps)
    counts = {old: _count(old) for old in TABLES}
    assert counts["codesign_contribution"] == demo["contributions_contribution"] + 4
    apps = _migrate(None)
    for old, new in TABLES.items():
        assert _count(new) == counts[old], (old, new)

    moved = apps.get_model("contributions", "Contribution").objects
    rows = {c.pk: c for c in moved.filter(author_id__in=_people(made))}
    assert {pk: (c.kind, c.needs_answer, c.status) for pk, c in rows.items()} == {
        made["idea"]: ("idea", True, "adapted"),
        made["question"]: ("comment", True, ""),
        made["remark"]: ("comment", False, ""),
        made["story"]: ("story", True, ""),
    }
    assert rows[made["idea"]].status_reason == "A shelter instead."
    assert rows[made["story"]].visibility == "pending"
    idea = apps.get_model("codesign", "Idea").objects.get(contribution_id=made["idea"])
    assert idea.title == "A bench by the bus stop"

    change = apps.get_model("contributions", "StatusChange").objects.get(
        changed_by_id__in=_people(made)
    )
    assert (change.contribution_id, change.to_status) == (made["idea"], "adapted")
    decision = apps.get_model("contributions", "Decision").objects.get(pk=made["decision"])
    assert set(decision.contributions.values_list("pk", flat=True)) == {
        made["idea"],
        made["story"],
    }
    report = apps.get_model("contributions", "Report").objects.get(reporter_id=made["author"])
    assert report.contribution_id == made["remark"]
    follows = apps.get_model("contributions", "Follow").objects
    assert follows.filter(contribution_id=made["idea"]).count() == 1
    assert follows.filter(service_id=made["service"]).count() == 1

    theirs = apps.get_model("notifications", "Notification").objects.filter(user_id=made["author"])
    urls = dict(theirs.values_list("event", "url"))
    question = made["question"]
    assert urls == {
        "response": f"/ideas/{made['idea']}/?comment={question}#comment-{question}",
        "status": f"/ideas/{made['idea']}/",
    }
    assert set(theirs.values_list("service_id", flat=True)) == {made["service"]}
    assert theirs.get(event="response").emailed_at == made["sent"]


def _people(made: dict[str, Any]) -> list[int]:
    """The two people of ``_old_world``: its author and its member of staff."""
    return [made["author"], made["staff"]]
