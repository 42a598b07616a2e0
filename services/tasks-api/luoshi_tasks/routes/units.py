"""Units (单位)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from luoshi.directroute import DirectRoute
from luoshi.errors import PreconditionRequired, StaleEtag, responses
from luoshi.inputguard import GuardedRoute
from luoshi.jsonutil import ORJSONResponse, PageResponse
from luoshi.openapi import sends
from luoshi.pagination import Page
from luoshi_tasks.deps import CurrentPrincipal, IfMatch, PageDep, SessionDep
from luoshi_tasks.errors import UnitCycle, UnitNameTaken, UnitNotFound
from luoshi_tasks.schemas import UnitCreate, UnitKind, UnitRead, UnitUpdate
from luoshi_tasks.service import units as unit_service
from luoshi_tasks.service.units import UnitService, unit_etag

router = APIRouter(route_class=GuardedRoute, prefix="/v1/units", tags=["units"])


async def get_unit(unit_id: int, principal: CurrentPrincipal, request: Request) -> Response:
    """One unit, with its ETag."""
    # Hot path: the row goes straight to JSON; UnitRead documents its shape.
    row = await unit_service.read_unit_row(request.app.state.db, principal, unit_id)
    return ORJSONResponse(dict(row), headers={"ETag": unit_etag(row)})


router.add_api_route(
    "/{unit_id}",
    get_unit,
    methods=["GET"],
    response_model=UnitRead,
    responses={**responses(UnitNotFound), **sends("ETag")},
    route_class_override=DirectRoute,  # the hottest read, called without dependency solving (luoshi.directroute)
)


@router.get("", response_model=Page[UnitRead])
async def list_units(
    request: Request,
    principal: CurrentPrincipal,
    page: PageDep,
    q: str | None = None,
    kind: UnitKind | None = None,
    parent_id: int | None = None,
    root_only: bool = False,
    id: Annotated[list[int] | None, Query(max_length=200, description="Only these units (repeat for several)")] = None,
) -> Page[UnitRead]:
    """Units, by id; `q` matches the full name, short name or an alias."""
    page_ = await unit_service.list_units(
        request.app.state.db.pool,
        principal,
        ids=id,
        limit=page.limit,
        cursor=page.cursor,
        q=q,
        kind=kind,
        parent_id=parent_id,
        root_only=root_only,
    )
    return PageResponse(page_)  # type: ignore[return-value]  # shaped as Page[UnitRead]


@router.post(
    "",
    response_model=UnitRead,
    status_code=status.HTTP_201_CREATED,
    responses={**responses(UnitNameTaken, UnitNotFound), **sends("ETag", "Location", status=201)},
)
async def create_unit(
    body: UnitCreate, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> UnitRead:
    """Create a unit (office, admin)."""
    unit = await UnitService(session, principal).create(body)
    response.headers["ETag"] = unit_etag(unit)
    response.headers["Location"] = f"/v1/units/{unit.id}"
    return unit


@router.patch(
    "/{unit_id}",
    response_model=UnitRead,
    responses={**responses(UnitNotFound, UnitNameTaken, UnitCycle, StaleEtag, PreconditionRequired), **sends("ETag")},
)
async def update_unit(
    unit_id: int,
    body: UnitUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> UnitRead:
    """Change a unit. Send the ETag you read in `If-Match`; a stale one gets 412."""
    unit = await UnitService(session, principal).update(unit_id, body, if_match)
    response.headers["ETag"] = unit_etag(unit)
    return unit
