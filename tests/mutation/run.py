"""`make mutate`: mutation testing of the pure cores with mutmut, each module against only the unit tests that
cover it, printing the kill rate per module (docs/testing.md has the last figures and every survivor).

mutmut 3 assumes one package under `src/` (or the project root) and names mutants after the path from there,
while Luoshi keeps its packages in `shared/` and `services/*/`. So each target is run in a stage of its own,
`.mutation/<target>/`: a copy of the one package as `src/<package>`, a copy of `tests/`, and pyproject.toml
with a `[tool.mutmut]` section naming the files to mutate and the tests to run. mutmut then copies the stage
into `mutants/`, puts `mutants/src` first on sys.path (before the editable install of the real package), and
runs each mutant against the tests that reached the mutated function.

    python -m tests.mutation.run                    # every target, one after the other
    python -m tests.mutation.run scoring workdays   # some of them
    python -m tests.mutation.run --list             # the targets, their files and their tests
    python -m tests.mutation.run --report scoring   # figures and survivors of the last run, without running

A stage is made anew on each run. The survivors, with their diffs, are written to
`.mutation/<target>/survivors.txt`; `cd .mutation/<target> && mutmut browse` opens them in mutmut's browser.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STAGES = REPO / ".mutation"
MUTMUT = Path(sys.executable).with_name("mutmut")
GOAL = 90.0  # percent of mutants killed, per module (issue 13)


@dataclass(frozen=True)
class Target:
    package: str
    """The package's folder in the repository."""
    files: tuple[str, ...]
    """Globs of the files to mutate, inside the package."""
    tests: tuple[str, ...]
    """The unit tests that cover them."""
    skip: tuple[str, ...] = ()
    """Globs of files the globs above take in but mutmut cannot usefully mutate (each with its reason)."""
    equivalent: tuple[tuple[str, str], ...] = ()
    """(mutant, why) for surviving mutants no test can kill because nothing observable changes; they count as
    neither killed nor missed (rate = killed ÷ (mutants − equivalent)). Only for what follows from a library's
    contract; the survivors judged by hand are listed in docs/testing.md instead."""
    deselect: tuple[str, ...] = ()
    """Tests left out of the run: timing tests, which mutmut's trampolines slow past their bound (so a
    mutant would count as killed by the clock, not by a test of its behaviour), and tests too slow to run
    for every survivor (each with its reason; leaving a test out can only lower the rate)."""


_PLANPARSE_SLOW = (
    "tests/unit/planparse/test_indicators.py::test_fast_on_a_long_plan",
    # Whole documents read with OCR (50, 35 and 16 s unmutated, several times that under mutmut): every surviving
    # mutant of a function they reach would run them all. Leaving a test out can only lower the rate.
    "tests/unit/planparse/test_scans.py::test_a_scanned_pdf_gives_the_draft_its_text_gives",
    "tests/unit/planparse/test_scans.py::test_a_picture_of_a_page_is_read",
    "tests/unit/planparse/test_corpus.py::test_corpus_accuracy",
    # the same plan as text, Word and a 4-page scan (14 s unmutated, 4 GB under mutmut): it reaches most of the
    # parser, so it ran for nearly every survivor and held the run to a few mutants a minute
    "tests/unit/planparse/test_corpus.py::test_one_plan_as_text_word_and_scan_gives_the_same_tasks_and_units",
)
_OCR_TESTS = (
    # the tests that run the OCR models (a picture, a blank PDF page): each of mutmut's forks loads the models
    # anew, and a surviving mutant of the PDF or table code ran them all (~20 s), 9 mutants a minute on two cores
    "tests/unit/planparse/test_documents.py::test_a_pdf_is_known_by_its_suffix_or_its_signature_whatever_its_name[plan.PDF]",
    "tests/unit/planparse/test_documents.py::test_a_pdf_is_known_by_its_suffix_or_its_signature_whatever_its_name[plan.txt]",
    "tests/unit/planparse/test_documents.py::test_a_pdf_is_known_by_its_suffix_or_its_signature_whatever_its_name[plan]",
    "tests/unit/planparse/test_documents.py::test_a_pdf_longer_than_the_limit_is_refused_as_it_is_read",
    "tests/unit/planparse/test_documents.py::test_a_pdf_with_more_pages_than_the_limit_is_refused_and_at_the_limit_is_not",
    "tests/unit/planparse/test_documents.py::test_a_pdf_with_no_text_even_by_ocr_is_refused",
    "tests/unit/planparse/test_documents.py::test_pdf_pages_are_joined_by_newlines",
    "tests/unit/planparse/test_pdf_scans.py::test_a_blank_page_after_a_typed_one_is_read_as_a_scan_and_named",
    "tests/unit/planparse/test_scans.py::test_a_black_and_white_scan_is_read",
    "tests/unit/planparse/test_scans.py::test_a_blank_picture_is_refused_for_having_no_text",
    *(
        f"tests/unit/planparse/test_scans.py::test_a_picture_is_known_by_its_signature_whatever_its_name[{name}-{kind}]"
        for name in ("no-suffix", "txt-suffix")
        for kind in ("PNG", "JPEG")
    ),
    "tests/unit/planparse/test_scans.py::test_a_picture_of_a_letterhead_is_read_line_by_line",
)

