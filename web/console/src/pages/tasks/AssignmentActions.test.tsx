import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderAt } from "../../test/render";
import { allowedActions, type Assignment, AssignmentActions, type Side } from "./AssignmentActions";

let sent: { action: string; comment?: string; ifMatch: string | null }[];
let answer: () => Response;

beforeEach(() => {
  sent = [];
  sessionStorage.setItem("luoshi.refresh", "r");
  answer = () => json({ id: 7, state: "acknowledged" }, 200, { ETag: '"v2"' });
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin));
    const url = new URL(request.url, location.origin);
    if (url.pathname === "/v1/auth/refresh") return json({ access_token: "a", refresh_token: "r", token_type: "bearer" });
    sent.push({ ...(await request.json()), ifMatch: request.headers.get("If-Match") });
    return answer();
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

function show(state: string, side: Side, onChanged = vi.fn()) {
  renderAt(<AssignmentActions assignment={{ id: 7, state } as Assignment} etag={'"v1"'} side={side} onChanged={onChanged} />);
  return onChanged;
}

describe("AssignmentActions", () => {
  it("offers each side only the moves the state allows", () => {
    expect(allowedActions("assigned", "unit")).toEqual(["acknowledge"]);
    expect(allowedActions("acknowledged", "unit")).toEqual(["start", "request_completion"]);
    expect(allowedActions("in_progress", "unit")).toEqual(["request_completion"]);
    expect(allowedActions("completion_requested", "unit")).toEqual([]);
    expect(allowedActions("completion_requested", "office")).toEqual(["close", "return"]);
    expect(allowedActions("closed", "office")).toEqual(["reopen"]);
    expect(allowedActions("assigned", "office")).toEqual([]);
    expect(allowedActions("assigned", "none")).toEqual([]);
  });

  it("shows 签收 to the unit and sends the ETag it read", async () => {
    const changed = show("assigned", "unit");
    expect(screen.queryByRole("button", { name: "办结" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "签收" }));
    await waitFor(() => expect(changed).toHaveBeenCalledWith({ id: 7, state: "acknowledged" }, '"v2"'));
    expect(sent).toEqual([{ action: "acknowledge", ifMatch: '"v1"' }]);
  });

  it("退回 needs a reason, which it sends", async () => {
    show("completion_requested", "office");
    expect(screen.getByRole("button", { name: "办结" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "退回" }));
    const ok = await screen.findByRole("button", { name: "确定" });
    expect(ok).toBeDisabled();
    expect(sent).toEqual([]);
    await userEvent.type(screen.getByLabelText("理由"), "请补充佐证材料");
    await userEvent.click(ok);
    await waitFor(() => expect(sent).toEqual([{ action: "return", comment: "请补充佐证材料", ifMatch: '"v1"' }]));
  });

  it("tells a 412 plainly", async () => {
    answer = () => json({ title: "Stale", title_zh: "数据已被修改", status: 412, code: "stale_etag" }, 412);
    show("acknowledged", "unit");
    await userEvent.click(screen.getByRole("button", { name: "开始" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("数据已被他人修改");
  });
});
