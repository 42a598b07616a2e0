"""Indicators (指标) as plans state them: sentence forms, every indicator of the three sample plans, traditional
characters and full-width digits, the figures that are not indicators (years, 文号, rewards, dates, phones), and
which quantities are targets and which are kept as measures (issue 15, item 5)."""

from __future__ import annotations

import time
from pathlib import Path

import opencc
import pytest

from luoshi_tasks.planparse import PlanDraft, parse_plan
from luoshi_tasks.planparse.indicators import Indicator, find_indicators

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"

# (name, comparator, target, unit, benchmark); target is (low, high) for a "range".
Row = tuple[str, str | None, float | tuple[float, float] | None, str | None, str | None]


def _row(i: Indicator) -> Row:
    target = (i.target, i.target_high) if i.comparator == "range" else i.target
    return (i.name, i.comparator, target, i.unit, i.benchmark)


def _sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


# --- sentence forms --------------------------------------------------------------------------------------

SENTENCES: list[tuple[str, list[Row]]] = [
    # the forms the issue names
    ("主导产品监督抽查合格率达到90%以上", [("主导产品监督抽查合格率", ">=", 90, "%", None)]),
    ("工业用地综合建筑容积率大于0.8", [("工业用地综合建筑容积率", ">", 0.8, None, None)]),
    ("平均投资强度达到2600万元/公顷", [("平均投资强度", ">=", 2600, "万元/公顷", None)]),
    ("拥有10个以上获得省级名牌称号的企业", [("拥有获得省级名牌称号的企业", ">=", 10, "个", None)]),
    ("产品标准覆盖率稳定在100%", [("产品标准覆盖率", "=", 100, "%", None)]),
    ("各项指标高于全省平均水平", [("各项指标", ">", None, None, "全省平均水平")]),
    (
        "工业用地综合建筑密度达到60%，综合建筑容积率大于0.8，平均投资强度达到2600万元/公顷",
        [
            ("工业用地综合建筑密度", ">=", 60, "%", None),
            ("综合建筑容积率", ">", 0.8, None, None),
            ("平均投资强度", ">=", 2600, "万元/公顷", None),
        ],
    ),
    # comparator words before the figure
    ("产品合格率不低于95%", [("产品合格率", ">=", 95, "%", None)]),
    ("新增规模以上企业不少于20家", [("新增规模以上企业", ">=", 20, "家", None)]),
    ("合格率至少达到95%", [("合格率", ">=", 95, "%", None)]),
    ("每年至少培育10家省级名牌企业", [("每年培育省级名牌企业", ">=", 10, "家", None)]),
    ("主营业务收入超过100亿元", [("主营业务收入", ">", 100, "亿元", None)]),
    ("优等品率达85%", [("优等品率", ">=", 85, "%", None)]),
    ("服务满意度提高到95%", [("服务满意度", ">=", 95, "%", None)]),
    ("产品抽检合格率保持在98%以上", [("产品抽检合格率", ">=", 98, "%", None)]),
    ("质量损失率控制在3%", [("质量损失率", "<=", 3, "%", None)]),
    ("万元工业增加值能耗控制在0.5吨标准煤以内", [("万元工业增加值能耗", "<=", 0.5, "吨标准煤", None)]),
    ("单位产品能耗降低到1.2吨标准煤/吨", [("单位产品能耗", "<=", 1.2, "吨标准煤/吨", None)]),
    ("投诉处理时间不超过3个工作日", [("投诉处理时间", "<=", 3, "个工作日", None)]),
    ("办结时限不超过5天", [("办结时限", "<=", 5, "天", None)]),
    ("不合格率低于2%", [("不合格率", "<", 2, "%", None)]),
    ("参保人数超过2000", [("参保人数", ">", 2000, None, None)]),
    ("研发投入占销售收入的比重不低于3%", [("研发投入占销售收入的比重", ">=", 3, "%", None)]),
    # suffixes and approximations
    ("每年培育省级名牌产品5个以上", [("每年培育省级名牌产品", ">=", 5, "个", None)]),
    ("规上企业达到100余家", [("规上企业", ">", 100, "家", None)]),
    # 左右 is about the figure: a range ± APPROX_TOLERANCE (5 %) of it, whatever word comes before
    ("市场占有率30%左右", [("市场占有率", "range", (28.5, 31.5), "%", None)]),
    ("全国农机总动力稳定在11亿千瓦左右", [("全国农机总动力", "range", (10.45, 11.55), "亿千瓦", None)]),
    # a unit in 万 keeps it: 万名, 万亿元
    ("人才资源总量达到320万名", [("人才资源总量", ">=", 320, "万名", None)]),
    ("产业总规模达到2万亿元", [("产业总规模", ">=", 2, "万亿元", None)]),
    ("地膜厚度不低于0.01毫米", [("地膜厚度", ">=", 0.01, "毫米", None)]),
    # 分别达到X和Y: both are reached
    (
        "花生种植、收获机械化率分别达到65%和55%",
        [
            ("花生种植、收获机械化率", ">=", 65, "%", None),
            ("花生种植、收获机械化率", ">=", 55, "%", None),
        ],
    ),
    # what the name leaves out: a leading 其中, a trailing 总体, a quote mark that opens a whole list
    ("其中灌排机械动力达到1.2亿千瓦", [("灌排机械动力", ">=", 1.2, "亿千瓦", None)]),
    ("初加工机械化率总体达到50%", [("初加工机械化率", ">=", 50, "%", None)]),
    (
        "实现“人才贡献率达到40%，专利100件”的目标",
        [
            ("人才贡献率", ">=", 40, "%", None),
            ("专利", "=", 100, "件", None),
        ],
    ),
    # change: the verb stays in the name, the target is the amount of change
    ("工业总产值增长15%", [("工业总产值增长", ">=", 15, "%", None)]),
    ("品牌产品销售收入年均增长20%", [("品牌产品销售收入年均增长", ">=", 20, "%", None)]),
    ("规模以上工业增加值年均增长12%以上", [("规模以上工业增加值年均增长", ">=", 12, "%", None)]),
    ("万元产值能耗降低5%", [("万元产值能耗降低", ">=", 5, "%", None)]),
    # ranges
    ("新产品产值率提高3%—5%", [("新产品产值率提高", "range", (3, 5), "%", None)]),
    ("质量竞争力指数提高3-5个百分点", [("质量竞争力指数提高", "range", (3, 5), "百分点", None)]),
    ("长期目标:创建成2~3个优质产品生产基地", [("创建成优质产品生产基地", "range", (2, 3), "个", None)]),
    # no verb: the plan states the value itself
    ("示范产业集聚区内产品标准覆盖率100%", [("示范产业集聚区内产品标准覆盖率", "=", 100, "%", None)]),
    ("确保重点监控设备定期检验率、隐患整改率100%", [("重点监控设备定期检验率、隐患整改率", "=", 100, "%", None)]),
    # Chinese numerals, shares
    ("培育十个以上省级名牌产品", [("培育省级名牌产品", ">=", 10, "个", None)]),
    ("新增两家国家级检测中心", [("新增国家级检测中心", "=", 2, "家", None)]),
    ("优质率百分之九十以上", [("优质率", ">=", 90, "%", None)]),
    ("绿色食品基地面积达到三分之一以上", [("绿色食品基地面积", ">=", 33.3333, "%", None)]),
    ("无公害生产面积达到全省产地总面积的一半以上", [("无公害生产面积", ">=", 50, "%", "全省产地总面积")]),
    # benchmarks
    ("人均产值达到全省平均水平的120%", [("人均产值", ">=", 120, "%", "全省平均水平")]),
    (
        "营业收入增速达到或超过全省产业集聚区平均增速",
        [("营业收入增速", ">=", None, None, "全省产业集聚区平均增速")],
    ),
    ("增速与全省平均水平持平", [("增速", "=", None, None, "全省平均水平")]),
    # full-width digits and ％, traditional characters: names come back simplified
    ("合格率达到９０％以上", [("合格率", ">=", 90, "%", None)]),
    ("主導產品監督抽查合格率達到90%以上", [("主导产品监督抽查合格率", ">=", 90, "%", None)]),
    ("產品標準覆蓋率１００％", [("产品标准覆盖率", "=", 100, "%", None)]),
    # what the name leaves out: dates, numbering, modal words; what it keeps: 每年
    ("到2015年，全市名牌产品达到50项", [("全市名牌产品", ">=", 50, "项", None)]),
    ("力争到2015年，全省规模以上企业达到1000家", [("全省规模以上企业", ">=", 1000, "家", None)]),
    ("2012年底力争全省产品质量总体水平提高3个百分点", [("全省产品质量总体水平提高", ">=", 3, "百分点", None)]),
    ("3.每年培育省级名牌产品5个以上。", [("每年培育省级名牌产品", ">=", 5, "个", None)]),
    ("（一）产品合格率达到95%以上。", [("产品合格率", ">=", 95, "%", None)]),
    ("每年争取向国家推荐驰名商标20件", [("每年向国家推荐驰名商标", "=", 20, "件", None)]),
    # lists: an item without words of its own takes those of the item before
    (
        "培育省级名牌产品10个、著名商标5件",
        [("培育省级名牌产品", "=", 10, "个", None), ("著名商标", "=", 5, "件", None)],
    ),
    (
        "每年培育50家河北省服务质量奖单位、40项河北省服务名牌",
        [("每年培育河北省服务质量奖单位", "=", 50, "家", None), ("每年培育河北省服务名牌", "=", 40, "项", None)],
    ),
    # the figure before its noun; a clause that opens with the figure takes the clause before as subject
    ("创建2个以上“全国知名品牌创建示范区”", [("创建“全国知名品牌创建示范区”", ">=", 2, "个", None)]),
    (
        "示范产业集聚区内企业100%的建立有效的质量管理体系",
        [("示范产业集聚区内企业建立有效的质量管理体系", "=", 100, "%", None)],
    ),
    (
        "实行生产许可证管理的产品，100%依法取得生产许可证。",
        [("实行生产许可证管理的产品依法取得生产许可证", "=", 100, "%", None)],
    ),
]


