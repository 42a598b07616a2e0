"""ScoringClient (luoshi.clients.scoring): the ranking notify announces, read page by page."""

from __future__ import annotations

import httpx

from luoshi.clients.scoring import ScoringClient


def _client(pages: dict[str | None, httpx.Response], seen: list[httpx.Request]) -> ScoringClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return pages[request.url.params.get("cursor")]

    return ScoringClient("http://scoring", transport=httpx.MockTransport(handler), retries=0)


async def test_ranking_follows_next_cursor() -> None:
    seen: list[httpx.Request] = []
    client = _client(
        {
            None: httpx.Response(200, json={"items": [{"unit_id": 1, "rank": 1}], "next_cursor": "c2"}),
            "c2": httpx.Response(200, json={"items": [{"unit_id": 2, "rank": 2}], "next_cursor": None}),
        },
        seen,
    )
    try:
        assert [p["unit_id"] for p in await client.ranking(7)] == [1, 2]
    finally:
        await client.aclose()
    assert [r.url.path for r in seen] == ["/v1/assessments/7/ranking"] * 2
    assert seen[0].url.params["limit"] == "500"


async def test_an_error_answer_ends_the_ranking_with_what_was_read() -> None:
    seen: list[httpx.Request] = []
    client = _client(
        {
            None: httpx.Response(200, json={"items": [{"unit_id": 1, "rank": 1}], "next_cursor": "c2"}),
            "c2": httpx.Response(404, json={"code": "assessment_not_found"}),
        },
        seen,
    )
    try:
        assert [p["unit_id"] for p in await client.ranking(7)] == [1]
    finally:
        await client.aclose()
