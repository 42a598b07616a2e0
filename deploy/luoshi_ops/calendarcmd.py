"""`luoshi calendar import FILE [--year Y] [--apply]`: the State Council's holiday notice into the calendar."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_BAD_INPUT = 2


def run_import(settings: Any, path: str, year: int | None, *, apply: bool, out: TextIO = sys.stdout) -> int:
    """Prints the holidays and 调休 working days the notice sets; with --apply the year becomes official."""
    from luoshi.errors import AppError
    from luoshi_tasks.commands import import_calendar_notice

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"luoshi calendar import: 无法读取 {path}（cannot read {path}: {exc}）", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        notice, applied = asyncio.run(import_calendar_notice(settings, text, year, apply=apply))
    except AppError as exc:
        where = "".join(f" 第 {p.loc[-1]} 行" for p in exc.errors or [] if isinstance(p.loc[-1], int))
        print(f"luoshi calendar import: {path}{where}: {exc.detail_zh}（{exc.detail}）[{exc.code}]", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{notice.source}", file=out)
    for h in notice.holidays:
        makeup = "、".join(d.isoformat() for d in h.make_up_workdays)
        print(
            f"  {h.name}: {h.first_day_off} 至 {h.last_day_off} 放假 {h.days_off} 天"
            + (f"，{makeup} 上班" if makeup else ""),
            file=out,
        )
    if applied is None:
        print(f"未写入。确认无误后加 --apply 载入 {notice.year} 年（not applied: add --apply to load it）", file=out)
    else:
        print(f"{notice.year} 年工作日历已载入，第 {applied.version} 版（loaded, version {applied.version}）", file=out)
    return 0
