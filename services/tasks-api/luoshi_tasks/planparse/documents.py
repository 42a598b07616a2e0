"""The text of a policy document as offices receive it: .txt (UTF-8 or GB18030), .docx, or a PDF with a text layer.

Pure over bytes, so the CLI and the API read files the same way. Limits (`DocumentLimits`) are checked before
a parser gets the bytes where they can be (a .docx's unpacked size, from its zip directory) and while the text
is gathered otherwise; going over one raises `luoshi.filelimits.LimitExceeded` naming it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from luoshi.filelimits import MAX_UNCOMPRESSED_BYTES, check_zip, document_too_long
from luoshi_tasks.breakdown import Grid

TEXT_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")
_ATTACHMENT_LINE = re.compile(r"^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")
SUFFIXES = (".txt", ".docx", ".pdf")


@dataclass(frozen=True)
class DocumentLimits:
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES  # a .docx's members, unpacked, in all
    max_chars: int = 1_000_000  # the text taken out (a 500-page plan has far less)
    max_pages: int = 2_000  # of a PDF


class DocumentUnreadable(ValueError):
    """The bytes are not a document we can take text from. `message` English, `message_zh` Chinese."""

    def __init__(self, message: str, message_zh: str, code: str = "document_unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.code = code


@dataclass(frozen=True)
class DocumentTable:
    """A table of the document: its cells as the breakdown reader takes them, where each row's line is in the
    document's text, and the paragraph above it (a caption such as `附件2 重点任务分工表`)."""

    grid: Grid
    row_spans: dict[int, tuple[int, int]]
    """Grid row (1-based) -> [start, end) of the line the row became in `Document.text`."""
    caption: str = ""


@dataclass(frozen=True)
class Document:
    text: str
    tables: list[DocumentTable] = field(default_factory=list)


def extract_text(data: bytes, filename: str, limits: DocumentLimits | None = None) -> str:
    """The document's text, paragraphs separated by newlines. Raises DocumentUnreadable, or LimitExceeded."""
    return read_document(data, filename, limits).text


def read_document(data: bytes, filename: str, limits: DocumentLimits | None = None) -> Document:
    """The document's text (a table's rows one line each, cells joined by an ideographic space) and its tables.
    Raises DocumentUnreadable, or LimitExceeded."""
    limits = limits or DocumentLimits()
    if not data.strip():
        raise DocumentUnreadable("The file is empty", "文件为空", "document_empty")
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".docx" or (not suffix and data[:2] == b"PK"):
        return _docx(data, limits)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return Document(_pdf_text(data, limits))
    if suffix not in ("", ".txt", ".text", ".md"):
        raise DocumentUnreadable(
            f"Cannot read {suffix} files; use .txt, .docx or .pdf",
            f"不支持 {suffix} 文件，请使用 .txt、.docx 或 .pdf",
            "document_type",
        )
    text = _plain_text(data)
    if len(text) > limits.max_chars:
        raise document_too_long(len(text), limits.max_chars)
    return Document(text)


def _plain_text(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentUnreadable("The file is binary, not text", "文件不是文本（二进制内容）", "document_binary")
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentUnreadable(
        "The text is in no encoding we know (UTF-8, GB18030)",
        "无法识别文本编码（支持 UTF-8、GB18030）",
        "document_encoding",
    )


def _docx(data: bytes, limits: DocumentLimits) -> Document:
    import docx
    from docx.table import Table

    check_zip(data, max_uncompressed=limits.max_uncompressed)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentUnreadable("The .docx file is damaged", "Word 文件已损坏，无法打开") from exc
    lines: list[str] = []
    tables: list[DocumentTable] = []
    length = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            caption = _caption(lines)
            grid, row_spans = Grid(name=caption or "table"), {}
            for r, cells in enumerate(_table_rows(block), start=1):
                # One line per row, cells joined as a person's line would be (leading-group lists are often tables)
                line = "　".join(dict.fromkeys(text for text, _ in cells.values() if text))
                if line:
                    row_spans[r] = (length, length + len(line))
                    lines.append(line)
                    length += len(line) + 1
                grid.cells[r] = {c: text for c, (text, _) in cells.items() if text}
                if any(own and text for text, own in cells.values()):
                    grid.raw_rows.add(r)
            tables.append(DocumentTable(grid, row_spans, caption))
        else:
            lines.append(block.text)
            length += len(lines[-1]) + 1
        if length > limits.max_chars:
            raise document_too_long(length, limits.max_chars)
    return Document("\n".join(lines), tables)


def _caption(lines: list[str]) -> str:
    """The words above a table: its last line, with the `附件2` line above that when the caption is on two."""
    above = [line.strip() for line in lines[-3:] if line.strip()]
    if len(above) >= 2 and _ATTACHMENT_LINE.match(above[-2]) and not _ATTACHMENT_LINE.match(above[-1]):
        return f"{above[-2]} {above[-1]}"
    return above[-1] if above else ""


def _table_rows(table: Any) -> list[dict[int, tuple[str, bool]]]:
    """Each row's cells by 1-based grid column: (text, whether the row holds it itself). A cell merged across
    columns counts at its first column only; one merged down from the row above repeats its text there, not
    owned, as a spreadsheet's merged cell reads."""
    rows: list[dict[int, tuple[str, bool]]] = []
    above: dict[int, Any] = {}
    for row in table.rows:
        cells: dict[int, tuple[str, bool]] = {}
        seen: set[int] = set()
        for offset, cell in enumerate(row.cells):
            column = row.grid_cols_before + offset + 1
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells[column] = (cell.text.strip(), above.get(column) is not cell._tc)
            above[column] = cell._tc
        rows.append(cells)
    return rows


def _pdf_text(data: bytes, limits: DocumentLimits) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from luoshi.filelimits import LimitExceeded

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
        if pages > limits.max_pages:
            raise LimitExceeded(
                "document_too_many_pages",
                f"The PDF has {pages} pages, more than the {limits.max_pages} allowed",
                f"PDF 共 {pages} 页，超过上限 {limits.max_pages} 页",
                limit=limits.max_pages,
                value=pages,
            )
        parts: list[str] = []
        length = 0
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            length += len(parts[-1]) + 1
            if length > limits.max_chars:
                raise document_too_long(length, limits.max_chars)
        text = "\n".join(parts)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentUnreadable("The PDF is damaged", "PDF 文件已损坏，无法打开") from exc
    if not text.strip():
        raise DocumentUnreadable(
            "The PDF has no text layer (a scan?); OCR it first",
            "PDF 没有文字层（可能是扫描件），请先识别文字",
            "document_no_text",
        )
    return text
