"""luoshi.etag, the one set of ETag helpers of all three services."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from luoshi.errors import PreconditionRequired, StaleEtag
from luoshi.etag import check_if_match, etag, etag_for, row_etag


class Record:
    """Keys only, like an asyncpg record."""

    def __init__(self, **values: int) -> None:
        self._values = values

    def __getitem__(self, key: str) -> int:
        return self._values[key]


def test_a_rows_etag_is_the_same_however_the_row_is_read():
    expected = '"plan-4-v7"'
    assert etag("plan", 4, 7) == expected
    assert row_etag("plan", SimpleNamespace(id=4, version=7)) == expected
    assert row_etag("plan", {"id": 4, "version": 7}) == expected
    assert row_etag("plan", Record(id=4, version=7)) == expected
    assert etag_for("plan")(SimpleNamespace(id=4, version=7)) == expected


def test_if_match_missing_is_428_and_stale_is_412_with_the_current_etag():
    current = etag("task", 1, 2)
    with pytest.raises(PreconditionRequired):
        check_if_match(None, current)
    with pytest.raises(StaleEtag) as stale:
        check_if_match('"task-1-v1"', current)
    assert stale.value.status == 412 and stale.value.extra["current_etag"] == current
    for offered in (current, f"W/{current}", f'"task-1-v1", {current}'):
        check_if_match(offered, current)


def test_if_match_star_is_refused_like_a_missing_etag():
    """`*` would let a client overwrite what it never read (issue 14: another office's rules, with `*`)."""
    current = etag("rules", 0, 3)
    for offered in ("*", " * ", f"*, {current}", "W/*", ""):
        with pytest.raises(PreconditionRequired):
            check_if_match(offered, current)
