"""An assignment walked through every state, with a return and an extension, all audited."""

from tests.platform.test_errors import assert_problem


def _assignments(task):
    return {a["role"]: a for a in task["assignments"]}


async def transition(tasks, assignment_id, action, headers, comment=None):
    current = await tasks.get(f"/v1/assignments/{assignment_id}", headers=headers)
    body = {"action": action, **({"comment": comment} if comment else {})}
    return await tasks.post(
        f"/v1/assignments/{assignment_id}/transitions",
        json=body,
        headers={**headers, "If-Match": current.headers["etag"]},
    )


async def test_every_state_with_return_and_extension(tasks, office, plan_setup, fixed_clock):
    fixed_clock("2026-03-10")
    users = plan_setup["users"]
    lead = _assignments(plan_setup["task"])["lead"]
    aid = lead["assignment_id"]
    assert lead["state"] == "assigned"

    # the cooperating unit does not even see the lead's assignment; the office cannot sign for the unit
    etag = (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).headers["etag"]
    r = await tasks.post(
        f"/v1/assignments/{aid}/transitions",
        json={"action": "acknowledge"},
        headers={**users["b"]["headers"], "If-Match": etag},
    )
    assert_problem(r, 404, "assignment_not_found")
    assert_problem(await transition(tasks, aid, "acknowledge", office["headers"]), 403, "forbidden")

    r = await transition(tasks, aid, "acknowledge", users["a"]["headers"])
    assert r.status_code == 200 and r.json()["state"] == "acknowledged"
    # a step out of order is refused with the allowed ones named
    body = assert_problem(await transition(tasks, aid, "close", office["headers"]), 409, "transition_not_allowed")
    assert body["allowed"] == ["request_completion", "start"]

    r = await transition(tasks, aid, "start", users["a"]["headers"])
    assert r.json()["state"] == "in_progress"

    report = await tasks.post(
        f"/v1/assignments/{aid}/reports", json={"text": "完成抽查", "percent": 40}, headers=users["a"]["headers"]
    )
    assert report.status_code == 201, report.text
    report = report.json()
    assert report["period_due_on"] == "2026-03-30" and report["late"] is False
    review = await tasks.post(
        f"/v1/reports/{report['id']}/review",
        json={"decision": "accept"},
        headers={**office["headers"], "If-Match": f'"report-{report["id"]}-v{report["version"]}"'},
    )
    assert review.status_code == 200, review.text
    assert (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()["progress"] == 40

    # 延期: asked before the deadline, granted; the original deadline is kept
    ext = await tasks.post(
        f"/v1/assignments/{aid}/extensions",
        json={"requested_due_on": "2027-03-31", "reason": "设备到货延迟"},
        headers=users["a"]["headers"],
    )
    assert ext.status_code == 201, ext.text
    ext = ext.json()
    decided = await tasks.post(
        f"/v1/extensions/{ext['id']}/decision",
        json={"decision": "grant"},
        headers={**office["headers"], "If-Match": f'"extension-{ext["id"]}-v{ext["version"]}"'},
    )
    assert decided.status_code == 200 and decided.json()["state"] == "granted"
    now = (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()
    assert now["due_on"] == "2027-03-31" and now["original_due_on"] == "2026-12-31"

    r = await transition(tasks, aid, "request_completion", users["a"]["headers"])
    assert r.json()["state"] == "completion_requested"
    # 退回 needs a comment
    assert_problem(await transition(tasks, aid, "return", office["headers"]), 422, "comment_required")
    r = await transition(tasks, aid, "return", office["headers"], comment="请补充佐证材料")
    assert r.json()["state"] == "in_progress"
    r = await transition(tasks, aid, "request_completion", users["a"]["headers"])
    r = await transition(tasks, aid, "close", office["headers"])
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["closed_at"]

    log = (await tasks.get(f"/v1/audit?entity=assignment&entity_id={aid}", headers=office["headers"])).json()["items"]
    steps = [(e["action"], e["actor"]) for e in reversed(log)]
    a_user, o_user = f"user:{users['a']['username']}", f"user:{office['username']}"
    assert steps == [
        ("transition:acknowledge", a_user),
        ("transition:start", a_user),
        ("transition:request_completion", a_user),
        ("transition:return", o_user),
        ("transition:request_completion", a_user),
        ("transition:close", o_user),
    ]
    assert all(e["at"] for e in log)
    assert log[2]["after"] == {"state": "in_progress", "comment": "请补充佐证材料"}
    ext_log = (await tasks.get(f"/v1/audit?entity=extension&entity_id={ext['id']}", headers=office["headers"])).json()
    assert [e["action"] for e in reversed(ext_log["items"])] == ["request", "decide:grant"]


async def test_late_report_is_stored_as_late(tasks, plan_setup, fixed_clock):
    users = plan_setup["users"]
    aid = _assignments(plan_setup["task"])["lead"]["assignment_id"]
    fixed_clock("2026-03-31")  # the day after March's deadline (30th)
    late = await tasks.post(
        f"/v1/assignments/{aid}/reports",
        json={"text": "三月进展", "percent": 10, "period_due_on": "2026-03-30"},
        headers=users["a"]["headers"],
    )
    assert late.status_code == 201, late.text
    assert late.json()["late"] is True
    # February's deadline is its last day, not the 30th
    bad = await tasks.post(
        f"/v1/assignments/{aid}/reports",
        json={"text": "二月", "percent": 5, "period_due_on": "2026-02-30"},
        headers=users["a"]["headers"],
    )
    assert bad.status_code == 422
    wrong = await tasks.post(
        f"/v1/assignments/{aid}/reports",
        json={"text": "二月", "percent": 5, "period_due_on": "2026-02-27"},
        headers=users["a"]["headers"],
    )
    assert_problem(wrong, 422, "period_not_in_schedule")
    feb = await tasks.post(
        f"/v1/assignments/{aid}/reports",
        json={"text": "二月", "percent": 5, "period_due_on": "2026-02-28"},
        headers=users["a"]["headers"],
    )
    assert feb.status_code == 201 and feb.json()["late"] is True
    # stored, not recomputed: moving the clock back does not change it
    fixed_clock("2026-02-01")
    again = await tasks.get(f"/v1/reports/{feb.json()['id']}", headers=users["a"]["headers"])
    assert again.json()["late"] is True


async def test_extension_must_be_asked_before_the_deadline(tasks, plan_setup, fixed_clock):
    users = plan_setup["users"]
    aid = _assignments(plan_setup["task"])["lead"]["assignment_id"]
    fixed_clock("2027-01-04")
    late = await tasks.post(
        f"/v1/assignments/{aid}/extensions",
        json={"requested_due_on": "2027-06-30", "reason": "来不及"},
        headers=users["a"]["headers"],
    )
    assert_problem(late, 409, "extension_not_allowed")
    fixed_clock("2026-12-01")
    earlier = await tasks.post(
        f"/v1/assignments/{aid}/extensions",
        json={"requested_due_on": "2026-11-30", "reason": "提前"},
        headers=users["a"]["headers"],
    )
    assert_problem(earlier, 422, "extension_invalid")


async def test_attachment_round_trip_and_size_limit(tasks, tasks_app, plan_setup):
    users = plan_setup["users"]
    aid = _assignments(plan_setup["task"])["lead"]["assignment_id"]
    report = (
        await tasks.post(
            f"/v1/assignments/{aid}/reports", json={"text": "附件", "percent": 1}, headers=users["a"]["headers"]
        )
    ).json()
    content = "抽查报告".encode() * 100
    up = await tasks.post(
        f"/v1/reports/{report['id']}/attachments",
        files={"file": ("抽查报告.pdf", content, "application/pdf")},
        headers=users["a"]["headers"],
    )
    assert up.status_code == 201, up.text
    att = up.json()
    down = await tasks.get(f"/v1/reports/{report['id']}/attachments/{att['id']}", headers=users["b"]["headers"])
    assert down.status_code == 404  # the cooperating unit does not lead this task
    down = await tasks.get(f"/v1/reports/{report['id']}/attachments/{att['id']}", headers=users["a"]["headers"])
    assert down.content == content and down.headers["content-type"] == "application/pdf"
    limit = tasks_app.state.settings.attachment_max_bytes
    too_big = await tasks.post(
        f"/v1/reports/{report['id']}/attachments",
        files={"file": ("big.bin", b"x" * (limit + 1), "application/octet-stream")},
        headers=users["a"]["headers"],
    )
    assert_problem(too_big, 413, "payload_too_large")
