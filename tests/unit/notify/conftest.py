"""The schedule cache of `luoshi_notify.planning.rules` is emptied at the start of each session: `make mutate`
runs each mutant in a fork of a process that has run these tests already, and a schedule cached there is the
unmutated code's, which would let every mutant of `_schedule` pass."""

from __future__ import annotations

import pytest

from luoshi_notify.planning import rules


@pytest.fixture(scope="session", autouse=True)
def _schedules_afresh() -> None:
    rules._caches.clear()
    rules._last = None
