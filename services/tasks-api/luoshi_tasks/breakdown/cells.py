"""Cell values to text, and unit lists out of a cell."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

# 、 ， , ; ； / and line breaks separate units; a full-width space or tab does too in WPS-typed cells.
_UNIT_SEPARATORS = re.compile(r"[、，,;；/／\r\n\t\u3000]+")
# "发改委、统计局等" / "…等有关单位": the list is open-ended, but the units named are the ones to assign.
_TRAILING_ETC = re.compile(r"\s*等(?:有关|相关)?(?:单位|部门)?$")
_LEAD_MARK = re.compile(r"\s*[（(]\s*牵头\s*[）)]\s*$")
_COOP_MARK = re.compile(r"\s*[（(]\s*(?:配合|协办)\s*[）)]\s*$")


def cell_text(value: Any) -> str:
    """A cell's value as the text a user sees: 1.0 -> "1", an Excel date -> "2012-06-30", None -> ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _split_units(cell: str | None) -> list[str]:
    """Units named in one cell, in order, each once. Names are not checked: the importer does that."""
    if not cell:
        return []
    names = []
    for part in _UNIT_SEPARATORS.split(cell):
        name = _TRAILING_ETC.sub("", part.strip()).strip()
        if name:
            names.append(name)
    return _dedupe(names)


def assign_units(
    lead_cell: str | None, cooperating_cell: str | None, responsible_cell: str | None, *, has_lead_column: bool
) -> tuple[list[str], list[str]]:
    """(lead units, cooperating units) from the three unit columns a table may have.

    A 牵头单位 column wins; 责任单位 then only adds cooperating units. Without one (or where its cell is
    blank), the first unit in 责任单位 leads, unless another is marked "（牵头）".
    """
    cooperating = _split_units(cooperating_cell)
    responsible = _split_units(responsible_cell)
    lead = _split_units(lead_cell) if has_lead_column else []
    if lead:
        extra = responsible
    else:
        marked = [name for name in responsible if _LEAD_MARK.search(name)]
        chosen = marked[0] if marked else (responsible[0] if responsible else None)
        lead = [chosen] if chosen else []
        extra = [name for name in responsible if name != chosen]
    lead = _dedupe([_unmark(name) for name in lead])
    return lead, _dedupe([name for name in map(_unmark, cooperating + extra) if name not in lead])


def _unmark(name: str) -> str:
    return _COOP_MARK.sub("", _LEAD_MARK.sub("", name)) or name
