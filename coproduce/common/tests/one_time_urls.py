"""Views for test_one_time_forms: a note form whose action writes a row and counts its runs."""

from __future__ import annotations

import time
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from coproduce.common.forms import OneTimeForm, handle_form
from coproduce.common.models import PageVersion

# How many times the action ran, and how long it holds its transaction open (threaded test).
RUNS = {"count": 0, "pause": 0.0}


class NoteForm(OneTimeForm):
    text = forms.CharField(max_length=50)


def note_create(*, text: str) -> int:
    """The action: writes a row, then refuses "wrong" (so the write must be rolled back)."""
    RUNS["count"] += 1
    number = PageVersion.objects.filter(scope__startswith="test.note:").count() + 1
    PageVersion.objects.create(scope=f"test.note:{uuid.uuid4().hex}", token=number)
    if text == "wrong":
        raise ValidationError({"text": "Not that one."})
    time.sleep(RUNS["pause"])
    return number


def note_new(request: HttpRequest) -> HttpResponse:
    form = NoteForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: note_create(**data),
        success=lambda number: f"/notes/{number}/",
        message="Noted.",
    )
    html = engines["django"].from_string("<form>{{ form }}</form>").render({"form": form})
    return done or HttpResponse(html)


def note_detail(request: HttpRequest, number: int) -> HttpResponse:
    shown = [f"{message.level_tag}: {message}" for message in messages.get_messages(request)]
    return HttpResponse(f"note {number}\n" + "\n".join(shown))


urlpatterns = [
    path("notes/new/", note_new),
    path("notes/<int:number>/", note_detail),
]
