"""Optimistic concurrency: every mutable resource has an ETag, and changes need If-Match."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from luoshi.errors import PreconditionRequired, StaleEtag


def check_if_match(if_match: str | None, current: str) -> None:
    if not if_match:
        raise PreconditionRequired(
            "Send the ETag you read in If-Match, so you do not overwrite someone else's change",
            "请在 If-Match 中提供读取时的 ETag，以免覆盖他人的修改",
        )
    offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in offered and current not in offered:
        raise StaleEtag(
            f"If-Match {if_match} does not match the current {current}",
            "资源已被他人修改，请重新读取后再提交",
            current_etag=current,
        )


def etag(kind: str, resource_id: int, version: int) -> str:
    """The strong ETag of version `version` of resource `kind`/`resource_id`: `"plan-4-v7"`."""
    return f'"{kind}-{resource_id}-v{version}"'


def row_etag(kind: str, row: Any) -> str:
    """`etag` of a row that has `id` and `version`, read as attributes (ORM rows) or keys (records, dicts)."""
    if isinstance(row, Mapping):
        return etag(kind, row["id"], row["version"])
    return etag(kind, row.id, row.version)