# ids by pytest.param, not ids=: pytest escapes an ids= list's Chinese again in a second session in the same
# process (mutmut's forks), and the test could no longer be found by its id
@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=t) for t, e in SENTENCES])
def test_sentence_forms(text: str, expected: list[Row]) -> None:
    found = find_indicators(text)
    assert [_row(i) for i in found] == expected
    for i in found:
        assert i.text and i.text in text[i.span[0] : i.span[1]]


def test_text_is_the_phrase_as_written() -> None:
    text = "主导产品顾客满意率達到９０％以上。"
    [i] = find_indicators(text)
    assert i.text == "達到９０％以上"
    assert text[i.span[0] : i.span[1]] == "主导产品顾客满意率達到９０％以上"


def test_about_states_its_figure_and_tolerance() -> None:
    [i] = find_indicators("重点引进和培养高层次人才达到2000名左右")
    assert (i.comparator, i.target, i.target_high, i.unit) == ("range", 1900, 2100, "名")
    assert (i.approximately, i.tolerance) == (2000, 100)
    assert i.text == "达到2000名左右"
    [exact] = find_indicators("合格率达到90%以上")
    assert exact.approximately is None and exact.tolerance is None


def test_offset_and_task_pass_through() -> None:
    text = "产品标准覆盖率100%"
    [i] = find_indicators(text, offset=1000, task=7)
    assert i.span == (1000, 1000 + len(text))
    assert i.task == 7
    assert find_indicators(text)[0].task is None


