"""Issue 14, finding 9: attachment file names were kept as sent (`../../etc/passwd`, a right-to-left override)
and a `text/html` attachment was served as text/html, to be rendered in the service's origin. Names are now
cleaned on upload (luoshi.filenames.safe_filename) in tasks-api and scoring-api, and every attachment is served
as a download, not sniffed, with a type a browser would render or run replaced by application/octet-stream."""

from __future__ import annotations

import pytest

from luoshi.filenames import safe_content_type, safe_filename, served_content_type
from tests.scoring.test_access import make_indicator
from tests.tasks.conftest import plan_setup  # noqa: F401 - the fixture

HTML = b"<script>fetch('/v1/me').then(r => r.text()).then(alert)</script>"
RLO = "\u202e"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        (f"报告{RLO}fdp.exe", "报告fdp.exe"),
        ("a\x00b\r\nc\u200b\u2066d.txt", "abcd.txt"),
        ("..", "file"),
        (".htaccess", "htaccess"),
        ("", "file"),
        (None, "file"),
        ('a<b>c:"d|e?f*.txt', "a_b_c__d_e_f_.txt"),
        ("抽查报告.pdf", "抽查报告.pdf"),
    ],
)
def test_safe_filename(sent, kept):
    assert safe_filename(sent) == kept


def test_long_names_keep_their_extension_and_types_are_bounded():
    name = safe_filename("长" * 1000 + ".docx")
    assert len(name) == 200 and name.endswith(".docx")
    assert safe_content_type("text/plain; charset=utf-8") == "text/plain"
    assert safe_content_type("text/html\r\nX-Evil: 1") == "application/octet-stream"
    for active in ("text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript", "application/xml"):
        assert served_content_type(active) == "application/octet-stream"
    assert served_content_type("application/pdf") == "application/pdf"


def assert_served_safely(response, body: bytes) -> None:
    assert response.status_code == 200, response.text
    assert response.content == body
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["x-content-type-options"] == "nosniff"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "passwd" in disposition and ".." not in disposition


async def test_a_report_attachment_is_stored_safely_and_served_as_a_download(tasks, plan_setup):  # noqa: F811
    user = plan_setup["users"]["a"]
    aid = next(x for x in plan_setup["task"]["assignments"] if x["role"] == "lead")["assignment_id"]
    report = await tasks.post(
        f"/v1/assignments/{aid}/reports", json={"text": "附件", "percent": 1}, headers=user["headers"]
    )
    up = await tasks.post(
        f"/v1/reports/{report.json()['id']}/attachments",
        files={"file": (f"../../etc/{RLO}passwd", HTML, "text/html")},
        headers=user["headers"],
    )
    assert up.status_code == 201, up.text
    assert up.json()["filename"] == "passwd"
    down = await tasks.get(f"/v1/reports/{report.json()['id']}/attachments/{up.json()['id']}", headers=user["headers"])
    assert_served_safely(down, HTML)
    assert "etag" in down.headers


async def test_an_evidence_attachment_is_stored_safely_and_served_as_a_download(scoring, office, plan_setup):  # noqa: F811
    user = plan_setup["users"]["a"]
    indicator = await make_indicator(scoring, office, plan_setup)
    value = await scoring.post(
        f"/v1/indicators/{indicator['id']}/values", json={"period": "2026", "value": 92}, headers=user["headers"]
    )
    assert value.status_code == 201, value.text
    up = await scoring.post(
        f"/v1/values/{value.json()['id']}/attachments",
        files={"file": (f"..\\..\\etc\\{RLO}passwd", HTML, "image/svg+xml")},
        headers=user["headers"],
    )
    assert up.status_code == 201, up.text
    assert up.json()["filename"] == "passwd"
    down = await scoring.get(f"/v1/value-attachments/{up.json()['id']}", headers=user["headers"])
    assert_served_safely(down, HTML)
