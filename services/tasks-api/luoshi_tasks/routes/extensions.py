"""Extension requests (延期申请): asked per assignment, read and decided by id, listed per assignment and per plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from luoshi.errors import PreconditionRequired, StaleEtag, responses
from luoshi.inputguard import GuardedRoute
from luoshi.openapi import sends
from luoshi.pagination import Page
from luoshi_tasks.deps import ClockDep, CurrentPrincipal, IfMatch, PageDep, SessionDep
from luoshi_tasks.errors import (
    AssignmentNotFound,
    ExtensionInvalid,
    ExtensionNotAllowed,
    ExtensionNotFound,
    PlanArchived,
    PlanNotFound,
    TransitionNotAllowed,
)
from luoshi_tasks.schemas.workflow import DecisionIn, ExtensionCreate, ExtensionRead, ExtensionState
from luoshi_tasks.service.extensions import ExtensionService, extension_etag

router = APIRouter(route_class=GuardedRoute, tags=["extensions"])


@router.get(
    "/v1/assignments/{assignment_id}/extensions",
    response_model=Page[ExtensionRead],
    responses=responses(AssignmentNotFound),
)
async def list_assignment_extensions(
    assignment_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, page: PageDep
) -> Page[ExtensionRead]:
    """An assignment's extension requests, oldest first."""
    return await ExtensionService(session, principal, clock).of_assignment(
        assignment_id, limit=page.limit, cursor=page.cursor
    )


@router.get(
    "/v1/plans/{plan_id}/extensions",
    response_model=Page[ExtensionRead],
    tags=["plans"],
    responses=responses(PlanNotFound),
)
async def list_plan_extensions(
    plan_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    page: PageDep,
    state: ExtensionState | None = None,
    unit_id: Annotated[
        int | None, Query(description="The unit that asked (a unit's people see only their own)")
    ] = None,
) -> Page[ExtensionRead]:
    """A plan's extension requests, oldest first: `?state=requested` is what waits for the office."""
    return await ExtensionService(session, principal, clock).of_plan(
        plan_id, limit=page.limit, cursor=page.cursor, state=state, unit_id=unit_id
    )


@router.post(
    "/v1/assignments/{assignment_id}/extensions",
    response_model=ExtensionRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        **responses(PlanArchived, AssignmentNotFound, ExtensionNotAllowed, ExtensionInvalid),
        **sends("ETag", "Location", status=201),
    },
)
async def request_extension(
    assignment_id: int,
    body: ExtensionCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> ExtensionRead:
    """延期申请: ask, before the deadline, for a later one."""
    ext = await ExtensionService(session, principal, clock).request(assignment_id, body)
    response.headers["ETag"] = extension_etag(ext)
    response.headers["Location"] = f"/v1/extensions/{ext.id}"
    return ext


@router.get(
    "/v1/extensions/{extension_id}",
    response_model=ExtensionRead,
    responses={**responses(ExtensionNotFound), **sends("ETag")},
)
async def get_extension(
    extension_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, response: Response
) -> ExtensionRead:
    """One request, with the ETag its decision needs."""
    ext = await ExtensionService(session, principal, clock).get(extension_id)
    response.headers["ETag"] = extension_etag(ext)
    return ext


@router.post(
    "/v1/extensions/{extension_id}/decision",
    response_model=ExtensionRead,
    responses={
        **responses(
            PlanArchived,
            ExtensionNotFound,
            TransitionNotAllowed,
            StaleEtag,
            PreconditionRequired,
        ),
        **sends("ETag"),
    },
)
async def decide_extension(
    extension_id: int,
    body: DecisionIn,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> ExtensionRead:
    """The office grants (the new date applies to the assignments named in `moved_assignment_ids`; their first
    deadline stays in `original_due_on`) or refuses."""
    ext = await ExtensionService(session, principal, clock).decide(extension_id, body, if_match)
    response.headers["ETag"] = extension_etag(ext)
    return ext
