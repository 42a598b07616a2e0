"""Message templates: which kinds there are, and what one says."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from luoshi.errors import FieldProblem, ValidationFailed
from luoshi.web import CurrentPrincipal
from luoshi_notify.planning import TEMPLATE_KINDS, TemplateError, render, sample_context
from luoshi_notify.schemas.templates import PreviewRead, PreviewRequest

router = APIRouter()


@router.get("/v1/templates", tags=["templates"])
async def list_templates(principal: CurrentPrincipal) -> list[str]:
    return list(TEMPLATE_KINDS)


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
