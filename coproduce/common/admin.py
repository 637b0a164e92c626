"""What the apps' admins share."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coproduce.common.converters import IdConverter


class SafeIdAdmin(admin.ModelAdmin):
    """The admin of a model whose key is a one-to-one field (a kind of contribution).

    Django checks an id against the range of an integer key, but not of a one-to-one key: an id of
    2⁶³ or more in the admin's address reached SQLite's driver and failed (a 500). Such an id now
    finds nothing, as any other missing id does.
    """

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        if from_field is None and not re.fullmatch(IdConverter.regex, object_id):
            return None
        return super().get_object(request, object_id, from_field)
