"""催办 on demand: the office urges an assignment's unit now."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class UrgingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "请于本周五前报送抽查结果。"}]})

    note: str | None = Field(
        default=None, max_length=500, description="The office's words, in the message and on the 督办通知单"
    )


class UrgingRead(BaseModel):
    assignment_id: int
    plan_id: int
    unit_id: int
    unit_name: str
    task_title: str
    day: date = Field(description="The day of the urging (in TIMEZONE): one a day per assignment")
    new: bool = Field(description="False when the unit was already urged today: nothing was sent again")
    urged_times: int = Field(description="Days this assignment's unit has been urged on demand, today's included")
    notifications: int = Field(description="Messages sent today for this urging (one per person and channel)")
    notice_url: str = Field(description="The 督办通知单 as .docx")
