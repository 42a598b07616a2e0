"""The text of a policy document as offices receive it: .txt (UTF-8 or GB18030), .docx, a PDF (its text layer, or
OCR for a scanned page), or a picture of a page (.png, .jpg: OCR, `planparse.ocr`). A task table on a scanned page
is put back together from where OCR found its lines (`planparse.scantables`) and given as a table, as a .docx's is.

Pure over bytes, so the CLI and the API read files the same way. Limits (`DocumentLimits`) are checked before
a parser gets the bytes where they can be (a .docx's unpacked size, from its zip directory) and while the text
is gathered otherwise; going over one raises `luoshi.filelimits.LimitExceeded` naming it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from luoshi.filelimits import MAX_UNCOMPRESSED_BYTES, LimitExceeded, check_zip, document_too_long
from luoshi_tasks.breakdown import Grid

TEXT_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")
_ATTACHMENT_LINE = re.compile(r"^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")
SUFFIXES = (".txt", ".docx", ".pdf", ".png", ".jpg", ".jpeg")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
# Formats offices are sent that we cannot read well: the answer says what to save them as instead.
UNSUPPORTED = {
    ".doc": "Word 97–2003",
    ".wps": "WPS",
    ".ofd": "OFD",
    ".et": "WPS 表格",
    ".xls": "Excel 97–2003",
}
Progress = Callable[[int, int], None]
"""Called with (pages done, pages in all) while a document's scanned pages are read."""


@dataclass(frozen=True)
class DocumentLimits:
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES  # a .docx's members, unpacked, in all
    max_chars: int = 1_000_000  # the text taken out (a 500-page plan has far less)
    max_pages: int = 2_000  # of a PDF
    max_scanned_pages: int = 60  # read with OCR (seconds each), in a PDF or as pictures


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
class ScannedPage:
    """A page whose text was recognised, not read from a text layer."""

    page: int
    confidence: float
    span: tuple[int, int]
    """[start, end) of its text in `Document.text`."""


@dataclass(frozen=True)
class Document:
    text: str
    tables: list[DocumentTable] = field(default_factory=list)
    scanned: list[ScannedPage] = field(default_factory=list)


def extract_text(data: bytes, filename: str, limits: DocumentLimits | None = None) -> str:
    """The document's text, paragraphs separated by newlines. Raises DocumentUnreadable, or LimitExceeded."""
    return read_document(data, filename, limits).text


def unsupported_format(filename: str) -> DocumentUnreadable | None:
    """The problem for a format we do not read (.doc, .wps, .ofd …), naming what to save it as; None otherwise."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in UNSUPPORTED:
        return None
    kind = UNSUPPORTED[suffix]
    return DocumentUnreadable(
        f"{kind} files ({suffix}) cannot be read: save the document as .docx or PDF and upload that",
        f"无法读取 {kind} 文件（{suffix}），请另存为 .docx 或 PDF 后再上传",
        "document_type",
    )


def read_document(
    data: bytes, filename: str, limits: DocumentLimits | None = None, progress: Progress | None = None
) -> Document:
    """The document's text (a table's rows one line each, cells joined by an ideographic space), its tables and
    the pages read with OCR. Raises DocumentUnreadable, or LimitExceeded."""
    limits = limits or DocumentLimits()
    if not data.strip():
        raise DocumentUnreadable("The file is empty", "文件为空", "document_empty")
    if (unsupported := unsupported_format(filename)) is not None:
        raise unsupported
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".docx" or (not suffix and data[:2] == b"PK"):
        return _docx(data, limits)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return _pdf(data, limits, progress)
    if suffix in IMAGE_SUFFIXES or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        return _image(data, progress)
    if suffix not in ("", ".txt", ".text", ".md"):
        raise DocumentUnreadable(
            f"Cannot read {suffix} files; use .txt, .docx, .pdf, or a .png / .jpg picture of each page",
            f"不支持 {suffix} 文件，请使用 .txt、.docx、.pdf 或每页的 .png / .jpg 图片",
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


def _pdf(data: bytes, limits: DocumentLimits, progress: Progress | None) -> Document:
    """The text layer page by page; a page without one (a scan) is rendered and read with OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

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
        layers = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentUnreadable("The PDF is damaged", "PDF 文件已损坏，无法打开") from exc
    blank = [i for i, text in enumerate(layers) if len(text.strip()) < _SCANNED_BELOW]
    if blank:
        _check_scanned_pages(len(blank), limits)
        recognised = _recognise_pdf_pages(data, blank, progress)
    else:
        recognised = {}
    parts: list[str] = []
    scanned: list[ScannedPage] = []
    length = 0
    tables: list[DocumentTable] = []
    running: DocumentTable | None = None
    for i, layer in enumerate(layers):
        if i in recognised:
            page = recognised[i]
            text, running = _scanned_page(page, length, tables, running)
            scanned.append(ScannedPage(page.page, round(page.confidence, 3), (length, length + len(text))))
        else:
            text, running = layer, None
        parts.append(text)
        length += len(text) + 1
        if length > limits.max_chars:
            raise document_too_long(length, limits.max_chars)
    text = "\n".join(parts)
    if not text.strip():
        raise DocumentUnreadable(
            "No text was found in the PDF, not even by OCR",
            "PDF 中没有可识别的文字（文字识别也未读出）",
            "document_no_text",
        )
    return Document(text, tables, scanned)


