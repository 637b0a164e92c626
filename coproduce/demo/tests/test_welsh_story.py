"""The Northfield demo in Welsh: some things have their Welsh, others not, so that a visitor sees
both the Welsh and the English shown in its place (decision 0025)."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.contributions.models import Decision, Response
from coproduce.demo import welsh
from coproduce.demo.story import seed
from coproduce.insight.models import Question
from coproduce.services import pages
from coproduce.services.models import Activity, Service

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]

WELSH = {"Accept-Language": "cy"}
NOTE = 'id="language-note"'


def test_the_demo_has_welsh_for_some_things_and_not_others(demo_story: None) -> None:
    seed()  # again: nothing changes
    # Every Welsh text of the demo found the English it translates, and is valid beside it.
    models = [
        (Service, "name", welsh.SERVICES),
        (Activity, "title", welsh.ACTIVITIES),
        (Question, "text", welsh.QUESTIONS),
        (Decision, "title", welsh.DECISIONS),
    ]
    for model, field, texts in models:
        for english in texts:
            item = model._default_manager.get(**{field: english})
            item.full_clean()
    for body in welsh.ANSWERS:
        assert Response.objects.filter(body=body).exclude(body_cy="").exists()
    assert Activity.objects.filter(title_cy="").exists()  # and some have none

    recovery = Service.objects.get(name="Drug and alcohol recovery service")
    page = Client().get(recovery.get_absolute_url(), headers=WELSH).content.decode()
    assert welsh.SERVICES[recovery.name]["name_cy"] in page
    assert "Noson agored yn yr hyb adfer" in page
    assert '<span lang="en" data-untranslated>Stories of recovery</span>' in page
    assert page.count(NOTE) == 1
    full = Activity.objects.get(title="Open evening at the recovery hub")
    assert NOTE not in Client().get(full.get_absolute_url(), headers=WELSH).content.decode()
    assert pages.missing_welsh(recovery).count() > 0