_READERS = ("planparse/ocr.py", "planparse/documents.py")
"""The documents' readers: PDFs (typed or scanned), pictures, and the OCR under them."""
_SCAN_TABLES = "planparse/scantables.py"
"""A scanned page's lines put back into a table: pure geometry, tested on lines written out by hand, so it runs
without the OCR tests (which would run for every one of its mutants at a few a minute)."""

TARGETS: dict[str, Target] = {
    "workdays": Target("shared/luoshi", ("workdays.py",), ("tests/unit/test_workdays.py",)),
    "deadlines": Target(
        "shared/luoshi", ("deadlines.py",), ("tests/unit/test_deadlines.py", "tests/unit/test_deadline_texts.py")
    ),
    "scoring": Target(
        "services/scoring-api/luoshi_scoring",
        ("rules/*.py",),
        ("tests/unit/scoring",),
        # models.py: mutmut skips decorated functions (the validators), so its one mutable body is
        # `_lower_is_better`, a Field(description=...) called while the classes are built at import, before
        # mutmut turns a mutant on: none of its mutants can fail a test
        skip=("rules/models.py",),
    ),
    "breakdown": Target(
        "services/tasks-api/luoshi_tasks",
        ("breakdown/numbering.py", "breakdown/cells.py"),
        ("tests/unit/test_breakdown_table.py", "tests/unit/test_breakdown_cells.py"),
    ),
    "planparse": Target(
        "services/tasks-api/luoshi_tasks",
        ("planparse/*.py",),
        ("tests/unit/planparse",),
        # the files that read PDFs and pictures are a target of their own (ocr, below), run with the tests that
        # run the OCR models; here those tests are left out, and the PDF and scan code would survive for want of
        # them. The scan's tables are a target of their own too, so that they are measured apart from the readers.
        skip=(*_READERS, _SCAN_TABLES),
        deselect=(*_PLANPARSE_SLOW, *_OCR_TESTS),
    ),
    "scantables": Target(
        "services/tasks-api/luoshi_tasks",
        (_SCAN_TABLES,),
        ("tests/unit/planparse",),
        deselect=(*_PLANPARSE_SLOW, *_OCR_TESTS),
    ),
    "ocr": Target(
        "services/tasks-api/luoshi_tasks",
        _READERS,
        ("tests/unit/planparse",),
        deselect=_PLANPARSE_SLOW,
    ),
    "notify": Target(
        "services/notify/luoshi_notify",
        ("planning/*.py",),
        ("tests/unit/notify",),
        deselect=("tests/unit/notify/test_planning.py::test_sweep_is_fast",),
        equivalent=(
            *(
                (f"luoshi_notify.planning.ics.x_build_feed__mutmut_{n}", "icalendar's property names are caseless")
                for n in (13, 19, 26, 34, 42, 48, 60, 67, 73, 79, 88, 94, 100, 106, 115, 123, 129)
            ),
            ("luoshi_notify.planning.ics.x_build_feed__mutmut_3", "icalendar writes DTSTAMP in UTC whatever its zone"),
            (
                "luoshi_notify.planning.ics.x_build_feed__mutmut_5",
                "a naive now() is local time, which astimezone reads",
            ),
            ("luoshi_notify.planning.ics.x_build_feed__mutmut_6", "icalendar writes DTSTAMP to the second"),
            *(
                (f"luoshi_notify.planning.bulletin.x__sheet__mutmut_{n}", "openpyxl reads a1 as A1")
                for n in (7, 15, 27, 44, 52, 61)
            ),
            (
                "luoshi_notify.planning.bulletin.x_bulletin_docx__mutmut_4",
                "python-docx writes no orientation as portrait",
            ),
        ),
    ),
}

KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout"}
"""mutmut's exit codes that count as caught: a failing test, or a mutant that never ends (a timeout)."""
_STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


def _toml_list(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False)  # a JSON list of plain strings is a TOML array


def stage(name: str, target: Target) -> Path:
    """A fresh stage for the target: src/<package>, tests/, and pyproject.toml with its mutmut section."""
    here = STAGES / name
    shutil.rmtree(here, ignore_errors=True)
    package = Path(target.package).name
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / target.package, here / "src" / package, ignore=ignore)
    shutil.copytree(REPO / "tests", here / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "mutation"))
    (here / "migrations").symlink_to(REPO / "migrations")  # the official calendar the unit tests install
    pytest_args = ["-p", "no:cacheprovider", *(f"--deselect={test}" for test in target.deselect)]
    settings = (REPO / "pyproject.toml").read_text("utf-8")
    settings += (
        "\n[tool.mutmut]\n"
        f'source_paths = ["src/{package}"]\n'
        f"only_mutate = {_toml_list([f'src/{package}/{glob}' for glob in target.files])}\n"
        f"do_not_mutate = {_toml_list([f'src/{package}/{glob}' for glob in target.skip])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(list(target.tests))}\n"
        f"pytest_add_cli_args = {_toml_list(pytest_args)}\n"
        'also_copy = ["migrations"]\n'
        "use_git_change_detection = false\n"
        # mutmut's wall-clock limit is half its CPU limit, (tests' time + 1 s) × 15: on two shared cores a mutant
        # that only waited for a core was stopped and counted as killed by a timeout
        "timeout_multiplier = 60.0\n"
        # a fork server that has only collected the tests, not run them: with plain fork, the children of a
        # process that had run OCR hung (0 % CPU) when the garbage collector destroyed onnxruntime objects whose
        # threads stayed in the parent, and each such mutant counted as killed by its timeout
        'process_isolation = "forkserver"\n'
    )
    (here / "pyproject.toml").write_text(settings, "utf-8")
    return here


def results(name: str, target: Target) -> dict[str, dict[str, list[str]]]:
    """{file: {status: [mutant names]}} from the .meta files of the stage's last run."""
    here = STAGES / name
    package = Path(target.package).name
    equivalent = dict(target.equivalent)
    out: dict[str, dict[str, list[str]]] = {}
    for meta in sorted((here / "mutants" / "src" / package).rglob("*.py.meta")):
        source = meta.relative_to(here / "mutants").as_posix().removesuffix(".meta")
        if not any(fnmatch(source, f"src/{package}/{glob}") for glob in target.files):
            continue
        if any(fnmatch(source, f"src/{package}/{glob}") for glob in target.skip):
            continue
        by_status: dict[str, list[str]] = {}
        for key, code in json.loads(meta.read_text("utf-8"))["exit_code_by_key"].items():
            status = KILLED.get(code) or _STATUS.get(code, "suspicious")
            if status == "survived" and key in equivalent:
                status = "equivalent"
            by_status.setdefault(status, []).append(key)
        out[source.removeprefix("src/")] = by_status
    return out


def _diff(here: Path, key: str, path: str) -> str:
    """The mutant's diff, as `mutmut show` prints it (in this process: a `mutmut show` each takes a second)."""
    from mutmut.configuration import reset_config
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    before = Path.cwd()
    os.chdir(here)
    try:
        reset_config()
        return get_diff_for_mutant(key, path=path)
    finally:
        os.chdir(before)


