"""When notify reminds, urges and escalates: working days on the official calendar, catch-up, idempotent keys."""

from __future__ import annotations

import time
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from luoshi import workdays
from luoshi.workdays import is_workday
from luoshi_notify.planning import (
    Due,
    Planned,
    RuleSet,
    due_dates_with_notices,
    due_day,
    full_schedule,
    plan_for,
    send_at,
)

RULES = RuleSet()


def _due(due_on: date, *, kind: str = "assignment", state: str | None = "in_progress", n: int = 12) -> Due:
    if kind == "report":
        return Due(kind="report", key=f"report:1:{n}:{due_on}", due_on=due_on, plan_id=1, unit_id=n, state=state)
    return Due(
        kind="assignment",
        key=f"assignment:{n}:{due_on}",
        due_on=due_on,
        plan_id=1,
        task_id=100 + n,
        assignment_id=n,
        unit_id=7,
        state=state,
    )


def _walk(due: Due, start: date, end: date, rules: RuleSet = RULES) -> dict[str, tuple[date, Planned]]:
    """Run the sweep every calendar day from `start` to `end`; keep each key the first day it appears."""
    sent: dict[str, tuple[date, Planned]] = {}
    today = start
    while today <= end:
        for p in plan_for(due, rules, today):
            assert p.send_on <= today
            k = p.key("user:3", "inbox")
            if k in sent:
                assert sent[k][1] == p  # the same notification every time it is produced again
            else:
                sent[k] = (today, p)
        today += timedelta(days=1)
    return sent


def _by_occurrence(sent: dict[str, tuple[date, Planned]]) -> dict[tuple[str, str], date]:
    return {(p.rule, p.occurrence): p.send_on for _, p in sent.values()}


def test_due_right_after_national_day_walked_day_by_day() -> None:
    # 2026: Mid-autumn 09-25..27, National Day 10-01..07 off; Saturday 10-10 is a make-up working day
    due = _due(date(2026, 10, 9))
    sent = _walk(due, date(2026, 9, 1), date(2026, 12, 31))
    expected = {
        ("remind", "before-7"): date(2026, 9, 22),
        ("remind", "before-3"): date(2026, 9, 29),  # the holiday week does not count
        ("remind", "before-1"): date(2026, 10, 8),
        ("due_today", "due"): date(2026, 10, 9),
        ("urge", "urge-1"): date(2026, 10, 13),  # 10-10 (make-up Saturday), 10-12, 10-13
        ("escalate", "escalate"): date(2026, 10, 15),
        ("urge", "urge-2"): date(2026, 10, 16),
        ("urge", "urge-3"): date(2026, 10, 21),
        ("urge", "urge-4"): date(2026, 10, 26),
        ("urge", "urge-5"): date(2026, 10, 29),
    }
    assert len(sent) == len(expected)  # each exactly once after dedupe by key
    assert _by_occurrence(sent) == expected
    for first_seen, p in sent.values():
        assert first_seen == p.send_on  # a daily sweep sends each on its day
        assert is_workday(p.send_on)
        assert p.escalate == (p.rule == "escalate")
        assert p.due_key == due.key and p.unit_id == 7
    assert [p for p in full_schedule(date(2026, 10, 9), RULES)] == sorted(
        (p.model_copy(update={"due_key": "preview", "unit_id": 0}) for _, p in sent.values()), key=lambda p: p.send_on
    )


def test_due_on_a_sunday_after_a_make_up_saturday() -> None:
    sent = _by_occurrence(_walk(_due(date(2026, 10, 11)), date(2026, 9, 1), date(2026, 11, 30)))
    assert sent[("due_today", "due")] == date(2026, 10, 10)  # the make-up Saturday is the last working day
    assert ("remind", "before-1") not in sent  # same day as the due-day reminder: replaced by it
    assert sent[("remind", "before-3")] == date(2026, 10, 8)
    assert sent[("remind", "before-7")] == date(2026, 9, 24)  # skips the Mid-autumn and National Day holidays
    assert sent[("urge", "urge-1")] == date(2026, 10, 14)
    assert sent[("escalate", "escalate")] == date(2026, 10, 16)


