"""The results table (考核结果表) as offices file it, and an indicator's spread across units."""

from __future__ import annotations

import statistics
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from luoshi.spreadsheet import workbook_bytes
from luoshi_scoring.models import Assessment

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def results_xlsx(title: str, assessment: Assessment, scorecards: list[Any]) -> bytes:
    """Rank, unit, the points of every line (indicators, task performance, deductions, bonuses), total,
    score rate and grade; a merged title above, A4 landscape, header repeated on every page."""
    columns: dict[tuple[str, str], str] = {}
    for card in scorecards:
        for line in card.lines:
            columns.setdefault((line.kind, line.ref), line.name)
    book = Workbook()
    ws = book.active
    ws.title = "考核结果"
    headers = ["名次", "单位", *map(_text, columns.values()), "总分", "得分率(%)", "等级"]
    ws.append([_text(f"{title}（{assessment.period}，第{assessment.run_version}版）")])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(name="黑体", bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for card in scorecards:
        points = {(line.kind, line.ref): line.points for line in card.lines}
        ws.append(
            [
                card.rank,
                _text(card.unit_name or str(card.unit_id)),
                *(points.get(k) for k in columns),
                card.total,
                card.percent,
                card.grade,
            ]
        )
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.border = _BORDER
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 28
    for i in range(3, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 12
    ws.freeze_panes = "C3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return workbook_bytes(book)  # every text cell a string, never a formula


def _text(value: str) -> str:
    # Control characters (a pasted title can hold them) make openpyxl refuse the whole workbook.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def distribution(values: list[float | None], points: list[float]) -> dict[str, Any]:
    present = [v for v in values if v is not None]
    histogram: list[dict[str, float]] = []
    if present:
        low, high = min(present), max(present)
        width = (high - low) / 10 or 1.0
        counts = [0] * 10
        for v in present:
            counts[min(int((v - low) / width), 9)] += 1
        histogram = [
            {"from": round(low + i * width, 4), "to": round(low + (i + 1) * width, 4), "count": c}
            for i, c in enumerate(counts)
        ]
    return {
        "units": len(values),
        "missing": len(values) - len(present),
        "min": min(present) if present else None,
        "max": max(present) if present else None,
        "mean": round(statistics.fmean(present), 4) if present else None,
        "median": statistics.median(present) if present else None,
        "histogram": histogram,
        "points_mean": round(statistics.fmean(points), 4) if points else None,
    }
