"""Who may use "Download my data": each person, for their own data only."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.types import Visitor


def can_use_data_rights(user: Visitor, obj: Any = None) -> bool:
    """Your data is yours: any signed-in person may ask for it. Each download is looked up among
    the person's own (``queries.own_export``), so anyone else's is a 404."""
    return bool(user.is_authenticated)
