"""The demo's inbox (issue 17): `make run` promises reminders, urging and an escalation, whatever the day."""

from datetime import date, timedelta

from luoshi_notify.planning import RuleSet, plan_for
from luoshi_notify.planning.rules import Due
from luoshi_tasks.demo_plan import breakdown_csv, demo_dates


def _rules_planned(dates: dict[str, date], today: date) -> set[str]:
    rules = RuleSet()
    return {
        p.rule
        for name, due_on in dates.items()
        for p in plan_for(Due(kind="assignment", key=name, due_on=due_on, plan_id=1, unit_id=1), rules, today)
    }


def test_the_demo_table_dates_two_tasks_from_the_day_it_is_loaded():
    today = date(2026, 12, 4)
    text = breakdown_csv(today).decode("utf-8-sig")
    assert "{" not in text
    assert "2026年12月9日前" in text  # three working days on
    assert "2026年11月25日前" in text  # seven working days back


def test_a_sweep_on_the_day_the_demo_is_loaded_reminds_urges_and_escalates_whatever_the_day():
    # every day of two years, holidays and weekends included; a sweep a day later still finds them
    day = date(2025, 1, 1)
    while day <= date(2026, 12, 31):
        dates = demo_dates(day)
        for sweep_day in (day, day + timedelta(days=1)):
            planned = _rules_planned(dates, sweep_day)
            assert {"urge", "escalate"} <= planned, (day, sweep_day, planned)
            assert planned & {"remind", "due_today"}, (day, sweep_day, planned)
        day += timedelta(days=1)