# --- the three sample plans: every indicator, in document order ------------------------------------------

HEBEI: list[Row] = [
    ("培育农业类河北省名牌产品", "=", 60, "项", None),
    ("工业类名牌产品", "=", 200, "项", None),
    ("服务业名牌", "=", 40, "项", None),
    ("省优质产品", "=", 150, "项", None),
    (
        "全省名优产品生产企业的工业总产值、利税总额占全省规模以上工业的比重增加",
        "range",
        (1, 2),
        "%",
        None,
    ),
    ("省名牌产品", ">=", 1000, "项", None),
    ("创建“全国知名品牌创建示范区”", ">=", 2, "个", None),
    ("培育生产规模大、市场占有率高的中国名牌或区域品牌产品", ">=", 100, "项", None),
    ("每年向国家推荐驰名商标", "=", 20, "件", None),
    ("新增著名商标", "=", 250, "件", None),
    ("争创驰名商标", ">=", 100, "件", None),
    ("培育创建农产品名牌", "=", 60, "项", None),
    ("每年制(修)订省级农业地方标准", ">=", 50, "项", None),
    ("完成产业优化升级地方标准", ">=", 100, "项", None),
    ("全年完成采标任务", ">=", 120, "项", None),
    ("实施采标标志", ">=", 80, "项", None),
    ("制定完成服务业类地方标准", "=", 50, "项", None),
    ("制(修)订服务业地方标准", ">=", 200, "项", None),
    ("全省产品质量总体水平提高", ">=", 3, "百分点", None),
    # "穗定在98%以上": the document's OCR slip for 稳定在
    ("国家重点产品可比性跟踪监督抽查大中型企业产品的平均合格率", ">=", 98, "%", None),
    ("每年创建结构优质工程", ">=", 200, "项", None),
    ("重点监控设备定期检验率、隐患整改率", "=", 100, "%", None),
    ("标准化生产率", ">=", 90, "%", None),
    ("无公害生产面积", ">=", 50, "%", "全省产地总面积"),
    ("全省基地水产品药残监测合格率", ">=", 97, "%", None),
    ("墓地蔬菜、畜禽、果品总体合格率", ">=", 100, "%", None),  # 墓地: the document's slip for 基地
    ("每年培育河北省服务质量奖单位", "=", 50, "家", None),
    ("每年培育河北省服务名牌", "=", 40, "项", None),
    ("选择企业推广卓越绩效管理模式", "=", 500, "家", None),
    ("培育熟悉了解卓越绩效管理模式的管理人员", "=", 500, "名", None),
    ("培育熟练运用标准为企业提供咨询服务、参与政府质量奖评审的专家", "=", 50, "名", None),
    ("企业创“省政府质量奖”", "=", 50, "家", None),
    ("确定首批示范企业启动运行", "=", 150, "家", None),
    ("培育政府质量奖企业", "=", 10, "家", None),
    ("重点工业企业的优等品产值率每年上升", ">=", 1, "%", None),
    ("重点产业主要产品采用国际标准或国外先进标准组织生产", ">=", 90, "%", None),
    ("重点产业产品质量等级品率", ">=", 85, "%", None),
    ("钢铁、装备制造、石化产业主导产品的优等品率", ">=", 45, "%", None),
    ("每年争创国优QC小组", "=", 20, "个", None),
    ("省优QC小组", "=", 300, "个", None),
    ("在企业推行出厂产品质量负责人签字制度", "=", 100, "家", None),
]

