"""The sweep: read the deadlines around today from tasks-api, decide which reminders, urgings and escalations
are due, and store one notification per recipient and channel — before anything is sent.

Any number of notify processes may sweep at once: each notification's key is deterministic (rule,
occurrence, recipient, channel) and unique in the table, so a second sweep, or one after a crash, adds nothing.
An advisory lock still lets only one process do the work at a time, to spare tasks-api.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.clock import Clock
from luoshi.contracts.notify import DeadlineWire, UserWire
from luoshi.workdays import workdays_between
from luoshi_notify.models import Channel, Notification, Preference, RuleSet
from luoshi_notify.planning import Due, Planned, Preferences, next_allowed, next_digest_at, plan_for, render, route
from luoshi_notify.planning import RuleSet as Rules
from luoshi_notify.repository.notifications import NotificationRepository, addressed, notification_row

SWEEP_LOCK = 0x6E6F7469  # "noti"
LOOK_BACK_DAYS = 60  # urging and escalation of deadlines up to two months past
LOOK_AHEAD_DAYS = 16  # the first reminder, 7 working days ahead, even across a long holiday
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class People:
    """Who hears about a unit's deadlines, fetched once per sweep."""

    tasks: Any
    units: dict[int, list[UserWire]] = field(default_factory=dict)
    heads: dict[int, list[str]] = field(default_factory=dict)
    offices: dict[int, int | None] = field(default_factory=dict)

    async def of_unit(self, unit_id: int) -> list[UserWire]:
        if unit_id not in self.units:
            self.units[unit_id] = [u for u in await self.tasks.unit_users(unit_id) if u.is_active]
        return self.units[unit_id]

    async def office_of(self, plan_id: int) -> int | None:
        if plan_id not in self.offices:
            self.offices[plan_id] = (await self.tasks.plan(plan_id)).office_unit_id
        return self.offices[plan_id]

    names: dict[int, str] = field(default_factory=dict)

    async def _unit(self, unit_id: int) -> None:
        unit = await self.tasks.unit(unit_id)
        self.heads[unit_id] = [c.email for c in unit.contacts if c.is_head and c.email]
        self.names[unit_id] = unit.short_name or unit.name

    async def head_emails(self, unit_id: int) -> list[str]:
        if unit_id not in self.heads:
            await self._unit(unit_id)
        return self.heads[unit_id]

    async def name_of(self, unit_id: int | None) -> str:
        if unit_id is None:
            return ""
        if unit_id not in self.names:
            await self._unit(unit_id)
        return self.names[unit_id]


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


