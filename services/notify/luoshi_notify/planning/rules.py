"""When to remind (提醒), urge (催办) and escalate (督办): the office's rules and the pure planner.

`plan_for(due, rules, today)` turns one deadline occurrence, as tasks-api's `/v1/deadlines` reports it, into
the notifications whose moment has come by `today`. It does no I/O; the sweep calls it for every occurrence
in its window, every day, and dedupes on `Planned.key(recipient, channel)`, so calling it twice, or after a
sweep missed days, never sends anything twice.

Every count is in working days on the official PRC calendar (`luoshi.workdays`, 调休 make-up days included):

* ``remind`` "before-N" — N working days before the due date: ``add_workdays(due_on, -N)``, so for a task due
  on Friday 2026-10-09, "3 working days before" is Tuesday 2026-09-29 (the National Day week does not count).
* ``due_today`` "due" — on the due date when it is a working day, else on the last working day before it (a
  reminder on a Sunday reaches nobody). When the due date is not a working day that is also the day of
  "before-1"; the due-day reminder then replaces it.
* ``urge`` "urge-K" — K × ``urge_every_workdays`` working days after the due date, K = 1..``urge_max``.
* ``escalate`` "escalate" — ``escalate_after_workdays`` working days after the due date, once, to the unit's
  head, the office and the leading-group member (``Planned.escalate``).
* ``report_remind`` "before-N" — N working days before a reporting deadline (每月30日).

Catch-up: a sweep returns every notification whose ``send_on`` is on or before ``today``, with its original
``send_on``, so a sweep that missed days still sends what it missed. The sweep remembers the last day it
finished (``since``, the day after it, or today for another sweep the same day): moments before ``since``
were planned by an earlier sweep and are not looked at again, which keeps a day's sweep to the deadlines
with a notice due that day (``due_dates_with_notices``). A notification whose moment has passed by
more than ``catch_up_workdays`` working days is stale noise and is dropped, and so is any reminder once the
deadline has passed (a "due in 3 days" message sent after the due date would be wrong). Escalation is the
exception: once the task is overdue long enough it is always produced.

Nothing is produced for assignments that are closed or whose completion is awaiting confirmation, nor for a
reporting occurrence that has already been submitted or accepted.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from luoshi import workdays
from luoshi.workdays import add_workdays, is_workday, workdays_between

RuleName = Literal["remind", "due_today", "urge", "escalate", "report_remind"]

SILENT_ASSIGNMENT_STATES = frozenset({"closed", "completion_requested"})
"""Assignment states that get no reminders, urgings or escalations."""
SILENT_REPORT_STATES = frozenset({"submitted", "accepted"})
"""Reporting-occurrence states (when tasks-api reports one) that get no reminders."""

_Offsets = Annotated[tuple[Annotated[int, Field(ge=1, le=250)], ...], Field(max_length=20)]


class RuleSet(BaseModel):
    """An office's reminder rules. Immutable: build a new one (or `model_copy(update=...)`) to change it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    remind_before_workdays: _Offsets = Field(
        default=(7, 3, 1),
        description="Remind the responsible unit this many working days before an assignment's deadline",
    )
    remind_on_the_day: bool = Field(
        default=True,
        description="Remind on the due date (the last working day before it when it is not a working day)",
    )
    urge_every_workdays: int = Field(
        default=3, ge=1, le=60, description="After the deadline, urge (催办) every this many working days"
    )
    urge_max: int = Field(default=5, ge=0, le=50, description="At most this many urgings per deadline")
    escalate_after_workdays: int = Field(
        default=5,
        ge=1,
        le=250,
        description="Escalate (督办) once to the unit head, the office and the leading group after this many "
        "working days overdue",
    )
    report_remind_before_workdays: _Offsets = Field(
        default=(3, 1), description="Remind this many working days before each reporting deadline (每月30日)"
    )
    catch_up_workdays: int = Field(
        default=2,
        ge=0,
        le=60,
        description="A sweep that missed days still sends what it missed, unless its moment passed more than "
        "this many working days ago (escalations are always sent)",
    )
    send_hour: int = Field(default=9, ge=0, le=23, description="Local hour at which planned sends go out")
    timezone: str | None = Field(
        default=None, description="IANA time zone of the office; unset means the service's TIMEZONE setting"
    )

    @field_validator("remind_before_workdays", "report_remind_before_workdays")
    @classmethod
    def _distinct_descending(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(set(v), reverse=True))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {v!r}") from e
        return v