XIAYI: list[Row] = [
    (
        "产业集聚区企业（单位）营业收入、固定资产投资、实现税收收入和企业（单位）从业人员的增速",
        ">=",
        None,
        None,
        "全省产业集聚区平均增速",
    ),
    ("占全部企业（单位）营业收入的比重", ">", 50, "%", None),
    (
        "万元规模以上工业总产值能耗降低率、污水集中处理率、重点工业企业污染物排放稳定达标率、"
        "工业固体废物处置利用率等五项指标",
        ">",
        None,
        None,
        "全省产业集聚区平均水平",
    ),
    ("产业集聚区工业用地综合建筑密度", ">=", 60, "%", None),
    ("工业用地综合建筑容积率", ">", 0.8, None, None),
    ("产业集聚区单位土地面积平均投资强度", ">=", 2600, "万元/公顷", None),
    ("平均产出", ">=", 3500, "万元/公顷", None),
    ("示范产业集聚区内企业建立有效的质量管理体系和计量检测管理体系", "=", 100, "%", None),
    ("规模以上食品企业通过HACCP认证或食品管理体系认证", ">=", 90, "%", None),
    ("示范产业集聚区内拥有获得政府质量奖、省级名牌产品、中国名牌等称号的企业", ">=", 10, "个", None),
    ("示范产业集聚区内产品标准覆盖率", "=", 100, "%", None),
    ("实行生产许可证、强制性认证管理的产品依法取得生产许可证或强制性认证证书", "=", 100, "%", None),
    ("主导产品监督抽查合格率", ">=", 90, "%", None),  # the page break inside the name is dropped
    ("主导产品顾客满意率", ">=", 90, "%", None),
]

