"""The public ledger's pages (the list and one entry) and its JSON (proofs, tree head, key); the
open-data catalogue (/data/) and its files, streamed and cached by each dataset's version."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.http import http_date, parse_etags, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.transparency import queries, rules, signing
from coproduce.transparency.models import LedgerEntry
from coproduce.transparency.queries import Download

PER_PAGE = 25
JSON = {"indent": 2, "ensure_ascii": False}


@rule_required(rules.can_view_ledger)
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """Every entry, newest first, with the public key and the signed tree head."""
    page = paginate(request, queries.entries(), PER_PAGE)
    links = queries.record_links(request.user, list(page.object_list))
    rows = [
        {"entry": e, "label": queries.type_label(e.type), "link": links.get(e.seq)}
        for e in page.object_list
    ]
    return render(
        request,
        "transparency/ledger.html",
        {
            "page": page,
            "rows": rows,
            "sth": queries.signed_tree_head(),
            "public_key": signing.public_key_b64(),
            "development_key": signing.is_development_key(),
        },
    )


@rule_required(rules.can_view_ledger, load=queries.entry_by_seq)
@require_GET
def entry(request: HttpRequest, entry: LedgerEntry) -> HttpResponse:
    """What one entry recorded, its hashes, its proof and its corrections."""
    link = queries.record_links(request.user, [entry]).get(entry.seq)
    corrected = (
        None if entry.corrects is None else LedgerEntry.objects.filter(seq=entry.corrects).first()
    )
    return render(
        request,
        "transparency/entry.html",
        {
            "entry": entry,
            "label": queries.type_label(entry.type),
            "link": link,
            # What a record says is shown to those who may see the record.
            "content": _items(entry.content_value) if link else None,
            "canonical": entry.content if link else None,
            "corrected": corrected,
            "corrections": queries.corrections_of(entry),
        },
    )


def _items(content: object) -> list[tuple[str, str]]:
    """A record's content as rows of a summary list."""
    if not isinstance(content, dict):
        return [("", str(content))]
    return [
        (name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for name, value in sorted(content.items())
    ]


def _json(data: object, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params=JSON, safe=False)


@rule_required(rules.can_view_ledger, load=queries.entry_by_seq)
@require_GET
def proof(request: HttpRequest, entry: LedgerEntry) -> HttpResponse:
    """The inclusion proof of an entry in the current tree (RFC 9162), with its tree head."""
    public = entry.seq in queries.record_links(request.user, [entry])
    return _json(queries.inclusion_proof(entry, with_content=public))


def _size(value: str | None, name: str, largest: int) -> int | str:
    """A tree size from the query string, or what is wrong with it."""
    if value is None or not value.strip():
        return _("Give %(name)s, a number of entries.") % {"name": name}
    if not value.strip().isdigit() or len(value.strip()) > 18:
        return _("%(name)s must be a whole number of entries.") % {"name": name}
    size = int(value)
    if not 1 <= size <= largest:
        return _("%(name)s must be between 1 and %(largest)s, the ledger's size.") % {
            "name": name,
            "largest": largest,
        }
    return size


@rule_required(rules.can_view_ledger)
@require_GET
def consistency(request: HttpRequest) -> HttpResponse:
    """?from=M&to=N: that the tree of N entries extends the tree of M (RFC 9162)."""
    largest = queries.tree_size()
    first = _size(request.GET.get("from"), "from", largest)
    second = _size(request.GET.get("to"), "to", largest)
    for problem in (first, second):
        if isinstance(problem, str):
            return _json({"error": problem}, status=400)
    assert isinstance(first, int)
    assert isinstance(second, int)
    if first > second:
        return _json({"error": _("from must not be larger than to.")}, status=400)
    return _json(queries.consistency_proof(first, second))


@rule_required(rules.can_view_ledger)
@require_GET
def sth(request: HttpRequest) -> HttpResponse:
    """The signed tree head of the whole ledger."""
    return _json(queries.signed_tree_head())


@rule_required(rules.can_view_ledger)
@require_GET
def key(request: HttpRequest) -> HttpResponse:
    """The public key that checks the tree heads' signatures."""
    return _json(
        {
            "algorithm": "Ed25519",
            "public_key": signing.public_key_b64(),
            "development_key": signing.is_development_key(),
        }
    )


# --- Open data ---------------------------------------------------------------------------------

MAX_AGE = 300  # seconds a download may be reused before asking again (then 304 if unchanged)


@rule_required(rules.can_view_open_data)
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every open dataset with its formats, licence and last update."""
    return render(request, "transparency/catalogue.html", {"datasets": queries.catalogue()})


@rule_required(rules.can_view_open_data)
@require_GET
def catalogue_json(request: HttpRequest) -> HttpResponse:
    """The catalogue for machines (after DCAT: title, description, licence, distributions)."""
    base = settings.SITE_URL  # as the datasets' own links
    return _json(
        {
            "datasets": [
                {
                    "identifier": d["code"],
                    "title": d["title"],
                    "description": d["description"],
                    "license": d["licence"],
                    "modified": d["last_updated"].isoformat() if d["last_updated"] else None,
                    "distributions": [
                        {
                            "format": f["label"],
                            "media_type": f["media_type"],
                            "conforms_to": f["standard"] or None,
                            "download_url": base + f["url"],
                        }
                        for f in d["formats"]
                    ],
                }
                for d in queries.catalogue()
            ]
        }
    )


@rule_required(rules.can_view_open_data, load=queries.download_by_name)
@require_GET
def download(request: HttpRequest, download: Download) -> HttpResponseBase:
    """One file of a dataset, streamed; 304 when the asker already has this version."""
    etag = quote_etag(f"{download.filename}-{download.dataset.version()}")
    updated = download.dataset.last_updated()
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}"}
    if updated is not None:
        headers["Last-Modified"] = http_date(updated.timestamp())
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return HttpResponse(status=304, headers=headers)
    response = StreamingHttpResponse(
        download.format.stream(),
        content_type=f"{download.format.content_type}; charset=utf-8",
        headers=headers,
    )
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