def test_due_on_an_ordinary_saturday() -> None:
    assert due_day(date(2026, 11, 14)) == date(2026, 11, 13)
    sent = _by_occurrence(_walk(_due(date(2026, 11, 14)), date(2026, 10, 20), date(2026, 12, 31)))
    assert sent[("due_today", "due")] == date(2026, 11, 13)
    assert sent[("remind", "before-3")] == date(2026, 11, 11)
    assert ("remind", "before-1") not in sent
    assert sent[("urge", "urge-1")] == date(2026, 11, 18)
    # without the due-day reminder, "1 working day before" is kept
    quiet = RULES.model_copy(update={"remind_on_the_day": False})
    sent = _by_occurrence(_walk(_due(date(2026, 11, 14)), date(2026, 10, 20), date(2026, 11, 20), quiet))
    assert sent[("remind", "before-1")] == date(2026, 11, 13)
    assert ("due_today", "due") not in sent


@pytest.mark.parametrize("state", ["closed", "completion_requested"])
def test_closed_assignments_get_nothing(state: str) -> None:
    assert _walk(_due(date(2026, 10, 9), state=state), date(2026, 9, 1), date(2026, 12, 31)) == {}


@pytest.mark.parametrize("state", ["assigned", "acknowledged", "in_progress", None])
def test_open_states_are_planned(state: str | None) -> None:
    assert plan_for(_due(date(2026, 10, 9), state=state), RULES, date(2026, 10, 9))


def test_reporting_deadline_gets_only_report_reminders() -> None:
    due = _due(date(2026, 11, 30), kind="report")
    sent = _walk(due, date(2026, 11, 1), date(2026, 12, 31))
    assert _by_occurrence(sent) == {
        ("report_remind", "before-3"): date(2026, 11, 25),
        ("report_remind", "before-1"): date(2026, 11, 27),  # Friday before Monday the 30th
    }
    assert {first for first, _ in sent.values()} == {date(2026, 11, 25), date(2026, 11, 27)}
    assert _walk(_due(date(2026, 11, 30), kind="report", state="submitted"), date(2026, 11, 1), date(2026, 12, 5)) == {}


def test_catch_up_after_missed_sweeps_keeps_original_send_on() -> None:
    due = _due(date(2026, 10, 9))
    # the first sweep after the holiday: "3 before" was 09-29, only two working days ago (09-30, 10-08)
    got = {(p.occurrence, p.send_on) for p in plan_for(due, RULES, date(2026, 10, 8))}
    assert got == {("before-3", date(2026, 9, 29)), ("before-1", date(2026, 10, 8))}
    # exactly catch_up_workdays late is still sent, one more is stale
    assert [p.occurrence for p in plan_for(due, RULES, date(2026, 10, 15))] == ["urge-1", "escalate"]
    assert [p.occurrence for p in plan_for(due, RULES, date(2026, 10, 16))] == ["escalate", "urge-2"]
    # no catch-up at all
    strict = RULES.model_copy(update={"catch_up_workdays": 0})
    assert [p.occurrence for p in plan_for(due, strict, date(2026, 10, 8))] == ["before-1"]
    assert plan_for(due, strict, date(2026, 10, 14)) == []
    # a weekend in between does not make a reminder stale
    assert [p.occurrence for p in plan_for(_due(date(2026, 11, 18)), RULES, date(2026, 11, 16))] == ["before-3"]


def test_reminders_stop_at_the_deadline_and_escalation_is_always_produced() -> None:
    due = _due(date(2026, 10, 9))
    # the day after the due date: neither "1 before" nor "due today" is sent late
    assert plan_for(due, RULES, date(2026, 10, 10)) == []
    # long after: every urging is stale, the escalation is still there with its original day
    late = plan_for(due, RULES, date(2027, 3, 1))
    assert [(p.rule, p.send_on, p.escalate) for p in late] == [("escalate", date(2026, 10, 15), True)]


def test_planned_key_is_deterministic() -> None:
    p = plan_for(_due(date(2026, 10, 9)), RULES, date(2026, 10, 13))[0]
    assert p.key("user:3", "email") == "urge:assignment:12:2026-10-09:urge-1:user:3:email"
    assert p.key("user:3", "email") == plan_for(_due(date(2026, 10, 9)), RULES, date(2026, 10, 14))[0].key(
        "user:3", "email"
    )
    assert p.key("user:3", "email") != p.key("user:3", "inbox")


