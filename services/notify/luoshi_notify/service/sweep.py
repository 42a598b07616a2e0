"""The sweep: read the deadlines around today from tasks-api, decide which reminders, urgings and escalations
are due, and store one notification per recipient and channel — before anything is sent.

Any number of notify processes may sweep at once: each notification's key is deterministic (rule,
occurrence, recipient, channel) and unique in the table, so a second sweep, or one after a crash, adds nothing.
An advisory lock still lets only one process do the work at a time, to spare tasks-api.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.clock import Clock
from luoshi.contracts.notify import DeadlineWire, UserWire
from luoshi.deadlines import deadline_adapter, occurrences
from luoshi.workdays import add_workdays, workdays_between
from luoshi_notify.models import Notification
from luoshi_notify.planning import (
    Planned,
    Preferences,
    due_dates_with_notices,
    next_allowed,
    next_digest_at,
    office_zone,
    plan_for,
    render,
    route,
    send_at,
)
from luoshi_notify.planning import RuleSet as Rules
from luoshi_notify.planning.rules import SILENT_ASSIGNMENT_STATES
from luoshi_notify.repository.bulletins import BulletinRepository
from luoshi_notify.repository.channels import ChannelRepository
from luoshi_notify.repository.cursors import CursorRepository
from luoshi_notify.repository.notifications import NotificationRepository, addressed, notification_row
from luoshi_notify.repository.rules import RuleSetRepository
from luoshi_notify.service.rules import all_preferences

SWEEP_LOCK = 0x6E6F7469  # "noti"
LOOK_BACK_DAYS = 60  # urging and escalation of deadlines up to two months past
LOOK_AHEAD_DAYS = 16  # at least this far ahead; further when the rules' first reminder is (see _last_due_date)
SWEEP_CURSOR = "sweep"  # notify.cursor row: the last day a sweep finished (date ordinal)
DEADLINE_PAGE = 2000  # tasks-api's bulk page size for this feed
T = TypeVar("T")


@dataclass
class People:
    """The accounts that hear about deadlines: the whole user directory, read from tasks-api once per sweep
    (a few pages for a county; far fewer calls than asking per unit). Unit names, heads' e-mail and the office
    travel with each deadline."""

    tasks: Any
    units: dict[int, list[UserWire]] = field(default_factory=dict)
    accounts: dict[int, UserWire] = field(default_factory=dict)
    loaded: bool = False

    async def load(self) -> None:
        if self.loaded:
            return
        async for user in self.tasks.all_users():
            if user.is_active:
                self.accounts[user.id] = user
                if user.unit_id is not None:
                    self.units.setdefault(user.unit_id, []).append(user)
        self.loaded = True

    def recipients(self, due: DeadlineWire, *, escalate: bool) -> list[tuple[UserWire, str]]:
        """Each account a notice reaches, once, with why: the unit's users; for an escalation also the office's
        users and the leading-group members in charge of the unit (分管领导)."""
        candidates = [(u, "unit") for u in self.units.get(due.unit_id, [])]
        if escalate:
            if due.office_unit_id is not None:
                candidates += [(u, "office") for u in self.units.get(due.office_unit_id, [])]
            # an id missing from the directory: no such account, or not active
            candidates += [(self.accounts[i], "leader") for i in due.leader_user_ids if i in self.accounts]
        unique: dict[int, tuple[UserWire, str]] = {}
        for user, why in candidates:
            unique.setdefault(user.id, (user, why))
        return list(unique.values())


def _context(due: DeadlineWire, planned: Planned, today: date, unit_name: str, office_name: str) -> dict[str, Any]:
    urge = planned.occurrence.removeprefix("urge-") if planned.occurrence.startswith("urge-") else "1"
    return {
        "task_title": due.task_title or "",
        "plan_title": due.plan_title or "",
        "due_on": due.due_on.isoformat(),
        "unit_name": unit_name,
        "office_name": office_name or "办公室",
        "workdays_left": workdays_between(today, due.due_on) if due.due_on > today else 0,
        "overdue_workdays": workdays_between(due.due_on, today) if today > due.due_on else 0,
        "urge_count": urge,
        "period": f"{due.due_on.year}年{due.due_on.month}月",
        "occurrence": planned.occurrence,
    }


def _last_due_date(today: date, rule_sets: list[Rules]) -> date:
    """The furthest due date a reminder sent today can be for. Counted in working days on the calendar: the
    first reminder of 2027's 8-day Spring Festival, 7 working days ahead on 4 February, is for the 22nd."""
    ahead = max(max((*r.remind_before_workdays, *r.report_remind_before_workdays), default=0) for r in rule_sets)
    return max(today + timedelta(days=LOOK_AHEAD_DAYS), add_workdays(today, ahead))


