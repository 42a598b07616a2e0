"""The task breakdown table (任务分解表): reading what offices keep in Excel/WPS, and writing it back."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from luoshi_tasks.breakdown import (
    HEADERS,
    BreakdownFileError,
    BreakdownRow,
    number_level,
    parent_numbers,
    read_breakdown,
    split_number_prefix,
    write_breakdown_csv,
    write_breakdown_xlsx,
)
from tests.fixtures.breakdown_factory import make_breakdown_rows

ROUND_TRIP = (
    "number",
    "parent_number",
    "title",
    "measures",
    "lead_units",
    "cooperating_units",
    "deadline_text",
    "person",
    "remarks",
)
PLAN = "夏邑县创建河南省知名品牌创建示范产业集聚区实施方案"


def _xlsx(rows: list[list[Any]], merges: tuple[str, ...] = (), sheet: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert isinstance(ws, Worksheet)
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for merged in merges:
        ws.merge_cells(merged)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pick(row: BreakdownRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ROUND_TRIP}


def test_title_row_above_header_variants_and_responsible_only():
    data = _xlsx(
        [
            ["夏邑县创建河南省知名品牌创建示范产业集聚区任务分解表"],
            [],
            ["序 号", "任务内容", "责任单位", "完成时间", "联系电话", "责任人（签字）"],
            ["1", "产业集聚发展迅速", "产业集聚区管委会、发改委、统计局", "2015年12月底前", "0370-6212345", "孙战峰"],
            ["2", "特色产业集群初步形成", "产业集聚区管委会", "每月30日", None, None],
        ],
        merges=("A1:F1",),
    )
    sheet = read_breakdown(data, "分解表.xlsx")
    assert sheet.sheet_name == "Sheet1"
    assert sheet.header_row == 3
    assert sheet.columns == {"number": "A", "title": "B", "responsible": "C", "deadline": "D", "person": "F"}
    assert sheet.headers["title"] == "任务内容"
    assert sheet.ignored_columns == ["联系电话"]
    first, second = sheet.rows
    assert first.row == 4 and second.row == 5
    assert first.number == "1" and first.parent_number is None
    assert first.title == "产业集聚发展迅速"
    assert first.lead_units == ["产业集聚区管委会"]
    assert first.cooperating_units == ["发改委", "统计局"]
    assert first.deadline_text == "2015年12月底前" and first.person == "孙战峰"
    assert first.cells["responsible"] == "产业集聚区管委会、发改委、统计局"
    assert second.lead_units == ["产业集聚区管委会"] and second.cooperating_units == []
    assert second.person is None and second.measures is None
    assert sheet.where(5, "deadline") == "row 5, column D (完成时间)"
    assert sheet.where(5, "deadline", zh=True) == "第5行D列（完成时间）"


def test_lead_column_wins_over_responsible_and_marked_lead():
    data = _xlsx(
        [
            ["序号", "重点任务", "牵头单位", "配合单位", "责任部门"],
            ["1", "构建技术标准支撑体系", "质监局", "工信局", "质监局、发改委、工信局"],
            ["2", "大力实施品牌带动", None, None, "财政局、质监局（牵头）、工商局"],
        ]
    )
    first, second = read_breakdown(data, "t.xlsx").rows
    assert first.lead_units == ["质监局"]
    assert first.cooperating_units == ["工信局", "发改委"]
    # no lead in this row: 责任单位 decides, and "（牵头）" marks the lead
    assert second.lead_units == ["质监局"]
    assert second.cooperating_units == ["财政局", "工商局"]


def test_merged_lead_unit_and_section_number_fill_every_row_they_cover():
    data = _xlsx(
        [
            ["序号", "工作任务", "具体措施", "牵头单位", "配合单位"],
            ["一", "全面提升质量管理水平", "开展质量兴县活动", "质监局", "工信局"],
            [None, None, "推广卓越绩效模式", None, "发改委"],
            [None, None, "实施政府质量奖励制度", None, None],
            ["二", "着重加强质量诚信体系建设", "建立企业质量诚信档案", "工商局", None],
        ],
        merges=("A2:A4", "B2:B4", "D2:D4"),
    )
    rows = read_breakdown(data, "t.xlsx").rows
    assert [r.row for r in rows] == [2, 3, 4, 5]
    assert [r.lead_units for r in rows] == [["质监局"], ["质监局"], ["质监局"], ["工商局"]]
    assert [r.number for r in rows] == ["一", "一", "一", "二"]
    assert [r.title for r in rows[:3]] == ["全面提升质量管理水平"] * 3
    assert [r.measures for r in rows[:3]] == ["开展质量兴县活动", "推广卓越绩效模式", "实施政府质量奖励制度"]
    assert rows[1].cooperating_units == ["发改委"] and rows[2].cooperating_units == []


def test_section_rows_and_parent_numbers():
    data = _xlsx(
        [
            ["序号", "工作任务", "牵头单位"],
            ["一、全面提升质量管理水平"],  # merged across the row, so the text sits in 序号
            ["（一）", "开展质量提升活动", "质监局"],
            ["1.", "质量兴县活动", "质监局"],
            ["（1）", "质量管理小组活动", "质监局"],
            ["(2)", "节能降耗活动", "工信局"],
            ["2、", "推广卓越绩效模式", "质监局"],
            ["2.1", "标杆管理", "质监局"],
            ["(二)", "实施政府质量奖励制度", "财政局"],
            [None, "二、着力构建技术标准支撑体系"],
            ["（一）", "鼓励企业采用国际标准", "质监局"],
            [3.0, "标准研发创新基地", "质监局"],
            [None, "无编号的补充任务", "质监局"],
        ],
        merges=("A2:C2",),
    )
    rows = read_breakdown(data, "t.xlsx").rows
    got = [(r.number, r.parent_number, r.title) for r in rows]
    assert got == [
        ("一", None, "全面提升质量管理水平"),
        ("（一）", "一", "开展质量提升活动"),
        ("1.", "（一）", "质量兴县活动"),
        ("（1）", "1.", "质量管理小组活动"),
        ("(2)", "1.", "节能降耗活动"),
        ("2、", "（一）", "推广卓越绩效模式"),
        ("2.1", "2、", "标杆管理"),
        ("(二)", "一", "实施政府质量奖励制度"),
        ("二", None, "着力构建技术标准支撑体系"),
        ("（一）", "二", "鼓励企业采用国际标准"),
        ("3", "（一）", "标准研发创新基地"),
        (None, None, "无编号的补充任务"),
    ]
    # the link by row is unambiguous where numbers repeat under each section
    assert rows[9].parent_row == rows[8].row == 10
    assert rows[0].lead_units == [] and rows[0].cells["number"] == "一、全面提升质量管理水平"


def test_numbering_levels():
    numbers = ("一", "十二、", "（三）", "(四)", "1", "1.", "2、", "１．", "1.2", "（1）", "(2)", "①", "甲", "", None)
    assert [number_level(n) for n in numbers] == [1, 1, 2, 2, 3, 3, 3, 3, 3.1, 4, 4, 5, None, None, None]
    assert parent_numbers(["1", "1.1", "1.1.1", "1.2", "2", "2.1"]) == [None, "1", "1.1", "1", None, "2"]
    assert split_number_prefix("一、全面提升质量管理水平") == ("一", "全面提升质量管理水平")
    assert split_number_prefix("（二）着力构建技术标准支撑体系") == ("（二）", "着力构建技术标准支撑体系")
    assert split_number_prefix("3．推广卓越绩效模式") == ("3", "推广卓越绩效模式")
    # dates and amounts at the start of a task are not numbers
    assert split_number_prefix("2015年底前完成") is None
    assert split_number_prefix("1.5万元奖励到位") is None
    assert split_number_prefix("一是对新获得中国名牌的企业给予奖励") is None


def test_a_chinese_number_with_a_comma_is_a_top_level_heading() -> None:
    # offices type 一，二， (full-width comma) as often as 一、二、
    assert [number_level(n) for n in ("一，", "二,", "十一，")] == [1, 1, 1]
    assert parent_numbers(["一，", "（一）", "二，", "（一）"]) == [None, "一，", None, "二，"]


def test_a_bracketed_arabic_number_with_a_mark_after_it_is_level_four() -> None:
    # （1）、 and (2). are the same level as （1）: under 1. and above ①
    assert [number_level(n) for n in ("（1）、", "(2).", "（3）．")] == [4, 4, 4]
    assert parent_numbers(["1.", "（1）、", "①", "（2）、"]) == [None, "1.", "（1）、", "1."]


def test_a_chinese_number_and_a_full_stop_lead_the_task_text() -> None:
    # "一.加强组织领导" and "二．健全工作机制": the number is split off the title as with 一、
    assert split_number_prefix("一.加强组织领导") == ("一", "加强组织领导")
    assert split_number_prefix("二．健全工作机制") == ("二", "健全工作机制")


def test_every_level_may_carry_a_mark_after_it() -> None:
    # 一. （一）、 1、 1.2. ①、: the mark after a number does not change its level
    numbers = ("三.", "四．", "（一）、", "（二）.", "2、", "1.2.", "①、", "②.")
    assert [number_level(n) for n in numbers] == [1, 1, 2, 2, 3, 3.1, 5, 5]


def test_spaces_inside_a_number_do_not_change_its_level() -> None:
    # cells typed as "（ 一 ）" or "( 1 )" or "1 ."
    assert [number_level(n) for n in ("（ 一 ）", "( 1 )", "1 .", " 一 、")] == [2, 4, 3, 1]


def test_a_row_with_no_number_is_nobodys_parent_and_leaves_the_outline_open() -> None:
    # a note row between a heading and its first item does not cut the item off from the heading
    assert parent_numbers(["一、", "说明", "（一）", "1.", "", "2."]) == [None, None, "一、", "（一）", None, "（一）"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（二）、着力构建技术标准支撑体系", ("（二）", "着力构建技术标准支撑体系")),
        ("2、推广卓越绩效模式", ("2", "推广卓越绩效模式")),
        ("1.2 完善质量管理制度", ("1.2", "完善质量管理制度")),
        ("1.2、完善质量管理制度", ("1.2", "完善质量管理制度")),
        ("1.2.完善质量管理制度", ("1.2", "完善质量管理制度")),
        ("（1）开展质量提升行动", ("（1）", "开展质量提升行动")),
        ("(2).开展质量提升行动", ("(2)", "开展质量提升行动")),
        ("①加强组织领导", ("①", "加强组织领导")),
        ("②、加强组织领导", ("②", "加强组织领导")),
        ("一、加强组织领导\n", ("一", "加强组织领导")),
    ],
)
def test_every_kind_of_number_is_split_off_the_task_text(text: str, expected: tuple[str, str]) -> None:
    assert split_number_prefix(text) == expected


def test_units_split_on_mixed_separators_and_newlines():
    data = _xlsx(
        [
            ["序号", "工作任务", "牵头单位", "配合单位"],
            ["1", "节约集约", "产业集聚区管委会", "环保局，国土局,住建局;发改委；统计局/质监局\n安监局\r\n卫生局、"],
            ["2", "技术标准水平先进", "质监局", "产业集聚区管委会、区内规模以上企业等"],
            ["3", "质量诚信体系完善", "质监局、工商局", "质监局、广电局等有关单位"],
        ]
    )
    first, second, third = read_breakdown(data, "t.xlsx").rows
    assert first.cooperating_units == ["环保局", "国土局", "住建局", "发改委", "统计局", "质监局", "安监局", "卫生局"]
    assert second.cooperating_units == ["产业集聚区管委会", "区内规模以上企业"]
    assert third.lead_units == ["质监局", "工商局"]
    assert third.cooperating_units == ["广电局"]  # the lead is not also cooperating


def test_float_numbers_excel_dates_and_blank_rows():
    data = _xlsx(
        [
            ["任务分解表"],
            ["序号", "工作任务", "完成时限", "备注"],
            [1.0, "建立质量诚信档案", dt.datetime(2012, 6, 30), 2.5],
            [None, None, None, None],
            [2, "发布质量状况分析报告", dt.date(2012, 12, 31), None],
            [None, "  ", None, None],
            [3, "注：本行不是注释", "到2015年", None],
            ["注：各单位每月30日前报送进展"],
        ]
    )
    rows = read_breakdown(data, "t.xlsx").rows
    assert [r.row for r in rows] == [3, 5, 7]
    assert [r.number for r in rows] == ["1", "2", "3"]
    assert [r.deadline_text for r in rows] == ["2012-06-30", "2012-12-31", "到2015年"]
    assert rows[0].remarks == "2.5"


def test_two_row_header_under_a_merged_responsible_unit_header():
    data = _xlsx(
        [
            ["序号", "工作任务", "责任单位", None, "完成时限"],
            [None, None, "牵头单位", "配合单位", None],
            ["1", "大力实施品牌带动", "质监局", "财政局、工商局", "2015年12月底前"],
        ],
        merges=("A1:A2", "B1:B2", "C1:D1", "E1:E2"),
    )
    sheet = read_breakdown(data, "t.xlsx")
    assert sheet.header_row == 1
    assert sheet.columns == {"number": "A", "title": "B", "lead": "C", "cooperating": "D", "deadline": "E"}
    (row,) = sheet.rows
    assert row.row == 3 and row.lead_units == ["质监局"] and row.cooperating_units == ["财政局", "工商局"]


def test_other_sheet_is_read_when_the_active_one_has_no_table():
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "说明"
    cover.append(["本表由创建办公室汇总"])
    table = book.create_sheet("分解表")
    table.append(["序号", "工作任务", "牵头单位"])
    table.append(["1", "产业集聚发展迅速", "产业集聚区管委会"])
    out = io.BytesIO()
    book.save(out)
    sheet = read_breakdown(out.getvalue(), "t.xlsx")
    assert sheet.sheet_name == "分解表" and sheet.rows[0].title == "产业集聚发展迅速"


def test_csv_in_gbk_with_title_row():
    text = (
        "夏邑县任务分解表,,,\r\n"
        "编号,工作内容,主责单位,协办单位,时限要求\r\n"
        '1,"产业集聚发展迅速",产业集聚区管委会,"发改委、统计局",2015年12月底前\r\n'
        ",,,,\r\n"
        '2,"加强领导，精心组织",县政府办,产业集聚区管委会,每月30日\r\n'
    )
    sheet = read_breakdown(text.encode("gbk"), "分解表.CSV")
    assert sheet.sheet_name == "分解表" and sheet.header_row == 2
    assert sheet.columns == {"number": "A", "title": "B", "lead": "C", "cooperating": "D", "deadline": "E"}
    assert [(r.row, r.title) for r in sheet.rows] == [(3, "产业集聚发展迅速"), (5, "加强领导，精心组织")]
    assert sheet.rows[0].cooperating_units == ["发改委", "统计局"]


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("utf-16"),
    ],
)
def test_csv_in_utf8_with_or_without_bom_and_utf16_tabs(encode):
    text = "序号,工作任务,牵头单位\n一,工作目标,\n（一）,特色产业集群初步形成,产业集聚区管委会\n"
    if encode(".") == ".".encode("utf-16"):
        text = text.replace(",", "\t")  # Excel's "Unicode text" is tab-separated
    rows = read_breakdown(encode(text), "t.csv").rows
    assert [(r.number, r.parent_number, r.lead_units) for r in rows] == [
        ("一", None, []),
        ("（一）", "一", ["产业集聚区管委会"]),
    ]


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (_xlsx([["夏邑县任务分解表"], ["一、工作目标"], ["1", "产业集聚发展迅速"]]), "t.xlsx", "breakdown_no_header"),
        (b"PK\x03\x04 this is not a workbook", "t.xlsx", "breakdown_corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "t.xlsx", "breakdown_file_type"),
        (b"not a zip at all", "t.xlsx", "breakdown_corrupt"),
        (b"", "t.xlsx", "breakdown_empty"),
        (b"\xff\x00\xfe\x81\x00", "t.csv", "breakdown_encoding"),
        (b"PK\x03\x04\x00\x00", "t.csv", "breakdown_file_type"),
        ("序号,工作任务".encode(), "t.xls", "breakdown_file_type"),
        (b"%PDF-1.7", "t.pdf", "breakdown_file_type"),
        ("任务分解表\n\n".encode(), "t.csv", "breakdown_no_header"),
    ],
)
def test_unreadable_files_raise_a_bilingual_error(data, filename, code):
    with pytest.raises(BreakdownFileError) as caught:
        read_breakdown(data, filename)
    err = caught.value
    assert err.code == code
    assert str(err) == err.message and any(ch.isascii() and ch.isalpha() for ch in err.message)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message_zh)
    assert err.message_zh in err.bilingual and err.message in err.bilingual


def test_missing_task_column_names_what_was_found():
    data = _xlsx([["序号", "牵头单位", "完成时限"], ["1", "质监局", "2015年12月底前"]])
    with pytest.raises(BreakdownFileError) as caught:
        read_breakdown(data, "t.xlsx")
    assert caught.value.code == "breakdown_no_task_column"
    assert "序号、牵头单位、完成时限" in str(caught.value)
    assert "序号、牵头单位、完成时限" in caught.value.message_zh


def test_round_trip_of_45_rows_through_xlsx():
    rows = make_breakdown_rows(45)
    assert len(rows) == 45
    data = write_breakdown_xlsx(PLAN, rows)
    sheet = read_breakdown(data, "export.xlsx")
    assert sheet.header_row == 2 and sheet.ignored_columns == []
    assert [_pick(r) for r in sheet.rows] == rows
    assert [r.row for r in sheet.rows] == list(range(3, 48))
    # and again from the models it read, as the export service passes them
    again = read_breakdown(write_breakdown_xlsx(PLAN, sheet.rows), "again.xlsx")
    assert [_pick(r) for r in again.rows] == rows


def test_round_trip_through_csv_with_formula_like_text():
    rows = make_breakdown_rows(45)
    rows[1] = {**rows[1], "measures": '=HYPERLINK("http://example.com")', "remarks": "-"}
    sheet = read_breakdown(write_breakdown_csv(rows), "export.csv")
    assert [_pick(r) for r in sheet.rows] == rows


def test_written_workbook_looks_like_an_office_file():
    data = write_breakdown_xlsx(
        PLAN,
        [
            BreakdownRow(number="一", title="工作目标"),
            *[BreakdownRow.model_validate(r) for r in make_breakdown_rows(12)[1:]],
        ],
    )
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert isinstance(ws, Worksheet)
    assert ws["A1"].value == PLAN + "任务分解表"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == list(HEADERS)
    assert HEADERS == ("序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限", "责任人", "备注")
    assert all(c.font.bold and c.border.left.style == "thin" for c in ws[2])
    assert ws["C4"].alignment.wrap_text
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
    assert ws["E4"].value == "发改委、统计局"
    assert ws["A3"].font.bold  # section rows stand out
    # a title that already says 任务分解表 is not doubled
    again = openpyxl.load_workbook(io.BytesIO(write_breakdown_xlsx("质量强县任务分解表", []))).active
    assert again is not None and again["A1"].value == "质量强县任务分解表"


def test_csv_export_opens_in_excel():
    data = write_breakdown_csv(make_breakdown_rows(3))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "序号,工作任务,具体措施,牵头单位,配合单位,完成时限,责任人,备注"
    assert lines[2].startswith("（一）,产业集聚发展迅速,") and "发改委、统计局" in lines[2]
