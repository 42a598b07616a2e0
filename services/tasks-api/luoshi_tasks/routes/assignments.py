"""Assignments and their transitions, reports, attachments and extensions; "my tasks"; deadlines."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, UploadFile, status

from luoshi.errors import PayloadTooLarge, PreconditionRequired, StaleEtag, responses
from luoshi.filenames import download_headers
from luoshi.inputguard import GuardedRoute
from luoshi.jsonutil import ORJSONResponse, PageResponse
from luoshi.openapi import sends
from luoshi.pagination import Page, PageParams, bulk_page_params
from luoshi.search import SearchQuery
from luoshi_tasks.deps import ClockDep, CurrentPrincipal, IfMatch, PageDep, SessionDep, SettingsDep
from luoshi_tasks.errors import (
    AssignmentNotFound,
    AttachmentNotFound,
    CommentRequired,
    PeriodNotInSchedule,
    PlanArchived,
    ReportNotAllowed,
    ReportNotFound,
    ReviewNotAllowed,
    TransitionNotAllowed,
)
from luoshi_tasks.schemas.plans import Light
from luoshi_tasks.schemas.workflow import (
    AssignmentRead,
    AssignmentState,
    AttachmentRead,
    DeadlineItem,
    ReportCreate,
    ReportRead,
    ReportState,
    ReviewIn,
    TransitionIn,
)
from luoshi_tasks.service import views
from luoshi_tasks.service.assignments import AssignmentService, assignment_etag, list_mine
from luoshi_tasks.service.reports import ReportService, report_etag

router = APIRouter(route_class=GuardedRoute, tags=["assignments"])


@router.get("/v1/me/assignments", response_model=Page[AssignmentRead], tags=["views"])
async def list_my_assignments(
    request: Request,
    principal: CurrentPrincipal,
    clock: ClockDep,
    page: PageDep,
    plan_id: int | None = None,
    state: AssignmentState | None = None,
    light: Light | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    unit_id: Annotated[int | None, Query(description="Office and leaders: whose work to show")] = None,
) -> Page[AssignmentRead]:
    """我的任务: my unit's assignments sorted by due date (none last), with their lights."""
    page_ = await list_mine(
        request.app.state.db.pool,
        principal,
        clock,
        unit_id=unit_id,
        limit=page.limit,
        cursor=page.cursor,
        plan_id=plan_id,
        state=state,
        light=light,
        due_from=due_from,
        due_to=due_to,
    )
    return PageResponse(page_)  # type: ignore[return-value]  # shaped as Page[AssignmentRead]


@router.get(
    "/v1/assignments/{assignment_id}",
    response_model=AssignmentRead,
    responses={**responses(AssignmentNotFound), **sends("ETag")},
)
async def get_assignment(
    assignment_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, response: Response
) -> AssignmentRead:
    assignment = await AssignmentService(session, principal, clock).get(assignment_id)
    response.headers["ETag"] = assignment_etag(assignment.model_dump())
    return assignment