def _scanned_page(
    page: Any, offset: int, tables: list[DocumentTable], running: DocumentTable | None
) -> tuple[str, DocumentTable | None]:
    """A recognised page's text, where a table on it (`scantables`) gives one line per row, its cells joined as a
    .docx row's are, and a `DocumentTable` added to `tables`; one that begins the page under the same header as
    the table `running` on from the page before (Word's repeated header row) adds its rows to that table. Returns
    the text and the table the page ends with, if it ends with one."""
    from luoshi_tasks.breakdown.headers import field_of_header
    from luoshi_tasks.planparse.scantables import page_blocks

    lines: list[str] = []
    length = offset
    table: DocumentTable | None = None
    for n, block in enumerate(page_blocks(page.lines, page.boxes)):
        if isinstance(block, str):
            lines.append(block)
            length += len(block) + 1
            table = None
            continue
        header = "　".join(block.header)
        fields = [field_of_header(h) for h in block.header]
        if n == 0 and running is not None and fields == [field_of_header(h) for h in running.grid.cells[1].values()]:
            table = running
        else:
            caption = _caption(lines)
            table = DocumentTable(Grid(name=caption or "table"), {1: (length, length + len(header))}, caption)
            table.grid.cells[1] = {c: text for c, text in enumerate(block.header, start=1)}
            table.grid.raw_rows.add(1)
            tables.append(table)
        lines.append(header)
        length += len(header) + 1
        r = max(table.grid.cells)
        for row in block.rows:
            r += 1
            line = "　".join(cell for cell in row if cell)
            table.grid.cells[r] = {c: cell for c, cell in enumerate(row, start=1) if cell}
            table.grid.raw_rows.add(r)
            table.row_spans[r] = (length, length + len(line))
            lines.append(line)
            length += len(line) + 1
    return "\n".join(lines), table


# A page whose text layer has fewer characters than this is taken for a scan (a stamp or a page number is not text).
_SCANNED_BELOW = 20


def _check_scanned_pages(count: int, limits: DocumentLimits) -> None:
    if count > limits.max_scanned_pages:
        raise LimitExceeded(
            "document_too_many_scanned_pages",
            f"{count} pages need OCR, more than the {limits.max_scanned_pages} allowed",
            f"需要文字识别的页面共 {count} 页，超过上限 {limits.max_scanned_pages} 页",
            limit=limits.max_scanned_pages,
            value=count,
        )


def _recognise_pdf_pages(data: bytes, indexes: list[int], progress: Progress | None) -> dict[int, Any]:
    import pypdfium2

    from luoshi_tasks.planparse.ocr import recognise, render_pdf_page

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise DocumentUnreadable("The PDF is damaged", "PDF 文件已损坏，无法打开") from exc
    recognised = {}
    try:
        for done, index in enumerate(indexes):
            if progress is not None:
                progress(done, len(indexes))
            recognised[index] = recognise(render_pdf_page(pdf, index), index + 1)
    finally:
        pdf.close()
    if progress is not None:
        progress(len(indexes), len(indexes))
    return recognised


def _image(data: bytes, progress: Progress | None) -> Document:
    from luoshi_tasks.planparse.ocr import open_image, recognise

    try:
        image = open_image(data)
    except ValueError as exc:
        raise DocumentUnreadable("The picture cannot be opened", "图片无法打开", "document_unreadable") from exc
    if progress is not None:
        progress(0, 1)
    page = recognise(image, 1)
    if progress is not None:
        progress(1, 1)
    if not page.lines:
        raise DocumentUnreadable("No text was found in the picture", "图片中没有识别出文字", "document_no_text")
    tables: list[DocumentTable] = []
    text, _ = _scanned_page(page, 0, tables, None)
    return Document(text, tables, [ScannedPage(page.page, round(page.confidence, 3), (0, len(text)))])
