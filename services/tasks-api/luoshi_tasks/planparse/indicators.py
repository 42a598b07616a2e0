"""Quantitative indicators (指标) a plan states: name, comparator, target, unit, and benchmark.

Targets, not every number (issue 15, item 5). Each quantity found has a `kind`. It is a "target" when a goals
section states it (the caller says so: `goal=True` for 目标, 主要目标, 工作目标, 发展目标 …), or when its
sentence sets it for a calendar year (到2020年…达到, 2012年培育…60项, 2015年前…; not 从2012年起, not a year
inside a cited title, not a year in an earlier sentence), or for a growth with a floor (年均增长12%以上). Any
other quantity is a "measure": a number inside a measure (5年内重点引进100名…, 每年选拔…, 下调费率50%), which
the draft keeps on its task (`PlanDraft.quantities`) and never makes an indicator. A ban (禁止…厚度低于0.01毫米)
is a measure even in a goals section.

`find_indicators(text)` finds the figures a plan sets as targets, such as "合格率达到90%以上" or "容积率大于0.8".
It also finds comparisons with an average, such as "高于全省平均水平". It reads traditional or simplified
characters and full-width digits, symbols and ％. It converts t2s one character at a time, so spans point into
the caller's own text. Names and benchmarks come back in simplified characters. `text` is the comparator and
figure copied from the caller's text.

Rules:

- Comparator. A word after the figure decides: 以上 gives >=; 以下 or 以内 gives <=. "100余家"
  and "10多个" give >. With no such word, the word right before the figure decides: 达到/达/不低于/不少于/提高到
  give >=; 超过/大于/高于 give >; 不超过/控制在/降至 give <=; 低于/少于 give <; 稳定在/保持在/为 give =.
  至少 or 最多 earlier in the clause ("每年至少培育10家") gives >= or <=. Two figures joined by -, —, ~ or 至
  give "range". A figure with no such word gives =, whether it is a share ("覆盖率100%") or a count
  ("培育…60项"). A count may be read as a floor, but the plan does not say so. A figure joined to the one
  before with no words of its own takes its comparator: "分别达到65%和55%" gives >= twice.
- About. 左右 ("达到2000名左右", "稳定在11亿千瓦左右") means near the figure. scoring-api accepts no ≈
  comparator (its indicators take >=, >, =, <=, < and range), so it is a "range" from the figure less
  APPROX_TOLERANCE (5 %) of it to the figure plus as much, with `approximately` the figure and `tolerance` the
  half-width in the unit, stated so the office sees and can change it: 2000名左右 is 1900–2100名.
- Unit. A count or measure in 万 or 亿 keeps it: 320万名, 2万亿元, 1.2亿千瓦.
- Change. 增长/提高/降低/年均增长 X gives >= X. The verb stays in the name ("…比重增加", "…年均增长"), so a
  growth of 10% is never read as a level of 10%. A reduction (能耗降低5%) is the amount cut, also >=.
- Name. The name is the clause before the comparator as the plan writes it, without whitespace (or before the
  figure when there is no comparator word). Leading dates (到2015年, 2012年底), numbering (3. (一)) and modal
  words (力争, 确保, 实现) are dropped; they belong to deadlines and items. Words of frequency (每年, 全年) are
  kept, because the target is per period and the model has no field for the period: "每年培育省级名牌产品5个
  以上" is named 每年培育省级名牌产品. When the figure comes before its noun, the noun phrase after it is added
  ("创建2个以上“示范区”" gives 创建“示范区”; "企业100%的建立…" gives 企业建立…). A list item with no words
  of its own takes those of the item before it: "每年培育50家A、40项B" gives 每年培育B. A clause that opens
  with the figure takes the clause before it as its subject: "…的产品，100%依法取得…".
- Benchmark. Only an average counts as a benchmark (全省平均水平, 全省产业集聚区平均增速). 先进水平, 前列
  and 国家标准 are qualitative and give nothing. A share of something is a percentage plus a benchmark:
  "达到全省产地总面积的一半以上" gives >= 50 % of 全省产地总面积.
- Never indicators:
  - years, dates and times (2015年, 6月底, 每月30日, 2022-08-10 01:29);
  - anything inside 《》 or 〔〕 (titles, 文号 〔2012〕28号);
  - ordinals and numbering (第八次, 3., (一));
  - phone, postcode and ID numbers (a leading 0, or seven digits or more);
  - a figure with no unit and no comparator;
  - a list total after 等 ("等5类"), and a section's tally of its items ("（共23项）", "…方面5项：");
  - money in a clause that pays or fines (奖励/补助/补贴/资助/给予/处以/罚款…, as in "给予奖励10万元"). That
    is a reward or a penalty, not a target.
  A Chinese numeral counts only before a count unit (个, 家, 项…) and outside quotes ("三个代表"). It also
  needs a comparator or a verb of creating (培育/新增/拥有…) before it: "是一项系统工程" is not a target.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Literal, NamedTuple

import opencc
from pydantic import BaseModel

__all__ = ["APPROX_TOLERANCE", "Comparator", "Indicator", "Kind", "find_indicators"]

Comparator = Literal[">=", ">", "=", "<=", "<", "range"]
"""As scoring-api's indicators accept them: "about" (左右) has no comparator of its own and is a range."""
Kind = Literal["target", "measure"]
APPROX_TOLERANCE = 0.05
"""左右 reads as the figure ± 5 % of it (2000名左右: 1900–2100名), since plans never say how near is near."""