TOWN: list[Row] = [
    ("创建成优质产品生产基地", "range", (2, 3), "个", None),
]

PLANS = [
    ("hebei-quality-brand-plan-2012.txt", HEBEI),
    ("xiayi-brand-zone-plan-2015.txt", XIAYI),
    ("town-quality-base-opinion-2022.txt", TOWN),
]


@pytest.mark.parametrize(("file", "expected"), PLANS, ids=[f for f, _ in PLANS])
def test_every_indicator_of_the_sample(file: str, expected: list[Row]) -> None:
    text = _sample(file)
    found = find_indicators(text)
    assert [_row(i) for i in found] == expected
    assert [i.span[0] for i in found] == sorted(i.span[0] for i in found)
    for i in found:
        stated = text[i.span[0] : i.span[1]]
        assert i.text in stated
        figure = i.benchmark if i.target is None else i.text
        assert figure and figure in stated


def test_sample_spans_start_at_the_name() -> None:
    text = _sample("xiayi-brand-zone-plan-2015.txt")
    by_name = {i.name: text[i.span[0] : i.span[1]] for i in find_indicators(text)}
    assert by_name["平均产出"] == "平均产出达到3500万元/公顷"
    assert by_name["主导产品监督抽查合格率"] == "主导产品\n\n监督抽查合格率达90%以上"
    assert by_name["工业用地综合建筑容积率"] == "工业用地综合建筑容积率大于0.8"


# --- the same documents in traditional characters, or with full-width digits ------------------------------


@pytest.fixture(scope="module")
def s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


# Hebei is left out: s2t writes 了解 as 瞭解, and 瞭 alone stays 瞭 (瞭望), so one name would differ.
@pytest.mark.parametrize(("file", "expected"), PLANS[1:], ids=[f for f, _ in PLANS[1:]])
def test_traditional_copy_gives_the_same_indicators(s2t: opencc.OpenCC, file: str, expected: list[Row]) -> None:
    simplified = _sample(file)
    traditional = s2t.convert(simplified)
    assert traditional != simplified and len(traditional) == len(simplified)
    found = find_indicators(traditional)
    assert [_row(i) for i in found] == expected  # names and benchmarks in simplified characters
    assert [i.span for i in found] == [i.span for i in find_indicators(simplified)]
    for i in found:
        assert i.text in traditional[i.span[0] : i.span[1]]  # as written: traditional


def test_full_width_digits_give_the_same_indicators() -> None:
    text = _sample("xiayi-brand-zone-plan-2015.txt")
    wide = text.translate({c: chr(c + 0xFEE0) for c in range(ord("0"), ord("9") + 1)} | {ord("%"): "％"})
    assert [_row(i) for i in find_indicators(wide)] == XIAYI