def markdown(name: str, target: Target) -> str:
    """The survivors of the last run, one line each (the mutant and the line it changed), for docs/testing.md."""
    out, why = [], dict(target.equivalent)
    for source, by_status in results(name, target).items():
        for status in sorted(set(by_status) - {"killed", "timeout"}):
            for key in by_status[status]:
                diff = _diff(STAGES / name, key, f"src/{source}").splitlines()
                minus = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
                plus = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
                before, after = " ".join(minus), " ".join(plus)
                short = key.split(".")[-1].replace("\u01c1", ".")
                judged = f" — {why[key]}" if status == "equivalent" else ""
                out.append(f"- `{short}` ({status}): `{before}` → `{after}`{judged}")
    return "\n".join(out)


def report(name: str, target: Target) -> bool:
    """Prints the kill rate of each file and of the target; writes survivors.txt. True when all meet the goal."""
    found = results(name, target)
    if not found:
        print(f"{name}: no results (run it first)")
        return False
    here, ok, totals = STAGES / name, True, Counter[str]()
    lines = []
    for source, by_status in found.items():
        counts = Counter({status: len(keys) for status, keys in by_status.items()})
        totals += counts
        total = sum(counts.values())
        if not total:
            continue  # nothing in the file to mutate (mutmut mutates function bodies only)
        caught = counts["killed"] + counts["timeout"]
        rate = 100 * caught / max(total - counts["equivalent"], 1)
        ok &= rate >= GOAL
        missed = ", ".join(f"{counts[s]} {s}" for s in sorted(counts) if s not in ("killed", "timeout"))
        print(f"  {source:<45} {caught:>5}/{total:<5} {rate:5.1f}%  {missed}")
        for status in sorted(by_status):
            if status in ("killed", "timeout"):
                continue
            for key in by_status[status]:
                lines.append(f"## {key} ({status})\n{_diff(here, key, f'src/{source}').strip()}\n")
    total = sum(totals.values())
    caught = totals["killed"] + totals["timeout"]
    rate = 100 * caught / max(total - totals["equivalent"], 1)
    print(f"  {name + ' (all)':<45} {caught:>5}/{total:<5} {rate:5.1f}%")
    (here / "survivors.txt").write_text("\n".join(lines), "utf-8")
    return ok


def run(name: str, target: Target, children: int) -> bool:
    here = stage(name, target)
    print(f"== {name}: {', '.join(target.files)} in {target.package}, against {' '.join(target.tests)}", flush=True)
    started = time.monotonic()
    log = here / "mutmut.log"
    with log.open("w") as out:
        code = subprocess.run(
            [str(MUTMUT), "run", "--max-children", str(children)],
            cwd=here,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            check=False,
        ).returncode
    print(f"   mutmut exit {code} after {time.monotonic() - started:.0f} s (log: {log.relative_to(REPO)})")
    return report(name, target) and code == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="target", help=f"of {', '.join(TARGETS)}; default: all")
    parser.add_argument("--list", action="store_true", help="print the targets and stop")
    parser.add_argument("--report", action="store_true", help="report the last run, do not run")
    parser.add_argument("--markdown", action="store_true", help="list the last run's survivors for docs/testing.md")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    names = args.targets or list(TARGETS)
    if unknown := [name for name in names if name not in TARGETS]:
        parser.error(f"no such target: {', '.join(unknown)}")
    if args.list:
        for name in names:
            t = TARGETS[name]
            skipped = f" (not {', '.join(t.skip)})" if t.skip else ""
            left_out = f" (not {', '.join(t.deselect)})" if t.deselect else ""
            print(f"{name}: {t.package}/{{{','.join(t.files)}}}{skipped} <- {' '.join(t.tests)}{left_out}")
        return 0
    if args.markdown:
        for name in names:
            print(f"#### {name}\n\n{markdown(name, TARGETS[name])}\n")
        return 0
    ok = True
    for name in names:
        if args.report:
            print(f"== {name}")
            ok &= report(name, TARGETS[name])
        else:
            ok &= run(name, TARGETS[name], args.max_children)
    print(f"goal {GOAL:g}% per module: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
