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
    plan = await tasks.post(
        "/v1/plans", json={"title": "连接测试方案", "issuer": "连接测试县人民政府"}, headers=office["headers"]
    )
    assert plan.status_code == 201, plan.text
    read = f"/v1/plans/{plan.json()['id']}"

    async def round_of(concurrent: int) -> None:
        # a plan read (the request's session: the ORM pool) and the plans list (the raw pool), as a console's
        # first screens call them
        answers = await asyncio.gather(
            *(tasks.get(read, headers=office["headers"]) for _ in range(concurrent)),
            *(tasks.get("/v1/plans?limit=20", headers=office["headers"]) for _ in range(concurrent)),
        )
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]

    def opened(metrics: str) -> tuple[float, float]:
        return _opened(metrics, "orm"), _opened(metrics, "raw")

    # warm-up: more requests at once than either pool holds fill both to their size (they open lazily, so a
    # lighter warm-up could leave room a later peak fills, which is growth, not churn), and replace connections
    # earlier tests cut; they are warm once two rounds in a row open none. A churning pool opens some every round.
    before, quiet = (await tasks.get("/metrics")).text, 0
    for _ in range(20):
        await round_of(32)
        now = (await tasks.get("/metrics")).text
        quiet = quiet + 1 if opened(now) == opened(before) else 0
        if quiet == 2:
            break
        before = now
    before = (await tasks.get("/metrics")).text
    for _ in range(5):
        await round_of(16)
    after = (await tasks.get("/metrics")).text
    assert _opened(after, "orm") == _opened(before, "orm"), "the ORM pool opened connections under a steady load"
    assert _opened(after, "raw") == _opened(before, "raw"), "the raw pool opened connections under a steady load"
    assert _opened(after, "orm") > 0 and _opened(after, "raw") > 0  # and the counters do count
