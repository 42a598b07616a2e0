"""The problems of a breakdown table's cells, as an import job lists them: row, column letter, the field's header,
a machine code and the message in English and Chinese."""

from __future__ import annotations

from typing import Any

from annotated_types import MaxLen

from luoshi_tasks.breakdown import FIELD_LABELS, BreakdownRow
from luoshi_tasks.schemas.plans import TaskCreate


def cell_problem(
    row: int | None, column: str | None, field: str | None, code: str, message: str, message_zh: str, **extra: Any
) -> dict[str, Any]:
    out = {
        "row": row,
        "column": column,
        "field": FIELD_LABELS.get(field or "", field),
        "code": code,
        "message": message,
        "message_zh": message_zh,
    }
    out.update(extra)
    return {k: v for k, v in out.items() if v is not None}


def _max_length(field: str) -> int:
    return next(m.max_length for m in TaskCreate.model_fields[field].metadata if isinstance(m, MaxLen))


# A cell's field, and the most characters a task keeps of it (TaskCreate's limits; 完成时限 is kept as written in a
# 200-character column): a longer cell is named, not left to fail as a database error after writes started.
_CELL_LIMITS = {
    "number": _max_length("number"),
    "title": _max_length("title"),
    "measures": _max_length("measures"),
    "deadline_text": 200,
    "person": _max_length("person_in_charge"),
    "remarks": _max_length("remarks"),
}


def overlong_cells(row: BreakdownRow, columns: dict[str, str]) -> list[dict[str, Any]]:
    problems = []
    for attribute, limit in _CELL_LIMITS.items():
        value = getattr(row, attribute) or ""
        if len(value) > limit:
            field = attribute.removesuffix("_text")
            problems.append(
                cell_problem(
                    row.row,
                    columns.get(field),
                    field,
                    "cell_too_long",
                    f"{len(value)} characters; at most {limit}",
                    f"共 {len(value)} 个字符，最多 {limit} 个",
                    max_length=limit,
                )
            )
    return problems
