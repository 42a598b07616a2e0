"""The 督办通知单: the office's urging notice to one unit about one task, printed as Word (`urging_docx`).

A pure writer, like the bulletin's: the caller gathers the facts (`UrgingNotice`) from tasks-api and notify.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pydantic import BaseModel, Field

from luoshi_notify.planning.bulletin import STATE_ZH, zh_date

DEFAULT_REQUEST = "请接此通知后抓紧办理，并于3个工作日内将办理情况书面报送督办单位。"


class UrgingNotice(BaseModel):
    plan_title: str
    doc_number: str | None = None
    task_number: str | None = None
    task_title: str
    unit_name: str
    due_on: date | None
    state: str
    overdue_workdays: int = Field(description="Working days past the deadline on `issued_on` (0: not overdue)")
    urged_times: int = Field(description="On-demand urgings of this assignment so far, today's included")
    note: str = Field(default="", description="The office's words, if it wrote any")
    issuer: str = Field(description="The office that urges (督办单位)")
    issued_on: date

    @property
    def number(self) -> str:
        return f"督办〔{self.issued_on.year}〕第{self.issued_on:%m%d}-{self.urged_times}号"


def urging_docx(notice: UrgingNotice) -> bytes:
    """A printable A4 .docx: title, number, a bordered table of the facts and the request, and the 落款."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    doc.core_properties.title = "督办通知单"

    def run(paragraph: Paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
        r = paragraph.add_run(ILLEGAL_CHARACTERS_RE.sub("", text))
        r.font.name, r.font.size, r.font.bold = font, Pt(size), bold
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(title, "督办通知单", "方正小标宋简体", 22)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(number, notice.number, "仿宋_GB2312", 14)

    task = f"{notice.task_number} {notice.task_title}" if notice.task_number else notice.task_title
    plan = f"{notice.plan_title}（{notice.doc_number}）" if notice.doc_number else notice.plan_title
    if notice.due_on is None:
        timing = "无固定完成时限"
    elif notice.overdue_workdays:
        timing = f"{zh_date(notice.due_on)}，已逾期{notice.overdue_workdays}个工作日"
    else:
        timing = f"{zh_date(notice.due_on)}，尚未到期"
    rows = [
        ("督办事项", task),
        ("所属方案", plan),
        ("责任单位", notice.unit_name),
        ("完成时限", timing),
        ("办理状态", STATE_ZH.get(notice.state, "未办结")),
        ("督办次数", f"第{notice.urged_times}次"),
        ("督办意见", notice.note or "该项任务尚未办结，现予督办。"),
        ("办理要求", DEFAULT_REQUEST),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        run(cells[0].paragraphs[0], label, "黑体", 12, bold=True)
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cells[0].width, cells[1].width = Cm(3.2), Cm(12.4)
        run(cells[1].paragraphs[0], value, "仿宋_GB2312", 12)
    doc.add_paragraph()
    for line in (notice.issuer, zh_date(notice.issued_on)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(p, line, "仿宋_GB2312", 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
