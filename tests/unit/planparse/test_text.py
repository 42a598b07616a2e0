"""The text made regular for reading (`normalize`): spaces as a reader sees them, junk lines dropped, lines
joined into paragraphs as a reader would join them, and the map from every character back to the original."""

from __future__ import annotations

import pytest

from luoshi_tasks.planparse.text import NormalizedText, fold, normalize, to_simplified


def paragraphs(text: str) -> list[str]:
    norm = normalize(text)
    return [norm.para_display(p) for p in norm.paragraphs]


def assert_maps_back(norm: NormalizedText) -> None:
    """Each character shown came from the same character of the original (simplified), and each space or
    newline put in stands for whitespace there."""
    assert len(norm.display) == len(norm.match) == len(norm.origin)
    for i, shown in enumerate(norm.display):
        source = norm.original[norm.origin[i]]
        if shown in " \n":
            assert source.isspace(), (i, shown, source)
        else:
            assert to_simplified(source) == shown, (i, shown, source)


# --- spaces ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("组 长 孙文涛", "组长孙文涛"),  # one space between Chinese characters is the typesetter's
        ("组长  孙文涛", "组长 孙文涛"),  # two spaces are a gap between table cells
        ("组长\t孙文涛", "组长 孙文涛"),  # as is a tab
        ("组长\u3000孙文涛", "组长 孙文涛"),  # or an ideographic space
        ("通过ISO 9001 认证", "通过ISO 9001认证"),  # a space between two Latin words stays
        ("质\u200b量\ufeff工作", "质量工作"),  # zero-width characters are dropped
        ("　 质量工作 \t", "质量工作"),  # leading and trailing whitespace is dropped
    ],
)
def test_spaces_are_kept_only_where_a_reader_sees_a_gap(line: str, shown: str) -> None:
    norm = normalize(line)
    assert norm.display == shown
    assert_maps_back(norm)


def test_a_gap_of_zero_width_characters_only_between_latin_words_is_no_space() -> None:
    assert normalize("ISO\u200b9001").display == "ISO9001"


def test_full_width_forms_are_folded_for_matching_only() -> None:
    norm = normalize("（一）合格率达到９５％。")
    assert norm.display == "（一）合格率达到９５％。"
    assert norm.match == "(一)合格率达到95%。"
    assert fold("１：２") == "1:2"


def test_traditional_characters_are_shown_simplified_at_the_same_positions() -> None:
    norm = normalize("質量強縣")
    assert norm.display == "质量强县"
    assert list(norm.origin) == [0, 1, 2, 3]


@pytest.mark.parametrize("junk", ["上一篇：关于开展质量月活动的通知", "时间：2022-08-10 01:29:11", "【打印本页】"])
def test_web_page_furniture_is_dropped(junk: str) -> None:
    assert paragraphs(f"一、主要任务\n{junk}\n（一）开展质量提升行动。") == ["一、主要任务", "（一）开展质量提升行动。"]


# --- the map back to the original ---------------------------------------------------------------------------


def test_every_character_maps_back_to_the_original() -> None:
    text = "某县人民政府\n\n 一、主要任务 \n（一）组 长  孙文涛，加强ISO\n9001认证工作\n\n管理。\n2015年4月9日"
    norm = normalize(text)
    assert_maps_back(norm)
    assert norm.display == "某县人民政府\n一、主要任务\n（一）组长 孙文涛，加强ISO 9001认证工作管理。\n2015年4月9日"


def test_original_span_of_a_range_and_of_an_empty_range() -> None:
    text = "一、任务\n组 长 孙文涛"
    norm = normalize(text)
    start = norm.display.index("组")
    assert norm.original_span(start, start + 2) == (text.index("组"), text.index("长") + 1)
    assert norm.original_span(start, start) == (text.index("组"), text.index("组"))
    end = len(norm.display)
    assert norm.original_span(end, end) == (len(text), len(text))  # past the last character: the text's end


# --- lines joined into paragraphs ------------------------------------------------------------------------------


def test_a_line_broken_mid_sentence_joins_the_next() -> None:
    assert paragraphs("加强质量管理，提升\n\n产品质量水平。") == ["加强质量管理，提升产品质量水平。"]


def test_a_short_line_without_punctuation_is_a_heading_of_its_own() -> None:
    assert paragraphs("加强质量管理\n提升产品质量水平。") == ["加强质量管理", "提升产品质量水平。"]


