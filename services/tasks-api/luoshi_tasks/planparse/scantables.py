"""A ruled table on a scanned page, put back together from where OCR found each line (`ocr.RecognisedPage.boxes`).

OCR reads a page line by line across the whole width, so a table's cells come back as fragments: a title's
second line, then the next column's third line. Here a page's lines become text lines and tables again:
- a table starts at a header row: lines side by side (tops within half a line) of which at least three are
  headers the breakdown reader knows (序号, 重点任务, 牵头单位, 完成时限 …), one of them the task column; each
  header line is a column (a narrow header cell's words wrapped onto a second line, 序 / 号, are joined), and the
  page's tilt is read from the header's slope;
- a line below belongs to the last column whose header starts left of it (after the previous header ends), so
  left-aligned and centred cells both fall in their column;
- rows are the bands of lines with a gap between them wider than half a line: a cell's wrapped lines are a
  line apart, a row rule and its cells' padding make a wider gap; a row number in the first column starts a row
  too, with the words level with it. A row whose words begin `一、` (one line, or two wrapped) is a section row
  (merged across the table), kept in the first column;
- the table ends before a line that runs across a column border (a paragraph after the table) or at the page's
  end.

Cells are printed from the top (Word's default), and a row is not split across pages; a table that goes on to
the next page repeats its header there (Word's 标题行重复), which `documents` joins to the table above. A table
with no header row the breakdown reader knows stays text, as before.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from luoshi_tasks.breakdown.headers import field_of_header

Box = tuple[float, float, float, float]
"""left, top, right, bottom of a recognised line, in the page's pixels."""

_MIN_HEADERS = 3
_ROW_NUMBER = re.compile(r"^\s*[(（]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]?[、.．]?\s*$")
_NUMERAL = re.compile(r"[一二三四五六七八九十]{1,3}")
_SECTION = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]?[^\d\s]")


@dataclass
class ScanTable:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    """Each row's cells by column; a section row has one cell."""


Block = str | ScanTable


def _header(lines: list[str], boxes: list[Box], height: float) -> tuple[list[int], list[str], list[int]] | None:
    """The header row: its first lines left to right, each column's header words, and the lines a header cell
    wrapped onto (序 / 号, 牵头 / 单位: taken when the words alone are no header and together are one)."""
    by_left = sorted(range(len(lines)), key=lambda k: boxes[k][0])
    place = {k: n for n, k in enumerate(by_left)}
    for i in range(len(lines)):
        band = _level_with(i, boxes, height, by_left, place[i])
        words, wrapped = [], []
        for k in band:
            text, below = lines[k], _under(k, boxes, height, band)
            if field_of_header(text) is None and below and field_of_header(text + "".join(lines[j] for j in below)):
                text += "".join(lines[j] for j in below)
                wrapped += below
            words.append(text)
        known = [f for w in words if (f := field_of_header(w)) is not None]
        if len(known) >= _MIN_HEADERS and "title" in known and len(set(known)) == len(known):
            return band, words, wrapped
    return None


def _level_with(i: int, boxes: list[Box], height: float, by_left: list[int], pos: int) -> list[int]:
    """Line i (at `pos` in `by_left`) and the lines level with it, left to right: each within half a line of the
    height of its neighbour towards i, not of line i itself, since on a page scanned askew a row's height drifts
    across the page (a degree is 17 px over a 1000 px table, more than half a line)."""
    band = [i]
    for step in (1, -1):
        last, j = i, pos + step
        while 0 <= j < len(by_left):
            k = by_left[j]
            if abs(boxes[k][1] - boxes[last][1]) <= height / 2:
                band.append(k)
                last = k
            j += step
    return sorted(band, key=lambda k: boxes[k][0])


