"""Plan drafts: a policy document in, a proposed plan and breakdown table out, reviewed, then accepted."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import ValidationError

from luoshi.errors import FieldProblem, PayloadTooLarge, PreconditionRequired, StaleEtag, ValidationFailed, responses
from luoshi.etag import IfMatchOptional
from luoshi.filenames import safe_filename
from luoshi.inputguard import GuardedRoute
from luoshi.jobs import JobRead, get_job, job_read
from luoshi.openapi import sends
from luoshi.pagination import Page
from luoshi.routers import job_location
from luoshi_tasks.deps import ClockDep, CurrentPrincipal, IfMatch, PageDep, SessionDep, SettingsDep
from luoshi_tasks.errors import DocumentTypeUnsupported, DraftAlreadyAccepted, DraftNotFound, DraftRejected
from luoshi_tasks.models import Job
from luoshi_tasks.schemas.drafts import (
    DraftAccept,
    DraftAccepted,
    DraftCreate,
    DraftPatch,
    DraftRead,
    DraftStatus,
    DraftSummary,
)
from luoshi_tasks.service.drafts import DraftService, draft_etag

router = APIRouter(route_class=GuardedRoute, tags=["plan drafts"])

_UPLOAD_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DraftCreate.model_json_schema(ref_template="#/components/schemas/{model}")},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": ".txt (UTF-8 or GB18030), .docx or .pdf with text",
                        }
                    },
                }
            },
        },
    }
}


@router.post(
    "/v1/plan-drafts",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=_UPLOAD_SCHEMA,
    responses={**responses(PayloadTooLarge, DocumentTypeUnsupported), **sends("Location", status=202)},
)
async def create_plan_draft(
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    response: Response,
) -> JobRead:
    """Read a plan's text (JSON `{"text": …}`) or document (multipart `file`) into a draft: metadata, phases,
    leading group, the task tree with lead and cooperating units and deadlines, indicators, and the unit names
    no known unit matches. Nothing else is created until the draft is accepted.

    The document is read by a job: poll `Location` (`/v1/jobs/{id}`); its `result.draft_id` names the draft. A
    document that is no plan, or over a limit (unpacked size, characters, tasks), fails the job with the
    reason, its `code` naming the limit."""
    service = DraftService(session, principal, clock)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_files=1)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed(
                "Send the document as the form field 'file'",
                "请以表单字段 file 上传文件",
                errors=[
                    FieldProblem(loc=["body", "file"], code="missing", message="Field required", message_zh="缺少文件")
                ],
            )
        data = await upload.read(settings.import_max_bytes + 1)
        if len(data) > settings.import_max_bytes:
            raise PayloadTooLarge(f"The file is larger than {settings.import_max_bytes} bytes", "文件过大")
        name = safe_filename(upload.filename, default="plan.txt")
        job_id = await service.start(data, name, upload.content_type or "", is_text=False, source_name=name)
    else:
        try:
            body = DraftCreate.model_validate_json(await request.body())
        except ValidationError as exc:
            raise ValidationFailed(
                "The request body is not valid",
                "请求内容不合法",
                errors=[FieldProblem(loc=["body", *e["loc"]], code=e["type"], message=e["msg"]) for e in exc.errors()],
            ) from exc
        job_id = await service.start(
            body.text.encode("utf-8"),
            "plan.txt",
            "text/plain; charset=utf-8",
            is_text=True,
            source_name=safe_filename(body.source_name) if body.source_name else None,
        )
    response.headers["Location"] = job_location("tasks", job_id)
    return job_read(await get_job(session, Job, job_id))


@router.get("/v1/plan-drafts", response_model=Page[DraftSummary])
async def list_plan_drafts(
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    page: PageDep,
    status_: Annotated[DraftStatus | None, Query(alias="status")] = None,
) -> Page[DraftSummary]:
    """Drafts of the caller's office, newest first."""
    return await DraftService(session, principal, clock).list(limit=page.limit, cursor=page.cursor, status=status_)


@router.get(
    "/v1/plan-drafts/{draft_id}", response_model=DraftRead, responses={**responses(DraftNotFound), **sends("ETag")}
)
async def get_plan_draft(
    draft_id: int, principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, response: Response
) -> DraftRead:
    draft = await DraftService(session, principal, clock).get(draft_id)
    response.headers["ETag"] = draft_etag(draft)
    return draft


@router.patch(
    "/v1/plan-drafts/{draft_id}",
    response_model=DraftRead,
    responses={
        **responses(DraftNotFound, StaleEtag, PreconditionRequired, DraftRejected, DraftAlreadyAccepted),
        **sends("ETag"),
    },
)
async def update_plan_draft(
    draft_id: int,
    body: DraftPatch,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> DraftRead:
    """Replace parts of the draft: fix a title, a unit, a deadline; map unknown unit names to units."""
    draft = await DraftService(session, principal, clock).update(draft_id, body, if_match)
    response.headers["ETag"] = draft_etag(draft)
    return draft


@router.post(
    "/v1/plan-drafts/{draft_id}/accept",
    response_model=DraftAccepted,
    status_code=status.HTTP_201_CREATED,
    responses={
        **responses(DraftNotFound, StaleEtag, PreconditionRequired, DraftRejected, DraftAlreadyAccepted),
        **sends("Location", status=201),
    },
)
async def accept_plan_draft(
    draft_id: int,
    body: DraftAccept,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> DraftAccepted:
    """Create the plan, its phases and leading group, and its tasks and assignments, in one transaction —
    the same way an uploaded breakdown table is imported. Any problem refuses the whole, each one listed
    (`errors`, the draft's `warnings`): a task with no lead unit too, unless `allow_tasks_without_lead`.

    Unit names the office mapped become aliases of those units. Once the plan is committed, the draft's
    indicators are handed to scoring-api as draft indicators, with the caller's credential; if scoring-api
    cannot take them the plan stands and `indicators.handed_over` is false, saying why."""
    service = DraftService(session, principal, clock)
    accepted = await service.accept(draft_id, body, if_match)
    await session.commit()  # scoring-api reads the plan from tasks-api: it must exist before the hand-over
    accepted.indicators = await service.hand_over_indicators(
        request.app.state.scoring_client, draft_id, accepted.plan.id, _credentials(request)
    )
    response.headers["Location"] = f"/v1/plans/{accepted.plan.id}"
    return accepted


def _credentials(request: Request) -> dict[str, str]:
    """The caller's own credential, for a call made on their behalf."""
    return {k: request.headers[k] for k in ("Authorization", "X-API-Key") if k in request.headers}


@router.delete(
    "/v1/plan-drafts/{draft_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(DraftNotFound, StaleEtag),
)
async def delete_plan_draft(
    draft_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    if_match: IfMatchOptional = None,
) -> Response:
    """Delete a draft of your office (an accepted one too: its plan stays). `If-Match` is checked when sent;
    it is not required, so a draft too large to read can still be removed."""
    await DraftService(session, principal, clock).delete(draft_id, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
