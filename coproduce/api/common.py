"""What every router shares: who may call and which errors an operation declares."""

from __future__ import annotations

from typing import Any

from coproduce.api.auth import TokenAuth
from coproduce.api.schemas import Error, ValidationErrors

READ = TokenAuth(optional=True)
WRITE = TokenAuth()
# Every status an operation can answer with is declared, and no other (the fuzz tests hold us to it).
LIST_ERRORS: dict[int, Any] = {401: Error, 422: ValidationErrors}
READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: ValidationErrors}
# A write without a body (PUT or DELETE of a relation) cannot send JSON that fails to parse.
BODILESS_WRITE_ERRORS: dict[int, Any] = {
    401: Error,
    403: Error,
    404: Error,
    422: ValidationErrors,
}
# A write with a body: 400 for a body that is not JSON, 413 for one over Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
WRITE_ERRORS: dict[int, Any] = {400: Error, 413: Error, **BODILESS_WRITE_ERRORS}