def _under(k: int, boxes: list[Box], height: float, band: list[int]) -> list[int]:
    """The lines straight under line k, a line apart (the rest of its cell), top to bottom."""
    found, last = [], k
    while True:
        nxt = next(
            (
                j
                for j in range(len(boxes))
                if j not in band
                and j not in found
                and 0 <= boxes[j][1] - boxes[last][3] <= height / 2
                and boxes[j][0] < boxes[k][2]
                and boxes[j][2] > boxes[k][0]
            ),
            None,
        )
        if nxt is None:
            return found
        found.append(nxt)
        last = nxt


def page_blocks(lines: list[str], boxes: list[Box]) -> list[Block]:
    """The page's lines in reading order, a table among them as one `ScanTable`."""
    if len(boxes) != len(lines) or not lines:
        return list(lines)
    height = statistics.median(b[3] - b[1] for b in boxes)
    found = _header(lines, boxes, height)
    if found is None:
        return list(lines)
    head, header_words, wrapped = found
    first, last = boxes[head[0]], boxes[head[-1]]
    centre = (first[0] + first[2]) / 2
    slope = ((last[1] + last[3]) / 2 - (first[1] + first[3]) / 2) / max((last[0] + last[2]) / 2 - centre, 1.0)

    def top(k: int) -> float:
        return boxes[k][1] - slope * ((boxes[k][0] + boxes[k][2]) / 2 - centre)

    def bottom(k: int) -> float:
        return boxes[k][3] - slope * ((boxes[k][0] + boxes[k][2]) / 2 - centre)

    header_bottom = max(bottom(k) for k in (*head, *wrapped))
    lefts = [boxes[k][0] for k in head]
    rights = [boxes[k][2] for k in head]

    def column(k: int) -> int:
        return max((c for c in range(len(head)) if c == 0 or boxes[k][0] >= rights[c - 1]), default=0)

    def crosses(k: int) -> bool:
        c = column(k)
        return c + 1 < len(head) and boxes[k][2] > lefts[c + 1] + height / 2

    taken = {*head, *wrapped}
    below = sorted((k for k in range(len(lines)) if k not in taken and top(k) > header_bottom - height / 2), key=top)
    above = [k for k in range(len(lines)) if k not in taken and k not in below]
    # rows: bands of lines separated by more than half a line, or begun by a number in the first column
    bands: list[list[int]] = []
    reach = start = 0.0
    for k in below:
        numbered = column(k) == 0 and bool(_ROW_NUMBER.match(lines[k])) and top(k) - start > height / 2
        if not bands or top(k) - reach > height / 2 or numbered:
            # a row number's box often sits a little lower than its row's words (a digit is shorter than a
            # character), so the words level with it, taken into the row above before it came, are its row's
            level = [j for j in bands[-1] if top(k) - top(j) <= height / 2] if numbered and bands else []
            if level:
                bands[-1] = [j for j in bands[-1] if j not in level]
            bands.append(level)
            reach = max((bottom(j) for j in level), default=bottom(k))
            start = min((top(j) for j in level), default=top(k))
        bands[-1].append(k)
        reach = max(reach, bottom(k))
    table = ScanTable(header_words)
    after: list[int] = []
    for n, band in enumerate(bands):
        one_line = max(top(k) for k in band) - min(top(k) for k in band) <= height / 2
        parts = [lines[k] for k in sorted(band, key=lambda k: boxes[k][0] if one_line else top(k))]
        words = "".join(parts)
        # a section row: one line (OCR may read its numeral apart) or a long heading wrapped onto a second line
        if len(band) <= 2 and _SECTION.match(words) and not _ROW_NUMBER.match(words):
            # a numeral OCR read apart from the heading is its number, whether or not it saw the 、 after it
            if one_line and len(parts) == 2 and _NUMERAL.fullmatch(parts[0]):
                words = f"{parts[0]}、{parts[1]}"
            table.rows.append([words])
            continue
        if any(crosses(k) for k in band):
            after = [k for rest in bands[n:] for k in rest]
            break
        cells = [[k for k in band if column(k) == c] for c in range(len(head))]
        table.rows.append(["".join(lines[k] for k in sorted(cell, key=top)) for cell in cells])
    return [*(lines[k] for k in above), table, *(lines[k] for k in sorted(after, key=top))]