def test_fast_on_a_long_plan() -> None:
    text = "".join(_sample(f) for f, _ in PLANS) * 3
    assert len(text) > 50_000
    find_indicators(text)  # warm the character cache
    best = min(_timed(text) for _ in range(3))
    assert best < 0.1


def _timed(text: str) -> float:
    start = time.perf_counter()
    find_indicators(text)
    return time.perf_counter() - start


# --- figures that are not indicators ----------------------------------------------------------------------

NOT_INDICATORS = [
    "",
    "-50%",
    "2015年4月9日",
    "二〇一二年三月二十七日",
    "2012年6月底前，全省各设区市要出台实施意见",
    "从2012年起每年9月考核",
    "每月30日要向创建办公室汇报目标完成情况",
    "时间:2022-08-10 01:29:11",
    "发布日期为2022-08-10",
    "实施期限为2011-2020年",
    "（一）工作落实阶段（2012年3月一2012年12月）。",
    "夏政〔2015〕29号",
    "冀政办函〔2012〕28号",
    "《河北省质量发展规划(2011年一2020年)》",
    "对新获得中国名牌、河南省名牌产品的企业，分别给予奖励10万元、5万元。",
    "给予一次性补助50万元",
    "对获奖企业给予10万元奖励",
    "处以5万元以上10万元以下罚款",
    "联系电话：0370-3123456",
    "电话13803701234",
    "邮编：476400",
    "省第八次党代会",
    "1.加大名牌产品培育和创建力度",
    "第3批试点",
    "以“三个代表”重要思想为指导",
    "围绕“一个载体、三个体系”和“四个带动”的战略部署",
    "创建工作是一项系统工程",
    "培育一批知名品牌",
    "在三到五年时间里",
    "近三年内未发生区域性制假售假事件",
    "明确今后10年质量发展的总体目标",
    "以电线电缆、人造板等5类重点产品生产企业为试点",
    # section tallies: how many items a list holds, not a quantity of the plan
    "一、推广的改革举措（共23项）",
    "（一）知识产权保护方面5项：知识产权民事、刑事、行政案件“三合一”审判。",
    "（四）军民深度融合方面6项。",
    "依据GB/T 19001-2016标准",
    "ISO9001认证企业",
    "产品质量达到国内同行业先进水平",
    "全省出口商品合格率保持全国前列",
]


@pytest.mark.parametrize("text", NOT_INDICATORS)
def test_not_an_indicator(text: str) -> None:
    assert find_indicators(text) == []


# --- targets and measures (issue 15, item 5) --------------------------------------------------------------


def _kinds(text: str, *, goal: bool = False) -> list[tuple[str, float | None, str]]:
    return [(i.name, i.target, i.kind) for i in find_indicators(text, goal=goal)]


def test_a_quantity_inside_a_measure_is_not_a_target() -> None:
    text = "加强市管企业领导人员队伍建设，5年内重点引进100名市管企业中高级经营管理人才，选拔100名正职后备人才。"
    assert [k for _, _, k in _kinds(text)] == ["measure", "measure"]
    assert [k for _, _, k in _kinds("每年选拔资助不少于100名青年科技人员，连续3年每年给予资助。")] == ["measure"]


def test_every_quantity_of_a_goals_section_is_a_target() -> None:
    text = (
        "实现“重点引进和培养高层次人才达到2000名左右，全市大专以上学历人才资源总量达到320万名左右，人才贡献率达到40%”"
    )
    assert [k for _, _, k in _kinds(text, goal=True)] == ["target", "target", "target"]


def test_a_phrase_dated_to_a_year_sets_a_target() -> None:
    assert _kinds("推广秸秆还田。到2020年，秸秆综合利用率达到85%以上。") == [("秸秆综合利用率", 85, "target")]
    assert _kinds("2012年培育农业类河北省名牌产品60项、工业类名牌产品200项。") == [
        ("培育农业类河北省名牌产品", 60, "target"),
        ("工业类名牌产品", 200, "target"),
    ]


