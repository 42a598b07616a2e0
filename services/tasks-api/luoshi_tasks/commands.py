"""Operator commands of tasks-api, run by the `luoshi` CLI against the database directly."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import select

from luoshi.auth import Principal
from luoshi.clock import Clock
from luoshi.contracts.calendar import CalendarYearRead, CalendarYearWrite, NoticeParse, NoticeRead
from luoshi.db import Database
from luoshi.errors import AppError
from luoshi_tasks.identity.keys import SigningKeys
from luoshi_tasks.identity.schemas import UserCreate
from luoshi_tasks.identity.service import IdentityService
from luoshi_tasks.models import Unit, User
from luoshi_tasks.schemas import UnitCreate
from luoshi_tasks.service.calendar import CalendarService
from luoshi_tasks.service.units import UnitService
from luoshi_tasks.settings import TasksSettings


def _demo_data() -> dict[str, Any]:
    return json.loads(resources.files("luoshi_tasks.demo").joinpath("xiayi_units.json").read_text("utf-8"))


async def create_user(
    settings: TasksSettings,
    username: str,
    password: str,
    roles: list[str],
    unit: str | None,
    display_name: str | None = None,
) -> int:
    db = Database.from_settings(settings)
    try:
        async with db.sessionmaker() as session:
            unit_id = None
            if unit:
                unit_id = await _unit_id_by_name(session, unit)
            svc = IdentityService(session, settings, SigningKeys.load(settings))
            try:
                user = await svc.create_user(
                    UserCreate(
                        username=username,
                        password=password,
                        roles=roles,
                        unit_id=unit_id,  # type: ignore[arg-type]
                        display_name=display_name,
                    ),
                    None,
                )
            except AppError as exc:  # the password rules, a taken name: the operator reads why
                raise SystemExit(f"{exc.detail or exc.title_en} / {exc.detail_zh or exc.title_zh}") from None
            await session.commit()
            return user.id
    finally:
        await db.dispose()


async def _unit_id_by_name(session: Any, name: str) -> int:
    if name.isdigit():
        return int(name)
    row = (
        (
            await session.execute(
                select(Unit.id).where((Unit.name == name) | (Unit.short_name == name) | Unit.aliases.contains([name]))
            )
        )
        .scalars()
        .all()
    )
    if len(row) != 1:
        raise SystemExit(f"unit {name!r}: {'unknown' if not row else 'ambiguous'}")
    return row[0]


async def issue_token(settings: TasksSettings, username: str, ttl_seconds: int | None) -> str:
    db = Database.from_settings(settings)
    try:
        async with db.sessionmaker() as session:
            svc = IdentityService(session, settings, SigningKeys.load(settings))
            try:
                return (await svc.token_for(username, ttl_seconds)).access_token
            except AppError as exc:  # unknown or deactivated user, a lifetime over CLI_TOKEN_MAX_MINUTES
                raise SystemExit(f"{exc.detail or exc.title_en} / {exc.detail_zh or exc.title_zh}") from None
    finally:
        await db.dispose()


async def load_demo(settings: TasksSettings) -> dict[str, Any]:
    """Load the Xiayi demo (idempotent): its units and sign-in accounts."""
    data = _demo_data()
    db = Database.from_settings(settings)
    created: dict[str, Any] = {"units": 0, "users": []}
    try:
        async with db.sessionmaker() as session:
            gov = data["government"]
            gov_id = await session.scalar(select(Unit.id).where(Unit.name == gov["name"]))
            units = UnitService(session, None)
            if gov_id is None:
                gov_id = (await units.create(UnitCreate(**gov))).id
                created["units"] += 1
            for item in data["units"]:
                if await session.scalar(select(Unit.id).where(Unit.name == item["name"])):
                    continue
                contacts = []
                if item.get("contact"):
                    contacts = [{"name": item["contact"][0], "title": item["contact"][1], "is_head": True}]
                await units.create(
                    UnitCreate(
                        name=item["name"],
                        short_name=item["short_name"],
                        aliases=item["aliases"],
                        kind=item["kind"],
                        parent_id=gov_id,
                        contacts=contacts,
                    )
                )
                created["units"] += 1
            identity = IdentityService(session, settings, SigningKeys.load(settings))
            for user in data["users"]:
                if await session.scalar(select(User.id).where(User.username == user["username"])):
                    continue
                unit_id = await _unit_id_by_name(session, user["unit"]) if user["unit"] else None
                await identity.create_user(
                    UserCreate(
                        username=user["username"],
                        display_name=user["display_name"],
                        password=data["demo_password"],
                        roles=user["roles"],
                        unit_id=unit_id,
                    ),
                    None,
                )
                created["users"].append(user["username"])
            await session.commit()
    finally:
        await db.dispose()
    created["sign_in"] = [
        {"username": u["username"], "password": data["demo_password"], "roles": u["roles"], "unit": u["unit"]}
        for u in data["users"]
    ]
    return created


CLI_ADMIN = Principal(kind="service", subject="cli", username="luoshi-cli", roles=frozenset({"admin"}))


async def import_calendar_notice(
    settings: TasksSettings, text: str, year: int | None, *, apply: bool
) -> tuple[NoticeRead, CalendarYearRead | None]:
    """Read a State Council holiday notice; with `apply`, make its year official with those days."""
    db = Database.from_settings(settings)
    try:
        async with db.sessionmaker() as session:
            service = CalendarService(session, CLI_ADMIN, Clock(settings.timezone))
            notice = service.read_notice(NoticeParse(text=text, year=year))
            if not apply:
                return notice, None
            write = CalendarYearWrite(status="official", source=notice.source, days=notice.days)
            # the operator replaces the year as it is now: its current version, read in this transaction
            _, current = await service.year(notice.year)
            applied, _ = await service.replace_year(notice.year, write, current)
            await session.commit()
            return notice, applied
    finally:
        await db.dispose()
