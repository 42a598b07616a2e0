"""Request and response models of units (the wire models other services use live in
luoshi.contracts.tasks)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from luoshi.contracts.tasks import Contact, UnitKind, UnitLevel, UnitRead  # noqa: F401 (re-exported)


class UnitCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "夏邑县质量技术监督局",
                    "short_name": "质监局",
                    "aliases": ["县质监局"],
                    "parent_id": 1,
                    "kind": "department",
                    "level": None,
                    "contacts": [
                        {"name": "张新民", "title": "局长", "phone": "0370-0000000", "email": None, "is_head": True}
                    ],
                }
            ]
        },
    )

    name: str = Field(min_length=2, max_length=200, description="Full name, e.g. 夏邑县质量技术监督局")
    short_name: str | None = Field(default=None, max_length=100, description="As plans write it, e.g. 质监局")
    aliases: list[str] = Field(default_factory=list, max_length=50)
    parent_id: int | None = None
    kind: UnitKind
    level: UnitLevel | None = None
    contacts: list[Contact] = Field(default_factory=list, max_length=50)


class UnitUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"aliases": ["县质监局", "质监"]}]})

    # Absent: unchanged. Fields whose column cannot be empty are not nullable: null is a 422, not a 500.
    name: str = Field(default=None, min_length=2, max_length=200)
    short_name: str | None = Field(default=None, max_length=100)
    aliases: list[str] = Field(default=None, max_length=50)
    parent_id: int | None = None
    kind: UnitKind = None  # type: ignore[assignment]
    level: UnitLevel | None = None
    contacts: list[Contact] = Field(default=None, max_length=50)
