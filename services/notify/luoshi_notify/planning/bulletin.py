"""The monthly bulletin (月度通报): who reported on time, late or not at all, and which tasks are overdue.

`compile_bulletin` turns facts the caller loaded (reports for the period, the plan's assignments, unit names)
into `BulletinData`; `bulletin_xlsx` and `bulletin_docx` write it the way an office files and prints it.

Rules:

* Only reports for the period (``period_due_on`` equal) that were submitted count. A report with
  ``assignment_id`` None is a unit-level report and covers all of the unit's assignments.
* An assignment is open unless it is closed or its completion is awaiting confirmation.
* For each unit: an open assignment without a report is *missing*; a report is *late* or *on time* as flagged
  (several reports for one assignment: on time if any was). A unit's status is the worst of its own: missing,
  else late, else on time — so each unit is in exactly one of the three lists.
* Units listed: those with an open assignment or a report for the period.
* Overdue tasks: open assignments due before the period's reporting deadline, with the working days between.
* Rows are sorted by unit name (then id), overdue tasks by unit name, due date and title.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel, Field

from luoshi.spreadsheet import workbook_bytes
from luoshi.worddoc import HEADING_FONT, WordDocument
from luoshi.workdays import workdays_between

Status = Literal["on_time", "late", "missing"]
STATUS_ZH: dict[str, str] = {"on_time": "按时报送", "late": "逾期报送", "missing": "未报送"}
STATE_ZH: dict[str, str] = {
    "assigned": "已交办",
    "acknowledged": "已签收",
    "in_progress": "办理中",
    "completion_requested": "申请办结",
    "closed": "已办结",
    "open": "未办结",  # bulletins compiled before the state was read from tasks-api
}
NOT_OPEN_STATES = frozenset({"closed", "completion_requested"})


class ReportFact(BaseModel):
    unit_id: int
    assignment_id: int | None = Field(description="None for a unit-level report covering all its assignments")
    period_due_on: date
    submitted_at: datetime | None
    late: bool = False


class AssignmentFact(BaseModel):
    unit_id: int
    assignment_id: int
    task_title: str
    due_on: date | None
    state: str


class BulletinRow(BaseModel):
    unit_id: int
    unit_name: str
    status: Status
    on_time: int = Field(description="Assignments reported on time")
    late: int = Field(description="Assignments reported late")
    missing: int = Field(description="Open assignments not reported")
    missing_tasks: list[str] = Field(default_factory=list)


class OverdueTask(BaseModel):
    unit_id: int
    unit_name: str
    assignment_id: int
    task_title: str
    due_on: date
    state: str
    overdue_workdays: int = Field(description="Working days from the due date to the reporting deadline")


class BulletinData(BaseModel):
    plan_title: str
    period_label: str = Field(description="e.g. 2026年11月")
    period_due_on: date = Field(description="The period's reporting deadline")
    rows: list[BulletinRow]
    overdue: list[OverdueTask]
    issuer: str = Field(default="", description="Who issues it (落款): the plan's office, else its issuer")
    issued_on: date | None = Field(default=None, description="The day it was compiled, the date of the 落款")

    def units(self, status: Status) -> list[str]:
        return [r.unit_name for r in self.rows if r.status == status]

    @property
    def late_units(self) -> list[str]:
        return self.units("late")

    @property
    def missing_units(self) -> list[str]:
        return self.units("missing")

    @property
    def on_time_units(self) -> list[str]:
        return self.units("on_time")

    @property
    def title(self) -> str:
        return f"关于{self.period_label}任务落实情况的通报"


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def compile_bulletin(
    period_due_on: date,
    reports: Iterable[ReportFact],
    assignments: Iterable[AssignmentFact],
    unit_names: Mapping[int, str],
    *,
    plan_title: str = "",
    period_label: str | None = None,
) -> BulletinData:
    """The bulletin of one reporting period (module doc for the rules)."""

    def name(unit_id: int) -> str:
        return unit_names.get(unit_id) or f"单位{unit_id}"

    # (unit, assignment or None) -> on time?
    reported: dict[tuple[int, int | None], bool] = {}
    for r in reports:
        if r.period_due_on != period_due_on or r.submitted_at is None:
            continue
        k = (r.unit_id, r.assignment_id)
        reported[k] = reported.get(k, False) or not r.late

    units: set[int] = {u for u, _ in reported}
    missing: dict[int, list[str]] = {}
    overdue: list[OverdueTask] = []
    for a in assignments:
        if a.state in NOT_OPEN_STATES:
            continue
        units.add(a.unit_id)
        if (a.unit_id, a.assignment_id) not in reported and (a.unit_id, None) not in reported:
            missing.setdefault(a.unit_id, []).append(a.task_title)
        if a.due_on is not None and a.due_on < period_due_on:
            overdue.append(
                OverdueTask(
                    unit_id=a.unit_id,
                    unit_name=name(a.unit_id),
                    assignment_id=a.assignment_id,
                    task_title=a.task_title,
                    due_on=a.due_on,
                    state=a.state,
                    overdue_workdays=workdays_between(a.due_on, period_due_on),
                )
            )

    counts: dict[tuple[int, bool], int] = {}
    for (u, _), ok in reported.items():
        counts[u, ok] = counts.get((u, ok), 0) + 1
    rows: list[BulletinRow] = []
    for unit_id in units:
        on_time, late = counts.get((unit_id, True), 0), counts.get((unit_id, False), 0)
        gaps = missing.get(unit_id, [])
        status: Status = "missing" if gaps else "late" if late else "on_time"
        rows.append(
            BulletinRow(
                unit_id=unit_id,
                unit_name=name(unit_id),
                status=status,
                on_time=on_time,
                late=late,
                missing=len(gaps),
                missing_tasks=sorted(gaps),
            )
        )
    rows.sort(key=lambda r: (r.unit_name, r.unit_id))
    overdue.sort(key=lambda t: (t.unit_name, t.unit_id, t.due_on, t.task_title))
    return BulletinData(
        plan_title=plan_title,
        period_label=period_label or f"{period_due_on.year}年{period_due_on.month}月",
        period_due_on=period_due_on,
        rows=rows,
        overdue=overdue,
    )


def summary_text(data: BulletinData) -> str:
    """The bulletin's opening paragraph, in Chinese."""
    late, missing = data.late_units, data.missing_units
    parts = [
        f"现将{data.plan_title}{data.period_label}任务落实情况通报如下。"
        if data.plan_title
        else f"现将{data.period_label}任务落实情况通报如下。",
        f"截至{zh_date(data.period_due_on)}（报送截止日期），应报送单位{len(data.rows)}个，"
        f"其中按时报送{len(data.on_time_units)}个，",
        f"逾期报送{len(late)}个（{'、'.join(late)}），" if late else "逾期报送0个，",
        f"未报送{len(missing)}个（{'、'.join(missing)}）。" if missing else "未报送0个。",
    ]
    if data.overdue:
        units = len({t.unit_id for t in data.overdue})
        parts.append(f"逾期未完成任务{len(data.overdue)}项，涉及{units}个单位。")
    else:
        parts.append("无逾期未完成任务。")
    if late or missing or data.overdue:
        parts.append("请有关单位高度重视，认真查找原因，抓紧整改落实，按时报送工作进展。")
    return "".join(parts)


