"""Numbering markers and Chinese numerals as plans write them."""

from __future__ import annotations

import pytest

from luoshi_tasks.planparse.patterns import Marker, cn_int, marker_at


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十七", 27), ("一二", 12), ("二〇一五", 2015)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert cn_int(numeral) == value


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("十二、加强领导", Marker(0, 12, 3)),
        ("(二十七)加强领导", Marker(1, 27, 5)),
        ("12.加强领导", Marker(2, 12, 3)),
        ("(3)加强领导", Marker(3, 3, 3)),
        ("①加强领导", Marker(4, 1, 1)),
        ("⑤加强领导", Marker(4, 5, 1)),
        ("⑳加强领导", Marker(4, 20, 1)),
    ],
)
def test_markers_give_their_level_and_number(line: str, marker: Marker) -> None:
    assert marker_at(line) == marker