class Indicator(BaseModel):
    name: str
    """The indicator as the document words it, in simplified characters: "主导产品监督抽查合格率"."""
    comparator: Comparator | None
    target: float | None
    """90.0 for 90%; None for a benchmark with no number."""
    target_high: float | None = None
    """The upper end of a "range"."""
    unit: str | None
    """"%", "百分点", "万元/公顷", "个", "家", "项", "亿元"; None when unitless (0.8)."""
    benchmark: str | None
    """What the target is measured against: "全省平均水平", "全省产业集聚区平均增速"; else None."""
    text: str
    """The comparator and figure exactly as the caller wrote them: "达到90%以上"."""
    span: tuple[int, int]
    """[start, end) of the whole statement (name to figure or benchmark) in the caller's text, plus `offset`."""
    task: int | None = None
    kind: Kind = "target"
    """"target" when a goals section or a target phrase states it; "measure" for a quantity inside a measure."""
    approximately: float | None = None
    """The figure of a 左右 target (2000 for "2000名左右"), read as the "range" target..target_high around it."""
    tolerance: float | None = None
    """How far either side of `approximately` the range runs, in `unit`. Plans do not state it: the draft uses
    APPROX_TOLERANCE of the figure, for the office to change."""


# --- text forms -----------------------------------------------------------------------------------------

_T2S = opencc.OpenCC("t2s")
_T2S_CHARS: dict[int, str] = {}  # traditional code point -> simplified char; grows once per character seen
_SEEN: set[str] = set()
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e\u3000\ufe6a]")


def _fold_char(m: re.Match[str]) -> str:
    c = ord(m.group())
    return " " if c == 0x3000 else "%" if c == 0xFE6A else chr(c - 0xFEE0)


def _simplified(text: str) -> str:
    """Character by character, so that positions never move. A character that would become two is kept."""
    chars = set(text)
    for ch in chars - _SEEN:
        out = _T2S.convert(ch)
        if out != ch and len(out) == 1:
            _T2S_CHARS[ord(ch)] = out
        _SEEN.add(ch)
    # str.translate looks up every character; skip it for text that is already simplified (the usual case).
    return text.translate(_T2S_CHARS) if any(ord(c) in _T2S_CHARS for c in chars) else text


# --- patterns (on the folded, simplified form) ----------------------------------------------------------

