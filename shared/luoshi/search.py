"""Search by text (`?q=`): any part of a Chinese text, served by pg_trgm GIN indexes.

Chinese has no spaces between words, so a full-text parser finds no words to index; a trigram index answers
`LIKE '%质监%'` for any substring. Three or more characters use the index fully; one or two still answer, from
the same index read whole. The pattern is escaped, so `%` and `_` in a query are themselves.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

SearchQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Text the item contains (any part, e.g. 质监 or 品牌建设); case-insensitive",
        examples=["品牌"],
    ),
]


def contains_pattern(q: str) -> str:
    """The `ILIKE` pattern of "contains `q`", with LIKE's own characters escaped (default escape `\\`)."""
    escaped = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
