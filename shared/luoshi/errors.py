"""Problem details (RFC 9457) for every error the services return.

Every 4xx/5xx is `application/problem+json` with a stable machine `code`, a Chinese and an English
message, and, for bad input, `errors`: one entry per field, row or line at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from luoshi.context import request_id_var
from luoshi.jsonutil import dumps

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldProblem(BaseModel):
    """One thing wrong with the input: where (`loc`), a machine code, and what."""

    loc: list[str | int] = Field(examples=[["body", "name"]])
    code: str = Field(examples=["missing"])
    message: str = Field(examples=["Field required"])
    message_zh: str | None = None


class Candidate(BaseModel):
    """A unit a name could mean."""

    id: int
    name: str


class Problem(BaseModel):
    """RFC 9457 problem details, extended with `code`, `title_zh`, `detail_zh` and `errors`, and the members some
    problems add (each named below with the codes that send it). Switch on `code`, never on the wording."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(default="about:blank", examples=["https://luoshi.dev/problems/unit-not-found"])
    title: str = Field(examples=["Unit not found"])
    status: int = Field(examples=[404])
    detail: str | None = None
    instance: str | None = None
    code: str = Field(examples=["unit_not_found"])
    title_zh: str = Field(examples=["单位不存在"])
    detail_zh: str | None = None
    request_id: str | None = None
    errors: list[FieldProblem] | None = None
    current_etag: str | None = Field(default=None, description="`stale_etag`: the ETag to read again and send")
    candidates: list[Candidate] | None = Field(
        default=None, description="`unit_name_unresolved`: the units the name could mean (none: unknown)"
    )
    state: str | None = Field(default=None, description="`transition_not_allowed`: the assignment's state")
    allowed: list[str] | None = Field(
        default=None, description="`transition_not_allowed`: the actions its state allows"
    )
    locked_until: str | None = Field(default=None, description="`account_locked`: when sign-in opens again")
    reason: str | None = Field(default=None, description="`unauthenticated`: why the credential was refused")
    upstream_code: str | None = Field(default=None, description="`upstream_error`: the other service's code")
    value_id: int | None = Field(default=None, description="`value_exists`: the value already entered")
    activity: dict[str, int] | None = Field(
        default=None,
        description="`plan_has_activity`: what was done on the plan (reports, transitions, extensions, values)",
    )


