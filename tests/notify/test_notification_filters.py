"""The notification log as an office searches it (issue 16, "Jobs, lists, filters"): by Chinese text, by unit,
by status and by the days they are due to go out, counted in the service's time zone; a unit's user finds only
what was sent to them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from luoshi_notify.repository.notifications import NotificationRepository
from tests.conftest import unique


def _row(key: str, subject: str, unit_id: int, recipient: int, status: str, send_after: datetime) -> dict[str, Any]:
    return {
        "key": key,
        "rule": "remind",
        "kind": "remind",
        "plan_id": None,
        "task_id": None,
        "assignment_id": None,
        "unit_id": unit_id,
        "recipient_user_id": recipient,
        "address": "",
        "channel": "inbox",
        "lang": "zh",
        "subject": subject,
        "body": "请按时报送。",
        "markdown": None,
        "payload": "{}",
        "status": status,
        "send_after": send_after,
    }


async def test_notifications_are_searched_and_filtered_by_unit_status_and_due_days(
    notify, notify_app, make_unit, make_user, office
):
    run = unique()
    gov = await make_unit(kind="government", level="county", name=unique("过滤县人民政府-"))
    bureau = await make_unit(parent_id=gov["id"], name=unique("过滤县市场监管局-"))
    other = await make_unit(parent_id=gov["id"], name=unique("过滤县农业农村局-"))
    clerk = await make_user("unit", unit_id=bureau["id"])
    stranger = await make_user("unit", unit_id=other["id"])
    # Beijing time: 2027-03-01 07:30 is still 28 February in UTC; 2027-03-02 23:30 is 2 March at home.
    rows = {
        "early": _row(
            f"{run}:1",
            f"【提醒】{run} 名牌培育申报",
            bureau["id"],
            clerk["id"],
            "sent",
            datetime(2027, 2, 28, 23, 30, tzinfo=UTC),
        ),
        "late": _row(
            f"{run}:2",
            f"【催办】{run} 名牌培育申报",
            bureau["id"],
            clerk["id"],
            "pending",
            datetime(2027, 3, 2, 15, 30, tzinfo=UTC),
        ),
        "after": _row(
            f"{run}:3",
            f"【提醒】{run} 名牌培育申报",
            bureau["id"],
            clerk["id"],
            "pending",
            datetime(2027, 3, 2, 16, 30, tzinfo=UTC),
        ),
        "elsewhere": _row(
            f"{run}:4",
            f"【提醒】{run} 标准化试点",
            other["id"],
            stranger["id"],
            "sent",
            datetime(2027, 3, 1, 2, 0, tzinfo=UTC),
        ),
    }
    async with notify_app.state.db.sessionmaker() as session:
        await NotificationRepository(session).insert_many(list(rows.values()))
        await session.commit()

    async def subjects(headers: dict[str, str], **params: Any) -> set[str]:
        answer = await notify.get("/v1/notifications", params={"q": run, "limit": 100, **params}, headers=headers)
        assert answer.status_code == 200, answer.text
        return {item["key"] for item in answer.json()["items"]}

    keys = {name: row["key"] for name, row in rows.items()}
    mine = office["headers"]
    assert await subjects(mine) == set(keys.values())
    assert await subjects(mine, q=f"{run} 名牌培育") == {keys["early"], keys["late"], keys["after"]}
    assert await subjects(mine, unit_id=other["id"]) == {keys["elsewhere"]}
    assert await subjects(mine, status="pending") == {keys["late"], keys["after"]}
    # 1 and 2 March as Beijing counts them: not the one due at 00:30 on the 3rd
    assert await subjects(mine, due_from="2027-03-01", due_to="2027-03-02") == {
        keys["early"],
        keys["late"],
        keys["elsewhere"],
    }
    assert await subjects(mine, due_from="2027-03-03") == {keys["after"]}
    assert await subjects(mine, due_to="2027-02-28") == set()
    # a unit's user: only what was sent to them, whatever they ask for
    assert await subjects(clerk["headers"]) == {keys["early"], keys["late"], keys["after"]}
    assert await subjects(stranger["headers"], unit_id=bureau["id"]) == set()
    bad = await notify.get("/v1/notifications", params={"due_from": "3月1日"}, headers=mine)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "due_from"]
