"""A PDF whose pages are partly scans (`documents._pdf`): the pages without a text layer are read with OCR and
named with their page number, confidence and place in the text, the job hears of each, and a PDF with more
such pages than the limit is refused before any is read."""

from __future__ import annotations

import pytest

from luoshi.filelimits import LimitExceeded
from luoshi_tasks.planparse.documents import DocumentLimits, read_document
from tests.unit.planparse.test_documents import pdf_of

TYPED = "Quality improvement plan of the county"  # a text layer of 20 characters or more is no scan


def test_a_blank_page_after_a_typed_one_is_read_as_a_scan_and_named() -> None:
    steps: list[tuple[int, int]] = []
    document = read_document(pdf_of(TYPED, ""), "方案.pdf", progress=lambda *p: steps.append(p))
    assert document.text == TYPED + "\n"  # the blank page gives no line of its own
    [scanned] = document.scanned
    assert (scanned.page, scanned.confidence, scanned.span) == (2, 0.0, (len(TYPED) + 1, len(TYPED) + 1))
    assert steps == [(0, 1), (1, 1)]  # one page to read with OCR: none done, then all


def test_a_pdf_of_typed_pages_reads_none_with_ocr() -> None:
    steps: list[tuple[int, int]] = []
    document = read_document(pdf_of(TYPED, TYPED), "方案.pdf", progress=lambda *p: steps.append(p))
    assert (document.text, document.scanned, steps) == (f"{TYPED}\n{TYPED}", [], [])


def test_more_pages_to_read_with_ocr_than_the_limit_is_refused_before_they_are_read() -> None:
    data = pdf_of(TYPED, "", "")
    with pytest.raises(LimitExceeded) as raised:
        read_document(data, "方案.pdf", DocumentLimits(max_scanned_pages=1))
    refused = raised.value
    assert (refused.code, refused.limit, refused.value) == ("document_too_many_scanned_pages", 1, 2)
    assert refused.message == "2 pages need OCR, more than the 1 allowed"
    assert refused.message_zh == "需要文字识别的页面共 2 页，超过上限 1 页"
