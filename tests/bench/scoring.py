"""Bench: an assessment of 3,000 units × 50 indicators (150,000 values), next to a raw asyncpg read of the
same values, alternating, in the same run."""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time

import asyncpg

from luoshi.db import Database
from luoshi_scoring.models import Assessment
from luoshi_scoring.repository.assessments import RAW_VALUES_SQL
from luoshi_scoring.service.assessments import run_assessment
from luoshi_scoring.settings import ScoringSettings

UNITS = 3000
INDICATORS = 50
BENCH_PLAN = -1  # no such tasks-api plan: the bench scheme names its units and asks tasks-api nothing
PERIOD = "2026"
RULES = [
    {"kind": "anchor", "anchor_share": 0.6, "step": 1, "per_step_up": 1, "per_step_down": 1},
    {"kind": "linear"},
    {"kind": "pass_fail"},
    {"kind": "tiers", "bands": [{"min": 95, "points": 10}, {"min": 90, "points": 8}, {"min": 80, "points": 5}]},
    {"kind": "rank", "per_rank": 0.01},
]


async def seed(url: str) -> tuple[list[int], int]:
    """Indicators, values and a scheme, made once and kept in the bench database."""
    conn = await asyncpg.connect(url)
    try:
        ids = [
            r["id"]
            for r in await conn.fetch("SELECT id FROM scoring.indicator WHERE plan_id = $1 ORDER BY id", BENCH_PLAN)
        ]
        if len(ids) < INDICATORS:
            await conn.execute("DELETE FROM scoring.indicator WHERE plan_id = $1", BENCH_PLAN)
            for i in range(INDICATORS):
                rule = RULES[i % len(RULES)]
                if rule["kind"] == "tiers":
                    rule = {
                        "kind": "tiers",
                        "bands": [{"min": 95, "points": 10}, {"min": 90, "points": 8}, {"min": 80, "points": 5}],
                    }
                ids.append(
                    await conn.fetchval(
                        "INSERT INTO scoring.indicator (plan_id, name, unit, comparator, target, baseline, period, "
                        "weight, rule) VALUES ($1, $2, '%', '>=', 90, 60, 'yearly', 10, $3::jsonb) RETURNING id",
                        BENCH_PLAN,
                        f"基准指标{i + 1}",
                        json.dumps(rule),
                    )
                )
            ids = ids[-INDICATORS:]
            rng = random.Random(7)
            await conn.copy_records_to_table(
                "indicator_value",
                schema_name="scoring",
                columns=["indicator_id", "unit_id", "period", "value"],
                records=[(i, 100_000 + u, PERIOD, round(rng.uniform(60, 100), 1)) for i in ids for u in range(UNITS)],
            )
            await conn.execute("ANALYZE scoring.indicator_value")
        scheme = await conn.fetchval("SELECT id FROM scoring.scheme WHERE plan_id = $1", BENCH_PLAN)
        if scheme is None:
            config = {"unit_ids": [100_000 + u for u in range(UNITS)], "performance": [], "adjustments": []}
            scheme = await conn.fetchval(
                "INSERT INTO scoring.scheme (plan_id, name, config) VALUES ($1, $2, $3::jsonb) RETURNING id",
                BENCH_PLAN,
                "基准考核方案",
                json.dumps(config),
            )
        return ids, scheme
    finally:
        await conn.close()


async def _raw_read(pool: asyncpg.Pool, ids: list[int]) -> float:
    started = time.perf_counter()
    async with pool.acquire() as conn:
        rows = await conn.fetch(RAW_VALUES_SQL, ids, PERIOD)
    assert len(rows) == UNITS * INDICATORS
    return time.perf_counter() - started


async def _assessment(db: Database, scheme_id: int, run: int) -> float:
    async with db.sessionmaker() as session:
        row = Assessment(scheme_id=scheme_id, plan_id=BENCH_PLAN, period=PERIOD, run_version=1_000_000 + run)
        session.add(row)
        await session.commit()
        assessment_id = row.id
    started = time.perf_counter()
    async with db.sessionmaker() as session:
        result = await run_assessment(session, assessment_id, tasks=None)
        await session.commit()
    elapsed = time.perf_counter() - started
    assert result["units"] == UNITS
    async with db.sessionmaker() as session:  # the bench keeps no results
        await session.delete(await session.get(Assessment, assessment_id))
        await session.commit()
    return elapsed


async def measure(url: str, rounds: int = 3) -> str:
    ids, scheme_id = await seed(url)
    settings = ScoringSettings(database_url=url)  # type: ignore[call-arg]
    db = Database.from_settings(settings)
    await db.open()
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        raw, ours = [], []
        for run in range(rounds):
            raw.append(await _raw_read(pool, ids))
            ours.append(await _assessment(db, scheme_id, run))
        raw_s, ours_s = statistics.median(raw), statistics.median(ours)
        ratio = ours_s / raw_s
        verdict = "ok" if ratio <= 5 else "OVER 5×"
        return (
            f"assessment of {UNITS:,} units × {INDICATORS} indicators ({UNITS * INDICATORS:,} values): "
            f"{ours_s * 1000:.0f} ms vs raw asyncpg read of the values {raw_s * 1000:.0f} ms → "
            f"**{ratio:.1f}×** (limit 5×, {verdict}; medians of {rounds} alternating runs)"
        )
    finally:
        await pool.close()
        await db.dispose()


if __name__ == "__main__":
    import sys

    print(asyncio.run(measure(sys.argv[1])))
