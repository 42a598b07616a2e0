"""Unit-name normalisation, alias matching with government prefixes, and splitting a cell of units."""

from __future__ import annotations

import pytest

from luoshi_tasks.naming import (
    UnitMatcher,
    UnitNameAmbiguous,
    UnitNameError,
    UnitNameUnknown,
    normalize_name,
    split_unit_list,
)

XIAYI = [
    (1, "夏邑县质量技术监督局", "质监局", ["县质监局"]),
    (2, "夏邑县市场监督管理局", "市场监管局", ["县市场监管局"]),
    (3, "夏邑县人民政府", "县政府", []),
    (4, "商丘市人民政府", "市政府", []),
    (5, "夏邑县广播电视局", None, ["广电局"]),
    (6, "夏邑县产业集聚区管理委员会", "产业集聚区管委会", []),
]


@pytest.fixture
def matcher() -> UnitMatcher[int]:
    return UnitMatcher(XIAYI, regions=["夏邑县"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("質監局", "质监局"),
        ("  夏邑縣 質量技術監督局\n", "夏邑县质量技术监督局"),
        ("ＡＢＣ质监局", "ABC质监局"),
        ("质监局。", "质监局"),
        ("“质监局”，", "质监局"),
        ("【质监局】", "质监局"),
        ("某某（集团）有限公司", "某某(集团)有限公司"),
        ("、", ""),
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("name", "unit_id"),
    [
        ("夏邑县质量技术监督局", 1),  # full name
        ("质监局", 1),  # short name
        ("县质监局", 1),  # alias
        ("質監局", 1),  # traditional characters
        (" 质监局。", 1),
        ("夏邑县质监局", 1),  # the issuer's region in front of the short name
        ("广电局", 5),
        ("县广电局", 5),  # a level prefix in front of an alias
        ("市场监管局", 2),  # 市场 is not the city level
        ("夏邑县市场监管局", 2),
        ("夏邑县政府", 3),
        ("市政府", 4),
        ("管委会", None),
    ],
)
def test_match(matcher: UnitMatcher[int], name: str, unit_id: int | None) -> None:
    if unit_id is None:
        with pytest.raises(UnitNameError):
            matcher.match(name)
    else:
        assert matcher.match(name) == unit_id


def test_county_and_city_levels_do_not_match_each_other() -> None:
    matcher = UnitMatcher([(4, "商丘市人民政府", "市政府", [])], regions=["夏邑县"])
    with pytest.raises(UnitNameUnknown):
        matcher.match("县政府")


def test_same_short_name_in_two_units_is_ambiguous() -> None:
    units = [*XIAYI, (7, "商丘市质量技术监督局", "市质监局", [])]
    matcher = UnitMatcher(units, regions=["夏邑县"])
    assert matcher.match("质监局") == 1  # an exact short name wins before prefixes are stripped
    bare = UnitMatcher(
        [(1, "夏邑县质量技术监督局", None, ["县质监局"]), (7, "商丘市质量技术监督局", None, ["市质监局"])]
    )
    with pytest.raises(UnitNameAmbiguous) as info:
        bare.match("质监局")
    assert info.value.name == "质监局"
    assert info.value.candidates == [(1, "夏邑县质量技术监督局"), (7, "商丘市质量技术监督局")]
    assert "歧义" in str(info.value) and "several units" in str(info.value)


def test_duplicate_alias_is_ambiguous_at_the_exact_level() -> None:
    matcher = UnitMatcher([(1, "甲局", None, ["办公室"]), (2, "乙局", None, ["办公室"])])
    with pytest.raises(UnitNameAmbiguous) as info:
        matcher.match("辦公室")
    assert [unit_id for unit_id, _ in info.value.candidates] == [1, 2]


def test_unknown_name_lists_similar_candidates(matcher: UnitMatcher[int]) -> None:
    with pytest.raises(UnitNameUnknown) as info:
        matcher.match("质检局")
    assert isinstance(info.value, ValueError)
    assert info.value.candidates[0] == (1, "夏邑县质量技术监督局")
    assert len(info.value.candidates) <= 5
    assert "未找到" in str(info.value) and "no unit" in str(info.value)


def test_unknown_name_candidates_by_containment(matcher: UnitMatcher[int]) -> None:
    with pytest.raises(UnitNameUnknown) as info:
        matcher.match("集聚区管委会办公室")
    assert (6, "夏邑县产业集聚区管理委员会") in info.value.candidates


def test_candidates_are_capped_at_five() -> None:
    units = [(i, f"第{i}质量监督站", None, []) for i in range(10)]
    with pytest.raises(UnitNameUnknown) as info:
        UnitMatcher(units).match("质量监督站")
    assert len(info.value.candidates) == 5


def test_nothing_like_it_gives_no_candidates(matcher: UnitMatcher[int]) -> None:
    with pytest.raises(UnitNameUnknown) as info:
        matcher.match("教育体育局")
    assert info.value.candidates == []


def test_empty_name_is_unknown(matcher: UnitMatcher[int]) -> None:
    with pytest.raises(UnitNameUnknown):
        matcher.match("  ")


def test_province_region_prefix() -> None:
    matcher = UnitMatcher([(1, "河北省质量技术监督局", "省质监局", [])], regions=["河北省"])
    assert matcher.match("河北省质监局") == 1
    assert matcher.match("质监局") == 1


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("省质监局、省农业厅、省林业厅", ["省质监局", "省农业厅", "省林业厅"]),
        (
            "质监局，发改委,财政局;工信局；统计局/科技局",
            ["质监局", "发改委", "财政局", "工信局", "统计局", "科技局"],
        ),
        ("质监局\n发改委\r\n财政局", ["质监局", "发改委", "财政局"]),
        ("质监局  发改委\u3000财政局", ["质监局", "发改委", "财政局"]),
        ("质监局、发改委等", ["质监局", "发改委"]),
        ("质监局、、 发改委、", ["质监局", "发改委"]),
        ("质监局、發改委、发改委、质监局", ["质监局", "發改委"]),
        ("各设区市政府、县(市、区)政府", ["各设区市政府", "县(市、区)政府"]),
        ("", []),
        (" 、 ", []),
    ],
)
def test_split_unit_list(cell: str, expected: list[str]) -> None:
    assert split_unit_list(cell) == expected


def test_region_written_without_its_level_fits_any_level() -> None:
    matcher = UnitMatcher([(1, "夏邑县质量技术监督局", None, ["县质监局"])], regions=["夏邑"])
    assert matcher.match("夏邑质监局") == 1


def test_city_region_does_not_reach_a_county_unit() -> None:
    matcher = UnitMatcher([(1, "夏邑县质量技术监督局", None, ["县质监局"])], regions=["夏邑县", "商丘市"])
    assert matcher.match("夏邑县质监局") == 1
    with pytest.raises(UnitNameUnknown) as info:
        matcher.match("商丘市质监局")
    assert info.value.candidates == [(1, "夏邑县质量技术监督局")]