# --- writers -------------------------------------------------------------------------------------------

_ROW_HEADERS = ("序号", "责任单位", "报送情况", "按时报送（项）", "逾期报送（项）", "未报送（项）", "未报送任务")
_ROW_WIDTHS = (7, 26, 12, 10, 10, 10, 44)
_OVERDUE_HEADERS = ("序号", "责任单位", "任务", "完成时限", "逾期工作日", "状态")
_OVERDUE_WIDTHS = (7, 26, 48, 16, 10, 10)


def _row_cells(i: int, r: BulletinRow) -> list[object]:
    return [i, r.unit_name, STATUS_ZH[r.status], r.on_time, r.late, r.missing, "；".join(r.missing_tasks)]


def _overdue_cells(i: int, t: OverdueTask) -> list[object]:
    return [i, t.unit_name, t.task_title, zh_date(t.due_on), t.overdue_workdays, STATE_ZH.get(t.state, "未办结")]


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _sheet(
    ws: Worksheet,
    title: str,
    note: str,
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    rows: list[list[object]],
    left: tuple[int, ...],
) -> None:
    """Merged title, merged note line, grey bordered header repeated on every page, A4 landscape fit to width."""
    last = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"] = ILLEGAL_CHARACTERS_RE.sub("", title)
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 36
    ws["A2"] = ILLEGAL_CHARACTERS_RE.sub("", note)
    ws["A2"].font = Font(name="宋体", size=10)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 30
    for c, (h, w) in enumerate(zip(headers, widths, strict=True), 1):
        cell = ws.cell(row=3, column=c, value=h)
        cell.font, cell.border = Font(name="黑体", size=11, bold=True), _BORDER
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = w
    for r, values in enumerate(rows, 4):
        for c, v in enumerate(values, 1):
            cell = ws.cell(row=r, column=c, value=ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
            cell.font, cell.border = Font(name="宋体", size=11), _BORDER
            align = "left" if c in left else "center"
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.print_area = f"A1:{last}{3 + len(rows)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def bulletin_xlsx(data: BulletinData) -> bytes:
    """An .xlsx with two A4 landscape sheets (报送情况, 逾期任务): merged title, summary line, bordered table."""
    book = Workbook()
    book.properties.title = data.title
    first = book.active
    assert first is not None
    first.title = "报送情况"
    heading = f"{data.plan_title}{data.period_label}任务落实情况通报" if data.plan_title else data.title
    _sheet(
        first,
        heading,
        f"报送截止日期：{zh_date(data.period_due_on)}　应报送{len(data.rows)}个单位：按时报送"
        f"{len(data.on_time_units)}个，逾期报送{len(data.late_units)}个，未报送{len(data.missing_units)}个",
        _ROW_HEADERS,
        _ROW_WIDTHS,
        [_row_cells(i, r) for i, r in enumerate(data.rows, 1)],
        (2, 7),
    )
    _sheet(
        book.create_sheet("逾期任务"),
        f"{data.period_label}逾期未完成任务清单",
        f"截至{zh_date(data.period_due_on)}，逾期未完成任务{len(data.overdue)}项",
        _OVERDUE_HEADERS,
        _OVERDUE_WIDTHS,
        [_overdue_cells(i, t) for i, t in enumerate(data.overdue, 1)],
        (2, 3),
    )
    return workbook_bytes(book)  # every text cell a string, never a formula


def bulletin_docx(data: BulletinData) -> bytes:
    """A printable A4 .docx: the title 关于{period}任务落实情况的通报, the summary, the two tables and the
    落款 (issuer and date), in the house style of luoshi.worddoc."""
    document = WordDocument(data.title)
    document.title(data.title)
    document.paragraph("各责任单位：", indent=False)
    document.paragraph(summary_text(data))
    document.paragraph("一、报送情况", font=HEADING_FONT)
    document.table(_ROW_HEADERS, [_row_cells(i, r) for i, r in enumerate(data.rows, 1)])
    if data.overdue:
        document.paragraph("二、逾期未完成任务", font=HEADING_FONT)
        document.table(_OVERDUE_HEADERS, [_overdue_cells(i, t) for i, t in enumerate(data.overdue, 1)])
    # 落款: the issuer and the date, right-aligned under the text, as a 通报 is signed
    document.paragraph("", indent=False)
    for line in (data.issuer, zh_date(data.issued_on) if data.issued_on else ""):
        if line:
            document.paragraph(line, indent=False, align="right")
    return document.to_bytes()