def test_custom_rules() -> None:
    rules = RuleSet(remind_before_workdays=[1, 5, 5], urge_every_workdays=1, urge_max=2, escalate_after_workdays=10)
    assert rules.remind_before_workdays == (5, 1)
    sent = _by_occurrence(_walk(_due(date(2026, 10, 9)), date(2026, 9, 1), date(2026, 12, 31), rules))
    assert sent == {
        ("remind", "before-5"): date(2026, 9, 24),
        ("remind", "before-1"): date(2026, 10, 8),
        ("due_today", "due"): date(2026, 10, 9),
        ("urge", "urge-1"): date(2026, 10, 10),
        ("urge", "urge-2"): date(2026, 10, 12),
        ("escalate", "escalate"): date(2026, 10, 22),
    }
    assert _by_occurrence(_walk(_due(date(2026, 10, 9)), date(2026, 9, 1), date(2026, 12, 31), RuleSet(urge_max=0)))[
        ("escalate", "escalate")
    ] == date(2026, 10, 15)


def test_ruleset_validation() -> None:
    with pytest.raises(ValidationError):
        RuleSet(remind_before=[3])  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        RuleSet(timezone="Mars/Olympus")
    with pytest.raises(ValidationError):
        RuleSet(urge_every_workdays=0)
    with pytest.raises(ValidationError):
        RuleSet(remind_before_workdays=[0])
    assert RuleSet.model_json_schema()["properties"]["urge_max"]["description"]


def test_due_accepts_a_deadline_item_from_tasks_api() -> None:
    item = {
        "kind": "assignment",
        "due_on": "2026-10-09",
        "original_due_on": "2026-09-30",
        "plan_id": 1,
        "task_id": 2,
        "assignment_id": 3,
        "unit_id": 4,
        "state": "in_progress",
        "key": "assignment:3:2026-10-09",
        "task_title": "开展主导产品监督抽查",
        "plan_title": "夏邑县质量强县工作实施方案",
        "role": "lead",
    }
    due = Due.model_validate(item)
    assert [p.rule for p in plan_for(due, RULES, date(2026, 10, 9))] == ["remind", "due_today"]


def test_sweep_is_fast() -> None:
    # 100,000 occurrences spread over two months around the sweep day, most of them producing something;
    # the calendar is worked out once per due date, so the cost is building the results
    today = date(2026, 10, 15)
    dues = [
        _due(today + timedelta(days=i % 61 - 40), kind="report" if i % 7 == 0 else "assignment", n=i)
        for i in range(100_000)
    ]
    start = time.perf_counter()
    produced = sum(len(plan_for(d, RULES, today)) for d in dues)
    elapsed = time.perf_counter() - start
    assert produced > 50_000
    assert elapsed < 3.0, f"{elapsed:.2f}s for 100k occurrences"  # ~0.5 s on a small shared machine


def test_send_at_is_the_send_hour_in_the_office_zone() -> None:
    p = plan_for(_due(date(2026, 10, 9)), RULES, date(2026, 10, 9))[-1]
    at = send_at(p, RULES, ZoneInfo("Asia/Shanghai"))  # rules name no zone: the service's TIMEZONE
    assert (at.date(), at.hour, at.utcoffset()) == (date(2026, 10, 9), 9, timedelta(hours=8))
    at = send_at(p, RULES, ZoneInfo("Asia/Urumqi"))
    assert (at.date(), at.hour, at.utcoffset()) == (date(2026, 10, 9), 9, timedelta(hours=6))
    # a plan whose rules name a zone keeps it whatever the service's TIMEZONE
    at = send_at(p, RULES.model_copy(update={"timezone": "Asia/Shanghai"}), ZoneInfo("Asia/Urumqi"))
    assert at.utcoffset() == timedelta(hours=8)


