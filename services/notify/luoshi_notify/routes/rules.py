"""Reminder rules per plan (and the defaults) and each user's preferences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from luoshi.errors import PreconditionRequired, StaleEtag, responses
from luoshi.etag import IfMatchOptional, etag
from luoshi.inputguard import GuardedRoute
from luoshi.openapi import sends
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import TasksDep
from luoshi_notify.schemas.rules import PreferencesRead, RulesRead, RulesWrite
from luoshi_notify.service.rules import RulesService

router = APIRouter(route_class=GuardedRoute)


@router.get("/v1/rules/{plan_id}", response_model=RulesRead, tags=["rules"], responses=sends("ETag"))
async def get_rules(plan_id: int, principal: CurrentPrincipal, session: SessionDep, response: Response) -> RulesRead:
    """A plan's reminder rules (plan 0: the defaults). Unset, a plan uses the defaults."""
    rules = await RulesService(session, principal).rules(plan_id)
    response.headers["ETag"] = etag("rules", plan_id, rules.version)
    return rules


@router.put(
    "/v1/rules/{plan_id}",
    response_model=RulesRead,
    tags=["rules"],
    responses={**responses(StaleEtag, PreconditionRequired), **sends("ETag")},
)
async def put_rules(
    plan_id: int,
    body: RulesWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    tasks: TasksDep,
    if_match: IfMatchOptional = None,
) -> RulesRead:
    """Set a plan's reminder rules (its office or its creator), or the defaults (plan 0, an admin). The first
    time needs no `If-Match` (there was nothing to read); every change after it does (428 without)."""
    rules = await RulesService(session, principal).set_rules(plan_id, body, if_match, tasks)
    response.headers["ETag"] = etag("rules", plan_id, rules.version)
    return rules


@router.get("/v1/preferences", response_model=PreferencesRead, tags=["preferences"])
async def get_preferences(principal: CurrentPrincipal, session: SessionDep) -> PreferencesRead:
    return await RulesService(session, principal).preferences()


@router.put("/v1/preferences", response_model=PreferencesRead, tags=["preferences"])
async def put_preferences(
    principal: CurrentPrincipal,
    session: SessionDep,
    prefs: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "channels": ["inbox", "email"],
                    "quiet_start": "22:00",
                    "quiet_end": "07:00",
                    "digest": False,
                    "language": "zh",
                }
            ]
        ),
    ],
) -> PreferencesRead:
    """Channels, quiet hours, a daily digest instead of single messages, and the language."""
    return await RulesService(session, principal).set_preferences(prefs)
