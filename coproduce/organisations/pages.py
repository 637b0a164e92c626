"""Places on the organisation pages that the apps above fill (common.sections)."""

from __future__ import annotations

from coproduce.common.sections import Sections
from coproduce.organisations.models import Organisation

# An organisation's public page: services adds the services it runs and supports.
ORGANISATION_PAGE: Sections[Organisation] = Sections("The organisation page")