class Sweeper:
    def __init__(self, session: AsyncSession, tasks: Any, clock: Clock) -> None:
        self.session = session
        self.tasks = tasks
        self.clock = clock
        self.repo = NotificationRepository(session)
        self.cursors = CursorRepository(session)

    async def run(self, *, wait: bool = False, full: bool = False) -> dict[str, Any]:
        """Sweep unless another process is at it (then skip; `wait` queues behind it instead).

        `full` looks at every notice still within catch-up, not only those due since the last sweep: for
        deadlines entered after today's sweep with moments already passed (a table imported with past dates,
        an extension refused late). Keys are deterministic, so nothing already planned is planned again."""
        if not await self.cursors.lock(SWEEP_LOCK, wait=wait):
            return {"skipped": "another process is sweeping"}
        today = self.clock.today()
        rules_by_plan = {
            r.plan_id: (Rules.model_validate(r.rules), r.unit_daily_cap)
            for r in await RuleSetRepository(self.session).all()
        }
        default = rules_by_plan.get(0, (Rules(), 20))
        self.caps = {plan: cap for plan, (_, cap) in rules_by_plan.items()}
        self.default_cap = default[1]
        self.day_start = datetime.combine(today, time(0), self.clock.tz)
        # messages already planned today per unit, for its daily cap; this sweep counts on from there
        self.unit_counts: dict[int, int] = await self.repo.sent_today_by_unit(self.day_start)
        prefs = await all_preferences(self.session)
        people = People(self.tasks)
        since = None if full else await self._since(today)
        self.groups = [
            c
            for c in await ChannelRepository(self.session).enabled()
            if c.kind in ("webhook", "wecom", "dingtalk", "feishu")
        ]
        seen = planned_count = created = notifications = 0
        rule_sets = list({id(r): r for r, _cap in [*rules_by_plan.values(), default]}.values())
        start, end = today - timedelta(days=LOOK_BACK_DAYS), _last_due_date(today, rule_sets)
        dates = due_dates_with_notices(rule_sets, start, end, today, since)
        # Three things overlap: tasks-api reads the next page (and its people), notify words this one, and
        # PostgreSQL stores the last.
        storing: asyncio.Future[int] | None = None
        pages = self._planned_pages(start, end, dates, rules_by_plan, default, today, since, people)
        try:
            async for seen_now, work in _read_ahead(pages):
                seen += seen_now
                if not work:
                    continue
                rows: list[dict[str, Any]] = []
                for wire, rules, planned_list in work:
                    for planned in planned_list:
                        planned_count += 1
                        rows.extend(self._rows(wire, planned, rules, prefs, people, today))
                notifications += len(rows)
                if storing is not None:
                    created += await storing
                storing = asyncio.ensure_future(self.repo.insert_many(rows))
            if storing is not None:
                created += await storing
                storing = None
        finally:
            if storing is not None:  # the sweep failed: let the insert end before the transaction is rolled back
                with contextlib.suppress(Exception):
                    await storing
        await self._mark_swept(today)
        digests = await assemble_digests(self.session, self.clock.now(), prefs, self.clock.tz)
        bulletins = await self._bulletins(await self._report_periods(today))
        return {
            "deadlines": seen,
            "planned": planned_count,
            "notifications": notifications,
            "new": created,
            "bulletins": bulletins,
            "digests": digests,
            "day": today.isoformat(),
        }

    async def _since(self, today: date) -> date | None:
        """The first day whose notices this sweep looks at: the day after the last finished sweep, or today
        if one already finished today. None without a usable mark (first sweep, or the clock went back)."""
        last = await self.cursors.position(SWEEP_CURSOR)
        if not last:
            return None
        last_day = date.fromordinal(last)
        if last_day > today:
            return None
        return today if last_day == today else last_day + timedelta(days=1)

    async def _mark_swept(self, today: date) -> None:
        await self.cursors.put(SWEEP_CURSOR, today.toordinal())

    async def _planned_pages(
        self,
        start: date,
        end: date,
        dates: list[date],
        rules_by_plan: dict[int, tuple[Rules, int]],
        default: tuple[Rules, int],
        today: date,
        since: date | None,
        people: People,
    ) -> AsyncIterator[tuple[int, list[tuple[DeadlineWire, Rules, list[Planned]]]]]:
        """Each page of deadlines with a notice due: (deadlines read, [(deadline, rules, its notices)]), with
        the people those notices reach already fetched."""
        silent = sorted(SILENT_ASSIGNMENT_STATES - {"closed"})  # tasks-api never lists closed ones
        async for page in self.tasks.deadline_pages(
            start, end, on=dates, exclude_states=silent, page_size=DEADLINE_PAGE
        ):
            work = []
            for wire in page:
                rules, _cap = rules_by_plan.get(wire.plan_id, default)
                planned = plan_for(wire, rules, today, since)  # type: ignore[arg-type]
                if planned:
                    work.append((wire, rules, planned))
            if work:
                await people.load()
            yield len(page), work

    async def _report_periods(self, today: date) -> set[tuple[int, date]]:
        """Reporting deadlines of active plans in the past week, whose bulletins are due."""
        periods = set()
        for plan in await self.tasks.active_plans():
            if plan.report_schedule:
                schedule = deadline_adapter.validate_python(plan.report_schedule)
                for due_on in occurrences(schedule, today - timedelta(days=7), today - timedelta(days=1)):
                    periods.add((plan.id, due_on))
        return periods

    async def _bulletins(self, periods: set[tuple[int, date]]) -> int:
        """The day after a reporting deadline (or the first sweep within a week of it), its bulletin."""
        from luoshi_notify.service.bulletins import BulletinService

        if not periods:
            return 0
        missing = sorted(periods - await BulletinRepository(self.session).existing_periods(periods))
        for plan_id, due_on in missing:
            await BulletinService(self.session, None, self.tasks, self.clock).compile(plan_id, due_on)
        return len(missing)

    def _rows(
        self,
        due: DeadlineWire,
        planned: Planned,
        rules: Rules,
        prefs: dict[int, Preferences],
        people: People,
        today: date,
    ) -> list[dict[str, Any]]:
        recipients = people.recipients(due, escalate=planned.escalate)
        head_emails = due.unit_head_emails if planned.escalate else []
        office_name = (due.office_name or "") if planned.escalate and due.office_unit_id is not None else ""
        tz = office_zone(rules, self.clock.tz)
        at = send_at(planned, rules, self.clock.tz)
        context = _context(due, planned, today, due.unit_name or "", office_name)
        cap = self.caps.get(due.plan_id, self.default_cap)
        rows = []
        for user, why in recipients:
            pref = prefs.get(user.id, Preferences())
            message = render(planned.rule, pref.language, context)
            when = next_allowed(max(at, self.clock.now().astimezone(tz)), pref, tz, urgent=planned.escalate)
            for channel, address in addressed(user, pref.channels):
                status = "pending"
                if channel != "inbox":  # the inbox disturbs nobody: only messages count against the cap
                    sent = self.unit_counts.get(due.unit_id, 0)
                    if route(pref, sent, cap, planned.escalate) == "digest":
                        status = "digest"
                    else:
                        self.unit_counts[due.unit_id] = sent + 1
                rows.append(
                    self._row(
                        due,
                        planned,
                        f"user:{user.id}",
                        channel,
                        message,
                        lang=pref.language,
                        recipient_user_id=user.id,
                        address=address,
                        status=status,
                        send_after=when,
                        payload={"why": why, **context},
                    )
                )
        zh = render(planned.rule, "zh", context)
        for group in self.groups:  # webhooks and group robots: one message per planned notice, not per person
            plans, kinds = group.scope.get("plan_ids"), group.scope.get("kinds")
            if (plans and due.plan_id not in plans) or (kinds and planned.rule not in kinds):
                continue
            # Keys travel as e-mail Message-IDs and HTTP headers, so they stay ASCII: the channel's id, not name.
            rows.append(
                self._row(
                    due,
                    planned,
                    f"channel:{group.id}",
                    group.name,
                    zh,
                    key_channel="group",
                    send_after=at,
                    payload={"why": "group", **context},
                )
            )
        for email in head_emails:  # the unit head, named in the unit's contacts
            rows.append(
                self._row(
                    due,
                    planned,
                    f"head:{email}",
                    "email",
                    zh,
                    address=email,
                    send_after=at,
                    payload={"why": "head", **context},
                )
            )
        return rows

    @staticmethod
    def _row(
        due: DeadlineWire,
        planned: Planned,
        recipient: str,
        channel: str,
        message: Any,
        *,
        key_channel: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        return notification_row(
            key=planned.key(recipient, key_channel or channel),
            rule=planned.rule,
            kind=planned.rule,
            message=message,
            channel=channel,
            plan_id=due.plan_id,
            task_id=due.task_id,
            assignment_id=due.assignment_id,
            unit_id=due.unit_id,
            **fields,
        )


async def _read_ahead(pages: AsyncIterator[T]) -> AsyncIterator[T]:
    """Fetch the next page while the caller works on this one: tasks-api and notify run side by side."""
    pending = asyncio.ensure_future(anext(pages))
    try:
        while True:
            try:
                page = await pending
            except StopAsyncIteration:
                return
            pending = asyncio.ensure_future(anext(pages))
            yield page
    finally:
        if not pending.done():
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending


async def assemble_digests(session: AsyncSession, now: datetime, prefs: dict[int, Preferences], zone: ZoneInfo) -> int:
    """Gather each recipient's held notices (digest preference, or over the unit's cap) into one message per
    channel, sent at their digest hour; the held ones become `digested`. Keyed per user, channel and day, so a
    second sweep the same day adds the newly held notices to a new digest only if the first was already sent."""
    repo = NotificationRepository(session)
    held = await repo.held_for_digest()
    groups: dict[tuple[int | None, str, str | None], list[Notification]] = {}
    for n in held:
        groups.setdefault((n.recipient_user_id, n.channel, n.address), []).append(n)
    rows = []
    for (user_id, channel, address), items in groups.items():
        pref = prefs.get(user_id or 0, Preferences())
        when = next_digest_at(now, pref, zone)
        day = when.astimezone(zone).date().isoformat()
        message = render(
            "digest",
            pref.language,
            {"recipient": "", "date": day, "count": len(items), "items": [n.subject for n in items]},
        )
        key = f"digest:user:{user_id}:{channel}:{day}:{items[0].id}"
        rows.append(
            notification_row(
                key=key,
                rule="digest",
                kind="digest",
                message=message,
                channel=channel,
                lang=pref.language,
                recipient_user_id=user_id,
                address=address,
                unit_id=items[0].unit_id,
                payload={"notifications": [n.id for n in items]},
                send_after=when,
            )
        )
        await repo.mark_digested([n.id for n in items], key)
    await repo.insert_many(rows)
    return len(rows)
