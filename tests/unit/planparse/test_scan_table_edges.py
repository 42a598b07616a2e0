"""The edges of reading a scanned table back from OCR's lines (planparse/scantables.py): rows closer than a rule's gap,
cells that fill their column, a header in any order or wrapped onto several lines, a page askew low on the sheet.

Each page is written out by hand as OCR would give it (a line's text and its box, 24 px high); the expected rows are
what a reader sees on the printed table."""

from __future__ import annotations

import random

from luoshi_tasks.planparse.scantables import ScanTable, page_blocks
from tests.unit.planparse.test_scan_tables import HEADER, _line

Line = tuple[str, tuple[float, float, float, float]]
COLUMNS = [text for text, _ in HEADER]


def _header(top: float, columns: list[str] = COLUMNS) -> list[Line]:
    """The header row of test_scan_tables.py's printed columns, those named."""
    return [_line(text, x, top) for text, x in HEADER if text in columns]


def _blocks(lines: list[Line]) -> list:
    return page_blocks([t for t, _ in lines], [b for _, b in lines])


def _gapped_table(top: float, tilt: float = 0.0) -> list[Line]:
    """A header and three rows parted by their rules' gaps (a line between rows), as printed by Word."""
    return [
        *(_line(text, x, top, tilt) for text, x in HEADER),
        _line("一、质量提升", 128, top + 48, tilt),
        _line("1", 128, top + 96, tilt),
        _line("开展质量提升行动，", 190, top + 96, tilt),
        _line("每年抽查一次", 190, top + 128, tilt),
        _line("县市场监管局", 610, top + 96, tilt),
        _line("县发改委、", 810, top + 96, tilt),
        _line("县工信局", 810, top + 128, tilt),
        _line("长期", 1010, top + 96, tilt),
        _line("2", 128, top + 176, tilt),
        _line("创建知名品牌示范区", 190, top + 176, tilt),
        _line("县产业集聚区管委会", 610, top + 176, tilt),
        _line("2026年底前", 1010, top + 176, tilt),
    ]


GAPPED_ROWS = [
    ["一、质量提升"],
    ["1", "开展质量提升行动，每年抽查一次", "县市场监管局", "县发改委、县工信局", "长期"],
    ["2", "创建知名品牌示范区", "县产业集聚区管委会", "", "2026年底前"],
]


def test_rows_set_tight_are_parted_by_their_numbers() -> None:
    """A table set with no padding: each line 28 px under the one above, rows and a cell's wrapped lines alike, the
    first row right under the header. Only the number in 序号 tells where a row starts."""
    top = 200
    lines = [
        *_header(top, ["序号", "工作任务", "牵头单位", "完成时限"]),
        _line("1", 128, top + 28),
        _line("开展质量提升行动，", 190, top + 28),
        _line("县市场监管局", 610, top + 28),
        _line("长期", 1010, top + 28),
        _line("每年抽查一次", 190, top + 56),
        _line("2", 128, top + 84),
        _line("培育省级名牌产品", 190, top + 84),
        _line("县财政局", 610, top + 84),
        _line("每年9月", 1010, top + 84),
        _line("3", 128, top + 112),
        _line("创建知名品牌示范区", 190, top + 112),
        _line("县工信局", 610, top + 112),
        _line("2026年底前", 1010, top + 112),
    ]
    [table] = _blocks(lines)
    assert isinstance(table, ScanTable)
    assert table.header == ["序号", "工作任务", "牵头单位", "完成时限"]
    assert table.rows == [
        ["1", "开展质量提升行动，每年抽查一次", "县市场监管局", "长期"],
        ["2", "培育省级名牌产品", "县财政局", "每年9月"],
        ["3", "创建知名品牌示范区", "县工信局", "2026年底前"],
    ]


def test_a_cell_that_fills_its_column_stays_in_its_row() -> None:
    """Cells printed to their column's edge, and a full-width comma spilling 10 px past it, are cells; a short note
    from the left margin under the table, running into the second column, is text after it."""
    top = 200
    lines = [
        *_header(top),
        _line("1", 128, top + 48),
        _line("开展质量提升行动，每年抽查一次", 190, top + 48, width=420),  # 190 to 610: 工作任务's full width
        _line("县产业集聚区管委会，", 610, top + 48, width=210),  # to 820: 10 px into 配合单位
        _line("县发改委", 810, top + 48),
        _line("长期", 1010, top + 48),
        _line("注：见附件", 120, top + 112),  # 120 to 220: 30 px into 工作任务
    ]
    [table, note] = _blocks(lines)
    assert isinstance(table, ScanTable)
    assert table.rows == [["1", "开展质量提升行动，每年抽查一次", "县产业集聚区管委会，", "县发改委", "长期"]]
    assert note == "注：见附件"


def test_the_lines_of_a_page_in_any_order_read_the_same_table() -> None:
    """OCR lists a page's lines in its own order, not always left to right and top to bottom (a header read 工作任务
    first, a row's lines before the row above): the table is read from where the lines are, whichever way the page
    is tilted."""
    for tilt in (0.0, 0.02, -0.02):
        lines = _gapped_table(220, tilt)
        for seed in range(4):
            shuffled = lines[:]
            random.Random(seed).shuffle(shuffled)
            [table] = _blocks(shuffled)
            assert isinstance(table, ScanTable), (tilt, seed)
            assert table.header == COLUMNS, (tilt, seed)
            assert table.rows == GAPPED_ROWS, (tilt, seed)