_CN = "零〇一二两三四五六七八九十百千"
_NUM = (  # not inside a code (ISO9001, GB/T 19001) nor an ordinal (第3批, 第八次)
    rf"(?<![\d.A-Za-z第])(?<![A-Za-z] )\d+(?:,\d{{3}})*(?:\.\d+)?"
    rf"|(?<![{_CN}第])[零〇一二两三四五六七八九十][{_CN}]*"
)
_MEASURE = "美元|元|吨标准煤|吨|公斤|千克|公顷|平方公里|平方米|亩|公里|千米|毫米|厘米|千瓦时|千瓦|立方米|人次|人|户|辆"
_TIME_UNITS = ("个工作日", "工作日", "个月", "天", "小时", "分钟")
_COUNTS = "个|家|项|件|名|所|座|条|台|套|处|种|款|位|部|场|次"
_COUNT_UNITS = frozenset(_COUNTS.split("|"))
_UNIT = (
    rf"%|‰|个百分点|百分点|倍|{'|'.join(_TIME_UNITS)}"
    rf"|(?:万亿|千万|百万|万|亿)?(?:{_MEASURE})(?:/(?:公顷|亩|平方米|吨|万元|元|人|年|户))?|万?(?:{_COUNTS})"
)
_VALUE = re.compile(  # the lookahead lets the scanner skip most characters fast
    r"(?=[\d零〇一二两三四五六七八九十百半])"
    rf"(?P<n1>百分之(?:{_NUM})|(?:{_NUM})分之(?:{_NUM})|一半|半数|{_NUM})(?P<a1>余|多)?(?P<u1>{_UNIT})?"
    rf"(?:\s*(?P<sep>[-—–~至到]{{1,2}})\s*(?P<n2>{_NUM})(?P<a2>余|多)?(?P<u2>{_UNIT})?)?"
    r"(?:\s*(?P<suf>及以上|以上|之上|及以下|以下|以内|之内|左右))?"
)
_WORDS = {
    ">=": "达到或超过 达到或高于 不低于 不少于 不小于 不得低于 不得少于 至少达到 至少 最少 达到 达 提高到 提高至 提升到"
    " 提升至 增加到 增加至 增长到 增长至 上升到 上升至 扩大到 扩大至",
    ">": "超过 大于 高于 多于 突破 优于",
    "<=": "不超过 不高于 不大于 不多于 不得超过 不得高于 至多 最多 控制在 控制到 降低到 降低至 降到 降至 下降到 下降至"
    " 减少到 减少至 压减到 压减至 压缩到 压缩至",
    "<": "低于 小于 少于 不足 不到",
    # 穗定在: an OCR slip for 稳定在 found in the Hebei plan.
    "=": "稳定在 穗定在 保持在 维持在 等于 为",
    "chg": "年均增长 年均提高 年均增加 年均下降 年均降低 年均减少 平均每年增长"
    " 增长 增加 提高 提升 上升 降低 下降 减少 压减 削减",
}
_CMP_OF = {w: cat for cat, words in _WORDS.items() for w in words.split()}
_ANY_CMP = "|".join(sorted(_CMP_OF, key=len, reverse=True))
_LEVEL_CMP = "|".join(sorted((w for w, c in _CMP_OF.items() if c != "chg"), key=len, reverse=True))
_BENCH = (
    r"(?:全国|全省|全市|全县|全区|全镇|全行业|同行业|同类|本省|本市|本县|本地区|国家|国内|行业|省|市|县)"
    r"[^\s,;。:!?、的\d]{0,14}?平均(?:水平|增速|增幅|增长率|值|数|线)?"
)
# Anchored at the figure: search(norm, lo, figure_start) finds the word(s) right before it.
_BEFORE = re.compile(rf"(?:(?P<w>{_ANY_CMP})|(?P<rw>{_LEVEL_CMP})(?P<rel>[^\s,;。:!?、\d]{{2,16}}?)的)\s*$")
_MAKE_VERB = re.compile(r"(?:培育|创建|建成|建设|新建|新增|拥有|争创|完成|认定|选择|引进|打造|培养|组建|评选|推荐)$")
_BENCH_ONLY = re.compile(rf"(?P<w>{_LEVEL_CMP})(?P<b>{_BENCH})(?!的)|与(?P<b2>{_BENCH})持平")
_AVERAGE = re.compile("平均")
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})年"
_LEAD = re.compile(
    r"\s+|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d{1,2}[.、](?!\d)|第[一二三四五六七八九十\d]+[条章节款]"
    rf"|(?:到|至|截至|截止|从|自|在|于)?{_YEAR}(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:年?底|末|初|上半年|下半年)?"
    r"(?:以前|之前|前|以来|起|开始|以内|内|里|期间|时)?"
    r"|(?:今后|未来|近)[\d一二三四五六七八九十两]+年(?:内|里|间)?|近期|中期|远期|长期|年内"
    r"|力争|争取|确保|保证|努力|力求|务必|计划|预计|实现|其中"
    r"|(?P<keep>每年度?|每季度|每半年|每月|全年)"
)
_JOINER = re.compile(r"\s*(?:以及|并且|[、和及与并])")
_TRAIL = re.compile(
    r"(?:分别|(?<![平人])均|都|(?<![主重需])要|将|需|(?<![供反适])应|必须|稳步|不断|持续|力争|争取|确保|努力|进一步|总体)+$"
)
_AT_LEAST = re.compile(r"至少|最少|起码|(?P<most>最多|至多)")
_TARGET_YEAR = re.compile(r"(?<![\d从自])(?:19|20)\d\d年(?!起|以来|开始|\d)")
_SENTENCE_END = "。;!?\n"
_BAN = re.compile(r"禁止|严禁|杜绝|取缔|淘汰")
_OPENING, _CLOSING = '“「‘"', '”」’"'
_TALLY = re.compile(r"(?:共|方面)$")
_REWARD = re.compile(r"奖励|奖金|奖补|补助|补贴|资助|给予|贴息|罚款|罚金|处罚|处以|扶持资金")
_PUNCT = re.compile(r"[,;。:!?]")
_BREAK = re.compile(r"\n\s*")
_SKIP_REGION = re.compile(r"《[^》\n]{0,80}》|〔[^〕\n]{0,12}〕|\[\d{4}\]")
_QUOTE = re.compile(r"“[^”\n]{0,40}”|「[^」\n]{0,40}」")
_SPACE = re.compile(r"\s+")
_NOT_FIGURE = re.compile(r"0\d+|\d{7,}")  # phone, postcode and ID numbers
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_DATE_CHARS = frozenset("年月日号时分秒点:/")  # after a unitless figure: a date or a time
_SHORT_LINE = 40  # a line this short that breaks is a heading; a longer one was cut by the page width
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_TENS = {"十": 10, "百": 100, "千": 1000}


