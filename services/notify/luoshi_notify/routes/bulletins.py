"""Monthly bulletins (通报): compiled after each reporting deadline, listed, exported as .xlsx or .docx."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Request, Response, status

from luoshi.errors import NotFound, responses
from luoshi.inputguard import GuardedRoute
from luoshi.pagination import Page
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import PageDep
from luoshi_notify.errors import BulletinNotFound, NotAReportingDeadline
from luoshi_notify.schemas.bulletins import BulletinCreate, BulletinRead
from luoshi_notify.service.bulletins import DOCX, XLSX, BulletinService, bulletin_files

router = APIRouter(route_class=GuardedRoute)


@router.post(
    "/v1/bulletins",
    response_model=BulletinRead,
    status_code=status.HTTP_201_CREATED,
    tags=["bulletins"],
    responses=responses(NotFound, NotAReportingDeadline),  # NotFound: the plan is not in tasks-api
)
async def create_bulletin(
    body: BulletinCreate, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> BulletinRead:
    """Compile the bulletin for a reporting deadline now (the sweep does it the day after each one) and send
    it to every unit of the plan. `period_due_on` must be one of the plan's reporting deadlines (每月30日: the
    30th, February's last day); another day is a 422 `not_a_reporting_deadline` naming the nearest ones."""
    return await BulletinService(session, principal, request.app.state.tasks_client, request.app.state.clock).compile(
        body.plan_id, body.period_due_on
    )


@router.get("/v1/bulletins", response_model=Page[BulletinRead], tags=["bulletins"])
async def list_bulletins(
    principal: CurrentPrincipal, session: SessionDep, page: PageDep, plan_id: int | None = None
) -> Page[BulletinRead]:
    return await BulletinService(session, principal).list(limit=page.limit, cursor=page.cursor, plan_id=plan_id)


@router.get(
    "/v1/bulletins/{bulletin_id}.{fmt}",
    response_class=Response,
    tags=["bulletins"],
    responses={200: {"content": {XLSX: {}, DOCX: {}}}, **responses(BulletinNotFound)},
)
async def export_bulletin(
    bulletin_id: int, fmt: Literal["xlsx", "docx"], principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """`.xlsx` as offices file it, or `.docx` to print and issue."""
    bulletin = await BulletinService(session, principal).get(bulletin_id)
    media, content = bulletin_files(bulletin)[fmt]
    name = quote(f"{bulletin.title}.{fmt}")
    return Response(content, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


@router.get(
    "/v1/bulletins/{bulletin_id}",
    response_model=BulletinRead,
    tags=["bulletins"],
    responses=responses(BulletinNotFound),
)
async def get_bulletin(bulletin_id: int, principal: CurrentPrincipal, session: SessionDep) -> BulletinRead:
    return await BulletinService(session, principal).get(bulletin_id)