def test_a_page_scanned_askew_reads_the_same_wherever_the_table_sits() -> None:
    """At about one degree either way (0.02), a table high on the page and one near its foot (1,500 px down): the
    tilt is read from the header's own slope, not from where it sits."""
    for top in (220, 1500):
        for tilt in (0.02, -0.02):
            [table] = _blocks(_gapped_table(top, tilt))
            assert isinstance(table, ScanTable), (top, tilt)
            assert table.header == COLUMNS, (top, tilt)
            assert table.rows == GAPPED_ROWS, (top, tilt)


def test_a_header_cell_wrapped_one_character_a_line_is_read_whole() -> None:
    """A column one character wide prints its header 配 / 合 / 单 / 位, a line each, set loosely (10 px between
    lines); it is read as one header, and the first row starts below its last line."""
    top = 200
    lines = [
        *_header(top, ["序号", "工作任务", "牵头单位", "完成时限"]),
        *(_line(char, 815, top + 34 * n) for n, char in enumerate("配合单位")),  # 10 px apart
        _line("1", 128, top + 176),
        _line("开展质量提升行动", 190, top + 176),
        _line("县市场监管局", 610, top + 176),
        _line("县发改委", 810, top + 176),
        _line("长期", 1010, top + 176),
    ]
    [table] = _blocks(lines)
    assert isinstance(table, ScanTable)
    assert table.header == COLUMNS
    assert table.rows == [["1", "开展质量提升行动", "县市场监管局", "县发改委", "长期"]]


def test_three_known_columns_make_a_table_and_one_heading_does_not() -> None:
    """序号 / 工作任务 / 牵头单位 is the smallest header read as a table; a heading that happens to be a task column's
    name (主要任务) on a page of text is a heading."""
    top = 200
    lines = [
        *_header(top, ["序号", "工作任务", "牵头单位"]),
        _line("1", 128, top + 48),
        _line("开展质量提升行动", 190, top + 48),
        _line("县市场监管局", 610, top + 48),
    ]
    [table] = _blocks(lines)
    assert isinstance(table, ScanTable)
    assert table.header == ["序号", "工作任务", "牵头单位"]
    assert table.rows == [["1", "开展质量提升行动", "县市场监管局"]]

    prose = [_line("一、工作目标", 120, 100), _line("主要任务", 120, 150), _line("（一）加强质量监管。", 120, 200)]
    assert _blocks(prose) == ["一、工作目标", "主要任务", "（一）加强质量监管。"]


def test_a_row_number_set_lower_than_its_words_starts_its_row_with_them() -> None:
    """OCR boxes a lone digit tighter than Chinese characters, so in a table set tight a row's number sits a few px
    below its words and comes after them in OCR's order: the words level with the number are its row's."""
    top = 200
    lines = [*_header(top, ["序号", "工作任务", "牵头单位", "完成时限"])]
    for n, (task, unit, due) in enumerate(
        [("开展质量提升行动", "县市场监管局", "长期"), ("培育省级名牌产品", "县财政局", "每年9月")]
    ):
        row = top + 28 + 28 * n
        low = (3, 10)[n]  # px below its words: a digit's box, or a number set a little lower in its cell
        lines += [
            _line(task, 190, row),
            _line(unit, 610, row),
            _line(due, 1010, row),
            _line(str(n + 1), 130, row + low),
        ]
    [table] = _blocks(lines)
    assert isinstance(table, ScanTable)
    assert table.rows == [
        ["1", "开展质量提升行动", "县市场监管局", "长期"],
        ["2", "培育省级名牌产品", "县财政局", "每年9月"],
    ]


def test_a_section_heading_read_in_pieces_is_one_section_row() -> None:
    """A merged row 一、质量提升 comes back from OCR as two lines when it leaves a gap after the numeral: the numeral
    and the words (given right to left, as OCR may), or 二、 and the words; a heading too long for the table's
    width wraps onto a second line. Each is one section row, written whole. A row numbered 三 with its task and
    lead unit on one line is a task, not a section."""
    top = 200
    lines = [
        *_header(top, ["序号", "工作任务", "牵头单位"]),
        _line("质量提升", 170, top + 48),
        _line("一", 128, top + 48),
        _line("二、", 128, top + 96),
        _line("品牌建设", 190, top + 96),
        _line("三", 128, top + 144),
        _line("开展质量提升行动", 190, top + 144),
        _line("县市场监管局", 610, top + 144),
        _line("四、" + "推动质量发展方式由规模速度型向质量效益型转变，加快构建" * 2, 128, top + 192, width=570),
        _line("现代质量品牌体系", 128, top + 224),
    ]
    [table] = _blocks(lines)
    assert isinstance(table, ScanTable)
    assert table.rows == [
        ["一、质量提升"],
        ["二、品牌建设"],
        ["三", "开展质量提升行动", "县市场监管局"],
        ["四、" + "推动质量发展方式由规模速度型向质量效益型转变，加快构建" * 2 + "现代质量品牌体系"],
    ]


def test_what_follows_a_table_is_text_in_the_order_printed() -> None:
    """Under the table, a signature from the right (it runs from 配合单位 into 完成时限) and its date: text after
    the table, top to bottom, whatever order OCR gave them in; a cell's wrapped lines set loosely (10 px apart)
    stay one cell."""
    top = 200
    lines = [
        *_header(top),
        _line("1", 128, top + 48),
        _line("开展质量提升行动，", 190, top + 48),
        _line("每年抽查一次", 190, top + 82),
        _line("县市场监管局", 610, top + 48),
        _line("长期", 1010, top + 48),
        _line("2026年3月1日", 900, top + 200),
        _line("县质量强县工作领导小组办公室", 830, top + 152),
    ]
    assert _blocks(lines)[1:] == ["县质量强县工作领导小组办公室", "2026年3月1日"]
    assert _blocks(lines)[0].rows == [["1", "开展质量提升行动，每年抽查一次", "县市场监管局", "", "长期"]]