class Sweeper:
    def __init__(self, session: AsyncSession, tasks: Any, clock: Clock) -> None:
        self.session = session
        self.tasks = tasks
        self.clock = clock
        self.repo = NotificationRepository(session)

    async def run(self, *, wait: bool = False) -> dict[str, Any]:
        """Sweep unless another process is at it (then skip; `wait` queues behind it instead)."""
        if wait:
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SWEEP_LOCK})
        elif not await self.session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SWEEP_LOCK}):
            return {"skipped": "another process is sweeping"}
        today = self.clock.today()
        rules_by_plan = {
            r.plan_id: (Rules.model_validate(r.rules), r.unit_daily_cap)
            for r in await self.session.scalars(select(RuleSet))
        }
        default = rules_by_plan.get(0, (Rules(), 20))
        self.caps = {plan: cap for plan, (_, cap) in rules_by_plan.items()}
        self.default_cap = default[1]
        self.unit_counts: dict[int, int] = {}
        tz = ZoneInfo(default[0].timezone)
        self.day_start = datetime.combine(today, time(0), tz)
        prefs = await preferences(self.session)
        people = People(self.tasks)
        self.groups = [
            c
            for c in await self.session.scalars(select(Channel).where(Channel.enabled.is_(True)))
            if c.kind in ("webhook", "wecom", "dingtalk", "feishu")
        ]
        rows: list[dict[str, Any]] = []
        seen = planned_count = 0
        periods: set[tuple[int, date]] = set()
        start, end = today - timedelta(days=LOOK_BACK_DAYS), today + timedelta(days=LOOK_AHEAD_DAYS)
        async for wire in self.tasks.all_deadlines(start, end):
            seen += 1
            if wire.kind == "report" and today - timedelta(days=7) <= wire.due_on < today:
                periods.add((wire.plan_id, wire.due_on))
            rules, _cap = rules_by_plan.get(wire.plan_id, default)
            due = Due(
                kind=wire.kind,
                key=wire.key,
                due_on=wire.due_on,
                plan_id=wire.plan_id,  # type: ignore[arg-type]
                task_id=wire.task_id,
                assignment_id=wire.assignment_id,
                unit_id=wire.unit_id,
                state=wire.state,
            )
            for planned in plan_for(due, rules, today):
                planned_count += 1
                rows.extend(await self._rows(wire, planned, rules, prefs, people, today))
        created = await self.repo.insert_many(rows)
        digests = await assemble_digests(self.session, self.clock.now(), prefs)
        bulletins = await self._bulletins(periods)
        return {
            "deadlines": seen,
            "planned": planned_count,
            "notifications": len(rows),
            "new": created,
            "bulletins": bulletins,
            "digests": digests,
            "day": today.isoformat(),
        }

    async def _bulletins(self, periods: set[tuple[int, date]]) -> int:
        """The day after a reporting deadline (or the first sweep within a week of it), its bulletin."""
        from luoshi_notify.models import Bulletin
        from luoshi_notify.service.bulletins import BulletinService

        made = 0
        for plan_id, due_on in sorted(periods):
            exists = await self.session.scalar(
                select(Bulletin.id).where(Bulletin.plan_id == plan_id, Bulletin.period_due_on == due_on)
            )
            if exists is None:
                await BulletinService(self.session, None, self.tasks).compile(plan_id, due_on)
                made += 1
        return made

    async def _rows(
        self,
        due: DeadlineWire,
        planned: Planned,
        rules: Rules,
        prefs: dict[int, Preferences],
        people: People,
        today: date,
    ) -> list[dict[str, Any]]:
        recipients = [(u, "unit") for u in await people.of_unit(due.unit_id)]
        head_emails: list[str] = []
        office_name = ""
        if planned.escalate:
            office = await people.office_of(due.plan_id)
            if office is not None:
                known = {u.id for u, _ in recipients}
                recipients += [(u, "office") for u in await people.of_unit(office) if u.id not in known]
                office_name = await people.name_of(office)
            head_emails = await people.head_emails(due.unit_id)
        tz = ZoneInfo(rules.timezone)
        at = datetime.combine(planned.send_on, time(rules.send_hour), tz)
        context = _context(due, planned, today, await people.name_of(due.unit_id), office_name)
        cap = self.caps.get(due.plan_id, self.default_cap)
        rows = []
        for user, why in recipients:
            pref = prefs.get(user.id, Preferences())
            message = render(planned.rule, pref.language, context)
            when = next_allowed(max(at, self.clock.now().astimezone(tz)), pref, tz, urgent=planned.escalate)
            for channel, address in addressed(user, pref.channels):
                status = "pending"
                if channel != "inbox":  # the inbox disturbs nobody: only messages count against the cap
                    sent = await self._unit_count(due.unit_id)
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

    async def _unit_count(self, unit_id: int) -> int:
        """Messages (not inbox items) already planned for the unit today, for its daily cap."""
        if unit_id not in self.unit_counts:
            counts = await self.repo.sent_today_by_unit([unit_id], self.day_start)
            self.unit_counts[unit_id] = counts.get(unit_id, 0)
        return self.unit_counts[unit_id]

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


async def preferences(session: AsyncSession) -> dict[int, Preferences]:
    """Every user's stored preferences (the rest use the defaults)."""
    return {p.user_id: Preferences.model_validate(p.prefs) for p in await session.scalars(select(Preference))}


async def assemble_digests(session: AsyncSession, now: datetime, prefs: dict[int, Preferences]) -> int:
    """Gather each recipient's held notices (digest preference, or over the unit's cap) into one message per
    channel, sent at their digest hour; the held ones become `digested`. Keyed per user, channel and day, so a
    second sweep the same day adds the newly held notices to a new digest only if the first was already sent."""
    held = list(
        await session.scalars(
            select(Notification).where(Notification.status == "digest").order_by(Notification.id).with_for_update()
        )
    )
    groups: dict[tuple[int | None, str, str | None], list[Notification]] = {}
    for n in held:
        groups.setdefault((n.recipient_user_id, n.channel, n.address), []).append(n)
    rows = []
    for (user_id, channel, address), items in groups.items():
        pref = prefs.get(user_id or 0, Preferences())
        when = next_digest_at(now, pref, SHANGHAI)
        day = when.astimezone(SHANGHAI).date().isoformat()
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
        await session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in items]))
            .values(status="digested", digest_key=key, lease_until=func.now())
        )
    await NotificationRepository(session).insert_many(rows)
    return len(rows)
