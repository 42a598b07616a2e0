"""The .ics deadline feed, and the monthly bulletin with its .xlsx and .docx."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

from luoshi_notify.planning import (
    AssignmentFact,
    FeedEvent,
    ReportFact,
    build_feed,
    bulletin_docx,
    bulletin_xlsx,
    compile_bulletin,
    summary_text,
)

STAMP = datetime(2026, 10, 1, 8, tzinfo=UTC)
EVENTS = [
    FeedEvent(
        uid="assignment:12:2026-10-09",
        summary="【到期】开展主导产品监督抽查",
        description="责任单位：县市场监督管理局; 牵头",
        due_on=date(2026, 10, 9),
        url="https://luoshi.example.gov.cn/tasks/12",
    ),
    FeedEvent(uid="report:1:7:2026-11-30", summary="【报送】2026年11月工作进展", due_on=date(2026, 11, 30)),
]

# --- the feed -------------------------------------------------------------------------------------------


def test_feed_parses_back_with_the_events() -> None:
    raw = build_feed("县市场监督管理局·任务期限", EVENTS, "Asia/Urumqi", dtstamp=STAMP)
    cal = Calendar.from_ical(raw)
    assert str(cal["PRODID"]) == "-//Luoshi//落实//ZH"
    assert str(cal["X-WR-CALNAME"]) == "县市场监督管理局·任务期限"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Urumqi"  # the service's TIMEZONE, passed in
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["assignment:12:2026-10-09@luoshi", "report:1:7:2026-11-30@luoshi"]
    first = events[0]
    assert first.decoded("DTSTART") == date(2026, 10, 9)  # all-day: a date, not a datetime
    assert not isinstance(first.decoded("DTSTART"), datetime)
    assert first.decoded("DTEND") == date(2026, 10, 10)
    assert str(first["SUMMARY"]) == "【到期】开展主导产品监督抽查"
    assert str(first["DESCRIPTION"]) == "责任单位：县市场监督管理局; 牵头"
    assert str(first["URL"]) == "https://luoshi.example.gov.cn/tasks/12"
    alarms = first.walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -timedelta(hours=15)  # 09:00 the day before
    assert "URL" not in events[1] and "DESCRIPTION" not in events[1]


def test_feed_is_stable() -> None:
    a = build_feed("x", EVENTS, "Asia/Shanghai", dtstamp=STAMP)
    b = build_feed("x", list(reversed(EVENTS)), "Asia/Shanghai", dtstamp=STAMP)
    assert a == b  # same input, same bytes, whatever the order
    assert Calendar.from_ical(build_feed("empty", [], "Asia/Shanghai")).walk("VEVENT") == []
    assert b"@luoshi" in a and b"UID:x@example.org" in build_feed(
        "x", [FeedEvent(uid="x@example.org", summary="s", due_on=date(2026, 1, 5))], "Asia/Shanghai"
    )


# --- the bulletin ---------------------------------------------------------------------------------------

NOV = date(2026, 11, 30)
NAMES = {1: "县发改委", 2: "县财政局", 3: "县工信局", 4: "县市场监管局", 5: "县住建局", 6: "县教育局", 7: "县商务局"}


def _a(unit: int, aid: int, title: str, due: date | None, state: str = "in_progress") -> AssignmentFact:
    return AssignmentFact(unit_id=unit, assignment_id=aid, task_title=title, due_on=due, state=state)


def _r(unit: int, aid: int | None, *, late: bool = False, when: date = NOV, submitted: bool = True) -> ReportFact:
    at = datetime(2026, 11, 28, 10, tzinfo=UTC) if submitted else None
    return ReportFact(unit_id=unit, assignment_id=aid, period_due_on=when, submitted_at=at, late=late)


ASSIGNMENTS = [
    _a(1, 10, "编制质量强县年度计划", date(2026, 12, 31)),
    _a(2, 20, "落实质量奖励资金", date(2026, 12, 31)),
    _a(3, 30, "推进企业标准化建设", date(2026, 10, 9)),  # overdue
    _a(4, 40, "开展主导产品监督抽查", date(2026, 11, 20)),  # overdue
    _a(4, 41, "提升顾客满意率", date(2027, 6, 30)),
    _a(5, 50, "工业用地容积率达标", date(2026, 9, 30), state="closed"),  # closed: neither missing nor overdue
    _a(6, 60, "质量教育进校园", None),
    _a(6, 61, "职业技能培训", date(2026, 12, 15)),
    _a(7, 70, "培育省级名牌", date(2026, 12, 31), state="acknowledged"),
    _a(2, 21, "质量基础设施建设", date(2026, 11, 1), state="completion_requested"),  # awaiting confirmation
]
REPORTS = [
    _r(1, 10),
    _r(2, 20, late=True),
    _r(3, 30, submitted=False),  # a draft that was never submitted
    _r(4, 40),
    _r(6, None, late=True),  # a unit-level report covers both of the unit's assignments
    _r(7, 70, when=date(2026, 10, 30)),  # last month's report does not count
    _r(1, 10, late=True),  # a second, late report does not spoil the on-time one
]


def test_bulletin_lists_exactly_the_late_and_missing_units() -> None:
    data = compile_bulletin(NOV, REPORTS, ASSIGNMENTS, NAMES, plan_title="夏邑县质量强县工作实施方案")
    assert data.period_label == "2026年11月" and data.title == "关于2026年11月任务落实情况的通报"
    assert data.late_units == ["县教育局", "县财政局"]
    assert data.missing_units == ["县商务局", "县工信局", "县市场监管局"]
    assert data.on_time_units == ["县发改委"]
    assert [r.unit_name for r in data.rows] == sorted(r.unit_name for r in data.rows)
    assert "县住建局" not in [r.unit_name for r in data.rows]  # nothing open, nothing reported
    by_unit = {r.unit_id: r for r in data.rows}
    assert (by_unit[4].on_time, by_unit[4].late, by_unit[4].missing) == (1, 0, 1)
    assert by_unit[4].missing_tasks == ["提升顾客满意率"]
    assert (by_unit[1].on_time, by_unit[1].late) == (1, 0)
    assert (by_unit[6].late, by_unit[6].missing) == (1, 0)
    assert [(t.unit_name, t.task_title) for t in data.overdue] == [
        ("县工信局", "推进企业标准化建设"),
        ("县市场监管局", "开展主导产品监督抽查"),
    ]
    # (2026-10-09, 11-30]: the make-up Saturday 10-10, 15 in the rest of October, 21 in November
    assert data.overdue[0].overdue_workdays == 37
    text = summary_text(data)
    assert "应报送单位6个" in text and "逾期报送2个（县教育局、县财政局）" in text
    assert "未报送3个（县商务局、县工信局、县市场监管局）" in text and "逾期未完成任务2项" in text


def test_a_clean_month() -> None:
    data = compile_bulletin(NOV, [_r(1, 10)], [_a(1, 10, "编制计划", date(2026, 12, 31))], {})
    assert data.on_time_units == ["单位1"] and data.late_units == [] and data.missing_units == [] and not data.overdue
    assert "无逾期未完成任务" in summary_text(data) and "整改" not in summary_text(data)
    assert compile_bulletin(NOV, [], [], NAMES, period_label="11月").period_label == "11月"


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return compile_bulletin(NOV, REPORTS, ASSIGNMENTS, NAMES, plan_title="夏邑县质量强县工作实施方案")


def test_bulletin_xlsx_opens(data) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(bulletin_xlsx(data)))
    assert book.sheetnames == ["报送情况", "逾期任务"]
    ws = book["报送情况"]
    assert ws["A1"].value == "夏邑县质量强县工作实施方案2026年11月任务落实情况通报"
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.page_setup.paperSize in (9, "9")  # A4
    assert [c.value for c in ws[3]][:3] == ["序号", "责任单位", "报送情况"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, values_only=False)]
    assert [(r[1], r[2]) for r in rows] == [
        ("县发改委", "按时报送"),
        ("县商务局", "未报送"),
        ("县工信局", "未报送"),
        ("县市场监管局", "未报送"),
        ("县教育局", "逾期报送"),
        ("县财政局", "逾期报送"),
    ]
    overdue = book["逾期任务"]
    assert [overdue.cell(row=r, column=3).value for r in (4, 5)] == ["推进企业标准化建设", "开展主导产品监督抽查"]


def test_bulletin_docx_opens(data) -> None:  # type: ignore[no-untyped-def]
    doc = Document(io.BytesIO(bulletin_docx(data)))
    assert doc.paragraphs[0].text == "关于2026年11月任务落实情况的通报"
    assert any("逾期报送2个" in p.text for p in doc.paragraphs)
    assert len(doc.tables) == 2
    assert len(doc.tables[0].rows) == 1 + len(data.rows) and len(doc.tables[1].rows) == 1 + len(data.overdue)
    assert doc.tables[0].rows[2].cells[1].text == "县商务局"
    assert round(doc.sections[0].page_width.cm) == 21


def test_feed_says_what_rfc_5545_asks_of_a_published_calendar() -> None:
    # each line as a calendar app reads it; the stamp, given in Beijing time, is written in UTC to the second
    stamp = datetime(2026, 11, 1, 16, 30, 15, 500, tzinfo=timezone(timedelta(hours=8)))
    event = FeedEvent(
        uid="a:1", summary="报送总结", description="请按时报送", due_on=date(2026, 11, 30), url="https://x/t/1"
    )
    raw = build_feed("县质监局", [event], "Asia/Shanghai", dtstamp=stamp)
    assert set(raw.decode().split("\r\n")) == {
        *("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Luoshi//落实//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"),
        *("X-WR-CALNAME:县质监局", "X-WR-TIMEZONE:Asia/Shanghai"),
        *("BEGIN:VEVENT", "SUMMARY:报送总结", "DTSTART;VALUE=DATE:20261130", "DTEND;VALUE=DATE:20261201"),
        *("DTSTAMP:20261101T083015Z", "UID:a:1@luoshi", "DESCRIPTION:请按时报送", "URL:https://x/t/1"),
        "TRANSP:TRANSPARENT",  # a deadline does not make its day busy
        *("BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:报送总结", "TRIGGER:-PT15H", "END:VALARM"),
        *("END:VEVENT", "END:VCALENDAR", ""),
    }


def test_a_uid_that_is_already_global_is_kept_as_it_is() -> None:
    raw = build_feed("x", [FeedEvent(uid="x@example.org", summary="s", due_on=date(2026, 1, 5))], "Asia/Shanghai")
    assert "UID:x@example.org" in raw.decode().split("\r\n")


def test_bulletin_docx_follows_the_official_document_format(data) -> None:  # type: ignore[no-untyped-def]
    # GB/T 9704-2012: A4, type area 156 × 225 mm from 37 mm at the top and 28 mm at the binding edge; the title
    # in 二号 小标宋, body text in 三号 仿宋 indented two characters, first-level headings in 黑体
    doc = Document(io.BytesIO(bulletin_docx(data)))
    section = doc.sections[0]
    assert [round(x.cm, 1) for x in (section.page_width, section.page_height)] == [21.0, 29.7]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.cm, 1) for m in margins] == [3.7, 3.5, 2.8, 2.6]
    assert section.orientation == 0  # portrait
    assert doc.core_properties.title == "关于2026年11月任务落实情况的通报"

    def look(paragraph):  # type: ignore[no-untyped-def]
        run = paragraph.runs[0]
        east_asia = run._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        indent = paragraph.paragraph_format.first_line_indent
        return (paragraph.text, run.font.name, east_asia, run.font.size.pt, bool(run.font.bold), indent and indent.pt)

    title, addressee, body, first, second = (p for p in doc.paragraphs if p.text)
    assert look(title) == ("关于2026年11月任务落实情况的通报", "方正小标宋简体", "方正小标宋简体", 22, False, None)
    assert title.alignment == 1  # centred
    assert look(addressee) == ("各责任单位：", "仿宋_GB2312", "仿宋_GB2312", 16, False, None)
    assert look(body) == (summary_text(data), "仿宋_GB2312", "仿宋_GB2312", 16, False, 32)
    assert look(first) == ("一、报送情况", "黑体", "黑体", 16, False, 32)
    assert look(second) == ("二、逾期未完成任务", "黑体", "黑体", 16, False, 32)
    rows, overdue = doc.tables
    assert rows.style.name == "Table Grid"
    header = rows.rows[0].cells[0].paragraphs[0]
    assert look(header) == ("序号", "黑体", "黑体", 10.5, True, None) and header.alignment == 1
    assert look(rows.rows[1].cells[1].paragraphs[0]) == ("县发改委", "宋体", "宋体", 10.5, False, None)
    assert [c.text for c in overdue.rows[1].cells] == [
        "1",
        "县工信局",
        "推进企业标准化建设",
        "2026年10月9日",
        "37",
        "办理中",
    ]
    # a month without overdue tasks has no second table
    clean = compile_bulletin(NOV, [_r(1, 10)], [_a(1, 10, "编制计划", date(2026, 12, 31))], NAMES)
    doc = Document(io.BytesIO(bulletin_docx(clean)))
    assert len(doc.tables) == 1 and "二、逾期未完成任务" not in [p.text for p in doc.paragraphs]


def test_bulletin_xlsx_layout_prints_as_filed(data) -> None:  # type: ignore[no-untyped-def]
    # merged title and note lines, a grey bordered header repeated on every page, A4 landscape fitted to the width
    book = load_workbook(io.BytesIO(bulletin_xlsx(data)))
    assert book.properties.title == "关于2026年11月任务落实情况的通报"
    ws = book["报送情况"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:G1", "A2:G2"}
    assert ws["A2"].value == "报送截止日期：2026年11月30日　应报送6个单位：按时报送1个，逾期报送2个，未报送3个"

    def look(cell):  # type: ignore[no-untyped-def]
        return (cell.font.name, cell.font.sz, bool(cell.font.b), cell.alignment.horizontal, cell.alignment.vertical)

    assert look(ws["A1"]) == ("黑体", 16, True, "center", "center") and ws["A1"].alignment.wrap_text
    assert look(ws["A2"]) == ("宋体", 10, False, "left", "center") and ws["A2"].alignment.wrap_text
    assert (ws.row_dimensions[1].height, ws.row_dimensions[2].height) == (36, 30)
    for c, width in enumerate((7, 26, 12, 10, 10, 10, 44), 1):
        head = ws.cell(row=3, column=c)
        assert look(head) == ("黑体", 11, True, "center", "center") and head.alignment.wrap_text
        assert (head.fill.fill_type, head.fill.fgColor.rgb) == ("solid", "00D9D9D9")
        assert {head.border.left.style, head.border.right.style, head.border.top.style, head.border.bottom.style} == {
            "thin"
        }
        assert ws.column_dimensions[head.column_letter].width == width
        body = ws.cell(row=4, column=c)
        assert look(body) == ("宋体", 11, False, "left" if c in (2, 7) else "center", "center")
        assert body.border.bottom.style == "thin" and body.alignment.wrap_text
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3" and ws.print_area == "'报送情况'!$A$1:$G$9"
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == ("landscape", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
    m = ws.page_margins
    assert (m.left, m.right, m.top, m.bottom, m.header, m.footer) == (0.5, 0.5, 0.7, 0.7, 0.3, 0.3)
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    overdue = book["逾期任务"]
    assert [overdue["A1"].value, overdue["A2"].value] == [
        "2026年11月逾期未完成任务清单",
        "截至2026年11月30日，逾期未完成任务2项",
    ]
    assert [overdue.cell(row=4, column=c).alignment.horizontal for c in range(1, 7)] == [
        *("center", "left", "left"),
        *("center", "center", "center"),
    ]
    assert [overdue.cell(row=4, column=c).value for c in range(1, 7)] == [
        *(1, "县工信局", "推进企业标准化建设"),
        *("2026年10月9日", 37, "办理中"),
    ]


def test_bulletin_titles_drop_characters_a_spreadsheet_cannot_hold() -> None:
    data = compile_bulletin(
        NOV, [_r(1, 10)], [_a(1, 10, "编制\x01计划", date(2026, 12, 31))], NAMES, plan_title="质量\x02方案"
    )
    ws = load_workbook(io.BytesIO(bulletin_xlsx(data)))["报送情况"]
    assert ws["A1"].value == "质量方案2026年11月任务落实情况通报"
    doc = Document(io.BytesIO(bulletin_docx(data)))
    assert "质量方案2026年11月" in doc.paragraphs[2].text


def test_a_task_due_on_the_reporting_deadline_is_not_yet_overdue_and_every_report_counts() -> None:
    assignments = [_a(1, 10, "编制计划", NOV), _a(1, 11, "落实资金", date(2026, 11, 27))]
    data = compile_bulletin(NOV, [_r(1, 10), _r(1, 11)], assignments, NAMES)
    assert [t.task_title for t in data.overdue] == ["落实资金"]
    assert (data.rows[0].on_time, data.rows[0].late, data.rows[0].missing) == (2, 0, 0)


def test_a_bulletin_without_a_plan_title_is_headed_by_its_period() -> None:
    data = compile_bulletin(NOV, [_r(1, 10)], [_a(1, 10, "编制计划", date(2026, 12, 31))], NAMES)
    assert summary_text(data) == (
        "现将2026年11月任务落实情况通报如下。截至2026年11月30日（报送截止日期），应报送单位1个，其中按时报送1个，"
        "逾期报送0个，未报送0个。无逾期未完成任务。"
    )
    assert load_workbook(io.BytesIO(bulletin_xlsx(data)))["报送情况"]["A1"].value == "关于2026年11月任务落实情况的通报"


def test_bulletin_numbers_its_rows_and_joins_a_unit_s_missing_tasks() -> None:
    assignments = [_a(1, 10, "编制\x01计划", date(2026, 12, 31)), _a(1, 11, "落实资金", date(2026, 12, 31))]
    data = compile_bulletin(NOV, [_r(2, None)], [*assignments, _a(2, 20, "质量教育", date(2026, 12, 31))], NAMES)
    ws = load_workbook(io.BytesIO(bulletin_xlsx(data)))["报送情况"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=4, values_only=False)] == [
        [1, "县发改委", "未报送", 0, 0, 2, "编制计划；落实资金"],  # control characters dropped
        [2, "县财政局", "按时报送", 1, 0, 0, None],
    ]
    doc = Document(io.BytesIO(bulletin_docx(data)))
    assert [c.text for c in doc.tables[0].rows[1].cells] == [
        "1",
        "县发改委",
        "未报送",
        "0",
        "0",
        "2",
        "编制计划；落实资金",
    ]
    assert doc.tables[0].rows[2].cells[0].text == "2"


def test_an_overdue_task_in_a_state_without_a_chinese_name_reads_as_open_in_chinese() -> None:
    # issue 17: the bulletin is printed in Chinese throughout; every state it lists is an open one
    data = compile_bulletin(NOV, [], [_a(1, 10, "编制计划", date(2026, 11, 2), state="suspended")], NAMES)
    ws = load_workbook(io.BytesIO(bulletin_xlsx(data)))["逾期任务"]
    assert ws.cell(row=4, column=6).value == "未办结"


@pytest.mark.parametrize(
    ("reports", "assignments", "tail"),
    [
        # only a late unit, or only a missing one: the call to put things right is there either way
        ([_r(1, 10, late=True)], [_a(1, 10, "编制计划", date(2026, 12, 31))], "逾期报送1个（县发改委），未报送0个。"),
        ([], [_a(1, 10, "编制计划", date(2026, 12, 31))], "逾期报送0个，未报送1个（县发改委）。"),
    ],
)
def test_the_summary_asks_for_corrections_whenever_a_unit_is_late_or_missing(
    reports: list[ReportFact], assignments: list[AssignmentFact], tail: str
) -> None:
    text = summary_text(compile_bulletin(NOV, reports, assignments, NAMES))
    assert text.endswith(f"{tail}无逾期未完成任务。请有关单位高度重视，认真查找原因，抓紧整改落实，按时报送工作进展。")


def test_the_summary_counts_the_units_with_overdue_tasks(data) -> None:  # type: ignore[no-untyped-def]
    assert "逾期未完成任务2项，涉及2个单位。" in summary_text(data)
    by_unit = {r.unit_id: r for r in data.rows}
    assert (by_unit[6].on_time, by_unit[6].late) == (0, 1)  # a unit-level late report: nothing on time


def test_bulletin_docx_is_signed_by_its_issuer_on_its_day(data) -> None:  # type: ignore[no-untyped-def]
    # the 落款: after a blank line, the issuer and the date, each flush right and not indented
    signed = data.model_copy(update={"issuer": "县质量强县工作领导小组办公室", "issued_on": date(2026, 12, 3)})
    doc = Document(io.BytesIO(bulletin_docx(signed)))
    *_, blank, issuer, day = doc.paragraphs
    assert blank.text == "" and blank.paragraph_format.first_line_indent is None
    assert [(p.text, p.alignment, p.paragraph_format.first_line_indent) for p in (issuer, day)] == [
        ("县质量强县工作领导小组办公室", 2, None),
        ("2026年12月3日", 2, None),
    ]
    # the addressee line is not indented either
    assert doc.paragraphs[1].text == "各责任单位：" and doc.paragraphs[1].paragraph_format.first_line_indent is None
    # not yet dated: the issuer alone signs it, with no empty date line
    undated = Document(io.BytesIO(bulletin_docx(signed.model_copy(update={"issued_on": None}))))
    assert [p.text for p in undated.paragraphs][-2:] == ["", "县质量强县工作领导小组办公室"]