class Due(BaseModel):
    """One deadline occurrence as tasks-api's `/v1/deadlines` reports it (`DeadlineItem`; extra fields ignored)."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["assignment", "report"]
    key: str = Field(description="Stable identity of the occurrence, e.g. assignment:12:2026-11-30")
    due_on: date
    plan_id: int
    task_id: int | None = None
    assignment_id: int | None = None
    unit_id: int
    state: str | None = None


class Planned(BaseModel):
    """One notification the planner wants sent; `key()` is its idempotency key per recipient and channel."""

    model_config = ConfigDict(frozen=True)

    rule: RuleName
    occurrence: str = Field(description='Which one of the rule: "before-3", "due", "urge-2", "escalate"')
    send_on: date = Field(description="The working day it is meant for (kept when a sweep catches up)")
    due_key: str
    unit_id: int
    escalate: bool = Field(description="Goes to the unit head, the office and the leading-group member too")

    def key(self, recipient: str, channel: str) -> str:
        return f"{self.rule}:{self.due_key}:{self.occurrence}:{recipient}:{channel}"


class _Step(NamedTuple):
    rule: RuleName
    occurrence: str
    send_on: date
    escalate: bool


# --- the schedule, cached per (rules, kind, due date, today) ---------------------------------------------

_CACHE_LIMIT = 1 << 16
_caches: dict[tuple[object, ...], dict[tuple[str, date, date], tuple[_Step, ...]]] = {}
_last: tuple[RuleSet, int, dict[tuple[str, date, date], tuple[_Step, ...]]] | None = None


def _fingerprint(rules: RuleSet) -> tuple[object, ...]:
    return (
        rules.remind_before_workdays,
        rules.remind_on_the_day,
        rules.urge_every_workdays,
        rules.urge_max,
        rules.escalate_after_workdays,
        rules.report_remind_before_workdays,
        rules.catch_up_workdays,
        workdays.generation(),  # a calendar installed since (a year loaded or changed) makes every step stale
    )


def _cache_for(rules: RuleSet) -> dict[tuple[str, date, date], tuple[_Step, ...]]:
    # RuleSet is frozen with tuple fields, so the same object always means the same rules; holding it in
    # `_last` keeps its id from being reused.
    global _last
    last, generation = _last, workdays.generation()
    if last is not None and last[0] is rules and last[1] == generation:
        return last[2]
    fp = _fingerprint(rules)
    cache = _caches.get(fp)
    if cache is None:
        if len(_caches) >= 64:
            _caches.clear()
        cache = _caches[fp] = {}
    _last = (rules, generation, cache)
    return cache


def due_day(due_on: date) -> date:
    """The day of the due-day reminder: the due date, or the last working day before it."""
    return due_on if is_workday(due_on) else add_workdays(due_on, -1)


def _schedule(rules: RuleSet, kind: str, due_on: date, today: date) -> tuple[_Step, ...]:
    def fresh(send_on: date) -> bool:
        return send_on <= today and workdays_between(send_on, today) <= rules.catch_up_workdays

    steps: list[_Step] = []
    if kind == "report":
        if today <= due_on:
            for n in rules.report_remind_before_workdays:
                send_on = add_workdays(due_on, -n)
                if fresh(send_on):
                    steps.append(_Step("report_remind", f"before-{n}", send_on, False))
        return tuple(steps)

    if today <= due_on:
        on_the_day = due_day(due_on)
        for n in rules.remind_before_workdays:
            send_on = add_workdays(due_on, -n)
            if rules.remind_on_the_day and send_on == on_the_day:
                continue  # a non-working due date: the due-day reminder takes this day
            if fresh(send_on):
                steps.append(_Step("remind", f"before-{n}", send_on, False))
        if rules.remind_on_the_day and fresh(on_the_day):
            steps.append(_Step("due_today", "due", on_the_day, False))
        return tuple(steps)

    for k in range(1, rules.urge_max + 1):
        send_on = add_workdays(due_on, k * rules.urge_every_workdays)
        if send_on > today:
            break
        if fresh(send_on):
            steps.append(_Step("urge", f"urge-{k}", send_on, False))
    escalate_on = add_workdays(due_on, rules.escalate_after_workdays)
    if escalate_on <= today:
        steps.append(_Step("escalate", "escalate", escalate_on, True))
    steps.sort(key=lambda s: s.send_on)
    return tuple(steps)


def _steps(rules: RuleSet, kind: str, due_on: date, today: date) -> tuple[_Step, ...]:
    cache = _cache_for(rules)
    ck = (kind, due_on, today)
    steps = cache.get(ck)
    if steps is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        steps = cache[ck] = _schedule(rules, kind, due_on, today)
    return steps


def due_dates_with_notices(
    rule_sets: list[RuleSet], start: date, end: date, today: date, since: date | None
) -> list[date]:
    """The due dates in [start, end] for which some rule set has a notice with `since` ≤ `send_on` ≤ `today`:
    the sweep asks tasks-api for the deadlines on these dates only (a superset; `plan_for` decides)."""
    dates = []
    day = start
    while day <= end:
        if any(
            s.send_on >= since if since else True
            for rules in rule_sets
            for kind in ("assignment", "report")
            for s in _steps(rules, kind, day, today)
        ):
            dates.append(day)
        day += timedelta(days=1)
    return dates


def plan_for(due: Due, rules: RuleSet, today: date, since: date | None = None) -> list[Planned]:
    """The notifications for this occurrence whose `send_on` ≤ `today` (and ≥ `since`, if given) and that still
    apply (module doc).

    `due` may be a `Due` or any object with the same attributes (tasks-api's `DeadlineItem`). Fast: the
    calendar work is cached per rules, kind, due date and day, so a sweep over many occurrences sharing
    due dates costs a dictionary lookup each.
    """
    kind = due.kind
    if due.state in (SILENT_ASSIGNMENT_STATES if kind == "assignment" else SILENT_REPORT_STATES):
        return []
    steps = _steps(rules, kind, due.due_on, today)
    if since is not None:
        steps = tuple(s for s in steps if s.send_on >= since)
    if not steps:
        return []
    due_key, unit_id = due.key, due.unit_id
    # validating construction is faster than `model_construct` in pydantic 2 (the core validator is compiled)
    return [
        Planned(
            rule=s.rule,
            occurrence=s.occurrence,
            send_on=s.send_on,
            due_key=due_key,
            unit_id=unit_id,
            escalate=s.escalate,
        )
        for s in steps
    ]


def full_schedule(due_on: date, rules: RuleSet, kind: Literal["assignment", "report"] = "assignment") -> list[Planned]:
    """Every notification an open occurrence due on `due_on` would get, ignoring catch-up (for previews)."""
    last = add_workdays(due_on, max(rules.escalate_after_workdays, rules.urge_every_workdays * rules.urge_max))
    full = rules.model_copy(update={"catch_up_workdays": 10_000})
    seen: dict[tuple[str, str], Planned] = {}
    # reminders are produced only up to the due date, the rest after it: ask on both sides
    for today in (due_on, last):
        for p in plan_for(Due(kind=kind, key="preview", due_on=due_on, plan_id=0, unit_id=0), full, today):
            seen.setdefault((p.rule, p.occurrence), p)
    return sorted(seen.values(), key=lambda p: p.send_on)


def office_zone(rules: RuleSet, service_zone: ZoneInfo) -> ZoneInfo:
    """The plan's own zone if its rules name one, else the service's TIMEZONE."""
    return ZoneInfo(rules.timezone) if rules.timezone else service_zone


def send_at(planned: Planned, rules: RuleSet, service_zone: ZoneInfo) -> datetime:
    """The moment a planned notification is meant to go out: `send_hour` local on its `send_on`.

    A caught-up notification's moment is in the past: the caller sends it at once (after quiet hours).
    """
    return datetime.combine(planned.send_on, time(rules.send_hour), tzinfo=office_zone(rules, service_zone))