@router.post(
    "/v1/assignments/{assignment_id}/transitions",
    response_model=AssignmentRead,
    responses={
        **responses(
            PlanArchived,
            AssignmentNotFound,
            TransitionNotAllowed,
            CommentRequired,
            StaleEtag,
            PreconditionRequired,
        ),
        **sends("ETag"),
    },
)
async def transition_assignment(
    assignment_id: int,
    body: TransitionIn,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> AssignmentRead:
    """Move an assignment one step (see `action`); needs the assignment's ETag in `If-Match`."""
    assignment = await AssignmentService(session, principal, clock).transition(assignment_id, body, if_match)
    response.headers["ETag"] = assignment_etag(assignment.model_dump())
    return assignment


@router.get(
    "/v1/assignments/{assignment_id}/reports",
    response_model=Page[ReportRead],
    tags=["reports"],
    responses=responses(AssignmentNotFound),
)
async def list_assignment_reports(
    assignment_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    page: PageDep,
    period_due_on: date | None = None,
    state: ReportState | None = None,
) -> Page[ReportRead]:
    return await ReportService(session, principal, clock, settings).list(
        assignment_id, limit=page.limit, cursor=page.cursor, period_due_on=period_due_on, state=state
    )


@router.get("/v1/reports", response_model=Page[ReportRead], tags=["reports"])
async def search_reports(
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    page: PageDep,
    q: SearchQuery = None,
    plan_id: int | None = None,
    unit_id: Annotated[int | None, Query(description="The reporting unit (a unit's people see only their own)")] = None,
    state: ReportState | None = None,
    due_from: Annotated[date | None, Query(description="Reports for periods due on or after this day")] = None,
    due_to: Annotated[date | None, Query(description="Reports for periods due on or before this day")] = None,
) -> Page[ReportRead]:
    """Reports across assignments, newest first: `q` finds those whose text contains it (反馈内容)."""
    return await ReportService(session, principal, clock, settings).search(
        limit=page.limit,
        cursor=page.cursor,
        plan_id=plan_id,
        unit_id=unit_id,
        state=state,
        q=q,
        due_from=due_from,
        due_to=due_to,
    )


@router.post(
    "/v1/assignments/{assignment_id}/reports",
    response_model=ReportRead,
    status_code=status.HTTP_201_CREATED,
    tags=["reports"],
    responses={
        **responses(PlanArchived, AssignmentNotFound, ReportNotAllowed, PeriodNotInSchedule),
        **sends("ETag", "Location", status=201),
    },
)
async def submit_report(
    assignment_id: int,
    body: ReportCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    response: Response,
) -> ReportRead:
    """反馈: report progress for a reporting period. Whether it is late is decided now and stored."""
    report = await ReportService(session, principal, clock, settings).submit(assignment_id, body)
    response.headers["ETag"] = report_etag(report)
    response.headers["Location"] = f"/v1/reports/{report.id}"
    return report


@router.get(
    "/v1/reports/{report_id}",
    response_model=ReportRead,
    tags=["reports"],
    responses={**responses(ReportNotFound), **sends("ETag")},
)
async def get_report(
    report_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    response: Response,
) -> ReportRead:
    report = await ReportService(session, principal, clock, settings).get(report_id)
    response.headers["ETag"] = report_etag(report)
    return report


@router.post(
    "/v1/reports/{report_id}/review",
    response_model=ReportRead,
    tags=["reports"],
    responses={
        **responses(PlanArchived, ReportNotFound, ReviewNotAllowed, CommentRequired, StaleEtag, PreconditionRequired),
        **sends("ETag"),
    },
)
async def review_report(
    report_id: int,
    body: ReviewIn,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ReportRead:
    """The office accepts a report (its percent becomes the assignment's progress) or returns it (退回) with a
    comment."""
    report = await ReportService(session, principal, clock, settings).review(report_id, body, if_match)
    response.headers["ETag"] = report_etag(report)
    return report


@router.post(
    "/v1/reports/{report_id}/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    tags=["reports"],
    responses=responses(PlanArchived, ReportNotFound, ReportNotAllowed, PayloadTooLarge),
)
async def add_report_attachment(
    report_id: int,
    file: UploadFile,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> AttachmentRead:
    """Attach evidence to a report (stored in the database; ATTACHMENT_MAX_BYTES per report)."""
    data = await file.read(settings.attachment_max_bytes + 1)
    if len(data) > settings.attachment_max_bytes:
        raise PayloadTooLarge(f"At most {settings.attachment_max_bytes} bytes", "附件过大")
    return await ReportService(session, principal, clock, settings).attach(
        report_id, file.filename or "attachment", file.content_type or "application/octet-stream", data
    )


@router.get(
    "/v1/reports/{report_id}/attachments/{attachment_id}",
    response_class=Response,
    tags=["reports"],
    responses={
        **{
            **responses(ReportNotFound, AttachmentNotFound),
            200: {
                "description": "The file as a download, with the content type it was uploaded with unless a browser "
                "would render or run it (HTML, SVG, XHTML, XML, script: application/octet-stream)",
                "content": {"*/*": {}},
            },
        },
        **sends("ETag"),
    },
)
async def download_report_attachment(
    report_id: int,
    attachment_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    att = await ReportService(session, principal, clock, settings).attachment(report_id, attachment_id)
    # Always a download, never sniffed; HTML, SVG or script as application/octet-stream.
    return Response(att.data, headers={**download_headers(att.filename, att.content_type), "ETag": f'"{att.sha256}"'})


@router.get("/v1/deadlines", response_model=Page[DeadlineItem], tags=["views"])
async def list_deadlines(
    principal: CurrentPrincipal,
    request: Request,
    page: Annotated[PageParams, Depends(bulk_page_params)],
    from_: Annotated[date, Query(alias="from")],
    to: date,
    kind: Literal["assignment", "report"] | None = None,
    plan_id: int | None = None,
    unit_id: int | None = None,
    on: Annotated[
        list[date] | None,
        Query(max_length=400, description="Only deadlines falling on these dates (repeat), within [from, to]"),
    ] = None,
    exclude_state: Annotated[
        list[AssignmentState] | None,
        Query(max_length=5, description="Leave out assignments in these states (repeat); closed ones never appear"),
    ] = None,
) -> Page[DeadlineItem]:
    """Deadlines falling in [from, to]: open assignments of active plans, and each unit's reporting
    deadlines from its plans' schedules (for notify and other systems)."""
    page_ = await views.deadlines(
        request.app.state.db,
        principal,
        start=from_,
        end=to,
        kind=kind,
        plan_id=plan_id,
        unit_id=unit_id,
        limit=page.limit,
        cursor=page.cursor,
        on=on,
        exclude_states=exclude_state,
    )
    return ORJSONResponse(page_)  # type: ignore[return-value]  # shaped as Page[DeadlineItem]
