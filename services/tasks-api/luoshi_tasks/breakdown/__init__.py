"""The task breakdown table (任务分解表): read it from .xlsx/.csv as offices keep it, and write it back.

Pure functions over bytes; the importer (luoshi_tasks.service.breakdown) resolves units and deadlines.
"""

from luoshi_tasks.breakdown.headers import HEADER_ALIASES, normalise_header
from luoshi_tasks.breakdown.models import (
    FIELD_LABELS,
    FIELDS,
    BreakdownFileError,
    BreakdownRow,
    BreakdownSheet,
)
from luoshi_tasks.breakdown.numbering import number_level, parent_numbers, split_number_prefix
from luoshi_tasks.breakdown.reader import read_breakdown, read_grid
from luoshi_tasks.breakdown.sources import Grid, SheetLimits
from luoshi_tasks.breakdown.writer import HEADERS, write_breakdown_csv, write_breakdown_docx, write_breakdown_xlsx

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "HEADERS",
    "HEADER_ALIASES",
    "BreakdownFileError",
    "BreakdownRow",
    "BreakdownSheet",
    "Grid",
    "SheetLimits",
    "normalise_header",
    "number_level",
    "parent_numbers",
    "read_breakdown",
    "read_grid",
    "split_number_prefix",
    "write_breakdown_csv",
    "write_breakdown_docx",
    "write_breakdown_xlsx",
]
