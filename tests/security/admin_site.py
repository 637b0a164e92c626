"""The models the admin site registers, as ``app_label/model_name`` ids for parametrised tests."""

from __future__ import annotations

from django.contrib import admin


def registered_models() -> list[str]:
    return sorted(f"{m._meta.app_label}/{m._meta.model_name}" for m in admin.site._registry)
