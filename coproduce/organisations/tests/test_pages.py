"""Sections other apps add to an organisation's page (organisations.pages)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coproduce.organisations.pages import register_section, sections_for
from coproduce.organisations.tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_each_section_is_registered_once_and_shown(client: Client) -> None:
    organisation = OrganisationFactory()
    templates = [template for template, _context in sections_for(organisation)]
    assert templates  # services add the services an organisation runs

    def nothing(organisation: Any) -> dict[str, Any]:
        return {}

    with pytest.raises(ValueError, match="already has the section"):
        register_section(templates[0], nothing)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Services it runs" in page