def test_a_year_elsewhere_sets_no_target() -> None:
    # a start, a year in a cited title, a year in the sentence before
    assert _kinds("从2012年起，每年培育50家企业。") == [("每年培育企业", 50, "measure")]
    assert _kinds("落实《河北省质量发展规划(2011年一2020年)》，培育50家企业。") == [("培育企业", 50, "measure")]
    assert _kinds("到2015年全面完成。每年培育50家企业。") == [("每年培育企业", 50, "measure")]


def test_growth_with_a_floor_is_a_target() -> None:
    assert _kinds("规模以上工业增加值年均增长12%以上") == [("规模以上工业增加值年均增长", 12, "target")]
    assert _kinds("重点工业企业的优等品产值率每年上升1%") == [("重点工业企业的优等品产值率每年上升", 1, "measure")]


def test_a_ban_is_never_a_target() -> None:
    [ban] = find_indicators("到2020年，推广应用标准地膜，禁止生产和使用厚度低于0.01毫米的地膜。", goal=True)
    assert (ban.kind, ban.comparator, ban.target, ban.unit) == ("measure", "<", 0.01, "毫米")


# The samples read by hand (docs/testing.md, "Targets and measures in the samples"): Hebei has no goals section;
# its targets are the figures its sentences set for 2012 or 到2015年, and these sixteen are measures (每年/全年
# quotas, a programme's numbers, a rate with no date).
HEBEI_MEASURES = {
    "每年向国家推荐驰名商标",
    "新增著名商标",
    "每年制(修)订省级农业地方标准",
    "全年完成采标任务",
    "实施采标标志",
    "每年创建结构优质工程",
    "重点监控设备定期检验率、隐患整改率",
    "每年培育河北省服务质量奖单位",
    "每年培育河北省服务名牌",
    "选择企业推广卓越绩效管理模式",
    "培育熟悉了解卓越绩效管理模式的管理人员",
    "培育熟练运用标准为企业提供咨询服务、参与政府质量奖评审的专家",
    "企业创“省政府质量奖”",
    "重点工业企业的优等品产值率每年上升",
    "每年争创国优QC小组",
    "省优QC小组",
}
SAMPLE_MEASURES = [
    ("hebei-quality-brand-plan-2012.txt", HEBEI, HEBEI_MEASURES),
    ("xiayi-brand-zone-plan-2015.txt", XIAYI, set()),  # every figure is in 三、工作目标
    ("town-quality-base-opinion-2022.txt", TOWN, set()),  # 三、目标任务's 长期目标
]


@pytest.mark.parametrize(("file", "rows", "measures"), SAMPLE_MEASURES, ids=[f for f, _, _ in SAMPLE_MEASURES])
def test_the_samples_targets_are_indicators_and_their_measures_quantities(
    file: str, rows: list[Row], measures: set[str]
) -> None:
    draft = parse_plan(_sample(file))
    assert [_row(i) for i in draft.indicators] == [r for r in rows if r[0] not in measures]
    assert [_row(i) for i in draft.quantities] == [r for r in rows if r[0] in measures]
    assert {i.kind for i in draft.indicators} <= {"target"} and {i.kind for i in draft.quantities} <= {"measure"}
    assert all(i.task is not None for i in draft.quantities)


def test_a_draft_stored_before_quantities_still_reads() -> None:
    stored = parse_plan(_sample("hebei-quality-brand-plan-2012.txt")).model_dump(mode="json")
    del stored["quantities"]
    for i in stored["indicators"]:
        for key in ("kind", "approximately", "tolerance"):
            del i[key]
    draft = PlanDraft.model_validate(stored)
    assert draft.quantities == [] and {i.kind for i in draft.indicators} == {"target"}
