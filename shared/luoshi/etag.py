"""Optimistic concurrency: every mutable resource has an ETag, and changes need If-Match.

The one set of helpers of all three services: a row's ETag is `"{kind}-{id}-v{version}"` (`etag`, `row_etag`,
`etag_for`); a change takes the `If-Match` header (`IfMatch`) and `check_if_match` answers 428
(`if_match_required`) without it and 412 (`stale_etag`, with the current ETag) when it is stale.

`If-Match: *` ("whatever is there now") is refused like a missing header: it is how a client overwrites what it
never read, which is the lost update the header exists to stop (the probe of issue 14 rewrote another office's
reminder rules with it). ETags are version stamps, not secrets: who may change a resource is decided by the
authorization policy, and a change needs the version the caller read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Annotated, Any

from fastapi import Header

from luoshi.errors import PreconditionRequired, StaleEtag
from luoshi.openapi import REQUIRED_HEADER_MARK

# The `If-Match` header of a route that changes a resource: `if_match: IfMatch = None`. Optional to FastAPI, so a
# missing one reaches check_if_match and is our 428; required in the OpenAPI document (luoshi.openapi), since
# every call without it fails.
IfMatch = Annotated[
    str | None,
    Header(
        description="The ETag you read; without it 428, stale 412",
        json_schema_extra={REQUIRED_HEADER_MARK: True},
    ),
]
# Where a change may also come first, before there is anything to have read (a plan's first notify rules).
IfMatchOptional = Annotated[str | None, Header(description="The ETag you read, once there is one; stale 412")]


def check_if_match(if_match: str | None, current: str) -> None:
    offered = {tag.strip().removeprefix("W/") for tag in (if_match or "").split(",")} - {""}
    if not offered or "*" in offered:
        raise PreconditionRequired(
            "Send the ETag you read in If-Match (not *), so you do not overwrite someone else's change",
            "请在 If-Match 中提供读取时的 ETag（不接受 *），以免覆盖他人的修改",
        )
    if current not in offered:
        raise StaleEtag(
            f"If-Match {if_match} does not match the current {current}",
            "资源已被他人修改，请重新读取后再提交",
            current_etag=current,
        )


def etag(kind: str, resource_id: int, version: int) -> str:
    """The strong ETag of version `version` of resource `kind`/`resource_id`: `"plan-4-v7"`."""
    return f'"{kind}-{resource_id}-v{version}"'


def row_etag(kind: str, row: Any) -> str:
    """`etag` of a row that has `id` and `version`, read as attributes (ORM rows, models) or keys (dicts,
    asyncpg records)."""
    if isinstance(row, Mapping) or not hasattr(row, "version"):
        return etag(kind, row["id"], row["version"])
    return etag(kind, row.id, row.version)


def etag_for(kind: str) -> Callable[[Any], str]:
    """`row_etag` of one kind of row, for a module to name: `plan_etag = etag_for("plan")`."""
    return partial(row_etag, kind)
