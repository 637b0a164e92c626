"""A JSON client for the API tests, and a helper to read 422 answers."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class Api:
    """Calls the API as one person (or nobody): JSON in, the Django test response out."""

    def __init__(self, token: str | None = None, *, authorization: str | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        if authorization is not None:
            self.headers["Authorization"] = authorization

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api{path}", params or {}, headers=self.headers)

    def _send(self, method: str, path: str, body: Any, *, raw: bool = False) -> Any:
        data = body if raw else ("" if body is None else json.dumps(body))
        return getattr(self.client, method)(
            f"/api{path}", data, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body: Any = None, *, raw: bool = False) -> Any:
        return self._send("post", path, {} if body is None else body, raw=raw)

    def patch(self, path: str, body: Any, *, raw: bool = False) -> Any:
        return self._send("patch", path, body, raw=raw)

    def put(self, path: str, body: Any = None, *, raw: bool = False) -> Any:
        return self._send("put", path, body, raw=raw)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api{path}", headers=self.headers)


def fields(response: Any) -> dict[tuple[Any, ...], str]:
    """A 422 body as {loc: type}, to assert which fields were refused and why."""
    assert response.status_code == 422, response.content
    return {tuple(issue["loc"]): issue["type"] for issue in response.json()["detail"]}
