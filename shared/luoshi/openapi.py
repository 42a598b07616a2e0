"""The OpenAPI document as clients generate code from it: what FastAPI writes, finished in one place.

- Sign-in is declared (bearer tokens and API keys) so /docs can authorize, without a security dependency on
  every request: authentication itself is one plain dependency.
- Every error response carries the `Problem` schema under `application/problem+json`, the media type the
  services really send (FastAPI would put a `model=` under `application/json` and leave problem+json empty,
  so generated clients typed every error `unknown`).
- `If-Match` is required where its absence is a 428 (`luoshi.etag.IfMatch`), optional where it is not
  (`IfMatchOptional`): at run time both stay optional, so a missing header is our 428, not FastAPI's 422.
- `ETag` and `Location` are declared on the responses that carry them (`sends`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from luoshi.errors import PROBLEM_MEDIA_TYPE
from luoshi.inputguard import bound_integer_parameters

PUBLIC_PATHS = {
    "/healthz",
    "/readyz",
    "/metrics",
    "/v1/auth/token",
    "/v1/auth/refresh",
    "/v1/auth/sign-out",
    "/.well-known/jwks.json",
}
# The mark luoshi.etag.IfMatch leaves in its parameter's schema; replaced by `required: true` here.
REQUIRED_HEADER_MARK = "x-luoshi-required"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

_HEADERS = {
    "ETag": {
        "description": "The version you read; send it back in `If-Match` to change the resource",
        "schema": {"type": "string", "examples": ['"plan-4-v7"']},
    },
    "Location": {
        "description": "Where the created resource, or the job doing the work, is (a path on the same origin)",
        "schema": {"type": "string", "examples": ["/v1/plans/4"]},
    },
    "Content-Location": {
        "description": "The resource the job is making",
        "schema": {"type": "string"},
    },
}


def sends(*headers: str, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry declaring the headers a route's success answer carries:
    `responses={**responses(PlanNotFound), **sends("ETag", "Location", status=201)}`."""
    # required: these answers always carry them, so a generated client types them `string`, not `string | undefined`
    return {status: {"headers": {name: {**_HEADERS[name], "required": True} for name in headers}}}


def finish_openapi(app: FastAPI, token_url: str) -> None:
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = default_openapi()
        schema.setdefault("components", {})["securitySchemes"] = {
            "OAuth2PasswordBearer": {"type": "oauth2", "flows": {"password": {"tokenUrl": token_url, "scopes": {}}}},
            "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                if not (path in PUBLIC_PATHS or path.startswith("/v1/feeds/")):
                    operation.setdefault("security", [{"OAuth2PasswordBearer": []}, {"APIKeyHeader": []}])
                _problems_typed(operation)
                _required_headers(operation)
        bound_integer_parameters(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _problems_typed(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        if status[:1] in ("4", "5"):
            response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": dict(PROBLEM_REF)}}


def _required_headers(operation: dict[str, Any]) -> None:
    for param in operation.get("parameters", []):
        schema = param.get("schema", {})
        if param.get("in") == "header" and schema.pop(REQUIRED_HEADER_MARK, False):
            param["required"] = True
            param["schema"] = {"type": "string", "description": schema.get("description", "")}
