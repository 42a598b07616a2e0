"""A recipient's preferences and the delivery policy: quiet hours, digests and the per-unit daily cap.

All functions are pure. Times come back timezone-aware in the office's zone; a naive `datetime` passed in is
read as local time in that zone.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_CHANNEL = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class Preferences(BaseModel):
    """How one person wants to be notified."""

    model_config = ConfigDict(extra="forbid")

    channels: list[str] = Field(
        default_factory=lambda: ["inbox", "email"], description="Channels to deliver on, e.g. inbox, email, sms"
    )
    quiet_start: time | None = Field(
        default=time(22), description="Start of quiet hours (local); nothing is delivered until quiet_end"
    )
    quiet_end: time | None = Field(
        default=time(7), description="End of quiet hours (local); may be earlier than quiet_start (spans midnight)"
    )
    digest: bool = Field(default=False, description="Collect non-urgent notices into one daily digest")
    digest_hour: int = Field(default=8, ge=0, le=23, description="Local hour at which the daily digest is sent")
    language: Literal["zh", "en"] = Field(default="zh", description="Language of messages")

    @field_validator("channels")
    @classmethod
    def _channels(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for c in v:
            c = c.strip().lower()
            if not _CHANNEL.match(c):
                raise ValueError(f"invalid channel name {c!r}")
            if c not in out:
                out.append(c)
        return out

    @model_validator(mode="after")
    def _quiet_pair(self) -> Preferences:
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValueError("quiet_start and quiet_end are set together or not at all")
        for t in (self.quiet_start, self.quiet_end):
            if t is not None and t.tzinfo is not None:
                raise ValueError("quiet hours are local times without a time zone")
        return self


def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _local(at: datetime, zone: tzinfo) -> datetime:
    return at.astimezone(zone) if at.tzinfo is not None else at.replace(tzinfo=zone)


def in_quiet_hours(t: time, prefs: Preferences) -> bool:
    """True when local time `t` falls in [quiet_start, quiet_end); the window may span midnight.

    Equal start and end, or no quiet hours, mean none.
    """
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def next_allowed(at: datetime, prefs: Preferences, tz: str | tzinfo, *, urgent: bool = False) -> datetime:
    """`at` itself, or the end of the quiet hours it falls in (the next morning when they span midnight).

    Escalations respect quiet hours too; only `urgent=True` sends straight away.
    """
    zone = _zone(tz)
    local = _local(at, zone)
    if urgent or not in_quiet_hours(local.time(), prefs):
        return local
    assert prefs.quiet_start is not None and prefs.quiet_end is not None
    day = local.date()
    if prefs.quiet_start > prefs.quiet_end and local.time() >= prefs.quiet_start:
        day += timedelta(days=1)  # late evening: quiet hours end tomorrow morning
    return datetime.combine(day, prefs.quiet_end, tzinfo=zone)


def route(
    prefs: Preferences, unit_sent_today: int, unit_daily_cap: int, urgent: bool = False
) -> Literal["send", "digest"]:
    """Send now, or hold for the digest.

    Urgent notices (escalations) are always sent. Otherwise a notice goes to the digest when the recipient
    prefers digests or when the unit has already been sent `unit_daily_cap` notices today; a cap of 0 or less
    means no cap.
    """
    if urgent:
        return "send"
    if prefs.digest:
        return "digest"
    if unit_daily_cap > 0 and unit_sent_today >= unit_daily_cap:
        return "digest"
    return "send"


def next_digest_at(now: datetime, prefs: Preferences, tz: str | tzinfo) -> datetime:
    """The next `digest_hour`:00 local strictly after `now`, moved out of quiet hours if it falls in them."""
    zone = _zone(tz)
    local = _local(now, zone)
    at = datetime.combine(local.date(), time(prefs.digest_hour), tzinfo=zone)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), time(prefs.digest_hour), tzinfo=zone)
    return next_allowed(at, prefs, zone)
