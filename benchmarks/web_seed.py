"""Seed one idea challenge for benchmarks/web.py: ideas, supports, comments, answers, statuses.

Run by web.py in a subprocess, with the database chosen by the environment (DATABASE_URL,
COPRODUCE_VAR_DIR). The organisation, service and challenge are made through the product's actions;
the bulk (ideas, comments, supports, answers) is written with bulk_create, in the shape the actions
would leave it:

- every Idea and Comment has its Contribution (kind, activity, author, visibility, held reason,
  ``needs_answer``: every idea, and the comments that ask a question);
- ``Idea.support_count`` and ``comment_count`` equal the Support and Comment rows (checked at the
  end), and ``Contribution.first_response_at`` / ``last_response_at`` match the Response rows;
- an idea's status is on its Contribution (``status``, ``status_reason``; comments have none): it
  follows IDEA_WORKFLOW's transitions from its initial status, with one StatusChange row per step
  and a reason where the workflow needs one; comments, supports and answers come after the idea
  they are about;
- only published ideas get comments and supports (the product refuses them on the others).

Prints one JSON object: what web.py needs to build URLs (challenge, last pages, idea with the most
comments) and the row counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.config.settings")


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Aisha Ben Chloe Dev Ella Femi Grace Harry Imran Jade Kofi Leah Mo Nia Owen Priya Rhys Sam "
    "Tariq Uma Vik Wen Yusuf Zara Alys Bryn Cerys Dylan Ffion Gethin"
)
LAST = _words(
    "Ahmed Baker Campbell Davies Evans Fraser Green Hughes Iqbal Jones Khan Lewis Morgan Nowak "
    "Owusu Patel Quinn Roberts Singh Thomas Usman Vaughan Williams Young"
)
WORDS = _words(
    "bus stop library evening clinic parents carers young people older residents park bench "
    "lighting walk school route cafe drop-in centre volunteers transport appointments online "
    "phone waiting list translation community room repairs housing garden food bank advice "
    "weekend opening hours outreach mental health support group wheelchair access signs map "
    "cycle lane crossing noise bins recycling training apprentices local jobs market"
)
CATEGORIES = [
    "Access and opening hours",
    "Buildings and places",
    "Children and families",
    "Getting there",
    "Health and wellbeing",
    "Information and advice",
    "Older people",
    "Volunteering",
]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, sentences: int) -> str:
    text = [_sentence(rng, 8, 20) for _ in range(sentences)]
    cut = max(1, len(text) // 2)
    return " ".join(text[:cut]) + "\n\n" + " ".join(text[cut:])


@contextmanager
def _timestamps_as_given(*models: Any) -> Iterator[None]:
    """Let bulk_create keep the created_at values we give (auto_now_add would overwrite them)."""
    fields = [model._meta.get_field("created_at") for model in models]
    saved = [field.auto_now_add for field in fields]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in zip(fields, saved, strict=True):
            field.auto_now_add = value


def _spread(rng: random.Random, total: int, weights: list[float], cap: int) -> list[int]:
    """Share ``total`` items between len(weights) buckets in proportion to the weights, at most
    ``cap`` per bucket (one support per person per idea), exactly ``total`` in all."""
    counts = [0] * len(weights)
    for index, n in Counter(rng.choices(range(len(weights)), weights, k=total)).items():
        counts[index] = n
    overflow = sum(max(0, n - cap) for n in counts)
    counts = [min(n, cap) for n in counts]
    while overflow:
        index = rng.choices(range(len(weights)), weights)[0]
        if counts[index] < cap:
            counts[index] += 1
            overflow -= 1
    return counts


def _heavy_tail(rng: random.Random, n: int, mean: float, sigma: float) -> list[float]:
    """Log-normal weights: most ideas get a few comments or supports, a few get hundreds."""
    mu = math.log(mean) - sigma * sigma / 2
    return [rng.lognormvariate(mu, sigma) for _ in range(n)]


def seed(
    *, ideas: int, supports: int, comments: int, users: int, seed_value: int
) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Count, F, Q
    from django.urls import reverse
    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.codesign.models import (
        IDEA_WORKFLOW,
        CodesignKind,
        Comment,
        Idea,
        IdeaCategory,
        IdeaStatus,
        Support,
    )
    from coproduce.contributions.models import (
        AuthorDisplay,
        Contribution,
        Decision,
        Response,
        StatusChange,
        Visibility,
    )
    from coproduce.organisations import actions as organisation_actions
    from coproduce.organisations.models import Role, Sector
    from coproduce.services import actions as service_actions
    from coproduce.services.models import ActivityKind, ActivityState, PolicyArea, Stage

    rng = random.Random(seed_value)
    now = timezone.now()
    year_ago = now - dt.timedelta(days=365)
    started = time.perf_counter()
    held = "Checked by a moderator before it appears"

    def after(moment: dt.datetime, max_days: float) -> dt.datetime:
        """A moment after ``moment``, at most max_days later and never in the future."""
        room = min(max_days * 86400, (now - moment).total_seconds())
        return moment + dt.timedelta(seconds=rng.uniform(0, max(room, 1)))

    with transaction.atomic():
        # --- People: several hundred residents and the service team. Unusable passwords: nobody
        # signs in during the benchmark, and hashing hundreds of Argon2 passwords would be slow.
        people = [
            User(
                email=f"resident{n}@bench.example",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                password="!",  # noqa: S106 - an unusable password, as set_unusable_password does
                date_joined=year_ago,
            )
            for n in range(users)
        ]
        staff = [
            User(email=f"staff{n}@bench.example", name=f"{rng.choice(FIRST)} {rng.choice(LAST)}")
            for n in range(4)
        ]
        for user in staff:
            user.set_unusable_password()
        User.objects.bulk_create(people + staff)
        residents = list(User.objects.filter(email__startswith="resident").order_by("pk"))
        staff = list(User.objects.filter(email__startswith="staff").order_by("pk"))
        admin, professional, facilitator = staff[0], staff[1], staff[3]

        organisation = organisation_actions.organisation_create(
            name="Benchmark Borough Council", sector=Sector.PUBLIC_BODY, area="Benchmark"
        )
        for user, role in zip(
            staff, [Role.ADMIN, Role.PROFESSIONAL, Role.PROFESSIONAL, Role.FACILITATOR], strict=True
        ):
            organisation_actions.membership_set(organisation=organisation, user=user, role=role)
        service = service_actions.service_create(
            organisation=organisation,
            name="Community centres",
            summary="What our community centres offer, and when.",
            policy_area=PolicyArea.OTHER,
            area_served="Benchmark borough",
            publish=True,
        )
        activity = service_actions.activity_create(
            service=service,
            stage=Stage.COMMISSIONING,
            kind=ActivityKind.IDEA_CHALLENGE,
            title="Ideas for our community centres",
            summary="Tell us what would make the centres work better for you.",
            created_by=admin,
        )
        activity = service_actions.activity_transition(
            activity=activity, to_state=ActivityState.OPEN
        )
        categories = IdeaCategory.objects.bulk_create(
            IdeaCategory(activity=activity, name=name) for name in CATEGORIES
        )
        categories = list(IdeaCategory.objects.filter(activity=activity))

        # A few residents write much more than the rest.
        activity_weights = _heavy_tail(rng, len(residents), 1.0, 1.0)

        def someone() -> Any:
            return rng.choices(residents, activity_weights)[0]

        def display() -> str:
            return rng.choices(
                [AuthorDisplay.FIRST_NAME, AuthorDisplay.NAMED, AuthorDisplay.ANONYMOUS],
                [6, 3, 1],
            )[0]

        def visibility(pending: float, hidden: float) -> dict[str, Any]:
            draw = rng.random()
            if draw < pending:
                return {"visibility": Visibility.PENDING, "held_reason": held}
            if draw < pending + hidden:
                return {
                    "visibility": Visibility.HIDDEN,
                    "moderated_by": facilitator,
                    "moderated_at": now,
                }
            return {"visibility": Visibility.PUBLISHED}

        with _timestamps_as_given(Contribution, Support, Response, StatusChange, Decision):
            # --- Ideas, oldest first over the last year.
            idea_times = sorted(
                year_ago + dt.timedelta(seconds=rng.uniform(0, 365 * 86400)) for _ in range(ideas)
            )
            idea_rows = Contribution.objects.bulk_create(
                [
                    Contribution(
                        activity=activity,
                        kind=CodesignKind.IDEA,
                        author=someone(),
                        author_display=display(),
                        created_at=created,
                        needs_answer=True,
                        status=IDEA_WORKFLOW.initial,
                        **visibility(0.02, 0.01),
                    )
                    for created in idea_times
                ],
                batch_size=2000,
            )
            idea_objects = [
                Idea(
                    contribution=row,
                    title=_sentence(rng, 3, 12)[:150].rstrip("."),
                    description=_paragraphs(rng, rng.randint(2, 8))[:5000],
                    category=rng.choice(categories) if rng.random() < 0.8 else None,
                )
                for row in idea_rows
            ]
            published = [
                i for i in idea_objects if i.contribution.visibility == Visibility.PUBLISHED
            ]

            # --- Comments: heavy-tailed over published ideas; a third are replies; some questions.
            comment_weights = _heavy_tail(
                rng, len(published), comments / max(len(published), 1), 1.2
            )
            per_idea = _spread(rng, comments, comment_weights, cap=comments)
            comment_plan: list[tuple[Idea, dt.datetime]] = []
            for idea, n in zip(published, per_idea, strict=True):
                created = idea.contribution.created_at
                times = sorted(after(created, 120) for _ in range(n))
                comment_plan.extend((idea, moment) for moment in times)
            comment_rows = Contribution.objects.bulk_create(
                [
                    Contribution(
                        activity=activity,
                        kind=CodesignKind.COMMENT,
                        author=someone(),
                        author_display=display(),
                        created_at=moment,
                        needs_answer=False,  # True for questions, set once they are drawn
                        **visibility(0.015, 0.005),
                    )
                    for _idea, moment in comment_plan
                ],
                batch_size=2000,
            )
            comment_objects: list[Comment] = []
            earlier: dict[int, list[Comment]] = {}
            for (idea, _moment), row in zip(comment_plan, comment_rows, strict=True):
                siblings = earlier.setdefault(idea.pk, [])
                parent = rng.choice(siblings[-20:]) if siblings and rng.random() < 0.33 else None
                comment = Comment(
                    contribution=row,
                    idea=idea,
                    parent=parent,
                    body=" ".join(_sentence(rng, 6, 18) for _ in range(rng.randint(1, 4)))[:2000],
                    is_question=rng.random() < 0.1,
                )
                siblings.append(comment)
                comment_objects.append(comment)
            for idea, n in zip(published, per_idea, strict=True):
                idea.comment_count = n  # comment_create counts every comment, held ones too

            # --- Supports: heavy-tailed, loosely following the comments; one per person per idea.
            support_weights = [w**0.5 * rng.lognormvariate(0, 1.0) for w in comment_weights]
            per_idea = _spread(rng, supports, support_weights, cap=len(residents))
            support_objects: list[Support] = []
            for idea, n in zip(published, per_idea, strict=True):
                idea.support_count = n
                created = idea.contribution.created_at
                support_objects.extend(
                    Support(idea=idea, user=user, created_at=after(created, 90))
                    for user in rng.sample(residents, n)
                )

            # --- Official answers and statuses: about a third of published ideas are answered,
            # older ideas more often; a tenth of questions get an answer too.
            responses: list[Response] = []
            changes: list[StatusChange] = []
            answered_contributions: list[Contribution] = []
            paths = {
                IdeaStatus.UNDER_CONSIDERATION: [IdeaStatus.UNDER_CONSIDERATION],
                IdeaStatus.ADOPTED: [IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.ADOPTED],
                IdeaStatus.ADAPTED: [IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.ADAPTED],
                IdeaStatus.NOT_TAKEN_FORWARD: [IdeaStatus.NOT_TAKEN_FORWARD],
                IdeaStatus.IN_DELIVERY: [IdeaStatus.ADOPTED, IdeaStatus.IN_DELIVERY],
                IdeaStatus.DELIVERED: [
                    IdeaStatus.UNDER_CONSIDERATION,
                    IdeaStatus.ADOPTED,
                    IdeaStatus.IN_DELIVERY,
                    IdeaStatus.DELIVERED,
                ],
            }
            final_weights = [30, 15, 10, 25, 10, 10]

            def answer(contribution: Contribution, count: int) -> None:
                moment = contribution.created_at
                for _ in range(count):
                    moment = after(moment, 45)
                    responses.append(
                        Response(
                            contribution=contribution,
                            author=rng.choice([admin, professional, staff[2]]),
                            body=_paragraphs(rng, rng.randint(1, 4)),
                            created_at=moment,
                        )
                    )
                contribution.first_response_at = responses[-count].created_at
                contribution.last_response_at = moment
                answered_contributions.append(contribution)

            for idea in published:
                age_days = (now - idea.contribution.created_at).days
                if rng.random() < 0.15 + 0.45 * age_days / 365:
                    answer(idea.contribution, rng.choices([1, 2, 3], [70, 25, 5])[0])
                    final = rng.choices(list(paths), final_weights)[0]
                    moment = idea.contribution.first_response_at or now
                    current = IDEA_WORKFLOW.initial
                    for step in paths[final]:
                        assert step in IDEA_WORKFLOW.transitions[current], (current, step)
                        moment = after(moment, 30)
                        reason = _sentence(rng, 8, 20) if step in IDEA_WORKFLOW.needs_reason else ""
                        changes.append(
                            StatusChange(
                                contribution=idea.contribution,
                                from_status=current,
                                to_status=step,
                                reason=reason,
                                changed_by=admin,
                                created_at=moment,
                            )
                        )
                        current = step
                    idea.contribution.status = current
                    idea.contribution.status_reason = changes[-1].reason
            for comment in comment_objects:
                published_comment = comment.contribution.visibility == Visibility.PUBLISHED
                if comment.is_question and published_comment and rng.random() < 0.4:
                    answer(comment.contribution, 1)

            Idea.objects.bulk_create(idea_objects, batch_size=2000)
            Comment.objects.bulk_create(comment_objects, batch_size=2000)
            Support.objects.bulk_create(support_objects, batch_size=5000)
            Response.objects.bulk_create(responses, batch_size=2000)
            StatusChange.objects.bulk_create(changes, batch_size=2000)
            # Only answered ideas moved on from their initial status (the answer comes first).
            Contribution.objects.bulk_update(
                answered_contributions,
                ["first_response_at", "last_response_at", "status", "status_reason"],
                batch_size=1000,
            )
            questions = [c.pk for c in comment_objects if c.is_question]
            for start in range(0, len(questions), 2000):
                Contribution.objects.filter(pk__in=questions[start : start + 2000]).update(
                    needs_answer=True
                )

            # --- Decisions informed by adopted, adapted and delivered ideas.
            taken_up = [
                i
                for i in published
                if i.contribution.status
                in {
                    IdeaStatus.ADOPTED,
                    IdeaStatus.ADAPTED,
                    IdeaStatus.IN_DELIVERY,
                    IdeaStatus.DELIVERED,
                }
            ]
            decisions = Decision.objects.bulk_create(
                Decision(
                    service=service,
                    cycle=service.current_cycle,
                    stage=Stage.COMMISSIONING,
                    title=_sentence(rng, 4, 10)[:200],
                    description=_paragraphs(rng, 3),
                    decided_by="Community Services Committee",
                    decided_on=(year_ago + dt.timedelta(days=rng.randint(30, 364))).date(),
                    recorded_by=admin,
                    created_at=now,
                )
                for _ in range(max(1, len(taken_up) // 40))
            )
            links = Decision.contributions.through
            links.objects.bulk_create(
                links(decision_id=rng.choice(decisions).pk, contribution_id=idea.pk)
                for idea in taken_up
                if rng.random() < 0.5
            )

        # --- The counters and answer dates must be what the actions would have left.
        wrong_supports = Idea.objects.annotate(n=Count("supports")).exclude(support_count=F("n"))
        assert not wrong_supports.exists(), "support_count does not match the Support rows"
        wrong_comments = Idea.objects.annotate(n=Count("comments")).exclude(comment_count=F("n"))
        assert not wrong_comments.exists(), "comment_count does not match the Comment rows"
        unanswered_with_date = Contribution.objects.filter(
            first_response_at__isnull=False, responses__isnull=True
        )
        assert not unanswered_with_date.exists(), "a response date without a response"
        assert not Contribution.objects.filter(
            kind=CodesignKind.IDEA, idea__isnull=True
        ).exists(), "an idea contribution without its idea"
        # needs_answer and status as contribution_start and contribution_set_status leave them.
        ideas_rows = Contribution.objects.filter(kind=CodesignKind.IDEA)
        stored_comments = Contribution.objects.filter(kind=CodesignKind.COMMENT)
        assert not ideas_rows.filter(needs_answer=False).exists(), "an idea that needs no answer"
        assert not stored_comments.exclude(needs_answer=F("comment__is_question")).exists(), (
            "a comment that needs an answer but asks no question, or the other way round"
        )
        statuses = [code for code, _label in IDEA_WORKFLOW.choices]
        assert not ideas_rows.exclude(status__in=statuses).exists(), "an idea without a status"
        assert not stored_comments.exclude(status="").exists(), "a comment with a status"

    seeded = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # A fresh bulk load has no planner statistics yet; autovacuum would gather them within a
        # minute in production, so gather them now rather than measure the first minute.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    shown = Idea.objects.filter(
        contribution__activity=activity, contribution__visibility=Visibility.PUBLISHED
    )
    listed = shown.count()
    answered = shown.filter(contribution__last_response_at__isnull=False).count()
    busiest = shown.order_by("-comment_count", "pk").first()
    assert busiest is not None
    ordered = list(shown.order_by("comment_count", "pk").values_list("pk", "comment_count"))
    typical_pk, typical_comments = ordered[len(ordered) // 2]
    page_size = settings.COPRODUCE_PAGE_SIZE
    # A signed-in resident who supports ideas, for the pages people see once they sign in.
    from django.test import Client

    resident = (
        User.objects.filter(email__startswith="resident")
        .annotate(backed=Count("supports"))
        .order_by("-backed", "pk")
        .first()
    )
    assert resident is not None
    browser = Client()
    browser.force_login(resident)
    return {
        "vendor": connection.vendor,
        "activity": activity.pk,
        "page_size": page_size,
        "last_page": {
            "newest": math.ceil(listed / page_size),
            "supported": math.ceil(listed / page_size),
            "answered": math.ceil(answered / page_size),
        },
        "urls": {
            "list": reverse("codesign:idea_list", kwargs={"pk": activity.pk}),
            "busiest": reverse("codesign:idea_detail", kwargs={"pk": busiest.pk}),
            "typical": reverse("codesign:idea_detail", kwargs={"pk": typical_pk}),
        },
        "busiest_idea": busiest.pk,
        "busiest_comments": busiest.comment_count,
        "busiest_published_comments": Comment.objects.filter(
            idea=busiest, contribution__visibility=Visibility.PUBLISHED
        ).count(),
        "typical_idea": typical_pk,
        "typical_comments": typical_comments,
        "session_cookie": (
            f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
        ),
        "counts": {
            "users": User.objects.count(),
            "ideas": Idea.objects.count(),
            "published_ideas": listed,
            "answered_ideas": answered,
            "comments": Comment.objects.count(),
            "supports": Support.objects.count(),
            "responses": Response.objects.count(),
            "status_changes": StatusChange.objects.count(),
            "decisions": Decision.objects.count(),
            "pending_or_hidden": Contribution.objects.filter(
                ~Q(visibility=Visibility.PUBLISHED)
            ).count(),
        },
        "seed_seconds": round(seeded, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--supports", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    result = seed(
        ideas=args.ideas,
        supports=args.supports,
        comments=args.comments,
        users=args.users,
        seed_value=args.seed,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
