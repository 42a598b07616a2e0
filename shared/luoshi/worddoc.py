"""Word documents as a Chinese government office files them (GB/T 9704 in spirit): A4, a centred title in a
小标宋 face, body in 仿宋, tables in 宋体 with a 黑体 header row. python-docx writes them; this module only holds
the house style, so a breakdown table, a progress table and a bulletin look alike.

Fonts are named, not embedded: Word and WPS on an office's machine have them; elsewhere they fall back.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

TITLE_FONT, BODY_FONT, HEADING_FONT, TABLE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"


class WordDocument:
    """One document, written top to bottom: `title`, `paragraph`s, `table`s, then `to_bytes`."""

    def __init__(self, title: str, *, landscape: bool = False) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
            section.top_margin = section.bottom_margin = Cm(2)
            section.left_margin = section.right_margin = Cm(2)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
            section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        self.doc.core_properties.title = _clean(title)
        self.width_cm = (section.page_width - section.left_margin - section.right_margin) / Cm(1)

    @staticmethod
    def _run(paragraph: Paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
        run = paragraph.add_run(_clean(text))
        run.font.name, run.font.size, run.font.bold = font, Pt(size), bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)  # Chinese glyphs use it

    def title(self, text: str, size: float = 22) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(paragraph, text, TITLE_FONT, size)

    def paragraph(
        self, text: str, *, font: str = BODY_FONT, size: float = 16, indent: bool = True, align: str = "left"
    ) -> None:
        paragraph = self.doc.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(size * 2)  # two characters, as offices indent
        paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}.get(
            align, WD_ALIGN_PARAGRAPH.RIGHT
        )
        self._run(paragraph, text, font, size)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        bold_rows: Sequence[bool] | None = None,
        size: float = 10.5,
    ) -> None:
        """A bordered table whose header row repeats on every page; `widths` are shares of the page's width."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header_row = table.rows[0]
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_row._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(header_row.cells, headers, strict=True):
            self._run(cell.paragraphs[0], text, HEADING_FONT, size, bold=True)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, values in enumerate(rows):
            bold = bool(bold_rows and bold_rows[i])
            for cell, value in zip(table.add_row().cells, values, strict=True):
                self._run(cell.paragraphs[0], "" if value is None else str(value), TABLE_FONT, size, bold=bold)
        if widths:
            total = sum(widths)
            for column, share in zip(table.columns, widths, strict=True):
                for cell in column.cells:
                    cell.width = Cm(self.width_cm * share / total)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)  # Word's XML refuses control characters too
