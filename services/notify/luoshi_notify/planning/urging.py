"""The 督办通知单: the office's urging notice to one unit about one task, printed as Word (`urging_docx`).

A pure writer, like the bulletin's: the caller gathers the facts (`UrgingNotice`) from tasks-api and notify.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from luoshi.worddoc import WordDocument
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
    """A printable A4 .docx in the house style (luoshi.worddoc): title, number, a bordered table of the facts
    and the request, and the 落款."""
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
    doc = WordDocument("督办通知单")
    doc.title("督办通知单")
    doc.paragraph(notice.number, size=14, indent=False, align="center")
    doc.table(("项目", "内容"), rows, widths=(1, 4), size=12)
    doc.paragraph("", indent=False)
    for line in (notice.issuer, zh_date(notice.issued_on)):
        doc.paragraph(line, indent=False, align="right")
    return doc.to_bytes()
