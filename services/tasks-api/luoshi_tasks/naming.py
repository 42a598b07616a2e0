"""Unit names (单位名称) as plans and spreadsheets write them, matched to the units the system knows.

A plan writes 质监局 where the unit is 夏邑县质量技术监督局; a spreadsheet may be in traditional characters or
full-width punctuation. Matching never guesses: a name that fits several units, or none, is an error that
lists the candidates so the office can choose.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from typing import Generic, TypeVar

import opencc

__all__ = [
    "UnitMatcher",
    "UnitNameAmbiguous",
    "UnitNameError",
    "UnitNameUnknown",
    "normalize_name",
    "split_unit_list",
]

UnitId = TypeVar("UnitId", bound=Hashable)

_T2S = opencc.OpenCC("t2s")
_OPENERS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "<": ">",
    "《": "》",
    "“": "”",
    "‘": "’",
    "〔": "〕",
    "【": "】",
    "「": "」",
}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_LEVELS = ("省", "市", "县")
# "市场监管局" starts with 市 but is not a city-level name
_NOT_A_LEVEL = ("市场",)
_MAX_CANDIDATES = 5


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _enclosed(s: str) -> bool:
    """True when the first character opens a bracket that the last one closes: "【质监局】"."""
    if len(s) < 2 or _OPENERS.get(s[0]) != s[-1]:
        return False
    depth = 0
    for ch in s[:-1]:
        depth += (ch == s[0]) - (ch == s[-1])
        if depth == 0:
            return False
    return True


def _strip_punct(s: str) -> str:
    """Drop surrounding punctuation, keeping a bracket whose partner is inside the name ("某某(集团)")."""
    while s:
        if _enclosed(s):
            s = s[1:-1]
        elif _is_punct(s[-1]) and not (s[-1] in _CLOSERS and _CLOSERS[s[-1]] in s[:-1]):
            s = s[:-1]
        elif _is_punct(s[0]) and not (s[0] in _OPENERS and _OPENERS[s[0]] in s[1:]):
            s = s[1:]
        else:
            return s
    return s


def normalize_name(s: str) -> str:
    """Simplified characters, half-width forms (NFKC), no whitespace, no surrounding punctuation."""
    return _strip_punct(re.sub(r"\s+", "", unicodedata.normalize("NFKC", _T2S.convert(s))))


class UnitNameError(ValueError):
    """A unit name that does not identify exactly one unit; `.candidates` are (unit_id, full_name) pairs."""

    reason_zh = "单位名称无法确定"
    reason_en = "unit name does not identify one unit"

    def __init__(self, name: str, candidates: Sequence[tuple[Hashable, str]] = ()) -> None:
        self.name = name
        self.candidates: list[tuple[Hashable, str]] = list(candidates)
        listed = "、".join(full for _, full in self.candidates) or "无 / none"
        super().__init__(f"{self.reason_zh}：“{name}”，候选：{listed}。{self.reason_en}: {name!r}.")


class UnitNameUnknown(UnitNameError):
    """No unit has this name; candidates are the most similar names."""

    reason_zh = "未找到单位"
    reason_en = "no unit has this name"


class UnitNameAmbiguous(UnitNameError):
    """Several units fit this name equally well; candidates are all of them."""

    reason_zh = "单位名称有歧义"
    reason_en = "several units have this name"


def _cores(name: str, regions: Sequence[str]) -> set[tuple[str, str | None]]:
    """The name without a leading region or level, with the level it named ("县质监局" -> ("质监局", "县")).

    The level is kept so that 县政府 never matches 市政府 merely because both end in 政府.
    """
    cores: set[tuple[str, str | None]] = {(name, None)}
    for region in regions:
        if name.startswith(region) and len(name) > len(region) + 1:
            # "夏邑县" names the county level; a region written without its level ("夏邑") fits any
            level = region[-1] if region[-1] in _LEVELS else None
            cores.add((name[len(region) :], level))
    if name[:1] in _LEVELS and len(name) > 2 and not name.startswith(_NOT_A_LEVEL):
        cores.add((name[1:], name[0]))
    return cores


def _fits(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


class UnitMatcher(Generic[UnitId]):
    """Finds the unit a name refers to among `(unit_id, full_name, short_name, aliases)` rows.

    `regions` are the issuer's region names (e.g. "夏邑县", "河北省") that plans drop in front of a unit.
    """

    def __init__(
        self,
        units: Iterable[tuple[UnitId, str, str | None, Iterable[str]]],
        *,
        regions: Iterable[str] = (),
    ) -> None:
        self._regions = sorted({normalize_name(r) for r in regions} - {""})
        self._full: dict[UnitId, str] = {}
        self._exact: dict[str, list[UnitId]] = {}
        self._cores: list[tuple[tuple[str, str | None], UnitId]] = []
        self._keys: list[tuple[str, UnitId]] = []
        for unit_id, full_name, short_name, aliases in units:
            self._full[unit_id] = full_name
            names = {normalize_name(n) for n in (full_name, short_name or "", *aliases)} - {""}
            for key in names:
                self._exact.setdefault(key, []).append(unit_id)
                self._keys.append((key, unit_id))
                self._cores.extend((core, unit_id) for core in _cores(key, self._regions))

    def _pairs(self, ids: Iterable[UnitId]) -> list[tuple[UnitId, str]]:
        return [(i, self._full[i]) for i in dict.fromkeys(ids)]

    def match(self, name: str) -> UnitId:
        """The id of the one unit `name` refers to; raises `UnitNameUnknown` or `UnitNameAmbiguous`."""
        key = normalize_name(name)
        for level in (self._exact.get(key, []), self._by_core(key)):
            found = list(dict.fromkeys(level))
            if len(found) == 1:
                return found[0]
            if found:
                raise UnitNameAmbiguous(name, self._pairs(found))
        raise UnitNameUnknown(name, self.candidates(name))

    def _by_core(self, key: str) -> list[UnitId]:
        if not key:
            return []
        wanted = _cores(key, self._regions)
        return [unit_id for core, unit_id in self._cores if any(_fits(core, w) for w in wanted)]

    def candidates(self, name: str, limit: int = _MAX_CANDIDATES) -> list[tuple[UnitId, str]]:
        """Units whose names look most like `name`, best first (for "did you mean" lists)."""
        key = normalize_name(name)
        if not key:
            return []
        wanted = {core for core, _ in _cores(key, self._regions)}
        best: dict[UnitId, float] = {}
        for other, unit_id in self._keys:
            score = max(difflib.SequenceMatcher(None, w, other).ratio() for w in wanted)
            # containment is a strong hint ("质监局" in "县质监局") that ratio alone undervalues
            if any(len(w) >= 2 and (w in other or other in w) for w in wanted):
                score += 0.5
            best[unit_id] = max(best.get(unit_id, 0.0), score)
        ranked = sorted(best.items(), key=lambda pair: -pair[1])  # stable: ties keep the units' order
        return self._pairs([unit_id for unit_id, score in ranked if score >= 0.4][:limit])


_SEPARATORS = re.compile(r"[、，,;；/／|｜\s]+")
_TRAILING_ETC = re.compile(r"等(?:单位|部门)?$")


def _split_outside_brackets(cell: str) -> list[str]:
    """Split on separators except inside brackets: "县(市、区)政府" is one unit."""
    items, current, depth = [], [], 0
    for ch in cell:
        if ch in "(（[【〔《":
            depth += 1
        elif ch in ")）]】〕》" and depth:
            depth -= 1
        if depth == 0 and _SEPARATORS.fullmatch(ch):
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return items


def split_unit_list(cell: str) -> list[str]:
    """Unit names in a cell separated by 、，,;；/ newlines or spaces, without a trailing 等, de-duplicated.

    Items keep their wording minus surrounding punctuation; duplicates are found on normalised names.
    """
    seen: set[str] = set()
    out: list[str] = []
    for raw in _split_outside_brackets(cell or ""):
        item = _strip_punct(_TRAILING_ETC.sub("", _strip_punct(raw.strip())))
        key = normalize_name(item)
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out