def test_due_dates_with_notices_are_those_with_a_notice_to_send_by_today() -> None:
    # November 2026 has no holiday. Today is Wednesday the 18th and nothing missed is caught up.
    # Rule set A: a reminder 1 working day before, escalation 1 working day after the due date.
    # Rule set B: only a report reminder, 2 working days before.
    a = RuleSet(
        remind_before_workdays=(1,),
        remind_on_the_day=False,
        urge_max=0,
        escalate_after_workdays=1,
        report_remind_before_workdays=(),
        catch_up_workdays=0,
    )
    b = RuleSet(
        remind_before_workdays=(),
        remind_on_the_day=False,
        urge_max=0,
        escalate_after_workdays=250,
        report_remind_before_workdays=(2,),
        catch_up_workdays=0,
    )
    today, start, end = date(2026, 11, 18), date(2026, 11, 10), date(2026, 11, 27)
    past = [date(2026, 11, d) for d in range(10, 18)]  # escalated by today, whatever the weekday
    assert due_dates_with_notices([a], start, end, today, None) == [*past, date(2026, 11, 19)]  # reminded today
    # since Monday the 16th: escalations sent from then on, i.e. due from Friday the 13th (and its weekend)
    assert due_dates_with_notices([a], start, end, today, date(2026, 11, 16)) == [*past[3:], date(2026, 11, 19)]
    assert due_dates_with_notices([a], start, date(2026, 11, 19), today, date(2026, 11, 16))[-1] == date(2026, 11, 19)
    assert due_dates_with_notices([b], start, end, today, None) == [date(2026, 11, 20)]  # a report due Friday
    assert due_dates_with_notices([a, b], date(2026, 11, 19), end, today, None) == [
        date(2026, 11, 19),
        date(2026, 11, 20),
    ]


def test_a_calendar_installed_since_replans_the_same_rules() -> None:
    # a due date of Thursday 2026-11-19: the 1-day reminder falls on Wednesday the 18th, until a calendar that
    # makes the 18th a holiday is installed, and then on Tuesday the 17th
    rules = RuleSet(remind_before_workdays=(1,), remind_on_the_day=False, report_remind_before_workdays=())
    due = _due(date(2026, 11, 19))
    assert [p.send_on for p in plan_for(due, rules, date(2026, 11, 18))] == [date(2026, 11, 18)]
    official = workdays.installed()
    try:
        workdays.install(
            workdays.WorkdayCalendar({**official.days, date(2026, 11, 18): False}, official.official_years)
        )
        assert [p.send_on for p in plan_for(due, rules, date(2026, 11, 18))] == [date(2026, 11, 17)]
    finally:
        workdays.install(official)
    assert [p.send_on for p in plan_for(due, rules, date(2026, 11, 18))] == [date(2026, 11, 18)]


def test_reminders_run_through_the_due_date_itself() -> None:
    # on the due date the due-day reminder is still planned: the day counts as before the deadline
    rules = RuleSet(remind_before_workdays=(), report_remind_before_workdays=(2,))
    assert [(p.rule, p.send_on) for p in plan_for(_due(date(2026, 11, 19)), rules, date(2026, 11, 19))] == [
        ("due_today", date(2026, 11, 19))
    ]
    report = plan_for(_due(date(2026, 11, 20), kind="report"), rules, date(2026, 11, 18))
    assert [(p.rule, p.send_on, p.escalate) for p in report] == [("report_remind", date(2026, 11, 18), False)]


def test_since_keeps_the_notices_sent_on_that_day() -> None:
    rules = RuleSet(remind_before_workdays=(1,), remind_on_the_day=False, report_remind_before_workdays=())
    due = _due(date(2026, 11, 19))
    assert [p.send_on for p in plan_for(due, rules, date(2026, 11, 18), since=date(2026, 11, 18))] == [
        date(2026, 11, 18)
    ]
    assert plan_for(due, rules, date(2026, 11, 18), since=date(2026, 11, 19)) == []


def test_a_report_reminder_missed_yesterday_is_still_caught_up_on_the_due_date() -> None:
    rules = RuleSet(report_remind_before_workdays=(1,), catch_up_workdays=2)
    report = plan_for(_due(date(2026, 11, 20), kind="report"), rules, date(2026, 11, 20))
    assert [(p.rule, p.send_on) for p in report] == [("report_remind", date(2026, 11, 19))]
