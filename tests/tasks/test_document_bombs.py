"""Issue 14, finding 6: documents were parsed in the web process. A 56 KB .docx (6.4 MB of XML) became a
60,000-task draft and froze tasks-api 8 s; a 2 MB .xlsx with 400,000 cells froze it 9 s. Now the job worker
reads them, in a thread, within limits from settings checked before the parser gets the bytes: each bomb ends
as a failed job whose error names the limit, and /healthz answers meanwhile.

The bombs are made here, small on the wire as the probe's were; none is committed."""

from __future__ import annotations

import asyncio
import io
import time
import zipfile
from collections.abc import Iterable
from typing import Any

import docx
import openpyxl
import pytest

from luoshi.filelimits import LimitExceeded, check_zip, count_sheet_cells
from tests.tasks.test_breakdown import XLSX, new_plan, wait_job
from tests.tasks.test_drafts import XIAYI, gov  # noqa: F401 - the fixture

SECTION = "一、主要任务\n" + "\n".join(f"{i}. 开展第{i}项质量提升行动。（县质监局负责）" for i in range(1, 101))


def rezip(data: bytes, replace: dict[str, Iterable[bytes]]) -> bytes:
    """The zip with some members' contents replaced by chunks (streamed: a bomb is never whole in memory)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename in replace:
                with dst.open(info.filename, "w", force_zip64=True) as member:
                    for chunk in replace[info.filename]:
                        member.write(chunk)
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def docx_of(lines: Iterable[str], padding_mb: int = 0) -> bytes:
    """A real .docx (python-docx's template) whose body is `lines`, one paragraph each, then `padding_mb` MB
    of whitespace inside the body (a zip bomb: it deflates to almost nothing)."""
    document = docx.Document()
    document.add_paragraph("placeholder")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        xml = z.read("word/document.xml").decode()
    head, tail = xml.split("<w:body>", 1)

    def chunks() -> Iterable[bytes]:
        yield (head + "<w:body>").encode()
        for line in lines:
            yield f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>".encode()
        for _ in range(padding_mb):
            yield b" " * (1024 * 1024)
        yield tail.encode()

    return rezip(buffer.getvalue(), {"word/document.xml": chunks()})


def xlsx_of(rows: int, cols: int, padding_mb: int = 0) -> bytes:
    """A real .xlsx whose first sheet has rows x cols number cells and a <dimension> that says A1 (a lie)."""
    book = openpyxl.Workbook()
    book.active["A1"] = "序号"
    buffer = io.BytesIO()
    book.save(buffer)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def chunks() -> Iterable[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><dimension ref="A1"/><sheetData>'.encode()
        for r in range(1, rows + 1):
            yield (f'<row r="{r}">' + "".join(f"<c><v>{c}</v></c>" for c in range(cols)) + "</row>").encode()
        for _ in range(padding_mb):
            yield b" " * (1024 * 1024)
        yield b"</sheetData></worksheet>"

    return rezip(buffer.getvalue(), {"xl/worksheets/sheet1.xml": chunks()})


async def while_healthz(tasks, job: Any) -> tuple[dict[str, Any], float]:
    """Run the job to its end while asking /healthz every 20 ms; the job and the slowest answer in seconds."""
    task = asyncio.ensure_future(job)
    slowest = 0.0
    while not task.done():
        started = time.perf_counter()
        r = await tasks.get("/healthz")
        assert r.status_code == 200
        slowest = max(slowest, time.perf_counter() - started)
        await asyncio.sleep(0.02)
    return await task, slowest


async def post_draft(tasks, office, name: str, data: bytes) -> dict[str, Any]:
    r = await tasks.post(
        "/v1/plan-drafts", files={"file": (name, data, "application/octet-stream")}, headers=office["headers"]
    )
    assert r.status_code == 202, r.text
    return await wait_job(tasks, r.headers["location"], office["headers"])


def failed_on(job: dict[str, Any], code: str) -> dict[str, Any]:
    assert job["status"] == "failed", job
    (error,) = job["errors"]
    assert error["code"] == code, job
    assert error["message"] and error["message_zh"] and error["limit"] > 0, error
    return error


async def test_the_60000_task_docx_fails_as_a_job_naming_the_limit_while_healthz_answers(tasks, office):
    bomb = docx_of(("关于开展质量提升行动的实施方案\n" + "\n".join([SECTION] * 600)).splitlines())
    assert len(bomb) < 200_000  # small on the wire; 60,000 tasks inside
    job, slowest = await while_healthz(tasks, post_draft(tasks, office, "bomb.docx", bomb))
    error = failed_on(job, "document_too_long")
    assert error["limit"] == 1_000_000 and error["loc"] == ["body", "file"]
    assert slowest < 0.5, slowest
    drafts = (await tasks.get("/v1/plan-drafts?limit=500", headers=office["headers"])).json()["items"]
    assert all(d["tasks"] <= 2000 for d in drafts)


async def test_a_docx_with_more_tasks_than_a_draft_may_have_fails(tasks, office):
    job = await post_draft(tasks, office, "many.docx", docx_of(("实施方案\n" + "\n".join([SECTION] * 25)).splitlines()))
    error = failed_on(job, "draft_too_many_tasks")
    assert error["limit"] == 2000 and error["value"] == 2500


async def test_a_docx_zip_bomb_is_refused_from_its_zip_directory(tasks, office):
    bomb = docx_of(XIAYI.splitlines()[:20], padding_mb=40)
    assert len(bomb) < 500_000
    error = failed_on(await post_draft(tasks, office, "bomb.docx", bomb), "upload_uncompressed_too_large")
    assert error["limit"] == 32 * 1024 * 1024 and error["value"] > 40 * 1024 * 1024


async def test_the_400k_cell_xlsx_fails_as_an_import_job_while_healthz_answers(tasks, office, gov):  # noqa: F811
    plan = await new_plan(tasks, office, gov)
    bomb = xlsx_of(40_000, 10)
    assert len(bomb) < 3_000_000

    async def run() -> dict[str, Any]:
        r = await tasks.post(
            f"/v1/plans/{plan['id']}/breakdown", files={"file": ("bomb.xlsx", bomb, XLSX)}, headers=office["headers"]
        )
        assert r.status_code == 202, r.text
        return await wait_job(tasks, r.headers["location"], office["headers"])

    job, slowest = await while_healthz(tasks, run())
    error = failed_on(job, "sheet_too_many_cells")
    assert error["limit"] == 100_000
    assert slowest < 0.5, slowest

    zipped = await tasks.post(
        f"/v1/plans/{plan['id']}/breakdown",
        files={"file": ("bomb.xlsx", xlsx_of(2, 2, padding_mb=40), XLSX)},
        headers=office["headers"],
    )
    failed_on(await wait_job(tasks, zipped.headers["location"], office["headers"]), "upload_uncompressed_too_large")


async def test_a_csv_over_the_cell_limit_fails(tasks, office, gov):  # noqa: F811
    plan = await new_plan(tasks, office, gov)
    data = ("序号,工作任务\n" + "1,任务\n" * 60_000).encode()
    r = await tasks.post(
        f"/v1/plans/{plan['id']}/breakdown", files={"file": ("t.csv", data, "text/csv")}, headers=office["headers"]
    )
    failed_on(await wait_job(tasks, r.headers["location"], office["headers"]), "sheet_too_many_cells")


def test_limits_are_read_before_anything_is_inflated():
    bomb = xlsx_of(2, 2, padding_mb=40)
    with pytest.raises(LimitExceeded) as caught:
        check_zip(bomb, max_uncompressed=32 * 1024 * 1024)
    assert caught.value.code == "upload_uncompressed_too_large"
    archive = check_zip(xlsx_of(300, 10))
    assert archive is not None and count_sheet_cells(archive) == 3000 + 0
    with pytest.raises(LimitExceeded):
        count_sheet_cells(archive, max_cells=2999)
    assert check_zip(b"not a zip") is None
