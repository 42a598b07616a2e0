"""Indicators, their values (with revisions and evidence) and benchmarks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, UploadFile, status

from luoshi.errors import PayloadTooLarge, PreconditionRequired, ReferenceOutsidePlan, StaleEtag, responses
from luoshi.etag import row_etag
from luoshi.filenames import download_headers
from luoshi.inputguard import GuardedRoute
from luoshi.openapi import sends
from luoshi.pagination import Page
from luoshi_scoring.deps import ClockDep, CurrentPrincipal, IfMatch, PageDep, SessionDep, SettingsDep, TasksDep
from luoshi_scoring.errors import (
    AttachmentNotFound,
    IndicatorNotFound,
    ValueExists,
    ValueInvalid,
    ValueNotFound,
    ValuesLocked,
)
from luoshi_scoring.schemas.indicators import (
    AttachmentRead,
    BenchmarkRead,
    BenchmarkUpsert,
    DraftIndicatorsCreate,
    IndicatorCreate,
    IndicatorRead,
    IndicatorUpdate,
    RevisionRead,
    ValueCreate,
    ValueRead,
    ValueUpdate,
)
from luoshi_scoring.service.access import PlanNotFound
from luoshi_scoring.service.indicators import IndicatorService

router = APIRouter(route_class=GuardedRoute)


@router.post(
    "/v1/indicators",
    response_model=IndicatorRead,
    status_code=status.HTTP_201_CREATED,
    tags=["indicators"],
    responses={**responses(PlanNotFound, ReferenceOutsidePlan), **sends("ETag", "Location", status=201)},
)
async def create_indicator(
    body: IndicatorCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    tasks: TasksDep,
    response: Response,
) -> IndicatorRead:
    """Define an indicator of a plan (checked against tasks-api) with its target and scoring rule."""
    indicator = await IndicatorService(session, principal, clock, tasks).create(body)
    response.headers["ETag"] = row_etag("indicator", indicator)
    response.headers["Location"] = f"/v1/indicators/{indicator.id}"
    return indicator


@router.post(
    "/v1/indicators/drafts",
    response_model=list[IndicatorRead],
    status_code=status.HTTP_201_CREATED,
    tags=["indicators"],
    responses=responses(PlanNotFound),
)
async def create_draft_indicators(
    body: DraftIndicatorsCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    tasks: TasksDep,
) -> list[IndicatorRead]:
    """A plan's indicators as its text states them, as drafts the office completes (tasks-api hands a plan
    draft's indicators over here when the draft is accepted, with the office's own credential). A draft has a
    provisional rule and weight; it is left out of assessments and takes no values until `PATCH` sets
    `status: active` with its real rule, weight and period."""
    return await IndicatorService(session, principal, clock, tasks).create_drafts(body)


@router.get("/v1/indicators", response_model=Page[IndicatorRead], tags=["indicators"])
async def list_indicators(
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    page: PageDep,
    plan_id: int | None = None,
) -> Page[IndicatorRead]:
    """A unit sees the indicators it reports."""
    return await IndicatorService(session, principal, clock, tasks).list(
        limit=page.limit, cursor=page.cursor, plan_id=plan_id
    )


@router.get(
    "/v1/indicators/{indicator_id}",
    response_model=IndicatorRead,
    tags=["indicators"],
    responses={**responses(IndicatorNotFound), **sends("ETag")},
)
async def get_indicator(
    indicator_id: int,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> IndicatorRead:
    indicator = await IndicatorService(session, principal, clock, tasks).get(indicator_id)
    response.headers["ETag"] = row_etag("indicator", indicator)
    return indicator


@router.patch(
    "/v1/indicators/{indicator_id}",
    response_model=IndicatorRead,
    tags=["indicators"],
    responses={**responses(IndicatorNotFound, StaleEtag, PreconditionRequired), **sends("ETag")},
)
async def update_indicator(
    indicator_id: int,
    body: IndicatorUpdate,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> IndicatorRead:
    indicator = await IndicatorService(session, principal, clock, tasks).update(indicator_id, body, if_match)
    response.headers["ETag"] = row_etag("indicator", indicator)
    return indicator


@router.post(
    "/v1/indicators/{indicator_id}/values",
    response_model=ValueRead,
    status_code=status.HTTP_201_CREATED,
    tags=["values"],
    responses={
        **responses(IndicatorNotFound, ValueInvalid, ValueExists, ValuesLocked),
        **sends("ETag", "Location", status=201),
    },
)
async def enter_value(
    indicator_id: int,
    body: ValueCreate,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> ValueRead:
    """A unit enters its value for a period (its own unit by default). Checked: the period's form and that it
    has begun, the indicator's unit of measure, 0–100 for percentages, and that the period is not locked."""
    value = await IndicatorService(session, principal, clock, tasks).enter_value(indicator_id, body)
    response.headers["ETag"] = row_etag("value", value)
    response.headers["Location"] = f"/v1/values/{value.id}"
    return value


