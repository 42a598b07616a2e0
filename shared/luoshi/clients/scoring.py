"""Client for scoring-api, used by notify (its `assessment.published` events and the rankings they announce) and by
tasks-api (a plan draft's indicators, handed over when the draft is accepted)."""

from __future__ import annotations

from typing import Any

from luoshi.contracts.scoring import DraftIndicatorWire, IndicatorBrief, IndicatorPage, ValuePage
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

    async def create_draft_indicators(
        self, plan_id: int, indicators: list[DraftIndicatorWire], *, credentials: dict[str, str]
    ) -> list[IndicatorBrief]:
        """Hand a plan's indicators over as drafts the office completes, acting as the caller (`credentials`:
        their `Authorization` or `X-API-Key` header, so scoring-api checks that they run the plan). Raises
        ServiceUnavailable when scoring-api cannot be reached, UpstreamError when it refuses."""
        body = {"plan_id": plan_id, "indicators": [i.model_dump(mode="json") for i in indicators]}
        response = await self.request("POST", "/v1/indicators/drafts", json=body, headers=credentials)
        return self._parse(response, list[IndicatorBrief])

    async def plan_value_count(self, plan_id: int, *, credentials: dict[str, str]) -> int:
        """How many values units entered against the plan's indicators (0: none), asked as the caller."""
        count = 0
        cursor = None
        while True:
            params: dict[str, Any] = {"plan_id": plan_id, "limit": 500, **({"cursor": cursor} if cursor else {})}
            response = await self.request("GET", "/v1/indicators", params=params, headers=credentials)
            page = self._parse(response, IndicatorPage)
            for indicator in page.items:
                values = await self.request(
                    "GET", f"/v1/indicators/{indicator.id}/values", params={"limit": 1}, headers=credentials
                )
                count += len(self._parse(values, ValuePage).items)
            cursor = page.next_cursor
            if not cursor:
                return count
