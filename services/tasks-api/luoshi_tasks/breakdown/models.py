"""What a breakdown table (任务分解表) reads into, and the one error reading it can raise."""

from __future__ import annotations

from pydantic import BaseModel, Field

# Field keys used in `columns`, `headers` and `cells`, in the order an office lays the table out.
FIELDS: tuple[str, ...] = (
    "number",
    "title",
    "measures",
    "lead",
    "cooperating",
    "responsible",
    "deadline",
    "person",
    "remarks",
)
# The canonical Chinese header of each field: what the writer puts in the header row.
FIELD_LABELS: dict[str, str] = {
    "number": "序号",
    "title": "工作任务",
    "measures": "具体措施",
    "lead": "牵头单位",
    "cooperating": "配合单位",
    "responsible": "责任单位",
    "deadline": "完成时限",
    "person": "责任人",
    "remarks": "备注",
}


class BreakdownFileError(ValueError):
    """The file cannot be read as a breakdown table.

    `str()` and `message` are English, `message_zh` Chinese, `bilingual` both; `code` is for machines.
    """

    def __init__(self, message: str, message_zh: str, *, code: str = "breakdown_unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.code = code

    @property
    def bilingual(self) -> str:
        """Both messages on one line, Chinese first, for logs and command-line output."""
        return f"{self.message_zh}（{self.message}）"


class BreakdownRow(BaseModel):
    """One task row as the office wrote it. Not validated: the importer checks unit names and deadlines."""

    row: int = Field(default=0, description="1-based spreadsheet row (CSV: record); 0 if not from a file")
    number: str | None = Field(default=None, description="序号 exactly as written, stripped")
    parent_number: str | None = Field(default=None, description="序号 of the nearest row above, one level up")
    parent_row: int | None = Field(
        default=None,
        description="`row` of that parent: numbers such as （一） "
        "repeat under each section, so this is the unambiguous link",
    )
    title: str = Field(default="", description="工作任务")
    measures: str | None = Field(default=None, description="具体措施")
    lead_units: list[str] = Field(default_factory=list, description="牵头单位, as written")
    cooperating_units: list[str] = Field(default_factory=list, description="配合单位, minus the lead")
    deadline_text: str | None = Field(default=None, description="完成时限 as written; Excel dates as ISO")
    person: str | None = Field(default=None, description="责任人")
    remarks: str | None = Field(default=None, description="备注")
    cells: dict[str, str] = Field(default_factory=dict, description="Text per recognised field, unsplit")


class BreakdownSheet(BaseModel):
    """The table found in a file: where its header is, which column holds which field, and its rows."""

    sheet_name: str
    header_row: int = Field(description="1-based row of the header (the first one, if it spans two rows)")
    columns: dict[str, str] = Field(description="field -> column letter, e.g. {'deadline': 'F'}")
    headers: dict[str, str] = Field(default_factory=dict, description="field -> header text as written")
    ignored_columns: list[str] = Field(default_factory=list, description="Headers not understood, as written")
    rows: list[BreakdownRow] = Field(default_factory=list)

    def where(self, row: int, field: str, *, zh: bool = False) -> str:
        """Cite a cell the way a user finds it: "row 7, column F (完成时限)" or "第7行F列（完成时限）"."""
        column = self.columns.get(field)
        header = self.headers.get(field) or FIELD_LABELS.get(field, field)
        if zh:
            return f"第{row}行{column}列（{header}）" if column else f"第{row}行（{header}）"
        return f"row {row}, column {column} ({header})" if column else f"row {row} ({header})"