def test_a_numbered_line_starts_a_paragraph_unless_the_line_before_stops_on_a_comma() -> None:
    assert paragraphs("全面提升质量水平，推动\n（一）开展行动。") == ["全面提升质量水平，推动", "（一）开展行动。"]
    assert paragraphs("按照以下要求，\n（一）开展行动。") == ["按照以下要求，（一）开展行动。"]


def test_latin_words_broken_across_lines_keep_a_space() -> None:
    norm = normalize("推动企业，通过ISO\n9001认证。")
    assert norm.display == "推动企业，通过ISO 9001认证。"
    assert_maps_back(norm)


def test_a_bracket_after_a_full_stop_ends_the_paragraph() -> None:
    text = "开展质量提升行动，年底前完成。（责任单位：市质监局）\n加强品牌培育，建立制度。"
    assert paragraphs(text) == ["开展质量提升行动，年底前完成。（责任单位：市质监局）", "加强品牌培育，建立制度。"]


def test_a_line_that_is_all_bracket_ends_the_paragraph() -> None:
    text = "开展质量提升行动，年底前完成\n（责任单位：市质监局、市工信局）\n加强品牌培育，建立制度。"
    assert paragraphs(text)[-1] == "加强品牌培育，建立制度。"


def test_a_bracket_in_the_middle_of_a_sentence_does_not_end_it() -> None:
    assert paragraphs("鼓励各类主体，支持企业（单位）\n开展质量提升。") == [
        "鼓励各类主体，支持企业（单位）开展质量提升。"
    ]
    nested = "鼓励各类主体，支持企业（含（外资）单位）\n开展质量提升。"
    assert paragraphs(nested) == ["鼓励各类主体，支持企业（含（外资）单位）开展质量提升。"]


def test_a_leading_group_entry_in_brackets_ends_its_paragraph() -> None:
    assert paragraphs("陈斌（县政府党组成员、副县长）\n负责全面工作。") == [
        "陈斌（县政府党组成员、副县长）",
        "负责全面工作。",
    ]


def test_a_bracket_whose_opening_is_on_an_earlier_line_does_not_by_itself_end_the_paragraph() -> None:
    assert paragraphs("鼓励各类主体，支持企业（含\n外资企业）\n开展质量提升。") == [
        "鼓励各类主体，支持企业（含外资企业）开展质量提升。"
    ]


def test_the_bracket_that_counts_is_the_one_the_last_closes() -> None:
    # the clause's bracket follows a full stop; the (区) inside it does not
    text = "开展质量提升行动，年底前完成。（责任单位：市（区）质监局）\n加强品牌培育，建立制度。"
    assert paragraphs(text) == [
        "开展质量提升行动，年底前完成。（责任单位：市（区）质监局）",
        "加强品牌培育，建立制度。",
    ]


@pytest.mark.parametrize(
    "line",
    ["附件：名单", "顾问：王强", "2015年4月9日", "夏政〔2015〕3号", "陈斌（县政府党组成员）", "陈斌　县政府党组成员"],
)
def test_a_label_date_document_number_or_member_line_starts_a_paragraph(line: str) -> None:
    assert paragraphs(f"各单位要加强质量管理，提升\n{line}") == ["各单位要加强质量管理，提升", line.replace("　", " ")]


def test_the_punctuation_of_a_heading_s_number_does_not_make_it_a_sentence() -> None:
    # 一、 holds a 、, but 主要任务 is a heading: the next line is a paragraph of its own
    assert paragraphs("一、主要任务\n加强质量管理。") == ["一、主要任务", "加强质量管理。"]


def test_a_latin_word_and_a_digit_across_a_line_break_are_two_words() -> None:
    assert normalize("产品质量，达到A\n1级。").display == "产品质量，达到A 1级。"
    assert normalize("年产值，达到RMB\n5亿元。").display == "年产值，达到RMB 5亿元。"
    assert normalize("推动企业，通过ISO\n认证。").display == "推动企业，通过ISO认证。"
    assert normalize("推动企业，年底前完成\n9001认证。").display == "推动企业，年底前完成9001认证。"


def test_a_text_of_nothing_but_junk_has_no_paragraph() -> None:
    assert normalize("").paragraphs == ()
    assert normalize("上一篇：关于开展质量月活动的通知\n \n").paragraphs == ()


def test_a_paragraph_ending_in_a_stop_is_closed() -> None:
    assert paragraphs("提升产品质量水平。\n加强质量管理，提升。") == ["提升产品质量水平。", "加强质量管理，提升。"]


# --- the page width of a PDF copy ---------------------------------------------------------------------------

