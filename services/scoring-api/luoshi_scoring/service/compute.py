"""One assessment's arithmetic, from a snapshot of its inputs to scorecards (no I/O, so it is tested and
timed on its own). Every line keeps the numbers it used, so a scorecard explains itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from luoshi_scoring.rules import GradeBand, IndicatorSpec, Rule, grade, rank, render, rule_adapter, score_all

RATE_NAMES = {
    "on_time_completion_rate": ("任务按时完成率", "on-time completion rate"),
    "on_time_report_rate": ("按时报送率", "on-time report rate"),
    "overdue": ("逾期任务", "overdue tasks"),
    "reports_returned": ("被退回的反馈", "returned reports"),
}


@dataclass
class ScoredIndicator:
    spec: IndicatorSpec
    rule: Rule


@dataclass
class Inputs:
    indicators: list[ScoredIndicator]
    values: dict[int, dict[int, float]]  # indicator id -> unit id -> value
    benchmarks: dict[int, float]
    performance: dict[int, dict[str, Any]]  # unit id -> tasks-api's UnitPerformance fields
    performance_items: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]  # unit_id, item, kind, points (per occurrence), cap
    unit_ids: list[int]
    unit_names: dict[int, str | None] = field(default_factory=dict)
    missing_policy: str = "zero"
    grade_bands: list[GradeBand] = field(default_factory=list)
    tie_rule: str = "shared"


def _performance_line(item: Mapping[str, Any], perf: Mapping[str, Any] | None) -> dict[str, Any]:
    metric, points = item["metric"], float(item["points"])
    zh, en = RATE_NAMES[metric]
    raw = perf.get(metric) if perf else None
    flags: list[str] = []
    if metric in ("on_time_completion_rate", "on_time_report_rate"):
        if raw is None:
            # Nothing to measure (no task due, no report owed): not applicable, not zero. The metric is left
            # out — no points and no maximum — so the unit's percent and grade stand on what did apply.
            got, points, flags = 0.0, 0.0, ["not_applicable"]
            explain = (
                f"{zh}：本期没有可计算的事项，不适用，不计分（满分中不含此项）",
                f"{en}: not applicable (nothing to measure this period), left out of the score and its maximum",
            )
        else:
            got = round(points * float(raw), 2)
            explain = (
                f"{zh} {float(raw) * 100:.1f}% × {points:g} 分 = {got:g} 分",
                f"{en} {float(raw) * 100:.1f}% × {points:g} = {got:g} points",
            )
    else:
        count = int(raw or 0)
        carried = 0
        if metric == "overdue" and perf and item.get("carried_over", "count") == "count":
            # overdue since an earlier period and still open when this one began: it counts this year too
            carried = int(perf.get("overdue_carried_over") or 0)
            if carried:
                count += carried
                raw = count
        per = float(item.get("per_item", 1))
        got = round(max(0.0, points - per * count), 2)
        of_zh = f"（含往年结转 {carried} 项）" if carried else ""
        of_en = f" (of which {carried} carried over from earlier years)" if carried else ""
        explain = (
            f"{zh} {count} 项{of_zh}，每项扣 {per:g} 分：{points:g} − {per * count:g} = {got:g} 分",
            f"{en}: {count}{of_en} × {per:g} off {points:g} = {got:g} points",
        )
    return {
        "kind": "performance",
        "ref": metric,
        "name": zh,
        "value": None if raw is None else float(raw),
        "rule": "rate" if "rate" in metric else "count",
        "points": got,
        "max_points": points,
        "flags": flags,
        "explain_zh": explain[0],
        "explain_en": explain[1],
    }


def _adjustment_lines(unit_id: int, adjustments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_item: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for a in adjustments:
        if a["unit_id"] == unit_id:
            by_item.setdefault((a["item"], a["kind"]), []).append(a)
    lines = []
    for (item, kind), entries in by_item.items():
        each = float(entries[0]["points"])
        total = each * len(entries)
        cap = entries[0].get("cap")
        capped = cap is not None and total > cap
        total = min(total, cap) if cap is not None else total
        sign = -1 if kind == "deduction" else 1
        evidence = "；".join(e.get("evidence") or "" for e in entries if e.get("evidence"))
        verb_zh, verb_en = ("扣", "minus") if sign < 0 else ("加", "plus")
        lines.append(
            {
                "kind": kind,
                "ref": item,
                "name": item,
                "value": float(len(entries)),
                "rule": "per_occurrence",
                "points": round(sign * total, 2),
                "max_points": 0.0,
                "flags": ["capped"] if capped else [],
                "explain_zh": f"{item} {len(entries)} 次 × {each:g} 分，{verb_zh} {total:g} 分"
                + ("（已达上限）" if capped else "")
                + (f"；依据：{evidence}" if evidence else ""),
                "explain_en": f"{item}: {len(entries)} × {each:g}, {verb_en} {total:g} points"
                + (" (capped)" if capped else ""),
            }
        )
    return lines


def compute(inputs: Inputs) -> list[dict[str, Any]]:
    """Scorecard rows (unit_id, unit_name, total, max_total, percent, rank, grade, lines) for every unit, with
    `lines` as stored (see `stored_line`; `expand` words them)."""
    units = inputs.unit_ids
    # Per unit, by position in `units`: the hot loop below runs once per unit and indicator.
    line_lists: list[list[Any]] = [[] for _ in units]
    point_sums = [0.0] * len(units)
    max_sums = [0.0] * len(units)
    for scored in inputs.indicators:
        spec = scored.spec
        known = inputs.values.get(spec.id, {})
        values = {u: known.get(u) for u in units}
        outcomes = score_all(
            spec, scored.rule, values, benchmark=inputs.benchmarks.get(spec.id), missing=inputs.missing_policy
        )  # type: ignore[arg-type]
        ref = str(spec.id)
        ties = _ties(values) if scored.rule.kind == "rank" else None
        # The engine hands units with the same value the same outcome; they share one (read-only) line too.
        made: dict[int, tuple[Any, float, float]] = {}
        for i, o in enumerate(outcomes.values()):  # in the order of `units`
            entry = made.get(id(o))
            if entry is None:
                place = None
                if ties is not None and o.value is not None and o.rank is not None:
                    place = [o.rank, ties[0][o.value] > 1, ties[1]]
                entry = made[id(o)] = (stored_line(ref, o, place), o.points, o.max_points)
            line_lists[i].append(entry[0])
            point_sums[i] += entry[1]
            max_sums[i] += entry[2]
    lines = dict(zip(units, line_lists, strict=True))
    totals = dict(zip(units, point_sums, strict=True))
    maxima = dict(zip(units, max_sums, strict=True))
    for unit_id in units:
        perf = inputs.performance.get(unit_id)
        extra = [_performance_line(item, perf) for item in inputs.performance_items]
        extra += _adjustment_lines(unit_id, inputs.adjustments)
        lines[unit_id].extend(extra)
        totals[unit_id] += sum(x["points"] for x in extra)
        maxima[unit_id] += sum(x["max_points"] for x in extra)
    totals = {u: round(t, 2) for u, t in totals.items()}
    maxima = {u: round(m, 2) for u, m in maxima.items()}
    tie_break = None
    if inputs.tie_rule == "by_on_time_rate":
        tie_break = {u: float((inputs.performance.get(u) or {}).get("on_time_completion_rate") or 0) for u in units}
    elif inputs.tie_rule == "by_id":
        tie_break = {u: -float(u) for u in units}
    # Where a metric was not applicable to some units their maxima differ: rank by the share of the maximum
    # earned (with equal maxima this orders exactly as the totals do).
    standing = totals
    if len(set(maxima.values())) > 1:
        standing = {u: (totals[u] / maxima[u] if maxima[u] else 0.0) for u in units}
    ranks = rank(standing, "shared" if tie_break is None else "by_on_time_rate", tie_break)
    rows = []
    for unit_id in units:
        percent = round(100 * totals[unit_id] / maxima[unit_id], 2) if maxima[unit_id] else 0.0
        rows.append(
            {
                "unit_id": unit_id,
                "unit_name": inputs.unit_names.get(unit_id),
                "total": totals[unit_id],
                "max_total": maxima[unit_id],
                "percent": percent,
                "rank": ranks[unit_id],
                "grade": grade(percent, inputs.grade_bands),
                "lines": lines[unit_id],
            }
        )
    return rows


# Stored lines keep the numbers; an indicator line's wording is re-rendered on read from the assessment's
# snapshot (the same spec, rule, benchmark, value and place give the same words; a test checks it). Only a
# line scored by the `average` missing policy keeps its words, which depend on the other units' points.
# 150,000 lines of bilingual prose would otherwise be most of what an assessment writes.


def _ties(values: Mapping[int, float | None]) -> tuple[Counter[float], int]:
    """How often each value occurs, and how many units have one: with the outcome's rank, a line's place."""
    counts = Counter(v for v in values.values() if v is not None)
    return counts, sum(counts.values())


def stored_line(ref: str, o: Any, place: list[Any] | None) -> Any:
    """An indicator line as stored: `[ref, value, points, max_points]`, then its flags and its place among
    peers when it has them — or, for a line the `average` policy scored, the whole worded line."""
    if "averaged" in o.flags or "average_unavailable" in o.flags:
        return {
            "kind": "indicator",
            "ref": ref,
            "name": None,
            "value": o.value,
            "target": o.target,
            "benchmark": o.benchmark,
            "rule": o.rule,
            "points": o.points,
            "max_points": o.max_points,
            "flags": o.flags,
            "explain_zh": o.explain_zh,
            "explain_en": o.explain_en,
        }
    line: list[Any] = [ref, o.value, o.points, o.max_points]
    if o.flags or place:
        line.append(o.flags)
    if place:
        line.append(place)
    return line


def expand(lines: list[Any], snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Stored lines with their wording back, from the assessment's snapshot of its inputs."""
    specs = snapshot.get("_specs")
    if specs is None:  # parsed once per snapshot and kept on it
        specs = snapshot["_specs"] = {
            str(i["id"]): (
                IndicatorSpec(
                    id=i["id"],
                    name=i["name"],
                    unit=i["unit"],
                    comparator=i["comparator"],
                    target=i["target"],
                    target_high=i["target_high"],
                    baseline=i["baseline"],
                    weight=i["weight"],
                ),
                rule_adapter.validate_python(i["rule"]),
            )
            for i in snapshot.get("indicators", [])
        }
    benchmarks = snapshot.get("benchmarks", {})
    policy = snapshot.get("scheme", {}).get("config", {}).get("missing_policy", "zero")
    out = []
    for line in lines:
        if isinstance(line, list):
            ref, value, points, max_points, *rest = line
            spec, rule = specs[ref]
            o = render(
                spec,
                rule,
                value,
                benchmark=benchmarks.get(ref),
                place=rest[1] if len(rest) > 1 else None,
                missing=policy,
            )
            line = {
                "kind": "indicator",
                "ref": ref,
                "name": spec.name,
                "value": value,
                "target": o.target,
                "benchmark": o.benchmark,
                "rule": o.rule,
                "points": points,
                "max_points": max_points,
                "flags": rest[0] if rest else [],
                "explain_zh": o.explain_zh,
                "explain_en": o.explain_en,
            }
        elif line["kind"] == "indicator" and line.get("name") is None and line["ref"] in specs:
            line = {**line, "name": specs[line["ref"]][0].name}
        out.append(line)
    return out
