"""No connection churn (issue 19, item 1): under a steady load a service keeps the connections it opened, and
`/metrics` counts every connection it opens, so an operator sees churn. With SQLAlchemy's overflow, a pool of
10 + 10 closed every overflow connection it was handed back and opened another for the next request."""

from __future__ import annotations

import asyncio
import re

import httpx


def _opened(metrics: str, pool: str) -> float:
    found = re.search(rf'luoshi_db_connections_opened_total{{pool="{pool}",service="tasks-api"}} ([0-9.e+]+)', metrics)
    return float(found.group(1)) if found else 0.0


async def test_a_steady_load_opens_no_new_connections(tasks: httpx.AsyncClient, office) -> None:
    async def round_of(concurrent: int) -> None:
        # plans (the ORM pool) and one unit by id (the raw pool), as a console's first screen calls them
        answers = await asyncio.gather(
            *(tasks.get("/v1/plans?limit=20", headers=office["headers"]) for _ in range(concurrent)),
            *(tasks.get("/v1/me", headers=office["headers"]) for _ in range(concurrent)),
        )
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]

    # warm-up: the pool fills to what the load needs (with the service's own loops running beside it), and replaces
    # connections earlier tests cut; it is warm once a round opens none. A churning pool opens some every round.
    before = (await tasks.get("/metrics")).text
    for _ in range(12):
        await round_of(16)
        now = (await tasks.get("/metrics")).text
        if _opened(now, "orm") == _opened(before, "orm"):
            break
        before = now
    before = (await tasks.get("/metrics")).text
    for _ in range(5):
        await round_of(16)
    after = (await tasks.get("/metrics")).text
    assert _opened(after, "orm") == _opened(before, "orm"), "the ORM pool opened connections under a steady load"
    assert _opened(after, "orm") > 0  # and the counter does count
