"""`luoshi parse FILE [--json]`: a plan document in, its draft out; bad input gets a clear line and exit 2."""

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

SAMPLES = Path(__file__).parent.parent / "fixtures" / "samples"


def parse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "parse", *args], capture_output=True, text=True, timeout=60
    )


def test_txt_and_docx_give_the_same_draft(tmp_path):
    sample = SAMPLES / "hebei-quality-brand-plan-2012.txt"
    as_txt = parse(str(sample), "--json")
    assert as_txt.returncode == 0, as_txt.stderr
    draft = json.loads(as_txt.stdout)
    assert draft["plan"]["doc_number"] == "冀政办函〔2012〕28号" and len(draft["tasks"]) > 20

    document = docx.Document()
    for line in sample.read_text("utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "方案.docx"
    document.save(path)
    as_docx = parse(str(path), "--json")
    assert as_docx.returncode == 0, as_docx.stderr
    from_docx = json.loads(as_docx.stdout)
    strip = [(t["number"], t["title"], t["lead_units"], t["cooperating_units"]) for t in draft["tasks"]]
    assert [(t["number"], t["title"], t["lead_units"], t["cooperating_units"]) for t in from_docx["tasks"]] == strip

    readable = parse(str(sample))
    assert readable.returncode == 0 and "tasks" in readable.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "document_empty"),
        ("blank.txt", b"  \n\n ", "document_empty"),
        ("binary.txt", bytes(range(256)) * 8, "document_binary"),
        ("notes.txt", "今天开会讨论了食堂的菜单，大家都很满意。".encode(), None),
        ("broken.docx", b"PK\x03\x04 not really a zip", "document_unreadable"),
        ("table.xlsx", b"whatever", "document_type"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    result = parse(str(path), "--json")
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.startswith("luoshi parse:") and len(result.stderr.strip().splitlines()) == 1
    if code:
        assert f"[{code}]" in result.stderr


def test_missing_file_exits_2():
    result = parse("/nonexistent/plan.txt")
    assert result.returncode == 2 and "无法读取" in result.stderr
