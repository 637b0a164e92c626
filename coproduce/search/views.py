"""The search page: anyone may search everything public."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coproduce.common.pagination import paginate
from coproduce.common.permissions import anyone, rule_required
from coproduce.search import queries
from coproduce.search.forms import SearchForm


@rule_required(anyone)
def results(request: HttpRequest) -> HttpResponse:
    """Results for ``?q=``, most relevant first, filtered by kind and service, 20 a page."""
    form = SearchForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        found = queries.search(data["q"], kinds=data["kind"], service=data["service"])
        form.offer(found)
    filtered = found is not None and bool(form.cleaned_data["kind"] or form.cleaned_data["service"])
    page = paginate(request, found) if found is not None else None
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "results": found,
            "page": page,
            "searched": found is not None,
            "show_filters": filtered or bool(page and page.paginator.count),
            "filtered": filtered,
            "unfiltered": "?" + urlencode({"q": form.cleaned_data["q"]}) if filtered else "",
            "window": queries.WINDOW,
        },
    )
