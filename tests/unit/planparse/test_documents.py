"""Taking the text out of the files offices upload: plain text in each encoding we accept, .docx with its
tables, PDF with a text layer; and the refusals, each with its code and both messages, and each limit."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest

from luoshi.filelimits import LimitExceeded
from luoshi_tasks.planparse.documents import DocumentLimits, DocumentUnreadable, extract_text

PLAN = "一、主要任务\n（一）开展质量提升行动。"


def docx_of(*lines: str, table: list[list[str]] | None = None) -> bytes:
    """A .docx (python-docx's template) with one paragraph per line, then the table if given."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_of(*pages: str, size: tuple[int, int] = (612, 792)) -> bytes:
    """A PDF with one page per string, each written as one line of Helvetica ("" writes nothing: a scan), on
    pages `size` points wide and high (US Letter unless told)."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def refusal(call: Callable[[], object]) -> DocumentUnreadable:
    with pytest.raises(DocumentUnreadable) as raised:
        call()
    return raised.value


def limit(call: Callable[[], object]) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as raised:
        call()
    return raised.value


# --- plain text ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (PLAN.encode("utf-8"), "UTF-8"),
        (PLAN.encode("utf-8-sig"), "UTF-8 with the BOM Notepad writes, which is not text"),
        (PLAN.encode("gb18030"), "GB18030, as older Chinese Windows saves"),
        (PLAN.encode("utf-16"), "UTF-16 with its BOM, although it is full of NUL bytes"),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_plain_text_in_each_encoding_we_accept(data: bytes, why: str) -> None:
    assert extract_text(data, "方案.txt") == PLAN, why


@pytest.mark.parametrize("filename", ["方案.txt", "方案.TXT", "方案.text", "方案.md", "方案", ""])
def test_text_files_are_known_by_these_names_or_by_none(filename: str) -> None:
    assert extract_text(PLAN.encode(), filename) == PLAN


def test_an_empty_file_is_refused() -> None:
    error = refusal(lambda: extract_text(b" \n\t ", "方案.txt"))
    assert (error.code, error.message, error.message_zh) == ("document_empty", "The file is empty", "文件为空")
    assert str(error) == "The file is empty"


def test_another_type_of_file_is_refused_by_its_suffix() -> None:
    error = refusal(lambda: extract_text(PLAN.encode(), "方案.xlsx"))
    assert error.code == "document_type"
    assert error.message == "Cannot read .xlsx files; use .txt, .docx, .pdf, or a .png / .jpg picture of each page"
    assert error.message_zh == "不支持 .xlsx 文件，请使用 .txt、.docx、.pdf 或每页的 .png / .jpg 图片"


def test_binary_content_is_refused() -> None:
    error = refusal(lambda: extract_text(b"MZ\x90\x00\x03\x00" + PLAN.encode(), "方案.txt"))
    assert (error.code, error.message, error.message_zh) == (
        "document_binary",
        "The file is binary, not text",
        "文件不是文本（二进制内容）",
    )


def test_a_nul_byte_past_the_first_4096_bytes_is_not_taken_for_binary() -> None:
    # only the head is looked at: the text then fails (or not) on its encoding
    data = b"a" * 4096 + b"\x00"
    assert extract_text(data, "方案.txt") == "a" * 4096 + "\x00"


def test_text_in_no_encoding_we_know_is_refused() -> None:
    # not UTF-8, 0xFF starts no GB18030 character, and an odd length is no UTF-16
    error = refusal(lambda: extract_text(b"\xff\xff\xff", "方案.txt"))
    assert (error.code, error.message, error.message_zh) == (
        "document_encoding",
        "The text is in no encoding we know (UTF-8, GB18030)",
        "无法识别文本编码（支持 UTF-8、GB18030）",
    )


def test_text_longer_than_the_limit_is_refused_and_at_the_limit_is_not() -> None:
    assert extract_text(b"abcde", "a.txt", DocumentLimits(max_chars=5)) == "abcde"
    error = limit(lambda: extract_text(b"abcdef", "a.txt", DocumentLimits(max_chars=5)))
    assert (error.code, error.limit, error.value) == ("document_too_long", 5, 6)


# --- .docx ---------------------------------------------------------------------------------------------------


def test_docx_paragraphs_are_lines_and_a_table_row_is_one_line() -> None:
    # a leading-group table: a merged or repeated cell counts once, an empty row is left out
    data = docx_of("领导小组", table=[["组长", "孙文涛", "孙文涛"], ["", "", ""], ["副组长", "孙若梅", "县政府"]])
    assert extract_text(data, "方案.docx") == "领导小组\n组长　孙文涛\n副组长　孙若梅　县政府"


@pytest.mark.parametrize("filename", ["方案.DOCX", "方案", ""])
def test_docx_is_known_by_its_suffix_in_any_case_or_by_its_zip_signature(filename: str) -> None:
    assert extract_text(docx_of("一、主要任务", "（一）开展质量提升行动。"), filename) == PLAN


def test_a_damaged_docx_is_refused() -> None:
    error = refusal(lambda: extract_text(b"PK\x03\x04 not really a zip", "方案.docx"))
    assert (error.code, error.message, error.message_zh) == (
        "document_unreadable",
        "The .docx file is damaged",
        "Word 文件已损坏，无法打开",
    )


def test_docx_longer_than_the_limit_is_refused_as_it_is_read() -> None:
    data = docx_of("abcd", "efgh")  # 5 characters a line, the newline counted
    assert extract_text(data, "a.docx", DocumentLimits(max_chars=10)) == "abcd\nefgh"
    error = limit(lambda: extract_text(data, "a.docx", DocumentLimits(max_chars=9)))
    assert (error.code, error.limit, error.value) == ("document_too_long", 9, 10)
    table = docx_of(table=[["abcd"], ["efgh"]])
    assert limit(lambda: extract_text(table, "a.docx", DocumentLimits(max_chars=9))).value == 10


def test_docx_unpacking_to_more_than_the_limit_is_refused_before_it_is_read() -> None:
    data = docx_of("一、主要任务")
    error = limit(lambda: extract_text(data, "a.docx", DocumentLimits(max_uncompressed=1000)))
    assert (error.code, error.limit) == ("upload_uncompressed_too_large", 1000)


# --- PDF -----------------------------------------------------------------------------------------------------


def test_pdf_pages_are_joined_by_newlines() -> None:
    assert extract_text(pdf_of("Plan", "Tasks"), "plan.pdf") == "Plan\nTasks"


@pytest.mark.parametrize("filename", ["plan.PDF", "plan", "plan.txt"])
def test_a_pdf_is_known_by_its_suffix_or_its_signature_whatever_its_name(filename: str) -> None:
    assert extract_text(pdf_of("Plan"), filename) == "Plan"


def test_a_pdf_with_no_text_even_by_ocr_is_refused() -> None:
    # blank pages: no text layer, so they are read as scans (tests/unit/planparse/test_scans.py), and OCR finds nothing
    error = refusal(lambda: extract_text(pdf_of("", ""), "scan.pdf"))
    assert (error.code, error.message, error.message_zh) == (
        "document_no_text",
        "No text was found in the PDF, not even by OCR",
        "PDF 中没有可识别的文字（文字识别也未读出）",
    )


def test_big_endian_utf_16_with_its_bom_is_text() -> None:
    assert extract_text(b"\xfe\xff" + PLAN.encode("utf-16-be"), "方案.txt") == PLAN


@pytest.mark.parametrize("data", [b"%PDF-1.4 garbage", b"garbage"])
def test_a_damaged_pdf_is_refused(data: bytes) -> None:
    # a .pdf that does not even start as one is read as a PDF too, and so is damaged
    error = refusal(lambda: extract_text(data, "plan.pdf"))
    assert (error.code, error.message, error.message_zh) == (
        "document_unreadable",
        "The PDF is damaged",
        "PDF 文件已损坏，无法打开",
    )


def test_a_pdf_with_more_pages_than_the_limit_is_refused_and_at_the_limit_is_not() -> None:
    data = pdf_of("one", "two")
    assert extract_text(data, "a.pdf", DocumentLimits(max_pages=2)) == "one\ntwo"
    error = limit(lambda: extract_text(data, "a.pdf", DocumentLimits(max_pages=1)))
    assert (error.code, error.limit, error.value) == ("document_too_many_pages", 1, 2)
    assert error.message == "The PDF has 2 pages, more than the 1 allowed"
    assert error.message_zh == "PDF 共 2 页，超过上限 1 页"


def test_a_pdf_longer_than_the_limit_is_refused_as_it_is_read() -> None:
    data = pdf_of("abcd", "efgh")  # 5 characters a page, the newline counted
    assert extract_text(data, "a.pdf", DocumentLimits(max_chars=10)) == "abcd\nefgh"
    error = limit(lambda: extract_text(data, "a.pdf", DocumentLimits(max_chars=9)))
    assert (error.code, error.limit, error.value) == ("document_too_long", 9, 10)
