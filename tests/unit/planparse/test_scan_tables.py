"""A task table on a scanned page is read back as a table (planparse/scantables.py), from where OCR found each line.

The pages here are what OCR gives for a printed 分工表 (each line's text and box), written out by hand so the
tests run without OCR; tests/unit/planparse/test_corpus.py runs the real thing on a rendered scan."""

from __future__ import annotations

from luoshi_tasks.planparse import parse_plan
from luoshi_tasks.planparse.documents import DocumentTable, _scanned_page
from luoshi_tasks.planparse.ocr import RecognisedPage
from luoshi_tasks.planparse.scantables import ScanTable, page_blocks

# the printed columns, x from: 序号 120, 工作任务 180, 牵头单位 600, 配合单位 800, 完成时限 1000 (to 1120)
HEADER = [("序号", 125), ("工作任务", 190), ("牵头单位", 610), ("配合单位", 810), ("完成时限", 1010)]


def _line(
    text: str, left: float, top: float, tilt: float = 0.0, width: float | None = None
) -> tuple[str, tuple[float, float, float, float]]:
    """A line 24 px high, 20 px a character unless its width is given; `tilt` lowers it by that much per pixel
    across the page (a page fed into the scanner askew)."""
    right = left + (20 * len(text) if width is None else width)
    return text, (left, top + tilt * left, right, top + tilt * left + 24)


def _page(lines: list[tuple[str, tuple[float, float, float, float]]]) -> RecognisedPage:
    return RecognisedPage(1, [t for t, _ in lines], 0.99, [b for _, b in lines])


def _table_lines(top: float, tilt: float = 0.0) -> list[tuple[str, tuple[float, float, float, float]]]:
    """A header and three rows, printed from each cell's top, 32 px a line, a rule and padding between rows; the
    second row's number is not read (OCR misses a lone digit now and then)."""
    return [
        *(_line(text, x, top, tilt) for text, x in HEADER),
        _line("一、质量提升", 125, top + 48, tilt),
        _line("1", 128, top + 96, tilt),
        _line("开展质量提升行动，", 190, top + 96, tilt),
        _line("每年抽查一次", 190, top + 128, tilt),
        _line("县市场监管局", 610, top + 96, tilt),
        _line("县发改委、", 810, top + 96, tilt),
        _line("县工信局", 810, top + 128, tilt),
        _line("长期", 1010, top + 96, tilt),
        _line("创建知名品牌示范区", 190, top + 176, tilt),
        _line("县产业集聚区管委会", 610, top + 176, tilt),
        _line("2026年底前", 1010, top + 176, tilt),
        _line("3", 128, top + 226, tilt),
        _line("培育省级名牌产品", 190, top + 226, tilt),
        _line("县市场监管局", 610, top + 226, tilt),
        _line("县财政局", 810, top + 226, tilt),
        _line("每年9月", 1010, top + 226, tilt),
    ]


def test_lines_under_a_known_header_become_the_rows_and_columns_of_a_table() -> None:
    lines = [_line("附件2", 120, 100), _line("重点任务分工表", 400, 150), *_table_lines(220, tilt=0.008)]
    lines.append(_line("以上任务由各责任单位每月30日前报送进展情况，逾期未报的予以通报批评。", 120, 560))
    blocks = page_blocks([t for t, _ in lines], [b for _, b in lines])
    assert blocks[:2] == ["附件2", "重点任务分工表"]
    table = blocks[2]
    assert isinstance(table, ScanTable)
    assert table.header == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    assert table.rows == [
        ["一、质量提升"],
        ["1", "开展质量提升行动，每年抽查一次", "县市场监管局", "县发改委、县工信局", "长期"],
        ["", "创建知名品牌示范区", "县产业集聚区管委会", "", "2026年底前"],
        ["3", "培育省级名牌产品", "县市场监管局", "县财政局", "每年9月"],
    ]
    # the paragraph under the table runs across the columns: it is text again
    assert blocks[3:] == ["以上任务由各责任单位每月30日前报送进展情况，逾期未报的予以通报批评。"]


def test_header_cells_wrapped_onto_a_second_line_are_read_whole() -> None:
    """A narrow column's header prints on two lines (序 / 号, 牵头 / 单位); the first row starts below both."""
    header = [
        _line("序", 125, 220),
        _line("号", 125, 252),
        _line("工作任务", 190, 220),
        _line("牵头", 610, 220),
        _line("单位", 610, 252),
        _line("完成时限", 1010, 220),
    ]
    rows = [_line("1", 128, 300), _line("开展质量提升行动", 190, 300), _line("县市场监管局", 610, 300)]
    lines = [*header, *rows, _line("长期", 1010, 300)]
    [table] = page_blocks([t for t, _ in lines], [b for _, b in lines])
    assert isinstance(table, ScanTable)
    assert table.header == ["序号", "工作任务", "牵头单位", "完成时限"]
    assert table.rows == [["1", "开展质量提升行动", "县市场监管局", "长期"]]


def test_a_page_with_no_table_header_is_its_lines() -> None:
    lines = [_line("一、工作目标", 120, 100), _line("序号", 125, 150), _line("到2026年，建成质量强县。", 120, 200)]
    assert page_blocks([t for t, _ in lines], [b for _, b in lines]) == [t for t, _ in lines]