CUT = "质量强县战略部署要求各级各有关部门认"  # 18 characters, no punctuation
BODY = (
    "各县区要加强质量工作，推动企业提升产品质量水平，全面落实质量强县战略部署，建立健全质量工作机制，确保各项任务落到实处，"
    "不断提高全县质量管理水平和产品质量"
)


def pdf_lines(width: int, count: int) -> list[str]:
    """`count` lines of BODY cut every `width` characters, as a PDF's page width cuts them, then a full stop."""
    lines = [BODY[i * width : (i + 1) * width] for i in range(count)]
    assert all(len(line) == width and line[-1] not in "，。" for line in lines)
    return [*lines, "各项任务落到实处。"]


def test_in_a_pdf_copy_a_line_as_long_as_the_page_is_wide_is_cut_text() -> None:
    # three lines cut at 20: the width is 20, and an unpunctuated line of 18 or more is cut by it too
    cut = CUT
    assert paragraphs("\n".join([*pdf_lines(20, 3), cut, "落实到位。"]))[-1] == cut + "落实到位。"
    short = cut[:17]
    assert paragraphs("\n".join([*pdf_lines(20, 3), short, "落实到位。"]))[-2:] == [short, "落实到位。"]


def test_whole_sentences_and_headings_do_not_count_towards_the_page_width() -> None:
    # sentences that end, lines that end in a bracket, and lines without punctuation are not cut by the width
    others = ["加强质量管理，提升质量。", "加强质量管理，完善（制度）", "各县区加强质量管理工作"] * 4
    cut = CUT
    end = "各项任务落到实处。"
    assert paragraphs("\n".join([*pdf_lines(20, 3), *others, end, cut, "落实到位。"]))[-1] == cut + "落实到位。"
    short = [*pdf_lines(20, 3), *others, end, cut[:17], "落实到位。"]
    assert paragraphs("\n".join(short))[-2:] == [cut[:17], "落实到位。"]


def test_a_page_width_needs_a_quarter_of_the_cut_lines() -> None:
    # 3 lines cut at 20 among 12 cut lines is a quarter: enough; a 13th line of another length makes it less
    lengths = (24, 27, 30, 33, 36, 39, 42, 45, 48)
    odd = ["，" + BODY[: n - 2] + "量" for n in lengths]
    assert all(len(line) == n for line, n in zip(odd, lengths, strict=True))
    enough = [*pdf_lines(20, 3), *odd, "各项任务落到实处。", CUT, "落实到位。"]
    assert paragraphs("\n".join(enough))[-1] == CUT + "落实到位。"
    too_few = [*pdf_lines(20, 3), *odd, "，" + BODY[:49] + "量", "各项任务落到实处。", CUT, "落实到位。"]
    assert paragraphs("\n".join(too_few))[-2:] == [CUT, "落实到位。"]


def test_the_width_is_the_length_most_lines_share_with_their_neighbours() -> None:
    # 21, 20, 21: the width is 21, so an unpunctuated line of 19 is cut text and one of 18 a heading
    lines = ["1" + BODY[:20], BODY[20:40], "2" + BODY[40:60], "各项任务落到实处。"]
    longer = CUT + "真"
    assert paragraphs("\n".join([*lines, longer, "落实到位。"]))[-1] == longer + "落实到位。"
    assert paragraphs("\n".join([*lines, CUT, "落实到位。"]))[-2:] == [CUT, "落实到位。"]


def test_two_cut_lines_are_too_few_to_tell_a_page_width() -> None:
    cut = CUT
    assert paragraphs("\n".join([*pdf_lines(20, 2), cut, "落实到位。"]))[-2:] == [cut, "落实到位。"]


def test_lines_a_character_shorter_count_towards_the_same_width() -> None:
    # two lines of 20 and one of 21 (a digit is narrower than a Chinese character): the width is 20
    lines = [BODY[:20], BODY[20:40], "1" + BODY[40:60], "各项任务落到实处。"]
    cut = CUT
    assert paragraphs("\n".join([*lines, cut, "落实到位。"]))[-1] == cut + "落实到位。"


def test_to_simplified_converts_whole_phrases() -> None:
    assert to_simplified("abc") == "abc"
    assert to_simplified("質量強縣") == "质量强县"
    # by the phrase, not character by character: 瞭解 is 了解, while 瞭 alone stays (瞭望); 乾隆 is a name
    assert to_simplified("瞭解情況") == "了解情况"
    assert to_simplified("乾隆年間") == "乾隆年间"
