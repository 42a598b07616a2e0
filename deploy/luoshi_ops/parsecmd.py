"""`luoshi parse FILE [--json]`: a policy document read into a draft breakdown table, without a database."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

EXIT_BAD_INPUT = 2


def run_parse(path: str, *, as_json: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """0 with the draft printed; 2 with one clear line on stderr when the file is not a readable plan."""
    from luoshi.filelimits import LimitExceeded
    from luoshi_tasks.planparse import PlanParseError, read_plan
    from luoshi_tasks.planparse.documents import DocumentUnreadable, read_document

    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        print(f"luoshi parse: 无法读取 {path}（cannot read {path}: {exc.strerror}）", file=err)
        return EXIT_BAD_INPUT
    try:
        draft = read_plan(read_document(data, file.name))
    except (DocumentUnreadable, PlanParseError, LimitExceeded) as exc:
        print(f"luoshi parse: {path}: {exc.message_zh}（{exc.message}）[{exc.code}]", file=err)
        return EXIT_BAD_INPUT
    if as_json:
        json.dump(draft.model_dump(mode="json"), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    plan = draft.plan
    print(
        f"{plan.title or '（无标题）'}  {plan.doc_number or ''}  {plan.issuer or ''}  {plan.issued_on or ''}", file=out
    )
    for phase in draft.phases:
        print(f"  阶段 {phase.name}: {phase.start or '?'} – {phase.end or '?'}", file=out)
    for member in draft.group:
        print(f"  {member.role} {member.name}" + (f"（{member.unit}）" if member.unit else ""), file=out)
    depth: list[int] = []
    for task in draft.tasks:
        level = 0 if task.parent is None else depth[task.parent] + 1
        depth.append(level)
        units = "、".join(task.lead_units) + (
            f"；配合：{'、'.join(task.cooperating_units)}" if task.cooperating_units else ""
        )
        when = f"  [{task.deadline_text}]" if task.deadline_text else ""
        print(f"{'  ' * level}{task.number or '·'} {task.title}" + (f"  ({units})" if units else "") + when, file=out)
    # No database here, so no name is matched to a unit: list the units the plan names, for the office to check.
    print(f"units named ({len(draft.units)}): {'、'.join(u.name for u in draft.units)}", file=out)
    print(f"{len(draft.tasks)} tasks, {len(draft.indicators)} indicators, {len(draft.phases)} phases", file=out)
    return 0
