import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Me } from "../../session/api";
import { type Answers, json, renderAt, type Sent, stubServices } from "../../test/render";
import type { Indicator } from "./indicators";
import { ValueForm } from "./ValueForm";

const INDICATOR = {
  id: 11, plan_id: 2, task_id: null, name: "主导产品监督抽查合格率", unit: "%", comparator: ">=", target: 90, target_high: null,
  benchmark_name: null, baseline: 80, period: "yearly", target_year: null, weight: 10, rule: { kind: "linear" }, unit_ids: [5],
  status: "active", version: 1, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
} as unknown as Indicator;
const VALUE = {
  id: 21, indicator_id: 11, unit_id: 5, period: "2026", value: 92.5, evidence: "省抽查报告", status: "entered", entered_by: "zhijian",
  verified_by: null, verified_at: null, revision: 1, locked: false, version: 1, created_at: "2026-12-04T00:00:00Z", updated_at: "2026-12-04T00:00:00Z",
};
const UNIT_ME = { kind: "user", user_id: 4, username: "zhijian", display_name: null, unit: { id: 5, name: "县质监局" }, roles: ["unit"], scopes: [] } as unknown as Me;

// the whole suite (jsdom, Ant Design) runs slower than one file on a shared machine
const WAIT = { timeout: 8000 };

let sent: Sent[];
let answers: Answers;

beforeEach(() => {
  answers = {
    "POST /v1/indicators/11/values": () => json(VALUE, 201, { ETag: '"v1"' }),
    "POST /v1/values/21/attachments": () => json({ id: 31, value_id: 21, filename: "报告.pdf", content_type: "application/pdf", size: 4, created_by: "zhijian", created_at: "2026-12-04T00:00:00Z" }, 201),
    "GET /v1/values/21": () => json(VALUE, 200, { ETag: '"v3"' }),
    "PATCH /v1/values/21": () => json({ ...VALUE, value: 95, revision: 2 }, 200, { ETag: '"v4"' }),
  };
  sent = stubServices(answers);
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const changes = () => sent.filter((s) => s.method !== "GET" && s.path !== "/v1/auth/refresh");

describe("the value-entry form", () => {
  it("checks the period's form and a percentage's range before sending anything", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<ValueForm indicator={INDICATOR} onEdit={() => {}} />, { me: UNIT_ME });
    await user.click(screen.getByRole("button", { name: /提交数值/ }));
    expect(await screen.findByText("请填写期别", undefined, WAIT)).toBeTruthy();
    expect(screen.getByText("请填写数值")).toBeTruthy();

    await user.type(screen.getByLabelText("期别"), "2026-Q3");
    await user.type(screen.getByLabelText("数值"), "120");
    await user.click(screen.getByRole("button", { name: /提交数值/ }));
    expect(await screen.findByText("期别格式应为 2026", undefined, WAIT)).toBeTruthy();
    expect(await screen.findByText("百分比应在 0 到 100 之间", undefined, WAIT)).toBeTruthy();
    expect(changes()).toHaveLength(0);
  }, 30000);

  it("shows the service's refusal with the field at fault", async () => {
    answers["POST /v1/indicators/11/values"] = () =>
      json(
        {
          title: "The value is not valid for this indicator", title_zh: "指标值不合法", status: 422, code: "value_invalid",
          detail: "Period 2027 has not begun", detail_zh: "2027 期尚未开始，不能填报",
          errors: [{ loc: ["body", "period"], code: "period_not_open", message: "Period 2027 has not begun", message_zh: "2027 期尚未开始，不能填报" }],
        },
        422,
      );
    const user = userEvent.setup({ delay: null });
    renderAt(<ValueForm indicator={INDICATOR} onEdit={() => {}} />, { me: UNIT_ME });
    await user.type(screen.getByLabelText("期别"), "2027");
    await user.type(screen.getByLabelText("数值"), "95");
    await user.click(screen.getByRole("button", { name: /提交数值/ }));
    const alert = await screen.findByRole("alert", undefined, WAIT);
    expect(alert.textContent).toContain("指标值不合法");
    expect(alert.textContent).toContain("period");
    expect(alert.textContent).toContain("2027 期尚未开始，不能填报");
  }, 30000);

  it("enters the value with its note, then uploads the evidence file to it", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<ValueForm indicator={INDICATOR} onEdit={() => {}} />, { me: UNIT_ME });
    await user.type(screen.getByLabelText("期别"), "2026");
    await user.type(screen.getByLabelText("数值"), "92.5");
    await user.type(screen.getByLabelText("证据说明"), "省抽查报告");
    await user.upload(screen.getByLabelText("证据文件"), new File(["%PDF"], "报告.pdf", { type: "application/pdf" }));
    await user.click(screen.getByRole("button", { name: /提交数值/ }));
    await waitFor(() => expect(changes().map((s) => `${s.method} ${s.path}`)).toEqual(["POST /v1/indicators/11/values", "POST /v1/values/21/attachments"]), WAIT);
    expect(changes()[0].body).toEqual({ period: "2026", value: 92.5, evidence: "省抽查报告" });
    expect(((changes()[1].body as FormData).get("file") as Blob).size).toBe(4); // the file sent as it was chosen
  }, 30000);

  it("offers to correct the period's value when one exists, and a correction sends the ETag it read", async () => {
    answers["POST /v1/indicators/11/values"] = () =>
      json({ title: "A value for this unit and period exists", title_zh: "该单位该期已有指标值", status: 409, code: "value_exists", value_id: 21 }, 409);
    const onEdit = vi.fn();
    const user = userEvent.setup({ delay: null });
    const { unmount } = renderAt(<ValueForm indicator={INDICATOR} onEdit={onEdit} />, { me: UNIT_ME });
    await user.type(screen.getByLabelText("期别"), "2026");
    await user.type(screen.getByLabelText("数值"), "95");
    await user.click(screen.getByRole("button", { name: /提交数值/ }));
    expect(await screen.findByText("该单位该期已有指标值", undefined, WAIT)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "修改该期已填数值" }));
    expect(onEdit).toHaveBeenCalledWith(21);
    unmount();

    renderAt(<ValueForm indicator={INDICATOR} valueId={21} onEdit={onEdit} />, { me: UNIT_ME });
    expect(await screen.findByText("修改 2026 期数值（第 1 版）", undefined, WAIT)).toBeTruthy();
    const value = screen.getByLabelText("数值");
    await user.clear(value);
    await user.type(value, "95");
    await user.click(screen.getByRole("button", { name: /保存修改/ }));
    await waitFor(() => expect(changes().some((s) => s.method === "PATCH")).toBe(true), WAIT);
    const patch = changes().find((s) => s.method === "PATCH")!;
    expect(patch.headers.get("if-match")).toBe('"v3"');
    expect(patch.body).toEqual({ value: 95, evidence: "省抽查报告" });
  }, 30000);
});
