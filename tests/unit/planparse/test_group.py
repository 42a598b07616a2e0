"""The leading group and its office as plans write them: a list of members, a sentence naming the leaders and
the member units, and the office's unit, director and deputies, each pointing back at its words."""

from __future__ import annotations

from luoshi_tasks.planparse.group import find_group, find_office, unit_from_title
from luoshi_tasks.planparse.models import GroupMember, Office
from luoshi_tasks.planparse.text import normalize


def group(text: str) -> list[GroupMember]:
    norm = normalize(text)
    return find_group(norm, norm.paragraphs)


def office(text: str) -> Office | None:
    norm = normalize(text)
    return find_office(norm, norm.paragraphs)


def words(text: str, span: tuple[int, int] | None) -> str:
    assert span is not None
    return text[span[0] : span[1]]


# --- a member's unit, from their posts ----------------------------------------------------------------------


def test_a_member_s_unit_is_the_first_post_that_names_one() -> None:
    assert unit_from_title("县质监局局长") == "县质监局"
    assert unit_from_title("高级工程师、县质监局局长") == "县质监局"  # a post without a position is passed over
    assert unit_from_title("县园林中心办公室主任") == "县园林中心"  # an office inside a department is the department's
    assert unit_from_title("县政府办公室主任") == "县政府办公室"  # the government's office is its own
    assert unit_from_title("分管副县长") is None  # what is left (分管) names no unit
    assert unit_from_title(None) is None


# --- the list form ----------------------------------------------------------------------------------------------


def test_members_in_a_list_with_their_posts_and_words() -> None:
    text = "组长：张新民（县长）、李明（县质监局局长）。"
    members = group(text)
    assert [(m.role, m.name, m.title, m.unit) for m in members] == [
        ("组长", "张新民", "县长", None),
        ("组长", "李明", "县质监局局长", "县质监局"),
    ]
    assert [words(text, m.span) for m in members] == ["张新民（县长）", "李明（县质监局局长）"]


def test_a_member_from_a_table_row_points_at_the_row_even_at_the_end_of_the_text() -> None:
    # the last row ends the text: its span once ran one past it (IndexError, so the whole parse failed)
    text = "组长　孙文涛　县委常委\n副组长　孙若梅　县政府党组成员"
    members = group(text)
    assert [words(text, m.span) for m in members] == ["孙文涛　县委常委", "孙若梅　县政府党组成员"]


def test_a_line_with_a_stop_between_or_words_after_the_entries_is_no_list() -> None:
    assert group("组长：张新民（县长）。李明（副县长）") == []
    assert group("组长：张新民（县长）负责全面工作") == []


def test_a_person_line_without_a_role_above_it_is_no_member() -> None:
    assert group("张新民（县长）") == []
    assert group("加强领导。\n张新民（县长）") == []


# --- the sentence form ----------------------------------------------------------------------------------------


def test_a_group_in_a_sentence_names_its_leaders_and_member_units() -> None:
    text = (
        "成立质量强县工作领导小组，由张新民同志任组长，由县质监局局长任副组长，由副县长任副组长，"
        "县质监局、县工信局等部门为成员，办公室设在县质监局。"
    )
    members = group(text)
    assert [(m.role, m.name, m.title, m.unit) for m in members] == [
        ("组长", "张新民", None, None),
        ("副组长", None, "县质监局局长", "县质监局"),
        ("副组长", None, "副县长", None),  # a post, not a name, though as short as one
        ("成员", None, None, "县质监局"),
        ("成员", None, None, "县工信局"),
    ]
    assert [words(text, m.span) for m in members[:2]] == ["张新民同志任组长", "县质监局局长任副组长"]
    # each member unit points at the list, not at an earlier or later mention of the same unit
    assert [m.span for m in members[3:]] == [
        (text.index("县质监局、"), text.index("县质监局、") + 4),
        (text.index("县工信局"), text.index("县工信局") + 4),
    ]


def test_member_units_at_the_very_start_of_the_text_point_at_it() -> None:
    members = group("县质监局、县工信局等单位为成员的领导小组负责日常工作。")
    assert [(m.unit, m.span) for m in members] == [("县质监局", (0, 4)), ("县工信局", (5, 9))]


def test_a_group_sentence_is_read_from_its_own_paragraph_only() -> None:
    members = group("成立质量强县工作领导小组，县质监局为成员。\n由张新民同志任组长，负责协调。")
    assert [(m.role, m.unit) for m in members] == [("成员", "县质监局")]
    assert group("由张新民同志任组长，县质监局为成员。") == []  # no 领导小组: not the group
    # the members are those of the group's sentence, not of a later paragraph
    later = group("成立质量强县工作领导小组，由张新民同志任组长。\n县质监局、县工信局为成员单位。")
    assert [(m.role, m.name, m.unit) for m in later] == [("组长", "张新民", None)]


# --- the office -------------------------------------------------------------------------------------------------


def test_the_office_s_unit_director_and_deputies() -> None:
    text = "办公室设在县质监局，陈斌同志兼任办公室主任，张新民、孙战峰同志任办公室副主任。"
    found = office(text)
    assert found is not None
    assert (found.unit, found.director, found.deputy_directors) == ("县质监局", "陈斌", ["张新民", "孙战峰"])
    assert words(text, found.span) == text[: len(text) - 1]


def test_the_office_with_only_its_unit_or_only_its_director() -> None:
    assert office("办公室设在县质监局。") == Office(unit="县质监局", span=(0, 9))
    text = "办公室主任由王强同志兼任，办公室副主任由张新民同志、李明同志兼任。"
    found = office(text)
    assert found is not None
    assert (found.unit, found.director, found.deputy_directors) == (None, "王强", ["张新民", "李明"])
    assert office("加强组织领导。") is None