class _Raw(NamedTuple):
    start: int  # the comparator word, or the figure when there is none
    figure: int  # the figure (or the benchmark)
    end: int
    comparator: str | None
    change: bool  # the comparator word is a verb of change that belongs in the name
    target: float | None
    high: float | None
    unit: str | None
    benchmark: str | None
    about: float | None = None  # the figure of a 左右 target; target and high are then its range
    suffix: str | None = None
    stated: bool = True  # a word, suffix or 余/多 gives the comparator; False: "=" for want of one


def _cn_value(s: str) -> float:
    total = digit = 0
    for c in s:
        if c in _CN_TENS:
            total += (digit or 1) * _CN_TENS[c]
            digit = 0
        else:
            digit = _CN_DIGIT[c]
    return float(total + digit)


def _number(s: str) -> float:
    """The value of a figure; a share (一半, 三分之一, 百分之九十) as a percentage."""
    if s in ("一半", "半数"):
        return 50.0
    if s.startswith("百分之"):
        return _number(s[3:])
    if "分之" in s:
        den, num = s.split("分之")
        return round(_number(num) / (_number(den) or float("nan")) * 100, 4)  # 零分之一: nan, dropped
    if s[0].isdigit():
        return float(s.replace(",", ""))
    return _cn_value(s)


