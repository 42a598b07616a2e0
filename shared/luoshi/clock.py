"""The service's clock, so deadlines and traffic lights can be tested on a fixed day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The one place a zone is named: each service's TIMEZONE setting defaults to it, and everything that decides a day
# or an hour (lights, lateness, reminders, quiet hours, digests, bulletins, feeds) asks the service's clock.
DEFAULT_TIMEZONE = "Asia/Shanghai"


class Clock:
    def __init__(self, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.tz = ZoneInfo(timezone)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        """Today where the plan is carried out (the service's TIMEZONE), not in UTC."""
        return self.now().astimezone(self.tz).date()

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def day_window(self, first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
        """The moments from the start of local day `first` up to (not including) the start of the day after
        `last`, for filtering timestamps by days as the users count them; None where a bound is not given."""
        start = datetime.combine(first, time(), self.tz) if first else None
        end = datetime.combine(last + timedelta(days=1), time(), self.tz) if last else None
        return start, end


class FixedClock(Clock):
    def __init__(self, moment: datetime, timezone: str = DEFAULT_TIMEZONE) -> None:
        super().__init__(timezone)
        self.moment = moment

    def now(self) -> datetime:
        return self.moment
