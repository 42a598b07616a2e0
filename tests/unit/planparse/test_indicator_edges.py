"""Indicators at the edges of the rules in planparse/indicators.py's docstring: every comparator word after the
figure, full-width space and ﹪, shares and numbers the sample plans do not use, figures skipped before a real
one, list sizes, rewards, line breaks that end a heading and those that only wrap a long line, and which
quantities are targets. Each expectation is read off the sentence by the module's rules, not off the parser;
mutation testing (tests/mutation/run.py) found these edges untested (issue 13)."""

from __future__ import annotations

import pytest

from luoshi_tasks.planparse.indicators import Indicator, find_indicators

# (name, comparator, target, unit, benchmark); target is (low, high) for a "range".
Row = tuple[str, str | None, float | tuple[float, float] | None, str | None, str | None]


def _row(i: Indicator) -> Row:
    target = (i.target, i.target_high) if i.comparator == "range" else i.target
    return (i.name, i.comparator, target, i.unit, i.benchmark)


def _rows(text: str) -> list[Row]:
    return [_row(i) for i in find_indicators(text)]


FORMS = [
    # a word after the figure decides, with no comparator word before it
    pytest.param("覆盖率95%及以上", [("覆盖率", ">=", 95, "%", None)], id="ji-yishang"),
    pytest.param("覆盖率95%之上", [("覆盖率", ">=", 95, "%", None)], id="zhishang"),
    pytest.param("事故率0.5%以下", [("事故率", "<=", 0.5, "%", None)], id="yixia"),
    pytest.param("事故率0.5%及以下", [("事故率", "<=", 0.5, "%", None)], id="ji-yixia"),
    pytest.param("事故率5%以内", [("事故率", "<=", 5, "%", None)], id="yinei"),
    pytest.param("事故率0.5%之内", [("事故率", "<=", 0.5, "%", None)], id="zhinei"),
    # full-width forms fold to ASCII ones; the text keeps the caller's characters
    pytest.param("产品合格率达到90﹪", [("产品合格率", ">=", 90, "%", None)], id="small-percent-sign"),
    # numbers
    pytest.param("新增规模以上企业不少于一千二百家", [("新增规模以上企业", ">=", 1200, "家", None)], id="cn-thousands"),
    pytest.param("培育企业达到1,200家", [("培育企业", ">=", 1200, "家", None)], id="thousands-comma"),
    pytest.param("新增就业岗位不少于三万个", [("新增就业岗位", ">=", 3, "万个", None)], id="cn-wan-count"),
    pytest.param("规模以上企业不少于十家", [("规模以上企业", ">=", 10, "家", None)], id="cn-with-floor-word"),
    pytest.param("省级名牌产品十个以上", [("省级名牌产品", ">=", 10, "个", None)], id="cn-with-suffix-only"),
    pytest.param(
        "有机产品面积达到全省产地总面积的半数以上",
        [("有机产品面积", ">=", 50, "%", "全省产地总面积")],
        id="banshu-share",
    ),
    pytest.param("人均产值达到全省人均的1.5倍", [("人均产值", ">=", 1.5, "倍", "全省人均")], id="times-of-something"),
    # "达到国家标准的100家": 100 firms that meet the standard, not a share of it: no comparator word, "="
    pytest.param(
        "企业达到国家标准的100家", [("企业达到国家标准的", "=", 100, "家", None)], id="count-of-those-meeting"
    ),
    # two bounds of one quantity: the second has its own word and keeps it
    pytest.param(
        "增长率不低于10%、不高于20%",
        [("增长率", ">=", 10, "%", None), ("增长率", "<=", 20, "%", None)],
        id="two-bounds",
    ),
    pytest.param(
        "优等品率和废品率分别为30%以上和5%以下",
        [("优等品率和废品率", ">=", 30, "%", None), ("优等品率和废品率", "<=", 5, "%", None)],
        id="respectively-with-suffixes",
    ),
    # a comparator word that opens its clause; the clause before names it
    pytest.param("产品合格率，达到95%", [("产品合格率", ">=", 95, "%", None)], id="word-opening-the-clause"),
    # a unitless count that looks like a year but is followed by neither a date character nor - . /
    pytest.param(
        "注册商标总数达到2000，驰名商标达到5件",
        [("注册商标总数", ">=", 2000, None, None), ("驰名商标", ">=", 5, "件", None)],
        id="count-like-a-year",
    ),
    # a figure right after a closing quote is outside the quote
    pytest.param("争创“中国驰名商标”三个以上", [("争创“中国驰名商标”", ">=", 3, "个", None)], id="right-after-a-quote"),
    # 最多 earlier in the clause bounds the figure from above
    pytest.param("每年最多淘汰落后企业5家", [("每年淘汰落后企业", "<=", 5, "家", None)], id="at-most-earlier"),
    # a space between the verb of change and the figure is no part of the name
    pytest.param("营业收入年均增长 12%以上", [("营业收入年均增长", ">=", 12, "%", None)], id="space-after-verb"),
    # words after a benchmark are not its name
    pytest.param(
        "各项指标均高于全市平均水平位居前列",
        [("各项指标", ">", None, None, "全市平均水平")],
        id="words-after-benchmark",
    ),
    # a noun phrase after the figure, wrapped with a space inside it (a PDF's line), is one word
    pytest.param("创建2个以上示范 区", [("创建示范区", ">=", 2, "个", None)], id="space-inside-noun-after"),
    pytest.param(
        "拥有10个以上 省级名牌企业", [("拥有省级名牌企业", ">=", 10, "个", None)], id="space-before-noun-after"
    ),
    # a growth with its benchmark right after it: both
    pytest.param(
        "营业收入增长12%高于全省平均增速",
        [("营业收入增长", ">=", 12, "%", None), ("营业收入", ">", None, None, "全省平均增速")],
        id="growth-then-benchmark",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_forms_at_the_edges_of_the_rules(text: str, expected: list[Row]) -> None:
    assert _rows(text) == expected


NOTHING = [
    # a title, a period, a date
    pytest.param("贯彻《关于培育100家品牌企业的意见》", id="inside-a-title"),
    pytest.param("完成时间为2015年6月", id="a-date-after-wei"),
    pytest.param("规划期为2016-2020", id="a-span-of-years"),
    # words, not figures: 一个 as an article, a change of degree
    pytest.param("把集聚区建设成为一个品牌示范区", id="cn-numeral-after-wei"),
    pytest.param("全民质量意识提高一个层次", id="cn-numeral-after-change"),
    # half of something with no comparator, and a list's size
    pytest.param("半数企业建立质量管理体系", id="banshu-alone"),
    pytest.param("一半企业建立质量管理体系", id="yiban-alone"),
    pytest.param("扶持龙头企业等5家企业", id="list-size-after-deng"),
    # a tally at the very start of the text
    pytest.param("共23项", id="tally-at-start"),
]


@pytest.mark.parametrize("text", NOTHING)
def test_figures_that_are_not_indicators(text: str) -> None:
    assert find_indicators(text) == []


AFTER_A_SKIPPED_FIGURE = [
    pytest.param("合格率达到零分之一，产品抽检合格率达到95%", "产品抽检合格率", id="after-a-zero-denominator"),
    pytest.param("3个工作日内办结，合格率达到95%", "合格率", id="after-a-time-limit"),
    pytest.param("涉及食品等5家企业，合格率达到95%", "合格率", id="after-a-list-size"),
    pytest.param("（共23项），合格率达到95%", "合格率", id="after-a-tally"),
    pytest.param("对获奖企业给予奖励10万元；全县工业产值达到100亿元", "全县工业产值", id="after-a-reward"),
    pytest.param("达到95%；合格率达到90%", "合格率", id="after-a-figure-with-no-name"),
    # a reward in an earlier sentence does not make this clause's money a reward
    pytest.param("对获奖企业给予奖励。全县工业产值达到100亿元", "全县工业产值", id="reward-in-an-earlier-sentence"),
]


@pytest.mark.parametrize(("text", "name"), AFTER_A_SKIPPED_FIGURE)
def test_a_skipped_figure_does_not_end_the_search(text: str, name: str) -> None:
    assert [i.name for i in find_indicators(text)] == [name]


def test_a_figure_right_after_a_title_is_outside_it() -> None:
    assert [(i.comparator, i.target) for i in find_indicators("落实《纲要》90%以上企业达标")] == [(">=", 90)]


def test_more_than_in_yu_is_stated_and_not_taken_from_the_figure_before() -> None:
    """ "100余家" says "more than 100" itself, so it keeps ">" although it follows "50家以上" with no words."""
    found = find_indicators("两年分别新增企业50家以上、100余家")
    assert [(i.comparator, i.target, i.unit) for i in found] == [(">=", 50, "家"), (">", 100, "家")]


def test_a_list_size_with_its_own_floor_is_a_target() -> None:
    """ "等10个以上": after 等, a figure with 以上 states a floor, so it is no mere count of the list."""
    assert _rows("培育食品、纺织等10个以上产业集群") == [("培育食品、纺织等产业集群", ">=", 10, "个", None)]


def test_the_next_item_of_a_list_is_not_the_noun_after_a_figure() -> None:
    found = find_indicators("每年培育龙头企业50家和专业合作社30家")
    assert len(found) == 2
    assert _row(found[0]) == ("每年培育龙头企业", "=", 50, "家", None)
    assert found[1].target == 30


def test_a_full_width_space_folds_and_the_text_and_span_stay_the_callers() -> None:
    text = "产品合格率\u3000达到\u300090%"
    (found,) = find_indicators(text)
    assert _row(found) == ("产品合格率", ">=", 90, "%", None)
    assert found.text == "达到\u300090%"
    assert found.span == (0, len(text))


def test_words_of_frequency_are_kept_together_and_the_span_starts_at_the_first() -> None:
    text = "其中全年每月检查企业不少于10家"
    (found,) = find_indicators(text)
    assert found.name == "全年每月检查企业"
    assert found.span == (2, len(text))


def test_an_unclosed_quote_is_not_part_of_the_name_or_its_span() -> None:
    text = "实现“重点引进人才达到2000名左右"
    (found,) = find_indicators(text)
    assert found.name == "重点引进人才"
    assert found.span == (3, len(text))


# --- line breaks: a short line is a heading and ends the clause; a long one was wrapped by the page -----

HEADING = "二、主要目标"


def _line(n: int) -> str:
    """n characters of a sentence with no punctuation, as a page wraps it."""
    return ("推进企业品牌建设全面提升质量管理水平" * 3)[:n]


@pytest.mark.parametrize(
    ("before", "name"),
    [
        # a 39-character line after another: a heading, so the clause starts after it
        pytest.param(f"{HEADING}\n{_line(39)}\n", "产品合格率", id="short-line-after-a-line"),
        # 40 characters: wrapped by the page, so the sentence runs on
        pytest.param(f"{HEADING}\n{_line(40)}\n", _line(40) + "产品合格率", id="line-of-forty"),
        # a heading after a wrapped line after a heading: only the last heading ends the clause
        pytest.param(f"{HEADING}\n{_line(45)}\n{HEADING}\n", "产品合格率", id="heading-after-wrapped-line"),
        # a first line of 45: wrapped, so it names the indicator
        pytest.param(f"{_line(45)}\n", _line(45) + "产品合格率", id="long-first-line"),
    ],
)
def test_a_line_break_ends_a_clause_only_after_a_short_line(before: str, name: str) -> None:
    (found,) = find_indicators(before + "产品合格率达到95%")
    assert found.name == name


# --- kinds ------------------------------------------------------------------------------------------------


def test_a_quantity_with_no_year_and_no_goals_section_is_a_measure() -> None:
    (found,) = find_indicators("每年选拔10名优秀人才")
    assert found.kind == "measure"


def test_a_growth_with_a_floor_in_ji_yishang_is_a_target() -> None:
    (found,) = find_indicators("营业收入年均增长12%及以上")
    assert found.kind == "target"


def test_a_ban_in_an_earlier_sentence_does_not_make_a_measure() -> None:
    (found,) = find_indicators("加强监管。严禁生产超薄塑料袋。到2020年合格率达到95%")
    assert found.kind == "target"


def test_a_ban_in_a_later_sentence_does_not_make_a_measure() -> None:
    (found,) = find_indicators("到2020年产品合格率达到95%。严禁使用超薄塑料袋")
    assert found.kind == "target"
