"""An iCalendar (.ics) feed of deadlines, for a unit's or a person's calendar app.

Each deadline is an all-day event on its due date with an alarm at 09:00 the day before. UIDs come from the
caller (e.g. the deadline occurrence's key) and are made globally unique by a ``@luoshi`` suffix, so calendar
apps update an event when its title or description changes instead of duplicating it. Pass `dtstamp` to get
byte-identical output for identical input (ETags); it defaults to now.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from pydantic import BaseModel, ConfigDict, Field

PRODID = "-//Luoshi//落实//ZH"
UID_DOMAIN = "luoshi"
ALARM_BEFORE = timedelta(hours=15)
"""Before the all-day event's start (00:00 on the due date): 09:00 the day before."""


class FeedEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    uid: str = Field(min_length=1, description="Stable identity, e.g. assignment:12:2026-11-30")
    summary: str
    description: str = ""
    due_on: date
    url: str | None = None


def _uid(uid: str) -> str:
    return uid if "@" in uid else f"{uid}@{UID_DOMAIN}"


def build_feed(name: str, events: Iterable[FeedEvent], zone: str, *, dtstamp: datetime | None = None) -> bytes:
    """The feed as iCalendar bytes (RFC 5545), events sorted by due date then UID."""
    stamp = (dtstamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone)
    for ev in sorted(events, key=lambda e: (e.due_on, e.uid)):
        event = Event()
        event.add("uid", _uid(ev.uid))
        event.add("dtstamp", stamp)
        event.add("dtstart", ev.due_on)
        event.add("dtend", ev.due_on + timedelta(days=1))
        event.add("summary", ev.summary)
        if ev.description:
            event.add("description", ev.description)
        if ev.url:
            event.add("url", ev.url)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", ev.summary)
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
