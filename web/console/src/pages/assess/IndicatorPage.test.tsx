import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Me } from "../../session/api";
import { type Answers, json, renderAt, type Sent, stubServices } from "../../test/render";
import { IndicatorPage } from "./IndicatorPage";

const INDICATOR = {
  id: 11, plan_id: 2, task_id: null, name: "主导产品监督抽查合格率", unit: "%", comparator: ">=", target: 90, target_high: null,
  benchmark_name: null, baseline: 80, period: "yearly", target_year: null, weight: 10, rule: { kind: "linear" }, unit_ids: [5],
  status: "active", version: 1, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
};
const VALUE = {
  id: 21, indicator_id: 11, unit_id: 5, period: "2026", value: 92.5, evidence: "省抽查报告", status: "entered", entered_by: "zhijian",
  verified_by: null, verified_at: null, revision: 1, locked: false, version: 1, created_at: "2026-12-04T00:00:00Z", updated_at: "2026-12-04T00:00:00Z",
};
const LEADER = { kind: "user", user_id: 7, username: "lingdao", display_name: null, unit: null, roles: ["leader"], scopes: [] } as unknown as Me;
const UNIT = { kind: "user", user_id: 4, username: "zhijian", display_name: null, unit: { id: 5, name: "县质监局" }, roles: ["unit"], scopes: [] } as unknown as Me;

// the whole suite (jsdom, Ant Design) runs slower than one file on a shared machine
const WAIT = { timeout: 8000 };

let sent: Sent[];
let answers: Answers;

beforeEach(() => {
  answers = {
    "GET /v1/indicators/11": () => json(INDICATOR, 200, { ETag: '"i1"' }),
    "GET /v1/plans/2": () => json({ id: 2, title: "质量强县工作方案" }, 200),
    "GET /v1/units": () => json({ items: [{ id: 5, name: "县质监局" }], next_cursor: null }),
    "GET /v1/indicators/11/values": () => json({ items: [VALUE], next_cursor: null }),
    "GET /v1/values/21": () => json(VALUE, 200, { ETag: '"v7"' }),
    "POST /v1/values/21/verify": () => json({ ...VALUE, status: "verified", verified_by: "office-clerk" }, 200),
  };
  sent = stubServices(answers);
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const at = { path: "/indicators/11", route: "/indicators/:indicatorId" };

describe("an indicator's page", () => {
  it("shows the office the target and the values, and verifies one with the ETag it read", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<IndicatorPage />, at);
    expect(await screen.findByText("不低于 90%", undefined, WAIT)).toBeTruthy();
    expect(await screen.findByRole("link", { name: "质量强县工作方案" }, WAIT)).toBeTruthy();
    const row = (await screen.findByText("92.5%", undefined, WAIT)).closest("tr")!;
    expect(within(row).getByText("县质监局")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /提交数值/ })).toBeNull(); // the unit's form
    await user.click(within(row).getByRole("button", { name: /核\s?实/ }));
    await waitFor(() => expect(sent.some((s) => s.method === "POST" && s.path === "/v1/values/21/verify")).toBe(true), WAIT);
    expect(sent.find((s) => s.path === "/v1/values/21/verify")!.headers.get("if-match")).toBe('"v7"');
  }, 30000);

  it("gives a leader no change button", async () => {
    renderAt(<IndicatorPage />, { ...at, me: LEADER });
    expect(await screen.findByText("92.5%", undefined, WAIT)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /核\s?实|修\s?改|提交数值/ })).toBeNull();
  }, 30000);

  it("gives the unit that reports it the entry form and the correction of its own value", async () => {
    renderAt(<IndicatorPage />, { ...at, me: UNIT });
    expect(await screen.findByRole("button", { name: /提交数值/ }, WAIT)).toBeTruthy();
    expect(await screen.findByRole("button", { name: /修\s?改/ }, WAIT)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /核\s?实/ })).toBeNull();
  }, 30000);
});
