"""Reading a policy plan's text into a draft breakdown table (任务分解表): `parse_plan(text) -> PlanDraft`."""

from luoshi_tasks.planparse.models import (
    DraftTask,
    GroupMember,
    Indicator,
    Office,
    Phase,
    PlanDraft,
    PlanMeta,
    ScannedPage,
    SectionKind,
    UnitRef,
)
from luoshi_tasks.planparse.parser import PlanParseError, match_units, parse_plan, read_plan

__all__ = [
    "DraftTask",
    "GroupMember",
    "Indicator",
    "Office",
    "Phase",
    "PlanDraft",
    "PlanMeta",
    "PlanParseError",
    "ScannedPage",
    "SectionKind",
    "UnitRef",
    "match_units",
    "parse_plan",
    "read_plan",
]
