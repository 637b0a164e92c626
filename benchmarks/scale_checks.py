"""The invariants benchmarks/scale.py checks after the load, in the database and the mail sink.

wait_for_tasks waits for the task workers and counts the tasks enqueued since the run began, by
status; check_writes looks up each write of the journal the server acknowledged (supports,
comments, survey answers, ballots, opinion votes) and counts those missing or doubled;
check_counters counts the rows whose denormalised counter differs from the rows it counts;
check_emails counts the messages the mail sink received (var/scale/mail.jsonl) and those sent
twice. The database checks need scale_setup.django_setup to have run.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from scale_people import Journal
from scale_setup import VAR


def wait_for_tasks(since: Any, seconds: float) -> dict[str, int]:
    """Every task enqueued since the run began, by status, once none is waiting or running (or
    after ``seconds``)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + seconds
    while True:
        rows = DBTaskResult.objects.filter(enqueued_at__gte=since).values("status")
        counts = {row["status"]: row["n"] for row in rows.annotate(n=Count("id"))}
        if (not counts.get("READY") and not counts.get("RUNNING")) or time.monotonic() > deadline:
            return counts
        time.sleep(1.0)


def check_writes(journal: Journal) -> dict[str, Any]:
    """Each acknowledged write, counted in the database: it must be there exactly once."""
    from coproduce.budgeting.models import Ballot
    from coproduce.codesign.models import Comment, Support
    from coproduce.conversations.models import Vote
    from coproduce.insight.models import SurveySubmission

    found: dict[str, Any] = {}

    def tally(kind: str, counts: list[int]) -> None:
        found[kind] = {
            "acknowledged": len(counts),
            "missing": sum(1 for n in counts if n == 0),
            "doubled": sum(1 for n in counts if n > 1),
        }

    tally(
        "supports",
        [Support.objects.filter(user_id=u, idea_id=i).count() for u, i in journal.supports],
    )
    tally(
        "comments",
        [Comment.objects.filter(idea_id=i, body__contains=m).count() for i, m in journal.comments],
    )
    tally(
        "survey answers",
        [
            SurveySubmission.objects.filter(respondent_id=u, survey__activity_id=a).count()
            for u, a in journal.surveys
        ],
    )
    tally(
        "ballots",
        [Ballot.objects.filter(voter_id=u, budget_id=b).count() for u, b in journal.ballots],
    )
    tally(
        "opinion votes",
        [
            Vote.objects.filter(
                participant__user_id=u, participant__conversation_id=c, statement_id=int(s or 0)
            ).count()
            for u, c, s in set(journal.votes)
        ],
    )
    return found


def check_counters() -> dict[str, int]:
    """Rows whose stored count differs from the rows it counts (0 everywhere is the pass)."""
    from django.db.models import Count, F

    from coproduce.codesign.models import Comment, Idea

    ideas = Idea.objects.annotate(supports_n=Count("supports", distinct=True))
    commented = Idea.objects.annotate(comments_n=Count("comments", distinct=True))
    comments = Comment.objects.annotate(agreements_n=Count("agreements", distinct=True))
    return {
        "ideas' support_count": ideas.exclude(support_count=F("supports_n")).count(),
        "ideas' comment_count": commented.exclude(comment_count=F("comments_n")).count(),
        "comments' agreement_count": comments.exclude(agreement_count=F("agreements_n")).count(),
    }


def check_emails(since: float) -> dict[str, int]:
    """Messages the mail sink received since the run began, and how many repeat an earlier one
    (same recipients, subject and text)."""
    seen: Counter[str] = Counter()
    path = VAR / "mail.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        record = json.loads(line)
        if record["received"] >= since:
            key = json.dumps([sorted(record["to"]), record["subject"], record.get("text_sha256")])
            seen[key] += 1
    return {"sent": sum(seen.values()), "sent twice or more": sum(n - 1 for n in seen.values())}
