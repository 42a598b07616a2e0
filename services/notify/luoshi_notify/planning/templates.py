"""Message templates in Chinese (default) and English, worded the way a government office writes.

`render(kind, lang, context)` fills one template and returns a subject, a plain-text body and a Markdown body.
Values are formatted for the language (dates as 2026年10月9日 or 2026-10-09); Markdown special characters in
values are escaped in the Markdown body. When the context has a ``url`` a link line is appended. A missing key
raises `TemplateError` (a `KeyError`) that names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from string import Formatter
from typing import Any, Literal, NamedTuple

Lang = Literal["zh", "en"]


class TemplateError(KeyError):
    """A template needs a context key that was not given, or a value it cannot use."""

    def __init__(self, kind: str, key: str, detail: str = "missing") -> None:
        super().__init__(key)
        self.kind, self.key = kind, key
        self.message = f"template {kind!r}: context key {key!r} is {detail}"

    def __str__(self) -> str:
        return self.message


class Rendered(NamedTuple):
    subject: str
    text: str
    markdown: str


class _T(NamedTuple):
    subject: str
    body: str  # paragraphs separated by blank lines; {placeholders} filled from the context


_ZH: dict[str, _T] = {
    "remind": _T(
        "【提醒】“{task_title}”将于{due_on}到期",
        "{unit_name}：\n\n你单位承担的“{plan_title}”任务“{task_title}”完成时限为{due_on}，距到期还有{workdays_left}个"
        "工作日。请抓紧推进，按时完成，并及时报送落实情况。",
    ),
    "due_today": _T(
        "【提醒】“{task_title}”今日到期",
        "{unit_name}：\n\n你单位承担的“{plan_title}”任务“{task_title}”完成时限为{due_on}，今日到期。请于今日内完成"
        "并报送落实情况；确需延期的，请按程序提出延期申请。",
    ),
    "urge": _T(
        "【催办】“{task_title}”已逾期{overdue_workdays}个工作日",
        "{unit_name}：\n\n你单位承担的“{plan_title}”任务“{task_title}”完成时限为{due_on}，现已逾期{overdue_workdays}"
        "个工作日，尚未办结。现予第{urge_count}次催办，请抓紧办理，并尽快报送落实情况。",
    ),
    "escalate": _T(
        "【督办】“{task_title}”逾期未办结",
        "{unit_name}主要负责同志：\n\n你单位承担的“{plan_title}”任务“{task_title}”完成时限为{due_on}，现已逾期"
        "{overdue_workdays}个工作日，经催办仍未办结。现予督办，请亲自过问、限期办结，并将落实情况及整改措施"
        "书面报送{office_name}。\n\n抄送：领导小组。",
    ),
    "urge_on_demand": _T(
        "【催办】请抓紧办理“{task_title}”",
        "{unit_name}：\n\n你单位承担的“{plan_title}”任务“{task_title}”完成时限为{due_on}，目前尚未办结。{office_name}"
        "现予催办：{note}请抓紧办理，并及时报送落实情况。",
    ),
    "report_remind": _T(
        "【提醒】请于{due_on}前报送{period}工作进展",
        "{unit_name}：\n\n按照“{plan_title}”要求，请于{due_on}前报送{period}目标任务完成情况。",
    ),
    "report_returned": _T(
        "【退回】{period}工作进展报送被退回",
        "{unit_name}：\n\n你单位报送的“{plan_title}”{period}工作进展已被退回，意见如下：{comment}\n\n请按意见修改后"
        "重新报送。",
    ),
    "extension_granted": _T(
        "【延期】“{task_title}”延期申请已同意",
        "{unit_name}：\n\n你单位关于“{task_title}”的延期申请已同意，完成时限调整为{new_due_on}。请按新时限抓紧落实。",
    ),
    "extension_refused": _T(
        "【延期】“{task_title}”延期申请未同意",
        "{unit_name}：\n\n你单位关于“{task_title}”的延期申请未予同意，意见如下：{comment}\n\n请仍按原完成时限{due_on}"
        "落实。",
    ),
    "task_assigned": _T(
        "【交办】“{task_title}”",
        "{unit_name}：\n\n现将“{plan_title}”任务“{task_title}”交由你单位承办，完成时限为{due_on}。请及时签收，"
        "明确责任人，按时限推进落实，并按要求报送进展。",
    ),
    "completion_returned": _T(
        "【退回】“{task_title}”办结申请被退回",
        "{unit_name}：\n\n你单位关于“{plan_title}”任务“{task_title}”的办结申请已被退回，意见如下：{comment}\n\n"
        "请按意见继续办理，完成后重新申请办结。",
    ),
    "report_submitted": _T(
        "【待审】{unit_name}报送了{period}工作进展",
        "{office_name}：\n\n{unit_name}已报送“{plan_title}”任务“{task_title}”{period}工作进展，请及时审核。",
    ),
    "extension_requested": _T(
        "【待批】{unit_name}申请“{task_title}”延期",
        "{office_name}：\n\n{unit_name}申请将“{plan_title}”任务“{task_title}”的完成时限由{due_on}延至"
        "{requested_due_on}，理由：{comment}\n\n请在原时限前审批。",
    ),
    "completion_requested": _T(
        "【待审】{unit_name}申请“{task_title}”办结",
        "{office_name}：\n\n{unit_name}申请办结“{plan_title}”任务“{task_title}”，请审核确认或退回。",
    ),
    "assessment_published": _T(
        "【考核】{period}考核结果已发布",
        "{unit_name}：\n\n“{plan_title}”{period}考核结果已发布。你单位得分{score}分，在{total}个单位中排名第{rank}名。",
    ),
    "bulletin": _T(
        "【通报】关于{period}任务落实情况的通报",
        "各责任单位：\n\n现将“{plan_title}”{period}任务落实情况通报如下：按时报送{on_time_count}个单位，逾期报送"
        "{late_count}个单位，未报送{missing_count}个单位；逾期未完成任务{overdue_count}项。请相关单位对照通报"
        "抓紧整改。",
    ),
    "digest": _T(
        "【汇总】{date}待办提醒（{count}条）",
        "{recipient}：\n\n截至{date}，你有以下{count}条待办提醒：\n\n{items}",
    ),
}

_EN: dict[str, _T] = {
    "remind": _T(
        "[Reminder] “{task_title}” is due on {due_on}",
        "To {unit_name}:\n\nThe task “{task_title}” under “{plan_title}” assigned to your unit is due on {due_on}, in "
        "{workdays_left} working day(s). Please complete it on time and report progress.",
    ),
    "due_today": _T(
        "[Reminder] “{task_title}” is due today",
        "To {unit_name}:\n\nThe task “{task_title}” under “{plan_title}” is due today ({due_on}). Please complete "
        "it and report today, or request an extension through the proper procedure.",
    ),
    "urge": _T(
        "[Urging] “{task_title}” is {overdue_workdays} working day(s) overdue",
        "To {unit_name}:\n\nThe task “{task_title}” under “{plan_title}” was due on {due_on} and is "
        "{overdue_workdays} working day(s) overdue. This is urging notice no. {urge_count}: please complete it and "
        "report without delay.",
    ),
    "escalate": _T(
        "[Escalation] “{task_title}” is overdue",
        "To the head of {unit_name}:\n\nThe task “{task_title}” under “{plan_title}” was due on {due_on} and is "
        "still not closed after {overdue_workdays} working days and repeated urging. It is now under supervision: "
        "please see to it personally and report the situation and remedial measures in writing to {office_name}."
        "\n\nCopy: the leading group.",
    ),
    "urge_on_demand": _T(
        "[Urging] Please see to “{task_title}”",
        "To {unit_name}:\n\nThe task “{task_title}” under “{plan_title}” assigned to your unit, due on {due_on}, is "
        "not closed yet. {office_name} urges your unit: {note}Please see to it and report progress promptly.",
    ),
    "report_remind": _T(
        "[Reminder] Progress report for {period} due by {due_on}",
        "To {unit_name}:\n\nAs required by “{plan_title}”, please submit your progress report for {period} by "
        "{due_on}.",
    ),
    "report_returned": _T(
        "[Returned] Progress report for {period}",
        "To {unit_name}:\n\nYour progress report for {period} under “{plan_title}” has been returned with this "
        "comment: {comment}\n\nPlease revise it and submit it again.",
    ),
    "extension_granted": _T(
        "[Extension] Granted for “{task_title}”",
        "To {unit_name}:\n\nYour request to extend “{task_title}” has been granted; the new deadline is {new_due_on}.",
    ),
    "extension_refused": _T(
        "[Extension] Refused for “{task_title}”",
        "To {unit_name}:\n\nYour request to extend “{task_title}” has been refused: {comment}\n\nThe deadline "
        "remains {due_on}.",
    ),
    "task_assigned": _T(
        "[Assigned] “{task_title}”",
        "To {unit_name}:\n\nThe task “{task_title}” under “{plan_title}” has been assigned to your unit, due on "
        "{due_on}. Please acknowledge it, name the person in charge and report progress as required.",
    ),
    "completion_returned": _T(
        "[Returned] Completion request for “{task_title}”",
        "To {unit_name}:\n\nYour request to close “{task_title}” under “{plan_title}” has been returned with this "
        "comment: {comment}\n\nPlease carry on with it and ask again once it is done.",
    ),
    "report_submitted": _T(
        "[To review] {unit_name} reported on {period}",
        "To {office_name}:\n\n{unit_name} has submitted its progress report for {period} on “{task_title}” under "
        "“{plan_title}”. Please review it.",
    ),
    "extension_requested": _T(
        "[To decide] {unit_name} asks to extend “{task_title}”",
        "To {office_name}:\n\n{unit_name} asks to move the deadline of “{task_title}” under “{plan_title}” from "
        "{due_on} to {requested_due_on}, because: {comment}\n\nPlease decide before the current deadline.",
    ),
    "completion_requested": _T(
        "[To review] {unit_name} asks to close “{task_title}”",
        "To {office_name}:\n\n{unit_name} asks to close “{task_title}” under “{plan_title}”. Please confirm or "
        "return it.",
    ),
    "assessment_published": _T(
        "[Assessment] Results for {period} published",
        "To {unit_name}:\n\nThe assessment results for {period} under “{plan_title}” have been published. Your "
        "unit scored {score} and ranks {rank} of {total}.",
    ),
    "bulletin": _T(
        "[Bulletin] Progress on tasks, {period}",
        "To all responsible units:\n\nProgress under “{plan_title}” for {period}: {on_time_count} unit(s) reported "
        "on time, {late_count} late and {missing_count} not at all; {overdue_count} task(s) are overdue. The units "
        "concerned are asked to remedy this promptly.",
    ),
    "digest": _T(
        "[Digest] {count} notice(s) for {date}",
        "To {recipient}:\n\nAs of {date} you have {count} notice(s):\n\n{items}",
    ),
}

TEMPLATE_KINDS: tuple[str, ...] = (
    "remind",
    "due_today",
    "urge",
    "escalate",
    "urge_on_demand",
    "report_remind",
    "report_returned",
    "extension_decided",
    "task_assigned",
    "completion_returned",
    "report_submitted",
    "extension_requested",
    "completion_requested",
    "assessment_published",
    "bulletin",
    "digest",
)

_SAMPLES: dict[str, dict[str, Any]] = {
    "remind": {"workdays_left": 3},
    "due_today": {},
    "urge": {"overdue_workdays": 3, "urge_count": 1},
    "escalate": {"overdue_workdays": 5, "office_name": "县质量强县工作领导小组办公室"},
    "urge_on_demand": {"office_name": "县质量强县工作领导小组办公室", "note": "请于本周内报送抽查结果。"},
    "report_remind": {"period": "2026年11月", "due_on": date(2026, 11, 30)},
    "report_returned": {"period": "2026年11月", "comment": "请补充主导产品监督抽查合格率数据及佐证材料。"},
    "extension_decided": {"decision": "granted", "new_due_on": date(2026, 12, 31)},
    "task_assigned": {},
    "completion_returned": {"comment": "佐证材料不全，请补充抽查报告。"},
    "report_submitted": {"period": "2026年11月", "office_name": "创建办公室"},
    "extension_requested": {
        "office_name": "创建办公室",
        "requested_due_on": date(2026, 12, 31),
        "comment": "检测设备到货延迟",
    },
    "completion_requested": {"office_name": "创建办公室"},
    "assessment_published": {"period": "2026年度", "score": 92.5, "rank": 3, "total": 24},
    "bulletin": {"period": "2026年11月", "on_time_count": 18, "late_count": 3, "missing_count": 2, "overdue_count": 4},
    "digest": {
        "recipient": "县市场监督管理局",
        "date": date(2026, 10, 13),
        "items": [
            "【催办】“开展主导产品监督抽查”已逾期3个工作日",
            "【提醒】请于2026年10月30日前报送2026年10月工作进展",
        ],
    },
}
_COMMON = {
    "unit_name": "县市场监督管理局",
    "plan_title": "夏邑县质量强县工作实施方案",
    "task_title": "开展主导产品监督抽查",
    "due_on": date(2026, 10, 9),
}


def sample_context(kind: str) -> dict[str, Any]:
    """A complete example context for `kind` (for the preview endpoint)."""
    if kind not in _SAMPLES:
        raise ValueError(f"unknown template kind {kind!r}; known: {', '.join(TEMPLATE_KINDS)}")
    return {**_COMMON, **_SAMPLES[kind], "url": "https://luoshi.example.gov.cn/tasks/42"}


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md_escape(s: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", s)


def _fmt(value: Any, lang: Lang) -> str:
    if isinstance(value, datetime):
        return (
            f"{value:%Y-%m-%d %H:%M}" if lang == "en" else f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
        )
    if isinstance(value, date):
        return value.isoformat() if lang == "en" else f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class _Values(dict[str, str]):
    def __init__(self, kind: str, context: Mapping[str, Any], lang: Lang, escape: bool) -> None:
        super().__init__()
        self.kind, self.context, self.lang, self.escape = kind, context, lang, escape

    def __missing__(self, key: str) -> str:
        if key not in self.context:
            raise TemplateError(self.kind, key)
        text = _fmt(self.context[key], self.lang)
        self[key] = text = _md_escape(text) if self.escape else text  # the subject and body share values
        return text


def _escaped(plain: _Values, kind: str) -> _Values:
    """The same values, Markdown-escaped (the digest's numbered list is built again with escaping)."""
    md = _Values(plain.kind, plain.context, plain.lang, True)
    if kind == "digest":
        md["items"] = _items(kind, plain.context, plain.lang, True)
        md["count"] = plain["count"]
        return md
    for name, text in plain.items():
        md[name] = _md_escape(text) if _MD_SPECIAL.search(text) else text
    return md


def _items(kind: str, context: Mapping[str, Any], lang: Lang, escape: bool) -> str:
    if "items" not in context:
        raise TemplateError(kind, "items")
    items = context["items"]
    if isinstance(items, str) or not hasattr(items, "__iter__"):
        raise TemplateError(kind, "items", "not a list")
    lines = []
    for i, item in enumerate(items, 1):
        line = _fmt(item, lang)
        lines.append(f"{i}. {_md_escape(line) if escape else line}")
    return "\n".join(lines) if lines else ("（无）" if lang == "zh" else "(none)")


def _template(kind: str, lang: Lang, context: Mapping[str, Any]) -> tuple[str, _T]:
    table = _EN if lang == "en" else _ZH
    if kind == "extension_decided":
        if "decision" not in context:
            raise TemplateError(kind, "decision")
        decision = context["decision"]
        if decision not in ("granted", "refused"):
            raise TemplateError(kind, "decision", f"{decision!r}, not 'granted' or 'refused'")
        return kind, table[f"extension_{decision}"]
    if kind not in table:
        raise ValueError(f"unknown template kind {kind!r}; known: {', '.join(TEMPLATE_KINDS)}")
    return kind, table[kind]


@lru_cache(maxsize=256)
def _fields(template: _T) -> tuple[str, ...]:
    """The placeholders a template uses, once per template (the sweep renders thousands of messages)."""
    names = {name for text in template for _, name, _, _ in Formatter().parse(text) if name}
    return tuple(sorted(names))


def _values(kind: str, lang: Lang, context: Mapping[str, Any], *, markdown: bool, t: _T | None = None) -> _Values:
    values = _Values(kind, context, lang, markdown)
    if kind == "digest":
        values["items"] = _items(kind, context, lang, markdown)
        values["count"] = str(len(list(context["items"])))
    elif t is not None:  # fill what the template uses up front, each value formatted once
        for name in _fields(t):
            values[name] = values.__missing__(name)
    return values


def render(kind: str, lang: Lang, context: Mapping[str, Any]) -> Rendered:
    """Fill template `kind` in `lang` ("zh" or "en"); raises `TemplateError` naming a missing key."""
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'zh' or 'en'")
    kind, t = _template(kind, lang, context)
    plain = _values(kind, lang, context, markdown=False, t=t)
    subject = t.subject.format_map(plain)
    text = t.body.format_map(plain)
    md = t.body.format_map(_escaped(plain, kind))
    if url := context.get("url"):
        label = "办理入口" if lang == "zh" else "Open"
        text += f"\n\n{label}：{url}" if lang == "zh" else f"\n\n{label}: {url}"
        md += f"\n\n[{label}](<{url}>)"
    # Markdown: the subject in bold, paragraphs kept, single line breaks forced with two trailing spaces
    paragraphs = [p.replace("\n", "  \n") for p in md.split("\n\n")]
    markdown = "\n\n".join([f"**{_md_escape(subject)}**", *paragraphs])
    return Rendered(subject=subject, text=text, markdown=markdown)