def test_a_scanned_table_reads_as_the_draft_of_a_word_table() -> None:
    """Two scanned pages: the table begins under its caption on the first and goes on under a repeated header on
    the second; the draft has one branch with every row, units as the columns say."""
    first = _page(
        [
            _line("关于印发质量强县实施方案的通知", 120, 100),
            _line("一、主要任务", 120, 150),
            _line("（一）加强质量监管。开展监督抽查。（责任单位：县市场监管局）", 120, 200),
            _line("附件", 120, 260),
            _line("重点任务分工表", 400, 310),
            *_table_lines(380)[:13],
        ]
    )
    rest = [(t, (b[0], b[1] - 386, b[2], b[3] - 386)) for t, b in _table_lines(380)[13:]]
    second = _page([*(_line(text, x, 120) for text, x in HEADER), *rest])
    tables: list[DocumentTable] = []
    text_one, running = _scanned_page(first, 0, tables, None)
    text_two, running = _scanned_page(second, len(text_one) + 1, tables, running)
    assert running is tables[0] and len(tables) == 1
    assert tables[0].caption == "附件 重点任务分工表"
    draft = parse_plan(f"{text_one}\n{text_two}", tables=tables)
    rows = [
        (t.number, t.title, t.lead_units, t.cooperating_units, t.deadline_text) for t in draft.tasks if t.lead_units
    ]
    assert rows == [
        ("（一）", "加强质量监管", ["县市场监管局"], [], None),
        ("1", "开展质量提升行动，每年抽查一次", ["县市场监管局"], ["县发改委", "县工信局"], "长期"),
        (None, "创建知名品牌示范区", ["县产业集聚区管委会"], [], "2026年底前"),
        ("3", "培育省级名牌产品", ["县市场监管局"], ["县财政局"], "每年9月"),
    ]
    branch = next(t for t in draft.tasks if t.title == "重点任务分工表")
    assert branch.number == "附件"


def test_a_page_scanned_askew_reads_the_same_rows_either_way() -> None:
    """A page fed into the scanner at about one degree (0.02: 20 px over the 1000 px of the table, more than half a
    line), turned either way: the lines of a row are found along the header's slope, not at one height."""
    for tilt in (0.02, -0.02):  # 0.03 (1.7°) is past it: 13 px between two header cells 420 px apart
        lines = _table_lines(220, tilt=tilt)
        [table] = page_blocks([t for t, _ in lines], [b for _, b in lines])
        assert isinstance(table, ScanTable), tilt
        assert table.header == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"], tilt
        assert table.rows == [
            ["一、质量提升"],
            ["1", "开展质量提升行动，每年抽查一次", "县市场监管局", "县发改委、县工信局", "长期"],
            ["", "创建知名品牌示范区", "县产业集聚区管委会", "", "2026年底前"],
            ["3", "培育省级名牌产品", "县市场监管局", "县财政局", "每年9月"],
        ], tilt


def test_each_row_of_a_scanned_table_points_at_its_line_of_the_text() -> None:
    """The spans the draft review marks: the header's and each row's, in the text of both pages as the draft reads
    it (the second page's rows under the first page's table, numbered on from its last row)."""
    first = _page([_line("一、主要任务", 120, 150), _line("重点任务分工表", 400, 310), *_table_lines(380)[:13]])
    rest = [(t, (b[0], b[1] - 386, b[2], b[3] - 386)) for t, b in _table_lines(380)[13:]]
    second = _page([*(_line(text, x, 120) for text, x in HEADER), *rest])
    tables: list[DocumentTable] = []
    text_one, running = _scanned_page(first, 0, tables, None)
    text_two, _ = _scanned_page(second, len(text_one) + 1, tables, running)
    text = f"{text_one}\n{text_two}"
    [table] = tables
    a, b = table.row_spans[1]
    assert text[a:b] == "序号　工作任务　牵头单位　配合单位　完成时限"
    rows = {r: text[a:b] for r, (a, b) in table.row_spans.items() if r != 1}
    assert rows == {
        2: "一、质量提升",
        3: "1　开展质量提升行动，每年抽查一次　县市场监管局　县发改委、县工信局　长期",
        4: "创建知名品牌示范区　县产业集聚区管委会　2026年底前",
        5: "3　培育省级名牌产品　县市场监管局　县财政局　每年9月",
    }
    assert table.grid.raw_rows == {1, 2, 3, 4, 5}


def test_a_page_that_opens_with_a_table_starts_a_table_of_its_own() -> None:
    """A picture of a 分工表 page on its own (no table running on from a page before), and the same page after a
    page of text, which ends with no table for it to go on."""
    tables: list[DocumentTable] = []
    text, running = _scanned_page(_page(_table_lines(220)), 0, tables, None)
    assert running is tables[0] and tables[0].grid.cells[1] == dict(enumerate((h for h, _ in HEADER), start=1))
    assert text.startswith("序号　工作任务")

    prose = _page([_line("一、主要任务", 120, 100), _line("（一）加强质量监管。", 120, 150)])
    text, ended_with = _scanned_page(prose, 0, tables, None)
    assert ended_with is None and text == "一、主要任务\n（一）加强质量监管。"
    _, running = _scanned_page(_page(_table_lines(120)), len(text) + 1, tables, ended_with)
    assert running is tables[1]
    assert _scanned_page(_page([]), 0, tables, None) == ("", None)  # a blank page ends with no table either
