import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderAt } from "../../test/render";
import { UnitRename } from "./UnitRename";

const UNIT = { id: 5, parent_id: 1, name: "测试县档案馆", short_name: "档案馆", aliases: [], kind: "department", level: null, contacts: [], version: 1 };

let version: number;
let sent: { body: unknown; ifMatch: string | null }[];

beforeEach(() => {
  version = 1;
  sent = [];
  sessionStorage.setItem("luoshi.refresh", "r");
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin));
    const url = new URL(request.url, location.origin);
    if (url.pathname === "/v1/auth/refresh") return json({ access_token: "a", refresh_token: "r", token_type: "bearer" });
    const name = version === 1 ? UNIT.name : "测试县档案馆（他人改过）";
    if (request.method === "GET") return json({ ...UNIT, name, version }, 200, { ETag: `"unit-5-v${version}"` });
    const ifMatch = request.headers.get("If-Match");
    sent.push({ body: await request.json(), ifMatch });
    if (ifMatch !== `"unit-5-v${version}"`) {
      return json({ type: "about:blank", title: "Stale", title_zh: "数据已变更", status: 412, code: "stale_etag" }, 412);
    }
    return json({ ...UNIT, version: version + 1 }, 200);
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("UnitRename", () => {
  it("sends the ETag it read; on a 412 reads the unit again and sends the new one", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<UnitRename unit={{ ...UNIT, created_at: "", updated_at: "" } as never} />);
    await user.click(screen.getByRole("button", { name: "改名「测试县档案馆」" }));
    const name = await screen.findByLabelText("单位全称");
    expect(name).toHaveValue("测试县档案馆");
    version = 2; // someone else renames it meanwhile
    await user.clear(name);
    await user.type(name, "测试县档案局");
    await user.click(screen.getByRole("button", { name: /保\s?存/ }));
    expect(await screen.findByText("数据已被他人修改，请刷新后重试")).toBeInTheDocument();
    expect(sent[0].ifMatch).toBe('"unit-5-v1"');

    await user.click(screen.getByRole("button", { name: /刷\s?新/ }));
    await waitFor(() => expect(screen.getByLabelText("单位全称")).toHaveValue("测试县档案馆（他人改过）"));
    await user.clear(screen.getByLabelText("单位全称"));
    await user.type(screen.getByLabelText("单位全称"), "测试县档案局");
    await user.click(screen.getByRole("button", { name: /保\s?存/ }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toEqual({ body: { name: "测试县档案局", short_name: "档案馆" }, ifMatch: '"unit-5-v2"' });
  });
});
