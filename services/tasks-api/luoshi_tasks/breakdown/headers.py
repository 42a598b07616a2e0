"""Recognise the header row of a breakdown table and which column holds which field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from luoshi_tasks.breakdown.models import FIELD_LABELS, FIELDS, BreakdownFileError

HEADER_SEARCH_ROWS = 15

# Header spellings seen in real tables besides the canonical one (FIELD_LABELS), already normalised (see
# `normalise_header`).
_OTHER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "任务编号"),
    "title": ("任务内容", "重点任务", "主要任务", "任务名称", "工作内容", "重点工作", "改革举措", "主要举措"),
    "measures": ("工作措施", "主要措施", "具体工作措施", "主要内容", "具体内容"),
    "lead": ("主责单位", "牵头部门", "牵头责任单位"),
    "cooperating": ("协办单位", "配合部门", "协助单位"),
    "responsible": ("责任部门", "指导部门", "指导单位"),
    "deadline": ("完成时间", "时间节点", "时限要求", "完成期限", "时间要求"),
    "person": ("负责人", "责任领导"),
    "remarks": (),
}
HEADER_ALIASES: dict[str, tuple[str, ...]] = {key: (FIELD_LABELS[key], *_OTHER_SPELLINGS[key]) for key in FIELDS}
_FIELD_OF: dict[str, str] = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}

# Notes in brackets qualify a header ("牵头单位（部门）", "完成时限(年月)") without changing what it is.
_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>|〔[^〕]*〕")
_SPACE = re.compile(r"\s+")


def normalise_header(text: str) -> str:
    """Fold width, drop whitespace, bracketed notes, required-field stars and trailing colons."""
    folded = unicodedata.normalize("NFKC", _SPACE.sub("", text))
    return _SPACE.sub("", _NOTES.sub("", folded)).strip("*:")


def field_of_header(text: str) -> str | None:
    """The field a header cell names, or None when it is not one we know."""
    return _FIELD_OF.get(normalise_header(text)) if text else None


@dataclass
class HeaderLayout:
    """Where the header is and what each column holds. `data_start` is the first row below the header."""

    header_row: int
    data_start: int
    columns: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    @property
    def letters(self) -> dict[str, str]:
        return {key: get_column_letter(col) for key, col in self.columns.items()}


def _recognised(cells: dict[int, str]) -> dict[int, str]:
    found = {}
    for col, text in sorted(cells.items()):
        key = field_of_header(text)
        if key is not None:
            found[col] = key
    return found


def find_header(rows: dict[int, dict[int, str]]) -> HeaderLayout:
    """Find the first row, within the first 15, naming the task column and at least one other known field.

    `rows` maps a 1-based row number to {1-based column: text}, with merged cells already filled in.
    """
    best: tuple[int, int, dict[int, str]] | None = None  # (count, row, fields) of the best near-miss
    for r in range(1, HEADER_SEARCH_ROWS + 1):
        found = _recognised(rows.get(r, {}))
        kinds = set(found.values())
        if "title" in kinds and len(kinds) >= 2:
            return _layout(rows, r, found)
        if kinds and (best is None or len(kinds) > best[0]):
            best = (len(kinds), r, found)
    if best is not None:
        _, r, found = best
        seen = "、".join(rows[r][c] for c in sorted(found))
        raise BreakdownFileError(
            f"Row {r} has the headers {seen} but no task column (工作任务, 任务内容, 重点任务…)",
            f"第{r}行有表头“{seen}”，但缺少任务列（工作任务、任务内容、重点任务等）",
            code="breakdown_no_task_column",
        )
    raise BreakdownFileError(
        f"No header row in the first {HEADER_SEARCH_ROWS} rows: expected 序号, 工作任务, 牵头单位, 完成时限…",
        f"前{HEADER_SEARCH_ROWS}行中未找到表头行，应包含“序号、工作任务、牵头单位、完成时限”等列",
        code="breakdown_no_header",
    )


def _layout(rows: dict[int, dict[int, str]], r: int, found: dict[int, str]) -> HeaderLayout:
    cells = rows.get(r, {})
    titles = dict(cells)
    data_start = r + 1
    sub = _sub_header(cells, rows.get(r + 1, {}))
    if sub:
        # A two-row header: "责任单位" over "牵头单位 | 配合单位". The lower row is the more specific.
        for col, key in sub.items():
            found[col] = key
            titles[col] = rows[r + 1][col]
        data_start = r + 2
    layout = HeaderLayout(header_row=r, data_start=data_start)
    for col in sorted(set(cells) | set(sub)):
        text = titles.get(col, "")
        key = found.get(col)
        if key is None or key in layout.columns:
            # Unknown, or a second column for a field already taken: the first one wins.
            if text.strip():
                layout.ignored.append(_SPACE.sub(" ", text).strip())
            continue
        layout.columns[key] = col
        layout.headers[key] = _SPACE.sub("", text)
    return layout


def _sub_header(upper: dict[int, str], lower: dict[int, str]) -> dict[int, str]:
    """Fields named by the row below the header, if that row is a second header row; else {}."""
    sub = {}
    for col, text in lower.items():
        key = field_of_header(text)
        if text == upper.get(col):
            continue  # the header cell above, merged down over both rows
        if key is None:
            return {}
        sub[col] = key
    return sub
