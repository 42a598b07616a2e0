"""Limits on uploaded office documents, checked before a parser gets the bytes.

A 56 KB .docx can hold 6 MB of XML and a 2 MB .xlsx 400,000 cells: the size of the upload says nothing of
the work of reading it. These checks read only the zip's directory (the sizes each member declares) and
stream a worksheet's XML counting cells, so a bomb is refused after a few milliseconds and bounded memory.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

# Defaults; the services take theirs from settings.
MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_SHEET_CELLS = 100_000


class LimitExceeded(Exception):
    """An upload is over a limit. `code` names the limit for machines, `message` / `message_zh` for people."""

    def __init__(self, code: str, message: str, message_zh: str, *, limit: int, value: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_zh = message_zh
        self.limit = limit
        self.value = value

    def problem(self) -> dict[str, Any]:
        """As a job error: the limit's code, both texts, the limit and (when known) the value found."""
        out: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_zh": self.message_zh,
            "limit": self.limit,
        }
        if self.value is not None:
            out["value"] = self.value
        return out


def check_zip(
    data: bytes, *, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES, max_members: int = MAX_ZIP_MEMBERS
) -> zipfile.ZipFile | None:
    """Refuse a zip (.docx, .xlsx) whose members would unpack to more than `max_uncompressed` bytes in all, or
    that has more than `max_members` members — from the central directory, before anything is extracted.

    Returns the opened ZipFile, or None when `data` is not a zip (the caller's parser reports that). A
    member's declared size is what zipfile will refuse to read past, so the sum bounds what can be inflated.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    members = archive.infolist()
    if len(members) > max_members:
        raise LimitExceeded(
            "upload_too_many_parts",
            f"The file has {len(members)} parts, more than the {max_members} allowed",
            f"文件包含 {len(members)} 个部件，超过上限 {max_members} 个",
            limit=max_members,
            value=len(members),
        )
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        raise LimitExceeded(
            "upload_uncompressed_too_large",
            f"The file unpacks to {total} bytes, more than the {max_uncompressed} allowed (a zip bomb?)",
            f"文件解压后为 {total} 字节，超过上限 {max_uncompressed} 字节（可能是压缩炸弹）",
            limit=max_uncompressed,
            value=total,
        )
    return archive


def count_sheet_cells(archive: zipfile.ZipFile, *, max_cells: int = MAX_SHEET_CELLS) -> int:
    """The cells (`<c>` elements, styled empty ones included: a reader builds an object for each) in all the
    worksheets of an .xlsx, streamed; raises LimitExceeded as soon as the count passes `max_cells`. A sheet's
    `<dimension>` is not trusted: any writer can put A1:A1 there."""
    cells = 0
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        try:
            with archive.open(name) as stream:
                for _, element in iterparse(stream, events=("end",)):
                    tag = element.tag.rpartition("}")[2]
                    if tag == "c":
                        cells += 1
                        if cells > max_cells:
                            raise LimitExceeded(
                                "sheet_too_many_cells",
                                f"The workbook has more than {max_cells} cells",
                                f"工作簿的单元格超过上限 {max_cells} 个",
                                limit=max_cells,
                            )
                    elif tag == "row":
                        element.clear()
        except (ParseError, zipfile.BadZipFile, OSError, EOFError):
            continue  # damaged: the workbook reader says so in its own words
    return cells


def document_too_long(length: int, limit: int) -> LimitExceeded:
    return LimitExceeded(
        "document_too_long",
        f"The document's text is {length} characters, more than the {limit} allowed",
        f"文件文字共 {length} 字，超过上限 {limit} 字",
        limit=limit,
        value=length,
    )
