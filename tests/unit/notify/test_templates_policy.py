"""Message templates in both languages, and the delivery policy: quiet hours, digests, the per-unit cap."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from luoshi_notify.planning import (
    TEMPLATE_KINDS,
    Preferences,
    TemplateError,
    in_quiet_hours,
    next_allowed,
    next_digest_at,
    render,
    route,
    sample_context,
)

SH = ZoneInfo("Asia/Shanghai")
PREFS = Preferences()

# --- templates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_kind_renders_in_both_languages(kind: str, lang: str) -> None:
    r = render(kind, lang, sample_context(kind))  # type: ignore[arg-type]
    assert r.subject and r.text and r.markdown
    assert "{" not in r.subject + r.text  # every placeholder filled
    assert r.subject in r.markdown.replace("\\", "")
    assert "https://luoshi.example.gov.cn/tasks/42" in r.text
    assert ("【" in r.subject) == (lang == "zh")


def test_chinese_wording() -> None:
    ctx = sample_context("urge")
    r = render("urge", "zh", ctx)
    assert r.subject == "【催办】“开展主导产品监督抽查”已逾期3个工作日"
    assert "完成时限为2026年10月9日" in r.text and "第1次催办" in r.text
    assert render("escalate", "zh", sample_context("escalate")).subject.startswith("【督办】")
    assert render("remind", "zh", sample_context("remind")).subject.startswith("【提醒】")
    assert render("bulletin", "zh", sample_context("bulletin")).subject == "【通报】关于2026年11月任务落实情况的通报"
    assert render("task_assigned", "zh", sample_context("task_assigned")).subject.startswith("【交办】")
    en = render("urge", "en", ctx)
    assert "2026-10-09" in en.text and en.subject.startswith("[Urging]")


def test_extension_decisions() -> None:
    granted = render("extension_decided", "zh", sample_context("extension_decided"))
    assert "已同意" in granted.subject and "2026年12月31日" in granted.text
    refused = {**sample_context("extension_decided"), "decision": "refused", "comment": "理由不充分。"}
    r = render("extension_decided", "zh", refused)
    assert "未同意" in r.subject and "理由不充分" in r.text and "2026年10月9日" in r.text
    with pytest.raises(TemplateError) as e:
        render("extension_decided", "en", {**refused, "decision": "maybe"})
    assert e.value.key == "decision"


def test_missing_key_names_it() -> None:
    ctx = sample_context("urge")
    del ctx["task_title"]
    with pytest.raises(TemplateError) as e:
        render("urge", "zh", ctx)
    assert isinstance(e.value, KeyError)
    assert e.value.key == "task_title" and e.value.kind == "urge"
    assert "task_title" in str(e.value)
    with pytest.raises(KeyError, match="items"):
        render("digest", "en", {"recipient": "x", "date": date(2026, 1, 5)})
    with pytest.raises(KeyError, match="comment"):
        render("extension_decided", "zh", {**sample_context("extension_decided"), "decision": "refused"})


def test_unknown_kind_and_language() -> None:
    with pytest.raises(ValueError, match="unknown template kind"):
        render("nope", "zh", {})
    with pytest.raises(ValueError, match="unknown template kind"):
        sample_context("nope")
    with pytest.raises(ValueError, match="language"):
        render("urge", "fr", sample_context("urge"))  # type: ignore[arg-type]


def test_markdown_escapes_values_and_digest_lists_items() -> None:
    ctx = {**sample_context("remind"), "task_title": "*重点*任务_一"}
    r = render("remind", "zh", ctx)
    assert "*重点*任务_一" in r.text
    assert "\\*重点\\*任务\\_一" in r.markdown
    assert r.markdown.startswith("**【提醒】")
    d = render("digest", "zh", sample_context("digest"))
    assert "（2条）" in d.subject
    assert "1. 【催办】" in d.text and "2. 【提醒】" in d.text
    empty = render("digest", "en", {"recipient": "x", "date": date(2026, 1, 5), "items": []})
    assert "(none)" in empty.text and "0 notice" in empty.subject


def test_a_digest_in_full_in_each_language_with_its_link() -> None:
    ctx = {
        "recipient": "县市场监督管理局",
        "date": date(2026, 10, 13),
        "items": ["【催办】*重点*任务", datetime(2026, 10, 14, 9, 30)],
        "url": "https://x/d",
    }
    zh = render("digest", "zh", ctx)
    assert zh.subject == "【汇总】2026年10月13日待办提醒（2条）"
    assert zh.text == (
        "县市场监督管理局：\n\n截至2026年10月13日，你有以下2条待办提醒：\n\n1. 【催办】*重点*任务\n"
        "2. 2026年10月14日 09:30\n\n办理入口：https://x/d"
    )
    assert zh.markdown == (
        "**【汇总】2026年10月13日待办提醒（2条）**\n\n县市场监督管理局：\n\n截至2026年10月13日，你有以下2条待办提醒："
        "\n\n1. 【催办】\\*重点\\*任务  \n2. 2026年10月14日 09:30\n\n[办理入口](<https://x/d>)"
    )
    en = render("digest", "en", ctx)
    assert en.subject == "[Digest] 2 notice(s) for 2026-10-13"
    assert en.text == (
        "To 县市场监督管理局:\n\nAs of 2026-10-13 you have 2 notice(s):\n\n1. 【催办】*重点*任务\n2. 2026-10-14 09:30"
        "\n\nOpen: https://x/d"
    )
    assert en.markdown == (
        "**\\[Digest\\] 2 notice(s) for 2026-10-13**\n\nTo 县市场监督管理局:\n\nAs of 2026-10-13 you have 2 notice(s):"
        "\n\n1. 【催办】\\*重点\\*任务  \n2. 2026-10-14 09:30\n\n[Open](<https://x/d>)"
    )
    assert render("digest", "zh", {**ctx, "items": []}).text.endswith(
        "以下0条待办提醒：\n\n（无）\n\n办理入口：https://x/d"
    )
    assert render("digest", "en", {**ctx, "items": []}).text.endswith("notice(s):\n\n(none)\n\nOpen: https://x/d")
    # the digest's other values are escaped in Markdown too
    starred = render("digest", "zh", {**ctx, "recipient": "*县*局"})
    assert starred.markdown.split("\n\n")[1] == "\\*县\\*局："


def test_a_notice_in_full_with_markdown_escaped_values_and_its_link() -> None:
    ctx = {
        "unit_name": "县质监局",
        "plan_title": "方案",
        "task_title": "*重点*任务",
        "due_on": date(2026, 10, 9),
        "workdays_left": 3,
        "url": "https://x/t/1",
    }
    r = render("remind", "en", ctx)
    assert r.subject == "[Reminder] “*重点*任务” is due on 2026-10-09"
    body = (
        "assigned to your unit is due on 2026-10-09, in 3 working day(s). Please complete it on time and report "
        "progress."
    )
    assert r.text == f"To 县质监局:\n\nThe task “*重点*任务” under “方案” {body}\n\nOpen: https://x/t/1"
    assert r.markdown == (
        f"**\\[Reminder\\] “\\*重点\\*任务” is due on 2026-10-09**\n\nTo 县质监局:\n\n"
        f"The task “\\*重点\\*任务” under “方案” {body}\n\n[Open](<https://x/t/1>)"
    )


def test_template_errors_say_which_key_and_why() -> None:
    for kind, ctx, message in (
        ("digest", {"recipient": "x", "date": date(2026, 1, 5)}, "template 'digest': context key 'items' is missing"),
        (
            "digest",
            {"recipient": "x", "date": date(2026, 1, 5), "items": "一条"},
            "template 'digest': context key 'items' is not a list",
        ),
        (
            "digest",
            {"recipient": "x", "date": date(2026, 1, 5), "items": 3},
            "template 'digest': context key 'items' is not a list",
        ),
        (
            "extension_decided",
            {"unit_name": "x", "task_title": "y"},
            "template 'extension_decided': context key 'decision' is missing",
        ),
        (
            "extension_decided",
            {"unit_name": "x", "task_title": "y", "decision": "maybe"},
            "template 'extension_decided': context key 'decision' is 'maybe', not 'granted' or 'refused'",
        ),
    ):
        with pytest.raises(TemplateError) as raised:
            render(kind, "zh", ctx)
        assert (str(raised.value), raised.value.kind, raised.value.args) == (message, kind, (raised.value.key,))
    with pytest.raises(ValueError) as unknown:
        sample_context("nope")
    assert str(unknown.value) == f"unknown template kind 'nope'; known: {', '.join(TEMPLATE_KINDS)}"
    with pytest.raises(ValueError) as unknown:
        render("nope", "zh", {})
    assert str(unknown.value) == f"unknown template kind 'nope'; known: {', '.join(TEMPLATE_KINDS)}"


def test_sample_contexts_link_to_a_task() -> None:
    assert sample_context("urge")["url"] == "https://luoshi.example.gov.cn/tasks/42"


# --- quiet hours ----------------------------------------------------------------------------------------


def test_quiet_hours_span_midnight() -> None:
    assert in_quiet_hours(time(23, 30), PREFS) and in_quiet_hours(time(3), PREFS) and in_quiet_hours(time(22), PREFS)
    assert not in_quiet_hours(time(7), PREFS) and not in_quiet_hours(time(12), PREFS)
    # late evening: tomorrow 07:00
    assert next_allowed(datetime(2026, 10, 9, 23, 30, tzinfo=SH), PREFS, SH) == datetime(2026, 10, 10, 7, tzinfo=SH)
    # small hours: this morning 07:00
    assert next_allowed(datetime(2026, 10, 10, 3, tzinfo=SH), PREFS, "Asia/Shanghai") == datetime(
        2026, 10, 10, 7, tzinfo=SH
    )
    # daytime: unchanged; naive times are local
    assert next_allowed(datetime(2026, 10, 10, 12), PREFS, SH) == datetime(2026, 10, 10, 12, tzinfo=SH)
    # UTC in, local out: 15:30Z is 23:30 in Shanghai; the month rolls over too
    out = next_allowed(datetime(2026, 10, 31, 15, 30, tzinfo=UTC), PREFS, SH)
    assert out == datetime(2026, 11, 1, 7, tzinfo=SH) and out.utcoffset() == SH.utcoffset(out)


def test_escalations_respect_quiet_hours_unless_urgent() -> None:
    night = datetime(2026, 10, 15, 22, 15, tzinfo=SH)
    assert next_allowed(night, PREFS, SH) == datetime(2026, 10, 16, 7, tzinfo=SH)
    assert next_allowed(night, PREFS, SH, urgent=True) == night


def test_quiet_hours_variants() -> None:
    lunch = Preferences(quiet_start=time(12), quiet_end=time(14))
    assert next_allowed(datetime(2026, 10, 9, 12, 30, tzinfo=SH), lunch, SH) == datetime(2026, 10, 9, 14, tzinfo=SH)
    assert next_allowed(datetime(2026, 10, 9, 23, tzinfo=SH), lunch, SH) == datetime(2026, 10, 9, 23, tzinfo=SH)
    none = Preferences(quiet_start=None, quiet_end=None)
    assert next_allowed(datetime(2026, 10, 9, 23, tzinfo=SH), none, SH).hour == 23
    same = Preferences(quiet_start=time(8), quiet_end=time(8))
    assert not in_quiet_hours(time(8), same)
    with pytest.raises(ValidationError):
        Preferences(quiet_start=time(22), quiet_end=None)
    with pytest.raises(ValidationError):
        Preferences(channel=["sms"])  # type: ignore[call-arg]


def test_quiet_hours_start_at_their_start_and_end_before_their_end() -> None:
    lunch = Preferences(quiet_start=time(12), quiet_end=time(14))
    assert [in_quiet_hours(time(h), lunch) for h in (11, 12, 13, 14)] == [False, True, True, False]
    # at 22:00 sharp the night's quiet hours have begun: held until 07:00 tomorrow, not this morning
    assert next_allowed(datetime(2026, 10, 9, 22, tzinfo=SH), PREFS, SH) == datetime(2026, 10, 10, 7, tzinfo=SH)


def test_preferences_defaults_and_channels() -> None:
    assert PREFS.channels == ["inbox", "email"] and PREFS.language == "zh" and not PREFS.digest
    assert Preferences(channels=["Email", "email", " sms "]).channels == ["email", "sms"]
    with pytest.raises(ValidationError):
        Preferences(channels=["e mail"])


# --- routing and digests --------------------------------------------------------------------------------


def test_route_digest_and_daily_cap() -> None:
    assert route(PREFS, 0, 20, urgent=False) == "send"
    assert route(PREFS, 19, 20, urgent=False) == "send"
    assert route(PREFS, 20, 20, urgent=False) == "digest"  # the unit's cap is reached
    assert route(PREFS, 25, 20, urgent=True) == "send"  # urgent escalations still go out
    assert route(PREFS, 1000, 0, urgent=False) == "send"  # no cap
    digest = Preferences(digest=True)
    assert route(digest, 0, 20, urgent=False) == "digest"
    assert route(digest, 0, 20, urgent=True) == "send"


def test_a_notice_is_not_urgent_unless_said_and_a_cap_of_one_holds_the_second() -> None:
    assert route(Preferences(digest=True), 0, 0) == "digest"
    assert route(PREFS, 1, 1) == "digest"
    assert route(PREFS, 0, 1) == "send"


def test_next_digest_at_reads_a_naive_time_as_local() -> None:
    assert next_digest_at(datetime(2026, 10, 9, 9), PREFS, "Asia/Shanghai") == datetime(2026, 10, 10, 8, tzinfo=SH)


def test_next_digest_at() -> None:
    assert next_digest_at(datetime(2026, 10, 9, 7, tzinfo=SH), PREFS, SH) == datetime(2026, 10, 9, 8, tzinfo=SH)
    assert next_digest_at(datetime(2026, 10, 9, 8, tzinfo=SH), PREFS, SH) == datetime(2026, 10, 10, 8, tzinfo=SH)
    assert next_digest_at(datetime(2026, 10, 9, 20, tzinfo=SH), PREFS, SH) == datetime(2026, 10, 10, 8, tzinfo=SH)
    # 23:00 would be in quiet hours: moved to 07:00 the next morning
    late = Preferences(digest=True, digest_hour=23)
    assert next_digest_at(datetime(2026, 10, 9, 12, tzinfo=SH), late, SH) == datetime(2026, 10, 10, 7, tzinfo=SH)
    # UTC in: 2026-10-09 23:30Z is 07:30 on the 10th in Shanghai
    assert next_digest_at(datetime(2026, 10, 9, 23, 30, tzinfo=UTC), PREFS, SH) == datetime(2026, 10, 10, 8, tzinfo=SH)
