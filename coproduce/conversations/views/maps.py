"""The public pages of a conversation's results: the opinion map, the report after the
conversation, the open-data download in the Polis format, and "How the map works".

The map is read from the latest finished MapRun and never computed on a request. Pages show
groups by their size and what sets them apart, never who is in them: groups smaller than
rules.SMALLEST_GROUP_SHOWN are listed by size only, and statement texts come only from published
statements (rejected ones are out of the map; meta ones were never in it).
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from coproduce.common.permissions import anyone, rule_required
from coproduce.conversations import drawing, participants, polis_io, queries, rules
from coproduce.conversations import report as figures
from coproduce.conversations.models import Conversation, MapRun, Statement

IN_MEMORY_EXPORT = 16 * 1024 * 1024  # a larger export zip is spooled to a temporary file


def _visible(request: HttpRequest, pk: int) -> Conversation:
    return queries.visible_conversation(request.user, pk)


def _texts(conversation: Conversation) -> dict[int, str]:
    """Texts of the statements a map may name: published and not about the conversation."""
    return dict(
        Statement.objects.filter(conversation=conversation)
        .published()
        .filter(is_meta=False)
        .values_list("pk", "text")
    )


def _share(item: dict[str, Any]) -> int:
    """The share, in whole percent, of those who voted on it that agreed (or disagreed)."""
    trials = int(item.get("n_trials", 0))
    return round(100 * int(item.get("n_success", 0)) / trials) if trials else 0


def _statements(items: list[dict[str, Any]], texts: dict[int, str]) -> list[dict[str, Any]]:
    """The stored map's statements that may be shown, with their text and share."""
    shown = []
    for item in items:
        pk = int(item["statement_id"])
        if pk in texts:
            shown.append({**item, "pk": pk, "text": texts[pk], "percent": _share(item)})
    return shown


def _map_context(run: MapRun, conversation: Conversation) -> dict[str, Any]:
    """What map.html and report.html show of a finished map."""
    result = run.result
    texts = _texts(conversation)
    groups = []
    for group in sorted(result.get("groups", []), key=lambda g: int(g["label"])):
        label, size = int(group["label"]), int(group["size"])
        full = rules.group_shown_in_full(size)
        representative = result.get("representative", {}).get(str(label), []) if full else []
        groups.append(
            {
                "label": label,
                "name": drawing.group_name(label),
                "size": size,
                "full": full,
                "representative": _statements(representative, texts),
            }
        )
    consensus = result.get("consensus", {})
    return {
        "run": run,
        "drawing": drawing.draw_map(result),
        "groups": groups,
        "in_map": int(result.get("in_conversation", 0)),
        "consensus_agree": _statements(consensus.get("agree", []), texts),
        "consensus_disagree": _statements(consensus.get("disagree", []), texts),
        "divisive": _statements(result.get("divisive", []), texts),
        "smallest_shown": rules.SMALLEST_GROUP_SHOWN,
    }


def _page(conversation: Conversation, **extra: Any) -> dict[str, Any]:
    activity = conversation.activity
    return {
        "conversation": conversation,
        "activity": activity,
        "service": activity.service,
        **extra,
    }


@rule_required(rules.can_view_conversation, load=_visible, hide=True)
@require_safe
def map_page(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    """The latest map: the groups drawn and as tables, what sets each apart, where everyone
    agrees, how it was computed, and the person's own group."""
    run = queries.latest_map(conversation)
    context = _page(conversation, run=None)
    if run is not None:
        context.update(_map_context(run, conversation))
        participant = participants.current(request, conversation)
        context["participant_known"] = participant is not None
        if participant is not None:
            label = run.result.get("group_of", {}).get(str(participant.pk))
            context["your_group"] = None if label is None else drawing.group_name(int(label))
    return render(request, "conversations/map.html", context)


@rule_required(rules.can_view_conversation, load=_visible, hide=True)
@require_safe
def report(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    """The report after the conversation: the summary staff published, the numbers, the groups,
    what everyone agreed on, and participation over time and by area."""
    run = queries.latest_map(conversation)
    unit, periods = figures.votes_over_time(conversation)
    context = _page(
        conversation,
        run=None,
        decisions=list(figures.summary_decisions(conversation)),
        numbers=figures.numbers(conversation),
        unit=unit,
        periods=periods,
        bars=drawing.bar_chart([(period.start.isoformat(), period.votes) for period in periods]),
        chart_width=drawing.CHART_WIDTH,
        chart_height=drawing.CHART_HEIGHT,
        areas=figures.by_area(conversation),
        area_shown_from=figures.AREA_SHOWN_FROM,
    )
    if run is not None:
        context.update(_map_context(run, conversation))
    return render(request, "conversations/report.html", context)


@rule_required(rules.can_view_conversation, load=_visible, hide=True)
@require_safe
def export_zip(request: HttpRequest, conversation: Conversation) -> FileResponse:
    """The open data: the published statements and their votes as a Polis export (comments.csv,
    votes.csv, participants-votes.csv, summary.csv) in one zip. Participants are numbers."""
    # FileResponse closes the file once it is sent.
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_EXPORT)  # noqa: SIM115
    polis_io.export_polis_zip(conversation, spool, published_only=True)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"conversation-{conversation.pk}-polis-export.zip",
        content_type="application/zip",
    )


@rule_required(anyone)
@require_safe
def how_the_map_works(request: HttpRequest) -> HttpResponse:
    """A page for residents on how the opinion map is made (docs/opinion-maps-how-it-works.md)."""
    return render(
        request,
        "conversations/how_the_map_works.html",
        {"smallest_shown": rules.SMALLEST_GROUP_SHOWN},
    )
