"""Message templates: which kinds there are, and what one says."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends

from luoshi.errors import FieldProblem, ValidationFailed
from luoshi.inputguard import GuardedRoute
from luoshi.pagination import Page, PageParams, make_page, page_params
from luoshi.web import CurrentPrincipal
from luoshi_notify.planning import TEMPLATE_KINDS, TemplateError, render, sample_context
from luoshi_notify.schemas.templates import PreviewRead, PreviewRequest

router = APIRouter(route_class=GuardedRoute)


@router.get("/v1/templates", response_model=Page[str], tags=["templates"])
async def list_templates(principal: CurrentPrincipal, page: Annotated[PageParams, Depends(page_params)]) -> Page[str]:
    """The kinds of message there are, in a fixed order (a page like every list; the cursor is a position)."""
    start = int(page.cursor[0]) if page.cursor else 0
    kinds = list(TEMPLATE_KINDS)[start : start + page.limit + 1]
    return make_page(kinds, page.limit, lambda _kind: [start + page.limit])


TemplateKind = Literal[TEMPLATE_KINDS]  # type: ignore[valid-type]  # an enum in the OpenAPI document


@router.post("/v1/templates/{kind}/preview", response_model=PreviewRead, tags=["templates"])
async def preview_template(kind: TemplateKind, body: PreviewRequest, principal: CurrentPrincipal) -> PreviewRead:
    """What a message of this kind says, with your values or a sample."""
    try:
        rendered = render(kind, body.lang, body.context or sample_context(kind))
    except TemplateError as exc:
        raise ValidationFailed(
            exc.message,
            f"模板缺少或无法使用字段 {exc.key}",
            errors=[FieldProblem(loc=["body", "context", exc.key], code="template_context", message=exc.message)],
        ) from exc
    return PreviewRead(
        kind=kind, lang=body.lang, subject=rendered.subject, text=rendered.text, markdown=rendered.markdown
    )
