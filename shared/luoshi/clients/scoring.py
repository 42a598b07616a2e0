"""Client for scoring-api, used by notify (its `assessment.published` events and the rankings they announce)."""

from __future__ import annotations

from typing import Any

from luoshi.http import ServiceClient


class ScoringClient(ServiceClient):
    service_name = "scoring-api"

    async def ranking(self, assessment_id: int, *, page_size: int = 500) -> list[dict[str, Any]]:
        """Every place of an assessment's ranking (unit_id, unit_name, total, rank, …), following `next_cursor`.
        An error answer ends the list there: what was read so far is returned."""
        ranking: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": page_size, **({"cursor": cursor} if cursor else {})}
            response = await self.request("GET", f"/v1/assessments/{assessment_id}/ranking", params=params)
            if response.status_code >= 400:
                break
            body = response.json()
            ranking += body["items"]
            cursor = body.get("next_cursor")
            if not cursor:
                break
        return ranking
