"""The text of a policy document as offices receive it: .txt (UTF-8 or GB18030), .docx, or a PDF with a text layer.

Pure over bytes, so the CLI and the API read files the same way.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

TEXT_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")
SUFFIXES = (".txt", ".docx", ".pdf")


class DocumentUnreadable(ValueError):
    """The bytes are not a document we can take text from. `message` English, `message_zh` Chinese."""

    def __init__(self, message: str, message_zh: str, code: str = "document_unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.code = code


def extract_text(data: bytes, filename: str) -> str:
    """The document's text, paragraphs separated by newlines. Raises DocumentUnreadable."""
    if not data.strip():
        raise DocumentUnreadable("The file is empty", "文件为空", "document_empty")
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".docx" or (not suffix and data[:2] == b"PK"):
        return _docx_text(data)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return _pdf_text(data)
    if suffix not in ("", ".txt", ".text", ".md"):
        raise DocumentUnreadable(
            f"Cannot read {suffix} files; use .txt, .docx or .pdf",
            f"不支持 {suffix} 文件，请使用 .txt、.docx 或 .pdf",
            "document_type",
        )
    return _plain_text(data)


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


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentUnreadable("The .docx file is damaged", "Word 文件已损坏，无法打开") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            # Leading-group lists are often tables: one line per row, cells joined as a person's line would be.
            for row in block.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                if cells:
                    lines.append("　".join(cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentUnreadable("The PDF is damaged", "PDF 文件已损坏，无法打开") from exc
    if not text.strip():
        raise DocumentUnreadable(
            "The PDF has no text layer (a scan?); OCR it first",
            "PDF 没有文字层（可能是扫描件），请先识别文字",
            "document_no_text",
        )
    return text
