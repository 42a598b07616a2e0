"""Schemathesis hook for test_fuzz.py (loaded through SCHEMATHESIS_HOOKS).

A write guarded by If-Match gets the resource's current ETag in place of the generated one, so generated
bodies reach the update handlers instead of stopping at 412 every time. A request without If-Match is left
alone: it still tests the 428.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import httpx
import schemathesis

_client = httpx.Client(timeout=30)


def _resource_path(case: Any) -> str | None:
    """The path up to its last {parameter}: /v1/assignments/{assignment_id}/transitions -> /v1/assignments/7."""
    segments = case.path.split("/")
    params = [i for i, s in enumerate(segments) if s.startswith("{")]
    if not params:
        return None
    values = {k: quote(str(v), safe="") for k, v in (case.path_parameters or {}).items()}
    try:
        return "/".join(segments[: params[-1] + 1]).format(**values)
    except (KeyError, IndexError, ValueError):
        return None


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if case.method.upper() not in ("PATCH", "PUT", "POST", "DELETE") or not case.headers:
        return
    if "if-match" not in case.headers or (path := _resource_path(case)) is None:
        return
    base = case.operation.schema.get_base_url().rstrip("/")
    try:
        response = _client.get(f"{base}{path}", headers={"Authorization": f"Bearer {os.environ['LUOSHI_FUZZ_TOKEN']}"})
    except httpx.HTTPError:
        return
    if response.status_code == 200 and (etag := response.headers.get("etag")):
        case.headers["If-Match"] = etag
