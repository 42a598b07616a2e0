"""催办 on demand and the 督办通知单."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response, status

from luoshi.errors import Forbidden, NotFound, responses
from luoshi.inputguard import GuardedRoute
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import ClockDep
from luoshi_notify.errors import AssignmentClosed, AssignmentNotFound
from luoshi_notify.schemas.urgings import UrgingCreate, UrgingRead
from luoshi_notify.service.bulletins import DOCX
from luoshi_notify.service.urgings import UrgingService

router = APIRouter(route_class=GuardedRoute)


@router.post(
    "/v1/assignments/{assignment_id}/urgings",
    response_model=UrgingRead,
    status_code=status.HTTP_201_CREATED,
    tags=["urgings"],
    responses={
        200: {"model": UrgingRead, "description": "Already urged today: nothing sent again"},
        **responses(AssignmentNotFound, AssignmentClosed, Forbidden, NotFound),
    },
)
async def urge_assignment(
    assignment_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    request: Request,
    response: Response,
    clock: ClockDep,
    body: UrgingCreate | None = None,
) -> UrgingRead:
    """催办: urge the unit of this assignment now — a message to each of its people on their channels (inbox
    included), with the office's `note`. Once a day per assignment: a second urging the same day sends nothing
    and answers 200 with `new: false`. The office managing the plan (or an admin) may; audited. The 督办通知单
    to print is at `notice_url`."""
    urging = await UrgingService(session, principal, request.app.state.tasks_client, clock).urge(
        assignment_id, body.note if body else None
    )
    if not urging.new:
        response.status_code = status.HTTP_200_OK
    return urging


@router.get(
    "/v1/assignments/{assignment_id}/urging-notice.docx",
    response_class=Response,
    tags=["urgings"],
    responses={200: {"content": {DOCX: {}}}, **responses(AssignmentNotFound, Forbidden, NotFound)},
)
async def urging_notice(
    assignment_id: int, principal: CurrentPrincipal, session: SessionDep, request: Request, clock: ClockDep
) -> Response:
    """The 督办通知单 of this assignment as Word, dated today: the task, its plan, unit, deadline and how far
    overdue, its state, how many times it was urged and the office's note of the last urging, and the 落款."""
    name, content = await UrgingService(session, principal, request.app.state.tasks_client, clock).notice(assignment_id)
    return Response(
        content, media_type=DOCX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
