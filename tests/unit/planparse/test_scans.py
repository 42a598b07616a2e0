"""Scans (issue 15, item 4): a PDF with no text layer and a picture of a page are read with OCR on this machine,
and give the draft the plan's text gives. The scans are the Xiayi sample rendered as a scan would look
(tests/fixtures/scans/README.md), so the text they must give is the sample's own."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from luoshi.filelimits import LimitExceeded
from luoshi_tasks.planparse import read_plan
from luoshi_tasks.planparse.documents import Document, DocumentUnreadable, ScannedPage, read_document
from luoshi_tasks.planparse.ocr import open_image
from tests.unit.planparse.test_documents import pdf_of

FIXTURES = Path(__file__).parents[2] / "fixtures"
SCANS = FIXTURES / "scans"
XIAYI = (FIXTURES / "samples" / "xiayi-brand-zone-plan-2015.txt").read_bytes()


def _units(draft) -> list[tuple[str | None, list[str], list[str]]]:
    return [(t.number, t.lead_units, t.cooperating_units) for t in draft.tasks]


def test_a_scanned_pdf_gives_the_draft_its_text_gives() -> None:
    pages: list[tuple[int, int]] = []
    document = read_document(
        (SCANS / "xiayi-brand-zone-plan-2015.scan.pdf").read_bytes(), "扫描件.pdf", progress=lambda *p: pages.append(p)
    )
    assert [p.page for p in document.scanned] == [1, 2, 3, 4, 5]
    assert all(p.confidence > 0.9 for p in document.scanned)
    assert pages[0] == (0, 5) and pages[-1] == (5, 5)  # the job's progress, page by page
    scanned, typed = read_plan(document), read_plan(read_document(XIAYI, "方案.txt"))
    assert scanned.plan.doc_number == typed.plan.doc_number == "夏政〔2015〕29号"
    assert [t.number for t in scanned.tasks] == [t.number for t in typed.tasks]
    same = sum(a == b for a, b in zip(_units(scanned), _units(typed), strict=True))
    assert same >= 0.9 * len(typed.tasks), f"{same} of {len(typed.tasks)} unit lists agree"
    assert [p.page for p in scanned.scanned_pages] == [1, 2, 3, 4, 5]
    # spans point into the recognised text, which the draft keeps as its source
    first = scanned.tasks[0]
    assert first.title[:4] in document.text[first.span[0] : first.span[1]]


def test_a_picture_of_a_page_is_read() -> None:
    document = read_document((SCANS / "xiayi-brand-zone-plan-2015.page1.jpg").read_bytes(), "第1页.jpg")
    assert [p.page for p in document.scanned] == [1] and document.scanned[0].confidence > 0.9
    draft = read_plan(document)
    assert draft.plan.title == "夏邑县创建河南省知名品牌创建示范产业集聚区实施方案"
    assert draft.plan.doc_number == "夏政〔2015〕29号" and draft.plan.issued_on.isoformat() == "2015-04-09"
    # the page ends inside its first task's clause (责任单位：产业集聚区管委会、发 …), so the task is there, its
    # units on the next page
    assert any(t.number == "（一）" and t.title.startswith("产业集聚发展迅速") for t in draft.tasks)


@pytest.mark.parametrize(("name", "kind"), [("方案.doc", "Word 97–2003"), ("方案.wps", "WPS"), ("方案.ofd", "OFD")])
def test_formats_we_cannot_read_say_what_to_save_them_as(name: str, kind: str) -> None:
    with pytest.raises(DocumentUnreadable) as refused:
        read_document(b"\xd0\xcf\x11\xe0 not read", name)
    assert refused.value.code == "document_type" and kind in refused.value.message
    assert ".docx" in refused.value.message_zh and "PDF" in refused.value.message_zh


def test_a_picture_too_large_to_be_a_page_is_refused_before_it_is_decoded() -> None:
    out = io.BytesIO()
    Image.new("1", (7000, 7000), 1).save(out, "PNG")  # 49 million pixels in a few kilobytes
    with pytest.raises(LimitExceeded) as refused:
        read_document(out.getvalue(), "bomb.png")
    assert refused.value.code == "image_too_large"
    assert (refused.value.limit, refused.value.value) == (40_000_000, 49_000_000)
    assert refused.value.message == "The image has 7000×7000 pixels, more than the 40,000,000 a page may have"
    assert refused.value.message_zh == "图片为 7000×7000 像素，超过单页上限 40,000,000 像素"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_picture_of_a_letterhead_is_read_line_by_line() -> None:
    # the top of the Xiayi scan's first page: 夏邑县人民政府文件, then its number 夏政〔2015〕29号 (a few lines only,
    # so it is read in a second or two; the whole page is test_a_picture_of_a_page_is_read)
    page = Image.open(SCANS / "xiayi-brand-zone-plan-2015.page1.jpg")
    steps: list[tuple[int, int]] = []
    document = read_document(_png(page.crop((100, 110, 700, 200))), "抬头.png", progress=lambda *p: steps.append(p))
    lines = document.text.split("\n")
    assert lines[0] == "夏邑县人民政府文件"
    assert len(lines) == 2 and lines[1].startswith("夏政") and lines[1].endswith("29号")  # OCR may misread a 〕
    [scanned] = document.scanned
    assert scanned.page == 1 and scanned.span == (0, len(document.text))
    assert 0.9 < scanned.confidence <= 1 and scanned.confidence == round(scanned.confidence, 3)
    assert steps == [(0, 1), (1, 1)]  # the job's progress: none of one picture read, then all of it
    assert document.tables == []


def test_a_black_and_white_scan_is_read() -> None:
    # scanners save text pages as 1-bit pictures (PNG, TIFF): the OCR models take 8-bit colour, so the page is
    # converted before it is read, not handed over as the scanner's bits
    page = Image.open(SCANS / "xiayi-brand-zone-plan-2015.page1.jpg").crop((100, 110, 700, 200)).convert("1")
    document = read_document(_png(page), "黑白扫描.png")
    first, second = document.text.split("\n")
    assert first.endswith("县人民政府文件") and second.startswith("夏政") and second.endswith("29号")
    assert [p.page for p in document.scanned] == [1]


def test_a_picture_of_exactly_the_most_pixels_a_page_may_have_is_opened() -> None:
    # 8000 × 5000 is the limit itself; a row more is refused (before decoding: open_image reads only the size)
    assert open_image(_png(Image.new("1", (8000, 5000), 1))).size == (8000, 5000)
    with pytest.raises(LimitExceeded) as refused:
        open_image(_png(Image.new("1", (8000, 5001), 1)))
    assert refused.value.value == 40_008_000


def test_a_pdf_page_too_large_to_render_is_refused_before_it_is_rendered() -> None:
    # a page with no text layer 3100 points square (1.09 m) is 6458 pixels square at 150 dpi: 41.7 million
    with pytest.raises(LimitExceeded) as refused:
        read_document(pdf_of("", size=(3100, 3100)), "超大页面.pdf")
    assert (refused.value.code, refused.value.value) == ("image_too_large", 6458 * 6458)


def test_a_blank_picture_is_refused_for_having_no_text() -> None:
    refused = _refused(lambda: read_document(_png(Image.new("L", (800, 300), 255)), "第2页.png"))
    assert refused.code == "document_no_text"
    assert (refused.message, refused.message_zh) == ("No text was found in the picture", "图片中没有识别出文字")


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
@pytest.mark.parametrize("name", [pytest.param("扫描件", id="no-suffix"), pytest.param("第2页.txt", id="txt-suffix")])
def test_a_picture_is_known_by_its_signature_whatever_its_name(kind: str, name: str) -> None:
    """A phone's picture saved without a suffix, or under a wrong one, is still read as a picture (here a blank one,
    refused for having no text, as a picture is, not as a text file or an unknown format)."""
    picture = io.BytesIO()
    Image.new("L", (800, 300), 255).save(picture, kind)
    refused = _refused(lambda: read_document(picture.getvalue(), name))
    assert refused.code == "document_no_text"
    assert refused.message_zh == "图片中没有识别出文字"


def test_a_file_named_as_a_picture_that_is_none_is_refused() -> None:
    refused = _refused(lambda: read_document("一、主要任务".encode(), "第1页.jpg"))
    assert refused.code == "document_unreadable"
    assert (refused.message, refused.message_zh) == ("The picture cannot be opened", "图片无法打开")


def _refused(call: Callable[[], object]) -> DocumentUnreadable:
    with pytest.raises(DocumentUnreadable) as raised:
        call()
    return raised.value


def test_the_draft_names_the_pages_read_with_ocr_and_takes_the_parse_options() -> None:
    text = (
        "某县质量提升行动方案\n一、主要任务\n"
        "（一）开展质量提升行动。（责任单位：县质监局）\n（二）加强品牌培育。（责任单位：县发改委）"
    )
    document = Document(text, scanned=[ScannedPage(2, 0.953, (10, len(text)))])
    draft = read_plan(document, max_tasks=3)
    assert [t.number for t in draft.tasks] == ["一", "（一）", "（二）"]
    assert [(p.page, p.confidence, p.span) for p in draft.scanned_pages] == [(2, 0.953, (10, len(text)))]
    with pytest.raises(LimitExceeded) as refused:
        read_plan(document, max_tasks=2)
    assert refused.value.code == "draft_too_many_tasks"
