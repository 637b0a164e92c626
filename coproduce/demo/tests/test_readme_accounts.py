"""The README's demo accounts can close the loop on every demo service with an open activity
(issue 18): someone it lists may answer, record decisions and moderate there, and does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.contributions import rules
from coproduce.contributions.models import Contribution
from coproduce.services.models import ActivityState, Service

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]

README = Path(settings.BASE_DIR) / "README.md"


def readme_accounts() -> list[str]:
    """The email addresses in the README's table of demo accounts."""
    return re.findall(r"^\| `([^`]+@[^`]+)` \|", README.read_text(), flags=re.MULTILINE)


def test_every_open_demo_service_can_be_answered_with_a_readme_account(demo_story: None) -> None:
    listed = list(User.objects.filter(email__in=readme_accounts()))
    assert len(listed) == len(readme_accounts())  # every account the README lists exists
    services = (
        Service.objects.published().filter(stages__activities__state=ActivityState.OPEN).distinct()
    )
    assert services.count() >= 4
    for service in services:
        waiting = Contribution.objects.for_service(service).answerable().published().first()
        assert waiting is not None, service.name
        # Someone the README lists, other than the superuser, runs the service.
        staff = [
            user
            for user in listed
            if not user.is_superuser
            and rules.can_answer(user, waiting)
            and rules.can_record_decision(user, service)
            and rules.can_moderate_service(user, service)
        ]
        assert staff, f"No README account runs {service.name}"
        client = Client()
        client.force_login(staff[0])
        answered = client.post(
            reverse("contributions:respond", args=[waiting.pk]),
            {"body": "Thank you: we have read this and will reply in the next update."},
        )
        assert answered.status_code == 302, (service.name, staff[0].email)
        assert waiting.responses.filter(author=staff[0]).exists()
        decide = client.get(reverse("contributions:decision_create", args=[service.slug]))
        assert decide.status_code == 200, (service.name, staff[0].email)


def test_the_readme_names_no_account_that_cannot_do_what_it_says(demo_story: None) -> None:
    facilitator = User.objects.get(email="mo.ahmed@nca.example")
    transport = Service.objects.get(organisation__memberships__user=facilitator)
    assert "facilitator" in README.read_text()
    assert rules.can_moderate_service(facilitator, transport)
    assert not rules.can_record_decision(facilitator, transport)  # as the README says