@router.get(
    "/v1/indicators/{indicator_id}/values",
    response_model=Page[ValueRead],
    tags=["values"],
    responses=responses(IndicatorNotFound),
)
async def list_values(
    indicator_id: int,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    page: PageDep,
    period: str | None = None,
    unit_id: int | None = None,
) -> Page[ValueRead]:
    """A unit sees its own values; the office and leaders see all."""
    return await IndicatorService(session, principal, clock, tasks).values(
        indicator_id, limit=page.limit, cursor=page.cursor, period=period, unit_id=unit_id
    )


@router.get(
    "/v1/values/{value_id}",
    response_model=ValueRead,
    tags=["values"],
    responses={**responses(ValueNotFound), **sends("ETag")},
)
async def get_value(
    value_id: int,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> ValueRead:
    value = await IndicatorService(session, principal, clock, tasks).get_value(value_id)
    response.headers["ETag"] = row_etag("value", value)
    return value


@router.patch(
    "/v1/values/{value_id}",
    response_model=ValueRead,
    tags=["values"],
    responses={
        **responses(ValueNotFound, ValueInvalid, ValuesLocked, StaleEtag, PreconditionRequired),
        **sends("ETag"),
    },
)
async def change_value(
    value_id: int,
    body: ValueUpdate,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> ValueRead:
    """Correct a value: a new revision (the old ones stay readable); it needs verifying again."""
    value = await IndicatorService(session, principal, clock, tasks).change_value(value_id, body, if_match)
    response.headers["ETag"] = row_etag("value", value)
    return value


@router.post(
    "/v1/values/{value_id}/verify",
    response_model=ValueRead,
    tags=["values"],
    responses={**responses(ValueNotFound, ValuesLocked, StaleEtag, PreconditionRequired), **sends("ETag")},
)
async def verify_value(
    value_id: int,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> ValueRead:
    """The office confirms the value (核实)."""
    value = await IndicatorService(session, principal, clock, tasks).verify_value(value_id, if_match)
    response.headers["ETag"] = row_etag("value", value)
    return value


@router.get(
    "/v1/values/{value_id}/revisions",
    response_model=Page[RevisionRead],
    tags=["values"],
    responses=responses(ValueNotFound),
)
async def value_revisions(
    value_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, clock: ClockDep, page: PageDep
) -> Page[RevisionRead]:
    return await IndicatorService(session, principal, clock, tasks).revisions(
        value_id, limit=page.limit, cursor=page.cursor
    )


@router.post(
    "/v1/values/{value_id}/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    tags=["values"],
    responses=responses(ValueNotFound, ValuesLocked, PayloadTooLarge),
)
async def attach_evidence(
    value_id: int,
    file: UploadFile,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> AttachmentRead:
    """Evidence for a value (stored in the database; ATTACHMENT_MAX_BYTES each)."""
    data = await file.read(settings.attachment_max_bytes + 1)
    return await IndicatorService(session, principal, clock, tasks).attach(
        value_id,
        file.filename or "evidence",
        file.content_type or "application/octet-stream",
        data,
        settings.attachment_max_bytes,
    )


@router.get(
    "/v1/values/{value_id}/attachments",
    response_model=Page[AttachmentRead],
    tags=["values"],
    responses=responses(ValueNotFound),
)
async def list_evidence(
    value_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, clock: ClockDep, page: PageDep
) -> Page[AttachmentRead]:
    return await IndicatorService(session, principal, clock, tasks).attachments(
        value_id, limit=page.limit, cursor=page.cursor
    )


@router.get(
    "/v1/value-attachments/{attachment_id}",
    response_class=Response,
    tags=["values"],
    responses={
        **responses(AttachmentNotFound),
        200: {
            "description": "The file as a download, with the content type it was uploaded with unless a browser "
            "would render or run it (HTML, SVG, XHTML, XML, script: application/octet-stream)",
            "content": {"*/*": {}},
        },
    },
)
async def download_evidence(
    attachment_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, clock: ClockDep
) -> Response:
    att = await IndicatorService(session, principal, clock, tasks).attachment_content(attachment_id)
    # Always a download, never sniffed; HTML, SVG or script as application/octet-stream.
    return Response(att.data, headers=download_headers(att.filename, att.content_type))


@router.post(
    "/v1/benchmarks",
    response_model=BenchmarkRead,
    tags=["benchmarks"],
    responses={**responses(IndicatorNotFound, ValueInvalid, ValuesLocked), 201: {"model": BenchmarkRead}},
)
async def upsert_benchmark(
    body: BenchmarkUpsert,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> BenchmarkRead:
    """The office enters (or replaces) an indicator's benchmark for a period, e.g. the 全省平均 published that
    year: 201 when new, 200 when replaced."""
    benchmark, created = await IndicatorService(session, principal, clock, tasks).upsert_benchmark(body)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return benchmark


@router.get("/v1/benchmarks", response_model=Page[BenchmarkRead], tags=["benchmarks"])
async def list_benchmarks(
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    clock: ClockDep,
    page: PageDep,
    indicator_id: Annotated[int | None, Query()] = None,
    period: str | None = None,
) -> Page[BenchmarkRead]:
    return await IndicatorService(session, principal, clock, tasks).benchmarks(
        limit=page.limit, cursor=page.cursor, indicator_id=indicator_id, period=period
    )
