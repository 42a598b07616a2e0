"""Plans, their task tree, the board, and the breakdown table in and out."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response, UploadFile, status

from luoshi.contracts.plans import PlanUnits
from luoshi.errors import (
    PayloadTooLarge,
    PreconditionRequired,
    ServiceUnavailable,
    StaleEtag,
    UpstreamError,
    responses,
)
from luoshi.inputguard import GuardedRoute
from luoshi.jobs import JobRead, get_job, job_read
from luoshi.jsonutil import PageResponse
from luoshi.openapi import sends
from luoshi.pagination import Page
from luoshi.routers import job_location
from luoshi.search import SearchQuery
from luoshi_tasks.deps import ClockDep, CurrentPrincipal, IfMatch, PageDep, SessionDep, SettingsDep
from luoshi_tasks.errors import (
    CommentRequired,
    DeadlineUnreadable,
    DuplicateTaskNumber,
    PlanArchived,
    PlanHasActivity,
    PlanNotFound,
    TaskHasReports,
    TaskNotFound,
    TransitionNotAllowed,
    UnitNameUnresolved,
    UnitNotFound,
)
from luoshi_tasks.models import Job
from luoshi_tasks.schemas.plans import (
    Light,
    PlanCreate,
    PlanRead,
    PlanState,
    PlanSummary,
    PlanUpdate,
    TaskCreate,
    TaskFilter,
    TaskRead,
    TaskUpdate,
)
from luoshi_tasks.schemas.workflow import AssignmentState, Board, Overview, TaskCloseIn
from luoshi_tasks.service import breakdown, task_list, views
from luoshi_tasks.service import plans as plan_service
from luoshi_tasks.service.plans import PlanService, plan_etag
from luoshi_tasks.service.progress import ProgressTable
from luoshi_tasks.service.tasks import TaskService, task_etag

router = APIRouter(route_class=GuardedRoute, tags=["plans"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.post(
    "/v1/plans",
    response_model=PlanRead,
    status_code=status.HTTP_201_CREATED,
    responses={**responses(UnitNameUnresolved, UnitNotFound), **sends("ETag", "Location", status=201)},
)
async def create_plan(
    body: PlanCreate, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> PlanRead:
    """Create a plan (office). The issuer is matched to a unit by name, or created as a government."""
    plan = await PlanService(session, principal).create(body)
    response.headers["ETag"] = plan_etag(plan)
    response.headers["Location"] = f"/v1/plans/{plan.id}"
    return plan


@router.get("/v1/plans", response_model=Page[PlanSummary])
async def list_plans(
    request: Request,
    principal: CurrentPrincipal,
    page: PageDep,
    status_: Annotated[PlanState | None, Query(alias="status")] = None,
    q: str | None = None,
) -> Page[PlanSummary]:
    """Plans, newest first. A unit sees the plans it has work in."""
    page_ = await plan_service.list_plans(
        request.app.state.db.pool, principal, limit=page.limit, cursor=page.cursor, status=status_, q=q
    )
    return PageResponse(page_)  # type: ignore[return-value]  # shaped as Page[PlanSummary]


@router.get("/v1/plans/{plan_id}", response_model=PlanRead, responses={**responses(PlanNotFound), **sends("ETag")})
async def get_plan(plan_id: int, principal: CurrentPrincipal, session: SessionDep, response: Response) -> PlanRead:
    service = PlanService(session, principal)
    plan = await service.read(await service.get_plan(plan_id))
    response.headers["ETag"] = plan_etag(plan)
    return plan


@router.patch(
    "/v1/plans/{plan_id}",
    response_model=PlanRead,
    responses={
        **responses(
            PlanArchived,
            PlanNotFound,
            StaleEtag,
            PreconditionRequired,
            UnitNameUnresolved,
        ),
        **sends("ETag"),
    },
)
async def update_plan(
    plan_id: int,
    body: PlanUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlanRead:
    """Change a plan, including its status (draft → active → closed), phases and leading group."""
    plan = await PlanService(session, principal).update(plan_id, body, if_match)
    response.headers["ETag"] = plan_etag(plan)
    return plan


@router.post(
    "/v1/plans/{plan_id}/archive",
    response_model=PlanRead,
    responses={**responses(PlanNotFound, StaleEtag, PreconditionRequired, PlanArchived), **sends("ETag")},
)
async def archive_plan(
    plan_id: int, principal: CurrentPrincipal, session: SessionDep, response: Response, if_match: IfMatch = None
) -> PlanRead:
    """Archive a plan (status `archived`): it stays readable, and nothing in it changes any more — the plan, its
    tasks, assignments, reports and extensions all answer 409 `plan_archived`. Audited."""
    plan = await PlanService(session, principal).archive(plan_id, if_match)
    response.headers["ETag"] = plan_etag(plan)
    return plan


@router.delete(
    "/v1/plans/{plan_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(
        PlanNotFound, StaleEtag, PreconditionRequired, PlanHasActivity, ServiceUnavailable, UpstreamError
    ),
)
async def delete_plan(
    plan_id: int, request: Request, principal: CurrentPrincipal, session: SessionDep, if_match: IfMatch = None
) -> Response:
    """Delete a plan made by mistake, with its tasks and assignments, while nothing has been done on it: no
    report, no assignment moved from `assigned`, no extension request, no indicator value in scoring-api (asked
    with the caller's credential). Otherwise 409 `plan_has_activity` with `activity` counting each kind: archive
    it instead. Audited."""
    credentials = {k: request.headers[k] for k in ("Authorization", "X-API-Key") if k in request.headers}
    await PlanService(session, principal).delete(plan_id, if_match, request.app.state.scoring_client, credentials)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/v1/plans/{plan_id}/tasks", response_model=Page[TaskRead], tags=["tasks"], responses=responses(PlanNotFound)
)
async def list_plan_tasks(
    plan_id: int,
    request: Request,
    principal: CurrentPrincipal,
    clock: ClockDep,
    page: PageDep,
    parent_id: int | None = None,
    roots_only: bool = False,
    q: SearchQuery = None,
    unit_id: Annotated[
        int | None, Query(description="Tasks with an assignment of this unit (lead or cooperating)")
    ] = None,
    state: Annotated[AssignmentState | None, Query(description="Tasks with an assignment in this state")] = None,
    light: Annotated[Light | None, Query(description="The task's light (the worst of its assignments')")] = None,
    due_from: Annotated[date | None, Query(description="Tasks due on or after this day")] = None,
    due_to: Annotated[date | None, Query(description="Tasks due on or before this day")] = None,
) -> Page[TaskRead]:
    """The task tree in document order: each task has its `parent_id` and `number` (一、 > （一） > 1.),
    its assignments and its traffic light. `q` finds tasks whose title or measures contain the text."""
    where = TaskFilter(q=q, unit_id=unit_id, state=state, light=light, due_from=due_from, due_to=due_to)
    page_ = await task_list.list_tasks(
        request.app.state.db.pool,
        principal,
        plan_id,
        today=clock.today(),
        limit=page.limit,
        cursor=page.cursor,
        parent_id=parent_id,
        roots_only=roots_only,
        where=where,
    )
    return PageResponse(page_)  # type: ignore[return-value]  # shaped as Page[TaskRead]


@router.post(
    "/v1/plans/{plan_id}/tasks",
    response_model=TaskRead,
    status_code=status.HTTP_201_CREATED,
    tags=["tasks"],
    responses={
        **responses(
            PlanArchived,
            PlanNotFound,
            TaskNotFound,
            UnitNameUnresolved,
            DeadlineUnreadable,
            DuplicateTaskNumber,
        ),
        **sends("ETag", "Location", status=201),
    },
)
async def create_task(
    plan_id: int,
    body: TaskCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> TaskRead:
    """Add a task: each of its units gets an assignment (交办), the lead unit's marked `lead`."""
    task = await TaskService(session, principal, clock).create(plan_id, body)
    response.headers["ETag"] = task_etag(task)
    response.headers["Location"] = f"/v1/tasks/{task.id}"
    return task


@router.get(
    "/v1/tasks/{task_id}",
    response_model=TaskRead,
    tags=["tasks"],
    responses={**responses(TaskNotFound), **sends("ETag")},
)
async def get_task(
    task_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, response: Response
) -> TaskRead:
    task = await TaskService(session, principal, clock).get(task_id)
    response.headers["ETag"] = task_etag(task)
    return task


@router.patch(
    "/v1/tasks/{task_id}",
    response_model=TaskRead,
    tags=["tasks"],
    responses={
        **responses(
            PlanArchived,
            TaskNotFound,
            StaleEtag,
            PreconditionRequired,
            UnitNameUnresolved,
            DeadlineUnreadable,
            TaskHasReports,
        ),
        **sends("ETag"),
    },
)
async def update_task(
    task_id: int,
    body: TaskUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskRead:
    """Change a task. Changing its units adds or removes assignments (not one a unit has reported on)."""
    task = await TaskService(session, principal, clock).update(task_id, body, if_match)
    response.headers["ETag"] = task_etag(task)
    return task


@router.post(
    "/v1/tasks/{task_id}/close",
    response_model=TaskRead,
    tags=["tasks"],
    responses={
        **responses(TaskNotFound, StaleEtag, PreconditionRequired, CommentRequired, TransitionNotAllowed),
        **sends("ETag"),
    },
)
async def close_task(
    task_id: int,
    body: TaskCloseIn,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskRead:
    """办结 a whole task (the plan's office, with the task's ETag): every open assignment whose unit asked to close
    (request_completion), and, on behalf, those of units without accounts (no active user, no live API key),
    which cannot ask. A unit with accounts that has not asked is a 409 naming its assignment. `comment` says why
    and is audited on the task and on each assignment (`on_behalf` where the unit did not ask)."""
    task = await TaskService(session, principal, clock).close(task_id, body.comment, if_match)
    response.headers["ETag"] = task_etag(task)
    return task


@router.delete(
    "/v1/tasks/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["tasks"],
    responses=responses(PlanArchived, TaskNotFound, StaleEtag, PreconditionRequired, TaskHasReports),
)
async def delete_task(
    task_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, if_match: IfMatch = None
) -> Response:
    await TaskService(session, principal, clock).delete(task_id, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/plans/{plan_id}/breakdown",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["breakdown"],
    responses={**responses(PlanArchived, PlanNotFound, PayloadTooLarge), **sends("Location", status=202)},
)
async def import_breakdown(
    plan_id: int,
    file: UploadFile,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    create_units: Annotated[bool, Query(description="Create unknown units under the plan's issuer")] = False,
) -> JobRead:
    """Import a breakdown table (`.xlsx` or `.csv`) as a job. Columns are found by their Chinese headers
    (序号, 工作任务/任务内容, 具体措施, 牵头单位, 配合单位/责任单位, 完成时限, 责任人); the header row need not be
    the first. Any bad row fails the whole job with every error listed by row and column; nothing is written.
    Poll `Location` for the result."""
    data = await file.read(settings.import_max_bytes + 1)
    job_id = await breakdown.start_import(
        session,
        principal,
        plan_id,
        file.filename or "breakdown.xlsx",
        file.content_type or "",
        data,
        create_units=create_units,
        max_bytes=settings.import_max_bytes,
    )
    response.headers["Location"] = job_location("tasks", job_id)
    job = await get_job(session, Job, job_id)
    return job_read(job)


def _download(data: bytes, name: str, media_type: str) -> Response:
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )


@router.get(
    "/v1/plans/{plan_id}/breakdown.xlsx",
    response_class=Response,
    tags=["breakdown"],
    responses={**responses(PlanNotFound), 200: {"content": {XLSX: {}}}},
)
async def export_breakdown(plan_id: int, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """The plan's breakdown table as an office files it (importable again as it is)."""
    title, data = await breakdown.export(session, principal, plan_id, "xlsx")
    return _download(data, f"{title}任务分解表.xlsx", XLSX)


@router.get(
    "/v1/plans/{plan_id}/breakdown.docx",
    response_class=Response,
    tags=["breakdown"],
    responses={**responses(PlanNotFound), 200: {"content": {DOCX: {}}}},
)
async def export_breakdown_docx(plan_id: int, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """The plan's breakdown table as a Word document (A4 landscape, the header repeated on each page), the form
    offices file with the plan."""
    title, data = await breakdown.export(session, principal, plan_id, "docx")
    return _download(data, f"{title}任务分解表.docx", DOCX)


@router.get(
    "/v1/plans/{plan_id}/progress.xlsx",
    response_class=Response,
    tags=["views"],
    responses={**responses(PlanNotFound), 200: {"content": {XLSX: {}}}},
)
async def export_progress(plan_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep) -> Response:
    """The progress table (任务进展情况汇总表) for the monthly meeting: per assignment in the breakdown's order,
    its unit and role, deadline, state, progress, latest report and light, as of today. A unit gets its own rows."""
    name, data = await ProgressTable(session, principal, clock).xlsx(plan_id)
    return _download(data, f"{name}.xlsx", XLSX)


@router.get(
    "/v1/plans/{plan_id}/progress.docx",
    response_class=Response,
    tags=["views"],
    responses={**responses(PlanNotFound), 200: {"content": {DOCX: {}}}},
)
async def export_progress_docx(
    plan_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep
) -> Response:
    """The progress table as a Word document (A4 landscape)."""
    name, data = await ProgressTable(session, principal, clock).docx(plan_id)
    return _download(data, f"{name}.docx", DOCX)


@router.get("/v1/plans/{plan_id}/units", response_model=PlanUnits, tags=["views"], responses=responses(PlanNotFound))
async def list_plan_units(plan_id: int, principal: CurrentPrincipal, session: SessionDep) -> PlanUnits:
    """The units responsible for the plan's tasks, with how many they lead and cooperate on."""
    return await views.plan_units(session, principal, plan_id)


@router.get("/v1/overview", response_model=Overview, tags=["views"])
async def get_overview(principal: CurrentPrincipal, session: SessionDep, clock: ClockDep) -> Overview:
    """A leader's overview of every active plan (领导驾驶舱): per plan and per unit across plans, open
    assignments by light, overdue and closed ones, and the on-time report rate; the worst first."""
    return await views.overview(session, principal, clock)


@router.get("/v1/plans/{plan_id}/board", response_model=Board, tags=["views"], responses=responses(PlanNotFound))
async def get_plan_board(plan_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep) -> Board:
    """The office's board: per unit, open assignments by light, closed ones, on-time report rate; and
    what is overdue."""
    return PageResponse(await views.board(session, principal, clock, plan_id))  # type: ignore[return-value]
