"""Where a plan's body ends: at an attachment, or at the date that signs it, with the issuer's name above the
date counted in the signature only when it is a bare name."""

from __future__ import annotations

from luoshi_tasks.planparse.outline import build_outline
from luoshi_tasks.planparse.text import normalize


def parts(text: str) -> tuple[list[str], list[str], list[str]]:
    """The header's paragraphs, each item's own text, and the tail's paragraphs."""
    norm = normalize(text)
    outline = build_outline(norm)
    nodes = [norm.match[n.start : n.end] for n in outline.nodes]
    return [norm.para_match(p) for p in outline.header], nodes, [norm.para_match(p) for p in outline.tail]


def test_a_text_without_numbered_items_is_all_header() -> None:
    assert parts("某县人民政府\n关于质量工作的通知") == (["某县人民政府", "关于质量工作的通知"], [], [])


def test_the_issuer_s_name_above_the_date_is_part_of_the_signature() -> None:
    assert parts("一、任务\n(一)开展行动。\n某县人民政府\n2015年4月9日") == (
        [],
        ["一、任务", "(一)开展行动。"],
        ["某县人民政府", "2015年4月9日"],
    )


def test_a_sentence_or_a_heading_above_the_date_stays_in_the_body() -> None:
    for above in ("请认真贯彻执行。", "加强领导"):
        _, nodes, tail = parts(f"一、任务\n(一)开展行动。\n{above}\n2015年4月9日")
        assert (nodes[-1], tail) == (f"(一)开展行动。\n{above}", ["2015年4月9日"])


def test_a_numbered_item_named_like_an_issuer_above_the_date_stays_in_the_body() -> None:
    _, nodes, tail = parts("一、任务\n(一)县质监局\n2015年4月9日")
    assert (nodes[-1], tail) == ("(一)县质监局", ["2015年4月9日"])


def test_an_attachment_right_after_the_first_item_ends_the_body() -> None:
    assert parts("一、任务\n附件:名单") == ([], ["一、任务"], ["附件:名单"])
