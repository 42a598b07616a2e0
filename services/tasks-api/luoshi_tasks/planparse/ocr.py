"""Scans: a picture of a page, or a PDF page with no text layer, read with OCR on this machine.

RapidOCR (`rapidocr-onnxruntime`): the PaddleOCR PP-OCR detection, direction and recognition models for Chinese
and English, shipped inside the wheel and run on the CPU with onnxruntime — no network, no system package (Debian's
tesseract would need `apt` on every machine that runs `make run`, and reads Chinese print less well). A page gives
its lines in reading order, each with the model's confidence; the text parser then joins wrapped lines as it does
a PDF's.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from luoshi.filelimits import LimitExceeded

MAX_PIXELS = 40_000_000
"""A page's pixels: an A4 page at 300 dpi has 8.7 million; more is a decompression bomb, not a scan."""
RENDER_DPI = 150  # a PDF page rendered for OCR: 10.5-point print reads well, at half the time of 200 dpi


@dataclass(frozen=True)
class RecognisedPage:
    page: int
    """1-based page number in the document."""
    lines: list[str]
    confidence: float
    """The mean of the lines' confidences (0–1), 0 for a page where nothing was read."""
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Where each line is on the page (left, top, right, bottom in pixels): a table's cells are put back together
    from them (`scantables`)."""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    # No direction classifier: government documents are printed upright, and on lines with quotes and brackets
    # it turned some upside down (a whole task line of a test scan came back empty); it also costs time.
    return RapidOCR(use_cls=False)


def recognise(image: Any, page: int) -> RecognisedPage:
    """Read one page image (a PIL image). One page at a time per process: the models use every core already."""
    import numpy as np

    pixels = np.asarray(image.convert("RGB"))
    with _lock:
        result, _ = _engine()(pixels)
    # in RapidOCR's reading order: top to bottom, left to right along a line
    lines = [(text.strip(), float(score), _bounds(box)) for box, text, score in (result or []) if text.strip()]
    if not lines:
        return RecognisedPage(page, [], 0.0)
    return RecognisedPage(
        page, [text for text, _, _ in lines], sum(score for _, score, _ in lines) / len(lines), [b for *_, b in lines]
    )


def _bounds(points: Any) -> tuple[float, float, float, float]:
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def open_image(data: bytes) -> Any:
    """A picture of a page, refused over MAX_PIXELS before it is decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("not an image") from exc
    width, height = image.size
    check_pixels(width, height)
    return image


def check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise LimitExceeded(
            "image_too_large",
            f"The image has {width}×{height} pixels, more than the {MAX_PIXELS:,} a page may have",
            f"图片为 {width}×{height} 像素，超过单页上限 {MAX_PIXELS:,} 像素",
            limit=MAX_PIXELS,
            value=width * height,
        )


def render_pdf_page(pdf: Any, index: int) -> Any:
    """Page `index` (0-based) of a pypdfium2 document as a PIL image at RENDER_DPI."""
    page = pdf[index]
    width, height = page.get_size()
    scale = RENDER_DPI / 72
    check_pixels(int(width * scale), int(height * scale))
    return page.render(scale=scale).to_pil()
