"""Keeps this process's working-day calendar (`luoshi.workdays`) the one tasks-api holds.

Each service gives a loader (tasks-api reads its database, the others ask tasks-api) and the keeper installs
what it loads: at start-up, when told the calendar changed (`calendar.changed`), and every `refresh_seconds`
in case such a notice was missed. From 1 November it warns once a day while next year is still provisional.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import date

from prometheus_client import Gauge

from luoshi import workdays
from luoshi.clock import Clock
from luoshi.logging import get_logger
from luoshi.metrics import REGISTRY

log = get_logger("luoshi.calendar")

LAST_OFFICIAL_YEAR = Gauge(
    "luoshi_calendar_last_official_year",
    "The last year whose holidays were loaded from the State Council's notice; later years count Monday to Friday",
    ["service"],
    registry=REGISTRY,
)

Loader = Callable[[], Awaitable[workdays.WorkdayCalendar]]


class CalendarKeeper:
    def __init__(self, service: str, load: Loader, clock: Clock, refresh_seconds: float) -> None:
        self.service = service
        self.load = load
        self.clock = clock
        self.refresh_seconds = refresh_seconds
        self.loaded_at: float | None = None
        self.stale = True
        self._warned_on: date | None = None
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        return self.loaded_at is not None

    def mark_stale(self) -> None:
        """The calendar changed (a `calendar.changed` event): the next `ensure()` loads it again."""
        self.stale = True

    async def refresh(self) -> bool:
        """Load and install the calendar; True when it differed from the one installed."""
        async with self._lock:
            calendar = await self.load()
            changed = calendar != workdays.installed()
            if changed:
                workdays.install(calendar)
            self.loaded_at, self.stale = time.monotonic(), False
        self.observe(calendar)
        return changed

    async def ensure(self) -> None:
        """Refresh when never loaded, told it changed, or older than `refresh_seconds`; raises while the source
        is unreachable and nothing was ever loaded (work that counts working days waits for it)."""
        due = self.loaded_at is None or self.stale or time.monotonic() - self.loaded_at >= self.refresh_seconds
        if not due:
            return
        try:
            await self.refresh()
        except Exception as exc:
            if self.loaded_at is None:
                raise
            log.warning("calendar_refresh_failed", service=self.service, error=repr(exc)[:300])

    def observe(self, calendar: workdays.WorkdayCalendar) -> None:
        last = max(calendar.official_years, default=0)
        LAST_OFFICIAL_YEAR.labels(self.service).set(last)
        today = self.clock.today()
        if today.month >= 11 and today.year + 1 not in calendar.official_years and self._warned_on != today:
            self._warned_on = today
            log.warning(
                "calendar_next_year_provisional",
                year=today.year + 1,
                last_official_year=last or None,
                hint="load the State Council's holiday notice: POST /v1/calendar/notices, then PUT /v1/calendar/{year}",
            )

    async def run(self) -> None:
        """Refresh every `refresh_seconds` (sooner while failing) for the process's lifetime."""
        while True:
            try:
                await self.ensure()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("calendar_unavailable", service=self.service, error=repr(exc)[:300])
            await asyncio.sleep(min(self.refresh_seconds, 5) if self.loaded_at is None else self.refresh_seconds)