class AppError(Exception):
    """Base of every domain error. Subclasses set status, code and both titles."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title_en: ClassVar[str] = "Internal server error"
    title_zh: ClassVar[str] = "服务器内部错误"

    def __init__(
        self,
        detail: str | None = None,
        detail_zh: str | None = None,
        *,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title_en)
        self.detail = detail
        self.detail_zh = detail_zh
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    @classmethod
    def openapi(cls) -> dict[int | str, dict[str, Any]]:
        """The `responses=` entry so /docs shows this error."""
        return {
            cls.status: {
                "model": Problem,
                "description": f"{cls.title_en} / {cls.title_zh} (`{cls.code}`)",
                "content": {PROBLEM_MEDIA_TYPE: {}},
            }
        }


def responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    merged: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        for status, entry in err.openapi().items():
            if status in merged:
                merged[status]["description"] += "; " + entry["description"]
            else:
                merged[status] = dict(entry)
    return merged


class BadRequest(AppError):
    status, code, title_en, title_zh = 400, "bad_request", "Bad request", "请求有误"


class ValidationFailed(AppError):
    status, code = 422, "validation_failed"
    title_en, title_zh = "The input is not valid", "输入数据不合法"


class Unauthenticated(AppError):
    status, code = 401, "unauthenticated"
    title_en, title_zh = "Authentication required", "需要登录认证"

    def __init__(self, detail: str | None = None, detail_zh: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, detail_zh, **kw)


class Forbidden(AppError):
    status, code, title_en, title_zh = 403, "forbidden", "Not allowed", "无权执行此操作"


class NotFound(AppError):
    status, code, title_en, title_zh = 404, "not_found", "Not found", "资源不存在"


class MethodNotAllowed(AppError):
    status, code, title_en, title_zh = 405, "method_not_allowed", "Method not allowed", "不支持该请求方法"


class Conflict(AppError):
    status, code, title_en, title_zh = 409, "conflict", "Conflict with the current state", "与当前状态冲突"


class PreconditionRequired(AppError):
    status, code = 428, "if_match_required"
    title_en, title_zh = "If-Match header required", "修改需要提供 If-Match 请求头"


class StaleEtag(AppError):
    status, code = 412, "stale_etag"
    title_en = "The resource changed since you read it"
    title_zh = "资源已被他人修改，请刷新后重试"


class PayloadTooLarge(AppError):
    status, code, title_en, title_zh = 413, "payload_too_large", "Payload too large", "上传内容过大"


class ServiceUnavailable(AppError):
    status, code = 503, "service_unavailable"
    title_en, title_zh = "Service temporarily unavailable", "服务暂时不可用"

    def __init__(self, detail: str | None = None, detail_zh: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"Retry-After": "5"})
        super().__init__(detail, detail_zh, **kw)


class UpstreamError(AppError):
    status, code = 502, "upstream_error"
    title_en, title_zh = "A service this request depends on failed", "依赖的服务出错"


_STATUS_ERRORS: dict[int, type[AppError]] = {
    400: BadRequest,
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    412: StaleEtag,
    413: PayloadTooLarge,
    428: PreconditionRequired,
    503: ServiceUnavailable,
}

# Chinese for the pydantic error types users meet most; others keep the English message only.
_PYDANTIC_ZH = {
    "missing": "缺少必填字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为布尔值",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "json_invalid": "请求体不是合法的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为数组",
    "extra_forbidden": "不允许的字段",
    "value_error": "取值不合法",
    "schedule_unreadable": "报送时间无法识别，请按“每月25日”“每季度末”等写法填写",
    "uuid_parsing": "应为 UUID",
}


def problem_response(
    status: int,
    code: str,
    title_en: str,
    title_zh: str,
    *,
    detail: str | None = None,
    detail_zh: str | None = None,
    instance: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://luoshi.dev/problems/{code.replace('_', '-')}",
        "title": title_en,
        "status": status,
        "code": code,
        "title_zh": title_zh,
        "detail": detail,
        "detail_zh": detail_zh,
        "instance": instance,
        "request_id": request_id_var.get(),
    }
    if errors:
        body["errors"] = [e.model_dump(exclude_none=True) for e in errors]
    if extra:
        body.update(extra)
    body = {k: v for k, v in body.items() if v is not None}
    return Response(dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def app_error_response(exc: AppError, instance: str | None = None) -> Response:
    return problem_response(
        exc.status,
        exc.code,
        exc.title_en,
        exc.title_zh,
        detail=exc.detail,
        detail_zh=exc.detail_zh,
        instance=instance,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra or None,
    )


def validation_problems(raw: list[dict[str, Any]]) -> list[FieldProblem]:
    problems = []
    for err in raw:
        kind = err.get("type", "value_error")
        problems.append(
            FieldProblem(
                loc=[p for p in err.get("loc", ()) if isinstance(p, str | int)],
                code=kind,
                message=err.get("msg", ""),
                message_zh=_PYDANTIC_ZH.get(kind),
            )
        )
    return problems


def install_error_handlers(app: FastAPI) -> None:
    async def on_app_error(request: Request, exc: AppError) -> Response:
        return app_error_response(exc, request.url.path)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        problems = validation_problems(list(exc.errors()))
        where = ", ".join(".".join(str(p) for p in e.loc) for e in problems[:5])
        return problem_response(
            422,
            ValidationFailed.code,
            ValidationFailed.title_en,
            ValidationFailed.title_zh,
            detail=f"Invalid input at: {where}",
            detail_zh=f"以下字段不合法：{where}",
            instance=request.url.path,
            errors=problems,
        )

    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        err = _STATUS_ERRORS.get(exc.status_code)
        if err is None:
            return problem_response(
                exc.status_code,
                f"http_{exc.status_code}",
                str(exc.detail),
                str(exc.detail),
                instance=request.url.path,
                headers=getattr(exc, "headers", None),
            )
        detail_en = detail_zh = None
        if exc.status_code == 404:
            detail_en = f"No resource at {request.url.path}"
            detail_zh = f"路径 {request.url.path} 不存在"
        elif exc.status_code == 405:
            detail_en = f"{request.method} is not allowed on {request.url.path}"
            detail_zh = f"{request.url.path} 不支持 {request.method} 方法"
        elif isinstance(exc.detail, str) and exc.detail:
            detail_en = exc.detail
        return problem_response(
            exc.status_code,
            err.code,
            err.title_en,
            err.title_zh,
            detail=detail_en,
            detail_zh=detail_zh,
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
        )

    async def on_database_error(request: Request, exc: Exception) -> Response:
        """Database errors are answered here, inside the app: an exception that reaches Starlette's outermost
        layer is re-raised after its response, so uvicorn logs a traceback and drops the connection, and the
        metrics count a 500."""
        if is_database_unavailable(exc):
            return _database_unavailable(request.url.path, exc)
        if _is_client_data_error(exc):
            return _client_data_rejected(request, exc)
        raise exc

    async def on_unhandled(request: Request, exc: Exception) -> Response:
        return unhandled_error_response(exc, request.url.path)

    app.add_exception_handler(AppError, on_app_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    for kind in _database_error_types():
        app.add_exception_handler(kind, on_database_error)
    app.add_exception_handler(Exception, on_unhandled)


def unhandled_error_response(exc: Exception, path: str) -> Response:
    """The answer to an exception no handler took: 503 if the database is away, else a logged 500."""
    from luoshi.logging import get_logger

    if is_database_unavailable(exc):
        return _database_unavailable(path, exc)
    get_logger("luoshi.errors").error("unhandled_error", path=path, exc_info=exc)
    return problem_response(500, AppError.code, AppError.title_en, AppError.title_zh, instance=path)


def _database_unavailable(path: str, exc: BaseException) -> Response:
    from asyncpg.exceptions import QueryCanceledError

    from luoshi.logging import get_logger

    get_logger("luoshi.errors").warning("database_unavailable", error=repr(exc))
    if any(isinstance(e, QueryCanceledError) for e in _causes(exc)):  # DATABASE_STATEMENT_TIMEOUT_MS ran out
        problem = ServiceUnavailable("The database took too long to answer", "数据库响应超时")
    else:
        problem = ServiceUnavailable("The database is not reachable", "数据库暂时无法连接")
    return app_error_response(problem, path)


def _database_error_types() -> tuple[type[Exception], ...]:
    """What a lost, refused, overloaded or too slow database surfaces as (OSError covers TimeoutError)."""
    import asyncpg
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return (DBAPIError, PoolTimeout, OSError, asyncpg.PostgresError, asyncpg.InterfaceError)


def _causes(exc: BaseException | None, depth: int = 5) -> Iterator[BaseException]:
    """`exc` and what caused it, a few links deep: SQLAlchemy keeps the driver's exception on `.orig`, asyncpg's
    adapter and `raise ... from` on the cause."""
    while exc is not None and depth > 0:
        yield exc
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
        depth -= 1


def is_database_unavailable(exc: BaseException) -> bool:
    """True when `exc`, or what caused it, means the database is away, refusing, overloaded or too slow right
    now: something to retry later, not a bug. Background loops use it to log one line instead of a traceback."""
    from sqlalchemy.exc import DBAPIError, InterfaceError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return any(
        isinstance(e, (OSError, ConnectionError, PoolTimeout, InterfaceError, *_SERVER_AWAY))
        or (isinstance(e, DBAPIError) and e.connection_invalidated)
        for e in _causes(exc)
    )


def _server_away() -> tuple[type[Exception], ...]:
    from asyncpg import exceptions as pg

    return (
        pg.PostgresConnectionError,  # connection lost or refused (class 08)
        pg.AdminShutdownError,  # the server is shutting down
        pg.CrashShutdownError,
        pg.CannotConnectNowError,  # ... or starting up
        pg.TooManyConnectionsError,
        pg.QueryCanceledError,  # statement_timeout: the database is too slow right now
    )


_SERVER_AWAY = _server_away()


_OUT_OF_INT_RANGE = re.compile(r"out of int(16|32|64) range")


def _is_client_data_error(exc: BaseException) -> bool:
    """Input the database refused as data (a number past its column's range, text too long or not
    encodable, a date out of range): the client's fault, so 422, not 500. Validation should have caught
    it first; this is the safety net, and its warning names the gap."""
    from asyncpg import exceptions as pg

    refused = (
        pg.NumericValueOutOfRangeError,  # 22003
        pg.StringDataRightTruncationError,  # 22001
        pg.CharacterNotInRepertoireError,  # 22021, e.g. NUL in text
        pg.UntranslatableCharacterError,  # 22P05, e.g. \u0000 in jsonb
        pg.DatetimeFieldOverflowError,  # 22008
    )
    return any(
        isinstance(e, refused)
        # asyncpg's own argument encoding: "invalid input for query argument $1: ... (value out of int64 range)"
        or (type(e) is pg.DataError and _OUT_OF_INT_RANGE.search(str(e)) is not None)
        for e in _causes(exc)
    )


def _client_data_rejected(request: Request, exc: BaseException) -> Response:
    from luoshi.logging import get_logger

    get_logger("luoshi.errors").warning("input_refused_by_database", path=request.url.path, error=repr(exc)[:300])
    return app_error_response(
        ValidationFailed(
            "The database refused a value of this request (out of range, too long, or not storable text)",
            "数据库拒绝了请求中的某个值（超出范围、过长或含不可存储的字符）",
        ),
        request.url.path,
    )


# A field naming something of another plan (a task, an indicator, a parent): every service refuses it alike.
class ReferenceOutsidePlan(ValidationFailed):
    code, title_en, title_zh = (
        "reference_outside_plan",
        "The reference belongs to another plan",
        "引用的对象不属于本方案",
    )
