"""Schemes, deductions and bonuses, assessment runs, scorecards, rankings, results, and the event outbox."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response, status

from luoshi.errors import PreconditionRequired, ReferenceOutsidePlan, StaleEtag, responses
from luoshi.etag import row_etag
from luoshi.inputguard import GuardedRoute
from luoshi.jobs import JobRead, get_job, job_read
from luoshi.openapi import sends
from luoshi.pagination import Page
from luoshi.routers import job_location
from luoshi_scoring.deps import CurrentPrincipal, IfMatch, PageDep, SessionDep, TasksDep
from luoshi_scoring.errors import (
    AdjustmentItemUnknown,
    AssessmentNotFound,
    AssessmentNotReady,
    AssessmentPublished,
    IndicatorNotFound,
    PeriodPublished,
    SchemeNotFound,
    ScorecardNotFound,
)
from luoshi_scoring.models import Job
from luoshi_scoring.repository.assessments import AssessmentRepository
from luoshi_scoring.schemas.assessments import (
    AdjustmentCreate,
    AdjustmentRead,
    AssessmentCreate,
    AssessmentRead,
    Distribution,
    RankingRow,
    SchemeCreate,
    SchemeRead,
    SchemeUpdate,
    ScorecardRead,
)
from luoshi_scoring.service.access import PlanNotFound
from luoshi_scoring.service.assessments import AssessmentService
from luoshi_scoring.service.export import distribution, results_xlsx
from luoshi_scoring.service.schemes import SchemeService

router = APIRouter(route_class=GuardedRoute)


@router.post(
    "/v1/schemes",
    response_model=SchemeRead,
    status_code=status.HTTP_201_CREATED,
    tags=["schemes"],
    responses={**responses(PlanNotFound, ReferenceOutsidePlan), **sends("ETag", status=201)},
)
async def create_scheme(
    body: SchemeCreate, principal: CurrentPrincipal, session: SessionDep, tasks: TasksDep, response: Response
) -> SchemeRead:
    """An assessment scheme: weighted indicators, task performance from tasks-api, deductions and bonuses,
    grade bands and the tie rule."""
    scheme = await SchemeService(session, principal, tasks).create(body)
    response.headers["ETag"] = row_etag("scheme", scheme)
    return scheme


@router.get("/v1/schemes", response_model=Page[SchemeRead], tags=["schemes"])
async def list_schemes(
    principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, page: PageDep, plan_id: int | None = None
) -> Page[SchemeRead]:
    return await SchemeService(session, principal, tasks).list(limit=page.limit, cursor=page.cursor, plan_id=plan_id)


@router.get(
    "/v1/schemes/{scheme_id}",
    response_model=SchemeRead,
    tags=["schemes"],
    responses={**responses(SchemeNotFound), **sends("ETag")},
)
async def get_scheme(
    scheme_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, response: Response
) -> SchemeRead:
    scheme = await SchemeService(session, principal, tasks).get(scheme_id)
    response.headers["ETag"] = row_etag("scheme", scheme)
    return scheme


@router.patch(
    "/v1/schemes/{scheme_id}",
    response_model=SchemeRead,
    tags=["schemes"],
    responses={**responses(SchemeNotFound, StaleEtag, PreconditionRequired, ReferenceOutsidePlan), **sends("ETag")},
)
async def update_scheme(
    scheme_id: int,
    body: SchemeUpdate,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> SchemeRead:
    scheme = await SchemeService(session, principal, tasks).update(scheme_id, body, if_match)
    response.headers["ETag"] = row_etag("scheme", scheme)
    return scheme


@router.post(
    "/v1/schemes/{scheme_id}/adjustments",
    response_model=AdjustmentRead,
    status_code=status.HTTP_201_CREATED,
    tags=["schemes"],
    responses=responses(SchemeNotFound, AdjustmentItemUnknown),
)
async def add_adjustment(
    scheme_id: int, body: AdjustmentCreate, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep
) -> AdjustmentRead:
    """Record a deduction (通报批评) or bonus (新获中国名牌) for a unit, with its evidence."""
    return await SchemeService(session, principal, tasks).add_adjustment(scheme_id, body)


@router.get(
    "/v1/schemes/{scheme_id}/adjustments",
    response_model=Page[AdjustmentRead],
    tags=["schemes"],
    responses=responses(SchemeNotFound),
)
async def list_adjustments(
    scheme_id: int,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    page: PageDep,
    period: str | None = None,
) -> Page[AdjustmentRead]:
    return await SchemeService(session, principal, tasks).adjustments(
        scheme_id, period, limit=page.limit, cursor=page.cursor
    )


@router.post(
    "/v1/assessments",
    response_model=AssessmentRead,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["assessments"],
    responses={**responses(SchemeNotFound), **sends("Location", "Content-Location", status=202)},
)
async def start_assessment(
    body: AssessmentCreate, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, response: Response
) -> AssessmentRead:
    """Run a scheme for a period as a job (`Location` is the job). Each run is a new version; earlier
    versions stay readable."""
    assessment = await AssessmentService(session, principal, tasks).start(body)
    response.headers["Location"] = job_location("scoring", assessment.job_id)
    response.headers["Content-Location"] = f"/v1/assessments/{assessment.id}"
    return assessment


@router.get("/v1/assessments", response_model=Page[AssessmentRead], tags=["assessments"])
async def list_assessments(
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    page: PageDep,
    scheme_id: int | None = None,
    period: str | None = None,
) -> Page[AssessmentRead]:
    """Newest first; a unit sees published ones."""
    return await AssessmentService(session, principal, tasks).list(
        limit=page.limit, cursor=page.cursor, scheme_id=scheme_id, period=period
    )


@router.get(
    "/v1/assessments/{assessment_id}",
    response_model=AssessmentRead,
    tags=["assessments"],
    responses={**responses(AssessmentNotFound), **sends("ETag")},
)
async def get_assessment(
    assessment_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, response: Response
) -> AssessmentRead:
    assessment = await AssessmentService(session, principal, tasks).get(assessment_id)
    response.headers["ETag"] = row_etag("assessment", assessment)
    return assessment


@router.get(
    "/v1/assessments/{assessment_id}/job",
    response_model=JobRead,
    tags=["assessments"],
    responses=responses(AssessmentNotFound),
)
async def assessment_job(
    assessment_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep
) -> JobRead:
    assessment = await AssessmentService(session, principal, tasks).get(assessment_id)
    return job_read(await get_job(session, Job, assessment.job_id or 0))


@router.post(
    "/v1/assessments/{assessment_id}/publish",
    response_model=AssessmentRead,
    tags=["assessments"],
    responses={
        **responses(
            AssessmentNotFound,
            AssessmentNotReady,
            AssessmentPublished,
            PeriodPublished,
            StaleEtag,
            PreconditionRequired,
        ),
        **sends("ETag"),
    },
)
async def publish_assessment(
    assessment_id: int,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> AssessmentRead:
    """Publish this version: the period's values lock, units see their results, and an
    `assessment.published` event waits in `/v1/events` for notify to send the 通报."""
    assessment = await AssessmentService(session, principal, tasks).publish(assessment_id, if_match)
    response.headers["ETag"] = row_etag("assessment", assessment)
    return assessment


@router.get(
    "/v1/assessments/{assessment_id}/scorecards",
    response_model=Page[ScorecardRead],
    tags=["assessments"],
    responses=responses(AssessmentNotFound),
)
async def list_scorecards(
    assessment_id: int,
    principal: CurrentPrincipal,
    tasks: TasksDep,
    session: SessionDep,
    page: PageDep,
    unit_id: int | None = None,
    grade: str | None = None,
) -> Page[ScorecardRead]:
    """Scorecards by rank; every line says where its points came from. A unit sees its own, once published."""
    return await AssessmentService(session, principal, tasks).scorecards(
        assessment_id, limit=page.limit, cursor=page.cursor, unit_id=unit_id, grade=grade
    )


@router.get(
    "/v1/assessments/{assessment_id}/scorecards/{unit_id}",
    response_model=ScorecardRead,
    tags=["assessments"],
    responses=responses(AssessmentNotFound, ScorecardNotFound),
)
async def get_scorecard(
    assessment_id: int, unit_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep
) -> ScorecardRead:
    return await AssessmentService(session, principal, tasks).scorecard(assessment_id, unit_id)


@router.get(
    "/v1/assessments/{assessment_id}/ranking",
    response_model=Page[RankingRow],
    tags=["assessments"],
    responses=responses(AssessmentNotFound),
)
async def get_ranking(
    assessment_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep, page: PageDep
) -> Page[RankingRow]:
    return await AssessmentService(session, principal, tasks).ranking(
        assessment_id, limit=page.limit, cursor=page.cursor
    )


@router.get(
    "/v1/assessments/{assessment_id}/results.xlsx",
    response_class=Response,
    tags=["assessments"],
    responses={
        **responses(AssessmentNotFound),
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
    },
)
async def export_results(
    assessment_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep
) -> Response:
    """The results table as offices file it."""
    service = AssessmentService(session, principal, tasks)
    assessment, cards = await service.all_scorecards(assessment_id)
    scheme = await AssessmentRepository(session).scheme(assessment.scheme_id)
    title = scheme.name if scheme else "考核结果"
    name = quote(f"{title}-{assessment.period}-v{assessment.run_version}.xlsx")
    return Response(
        results_xlsx(title, assessment, cards),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


@router.get(
    "/v1/indicators/{indicator_id}/distribution",
    response_model=Distribution,
    tags=["indicators"],
    responses=responses(AssessmentNotFound, IndicatorNotFound),
)
async def indicator_distribution(
    indicator_id: int, assessment_id: int, principal: CurrentPrincipal, tasks: TasksDep, session: SessionDep
) -> Distribution:
    """How an indicator's values and points spread across units in one assessment."""
    await AssessmentService(session, principal, tasks).all_scorecards(assessment_id)
    rows = await AssessmentRepository(session).indicator_lines(assessment_id, indicator_id)
    if not rows:
        raise IndicatorNotFound(
            f"Indicator {indicator_id} is not in assessment {assessment_id}",
            f"考核 {assessment_id} 中没有指标 {indicator_id}",
        )
    return Distribution(
        indicator_id=indicator_id,
        assessment_id=assessment_id,
        **distribution([r.value for r in rows], [r.points for r in rows]),
    )
