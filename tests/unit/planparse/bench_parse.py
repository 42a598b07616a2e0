"""A plan of about 50,000 characters for timing `parse_plan` (wired into `make bench`; no timing in tests).

The Hebei sample's header, then its 重点工作 section and the Xiayi sample's 工作目标 section repeated under
fresh top-level numbers, then the Hebei steps and measures renumbered after them.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
TARGET_CHARS = 50_000
_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一 (enough for section numbers)."""
    tens, units = divmod(n, 10)
    return (_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (_DIGITS[units] if units else "")


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) + len(start) : text.index(end)]


def make_big_plan(target_chars: int = TARGET_CHARS) -> str:
    hebei = (SAMPLES_DIR / "hebei-quality-brand-plan-2012.txt").read_text("utf-8")
    xiayi = (SAMPLES_DIR / "xiayi-brand-zone-plan-2015.txt").read_text("utf-8")
    header = hebei[: hebei.index("一、重点工作")]
    sections = [
        ("重点工作", _between(hebei, "一、重点工作\n", "二、实施步骤")),
        ("工作目标", _between(xiayi, "三、工作目标\n", "四、工作重点")),
    ]
    closing = hebei[hebei.index("二、实施步骤") :].split("三、推进措施")
    parts = [header]
    n = 0
    while sum(map(len, parts)) + sum(map(len, closing)) < target_chars:
        name, body = sections[n % len(sections)]
        n += 1
        parts.append(f"{_cn(n)}、{name}\n{body}")
    parts.append(f"{_cn(n + 1)}、{closing[0].removeprefix('二、')}{_cn(n + 2)}、推进措施{closing[1]}")
    return "".join(parts)


def main() -> None:
    from luoshi_tasks.planparse import parse_plan

    text = make_big_plan()
    parse_plan(text)  # warm the converters' caches
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        draft = parse_plan(text)
    elapsed = (time.perf_counter() - started) / rounds
    sections = len(re.findall(r"^[一二三四五六七八九十]+、", text, flags=re.M))
    print(f"parse_plan: {len(text)} characters, {sections} sections, {len(draft.tasks)} tasks in {elapsed:.3f}s")


if __name__ == "__main__":
    main()
