"""A breakdown table's cells as a user reads them, and who leads from the unit columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi_tasks.breakdown.cells import assign_units, cell_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (True, "是"),
        (False, "否"),
        (1.0, "1"),  # Excel stores every number as a float: 序号 1 is 1.0
        (2.5, "2.5"),
        (7, "7"),
        (Decimal("0.80"), "0.80"),
        (dt.datetime(2012, 6, 30), "2012-06-30"),  # an Excel date is a datetime at midnight
        (dt.datetime(2012, 6, 30, 14, 30, 15), "2012-06-30 14:30"),
        (dt.date(2012, 6, 30), "2012-06-30"),
        (dt.time(9, 30, 15), "09:30"),
        ("  市质监局\r\n市统计局\r市工信局  ", "市质监局\n市统计局\n市工信局"),  # Windows and old Mac line breaks
    ],
)
def test_cell_text_is_what_the_user_sees(value: object, shown: str) -> None:
    assert cell_text(value) == shown


def test_a_lead_cell_counts_only_under_a_lead_column() -> None:
    # a table without a 牵头单位 column: the first responsible unit leads, whatever else is passed
    assert assign_units("市财政局", None, "市质监局、市统计局", has_lead_column=False) == (["市质监局"], ["市统计局"])


def test_cooperation_marks_are_dropped_from_unit_names() -> None:
    assert assign_units("市质监局", "市统计局（配合）、市工信局(协办)", None, has_lead_column=True) == (
        ["市质监局"],
        ["市统计局", "市工信局"],
    )