def _inside(regions: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and regions[i][0] <= pos < regions[i][1]


def _regions(pattern: re.Pattern[str], norm: str) -> tuple[list[tuple[int, int]], list[int]]:
    spans = [m.span() for m in pattern.finditer(norm)]
    return spans, [s for s, _ in spans]


def _delimiters(norm: str) -> list[int]:
    """Positions that end a clause. A line break counts only after a short line (a heading)."""
    out = [m.start() for m in _PUNCT.finditer(norm)]
    for m in _BREAK.finditer(norm):
        line = norm[norm.rfind("\n", 0, m.start()) + 1 : m.start()].strip()
        if len(line) < _SHORT_LINE:
            out.append(m.start())
    return sorted(out)


def _values(norm: str, simp: str, delims: list[int]) -> list[_Raw]:
    skip, skip_starts = _regions(_SKIP_REGION, norm)
    quotes, quote_starts = _regions(_QUOTE, norm)
    out = []
    for m in _VALUE.finditer(norm):
        s, n1, u1, u2 = m.start(), m.group("n1"), m.group("u1"), m.group("u2")
        unit, suf, approx = u2 or u1, m.group("suf"), m.group("a2") or m.group("a1")
        share = "分之" in n1 or n1 in ("一半", "半数")
        chinese = not share and not n1[0].isdigit()
        if chinese and ((unit or "").removeprefix("万") not in _COUNT_UNITS or _inside(quotes, quote_starts, s)):
            continue  # most Chinese numerals are words (统一, 一批, “三个代表”): cheap to drop first
        if _inside(skip, skip_starts, s) or _NOT_FIGURE.fullmatch(n1):
            continue
        nxt = norm[m.end() : m.end() + 1]
        if not unit and (nxt in _DATE_CHARS or (_YEARLIKE.fullmatch(n1) and (m.group("n2") or (nxt and nxt in "-./")))):
            continue  # 2015年, 6月, 30日, 01:29, 2022-08-10: dates and times, even after 为 or 达到
        i = bisect_left(delims, s)
        clause = delims[i - 1] + 1 if i else 0
        lo = max(clause, s - 24)
        before = _BEFORE.search(norm, lo, s)
        word = before and (before.group("w") or before.group("rw"))
        cat = _CMP_OF[word] if word else None
        target = _number(n1)
        if target != target:  # nan
            continue
        if share:
            unit = "%"
        if chinese:
            if not (suf or (cat and cat not in ("=", "chg")) or _MAKE_VERB.search(norm, lo, s)):
                continue
        elif not (unit or word or suf):
            continue
        if (unit in _TIME_UNITS or n1 in ("一半", "半数")) and not (word or suf):
            continue
        if not (word or suf or approx) and norm[s - 1 : s] == "等":  # "等5类": the size of a list
            continue
        if unit in _COUNT_UNITS and _TALLY.search(norm, max(0, s - 2), s):  # "（共23项）", "保护方面5项:"
            continue
        if unit and "元" in unit:  # money paid or fined anywhere in the clause: a reward or a penalty
            stop = delims[i] if i < len(delims) else len(norm)
            if _REWARD.search(norm, clause, stop):
                continue
        bench = None
        if before and before.group("rel"):
            if unit not in ("%", "倍"):  # "达到国家标准的100家": not a share of anything
                before, cat, word = None, None, None
            else:
                bench = simp[before.start("rel") : before.end("rel")]
        high = _number(m.group("n2")) if m.group("n2") else None
        about = None
        if suf in ("以上", "及以上", "之上"):
            comparator = ">="
        elif suf in ("以下", "及以下", "以内", "之内"):
            comparator = "<="
        elif suf == "左右" and high is None:  # "2000名左右": the range ± APPROX_TOLERANCE around it
            about, tolerance = target, round(abs(target) * APPROX_TOLERANCE, 6)
            comparator, target, high = "range", round(about - tolerance, 6), round(about + tolerance, 6)
        else:
            comparator = ">" if approx else {"chg": ">=", None: "="}.get(cat, cat)
        if high is not None:
            comparator = "range"
        if unit in ("个百分点", "百分点"):
            unit = "百分点"
        start = before.start() if before else s
        stated = bool(word or suf or approx or high is not None)
        out.append(_Raw(start, s, m.end(), comparator, cat == "chg", target, high, unit, bench, about, suf, stated))
    return out


def _benchmarks(norm: str, simp: str) -> list[_Raw]:
    out: dict[int, _Raw] = {}
    for hit in _AVERAGE.finditer(norm):  # every benchmark says 平均; look around each one only
        for m in _BENCH_ONLY.finditer(norm, max(0, hit.start() - 24), hit.end() + 8):
            b = "b" if m.group("b") else "b2"
            comparator = _CMP_OF[m.group("w")] if m.group("w") else "="
            bench = simp[m.start(b) : m.end(b)]
            out[m.start()] = _Raw(m.start(), m.start(b), m.end(), comparator, False, None, None, None, bench)
    return list(out.values())


def _strip_lead(norm: str, simp: str, p: int, end: int) -> tuple[int, str, int | None]:
    """Skip dates, numbering and modal words at a clause start; keep words of frequency (每年)."""
    kept, first = "", None
    while p < end and (m := _LEAD.match(norm, p, end)) and m.end() > p:
        if m.group("keep"):
            kept += simp[m.start() : m.end()]
            first = p if first is None else first
        p = m.end()
    return p, kept, first


def _subject(norm: str, simp: str, p: int, end: int) -> tuple[str, int]:
    """The cleaned words of [p, end) and where they start."""
    p, kept, first = _strip_lead(norm, simp, p, end)
    words = _TRAIL.sub("", _SPACE.sub("", simp[p:end]))
    while words and words[0] in _OPENING and _CLOSING[_OPENING.index(words[0])] not in words:
        words, p = words[1:], p + 1  # "实现“重点引进…达到2000名左右，…”": the quote spans the whole list
    return kept + words, (first if first is not None else p)


def _after(norm: str, simp: str, a: int, b: int) -> tuple[str, int]:
    """The noun phrase after a figure that comes before its noun ("2个以上“示范区”"), and where it ends."""
    while a < b and norm[a].isspace():
        a += 1
    if a >= b or not (norm[a].isalnum() or norm[a] in "“「") or _JOINER.match(norm, a, b):
        return "", a  # "60项、工业类…": the next item of a list; "100%（…）": a remark
    a += norm[a] == "的"
    while b > a and (norm[b - 1].isspace() or norm[b - 1] in "、和及与"):
        b -= 1
    return _SPACE.sub("", simp[a:b]), b


def _target_years(norm: str) -> list[int]:
    """Where the calendar years that set a target for a date stand (到2020年, 2012年底, 2015年前), outside titles;
    a start (从2012年起, 2012年以来) sets none."""
    skip, skip_starts = _regions(_SKIP_REGION, norm)
    return [m.start() for m in _TARGET_YEAR.finditer(norm) if not _inside(skip, skip_starts, m.start())]


def _kind(norm: str, r: _Raw, years: list[int], goal: bool) -> Kind:
    """A target when its section is a goals section or its sentence sets it for a year, or a growth with a
    floor (增长…以上); else a quantity inside a measure. A ban (禁止…低于0.01毫米) is never a target."""
    sentence = max(norm.rfind(c, 0, r.figure) for c in _SENTENCE_END) + 1
    if _BAN.search(norm, sentence, r.figure):
        return "measure"
    if goal or (r.change and r.suffix in ("以上", "及以上")):
        return "target"
    k = bisect_left(years, sentence)
    return "target" if k < len(years) and years[k] < r.start else "measure"


def find_indicators(text: str, *, offset: int = 0, task: int | None = None, goal: bool = False) -> list[Indicator]:
    """The quantities `text` states, in document order (see the module docstring for the rules), each with its
    kind: "target" or "measure". `goal`: the text is a goals section's (目标, 主要目标, 工作目标), where every
    quantity is a target."""
    simp = _simplified(text)
    norm = _FULL_WIDTH.sub(_fold_char, simp)
    delims = _delimiters(norm)
    years = _target_years(norm)
    values = _values(norm, simp, delims)
    taken = [(r.start, r.end) for r in values]
    raws = values + [r for r in _benchmarks(norm, simp) if not any(a < r.end and r.start < b for a, b in taken)]
    raws.sort(key=lambda r: r.start)
    out: list[Indicator] = []
    prev_end, prev_subject, prev_comparator = -1, "", ""
    for k, r in enumerate(raws):
        i = bisect_left(delims, r.start)
        clause = delims[i - 1] + 1 if i else 0
        continued = prev_end >= clause
        p = max(clause, prev_end) if continued else clause
        if continued and (j := _JOINER.match(norm, p, r.start)):
            p = j.end()
        subject, start = _subject(norm, simp, p, r.start)
        comparator = r.comparator
        if not r.stated and continued and not subject and prev_comparator:
            comparator = prev_comparator  # "分别达到65%和55%": the second figure is also reached
        if comparator == "=" and r.start == r.figure and (most := _AT_LEAST.search(subject)):
            comparator = "<=" if most.group("most") else ">="  # "至少培育10家"
            subject = subject[: most.start()] + subject[most.end() :]
        verb = _SPACE.sub("", simp[r.start : r.figure]) if r.change else ""
        bound = delims[bisect_left(delims, r.end)] if bisect_left(delims, r.end) < len(delims) else len(norm)
        if k + 1 < len(raws):
            bound = min(bound, raws[k + 1].start)
        after, after_end = _after(norm, simp, r.end, bound) if r.target is not None else ("", r.end)
        if not subject and continued:
            subject = prev_subject  # "每年培育50家A、40项B": B is also 每年培育
        elif not subject and i and norm[clause - 1] == ",":
            j = bisect_left(delims, clause - 1)
            prior = delims[j - 1] + 1 if j else 0
            if prior > prev_end:  # "…的产品，100%依法取得…": the clause before is the subject
                subject, start = _subject(norm, simp, prior, clause - 1)
        name = subject + verb + after
        if not any(c.isalnum() for c in name):  # nothing names it ("-50%"): not an indicator we can show
            continue
        end = max(r.end, after_end)
        out.append(
            Indicator(
                name=name,
                comparator=comparator,
                target=r.target,
                target_high=r.high,
                unit=r.unit,
                benchmark=r.benchmark,
                text=text[r.start : r.end],
                span=(start + offset, end + offset),
                task=task,
                kind=_kind(norm, r, years, goal),
                approximately=r.about,
                tolerance=None if r.about is None else r.high - r.about,
            )
        )
        prev_end, prev_subject, prev_comparator = end, subject, comparator
    return out
