"""Places on the account pages that the apps above fill (common.sections)."""

from __future__ import annotations

from coproduce.accounts.models import User
from coproduce.common.sections import Sections

# "Your account": organisations adds the person's roles.
ACCOUNT_PAGE: Sections[User] = Sections("The account page")
