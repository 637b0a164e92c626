"""The project's URLs plus two baselines that benchmarks/web.py compares the pages with.

``bench/bare/`` goes through the same gunicorn workers and the same middleware as every page, but
does no database query and renders no template: the ceiling of this stack. ``bench/shell/`` renders
the site's own base template with no content: what every page pays before it shows anything.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from coproduce.config import urls as project


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def shell(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/shell/", shell, name="bench_shell"),
    *project.urlpatterns,
]
handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
