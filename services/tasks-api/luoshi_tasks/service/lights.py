"""Why a light is what it is: the reason code computed in SQL (`repository.assignments.LIGHT_REASON_SQL`)
written out in Chinese and English from the row it came with."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from luoshi_tasks.schemas.plans import LightReason

LIGHT_RANK = {"red": 2, "yellow": 1, "green": 0}


def _elapsed_percent(start_on: date | None, due_on: date | None, today: date) -> int:
    if start_on is None or due_on is None or due_on <= start_on:
        return 0
    return round(100 * (today - start_on).days / (due_on - start_on).days)


def light_reason(row: Any, today: date) -> LightReason:
    """The reason of one assignment row carrying `light_reason`, `due_on`, `start_on`, `closed_on`, `progress`,
    `due_in_workdays`."""
    code = row["light_reason"]
    due_on: date | None = row["due_on"]
    if code == "overdue" and due_on is not None:
        since = due_on + timedelta(days=1)
        days = (today - due_on).days
        return LightReason(
            code=code,
            text=f"Overdue since {since} (due {due_on}, {days} day(s) ago)",
            text_zh=f"已逾期：完成时限 {due_on}，自 {since} 起逾期 {days} 天",
        )
    if code == "due_soon" and due_on is not None:
        n = max(int(row["due_in_workdays"] or 0), 0)
        if n == 0:
            return LightReason(code=code, text=f"Due today ({due_on})", text_zh=f"今天到期（{due_on}）")
        return LightReason(
            code=code,
            text=f"Due within {n} working day(s), on {due_on}",
            text_zh=f"{n} 个工作日内到期（{due_on}）",
        )
    if code == "behind_schedule":
        elapsed = _elapsed_percent(row["start_on"], due_on, today)
        return LightReason(
            code=code,
            text=f"Progress {row['progress']}% behind elapsed time {elapsed}% (since {row['start_on']})",
            text_zh=f"进度 {row['progress']}% 落后于时间进度 {elapsed}%，自 {row['start_on']} 起算",
        )
    if code == "closed_late":
        return LightReason(
            code=code,
            text=f"Closed late: on {row['closed_on']}, due {due_on}",
            text_zh=f"逾期办结：{row['closed_on']} 办结，完成时限 {due_on}",
        )
    if code == "closed_on_time":
        return LightReason(
            code=code,
            text=f"Closed on time (on {row['closed_on']})" if row["closed_on"] else "Closed on time",
            text_zh=f"按期办结（{row['closed_on']}）" if row["closed_on"] else "按期办结",
        )
    if code == "no_deadline":
        return LightReason(code=code, text="No deadline set", text_zh="未设完成时限")
    return LightReason(code="on_track", text=f"On track, due {due_on}", text_zh=f"按计划推进，完成时限 {due_on}")


def worst(items: list[Any], field: Any = getattr) -> Any | None:
    """The item with the worst `light` (the first of equals), or None; `field` as in `access.visible_assignments`."""
    best: Any | None = None
    for item in items:
        if best is None or LIGHT_RANK[field(item, "light")] > LIGHT_RANK[field(best, "light")]:
            best = item
    return best
